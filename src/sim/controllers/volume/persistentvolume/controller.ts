/**
 * The PV controller as kube-controller-manager runs it (`persistentvolume-binder`): informers on
 * PersistentVolumes, PersistentVolumeClaims, StorageClasses and Pods; a volume queue and a claim
 * queue, each with one worker; and a resync every 15 s (`--pvclaimbinder-sync-period`) that
 * queues every volume and claim again, which is what retries a binding whose write lost a race.
 * Upstream: pkg/controller/volume/persistentvolume/pv_controller_base.go (kubernetes v1.34:
 * NewController, Run, volumeWorker, claimWorker, updateVolume, deleteVolume, updateClaim,
 * deleteClaim, resync).
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/core/v1';
import type { StorageClass } from '../../../api/storage/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../../cache/keys';
import { listerWatcherFor, type Clientset } from '../../../client/clientset';
import { newEventRecorder } from '../../../client/record';
import type { FakeClock, Timer } from '../../../core/clock';
import { resolveEnv } from '../../../core/env';
import { EventEmitter } from '../../../core/events';
import type { KubeObject } from '../../../core/object';
import type { Rng } from '../../../core/rng';
import type { TraceRecorder } from '../../../core/trace';
import { defaultControllerRateLimiter } from '../../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../../workqueue/types';
import { persistentVolumeEvents, type PersistentVolumeEventMap } from './events';
import { claimKey, PersistentVolumeController, type PVControllerAPI } from './pv_controller';

export interface PersistentVolumeBinderOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  /** `--pvclaimbinder-sync-period` (default 15 s). */
  syncPeriodMs?: number;
}

export function newPersistentVolumeBinder(o: PersistentVolumeBinderOptions): PersistentVolumeBinder {
  return new PersistentVolumeBinder(o);
}

const finalState = <T>(obj: unknown): T => (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as T;
const PV = { group: '', version: 'v1', resource: 'persistentvolumes' };
const PVC = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };

/** The API calls through a clientset (Go: `kubeClient.CoreV1().PersistentVolumes()` / `PersistentVolumeClaims(ns)`). */
export function clientsetAPI(client: Clientset): PVControllerAPI {
  const pvs = () => client.dynamic().resource(PV);
  const pvcs = (c: PersistentVolumeClaim) => client.dynamic().resource(PVC).namespace(c.metadata.namespace ?? '');
  const kind = <T>(o: T, k: string) => ({ apiVersion: 'v1', kind: k, ...(o as object) }) as unknown as KubeObject;
  return {
    updateVolume: async (pv) => (await pvs().update(kind(pv, 'PersistentVolume'))) as unknown as PersistentVolume,
    updateVolumeStatus: async (pv) => (await pvs().updateStatus(kind(pv, 'PersistentVolume'))) as unknown as PersistentVolume,
    updateClaim: async (c) => (await pvcs(c).update(kind(c, 'PersistentVolumeClaim'))) as unknown as PersistentVolumeClaim,
    updateClaimStatus: async (c) => (await pvcs(c).updateStatus(kind(c, 'PersistentVolumeClaim'))) as unknown as PersistentVolumeClaim,
  };
}

// Upstream: pv_controller_base.go (NewController, Run)
export class PersistentVolumeBinder {
  readonly volumeQueue: RateLimitingQueue<string>;
  readonly claimQueue: RateLimitingQueue<string>;
  readonly ctrl: PersistentVolumeController;
  readonly #o: PersistentVolumeBinderOptions;
  #factory?: SharedInformerFactory;
  #stopped = false;
  #resyncTimer?: Timer;
  #loops: Promise<void>[] = [];

