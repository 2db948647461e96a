/**
 * Pod identity, storage, revisions and status helpers of the StatefulSet controller: a pod's name
 * is `<set>-<ordinal>`, its claims `<template>-<set>-<ordinal>`, its revision a label; a revision's
 * data is the pod template as a strategic-merge patch that replaces it.
 * Upstream: pkg/controller/statefulset/stateful_set_utils.go (kubernetes v1.34);
 * pkg/controller/controller_utils.go (GetPodFromTemplate); pkg/api/v1/pod/util.go (IsPodAvailable)
 */
import type { OwnerReference } from '../../core/object';
import { deepCopy } from '../../core/object';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { newControllerRef, newControllerRevision, type ControllerRevision, type GroupVersionKind } from '../history';
import { controllerKind, PodIndexLabel, podKind, StatefulSetPodNameLabel, StatefulSetRevisionLabel, type Pod, type PersistentVolumeClaim, type StatefulSet, type StatefulSetStatus } from './types';

type Named = { metadata: { name?: string; uid?: string; ownerReferences?: OwnerReference[] } };

const statefulPodRegex = /^(.*)-([0-9]+)$/;

/** The parent set's name and the ordinal from a pod's name; `['', -1]` when it has none. */
// Upstream: stateful_set_utils.go (getParentNameAndOrdinal)
export function getParentNameAndOrdinal(pod: Named): [string, number] {
  const m = statefulPodRegex.exec(pod.metadata.name ?? '');
  if (!m) return ['', -1];
  // strconv.ParseInt(s, 10, 32): out of int32 range is an error, and the ordinal stays -1.
  const n = Number(m[2]);
  return [m[1], n <= 2147483647 ? n : -1];
}

export const getParentName = (pod: Named): string => getParentNameAndOrdinal(pod)[0];
export const getOrdinal = (pod: Named): number => getParentNameAndOrdinal(pod)[1];

/** The first ordinal: `spec.ordinals.start`, or 0. */
// Upstream: stateful_set_utils.go (getStartOrdinal)
export const getStartOrdinal = (set: StatefulSet): number => set.spec.ordinals?.start ?? 0;
/** The last ordinal, inclusive. */
// Upstream: stateful_set_utils.go (getEndOrdinal)
export const getEndOrdinal = (set: StatefulSet): number => getStartOrdinal(set) + (set.spec.replicas ?? 1) - 1;

// Upstream: stateful_set_utils.go (podInOrdinalRange)
export function podInOrdinalRange(pod: Named, set: StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= getStartOrdinal(set) && o <= getEndOrdinal(set);
}

// Upstream: stateful_set_utils.go (getPodName)
export const getPodName = (set: StatefulSet, ordinal: number): string => `${set.metadata.name}-${ordinal}`;

// Upstream: stateful_set_utils.go (getPersistentVolumeClaimName)
export const getPersistentVolumeClaimName = (set: StatefulSet, claim: PersistentVolumeClaim, ordinal: number): string => `${claim.metadata.name}-${set.metadata.name}-${ordinal}`;

// Upstream: stateful_set_utils.go (isMemberOf)
export const isMemberOf = (set: StatefulSet, pod: Named): boolean => getParentName(pod) === set.metadata.name;

/** The pod's name, namespace and pod-name label fit its ordinal in this set. */
// Upstream: stateful_set_utils.go (identityMatches)
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const [parent, ordinal] = getParentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    set.metadata.name === parent &&
    pod.metadata.name === getPodName(set, ordinal) &&
    (pod.metadata.namespace ?? '') === (set.metadata.namespace ?? '') &&
    pod.metadata.labels?.[StatefulSetPodNameLabel] === pod.metadata.name
  );
}

/** Every claim template has a volume of the same name using this ordinal's claim. */
// Upstream: stateful_set_utils.go (storageMatches)
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec.volumeClaimTemplates ?? []).every((claim) => volumes.get(claim.metadata.name ?? '')?.persistentVolumeClaim?.claimName === getPersistentVolumeClaimName(set, claim, ordinal));
}

