/**
 * Upstream: pkg/scheduler/framework/plugins/nodeports/node_ports.go (NodePorts.PreFilter, Filter,
 * fitsPorts, EventsToRegister, isSchedulableAfterPodDeleted) at v1.34. PreFilter stores the pod's
 * host ports (containers' and restartable init containers', pkg/scheduler/util GetHostPorts) and
 * skips a pod without any; Filter checks each against the node's used ports, where 0.0.0.0
 * conflicts with every IP. Modelled with SchedulerQueueingHints on (GA and locked on in v1.34).
 */
import type { Pod } from '../../../api/core/v1';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import type { CycleState } from '../../framework/cycle_state';
import type { Handle, Plugin, PreFilterResult } from '../../framework/interface';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';
import { HostPortInfo, getHostPorts, type NodeInfo } from '../../framework/types';

export const Name = 'NodePorts';
export const ErrReason = "node(s) didn't have free ports for the requested pod ports";
const preFilterStateKey = 'PreFilter' + Name;

type WantPorts = ReturnType<typeof getHostPorts>;

/** Go: `fitsPorts`: no wanted port conflicts with the ports in use. */
export function fitsPorts(wantPorts: WantPorts, portsInUse: HostPortInfo): boolean {
  return wantPorts.every((p) => !portsInUse.checkConflict(p.hostIP, p.protocol, p.hostPort));
}

/** Go: `Fits`. */
export function fits(pod: Pod, nodeInfo: NodeInfo): boolean {
  return fitsPorts(getHostPorts(pod), nodeInfo.usedPorts);
}

export class NodePorts implements Plugin {
  readonly name = Name;

  preFilter(state: CycleState, pod: Pod): [PreFilterResult | null, MaybeStatus] {
    const ports = getHostPorts(pod);
    if (ports.length === 0) return [null, newStatus('Skip')];
    state.write(preFilterStateKey, ports);
    return [null, null];
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const want = state.tryRead<WantPorts>(preFilterStateKey);
    if (want === undefined) return asStatus(new Error(`reading "${preFilterStateKey}" from cycleState: not found`));
    return fitsPorts(want, nodeInfo.usedPorts) ? null : newStatus('Unschedulable', ErrReason);
  }

  /** Container ports are immutable, so pod updates are not registered; Node/Add has no hint (same as Queue). */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actionType: ActionType.Delete }, queueingHintFn: (p, o, n) => this.isSchedulableAfterPodDeleted(p, o, n) },
      { event: { resource: 'Node', actionType: ActionType.Add } },
    ];
  }

  /** Queue only when the deleted pod was placed (or nominated) and held a port this pod wants. */
  isSchedulableAfterPodDeleted(pod: Pod, oldObj: unknown, _newObj: unknown): QueueingHint {
    if (typeof oldObj !== 'object' || oldObj === null || !('spec' in oldObj)) return 'Queue';
    const deleted = oldObj as Pod;
    if (!deleted.spec.nodeName && !deleted.status?.nominatedNodeName) return 'QueueSkip';
    const ports = getHostPorts(deleted);
    if (ports.length === 0) return 'QueueSkip';
    const inUse = new HostPortInfo();
    for (const p of ports) inUse.add(p.hostIP, p.protocol, p.hostPort);
    return fitsPorts(getHostPorts(pod), inUse) ? 'QueueSkip' : 'Queue';
  }
}

export function newNodePorts(_args?: unknown, _handle?: Handle): Plugin {
  return new NodePorts();
}
