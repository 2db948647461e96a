/**
 * Test scaffolding after upstream's tf.RegisterFilterPlugin / tf fake plugins
 * (pkg/scheduler/testing/framework/fake_plugins.go, fake_extender.go), the real NodeResourcesFit
 * where upstream registers it, and a recording handle in place of the fake clientset.
 */
import type { Pod, ResourceList } from '../../../api/core/v1';
import type { PodDisruptionBudget } from '../../../api/policy/v1';
import type { KubeSchedulerProfile } from '../../config/types';
import type { CycleState } from '../../framework/cycle_state';
import { NodeToStatus } from '../../framework/diagnosis';
import type { NodeInfoLister, Plugin, PluginRegistration, Registry } from '../../framework/interface';
import type { PreemptionExtender, PreemptionHandle, PreemptionReason, Victims } from '../../framework/preemption';
import { Framework } from '../../framework/runtime/framework';
import { asStatus, newStatus, type Code, type MaybeStatus, type Status } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import { newFit } from '../noderesources';
import { newTestHandle, type TestObjects } from '../../testing/handle';
import type { DefaultPreemptionArgs } from './args';
import { newDefaultPreemption, type DefaultPreemption, type Features } from './default_preemption';

export const negPriority = -100;
export const lowPriority = 0;
export const midPriority = 100;
export const highPriority = 1000;
export const veryHighPriority = 10000;

export const smallRes: ResourceList = { cpu: '100m', memory: '100' };
export const mediumRes: ResourceList = { cpu: '200m', memory: '200' };
export const largeRes: ResourceList = { cpu: '300m', memory: '300' };
export const veryLargeRes: ResourceList = { cpu: '500m', memory: '500' };

/** Go: `metav1.NewTime(time.Unix(0, n))`. */
export const epochTime = (n = 0): string => `1970-01-01T00:00:00.${String(n).padStart(9, '0')}Z`;

/** NodeResourcesFit (Filter and PreFilter), as upstream's tests register it (Go: `nodeResourcesFitFunc`). */
export function newFitFilter(): Plugin {
  return newFit(undefined);
}

/** Go: `tf.ErrReasonFake`. */
export const ErrReasonFake = 'Nodes failed the fake plugin';

/** Go: `tf.NewTrueFilterPlugin`. */
export const trueFilter = (): Plugin => ({ name: 'TrueFilter', filter: () => null });
/** Go: `tf.NewFalseFilterPlugin`. */
export const falseFilter = (): Plugin => ({ name: 'FalseFilter', filter: () => newStatus('Unschedulable', ErrReasonFake) });
/** Go: `tf.NewMatchFilterPlugin`: fits only the node named like the pod. */
export const matchFilter = (): Plugin => ({
  name: 'MatchFilter',
  filter: (_s, pod, nodeInfo) => (nodeInfo.name === pod.metadata.name ? null : newStatus('Unschedulable', ErrReasonFake)),
});

/** Go: `tf.FakeFilterPlugin`: counts calls, fails the nodes in the map with the code given. */
export function fakeFilter(failedNodeReturnCodeMap: Record<string, Code> = {}): Plugin & { numFilterCalled: number } {
  const pl = {
    name: 'FakeFilter',
    numFilterCalled: 0,
    filter(_s: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
      pl.numFilterCalled++;
      const code = failedNodeReturnCodeMap[nodeInfo.name];
      if (code !== undefined) return newStatus(code, `injecting failure for pod ${pod.metadata.name}`);
      return null;
    },
  };
  return pl;
}

/** Upstream's TestPlugin: AddPod/RemovePod fail on nodes labelled error=true. */
export function errorOnLabelPlugin(): Plugin {
  const fails = (nodeInfo: NodeInfo): boolean => nodeInfo.node?.metadata.labels?.error === 'true';
  return {
    name: 'test-plugin',
    preFilter: () => [null, null],
    filter: () => null,
    preFilterExtensions: () => ({
      addPod: (_s, pod, _pi, nodeInfo) => (fails(nodeInfo) ? asStatus(new Error(`failed to add pod: ${pod.metadata.name}`)) : null),
      removePod: (_s, pod, _pi, nodeInfo) => (fails(nodeInfo) ? asStatus(new Error(`failed to remove pod: ${pod.metadata.name}`)) : null),
    }),
  };
}

/** What the fake API server saw. */
export interface ApiCalls {
  deleted: { pod: Pod; reason: PreemptionReason }[];
  cleared: Pod[];
}

export interface PreemptionTestObjects extends TestObjects {
  /** Pod names whose deletion fails. */
  failDelete?: string[];
  extenders?: PreemptionExtender[];
  /** The offsets Go's seeded rand would draw (upstream seeds getOffsetRand with 4). */
  offsets?: number[];
}

