/**
 * The prober's results cache: pkg/kubelet/prober/results/results_manager.go (v1.34). One per probe
 * type (liveness, readiness, startup); a worker writes, the sync loop subscribes to changes.
 */
import type { Pod } from '../../api/core/v1';
import type { ProbeResult, ProbeUpdate, ResultsManager } from './types';

// Upstream: results_manager.go (NewManager)
export function newResultsManager(): ResultsManager {
  const cache = new Map<string, ProbeResult>();
  const subscribers = new Set<(u: ProbeUpdate) => void>();
  return {
    get: (containerId) => cache.get(containerId),
    // Upstream: results_manager.go (manager.Set, setInternal): only a change is sent on the channel.
    set(containerId, result, pod: Pod) {
      if (cache.get(containerId) === result) return;
      cache.set(containerId, result);
      const update: ProbeUpdate = { containerId, result, podUid: pod.metadata.uid ?? '' };
      for (const fn of [...subscribers]) fn(update);
    },
    remove: (containerId) => void cache.delete(containerId),
    onUpdate(fn) {
      subscribers.add(fn);
      return () => void subscribers.delete(fn);
    },
  };
}
