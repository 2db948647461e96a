/**
 * Test helpers for this plugin's ported tables: upstream's st.MakeNode().Name() sets no hostname
 * label (the shared wrapper does), and upstream's label selector builder.
 */
import type { Node, Pod, Taint } from '../../../api/core/v1';
import type { LabelSelector } from '../../../apimachinery/validation';
import { CycleState } from '../../framework/cycle_state';
import type { Code } from '../../framework/status';
import { codeOf } from '../../framework/status';
import { makeNode, makePod, type PodWrapper } from '../../testing/wrappers';
import { newTestHandle, type TestObjects } from '../../testing/handle';
import { newPodTopologySpread } from './plugin';
import type { SpreadListers } from './default_selector';
import type { PodTopologySpreadArgs } from './args';

/** A node with exactly these labels (Go: `st.MakeNode().Name(n).Label(...)`). */
export function node(name: string, labels: Record<string, string> = {}, taints?: Taint[]): Node {
  const n = makeNode().name(name).obj();
  n.metadata.labels = { ...labels };
  if (taints) n.spec = { ...n.spec, taints };
  return n;
}

/** Go: `st.MakePod().Name(n).Node(nn).Label(k, "")...`. */
export function pod(name: string, nodeName?: string, labels: Record<string, string> = {}): PodWrapper {
  const p = makePod().name(name).uid(name).labels(labels);
  if (nodeName) p.node(nodeName);
  return p;
}

export function exists(key: string): LabelSelector {
  return { matchExpressions: [{ key, operator: 'Exists' }] };
}
export const fooSelector = exists('foo');
export const barSelector = exists('bar');

/** A plugin over a snapshot of `pods` and `nodes`, with the extra listers the default selector reads. */
export function setup(o: TestObjects & { listers?: SpreadListers }, args: PodTopologySpreadArgs = { defaultingType: 'List' }) {
  const handle = newTestHandle(o);
  if (o.listers) {
    const base = handle.listers();
    handle.listers = () => ({ ...base, ...o.listers });
  }
  return { handle, pl: newPodTopologySpread(args, handle), nodeInfos: handle.snapshot.nodeInfoList };
}

/** PreFilter, then Filter on every node: node name -> code (Go: TestSingleConstraint's loop). */
export function filterCodes(p: Pod, pods: Pod[], nodes: Node[]): Record<string, Code> {
  const { pl, nodeInfos } = setup({ pods, nodes });
  const state = new CycleState();
  const [, s] = pl.preFilter(state, p, nodeInfos);
  const out: Record<string, Code> = {};
  for (const ni of nodeInfos) out[ni.name] = codeOf(s) === 'Success' ? codeOf(pl.filter(state, p, ni)) : codeOf(s);
  return out;
}