/** newTestHandle plus a recording deletePod/clearNominatedNodeName, extenders and activate. */
export function newPreemptionHandle(o: PreemptionTestObjects = {}): PreemptionHandle & { calls: ApiCalls; activated: Pod[] } {
  const base = newTestHandle(o);
  const calls: ApiCalls = { deleted: [], cleared: [] };
  const activated: Pod[] = [];
  const offsets = o.offsets ? [...o.offsets] : null;
  return {
    ...base,
    calls,
    activated,
    rng: () => (offsets ? { int: () => offsets.shift() ?? 0 } : base.rng()),
    deletePod: async (pod, reason) => {
      if (o.failDelete?.includes(pod.metadata.name ?? '')) throw new Error(`delete pod failed`);
      calls.deleted.push({ pod, reason: reason as PreemptionReason });
    },
    clearNominatedNodeName: async (pod) => {
      calls.cleared.push(pod);
    },
    preemptionExtenders: () => o.extenders ?? [],
    activate: (pods) => activated.push(...pods),
  };
}

export interface PluginAt {
  plugin: Plugin;
  points: ('preFilter' | 'filter' | 'postFilter' | 'preEnqueue')[];
}

const queueSort: Plugin = { name: 'PrioritySort', less: () => false };
const binder: Plugin = { name: 'DefaultBinder', bind: () => null };

/** A profile with the plugins at their points, plus a queue sort and a binder (Go: tf.NewFramework). */
export function newFramework(handle: PreemptionHandle, plugins: PluginAt[], extra: { name: string; registration: PluginRegistration; points: PluginAt['points'] }[] = []): Framework {
  const registry: Registry = new Map();
  const profile: KubeSchedulerProfile = { schedulerName: 'default-scheduler', plugins: { queueSort: { enabled: [{ name: queueSort.name }] }, bind: { enabled: [{ name: binder.name }] } } };
  registry.set(queueSort.name, { factory: () => queueSort });
  registry.set(binder.name, { factory: () => binder });
  const enable = (name: string, points: PluginAt['points']): void => {
    for (const p of points) (profile.plugins![p] ??= { enabled: [] }).enabled!.push({ name });
  };
  for (const { plugin, points } of plugins) {
    registry.set(plugin.name, { factory: () => plugin });
    enable(plugin.name, points);
  }
  for (const e of extra) {
    registry.set(e.name, e.registration);
    enable(e.name, e.points);
  }
  return new Framework(profile, { registry, handle });
}

/** A PDB over `matchLabels` (Go: st.MakePDB / policy.PodDisruptionBudget literals). */
export function pdb(name: string, matchLabels: Record<string, string>, disruptionsAllowed: number, disruptedPods?: Record<string, string>): PodDisruptionBudget {
  return {
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels } },
    status: { disruptionsAllowed, ...(disruptedPods ? { disruptedPods } : {}) },
  };
}

export interface Setup extends PreemptionTestObjects {
  plugins: PluginAt[];
  args?: DefaultPreemptionArgs;
  features?: Features;
}

/** A framework with the plugins and DefaultPreemption (PostFilter, PreEnqueue), over a recording handle. */
export function setup(o: Setup): { handle: ReturnType<typeof newPreemptionHandle>; fwk: Framework; pl: DefaultPreemption } {
  const handle = newPreemptionHandle(o);
  const registration: PluginRegistration = { factory: (args, h) => newDefaultPreemption(args ?? o.args, h as PreemptionHandle, o.features) };
  const fwk = newFramework(handle, o.plugins, [{ name: 'DefaultPreemption', registration, points: ['postFilter', 'preEnqueue'] }]);
  return { handle, fwk, pl: fwk.pluginsMap.get('DefaultPreemption') as DefaultPreemption };
}

/** Go: `framework.NewNodeToStatus(map, absent)`. */
export function nodeToStatus(statuses: Record<string, Status>, absent: Status = newStatus('UnschedulableAndUnresolvable')): NodeToStatus {
  const m = new NodeToStatus();
  for (const [k, v] of Object.entries(statuses)) m.set(k, v);
  m.setAbsentNodesStatus(absent);
  return m;
}

/**
 * Go: `tf.FakeExtender` with one predicate: a node the predicate passes keeps its victims,
 * the others are dropped ('error' makes the call fail).
 */
export function fakeExtender(name: string, predicate: (node: string) => boolean | 'error', opts: { ignorable?: boolean; unInterested?: boolean } = {}): PreemptionExtender {
  return {
    name,
    ignorable: opts.ignorable,
    supportsPreemption: () => true,
    isInterested: () => !opts.unInterested,
    processPreemption(_pod: Pod, victims: Map<string, Victims>, _nodes: NodeInfoLister): Map<string, Victims | null> {
      const out = new Map<string, Victims | null>();
      for (const [node, v] of victims) {
        const ok = predicate(node);
        if (ok === 'error') throw new Error('some error');
        if (ok) out.set(node, v);
      }
      return out;
    },
  };
}

/** Go: tf.TruePredicateExtender, FalsePredicateExtender, Node1PredicateExtender, ErrorPredicateExtender. */
export const truePredicate = (): boolean => true;
export const falsePredicate = (): boolean => false;
export const node1Predicate = (node: string): boolean => node === 'node1';
export const errorPredicate = (): 'error' => 'error';
