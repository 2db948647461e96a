/**
 * SchedulingGates: a pod with `spec.schedulingGates` waits outside activeQ until they are gone.
 * Upstream: pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go (PreEnqueue, EventsToRegister)
 */
import type { Pod } from '../../../api/core/v1';
import { ActionType, type ClusterEventWithHint } from '../../framework/events';
import type { Plugin } from '../../framework/interface';
import { newStatus, type MaybeStatus } from '../../framework/status';

export const Name = 'SchedulingGates';

export function newSchedulingGates(): Plugin {
  return {
    name: Name,
    preEnqueue(pod: Pod): MaybeStatus {
      const gates = (pod.spec.schedulingGates ?? []).map((g) => g.name);
      if (gates.length === 0) return null;
      return newStatus('UnschedulableAndUnresolvable', `waiting for scheduling gates: [${gates.join(' ')}]`);
    },
    eventsToRegister(): ClusterEventWithHint[] {
      return [{
        event: { resource: 'Pod', actionType: ActionType.UpdatePodSchedulingGatesEliminated },
        queueingHintFn: (_pod, _old, newObj) => ((newObj as Pod | undefined)?.spec.schedulingGates?.length ? 'QueueSkip' : 'Queue'),
      }];
    },
  };
}
