/**
 * A framework handle for plugin tests (upstream builds one with `frameworkruntime.NewFramework`
 * and `informers.NewSharedInformerFactory` over a fake clientset): a snapshot of pods and nodes,
 * and listers over plain lists of the other objects.
 */
import type { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../../api/core/v1';
import type { PodDisruptionBudget } from '../../api/policy/v1';
import type { StorageClass } from '../../api/storage/v1';
import { rngFromSeed } from '../../core/rng';
import type { Handle } from '../framework/interface';
import { listersOf } from '../backend/listers';
export { listersOf };
import type { PodInfo } from '../framework/types';
import { newSnapshot, type Snapshot } from '../backend/cache/snapshot';

export interface TestObjects {
  pods?: Pod[];
  nodes?: Node[];
  namespaces?: Namespace[];
  pvs?: PersistentVolume[];
  pvcs?: PersistentVolumeClaim[];
  storageClasses?: StorageClass[];
  pdbs?: PodDisruptionBudget[];
  nominated?: Map<string, PodInfo[]>;
  seed?: number;
}


/** A handle over a fresh snapshot of `o.pods` and `o.nodes`. */
export function newTestHandle(o: TestObjects = {}): Handle & { snapshot: Snapshot } {
  const snapshot = newSnapshot(o.pods ?? [], o.nodes ?? []);
  const rng = rngFromSeed(o.seed ?? 1);
  return {
    snapshot,
    snapshotSharedLister: () => snapshot,
    listers: () => listersOf(o),
    nominatedPodsForNode: (name) => o.nominated?.get(name) ?? [],
    rng: () => rng,
    parallelism: () => 16,
  };
}
