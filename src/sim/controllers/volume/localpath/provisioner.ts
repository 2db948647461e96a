/**
 * A dynamic provisioner in the shape of Rancher's local-path-provisioner, the default storage of
 * a kind cluster: for a claim the PV controller has annotated with `rancher.io/local-path`, once
 * the scheduler has picked a node (WaitForFirstConsumer), it creates a hostPath PersistentVolume
 * `pvc-<claim uid>` under /var/local-path-provisioner on that node, pinned there by node
 * affinity, already bound to the claim (claimRef) so the PV controller only finishes the binding;
 * a Released volume it made with reclaimPolicy Delete is deleted.
 * Upstream: rancher/local-path-provisioner provisioner.go (Provision, Delete, the PV it builds) and
 * kubernetes-sigs/sig-storage-lib-external-provisioner controller/controller.go (shouldProvision,
 * provisionClaimOperation, shouldDelete, the Provisioning / ProvisioningSucceeded events).
 * Divergences: it runs in the controller process, not as a pod; no helper pod makes or removes
 * the directory (the kubelet makes it, hostPath type DirectoryOrCreate, and it stays after Delete);
 * no config map (one path for every node).
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/core/v1';
import type { StorageClass } from '../../../api/storage/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../../cache/informer_factory';
import { listerWatcherFor, type Clientset } from '../../../client/clientset';
import { generateEventName } from '../../../client/record';
import { rfc3339 } from '../../../apiserver/registry/strategy';
import type { FakeClock } from '../../../core/clock';
import { resolveEnv } from '../../../core/env';
import { EventEmitter } from '../../../core/events';
import type { KubeObject } from '../../../core/object';
import type { Rng } from '../../../core/rng';
import type { TraceRecorder } from '../../../core/trace';
import { defaultControllerRateLimiter } from '../../../workqueue/default_rate_limiters';
import { newRateLimitingQueue } from '../../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../../workqueue/types';
import { AnnBetaStorageProvisioner, AnnDynamicallyProvisioned, AnnSelectedNode, AnnStorageProvisioner, claimClass, IsDefaultStorageClassAnnotation } from '../persistentvolume/helpers';
import { localPathEvents, type LocalPathEventMap } from './events';

export const LocalPathProvisionerName = 'rancher.io/local-path';
/** The directory every node keeps its volumes under (the provisioner's config map default). */
export const LocalPathRoot = '/var/local-path-provisioner';
/** kind's default StorageClass. */
export const DefaultStorageClassName = 'standard';

/** kind's `standard` class: the default, local-path, WaitForFirstConsumer, Delete. */
export function defaultStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: DefaultStorageClassName, annotations: { [IsDefaultStorageClassAnnotation]: 'true' } },
    provisioner: LocalPathProvisionerName,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

/** The directory of a claim's volume: `<root>/pvc-<uid>_<namespace>_<name>`. */
// Upstream: local-path-provisioner provisioner.go (Provision: folderName)
export const volumeDir = (pvName: string, pvc: PersistentVolumeClaim) => `${LocalPathRoot}/${[pvName, pvc.metadata.namespace ?? '', pvc.metadata.name ?? ''].join('_')}`;

