// apps/v1 Deployment and ReplicaSet as plain data: only the fields the deployment helpers read.
import type { LabelSelector } from '../../apimachinery/validation';
import type { ObjectMeta } from '../../core/object';

/** intstr.IntOrString: a number, or a string that should be a percentage ("25%"). */
export type IntOrString = number | string;

export type DeploymentStrategyType = 'RollingUpdate' | 'Recreate';
export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type DeploymentConditionType = 'Available' | 'Progressing' | 'ReplicaFailure';

export interface DeploymentCondition {
  type: DeploymentConditionType | string;
  status: ConditionStatus;
  /** Times are ms on the injected clock (upstream: metav1.Time). */
  lastUpdateTime?: number;
  lastTransitionTime?: number;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  terminatingReplicas?: number;
  collisionCount?: number;
  conditions?: DeploymentCondition[];
}

/** v1.PodTemplateSpec: metadata plus a spec compared as plain data. */
export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
}

export interface DeploymentSpec {
  /** Defaulted to 1 by the API server; absent reads as 1 here too. */
  replicas?: number;
  selector?: LabelSelector;
  template: PodTemplateSpec;
  strategy?: {
    type?: DeploymentStrategyType | string;
    rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString };
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface Deployment {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

export interface ReplicaSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { replicas?: number; minReadySeconds?: number; selector?: unknown; template: PodTemplateSpec };
  status?: {
    replicas?: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    terminatingReplicas?: number;
    observedGeneration?: number;
    conditions?: { type: string; status: ConditionStatus; lastTransitionTime?: number; reason?: string; message?: string }[];
  };
}

/** apps.DefaultDeploymentUniqueLabelKey. */
export const DefaultDeploymentUniqueLabelKey = 'pod-template-hash';

/** `*deployment.Spec.Replicas` (the API server defaults it to 1). */
export function specReplicas(d: Deployment): number {
  return d.spec.replicas ?? 1;
}

/** `*rs.Spec.Replicas`. */
export function rsReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 1;
}
