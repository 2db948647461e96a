/**
 * Listers over plain lists of objects: the model's stand-in for the informer listers a plugin
 * reads besides nodes and pods (namespaces, PVs, PVCs, StorageClasses, PDBs).
 */
import type { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../api/core/v1';
import type { PodDisruptionBudget } from '../../api/policy/v1';
import type { StorageClass } from '../../api/storage/v1';
import type { ObjectListers } from '../framework/interface';

export interface ListedObjects {
  pods?: Pod[];
  nodes?: Node[];
  namespaces?: Namespace[];
  pvs?: PersistentVolume[];
  pvcs?: PersistentVolumeClaim[];
  storageClasses?: StorageClass[];
  pdbs?: PodDisruptionBudget[];
}

export function listersOf(o: ListedObjects): ObjectListers {
  return {
    namespaces: () => o.namespaces ?? [],
    getNamespace: (name) => (o.namespaces ?? []).find((n) => n.metadata.name === name),
    persistentVolumes: () => o.pvs ?? [],
    persistentVolumeClaims: (ns) => (o.pvcs ?? []).filter((c) => (c.metadata.namespace ?? 'default') === ns),
    getPersistentVolumeClaim: (ns, name) => (o.pvcs ?? []).find((c) => (c.metadata.namespace ?? 'default') === ns && c.metadata.name === name),
    storageClasses: () => o.storageClasses ?? [],
    podDisruptionBudgets: (ns) => (o.pdbs ?? []).filter((p) => ns === undefined || (p.metadata.namespace ?? 'default') === ns),
    pods: () => o.pods ?? [],
  };
}
