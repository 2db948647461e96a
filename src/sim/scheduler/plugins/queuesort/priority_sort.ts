/**
 * Upstream: pkg/scheduler/framework/plugins/queuesort/priority_sort.go (PrioritySort.Less) at v1.34.
 * The activeQ pops the higher-priority pod first; between equal priorities, the one queued earlier.
 */
import type { Pod } from '../../../api/core/v1';
import type { Handle, Plugin, QueuedPodInfo } from '../../framework/interface';

export const Name = 'PrioritySort';

/** Go: component-helpers `corev1helpers.PodPriority`: spec.priority, or 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

export class PrioritySort implements Plugin {
  readonly name = Name;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const p1 = podPriority(a.podInfo.pod);
    const p2 = podPriority(b.podInfo.pod);
    return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
  }
}

export function newPrioritySort(_args?: unknown, _handle?: Handle): Plugin {
  return new PrioritySort();
}
