/**
 * The PersistentVolume controller's decisions: what to do with one claim (syncClaim ->
 * syncUnboundClaim / syncBoundClaim) and one volume (syncVolume), and the writes that bind them.
 * Upstream: pkg/controller/volume/persistentvolume/pv_controller.go (kubernetes v1.34: syncClaim,
 * syncUnboundClaim, syncBoundClaim, syncVolume, bind, bindVolumeToClaim, bindClaimToVolume,
 * unbindVolume, updateClaimStatus, updateVolumePhase, reclaimVolume, provisionClaim,
 * provisionClaimOperationExternal, setClaimProvisioner, assignDefaultStorageClass,
 * emitEventForUnboundDelayBindingClaim) and pv_controller_base.go (storeObjectUpdate).
 *
 * The controller keeps caches of its own (as upstream's `volumes.store` and `claims`): the
 * informers feed them, and every write it makes goes in at once, so the next step of a sync reads
 * what it just wrote. Only external provisioners exist (no in-tree volume plugins are modelled).
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/core/v1';
import type { StorageClass } from '../../../api/storage/v1';
import { deepCopy } from '../../../core/object';
import {
  AnnBetaStorageProvisioner, AnnBindCompleted, AnnBoundByController, AnnDynamicallyProvisioned, AnnStorageProvisioner, claimClass, claimHasClass,
  getBindVolumeToClaim, getDefaultClass, hasAnnotation, isDelayBindingMode, isDelayBindingProvisioning, isVolumeBoundToClaim, setAnnotation, storageOf, volumeClass, volumeModeMismatch, checkAccessModes,
} from './helpers';
import { findBestMatchForClaim } from './volume_index';

/** Event reasons (pkg/controller/volume/events/event.go). */
export const events = {
  FailedBinding: 'FailedBinding',
  VolumeMismatch: 'VolumeMismatch',
  ProvisioningFailed: 'ProvisioningFailed',
  ExternalProvisioning: 'ExternalProvisioning',
  WaitForFirstConsumer: 'WaitForFirstConsumer',
  WaitForPodScheduled: 'WaitForPodScheduled',
  ClaimLost: 'ClaimLost',
  ClaimMisbound: 'ClaimMisbound',
} as const;

/** The API calls the controller makes (a clientset's, or a test's fake). Each returns the object stored. */
export interface PVControllerAPI {
  updateVolume(pv: PersistentVolume): Promise<PersistentVolume>;
  updateVolumeStatus(pv: PersistentVolume): Promise<PersistentVolume>;
  updateClaim(pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim>;
  updateClaimStatus(pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim>;
}

export interface PVControllerDeps {
  api: PVControllerAPI;
  classes(): StorageClass[];
  /** Pods in a namespace (the pod lister), for the WaitForPodScheduled event. */
  pods(namespace: string): Pod[];
  event(obj: PersistentVolume | PersistentVolumeClaim, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Asks for a claim to be synced soon (the claim queue). */
  enqueueClaim(key: string): void;
  /** A trace of what the controller did. */
  emit?(type: 'persistentvolume.bind' | 'persistentvolume.phase' | 'persistentvolume.provision', fields: Record<string, string>): void;
}

export const claimKey = (c: { metadata: { namespace?: string; name?: string } }) => `${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`;
const claimRefKey = (r: { namespace?: string; name?: string }) => `${r.namespace ?? ''}/${r.name ?? ''}`;

/** Go: `storeObjectUpdate`: keep the newer of the cached and the given object (by resourceVersion). */
function storeObjectUpdate<T extends { metadata: { resourceVersion?: string } }>(store: Map<string, T>, key: string, obj: T): boolean {
  const old = store.get(key);
  if (old) {
    const a = Number(old.metadata.resourceVersion ?? 0);
    const b = Number(obj.metadata.resourceVersion ?? 0);
    if (Number.isFinite(a) && Number.isFinite(b) && b < a) return false;
  }
  store.set(key, obj);
  return true;
}

/** Go: `checkVolumeSatisfyClaim`: why a volume the user asked for does not fit the claim, or null. */
export function checkVolumeSatisfyClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): string | null {
  if (pv.metadata.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name}"`;
  if (storageOf(pv.spec.capacity as Record<string, unknown>) < storageOf(pvc.spec.resources?.requests as Record<string, unknown>)) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(pvc)) return 'storageClassName does not match';
  if (volumeModeMismatch(pvc, pv)) return 'incompatible volumeMode';
  if (!checkAccessModes(pvc, pv)) return 'incompatible accessMode';
  return null;
}

// Upstream: pv_controller.go (PersistentVolumeController)
export class PersistentVolumeController {
  /** The controller's volume cache (Go: `volumes.store`), by name. */
  readonly volumes = new Map<string, PersistentVolume>();
  /** The controller's claim cache (Go: `claims`), by namespace/name. */
  readonly claims = new Map<string, PersistentVolumeClaim>();

