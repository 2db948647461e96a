/**
 * The storage helpers the PV controller, the scheduler and the provisioner share upstream:
 * k8s.io/component-helpers storage/volume (helpers.go: GetPersistentVolumeClaimClass,
 * GetPersistentVolumeClass, IsDelayBindingMode, IsDelayBindingProvisioning; pv_helpers.go:
 * IsVolumeBoundToClaim, CheckAccessModes, CheckVolumeModeMismatches, GetBindVolumeToClaim,
 * the annotation names) at v0.34.0, and pkg/controller/volume/persistentvolume/util (GetDefaultClass).
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/core/v1';
import type { StorageClass } from '../../../api/storage/v1';
import { parseQuantity } from '../../../apimachinery/quantity';
import { deepCopy } from '../../../core/object';

/** The claim's binding is finished (set by the PV controller only). */
export const AnnBindCompleted = 'pv.kubernetes.io/bind-completed';
/** The controller, not the user, bound this object (so it may undo the binding). */
export const AnnBoundByController = 'pv.kubernetes.io/bound-by-controller';
/** The node the scheduler picked for a WaitForFirstConsumer claim (set by the scheduler). */
export const AnnSelectedNode = 'volume.kubernetes.io/selected-node';
/** The provisioner asked to provision the claim (set by the PV controller). */
export const AnnStorageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const AnnBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';
/** On a PV: the provisioner that made it (set by the provisioner; it deletes what it made). */
export const AnnDynamicallyProvisioned = 'pv.kubernetes.io/provisioned-by';
/** The deprecated beta class annotation; it wins over spec.storageClassName. */
export const AnnStorageClass = 'volume.beta.kubernetes.io/storage-class';
/** On a StorageClass: the class a claim without storageClassName gets. */
export const IsDefaultStorageClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
export const BetaIsDefaultStorageClassAnnotation = 'storageclass.beta.kubernetes.io/is-default-class';
/** Go: `volume.NotSupportedProvisioner`: a class for statically provisioned volumes only. */
export const NotSupportedProvisioner = 'kubernetes.io/no-provisioner';

export const hasAnnotation = (o: { metadata: { annotations?: Record<string, string> } }, key: string) => o.metadata.annotations?.[key] !== undefined;

export function setAnnotation(o: { metadata: { annotations?: Record<string, string> } }, key: string, value: string): void {
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [key]: value };
}

/** Go: `GetPersistentVolumeClaimClass`. */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata.annotations?.[AnnStorageClass] ?? pvc.spec.storageClassName ?? '';
}

/** Go: `PersistentVolumeClaimHasClass`: a class set, even to "". */
export function claimHasClass(pvc: PersistentVolumeClaim): boolean {
  return pvc.metadata.annotations?.[AnnStorageClass] !== undefined || pvc.spec.storageClassName != null;
}

/** Go: `GetPersistentVolumeClass`. */
export function volumeClass(pv: PersistentVolume): string {
  return pv.metadata.annotations?.[AnnStorageClass] ?? pv.spec.storageClassName ?? '';
}

/** Bytes of a `storage` resource (0 when absent). */
export function storageOf(rl: Record<string, unknown> | undefined): number {
  const q = rl?.storage;
  return q === undefined ? 0 : Number(parseQuantity(String(q)).value());
}

/** Go: `IsDelayBindingMode`: the claim's class binds WaitForFirstConsumer. A missing class is an error upstream; here it means Immediate. */
export function isDelayBindingMode(pvc: PersistentVolumeClaim, classes: StorageClass[]): boolean {
  const name = claimClass(pvc);
  if (!name) return false;
  return classes.find((c) => c.metadata.name === name)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** Go: `IsDelayBindingProvisioning`: the scheduler has picked a node for the claim. */
export function isDelayBindingProvisioning(pvc: PersistentVolumeClaim): boolean {
  return hasAnnotation(pvc, AnnSelectedNode);
}

/** Go: `IsVolumeBoundToClaim`: the claimRef names the claim (and its uid, once set). */
export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata.name || (ref.namespace ?? '') !== (pvc.metadata.namespace ?? '')) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/** Go: `CheckAccessModes`: the volume offers every mode the claim asks for. */
export function checkAccessModes(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const have = new Set(pv.spec.accessModes ?? []);
  return (pvc.spec.accessModes ?? []).every((m) => have.has(m));
}

/** Go: `CheckVolumeModeMismatches` (Filesystem when unset). */
export function volumeModeMismatch(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return ((pvc.spec.volumeMode as string | undefined) ?? 'Filesystem') !== ((pv.spec.volumeMode as string | undefined) ?? 'Filesystem');
}

/**
 * Go: `GetBindVolumeToClaim`: a copy of the volume whose claimRef points at the claim (with its
 * uid), marked bound-by-controller unless the user pre-bound it; `dirty` when anything changed.
 */
export function getBindVolumeToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): { volume: PersistentVolume; dirty: boolean } {
  const ref = pv.spec.claimRef;
  const shouldSetBoundByController = !isVolumeBoundToClaim(pv, pvc);
  const want = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace ?? '', name: pvc.metadata.name ?? '', uid: pvc.metadata.uid ?? '', apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion ?? '' };
  const volume = deepCopy(pv);
  let dirty = false;
  if (!ref || ref.name !== want.name || (ref.namespace ?? '') !== want.namespace || ref.uid !== want.uid) {
    volume.spec.claimRef = want;
    dirty = true;
  }
  if (shouldSetBoundByController && !hasAnnotation(volume, AnnBoundByController)) {
    setAnnotation(volume, AnnBoundByController, 'yes');
    dirty = true;
  }
  return { volume, dirty };
}

const isTrue = (v: string | undefined) => v === 'true';

/** Go: util `GetDefaultClass`: the newest class marked default (by name when created at once), or null. */
export function getDefaultClass(classes: StorageClass[]): StorageClass | null {
  const defaults = classes.filter((c) => isTrue(c.metadata.annotations?.[IsDefaultStorageClassAnnotation]) || isTrue(c.metadata.annotations?.[BetaIsDefaultStorageClassAnnotation]));
  if (defaults.length === 0) return null;
  // Upstream sorts by creationTimestamp, newest first, then by name.
  defaults.sort((a, b) => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
  return defaults[0];
}
