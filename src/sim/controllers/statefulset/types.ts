/**
 * apps/v1 StatefulSet as plain data, and the labels the controller sets on its pods.
 * Upstream: k8s.io/api apps/v1 types.go (StatefulSet, StatefulSetSpec, StatefulSetStatus,
 * StatefulSetRevisionLabel, StatefulSetPodNameLabel, PodIndexLabel) at v0.34.0
 */
import type { LabelSelector } from '../../apimachinery/validation';
import type { ObjectMeta } from '../../core/object';
import type { Pod, PodSpec, PersistentVolumeClaim } from '../../api/core/v1';
import type { GroupVersionKind } from '../history';

export type { Pod, PersistentVolumeClaim };

/** `OrderedReady`: one pod at a time, each Running and Ready before the next; `Parallel`: all at once. */
export type PodManagementPolicy = 'OrderedReady' | 'Parallel';
/** `Retain` keeps a pod's claims; `Delete` hands them to the garbage collector through an ownerReference. */
export type RetentionPolicyType = 'Retain' | 'Delete';

export interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelector;
  template: { metadata?: Pick<ObjectMeta, 'labels' | 'annotations' | 'finalizers'>; spec: PodSpec };
  volumeClaimTemplates?: PersistentVolumeClaim[];
  /** The headless Service: each pod's subdomain. */
  serviceName?: string;
  podManagementPolicy?: PodManagementPolicy;
  /** `RollingUpdate` replaces pods from the highest ordinal down to `partition`; `OnDelete` only when someone deletes them. */
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: RetentionPolicyType; whenScaled?: RetentionPolicyType };
  /** The first ordinal (default 0). */
  ordinals?: { start?: number };
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  availableReplicas?: number;
  conditions?: unknown[];
}

export interface StatefulSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}

/** The pod label naming the ControllerRevision a pod was made from. */
export const StatefulSetRevisionLabel = 'controller-revision-hash';
/** The pod label holding the pod's own name (a Service can select one pod). */
export const StatefulSetPodNameLabel = 'statefulset.kubernetes.io/pod-name';
/** The pod label holding the ordinal (PodIndexLabel, GA and always on in v1.34). */
export const PodIndexLabel = 'apps.kubernetes.io/pod-index';

export const controllerKind: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
export const podKind: GroupVersionKind = { group: '', version: 'v1', kind: 'Pod' };