  constructor(private readonly d: PVControllerDeps) {}

  storeVolumeUpdate(pv: PersistentVolume): boolean {
    return storeObjectUpdate(this.volumes, pv.metadata.name ?? '', pv);
  }

  storeClaimUpdate(pvc: PersistentVolumeClaim): boolean {
    return storeObjectUpdate(this.claims, claimKey(pvc), pvc);
  }

  // Upstream: pv_controller.go (syncClaim)
  async syncClaim(claim: PersistentVolumeClaim): Promise<void> {
    if (!hasAnnotation(claim, AnnBindCompleted)) return this.syncUnboundClaim(claim);
    return this.syncBoundClaim(claim);
  }

  // Upstream: pv_controller.go (syncUnboundClaim)
  async syncUnboundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const d = this.d;
    if (!claim.spec.volumeName) {
      const delayBinding = isDelayBindingMode(claim, d.classes());
      const volume = findBestMatchForClaim([...this.volumes.values()], claim, delayBinding);
      if (volume) {
        await this.bind(volume, claim);
        return;
      }
      if (await this.assignDefaultStorageClass(claim)) return;
      if (delayBinding && !isDelayBindingProvisioning(claim)) this.emitEventForUnboundDelayBindingClaim(claim);
      else if (claimClass(claim) !== '') {
        // Provisioning runs asynchronously upstream; the next sync binds what it made.
        await this.provisionClaim(claim);
        return;
      } else d.event(claim, 'Normal', events.FailedBinding, 'no persistent volumes available for this claim and no storage class is set');
      await this.updateClaimStatus(claim, 'Pending', null);
      return;
    }
    // The user asked for a specific volume.
    const volume = this.volumes.get(claim.spec.volumeName);
    if (!volume) {
      await this.updateClaimStatus(claim, 'Pending', null);
      return;
    }
    if (!volume.spec.claimRef) {
      const why = checkVolumeSatisfyClaim(volume, claim);
      if (why) {
        d.event(claim, 'Warning', events.VolumeMismatch, `Cannot bind to requested volume "${volume.metadata.name}": ${why}`);
        await this.updateClaimStatus(claim, 'Pending', null);
      } else await this.bind(volume, claim);
      return;
    }
    if (isVolumeBoundToClaim(volume, claim)) {
      await this.bind(volume, claim);
      return;
    }
    d.event(claim, 'Warning', events.FailedBinding, `volume "${volume.metadata.name}" already bound to a different claim.`);
    if (!hasAnnotation(claim, AnnBoundByController)) {
      await this.updateClaimStatus(claim, 'Pending', null);
      return;
    }
    throw new Error(`invalid binding of claim "${claimKey(claim)}" to volume "${claim.spec.volumeName}": volume already claimed by "${claimRefKey(volume.spec.claimRef)}"`);
  }

