import { describe, expect, it } from 'vitest';
import type { OwnerReference } from '../../core/object';
import { hashControllerRevision } from '../history';
import { makeSet, wwwClaim } from './testing';
import type { PersistentVolumeClaim, Pod, StatefulSet } from './types';
import {
  applyRevision,
  completeRollingUpdate,
  getParentNameAndOrdinal,
  getPersistentVolumeClaims,
  getPatch,
  hasStaleOwnerRef,
  identityMatches,
  inconsistentStatus,
  isClaimOwnerUpToDate,
  isRunningAndAvailable,
  isRunningAndReady,
  newRevision,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  storageMatches,
  updateClaimOwnerRefForSetAndPod,
  updateIdentity,
  updateStorage,
} from './utils';
import { podKind } from './types';

const set = (spec: Partial<StatefulSet['spec']> = {}): StatefulSet => {
  const s = makeSet({ volumeClaimTemplates: [wwwClaim as never], ...spec });
  s.metadata.uid = 'set-uid';
  return s;
};

describe('stateful_set_utils.go', () => {
  it.each([
    ['web-0', 'web', 0],
    ['my-web-12', 'my-web', 12],
    ['web', '', -1],
    ['web-', '', -1],
    ['web-2147483648', 'web', -1],
  ])('reads %s as parent %s, ordinal %i (ref: TestGetParentNameAndOrdinal)', (name, parent, ordinal) => {
    expect(getParentNameAndOrdinal({ metadata: { name } })).toEqual([parent, ordinal]);
  });

  it('a new pod has its identity and storage; breaking either is noticed and repaired (ref: TestIdentityMatches, TestStorageMatches, TestUpdateIdentity, TestUpdateStorage)', () => {
    const s = set();
    const pod = newStatefulSetPod(s, 1);
    expect(identityMatches(s, pod)).toBe(true);
    expect(storageMatches(s, pod)).toBe(true);
    const renamed = structuredClone(pod);
    renamed.metadata.labels!['statefulset.kubernetes.io/pod-name'] = 'web-9';
    expect(identityMatches(s, renamed)).toBe(false);
    updateIdentity(s, renamed);
    expect(identityMatches(s, renamed)).toBe(true);
    const otherNs = structuredClone(pod);
    otherNs.metadata.namespace = 'other';
    expect(identityMatches(s, otherNs)).toBe(false);
    const noVolumes = structuredClone(pod);
    noVolumes.spec.volumes = [{ name: 'www', emptyDir: {} }, { name: 'scratch', emptyDir: {} }];
    expect(storageMatches(s, noVolumes)).toBe(false);
    updateStorage(s, noVolumes);
    expect(noVolumes.spec.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }, { name: 'scratch', emptyDir: {} }]);
  });

  it('claims take the template, the ordinal name, the namespace and the selector labels (ref: TestGetPersistentVolumeClaims)', () => {
    const s = set();
    s.spec.volumeClaimTemplates![0].metadata.labels = { tier: 'disk' };
    const claims = getPersistentVolumeClaims(s, { metadata: { name: 'web-3' } });
    expect([...claims.keys()]).toEqual(['www']);
    expect(claims.get('www')!.metadata).toEqual({ name: 'www-web-3', namespace: 'default', labels: { tier: 'disk', app: 'web' } });
  });

  it('a pod is Running and Ready, then Available only after minReadySeconds (ref: TestIsRunningAndReady, IsPodAvailable)', () => {
    const pod = (phase: string, ready: string, at = '2026-01-01T00:00:00Z') => ({ metadata: {}, spec: { containers: [] }, status: { phase, conditions: [{ type: 'Ready', status: ready, lastTransitionTime: at }] } }) as unknown as Pod;
    expect(isRunningAndReady(pod('Running', 'True'))).toBe(true);
    expect(isRunningAndReady(pod('Pending', 'True'))).toBe(false);
    expect(isRunningAndReady(pod('Running', 'False'))).toBe(false);
    const t0 = Date.parse('2026-01-01T00:00:00Z'); // allow-nondeterminism: parses a fixed date
    expect(isRunningAndAvailable(pod('Running', 'True'), 0, t0)).toBe(true);
    expect(isRunningAndAvailable(pod('Running', 'True'), 10, t0 + 10_000)).toBe(false);
    expect(isRunningAndAvailable(pod('Running', 'True'), 10, t0 + 10_001)).toBe(true);
  });

  it('a revision holds the template as a replace patch, and applying it restores that template (ref: TestCreateApplyRevision)', () => {
    const s = set();
    s.metadata.annotations = { note: 'x' };
    const r = newRevision(s, 1, 0);
    expect(r.data).toEqual({ spec: { template: { ...s.spec.template, $patch: 'replace' } } });
    expect(r.metadata.name).toBe(`web-${hashControllerRevision(r, 0)}`);
    expect(r.metadata.labels).toEqual({ app: 'web', 'controller.kubernetes.io/hash': hashControllerRevision(r, 0) });
    expect(r.metadata.annotations).toEqual({ note: 'x' });
    const changed = structuredClone(s);
    changed.spec.template.spec.containers[0].image = 'nginx:2';
    changed.spec.replicas = 7;
    const restored = applyRevision(changed, r);
    expect(restored.spec.template).toEqual(s.spec.template);
    expect(restored.spec.replicas).toBe(7);
    expect(getPatch(s).spec.template.$patch).toBe('replace');
  });

  it('below the partition a new pod takes the current revision, at or above it the update one (ref: TestRollingUpdateApplyRevision, newVersionedStatefulSetPod)', () => {
    const current = set({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    const update = structuredClone(current);
    update.spec.template.spec.containers[0].image = 'nginx:2';
    const at = (o: number) => newVersionedStatefulSetPod(current, update, 'web-a', 'web-b', o);
    expect([0, 1, 2, 3].map((o) => [at(o).metadata.labels!['controller-revision-hash'], at(o).spec.containers[0].image])).toEqual([
      ['web-a', 'nginx:1.27'],
      ['web-a', 'nginx:1.27'],
      ['web-b', 'nginx:2'],
      ['web-b', 'nginx:2'],
    ]);
  });

  it('status: only differences are written; a finished rolling update makes the update revision current (ref: TestStatefulSetControl_updateStatefulSetStatus, completeRollingUpdate)', () => {
    const s = set({ replicas: 2, updateStrategy: { type: 'RollingUpdate' } });
    s.status = { replicas: 2, readyReplicas: 2, currentReplicas: 1, updatedReplicas: 2, currentRevision: 'a', updateRevision: 'b', observedGeneration: 1 };
    const status = { ...s.status };
    expect(inconsistentStatus(s, status)).toBe(false);
    completeRollingUpdate(s, status);
    expect(status).toMatchObject({ currentRevision: 'b', currentReplicas: 2 });
    expect(inconsistentStatus(s, status)).toBe(true);
    const onDelete = set({ replicas: 2, updateStrategy: { type: 'OnDelete' } });
    const st2 = { ...s.status };
    completeRollingUpdate(onDelete, st2);
    expect(st2.currentRevision).toBe('a');
  });
});

