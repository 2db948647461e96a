/**
 * apps/v1 DaemonSet as the controller reads it (k8s.io/api v0.34.0 apps/v1/types.go: DaemonSet,
 * DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet, DaemonSetStatus).
 */
import type { LabelSelector } from '../../apimachinery/validation';
import type { ObjectMeta } from '../../core/object';
import type { PodSpec } from '../../api/core/v1';

export type IntOrString = number | string;

export interface DaemonSetUpdateStrategy {
  /** `RollingUpdate` replaces pods as the template changes; `OnDelete` only when a pod is deleted. */
  type?: 'RollingUpdate' | 'OnDelete';
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString };
}

export interface DaemonSetSpec {
  selector?: LabelSelector | null;
  template: { metadata?: ObjectMeta; spec: PodSpec };
  updateStrategy?: DaemonSetUpdateStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

export interface DaemonSetStatus {
  currentNumberScheduled?: number;
  numberMisscheduled?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: unknown[];
}

export interface DaemonSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: DaemonSetSpec;
  status?: DaemonSetStatus;
}

/** The kind the controller owns its pods as (Go: `controllerKind`). */
export const controllerKind = { group: 'apps', version: 'v1', kind: 'DaemonSet' } as const;
/** The daemonsets resource, for the informer factory. */
export const daemonSetsResource = { group: 'apps', version: 'v1', resource: 'daemonsets' } as const;
