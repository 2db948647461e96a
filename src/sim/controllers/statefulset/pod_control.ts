/**
 * StatefulPodControl: how the controller creates, updates and deletes a set's pods and claims,
 * and the events it records for each (`create Pod web-0 in StatefulSet web successful`).
 * Writes go through the clientset; reads of pods and claims come from the informers' caches.
 * Upstream: pkg/controller/statefulset/stateful_pod_control.go (kubernetes v1.34)
 */
import { isAlreadyExists } from '../../apimachinery/errors';
import { DefaultBackoff, retryOnConflict, type Clientset } from '../../client/clientset';
import type { EventRecorder } from '../../client/record';
import { ResourceClient } from '../../client/typed';
import type { FakeClock } from '../../core/clock';
import { deepCopy, type KubeObject } from '../../core/object';
import type { PersistentVolumeClaim, Pod, StatefulSet } from './types';
import { podKind } from './types';
import {
  getOrdinal,
  getPersistentVolumeClaimName,
  getPersistentVolumeClaimRetentionPolicy,
  getPersistentVolumeClaims,
  hasStaleOwnerRef,
  hasUnexpectedController,
  identityMatches,
  isClaimOwnerUpToDate,
  storageMatches,
  updateClaimOwnerRefForSetAndPod,
  updateIdentity,
  updateStorage,
} from './utils';

/** Reads from the informers (Go: the pod and claim listers). */
export interface StatefulPodListers {
  getPod(namespace: string, name: string): Pod | undefined;
  getClaim(namespace: string, name: string): PersistentVolumeClaim | undefined;
}

/** An error joining several (Go: `utilerrors.NewAggregate`: one alone, several in brackets). */
export function aggregate(errs: Error[]): Error | undefined {
  if (errs.length === 0) return undefined;
  return new Error(errs.length === 1 ? errs[0].message : `[${errs.map((e) => e.message).join(', ')}]`);
}

const notFound = () => Object.assign(new Error('not found'), { notFound: true });
const title = (verb: string) => verb.charAt(0).toUpperCase() + verb.slice(1);
const asObj = (o: unknown) => o as KubeObject;

// Upstream: stateful_pod_control.go (StatefulPodControl, realStatefulPodControlObjectManager)
export class StatefulPodControl {
  constructor(
    readonly client: Clientset,
    readonly listers: StatefulPodListers,
    readonly recorder: EventRecorder,
    readonly clock: FakeClock,
  ) {}

