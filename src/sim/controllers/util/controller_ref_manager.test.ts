import { describe, expect, it } from 'vitest';
import { parse } from '../../apimachinery/labels';
import { newLabCluster } from '../../cluster/cluster';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { generateDeleteOwnerRefStrategicMergeBytes, ownerRefControllerPatch, PodControllerRefManager, recheckDeletionTimestamp, type PodControl } from './controller_ref_manager';

const rsKind = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };
const controller = (o: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default', uid: '123', ...o } });
const ref = (uid: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, controller: true, blockOwnerDeletion: true });
const pod = (name: string, labels: Record<string, string>, meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `${name}-uid`, labels, ...meta } });

/** A fake PodControl recording each patch (Go: controller.FakePodControl). */
function fakePodControl() {
  const patches: string[] = [];
  const control: PodControl = { patchPod: async (_ns, name, patch) => void patches.push(`${name} ${patch}`) };
  return { control, patches };
}

describe('PodControllerRefManager.claimPods (ref: controller_ref_manager_test.go TestClaimPods)', () => {
  const cases: Array<{ name: string; controller: KubeObject; pods: KubeObject[]; claimed: string[]; patches: number }> = [
    { name: 'Claim pods with correct label', controller: controller(), pods: [pod('pod1', { foo: 'bar' }), pod('pod2', { foo: 'bar2' })], claimed: ['pod1'], patches: 1 },
    { name: 'Controller marked for deletion can not claim pods', controller: controller({ deletionTimestamp: '2025-01-01T00:00:00Z' }), pods: [pod('pod1', { foo: 'bar' }), pod('pod2', { foo: 'bar' })], claimed: [], patches: 0 },
    {
      name: 'Controller marked for deletion can not claim new pods',
      controller: controller({ deletionTimestamp: '2025-01-01T00:00:00Z' }),
      pods: [pod('pod1', { foo: 'bar' }, { ownerReferences: [ref('123')] }), pod('pod2', { foo: 'bar' })],
      claimed: ['pod1'],
      patches: 0,
    },
    { name: 'Controller can not claim pods owned by another controller', controller: controller(), pods: [pod('pod1', { foo: 'bar' }, { ownerReferences: [ref('456')] })], claimed: [], patches: 0 },
    {
      name: "Controller releases claimed pods when selector doesn't match",
      controller: controller(),
      pods: [pod('pod1', { foo: 'bar' }, { ownerReferences: [ref('123')] }), pod('pod2', { foo: 'bar2' }, { ownerReferences: [ref('123')] })],
      claimed: ['pod1'],
      patches: 1,
    },
    { name: 'Controller does not claim orphaned pods marked for deletion', controller: controller(), pods: [pod('pod1', { foo: 'bar' }), pod('pod2', { foo: 'bar' }, { deletionTimestamp: '2025-01-01T00:00:00Z' })], claimed: ['pod1'], patches: 1 },
    { name: 'Controller does not adopt pods of another namespace', controller: controller(), pods: [pod('pod1', { foo: 'bar' }, { namespace: 'other' })], claimed: [], patches: 0 },
  ];
  it.each(cases)('$name', async (c) => {
    const { control, patches } = fakePodControl();
    const m = new PodControllerRefManager(control, c.controller, parse('foo=bar'), rsKind);
    const { claimed, err } = await m.claimPods(c.pods);
    expect(err).toBeUndefined();
    expect(claimed.map((p) => p.metadata.name)).toEqual(c.claimed);
    expect(patches).toHaveLength(c.patches);
  });

  it('the exact patch bodies: adopt (with finalizers) and release (ref: TestGeneratePatchBytesForDelete)', async () => {
    const { control, patches } = fakePodControl();
    const m = new PodControllerRefManager(control, controller(), parse('foo=bar'), rsKind, undefined, 'batch.kubernetes.io/job-tracking');
    await m.claimPods([pod('pod1', { foo: 'bar' }), pod('pod2', { foo: 'no' }, { ownerReferences: [ref('123')] })]);
    expect(patches).toEqual([
      'pod1 {"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"123","controller":true,"blockOwnerDeletion":true}],"uid":"pod1-uid","finalizers":["batch.kubernetes.io/job-tracking"]}}',
      'pod2 {"metadata":{"$deleteFromPrimitiveList/finalizers":["batch.kubernetes.io/job-tracking"],"ownerReferences":[{"$patch":"delete","uid":"123"}],"uid":"pod2-uid"}}',
    ]);
    expect(generateDeleteOwnerRefStrategicMergeBytes('ss1', ['ss2', 'ss3'])).toBe('{"metadata":{"ownerReferences":[{"$patch":"delete","uid":"ss2"},{"$patch":"delete","uid":"ss3"}],"uid":"ss1"}}');
    expect(generateDeleteOwnerRefStrategicMergeBytes('ss1', [])).toBe('{"metadata":{"ownerReferences":null,"uid":"ss1"}}');
    expect(ownerRefControllerPatch(controller(), { group: '', version: 'v1', kind: 'ReplicationController' }, 'p')).toBe('{"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"ReplicationController","name":"rs","uid":"123","controller":true,"blockOwnerDeletion":true}],"uid":"p"}}');
  });

  it('canAdopt runs once, only when an adoption is attempted; its error fails every adoption (RecheckDeletionTimestamp)', async () => {
    const { control, patches } = fakePodControl();
    let gets = 0;
    const fresh = controller({ deletionTimestamp: '2025-01-01T00:00:00Z' });
    const m = new PodControllerRefManager(control, controller(), parse('foo=bar'), rsKind, recheckDeletionTimestamp(async () => (gets++, fresh)));
    const none = await m.claimPods([pod('other', { foo: 'no' })]);
    expect([none.claimed, gets]).toEqual([[], 0]);
    const { claimed, err } = await m.claimPods([pod('pod1', { foo: 'bar' }), pod('pod2', { foo: 'bar' })]);
    expect(claimed).toEqual([]);
    expect(gets).toBe(1);
    expect(patches).toEqual([]);
    expect(err?.message).toBe("[can't adopt Pod default/pod1 (pod1-uid): default/rs has just been deleted at 2025-01-01T00:00:00Z, can't adopt Pod default/pod2 (pod2-uid): default/rs has just been deleted at 2025-01-01T00:00:00Z]");
  });

  it('against the API server: adoption adds the controller reference; a second controller cannot take it; release removes it', async () => {
    const cluster = await newLabCluster({ env: newEnv({ seed: 2 }) });
    const cs = cluster.clientset({ qps: -1 });
    const control: PodControl = { patchPod: async (ns, name, patch) => void (await cs.coreV1().pods(ns).patch(name, 'application/strategic-merge-patch+json', JSON.parse(patch))) };
    const rs = await cs.appsV1().replicaSets('default').create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { selector: { matchLabels: { foo: 'bar' } }, template: { metadata: { labels: { foo: 'bar' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as KubeObject);
    const p = await cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { foo: 'bar' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    const m = new PodControllerRefManager(control, rs, parse('foo=bar'), rsKind);
    expect((await m.claimPods([p])).claimed).toHaveLength(1);
    const adopted = await cs.coreV1().pods('default').get('web');
    expect(adopted.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    // Another controller adopting straight away (no claim check) is refused: one controller per object.
    const other = new PodControllerRefManager(control, { ...rs, metadata: { ...rs.metadata, name: 'rs2', uid: 'other-uid' } }, parse('foo=bar'), rsKind);
    await expect(other.adoptPod(adopted)).rejects.toThrow(/Only one reference can have Controller set to true/);
    const relabeled = await cs.coreV1().pods('default').patch('web', 'application/merge-patch+json', { metadata: { labels: { foo: 'moved' } } });
    expect((await m.claimPods([relabeled])).claimed).toEqual([]);
    expect((await cs.coreV1().pods('default').get('web')).metadata.ownerReferences ?? []).toEqual([]);
    // Releasing a pod recreated under the same name: its uid differs, the 422 counts as released.
    await expect(m.releasePod({ ...relabeled, metadata: { ...relabeled.metadata, uid: 'stale' } })).resolves.toBeUndefined();
  });
});
