/**
 * Fixtures after pkg/controller/volume/persistentvolume/framework_test.go (newVolume, newClaim,
 * the fake API reactor that stores writes and bumps resourceVersions, the recorded events).
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../api/core/v1';
import type { StorageClass } from '../../../api/storage/v1';
import { deepCopy } from '../../../core/object';
import { AnnBoundByController, AnnBindCompleted } from './helpers';
import { PersistentVolumeController, claimKey } from './pv_controller';

export const classEmpty = '';
export const classWait = 'wait';
export const classExternal = 'external';

/** Go: `newVolume(name, capacity, boundToClaimUID, boundToClaimName, phase, reclaimPolicy, class, annotations...)`. */
export function newVolume(name: string, capacity: string, uid: string, claim: string, phase: string, reclaim: string, cls: string, ...annotations: string[]): PersistentVolume {
  const pv: PersistentVolume = {
    metadata: { name, resourceVersion: '1', ...(annotations.length ? { annotations: Object.fromEntries(annotations.map((a) => [a, 'yes'])) } : {}) },
    spec: { capacity: { storage: capacity }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], persistentVolumeReclaimPolicy: reclaim, storageClassName: cls, hostPath: { path: `/tmp/${name}` } },
    status: phase ? { phase } : {},
  };
  if (uid || claim) pv.spec.claimRef = { namespace: 'default', name: claim, uid };
  return pv;
}

/** Go: `newClaim(name, claimUID, capacity, boundToVolume, phase, class, annotations...)`. */
export function newClaim(name: string, uid: string, capacity: string, volume: string, phase: string, cls: string | null, ...annotations: string[]): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: 'default', uid, resourceVersion: '1', ...(annotations.length ? { annotations: Object.fromEntries(annotations.map((a) => [a, 'yes'])) } : {}) },
    spec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], resources: { requests: { storage: capacity } }, ...(volume ? { volumeName: volume } : {}), ...(cls !== null ? { storageClassName: cls } : {}) },
    status: { phase },
  };
}

export const storageClasses: StorageClass[] = [
  { metadata: { name: classWait }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: classExternal }, provisioner: 'vendor.com/my-volume', volumeBindingMode: 'Immediate' },
];

/** A controller over in-memory objects: writes land in `volumes` / `claims` with a new resourceVersion; events are `Type Reason`. */
export function newTestController(volumes: PersistentVolume[], claims: PersistentVolumeClaim[], opts: { classes?: StorageClass[]; pods?: Pod[] } = {}) {
  const events: string[] = [];
  const enqueued: string[] = [];
  let rv = 100;
  const api = {
    volumes: new Map(volumes.map((v) => [v.metadata.name ?? '', deepCopy(v)])),
    claims: new Map(claims.map((c) => [claimKey(c), deepCopy(c)])),
  };
  const save = <T extends { metadata: { resourceVersion?: string } }>(m: Map<string, T>, k: string, o: T) => {
    const out = deepCopy(o);
    out.metadata.resourceVersion = String(++rv);
    m.set(k, out);
    return deepCopy(out);
  };
  const ctrl = new PersistentVolumeController({
    api: {
      updateVolume: async (pv) => save(api.volumes, pv.metadata.name ?? '', { ...pv, status: api.volumes.get(pv.metadata.name ?? '')?.status ?? pv.status }),
      updateVolumeStatus: async (pv) => save(api.volumes, pv.metadata.name ?? '', { ...(api.volumes.get(pv.metadata.name ?? '') ?? pv), status: pv.status }),
      updateClaim: async (c) => save(api.claims, claimKey(c), { ...c, status: api.claims.get(claimKey(c))?.status ?? c.status }),
      updateClaimStatus: async (c) => save(api.claims, claimKey(c), { ...(api.claims.get(claimKey(c)) ?? c), status: c.status }),
    },
    classes: () => opts.classes ?? storageClasses,
    pods: (ns) => (opts.pods ?? []).filter((p) => (p.metadata.namespace ?? '') === ns),
    event: (_o, type, reason) => void events.push(`${type} ${reason}`),
    enqueueClaim: (k) => void enqueued.push(k),
  });
  for (const v of volumes) ctrl.storeVolumeUpdate(deepCopy(v));
  for (const c of claims) ctrl.storeClaimUpdate(deepCopy(c));
  return { ctrl, api, events, enqueued };
}

/** What the tests compare: the binding fields, phase and the controller's annotations. */
export function volumeSummary(pv: PersistentVolume): string {
  const a = pv.metadata.annotations ?? {};
  return `${pv.metadata.name} claim=${pv.spec.claimRef?.name ?? ''}/${pv.spec.claimRef?.uid ?? ''} phase=${pv.status?.phase ?? ''}${a[AnnBoundByController] ? ' boundByController' : ''}`;
}

export function claimSummary(c: PersistentVolumeClaim): string {
  const a = c.metadata.annotations ?? {};
  const cap = (c.status as { capacity?: { storage?: string } } | undefined)?.capacity?.storage;
  return `${c.metadata.name} volume=${c.spec.volumeName ?? ''} phase=${c.status?.phase ?? ''}${a[AnnBoundByController] ? ' boundByController' : ''}${a[AnnBindCompleted] ? ' bindCompleted' : ''}${cap ? ` capacity=${cap}` : ''}`;
}
