/**
 * Test helpers for this plugin's ported tables: upstream's createPodWithAffinityTerms and the st
 * wrapper methods the shared wrappers lack (NotIn terms, preferred terms with a selector).
 */
import type { Namespace, Node, Pod, PodAffinityTerm } from '../../../api/core/v1';
import type { LabelSelector } from '../../../apimachinery/validation';
import { CycleState } from '../../framework/cycle_state';
import type { Status } from '../../framework/status';
import { makePod, type PodWrapper } from '../../testing/wrappers';
import { newTestHandle } from '../../testing/handle';
import { newInterPodAffinity } from './plugin';
import type { InterPodAffinityArgs } from './args';

export const inSel = (key: string, values: string[]): LabelSelector => ({ matchExpressions: [{ key, operator: 'In', values }] });
export const notInSel = (key: string, values: string[]): LabelSelector => ({ matchExpressions: [{ key, operator: 'NotIn', values }] });
export const existsSel = (key: string): LabelSelector => ({ matchExpressions: [{ key, operator: 'Exists' }] });

/** Go: `createPodWithAffinityTerms(namespace, nodeName, labels, affinity, antiAffinity)`. */
export function podWithTerms(ns: string, nodeName: string, labels: Record<string, string>, affinity: PodAffinityTerm[] | null, anti: PodAffinityTerm[] | null): Pod {
  const w = makePod().namespace(ns).labels(labels);
  if (nodeName) w.node(nodeName);
  w.pod.spec.affinity = {
    podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: affinity ?? undefined },
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: anti ?? undefined },
  };
  return w.obj();
}

/** Adds a required (anti-)affinity term with this selector (Go: `PodAffinityNotIn` and friends). */
export function required(w: PodWrapper, kind: 'affinity' | 'anti', labelSelector: LabelSelector, topologyKey: string): PodWrapper {
  const a = (w.pod.spec.affinity ??= {});
  const side = kind === 'affinity' ? (a.podAffinity ??= {}) : (a.podAntiAffinity ??= {});
  (side.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ labelSelector, topologyKey });
  return w;
}

/** Adds a preferred (anti-)affinity term (Go: `st.PodAffinity(topologyKey, selector, kind)` with weight). */
export function preferred(w: PodWrapper, kind: 'affinity' | 'anti', weight: number, term: PodAffinityTerm): PodWrapper {
  const a = (w.pod.spec.affinity ??= {});
  const side = kind === 'affinity' ? (a.podAffinity ??= {}) : (a.podAntiAffinity ??= {});
  (side.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term });
  return w;
}

export function node(name: string, labels: Record<string, string>): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name, labels: { ...labels } }, spec: {}, status: {} };
}

export function ns(name: string, labels: Record<string, string> = {}): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

let n = 0;
/** Gives each pod a unique uid and name when the case left them out, as NodeInfo keys pods by uid. */
export function named(pods: Pod[]): Pod[] {
  for (const p of pods) {
    p.metadata.uid ??= `pod-${++n}`;
    p.metadata.name ??= p.metadata.uid;
  }
  return pods;
}

/** PreFilter, then Filter on each node (null when PreFilter does not succeed). */
export function runFilter(pod: Pod, pods: Pod[], nodes: Node[], namespaces: Namespace[] = [], args: InterPodAffinityArgs = {}) {
  const handle = newTestHandle({ pods: named(pods), nodes, namespaces });
  const pl = newInterPodAffinity(args, handle);
  const state = new CycleState();
  const [, pre] = pl.preFilter(state, pod, handle.snapshot.nodeInfoList);
  const filter = pre ? null : handle.snapshot.nodeInfoList.map((ni) => pl.filter(state, pod, ni));
  return { pre, filter, pl, state, handle };
}

/** A status as upstream's tables write it, or null. */
export function st(s: Status | null | undefined): { code: string; reasons: string[] } | null {
  return s ? { code: s.code, reasons: s.allReasons() } : null;
}
