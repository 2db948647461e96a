/**
 * apps/v1 ReplicaSet as the API serves it (k8s.io/api v0.34.0 apps/v1/types.go): times are RFC 3339
 * strings, as on the wire. (`deployment/types.ts` keeps a ms-time view for the pure helpers.)
 */
import type { LabelSelector } from '../../apimachinery/validation';
import type { ObjectMeta } from '../../core/object';
import type { PodSpec } from '../../api/core/v1';

/** v1.PodTemplateSpec. */
export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec: PodSpec;
}

export interface ReplicaSetSpec {
  /** Defaulted to 1 by the API server. */
  replicas?: number;
  minReadySeconds?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
}

/** The only condition type upstream defines. Upstream: apps/v1 (ReplicaSetReplicaFailure) */
export const ReplicaSetReplicaFailure = 'ReplicaFailure';

export interface ReplicaSetCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  /** Alpha in v1.34 (DeploymentReplicaSetTerminatingReplicas, off by default): never written here. */
  terminatingReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

export interface ReplicaSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

/** `*rs.Spec.Replicas` (the server defaults it to 1). */
export const specReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 1;