/** The set's retention policy, Retain/Retain when unset. */
// Upstream: stateful_set_utils.go (getPersistentVolumeClaimRetentionPolicy)
export function getPersistentVolumeClaimRetentionPolicy(set: StatefulSet): { whenDeleted: string; whenScaled: string } {
  const p = set.spec.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted ?? 'Retain', whenScaled: p?.whenScaled ?? 'Retain' };
}

const gv = (gvk: GroupVersionKind) => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);

/** The reference names `obj` by kind and name (any uid). */
// Upstream: stateful_set_utils.go (matchesRef)
export const matchesRef = (ref: OwnerReference, obj: Named, gvk: GroupVersionKind): boolean => gv(gvk) === ref.apiVersion && gvk.kind === ref.kind && ref.name === obj.metadata.name;

/** Under a non-Retain policy: a reference to an older set or pod of the same name, or another controller. */
// Upstream: stateful_set_utils.go (hasUnexpectedController)
export function hasUnexpectedController(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const policy = getPersistentVolumeClaimRetentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  for (const ref of claim.metadata.ownerReferences ?? []) {
    if (matchesRef(ref, set, controllerKind)) {
      if (ref.uid !== set.metadata.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, podKind)) {
      if (ref.uid !== pod.metadata.uid) return true;
      continue;
    }
    if (ref.controller) return true;
  }
  return false;
}

// Upstream: stateful_set_utils.go (hasNonControllerOwner)
export function hasNonControllerOwner(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  return (claim.metadata.ownerReferences ?? []).some((r) => (r.uid === set.metadata.uid || r.uid === pod.metadata.uid) && !r.controller);
}

// Upstream: stateful_set_utils.go (hasOwnerRef)
export const hasOwnerRef = (target: Named, owner: Named): boolean => (target.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);

/** The claim references `obj` by kind and name under another uid: a previous set or pod of that name. */
// Upstream: stateful_set_utils.go (hasStaleOwnerRef)
export function hasStaleOwnerRef(target: PersistentVolumeClaim, obj: Named, gvk: GroupVersionKind): boolean {
  const ref = (target.metadata.ownerReferences ?? []).find((r) => matchesRef(r, obj, gvk));
  return ref ? ref.uid !== obj.metadata.uid : false;
}

// Upstream: stateful_set_utils.go (addControllerRef)
function addControllerRef(refs: OwnerReference[], owner: Named, gvk: GroupVersionKind): OwnerReference[] {
  if (refs.some((r) => r.uid === owner.metadata.uid)) return refs;
  return [...refs, newControllerRef(owner as never, gvk)];
}

/**
 * Whether the claim's ownerReferences already say what the policy wants: Retain/Retain none;
 * whenDeleted=Delete a reference to the set (while the pod is in range); whenScaled=Delete a
 * reference to the pod once it is out of range. Claims in an unknown state count as up to date.
 */
// Upstream: stateful_set_utils.go (isClaimOwnerUpToDate)
export function isClaimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  if (hasStaleOwnerRef(claim, set, controllerKind) || hasStaleOwnerRef(claim, pod, podKind)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const { whenScaled, whenDeleted } = getPersistentVolumeClaimRetentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  if (whenScaled === 'Delete' && whenDeleted === 'Delete') return scaledDown !== hasOwnerRef(claim, set) && scaledDown === hasOwnerRef(claim, pod);
  if (whenScaled === 'Delete' && whenDeleted === 'Retain') return !hasOwnerRef(claim, set) && scaledDown === hasOwnerRef(claim, pod);
  if (whenScaled === 'Retain' && whenDeleted === 'Delete') return hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
  // Retain/Retain, and any unknown policy (treated as Retain).
  return !hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
}