/** The PersistentVolume the provisioner creates for a claim on a node. */
// Upstream: local-path-provisioner provisioner.go (Provision: the returned PV); sig-storage-lib controller.go (the claimRef and provisioned-by annotation)
export function newLocalPathVolume(pvc: PersistentVolumeClaim, cls: StorageClass, node: string): PersistentVolume {
  const name = `pvc-${pvc.metadata.uid ?? ''}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [AnnDynamicallyProvisioned]: LocalPathProvisionerName, 'local.path.provisioner/selected-node': node } },
    spec: {
      accessModes: pvc.spec.accessModes ?? [],
      capacity: { storage: String(pvc.spec.resources?.requests?.storage ?? '0') },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace ?? '', name: pvc.metadata.name ?? '', uid: pvc.metadata.uid ?? '', resourceVersion: pvc.metadata.resourceVersion ?? '' } as PersistentVolume['spec']['claimRef'],
      hostPath: { path: volumeDir(name, pvc), type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      persistentVolumeReclaimPolicy: (cls.reclaimPolicy as string | undefined) ?? 'Delete',
      storageClassName: cls.metadata.name,
      volumeMode: 'Filesystem',
    },
  };
}

export interface LocalPathProvisionerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  /** Create kind's `standard` default StorageClass on start (default true). */
  installStorageClass?: boolean;
}

export function newLocalPathProvisioner(o: LocalPathProvisionerOptions): LocalPathProvisioner {
  return new LocalPathProvisioner(o);
}

const PV = { group: '', version: 'v1', resource: 'persistentvolumes' };
const SC = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };

// Upstream: sig-storage-lib-external-provisioner controller.go (ProvisionController)
export class LocalPathProvisioner {
  readonly queue: RateLimitingQueue<string>;
  readonly #o: LocalPathProvisionerOptions;
  readonly #component: string;
  #lastMs = -1;
  #seq = 0;
  readonly #events: EventEmitter<LocalPathEventMap, Record<string, never>>;
  #factory?: SharedInformerFactory;
  #stopped = false;

  constructor(o: LocalPathProvisionerOptions) {
    this.#o = o;
    // The library names the event source `<provisioner>_<host>_<id>`; the host is the provisioner's pod.
    const id = Array.from({ length: 8 }, () => o.rng.int(16).toString(16)).join('');
    this.#component = `${LocalPathProvisionerName}_local-path-provisioner-7dc846544d-${id.slice(0, 5)}_${id}`;
    this.#events = new EventEmitter(localPathEvents, resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace }), {});
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter<string>(o.clock), { clock: o.clock, name: 'local-path', trace: o.trace });
  }

  /**
   * Records an Event on the claim. The provisioner is another process than the PV controller, which
   * records on the same claim in the same virtual millisecond: its event names are offset by half a
   * millisecond so the two never collide (Go names events by the wall clock's nanoseconds).
   */
  #event(pvc: PersistentVolumeClaim, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const now = this.#o.clock.now();
    this.#seq = now === this.#lastMs ? this.#seq + 1 : 0;
    this.#lastMs = now;
    const m = pvc.metadata;
    const ns = m.namespace ?? 'default';
    const stamp = rfc3339(now);
    const event = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: generateEventName(m.name ?? '', now * 1_000_000 + 500_000 + this.#seq), namespace: ns },
      involvedObject: { kind: 'PersistentVolumeClaim', namespace: ns, name: m.name, uid: m.uid, apiVersion: 'v1', resourceVersion: m.resourceVersion },
      reason, message, source: { component: this.#component }, firstTimestamp: stamp, lastTimestamp: stamp, count: 1, type, eventTime: null, reportingComponent: '', reportingInstance: '',
    };
    void this.#o.client.coreV1().events(ns).create(event as unknown as KubeObject).catch(() => undefined);
  }

  #store(resource: string) {
    return this.#factory?.forResource(resource).informer().getStore();
  }

  async run(): Promise<void> {
    const o = this.#o;
    if (o.installStorageClass !== false) await o.client.dynamic().resource(SC).create(defaultStorageClass() as unknown as KubeObject).catch(() => undefined);
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    const key = (obj: unknown) => {
      const m = (obj as KubeObject).metadata;
      return m.namespace ? `claim:${m.namespace}/${m.name}` : `volume:${m.name}`;
    };
    for (const r of ['persistentvolumeclaims', 'persistentvolumes']) {
      f.forResource(r).informer().addEventHandler({ onAdd: (obj) => this.queue.add(key(obj)), onUpdate: (_o, cur) => this.queue.add(key(cur)), onDelete: () => {} });
    }
    f.forResource('storageclasses').informer();
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    void this.#worker();
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    this.#factory?.shutdown();
  }

  async #worker(): Promise<void> {
    for (;;) {
      const { item, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        if (item.startsWith('claim:')) await this.#syncClaim(item.slice(6));
        else await this.#syncVolume(item.slice(7));
        this.queue.forget(item);
      } catch {
        this.queue.addRateLimited(item);
      } finally {
        this.queue.done(item);
      }
    }
  }

  /** Go: `shouldProvision` + `provisionClaimOperation`. */
  async #syncClaim(key: string): Promise<void> {
    const pvc = this.#store('persistentvolumeclaims')?.getByKey(key) as unknown as PersistentVolumeClaim | undefined;
    if (!pvc || pvc.spec.volumeName || pvc.metadata.deletionTimestamp) return;
    const ann = pvc.metadata.annotations ?? {};
    if ((ann[AnnStorageProvisioner] ?? ann[AnnBetaStorageProvisioner]) !== LocalPathProvisionerName) return;
    const cls = this.#store('storageclasses')?.getByKey(claimClass(pvc)) as unknown as StorageClass | undefined;
    if (!cls) return;
    const name = `pvc-${pvc.metadata.uid ?? ''}`;
    // Already provisioned: the PV controller binds it.
    if (this.#store('persistentvolumes')?.getByKey(name)) return;
    // WaitForFirstConsumer: nothing until the scheduler has chosen the node.
    const node = ann[AnnSelectedNode];
    if (cls.volumeBindingMode === 'WaitForFirstConsumer' && !node) return;
    this.#event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${pvc.metadata.namespace}/${pvc.metadata.name}"`);
    if (!node) {
      const msg = 'failed to provision volume with StorageClass "' + (cls.metadata.name ?? '') + '": configuration error, no node was specified';
      this.#event(pvc, 'Warning', 'ProvisioningFailed', msg);
      throw new Error(msg);
    }
    const pv = newLocalPathVolume(pvc, cls, node);
    await this.#o.client.dynamic().resource(PV).create(pv as unknown as KubeObject);
    this.#events.emit('localpath.provision', { claim: key, volume: name, node, path: String((pv.spec.hostPath as { path: string }).path) });
    this.#event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
  }

  /** Go: `shouldDelete` + `deleteVolumeOperation`: a Released volume of ours with reclaimPolicy Delete. */
  async #syncVolume(name: string): Promise<void> {
    const pv = this.#store('persistentvolumes')?.getByKey(name) as unknown as PersistentVolume | undefined;
    if (!pv || pv.metadata.deletionTimestamp) return;
    if (pv.metadata.annotations?.[AnnDynamicallyProvisioned] !== LocalPathProvisionerName) return;
    if (pv.status?.phase !== 'Released' || pv.spec.persistentVolumeReclaimPolicy !== 'Delete') return;
    await this.#o.client.dynamic().resource(PV).delete(name);
    this.#events.emit('localpath.delete', { volume: name });
  }
}
