/**
 * The PodTopologySpread plugin: spreads pods over topology domains by the pod's own constraints,
 * or by the cluster default constraints (System: hostname maxSkew 3 and zone maxSkew 5, both
 * ScheduleAnyway) with a selector from the pod's Services and controller.
 * Upstream: pkg/scheduler/framework/plugins/podtopologyspread/plugin.go, common.go (v1.34:
 * MinDomains, NodeInclusionPolicy and MatchLabelKeys on; SchedulingQueueHint on)
 */
import type { Node, Pod, TopologySpreadConstraint } from '../../../api/core/v1';
import type { CycleState } from '../../framework/cycle_state';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import type { Handle, NodeScore, Plugin, PreFilterExtensions, PreFilterResult, ScoreExtensions, SharedLister } from '../../framework/interface';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo, PodInfo } from '../../framework/types';
import { toAggregate } from '../../../apimachinery/field';
import { defaultPodTopologySpreadArgs, validatePodTopologySpreadArgs, type PodTopologySpreadArgs } from './args';
import { filterTopologySpreadConstraints, nodeLabelsMatchSpreadConstraints, podLabelsMatchSpreadConstraints, type SpreadConstraint } from './common';
import { defaultSelector, type ListersWithSpread } from './default_selector';
import { Name, calPreFilterState, filterNode, getPreFilterState, preFilterStateKey, updateWithPod } from './filtering';
import { PreScoreState, countAllNodes, getPreScoreState, initPreScoreState, normalizeScores, preScoreStateKey, scoreNode } from './scoring';