/** Rewrites the claim's references to the set and pod as the policy wants (mutates `claim`). */
// Upstream: stateful_set_utils.go (updateClaimOwnerRefForSetAndPod)
export function updateClaimOwnerRefForSetAndPod(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): void {
  const unexpected = hasUnexpectedController(claim, set, pod);
  let refs = (claim.metadata.ownerReferences ?? []).filter((r) => !(matchesRef(r, set, controllerKind) || matchesRef(r, pod, podKind)));
  if (!unexpected) {
    const { whenScaled, whenDeleted } = getPersistentVolumeClaimRetentionPolicy(set);
    const scaledDown = !podInOrdinalRange(pod, set);
    if (whenDeleted === 'Delete' && (whenScaled === 'Retain' || !scaledDown)) refs = addControllerRef(refs, set, controllerKind);
    if (whenScaled === 'Delete' && scaledDown) refs = addControllerRef(refs, pod, podKind);
  }
  claim.metadata.ownerReferences = refs;
}

/**
 * The claims of a pod, by template name: each template renamed for the ordinal, in the set's
 * namespace, labelled with the selector's matchLabels. (Go returns a map; we keep template order.)
 */
// Upstream: stateful_set_utils.go (getPersistentVolumeClaims)
export function getPersistentVolumeClaims(set: StatefulSet, pod: Named): Map<string, PersistentVolumeClaim> {
  const ordinal = getOrdinal(pod);
  const claims = new Map<string, PersistentVolumeClaim>();
  for (const template of set.spec.volumeClaimTemplates ?? []) {
    const claim = deepCopy(template);
    claim.metadata.name = getPersistentVolumeClaimName(set, template, ordinal);
    claim.metadata.namespace = set.metadata.namespace;
    claim.metadata.labels = { ...(claim.metadata.labels ?? {}), ...(set.spec.selector?.matchLabels ?? {}) };
    claims.set(template.metadata.name ?? '', claim);
  }
  return claims;
}

/** The pod's volumes: one per claim template (replacing a volume of that name), then its own. */
// Upstream: stateful_set_utils.go (updateStorage)
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = getPersistentVolumeClaims(set, pod);
  const volumes = [...claims].map(([name, claim]) => ({ name, persistentVolumeClaim: { claimName: claim.metadata.name ?? '' } }));
  for (const v of pod.spec.volumes ?? []) if (!claims.has(v.name)) volumes.push(v as never);
  pod.spec.volumes = volumes;
}

/** Name, namespace and the pod-name and pod-index labels. */
// Upstream: stateful_set_utils.go (updateIdentity)
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = getPodName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [StatefulSetPodNameLabel]: pod.metadata.name, [PodIndexLabel]: String(ordinal) };
}

/** updateIdentity, plus hostname and subdomain, which are immutable once the pod exists. */
// Upstream: stateful_set_utils.go (initIdentity)
export function initIdentity(set: StatefulSet, pod: Pod): void {
  updateIdentity(set, pod);
  pod.spec.hostname = pod.metadata.name;
  pod.spec.subdomain = set.spec.serviceName;
}

const readyCondition = (pod: Pod) => pod.status?.conditions?.find((c) => c.type === 'Ready');
export const isPodReady = (pod: Pod): boolean => readyCondition(pod)?.status === 'True';

// Upstream: stateful_set_utils.go (isRunningAndReady)
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);

/** Ready for more than minReadySeconds (Go compares with Before: exactly minReadySeconds is not yet available). */
// Upstream: stateful_set_utils.go (isRunningAndAvailable); pkg/api/v1/pod/util.go (IsPodAvailable)
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const t = readyCondition(pod)?.lastTransitionTime;
  return !!t && parseRfc3339(t) + minReadySeconds * 1000 < nowMs;
}

// Upstream: stateful_set_utils.go (isCreated, isPending, isFailed, isSucceeded, isTerminating)
export const isCreated = (pod: Pod): boolean => !!pod.status?.phase;
export const isPending = (pod: Pod): boolean => pod.status?.phase === 'Pending';
export const isFailed = (pod: Pod): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: Pod): boolean => !!pod.metadata.deletionTimestamp;

/** Not available, or being deleted. */
// Upstream: stateful_set_utils.go (isUnavailable)
export const isUnavailable = (pod: Pod, minReadySeconds: number, nowMs: number): boolean => !isRunningAndAvailable(pod, minReadySeconds, nowMs) || isTerminating(pod);

// Upstream: stateful_set_utils.go (allowsBurst)
export const allowsBurst = (set: StatefulSet): boolean => set.spec.podManagementPolicy === 'Parallel';