  constructor(o: PersistentVolumeBinderOptions) {
    this.#o = o;
    const env = resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace });
    const emitter = new EventEmitter<PersistentVolumeEventMap, Record<string, never>>(persistentVolumeEvents, env, {});
    const recorder = newEventRecorder(o.client, o.clock, { component: 'persistentvolume-controller' });
    this.volumeQueue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'volumes', trace: o.trace });
    this.claimQueue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'claims', trace: o.trace });
    this.ctrl = new PersistentVolumeController({
      api: clientsetAPI(o.client),
      classes: () => (this.#store('storageclasses')?.list() ?? []) as unknown as StorageClass[],
      pods: (ns) => ((this.#store('pods')?.list() ?? []) as unknown as Pod[]).filter((p) => (p.metadata.namespace ?? '') === ns),
      event: (obj, type, reason, message) => {
        const kind = 'claimRef' in obj.spec || !obj.metadata.namespace ? 'PersistentVolume' : 'PersistentVolumeClaim';
        void recorder.event({ apiVersion: 'v1', kind, ...obj } as unknown as KubeObject, type, reason, message).catch(() => undefined);
      },
      enqueueClaim: (key) => this.claimQueue.add(key),
      emit: (type, fields) => emitter.emit(type, fields as never),
    });
  }

  #store(resource: string) {
    return this.#factory?.forResource(resource).informer().getStore();
  }

  // Upstream: pv_controller_base.go (Run: the informers, resync, volumeWorker, claimWorker)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    const key = (obj: unknown) => {
      const m = (finalState<KubeObject>(obj)).metadata;
      return m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? '');
    };
    f.forResource('persistentvolumes').informer().addEventHandler({
      onAdd: (obj) => this.volumeQueue.add(key(obj)),
      onUpdate: (_o, cur) => this.volumeQueue.add(key(cur)),
      onDelete: (obj) => this.volumeQueue.add(key(obj)),
    });
    f.forResource('persistentvolumeclaims').informer().addEventHandler({
      onAdd: (obj) => this.claimQueue.add(key(obj)),
      onUpdate: (_o, cur) => this.claimQueue.add(key(cur)),
      onDelete: (obj) => this.claimQueue.add(key(obj)),
    });
    f.forResource('storageclasses').informer();
    f.forResource('pods').informer();
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    // Go: initializeCaches: the controller's own caches start from the informers'.
    for (const pv of (this.#store('persistentvolumes')?.list() ?? []) as unknown as PersistentVolume[]) this.ctrl.storeVolumeUpdate(pv);
    for (const c of (this.#store('persistentvolumeclaims')?.list() ?? []) as unknown as PersistentVolumeClaim[]) this.ctrl.storeClaimUpdate(c);
    this.#scheduleResync();
    this.#loops.push(this.#volumeWorker(), this.#claimWorker());
  }

  stop(): void {
    this.#stopped = true;
    this.#resyncTimer?.stop();
    this.volumeQueue.shutDown();
    this.claimQueue.shutDown();
    this.#factory?.shutdown();
  }

  // Upstream: pv_controller_base.go (resync)
  #scheduleResync(): void {
    this.#resyncTimer = this.#o.clock.afterFunc(this.#o.syncPeriodMs ?? 15_000, () => {
      if (this.#stopped) return;
      for (const k of this.#store('persistentvolumeclaims')?.listKeys() ?? []) this.claimQueue.add(k);
      for (const k of this.#store('persistentvolumes')?.listKeys() ?? []) this.volumeQueue.add(k);
      this.#scheduleResync();
    });
  }

  // Upstream: pv_controller_base.go (volumeWorker, updateVolume, deleteVolume)
  async #volumeWorker(): Promise<void> {
    for (;;) {
      const { item: name, shutdown } = await this.volumeQueue.get();
      if (shutdown) return;
      try {
        const pv = this.#store('persistentvolumes')?.getByKey(name) as unknown as PersistentVolume | undefined;
        if (pv) {
          // Only a newer object than the controller's own is synced (a stale informer copy is skipped).
          if (this.ctrl.storeVolumeUpdate(pv)) await this.ctrl.syncVolume(this.ctrl.volumes.get(name)!);
        } else {
          const old = this.ctrl.volumes.get(name);
          this.ctrl.volumes.delete(name);
          // The claim of a deleted volume may now be Lost: sync it.
          if (old?.spec.claimRef) this.claimQueue.add(`${old.spec.claimRef.namespace ?? ''}/${old.spec.claimRef.name ?? ''}`);
        }
        this.volumeQueue.forget(name);
      } catch {
        this.volumeQueue.addRateLimited(name);
      } finally {
        this.volumeQueue.done(name);
      }
    }
  }

  // Upstream: pv_controller_base.go (claimWorker, updateClaim, deleteClaim)
  async #claimWorker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.claimQueue.get();
      if (shutdown) return;
      try {
        const c = this.#store('persistentvolumeclaims')?.getByKey(key) as unknown as PersistentVolumeClaim | undefined;
        if (c) {
          if (this.ctrl.storeClaimUpdate(c)) await this.ctrl.syncClaim(this.ctrl.claims.get(claimKey(c))!);
        } else {
          const old = this.ctrl.claims.get(key);
          this.ctrl.claims.delete(key);
          // Its volume becomes Released: sync it.
          if (old?.spec.volumeName) this.volumeQueue.add(old.spec.volumeName);
        }
        this.claimQueue.forget(key);
      } catch {
        this.claimQueue.addRateLimited(key);
      } finally {
        this.claimQueue.done(key);
      }
    }
  }
}
