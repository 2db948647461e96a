/**
 * When a pod NodeResourcesFit rejected is worth retrying: pkg/scheduler/framework/plugins/
 * noderesources/fit.go at v1.34 (`EventsToRegister`, `isSchedulableAfterPodEvent`,
 * `isSchedulableAfterPodScaleDown`, `isSchedulableAfterNodeChange`).
 */
import type { Node, Pod } from '../../../api/core/v1';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import type { Features } from './features';
import { haveAnyRequestedResourcesIncreased, isFit } from './fits';
import { podRequestAmounts, resourceOfRequests, type ResourceRequestsOptions } from './requests';

function optsOf(features: Features): ResourceRequestsOptions {
  return { enablePodLevelResources: features.enablePodLevelResources };
}

/** null when absent, undefined when not an object of the kind (Go: `schedutil.As` failing). */
function asKind<T extends Pod | Node>(obj: unknown, kind: 'Pod' | 'Node'): T | null | undefined {
  if (obj === undefined || obj === null) return null;
  const o = obj as Partial<Pod & Node>;
  if (typeof obj !== 'object' || !o.metadata || (o.kind !== undefined && o.kind !== kind)) return undefined;
  if (kind === 'Pod' && !o.spec) return undefined;
  return obj as T;
}

/**
 * Pod deletes (and scale-downs, with in-place resize) free room; node adds and allocatable
 * growth add it. Without queueing hints (GA in v1.34, so always on there) the node taint and
 * label updates are registered too, as the pre-check could otherwise drop a Node/Add.
 */
// Upstream: fit.go (Fit.EventsToRegister)
export function fitEvents(features: Features): ClusterEventWithHint[] {
  let podActionType: number = ActionType.Delete;
  if (features.enableInPlacePodVerticalScaling) podActionType |= ActionType.UpdatePodScaleDown;
  let nodeActionType: number = ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel;
  if (features.enableSchedulingQueueHint) nodeActionType = ActionType.Add | ActionType.UpdateNodeAllocatable;
  return [
    { event: { resource: 'Pod', actionType: podActionType }, queueingHintFn: (pod, o, n) => isSchedulableAfterPodEvent(features, pod, o, n) },
    { event: { resource: 'Node', actionType: nodeActionType }, queueingHintFn: (pod, o, n) => isSchedulableAfterNodeChange(features, pod, o, n) },
  ];
}

/** A wrong object type queues the pod, as upstream's error return does. */
// Upstream: fit.go (Fit.isSchedulableAfterPodEvent)
export function isSchedulableAfterPodEvent(features: Features, pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
  const original = asKind<Pod>(oldObj, 'Pod');
  const modified = asKind<Pod>(newObj, 'Pod');
  if (original === undefined || modified === undefined) return 'Queue';
  if (modified === null) {
    if (!original) return 'Queue';
    // An unscheduled, unnominated pod held no room.
    if (!original.spec.nodeName && !original.status?.nominatedNodeName) return 'QueueSkip';
    return 'Queue';
  }
  if (!features.enableInPlacePodVerticalScaling) return 'QueueSkip';
  if (!original || !isSchedulableAfterPodScaleDown(features, pod, original, modified)) return 'QueueSkip';
  return 'Queue';
}

/** The target pod itself shrank, or a scheduled pod gave back some of a resource the target requests. */
// Upstream: fit.go (Fit.isSchedulableAfterPodScaleDown)
function isSchedulableAfterPodScaleDown(features: Features, targetPod: Pod, originalPod: Pod, modifiedPod: Pod): boolean {
  if ((modifiedPod.metadata.uid ?? '') === (targetPod.metadata.uid ?? '')) return true;
  if (!modifiedPod.spec.nodeName) return false;
  const opts = optsOf(features);
  const before = resourceOfRequests(podRequestAmounts(originalPod, opts));
  const after = resourceOfRequests(podRequestAmounts(modifiedPod, opts));
  for (const [name, value] of podRequestAmounts(targetPod, opts)) {
    if (value === 0) continue;
    switch (name) {
      case 'cpu': if (before.milliCPU > after.milliCPU) return true; break;
      case 'memory': if (before.memory > after.memory) return true; break;
      case 'ephemeral-storage': if (before.ephemeralStorage > after.ephemeralStorage) return true; break;
      default:
        if ((before.scalarResources.get(name) ?? 0) > (after.scalarResources.get(name) ?? 0)) return true;
    }
  }
  return false;
}

// Upstream: fit.go (Fit.isSchedulableAfterNodeChange)
export function isSchedulableAfterNodeChange(features: Features, pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
  const original = asKind<Node>(oldObj, 'Node');
  const modified = asKind<Node>(newObj, 'Node');
  if (original === undefined || modified === undefined) return 'Queue';
  const opts = optsOf(features);
  if (!isFit(pod, modified, opts)) return 'QueueSkip';
  if (original === null) return 'Queue';
  if (!haveAnyRequestedResourcesIncreased(pod, original, modified!, opts)) return 'QueueSkip';
  return 'Queue';
}