// Upstream: stateful_set_utils.go (setPodRevision, getPodRevision)
export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [StatefulSetRevisionLabel]: revision };
}
export const getPodRevision = (pod: Pod): string => pod.metadata.labels?.[StatefulSetRevisionLabel] ?? '';

/** A pod from the set's template: labels, annotations and finalizers copied, generateName `<set>-`, owned by the set. */
// Upstream: pkg/controller/controller_utils.go (GetPodFromTemplate, getPodsPrefix)
export function getPodFromTemplate(set: StatefulSet, controllerRef: OwnerReference): Pod {
  const t = set.spec.template;
  const meta = t.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      labels: { ...(meta.labels ?? {}) },
      generateName: `${set.metadata.name}-`,
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef],
    },
    spec: deepCopy(t.spec),
  };
  return pod;
}

/** The pod of `ordinal`, with its identity and volumes. */
// Upstream: stateful_set_utils.go (newStatefulSetPod)
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const pod = getPodFromTemplate(set, newControllerRef(set as never, controllerKind));
  pod.metadata.name = getPodName(set, ordinal);
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

/**
 * The pod of `ordinal` at the right revision: below the partition (or, without a rollingUpdate
 * block, below currentReplicas) the current one, otherwise the update one.
 */
// Upstream: stateful_set_utils.go (newVersionedStatefulSetPod)
export function newVersionedStatefulSetPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const us = currentSet.spec.updateStrategy;
  const start = getStartOrdinal(currentSet);
  // Go's && binds tighter than ||: the partition test applies whatever the strategy type.
  const useCurrent =
    (us?.type === 'RollingUpdate' && !us.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (!!us?.rollingUpdate && ordinal < start + (us.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}

/** The revision data: a strategic-merge patch that replaces the pod template (nothing else of the set). */
// Upstream: stateful_set_utils.go (getPatch)
export function getPatch(set: StatefulSet): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...deepCopy(set.spec.template), $patch: 'replace' } } };
}

/** A revision of the set's current template, numbered `revision`, carrying the set's annotations. */
// Upstream: stateful_set_utils.go (newRevision)
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const cr = newControllerRevision(set as never, controllerKind, set.spec.template.metadata?.labels, getPatch(set), revision, collisionCount);
  cr.metadata.annotations = { ...(set.metadata.annotations ?? {}) };
  return cr;
}

/** The set with the revision's template (the patch's `$patch: replace` swaps the whole template). */
// Upstream: stateful_set_utils.go (ApplyRevision)
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const clone = deepCopy(set);
  const data = revision.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const t = data?.spec?.template;
  if (t) {
    const { $patch: _replace, ...template } = deepCopy(t);
    clone.spec.template = template as unknown as StatefulSet['spec']['template'];
  }
  return clone;
}

/** One more than the highest revision (1 for none); `revisions` sorted. */
// Upstream: stateful_set_utils.go (nextRevision)
export const nextRevision = (revisions: ControllerRevision[]): number => (revisions.length === 0 ? 1 : revisions[revisions.length - 1].revision + 1);

/** Whether the computed status differs from the stored one (only then is it written). */
// Upstream: stateful_set_utils.go (inconsistentStatus)
export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const s = set.status ?? { replicas: 0 };
  return (
    (status.observedGeneration ?? 0) > (s.observedGeneration ?? 0) ||
    status.replicas !== (s.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (s.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (s.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (s.updatedReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (s.currentRevision ?? '') ||
    (status.availableReplicas ?? 0) !== (s.availableReplicas ?? 0) ||
    (status.updateRevision ?? '') !== (s.updateRevision ?? '')
  );
}

/** Once every replica is updated and ready, the update revision becomes the current one. */
// Upstream: stateful_set_utils.go (completeRollingUpdate)
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): void {
  const replicas = set.spec.replicas ?? 1;
  if (set.spec.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** Pods by descending ordinal (no ordinal, -1, last). */
// Upstream: stateful_set_utils.go (descendingOrdinal)
export const descendingOrdinal = (a: Pod, b: Pod): number => getOrdinal(b) - getOrdinal(a);
