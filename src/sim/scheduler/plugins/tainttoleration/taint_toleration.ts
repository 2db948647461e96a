/**
 * Upstream: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go (TaintToleration.Filter,
 * PreScore, Score, NormalizeScore, EventsToRegister, isSchedulableAfterNodeChange,
 * isSchedulableAfterPodTolerationChange) at v1.34.
 * Filter: the first NoSchedule/NoExecute taint no toleration tolerates rejects the node.
 * Score: the count of PreferNoSchedule taints the pod does not tolerate, normalized in reverse
 * (fewer is better). Modelled with SchedulerQueueingHints on (GA and locked on in v1.34).
 * The reason prints the taint as `{key: value}`, as v1.34.0 does; kubernetes#134740 (cherry-picked
 * into later 1.34 patch releases, #135023) replaced it with "node(s) had untolerated taint(s)" to keep
 * taint values out of pod statuses. The Gt/Lt toleration operators (1.35 alpha) are not modelled.
 */
import type { Node, Pod, Taint, Toleration } from '../../../api/core/v1';
import type { CycleState } from '../../framework/cycle_state';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import { MaxNodeScore, type Handle, type NodeScore, type Plugin, type ScoreExtensions } from '../../framework/interface';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import { defaultNormalizeScore, findMatchingUntoleratedTaint, taintKeyValue, tolerationsTolerateTaint } from '../helper';

export const Name = 'TaintToleration';
const preScoreStateKey = 'PreScore' + Name;
/** Go: `ErrReasonNotMatch`, kept for the framework's diagnosis. */
export const ErrReasonNotMatch = "node(s) had taints that the pod didn't tolerate";

/** Go: helper `DoNotScheduleTaintsFilterFunc`. */
export function doNotScheduleTaintsFilter(t: Taint): boolean {
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}

export class TaintToleration implements Plugin, ScoreExtensions {
  readonly name = Name;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const taint = findMatchingUntoleratedTaint(nodeInfo.node?.spec?.taints, pod.spec.tolerations, doNotScheduleTaintsFilter);
    if (!taint) return null;
    return newStatus('UnschedulableAndUnresolvable', `node(s) had untolerated taint ${taintKeyValue(taint)}`);
  }

  preScore(state: CycleState, pod: Pod): MaybeStatus {
    state.write(preScoreStateKey, tolerationsPreferNoSchedule(pod.spec.tolerations));
    return null;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): [number, MaybeStatus] {
    const tolerations = state.tryRead<Toleration[]>(preScoreStateKey);
    if (tolerations === undefined) return [0, asStatus(new Error(`failed to read "${preScoreStateKey}" from cycleState: not found`))];
    return [countIntolerablePreferNoSchedule(nodeInfo.node?.spec?.taints, tolerations), null];
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): MaybeStatus {
    return defaultNormalizeScore(MaxNodeScore, true, scores);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint }, queueingHintFn: (p, o, n) => this.isSchedulableAfterNodeChange(p, o, n) },
      { event: { resource: 'Pod', actionType: ActionType.UpdatePodToleration }, queueingHintFn: (p, o, n) => this.isSchedulableAfterPodTolerationChange(p, o, n) },
    ];
  }

  /** Queue when the node went from having an untolerated NoSchedule/NoExecute taint to having none. */
  isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isObject<Node>(newObj) || (oldObj != null && !isObject<Node>(oldObj))) return 'Queue';
    const untolerated = (n: Node) => findMatchingUntoleratedTaint(n.spec?.taints, pod.spec.tolerations, doNotScheduleTaintsFilter) !== undefined;
    const wasUntolerated = oldObj != null ? untolerated(oldObj as Node) : true;
    return wasUntolerated && !untolerated(newObj) ? 'Queue' : 'QueueSkip';
  }

  /** Queue when the rejected pod itself got a new toleration. */
  isSchedulableAfterPodTolerationChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isObject<Pod>(newObj) || (oldObj != null && !isObject<Pod>(oldObj))) return 'Queue';
    return pod.metadata.uid === newObj.metadata.uid ? 'Queue' : 'QueueSkip';
  }
}

/** Go: `getAllTolerationPreferNoSchedule`: an empty effect covers PreferNoSchedule too. */
function tolerationsPreferNoSchedule(tolerations: Toleration[] | undefined): Toleration[] {
  return (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

/** Go: `countIntolerableTaintsPreferNoSchedule`. */
function countIntolerablePreferNoSchedule(taints: Taint[] | undefined, tolerations: Toleration[]): number {
  let n = 0;
  if (taints) for (const t of taints) if (t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, t)) n++;
  return n;
}

function isObject<T>(o: unknown): o is T {
  return typeof o === 'object' && o !== null && 'metadata' in o;
}

export function newTaintToleration(_args?: unknown, _handle?: Handle): Plugin {
  return new TaintToleration();
}