  // Upstream: pv_controller.go (syncBoundClaim)
  async syncBoundClaim(claim: PersistentVolumeClaim): Promise<void> {
    if (!claim.spec.volumeName) {
      await this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', events.ClaimLost, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const volume = this.volumes.get(claim.spec.volumeName);
    if (!volume) {
      await this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', events.ClaimLost, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    if (!volume.spec.claimRef || volume.spec.claimRef.uid === claim.metadata.uid) {
      await this.bind(volume, claim);
      return;
    }
    await this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', events.ClaimMisbound, 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  // Upstream: pv_controller.go (syncVolume)
  async syncVolume(volume: PersistentVolume): Promise<void> {
    const ref = volume.spec.claimRef;
    // Unused, or pre-bound by the user to a claim that has not bound yet (the claim's sync binds it).
    if (!ref || !ref.uid) {
      await this.updateVolumePhase(volume, 'Available');
      return;
    }
    let claim = this.claims.get(claimRefKey(ref));
    // A claim of that name with another uid: the old one was deleted.
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') volume = await this.updateVolumePhase(volume, 'Released');
      this.reclaimVolume(volume);
      return;
    }
    if (!claim.spec.volumeName) {
      // Bound on the volume's side only: the claim's sync finishes it (this is how a provisioned volume gets bound).
      this.d.enqueueClaim(claimKey(claim));
      return;
    }
    if (claim.spec.volumeName === volume.metadata.name) {
      await this.updateVolumePhase(volume, 'Bound');
      return;
    }
    // The claim went to another volume.
    if (hasAnnotation(volume, AnnDynamicallyProvisioned) && volume.spec.persistentVolumeReclaimPolicy === 'Delete') {
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') volume = await this.updateVolumePhase(volume, 'Released');
      this.reclaimVolume(volume);
      return;
    }
    await this.unbindVolume(volume);
  }

  /** Go: `bind`: the volume first (claimRef, then phase Bound), then the claim (volumeName, annotations, then status Bound). */
  // Upstream: pv_controller.go (bind)
  async bind(volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    volume = await this.bindVolumeToClaim(volume, claim);
    volume = await this.updateVolumePhase(volume, 'Bound');
    claim = await this.bindClaimToVolume(claim, volume);
    await this.updateClaimStatus(claim, 'Bound', volume);
    this.d.emit?.('persistentvolume.bind', { claim: claimKey(claim), volume: volume.metadata.name ?? '' });
  }

  // Upstream: pv_controller.go (bindVolumeToClaim, updateBindVolumeToClaim)
  async bindVolumeToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<PersistentVolume> {
    const { volume: clone, dirty } = getBindVolumeToClaim(volume, claim);
    if (!dirty) return volume;
    const saved = await this.d.api.updateVolume(clone);
    this.storeVolumeUpdate(saved);
    return saved;
  }

  // Upstream: pv_controller.go (bindClaimToVolume)
  async bindClaimToVolume(claim: PersistentVolumeClaim, volume: PersistentVolume): Promise<PersistentVolumeClaim> {
    const clone = deepCopy(claim);
    let dirty = false;
    if (claim.spec.volumeName !== volume.metadata.name) {
      clone.spec.volumeName = volume.metadata.name;
      if (!hasAnnotation(clone, AnnBoundByController)) setAnnotation(clone, AnnBoundByController, 'yes');
      dirty = true;
    }
    if (!hasAnnotation(clone, AnnBindCompleted)) {
      setAnnotation(clone, AnnBindCompleted, 'yes');
      dirty = true;
    }
    if (!dirty) return claim;
    const saved = await this.d.api.updateClaim(clone);
    this.storeClaimUpdate(saved);
    return saved;
  }

  /** Go: `unbindVolume`: a controller binding is dropped; a user's pre-binding keeps its name and loses the uid. */
  // Upstream: pv_controller.go (unbindVolume)
  async unbindVolume(volume: PersistentVolume): Promise<void> {
    const clone = deepCopy(volume);
    if (hasAnnotation(volume, AnnBoundByController)) {
      delete clone.spec.claimRef;
      const { [AnnBoundByController]: _, ...rest } = clone.metadata.annotations ?? {};
      clone.metadata.annotations = Object.keys(rest).length ? rest : undefined;
    } else if (clone.spec.claimRef) clone.spec.claimRef = { ...clone.spec.claimRef, uid: '' };
    const saved = await this.d.api.updateVolume(clone);
    this.storeVolumeUpdate(saved);
    await this.updateVolumePhase(saved, 'Available');
  }

  /**
   * Go: `reclaimVolume`. Retain keeps a Released volume as it is. Delete of a volume an external
   * provisioner made is that provisioner's work (it watches for Released volumes it provisioned);
   * Recycle is deprecated and not modelled.
   */
  // Upstream: pv_controller.go (reclaimVolume, deleteVolumeOperation: "External deleter for volume requested, ignoring")
  reclaimVolume(_volume: PersistentVolume): void {}

  // Upstream: pv_controller.go (updateClaimStatus)
  async updateClaimStatus(claim: PersistentVolumeClaim, phase: string, volume: PersistentVolume | null): Promise<PersistentVolumeClaim> {
    const clone = deepCopy(claim);
    const status = { ...((clone.status ?? {}) as Record<string, unknown>) };
    let dirty = status.phase !== phase;
    status.phase = phase;
    if (!volume) {
      if (status.accessModes !== undefined || status.capacity !== undefined) dirty = true;
      delete status.accessModes;
      delete status.capacity;
    } else {
      if (JSON.stringify(status.accessModes) !== JSON.stringify(volume.spec.accessModes)) dirty = true;
      if (volume.spec.capacity?.storage === undefined) throw new Error(`PersistentVolume "${volume.metadata.name}" is without a storage capacity`);
      if ((status.capacity as Record<string, unknown> | undefined)?.storage !== volume.spec.capacity.storage) dirty = true;
      status.accessModes = volume.spec.accessModes;
      status.capacity = volume.spec.capacity;
    }
    if (!dirty) return claim;
    clone.status = status as PersistentVolumeClaim['status'];
    const saved = await this.d.api.updateClaimStatus(clone);
    this.storeClaimUpdate(saved);
    if (claim.status?.phase !== phase) this.d.emit?.('persistentvolume.phase', { kind: 'PersistentVolumeClaim', name: claimKey(claim), from: claim.status?.phase ?? '', to: phase });
    return saved;
  }

  // Upstream: pv_controller.go (updateClaimStatusWithEvent)
  async updateClaimStatusWithEvent(claim: PersistentVolumeClaim, phase: string, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    if (claim.status?.phase === phase) return;
    const saved = await this.updateClaimStatus(claim, phase, null);
    this.d.event(saved, type, reason, message);
  }

  // Upstream: pv_controller.go (updateVolumePhase)
  async updateVolumePhase(volume: PersistentVolume, phase: string, message = ''): Promise<PersistentVolume> {
    if (volume.status?.phase === phase) return volume;
    const clone = deepCopy(volume);
    clone.status = { ...(clone.status ?? {}), phase, ...(message ? { message } : {}) };
    const saved = await this.d.api.updateVolumeStatus(clone);
    this.storeVolumeUpdate(saved);
    this.d.emit?.('persistentvolume.phase', { kind: 'PersistentVolume', name: volume.metadata.name ?? '', from: volume.status?.phase ?? '', to: phase });
    return saved;
  }

  /** Go: `assignDefaultStorageClass`: a claim with no class at all gets the default one (retroactively, since v1.28). */
  // Upstream: pv_controller.go (assignDefaultStorageClass)
  async assignDefaultStorageClass(claim: PersistentVolumeClaim): Promise<boolean> {
    if (claimHasClass(claim)) return false;
    const cls = getDefaultClass(this.d.classes());
    if (!cls) return false;
    const clone = deepCopy(claim);
    clone.spec.storageClassName = cls.metadata.name;
    const saved = await this.d.api.updateClaim(clone);
    this.storeClaimUpdate(saved);
    return true;
  }

  /** Go: `emitEventForUnboundDelayBindingClaim`: WaitForFirstConsumer, or WaitForPodScheduled naming the pods that wait. */
  // Upstream: pv_controller.go (emitEventForUnboundDelayBindingClaim, findNonScheduledPodsByPVC)
  emitEventForUnboundDelayBindingClaim(claim: PersistentVolumeClaim): void {
    const pods = this.d
      .pods(claim.metadata.namespace ?? '')
      .filter((p) => !p.spec.nodeName && (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name))
      .map((p) => p.metadata.name ?? '');
    if (pods.length === 0) this.d.event(claim, 'Normal', events.WaitForFirstConsumer, 'waiting for first consumer to be created before binding');
    else this.d.event(claim, 'Normal', events.WaitForPodScheduled, pods.length > 1 ? `waiting for pods ${pods.join(',')} to be scheduled` : `waiting for pod ${pods[0]} to be scheduled`);
  }

  /**
   * Go: `provisionClaim` for an external provisioner (`provisionClaimOperationExternal`): the claim
   * is annotated with the provisioner's name, which that provisioner watches for, and an event
   * says who is expected to act. In-tree provisioners (`kubernetes.io/...`) are not modelled.
   */
  // Upstream: pv_controller.go (provisionClaim, findProvisionablePlugin, provisionClaimOperationExternal, setClaimProvisioner)
  async provisionClaim(claim: PersistentVolumeClaim): Promise<void> {
    const name = claimClass(claim);
    const cls = this.d.classes().find((c) => c.metadata.name === name);
    if (!cls) {
      const msg = `storageclass.storage.k8s.io "${name}" not found`;
      this.d.event(claim, 'Warning', events.ProvisioningFailed, msg);
      throw new Error(msg);
    }
    if (cls.provisioner.startsWith('kubernetes.io/')) {
      const msg = `no volume plugin matched name: ${cls.provisioner}`;
      this.d.event(claim, 'Warning', events.ProvisioningFailed, msg);
      throw new Error(msg);
    }
    let saved = claim;
    if (claim.metadata.annotations?.[AnnStorageProvisioner] !== cls.provisioner || claim.metadata.annotations?.[AnnBetaStorageProvisioner] !== cls.provisioner) {
      const clone = deepCopy(claim);
      setAnnotation(clone, AnnStorageProvisioner, cls.provisioner);
      setAnnotation(clone, AnnBetaStorageProvisioner, cls.provisioner);
      saved = await this.d.api.updateClaim(clone);
      this.storeClaimUpdate(saved);
      this.d.emit?.('persistentvolume.provision', { claim: claimKey(claim), provisioner: cls.provisioner });
    }
    this.d.event(
      saved,
      'Normal',
      events.ExternalProvisioning,
      `Waiting for a volume to be created either by the external provisioner '${cls.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }
}
