/**
 * Upstream: pkg/scheduler/framework/plugins/nodename/node_name.go (NodeName.Filter, Fits,
 * EventsToRegister) at v1.34. A pod that names a node fits that node only. Modelled with
 * SchedulerQueueingHints on (GA and locked on in v1.34), so only Node/Add is registered.
 */
import type { Node, Pod } from '../../../api/core/v1';
import { ActionType, type ClusterEventWithHint } from '../../framework/events';
import type { Handle, Plugin } from '../../framework/interface';
import { newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';

export const Name = 'NodeName';
export const ErrReason = "node(s) didn't match the requested node name";

/** Go: `Fits`. */
export function fits(pod: Pod, node: Node | null): boolean {
  return !pod.spec.nodeName || pod.spec.nodeName === (node?.metadata.name ?? '');
}

export class NodeName implements Plugin {
  readonly name = Name;

  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    if (!fits(pod, nodeInfo.node)) return newStatus('UnschedulableAndUnresolvable', ErrReason);
    return null;
  }

  /** No hint: a retry on Node/Add is the same as Queue. */
  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add } }];
  }
}

export function newNodeName(_args?: unknown, _handle?: Handle): Plugin {
  return new NodeName();
}
