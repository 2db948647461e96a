/** scheduling.k8s.io/v1 PriorityClass as plain data (k8s.io/api/scheduling/v1/types.go at v0.34.0). */
import type { ObjectMeta } from '../../core/object';

export interface PriorityClass {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  value: number;
  globalDefault?: boolean;
  description?: string;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
}

/** System priority classes (k8s.io/kubernetes pkg/apis/scheduling/types.go). */
export const SystemClusterCritical = 'system-cluster-critical';
export const SystemNodeCritical = 'system-node-critical';
/** `SystemCriticalPriority`: 2 * HighestUserDefinablePriority. */
export const HighestUserDefinablePriority = 1_000_000_000;
export const SystemCriticalPriority = 2 * HighestUserDefinablePriority;
