/**
 * Upstream: pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
 * (NodeUnschedulable.Filter, EventsToRegister, isSchedulableAfterNodeChange,
 * isSchedulableAfterPodTolerationChange) at v1.34. A cordoned node (spec.unschedulable) takes
 * only pods that tolerate the `node.kubernetes.io/unschedulable:NoSchedule` taint. No PreEnqueue.
 * Modelled with SchedulerQueueingHints on (GA and locked on in v1.34).
 */
import type { Node, Pod, Taint } from '../../../api/core/v1';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import type { Handle, Plugin } from '../../framework/interface';
import { newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import { tolerationsTolerateTaint } from '../helper';

export const Name = 'NodeUnschedulable';
export const ErrReasonUnknownCondition = 'node(s) had unknown conditions';
export const ErrReasonUnschedulable = 'node(s) were unschedulable';
/** Go: `v1.TaintNodeUnschedulable`. */
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable';

const unschedulableTaint: Taint = { key: TaintNodeUnschedulable, effect: 'NoSchedule' };

export class NodeUnschedulable implements Plugin {
  readonly name = Name;

  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    if (!nodeInfo.node?.spec?.unschedulable) return null;
    if (!tolerationsTolerateTaint(pod.spec.tolerations, unschedulableTaint)) {
      return newStatus('UnschedulableAndUnresolvable', ErrReasonUnschedulable);
    }
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint }, queueingHintFn: (p, o, n) => this.isSchedulableAfterNodeChange(p, o, n) },
      { event: { resource: 'Pod', actionType: ActionType.UpdatePodToleration }, queueingHintFn: (p, o, n) => this.isSchedulableAfterPodTolerationChange(p, o, n) },
    ];
  }

  /** Queue when a node became schedulable, or a schedulable node was added. A bad object is Queue (Go: an error). */
  isSchedulableAfterNodeChange(_pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isObject<Node>(newObj) || (oldObj != null && !isObject<Node>(oldObj))) return 'Queue';
    const wasUnschedulable = (oldObj as Node | null | undefined)?.spec?.unschedulable ?? false;
    const isUnschedulable = newObj.spec?.unschedulable ?? false;
    if ((oldObj != null && wasUnschedulable && !isUnschedulable) || (oldObj == null && !isUnschedulable)) return 'Queue';
    return 'QueueSkip';
  }

  /** Queue when this pod itself now tolerates the unschedulable taint. */
  isSchedulableAfterPodTolerationChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    if (!isObject<Pod>(newObj) || (oldObj != null && !isObject<Pod>(oldObj))) return 'Queue';
    if (pod.metadata.uid === newObj.metadata.uid) {
      return tolerationsTolerateTaint(newObj.spec.tolerations, unschedulableTaint) ? 'Queue' : 'QueueSkip';
    }
    return 'QueueSkip';
  }
}

function isObject<T>(o: unknown): o is T {
  return typeof o === 'object' && o !== null && 'metadata' in o;
}

export function newNodeUnschedulable(_args?: unknown, _handle?: Handle): Plugin {
  return new NodeUnschedulable();
}