describe('claim ownership for persistentVolumeClaimRetentionPolicy (stateful_set_utils.go)', () => {
  const setRef: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };
  const podRef = (uid = 'pod-uid'): OwnerReference => ({ apiVersion: 'v1', kind: 'Pod', name: 'web-3', uid, controller: true, blockOwnerDeletion: true });
  const claim = (refs: OwnerReference[]): PersistentVolumeClaim => ({ metadata: { name: 'www-web-3', ownerReferences: refs }, spec: {} });
  const pod = { metadata: { name: 'web-3', uid: 'pod-uid', namespace: 'default' }, spec: { containers: [] } } as unknown as Pod;

  it.each([
    // [whenScaled, whenDeleted, replicas (web-3 in range when 4), refs, up to date]
    ['Retain', 'Retain', 4, [], true],
    ['Retain', 'Retain', 4, [setRef], false],
    ['Retain', 'Delete', 4, [setRef], true],
    ['Retain', 'Delete', 4, [], false],
    ['Delete', 'Retain', 4, [], true],
    ['Delete', 'Retain', 2, [], false],
    ['Delete', 'Retain', 2, [podRef()], true],
    ['Delete', 'Delete', 4, [setRef], true],
    ['Delete', 'Delete', 2, [setRef], false],
    ['Delete', 'Delete', 2, [podRef()], true],
    // A reference to an earlier pod of the same name: not ours to touch.
    ['Delete', 'Delete', 2, [podRef('old-uid')], true],
  ] as const)('whenScaled=%s whenDeleted=%s replicas=%i: refs %j up to date = %s (ref: TestClaimOwnerMatchesSetAndPod)', (whenScaled, whenDeleted, replicas, refs, upToDate) => {
    const s = set({ replicas, persistentVolumeClaimRetentionPolicy: { whenScaled, whenDeleted } });
    const c = claim([...refs]);
    expect(isClaimOwnerUpToDate(c, s, pod)).toBe(upToDate);
    if (!upToDate) {
      updateClaimOwnerRefForSetAndPod(c, s, pod);
      expect(isClaimOwnerUpToDate(c, s, pod)).toBe(true);
    }
  });

  it('a stale reference names the pod with another uid (ref: TestHasStaleOwnerRef)', () => {
    expect(hasStaleOwnerRef(claim([podRef('old')]), pod, podKind)).toBe(true);
    expect(hasStaleOwnerRef(claim([podRef()]), pod, podKind)).toBe(false);
    expect(hasStaleOwnerRef(claim([]), pod, podKind)).toBe(false);
  });
});
