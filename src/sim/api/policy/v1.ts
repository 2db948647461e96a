/** policy/v1 PodDisruptionBudget as plain data (k8s.io/api/policy/v1/types.go at v0.34.0). */
import type { ObjectMeta } from '../../core/object';
import type { LabelSelector } from '../../apimachinery/validation';

export interface PodDisruptionBudget {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    selector?: LabelSelector | null;
    unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
  };
  status?: {
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
    /** Pods already evicted but not yet gone: name -> time. */
    disruptedPods?: Record<string, string>;
    observedGeneration?: number;
  };
}