/** Go: `systemDefaultConstraints`. */
export const systemDefaultConstraints: TopologySpreadConstraint[] = [
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

type Action = TopologySpreadConstraint['whenUnsatisfiable'];

export class PodTopologySpread implements Plugin {
  readonly name = Name;
  readonly systemDefaulted: boolean;
  readonly defaultConstraints: TopologySpreadConstraint[];
  readonly #lister: SharedLister;
  readonly #handle: Handle;

  constructor(args: PodTopologySpreadArgs, handle: Handle) {
    this.#handle = handle;
    this.#lister = handle.snapshotSharedLister();
    this.systemDefaulted = args.defaultingType === 'System';
    this.defaultConstraints = this.systemDefaulted ? systemDefaultConstraints : args.defaultConstraints ?? [];
  }

  /** Go: `buildDefaultConstraints`: none when the pod has no Service or controller selector. */
  buildDefaultConstraints(pod: Pod, action: Action): SpreadConstraint[] {
    const constraints = filterTopologySpreadConstraints(this.defaultConstraints, pod.metadata.labels, action);
    if (constraints.length === 0) return [];
    const selector = defaultSelector(pod, this.#handle.listers() as ListersWithSpread);
    if (selector.empty()) return [];
    return constraints.map((c) => ({ ...c, selector }));
  }

  /** The pod's DoNotSchedule constraints, or the defaulted ones (Go: `getConstraints`). Throws on a bad selector. */
  getConstraints(pod: Pod): SpreadConstraint[] {
    if ((pod.spec.topologySpreadConstraints ?? []).length > 0) {
      try {
        return filterTopologySpreadConstraints(pod.spec.topologySpreadConstraints!, pod.metadata.labels, 'DoNotSchedule');
      } catch (e) {
        throw new Error(`obtaining pod's hard topology spread constraints: ${(e as Error).message}`);
      }
    }
    try {
      return this.buildDefaultConstraints(pod, 'DoNotSchedule');
    } catch (e) {
      throw new Error(`setting default hard topology spread constraints: ${(e as Error).message}`);
    }
  }

  preFilter(state: CycleState, pod: Pod, nodes: NodeInfo[]): [PreFilterResult | null, MaybeStatus] {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.getConstraints(pod);
    } catch (e) {
      return [null, asStatus(new Error(`get constraints from pod: ${(e as Error).message}`))];
    }
    if (constraints.length === 0) return [null, newStatus('Skip')];
    state.write(preFilterStateKey, calPreFilterState(pod, constraints, nodes));
    return [null, null];
  }

  preFilterExtensions(): PreFilterExtensions {
    const update = (state: CycleState, podToSchedule: Pod, pi: PodInfo, nodeInfo: NodeInfo, delta: 1 | -1): MaybeStatus => {
      try {
        updateWithPod(getPreFilterState(state), pi.pod, podToSchedule, nodeInfo.node, delta);
      } catch (e) {
        return asStatus(e);
      }
      return null;
    };
    return {
      addPod: (state, podToSchedule, pi, nodeInfo) => update(state, podToSchedule, pi, nodeInfo, 1),
      removePod: (state, podToSchedule, pi, nodeInfo) => update(state, podToSchedule, pi, nodeInfo, -1),
    };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    return filterNode(state, pod, nodeInfo);
  }

  preScore(state: CycleState, pod: Pod, filteredNodes: NodeInfo[]): MaybeStatus {
    const allNodes = this.#lister.nodeInfos().list();
    if (allNodes.length === 0) return newStatus('Skip');
    const s = new PreScoreState();
    const hasOwn = (pod.spec.topologySpreadConstraints ?? []).length > 0;
    // Only the cluster's own System defaults let nodes without a zone label still spread by hostname.
    const requireAllTopologies = hasOwn || !this.systemDefaulted;
    try {
      s.constraints = hasOwn
        ? wrap('obtaining pod\'s soft topology spread constraints', () => filterTopologySpreadConstraints(pod.spec.topologySpreadConstraints!, pod.metadata.labels, 'ScheduleAnyway'))
        : wrap('setting default soft topology spread constraints', () => this.buildDefaultConstraints(pod, 'ScheduleAnyway'));
    } catch (e) {
      return asStatus(new Error(`calculating preScoreState: ${(e as Error).message}`));
    }
    initPreScoreState(s, filteredNodes, requireAllTopologies);
    if (s.constraints.length === 0) return newStatus('Skip');
    countAllNodes(s, pod, allNodes, requireAllTopologies);
    state.write(preScoreStateKey, s);
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): [number, MaybeStatus] {
    try {
      return [scoreNode(getPreScoreState(state), pod, nodeInfo), null];
    } catch (e) {
      return [0, asStatus(e)];
    }
  }

  scoreExtensions(): ScoreExtensions {
    return {
      normalizeScore: (state: CycleState, _pod: Pod, scores: NodeScore[]) => {
        try {
          normalizeScores(getPreScoreState(state), scores);
        } catch (e) {
          return asStatus(e);
        }
        return null;
      },
    };
  }

  /** Go: `EventsToRegister` with SchedulingQueueHint on (v1.34's default), hence UpdatePodToleration. */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.UpdatePodToleration | ActionType.Delete },
        queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterPodChange(pod, oldObj as Pod | null, newObj as Pod | null),
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
        queueingHintFn: (pod, oldObj, newObj) => this.isSchedulableAfterNodeChange(pod, oldObj as Node | null, newObj as Node | null),
      },
    ];
  }

  /** Go: `isSchedulableAfterPodChange`. */
  isSchedulableAfterPodChange(pod: Pod, originalPod: Pod | null | undefined, modifiedPod: Pod | null | undefined): QueueingHint {
    if ((modifiedPod && !involvedInTopologySpreading(modifiedPod, pod)) || (originalPod && !involvedInTopologySpreading(originalPod, pod))) return 'QueueSkip';
    let constraints: SpreadConstraint[];
    try {
      constraints = this.getConstraints(pod);
    } catch {
      return 'Queue';
    }
    if (modifiedPod && originalPod) {
      if (pod.metadata.uid === modifiedPod.metadata.uid && !deepEqual(modifiedPod.spec.tolerations, originalPod.spec.tolerations)
        && constraints.some((c) => c.nodeTaintsPolicy === 'Honor')) return 'Queue';
      if (deepEqual(modifiedPod.metadata.labels, originalPod.metadata.labels)) return 'QueueSkip';
      for (const c of constraints) {
        if (c.selector.matches(originalPod.metadata.labels ?? {}) !== c.selector.matches(modifiedPod.metadata.labels ?? {})) return 'Queue';
      }
      return 'QueueSkip';
    }
    if (modifiedPod) return podLabelsMatchSpreadConstraints(constraints, modifiedPod.metadata.labels) ? 'Queue' : 'QueueSkip';
    return originalPod && podLabelsMatchSpreadConstraints(constraints, originalPod.metadata.labels) ? 'Queue' : 'QueueSkip';
  }

  /** Go: `isSchedulableAfterNodeChange`. */
  isSchedulableAfterNodeChange(pod: Pod, originalNode: Node | null | undefined, modifiedNode: Node | null | undefined): QueueingHint {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.getConstraints(pod);
    } catch {
      return 'Queue';
    }
    const origMatch = !!originalNode && nodeLabelsMatchSpreadConstraints(originalNode.metadata.labels, constraints);
    const modMatch = !!modifiedNode && nodeLabelsMatchSpreadConstraints(modifiedNode.metadata.labels, constraints);
    if (originalNode && modifiedNode) {
      if (origMatch !== modMatch) return 'Queue';
      const o = originalNode.metadata.labels ?? {};
      const m = modifiedNode.metadata.labels ?? {};
      const keysChanged = constraints.some((c) => o[c.topologyKey] !== m[c.topologyKey]);
      if (modMatch && (keysChanged || !deepEqual(originalNode.spec?.taints, modifiedNode.spec?.taints))) return 'Queue';
      return 'QueueSkip';
    }
    if (modifiedNode) return modMatch ? 'Queue' : 'QueueSkip';
    return origMatch ? 'Queue' : 'QueueSkip';
  }
}

function wrap<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Error(`${prefix}: ${(e as Error).message}`);
  }
}

/** Go: `involvedInTopologySpreading`: the pod itself, or a scheduled pod in its namespace. */
function involvedInTopologySpreading(incomingPod: Pod, podWithSpreading: Pod): boolean {
  return incomingPod.metadata.uid === podWithSpreading.metadata.uid
    || (!!incomingPod.spec.nodeName && (incomingPod.metadata.namespace ?? '') === (podWithSpreading.metadata.namespace ?? ''));
}

/** equality.Semantic.DeepEqual for plain data: a nil and an empty slice or map are equal, as there. */
function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v: unknown): unknown {
  if (v == null) return null;
  if (Array.isArray(v)) return v.length ? v.map(canonical) : null;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    if (!keys.length) return null;
    return keys.map((k) => [k, canonical((v as Record<string, unknown>)[k])]);
  }
  return v;
}

/** Go: `New`: validates the (defaulted) args; throws the aggregated field errors. */
export function newPodTopologySpread(args: unknown, handle: Handle): PodTopologySpread {
  const a = defaultPodTopologySpreadArgs((args ?? {}) as PodTopologySpreadArgs);
  const agg = toAggregate(validatePodTopologySpreadArgs(null, a));
  if (agg) throw agg;
  return new PodTopologySpread(a, handle);
}
