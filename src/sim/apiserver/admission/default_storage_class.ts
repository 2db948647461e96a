/**
 * The DefaultStorageClass admission plugin: a PersistentVolumeClaim created without a class (no
 * spec.storageClassName, no beta annotation) gets the default StorageClass, the newest one
 * annotated `storageclass.kubernetes.io/is-default-class: "true"`. A claim that sets the class to
 * "" asks for no class and keeps it. Without a default class nothing changes (the PV controller
 * assigns one later, retroactively, once there is one).
 * Upstream: kubernetes plugin/pkg/admission/storage/storageclass/setdefault/admission.go (Admit),
 * pkg/controller/volume/persistentvolume/util (GetDefaultClass).
 */
import type { KubeObject } from '../../core/object';

const isDefault = (c: KubeObject) => {
  const a = c.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
};

/** Sets the default class on a claim being created (in place). */
// Upstream: setdefault/admission.go (claimDefaulterPlugin.Admit)
export function admitDefaultStorageClass(pvc: KubeObject, classes: KubeObject[]): void {
  const spec = (pvc.spec ?? {}) as { storageClassName?: string | null };
  if (spec.storageClassName != null || pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
  const defaults = classes.filter(isDefault);
  if (defaults.length === 0) return;
  // GetDefaultClass: the newest default wins (then by name).
  defaults.sort((a, b) => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
  spec.storageClassName = defaults[0].metadata.name;
  pvc.spec = spec;
}
