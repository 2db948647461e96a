/**
 * The PV controller's volume index: volumes grouped by their access modes, searched from the
 * smallest set of modes that covers the claim's upwards, each set for the smallest volume that
 * satisfies the claim. Upstream: pkg/controller/volume/persistentvolume/index.go
 * (persistentVolumeOrderedIndex: findByClaim, findBestMatchForClaim, allPossibleMatchingAccessModes)
 * with k8s.io/component-helpers storage/volume pv_helpers.go (FindMatchingVolume) on the
 * controller's path (no node).
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/core/v1';
import { labelSelectorAsSelector } from '../../../apimachinery/labels';
import type { LabelSelector } from '../../../apimachinery/validation';
import { claimClass, isVolumeBoundToClaim, storageOf, volumeClass, volumeModeMismatch } from './helpers';

const modesKey = (modes: string[]) => [...new Set(modes)].sort().join(',');

/** Go: `allPossibleMatchingAccessModes`: the volumes' mode sets holding every requested mode, fewest modes first. */
export function allPossibleMatchingAccessModes(volumes: PersistentVolume[], requested: string[]): string[][] {
  const sets = new Map<string, string[]>();
  for (const pv of volumes) {
    const modes = [...new Set(pv.spec.accessModes ?? [])].sort();
    if (requested.every((m) => modes.includes(m))) sets.set(modesKey(modes), modes);
  }
  return [...sets.values()].sort((a, b) => a.length - b.length);
}

/**
 * Go: `FindMatchingVolume` with no node: the volume pre-bound to the claim wins; otherwise the
 * smallest Available volume big enough, of the claim's class and selected by its selector. With
 * delayed binding only a pre-bound volume is taken: the scheduler picks the others.
 */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: PersistentVolume[], delayBinding: boolean): PersistentVolume | null {
  const requested = storageOf(pvc.spec.resources?.requests as Record<string, unknown> | undefined);
  const requestedClass = claimClass(pvc);
  const selector = pvc.spec.selector ? labelSelectorAsSelector(pvc.spec.selector as LabelSelector) : null;
  let smallest: PersistentVolume | null = null;
  let smallestQty = 0;
  for (const pv of volumes) {
    if (pv.spec.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    const qty = storageOf(pv.spec.capacity as Record<string, unknown> | undefined);
    if (qty < requested) continue;
    if (volumeModeMismatch(pvc, pv)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    if (isVolumeBoundToClaim(pv, pvc)) return pv;
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata.labels ?? {})) continue;
    if (volumeClass(pv) !== requestedClass) continue;
    // VolumeAttributesClass (GA in v1.34): the classes must be equal, unset counting as "".
    if ((pvc.spec.volumeAttributesClassName ?? '') !== (pv.spec.volumeAttributesClassName ?? '')) continue;
    if (!smallest || smallestQty > qty) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}

/** Go: `findBestMatchForClaim` (`findByClaim`): the first match over the mode sets, fewest modes first. */
// Upstream: index.go (findByClaim)
export function findBestMatchForClaim(volumes: PersistentVolume[], pvc: PersistentVolumeClaim, delayBinding: boolean): PersistentVolume | null {
  for (const modes of allPossibleMatchingAccessModes(volumes, pvc.spec.accessModes ?? [])) {
    const key = modesKey(modes);
    const candidates = volumes.filter((pv) => modesKey(pv.spec.accessModes ?? []) === key);
    const best = findMatchingVolume(pvc, candidates, delayBinding);
    if (best) return best;
  }
  return null;
}