  /** The claims client (client-go's CoreV1 has one; ours reaches it through the core REST client). */
  #claims(namespace: string): ResourceClient {
    return new ResourceClient(this.client.coreV1().restClient, 'persistentvolumeclaims', true, namespace);
  }

  #claim(namespace: string, name: string): PersistentVolumeClaim {
    const c = this.listers.getClaim(namespace, name);
    if (!c) throw notFound();
    return c;
  }

  /** Creates the pod's claims, then the pod; then sets the claims' references for the retention policy. */
  // Upstream: stateful_pod_control.go (CreateStatefulPod)
  async createStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (e) {
      this.recordPodEvent('create', set, pod, e as Error);
      throw e;
    }
    let err: Error | undefined;
    try {
      await this.client.coreV1().pods(pod.metadata.namespace ?? '').create(asObj(pod));
    } catch (e) {
      err = e as Error;
    }
    // An AlreadyExists is the informer lagging behind: no event.
    if (err && isAlreadyExists(err)) throw err;
    // StatefulSetAutoDeletePVC is GA: set what can be set of the claims' references now.
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e as Error);
      throw e;
    }
    this.recordPodEvent('create', set, pod, err);
    if (err) throw err;
  }

  /** Restores the pod's identity, storage and claim references; writes only if something changed. */
  // Upstream: stateful_pod_control.go (UpdateStatefulPod)
  async updateStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    let attempted = false;
    let err: Error | undefined;
    try {
      await retryOnConflict(DefaultBackoff, this.clock, async () => {
        let consistent = true;
        if (!identityMatches(set, pod)) {
          updateIdentity(set, pod);
          consistent = false;
        }
        if (!storageMatches(set, pod)) {
          updateStorage(set, pod);
          consistent = false;
          try {
            await this.createPersistentVolumeClaims(set, pod);
          } catch (e) {
            this.recordPodEvent('update', set, pod, e as Error);
            throw e;
          }
        }
        if (!(await this.claimsMatchRetentionPolicy(set, pod))) {
          try {
            await this.updatePodClaimForRetentionPolicy(set, pod);
          } catch (e) {
            this.recordPodEvent('update', set, pod, e as Error);
            throw e;
          }
          consistent = false;
        }
        if (consistent) return;
        attempted = true;
        try {
          await this.client.coreV1().pods(pod.metadata.namespace ?? '').update(asObj(pod));
        } catch (e) {
          const fresh = this.listers.getPod(set.metadata.namespace ?? '', pod.metadata.name ?? '');
          if (fresh) pod = deepCopy(fresh);
          throw e;
        }
      });
    } catch (e) {
      err = e as Error;
    }
    if (attempted) this.recordPodEvent('update', set, pod, err);
    if (err) throw err;
  }

  // Upstream: stateful_pod_control.go (DeleteStatefulPod)
  async deleteStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    let err: Error | undefined;
    try {
      await this.client.coreV1().pods(pod.metadata.namespace ?? '').delete(pod.metadata.name ?? '');
    } catch (e) {
      err = e as Error;
    }
    this.recordPodEvent('delete', set, pod, err);
    if (err) throw err;
  }

  /** False when a claim's references do not fit the policy; missing claims are picked up later. */
  // Upstream: stateful_pod_control.go (ClaimsMatchRetentionPolicy)
  async claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): Promise<boolean> {
    const ordinal = getOrdinal(pod);
    for (const template of set.spec.volumeClaimTemplates ?? []) {
      const claim = this.listers.getClaim(set.metadata.namespace ?? '', getPersistentVolumeClaimName(set, template, ordinal));
      if (claim && !isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  // Upstream: stateful_pod_control.go (UpdatePodClaimForRetentionPolicy)
  async updatePodClaimForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void> {
    const ordinal = getOrdinal(pod);
    for (const template of set.spec.volumeClaimTemplates ?? []) {
      const claimName = getPersistentVolumeClaimName(set, template, ordinal);
      const cached = this.listers.getClaim(set.metadata.namespace ?? '', claimName);
      if (!cached) continue;
      if (hasUnexpectedController(cached, set, pod)) {
        void this.recorder.event(asObj(set), 'Warning', 'ConflictingController', `PersistentVolumeClaim ${claimName} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`);
      }
      if (!isClaimOwnerUpToDate(cached, set, pod)) {
        const claim = deepCopy(cached);
        updateClaimOwnerRefForSetAndPod(claim, set, pod);
        try {
          await this.#claims(claim.metadata.namespace ?? '').update(asObj(claim));
        } catch (e) {
          throw new Error(`could not update claim ${claimName} for delete policy ownerRefs: ${(e as Error).message}`);
        }
      }
    }
  }

  /** Under whenScaled=Delete, a claim still owned by an earlier pod of this name blocks the new pod. */
  // Upstream: stateful_pod_control.go (PodClaimIsStale)
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    if (getPersistentVolumeClaimRetentionPolicy(set).whenScaled === 'Retain') return false;
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const pvc = this.listers.getClaim(claim.metadata.namespace ?? '', claim.metadata.name ?? '');
      if (pvc && hasStaleOwnerRef(pvc, pod, podKind)) return true;
    }
    return false;
  }

  // Upstream: stateful_pod_control.go (recordPodEvent)
  recordPodEvent(verb: string, set: StatefulSet, pod: Pod, err: Error | undefined): void {
    if (!err) void this.recorder.event(asObj(set), 'Normal', `Successful${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    else void this.recorder.event(asObj(set), 'Warning', `Failed${title(verb)}`, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err.message}`);
  }

  // Upstream: stateful_pod_control.go (recordClaimEvent)
  recordClaimEvent(verb: string, set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim, err: Error | undefined): void {
    if (!err) void this.recorder.event(asObj(set), 'Normal', `Successful${title(verb)}`, `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
    else void this.recorder.event(asObj(set), 'Warning', `Failed${title(verb)}`, `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err.message}`);
  }

  /** A pending pod whose claims went missing gets them back. */
  // Upstream: stateful_pod_control.go (createMissingPersistentVolumeClaims)
  async createMissingPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    await this.createPersistentVolumeClaims(set, pod);
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (e) {
      this.recordPodEvent('update', set, pod, e as Error);
      throw e;
    }
  }

  /** Creates each claim the cache does not have; a claim being deleted is an error (the pod must wait). */
  // Upstream: stateful_pod_control.go (createPersistentVolumeClaims)
  async createPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errs: Error[] = [];
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      let pvc: PersistentVolumeClaim | undefined;
      try {
        pvc = this.#claim(claim.metadata.namespace ?? '', claim.metadata.name ?? '');
      } catch {
        let err: Error | undefined;
        try {
          await this.#claims(claim.metadata.namespace ?? '').create(asObj({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...claim }));
        } catch (e) {
          err = e as Error;
          errs.push(new Error(`failed to create PVC ${claim.metadata.name}: ${err.message}`));
        }
        if (!err || !isAlreadyExists(err)) this.recordClaimEvent('create', set, pod, claim, err);
        continue;
      }
      if (pvc.metadata.deletionTimestamp) errs.push(new Error(`pvc ${claim.metadata.name} is being deleted`));
    }
    const err = aggregate(errs);
    if (err) throw err;
  }
}

