/**
 * Cluster events and queueing hints: k8s.io/kube-scheduler framework/types.go at v0.34.0
 * (`ActionType`, `EventResource`, `ClusterEvent`, `QueueingHint`) and
 * pkg/scheduler/framework/types.go (`MatchClusterEvents`).
 */
import type { Pod } from '../../api/core/v1';

/** Go's ActionType bits, in upstream's order. */
export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodToleration: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  UpdatePodGeneratedResourceClaim: 1 << 11,
} as const;
const updateNode = ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint | ActionType.UpdateNodeCondition | ActionType.UpdateNodeAnnotation;
const updatePod = ActionType.UpdatePodLabel | ActionType.UpdatePodScaleDown | ActionType.UpdatePodToleration | ActionType.UpdatePodSchedulingGatesEliminated | ActionType.UpdatePodGeneratedResourceClaim;
/** Go: `Update`, `All`. */
export const Update = updateNode | updatePod;
export const All = ActionType.Add | ActionType.Delete | Update;

/** Go: `EventResource` (v0.34.0's strings, group-qualified outside the core group). */
export type EventResource =
  | 'Pod' | 'Node' | 'PersistentVolume' | 'PersistentVolumeClaim'
  | 'storage.k8s.io/CSINode' | 'storage.k8s.io/CSIDriver' | 'storage.k8s.io/VolumeAttachment'
  | 'storage.k8s.io/CSIStorageCapacity' | 'storage.k8s.io/StorageClass'
  | 'resource.k8s.io/ResourceClaim' | 'resource.k8s.io/ResourceSlice' | 'resource.k8s.io/DeviceClass' | '*';

/** Go: `ClusterEvent`. */
export interface ClusterEvent {
  resource: EventResource;
  actionType: number;
  /** Set for the unschedulable-timeout flush and forced activation. */
  customLabel?: string;
}

/** Go: `QueueingHint`. */
export type QueueingHint = 'QueueSkip' | 'Queue';

export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint;

export interface ClusterEventWithHint {
  event: ClusterEvent;
  queueingHintFn?: QueueingHintFn;
}

const actionNames: [number, string][] = Object.entries(ActionType).map(([k, v]) => [v, k]);

/** Go: `ActionType.String`: a single bit's name, `All`, `Update`, or "" for other combinations. */
export function actionTypeString(a: number): string {
  if (a === All) return 'All';
  if (a === Update) return 'Update';
  return actionNames.find(([bit]) => bit === a)?.[1] ?? '';
}

/** Go: `ClusterEvent.Label`. */
export function clusterEventLabel(e: ClusterEvent): string {
  if (e.customLabel) return e.customLabel;
  return `${e.resource}${actionTypeString(e.actionType)}`;
}

/** Whether `incoming` is the same as or more specific than `ce` (Go: `MatchClusterEvents`). */
export function matchClusterEvents(ce: ClusterEvent, incoming: ClusterEvent): boolean {
  if (ce.resource === '*' && ce.actionType === All) return true;
  return (ce.resource === '*' || ce.resource === incoming.resource) && (ce.actionType & incoming.actionType) !== 0 && incoming.actionType <= ce.actionType;
}

/** Go: `UnschedulableTimeout`, `ForceActivate`: the two custom event labels. */
export const UnschedulableTimeout = 'UnschedulableTimeout';
export const ForceActivate = 'ForceActivate';
