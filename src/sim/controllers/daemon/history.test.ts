// The DaemonSet's ControllerRevision history on the API server model, after upstream's
// pkg/controller/daemon/update_test.go and the DaemonSet e2e tests (test/e2e/apps/daemon_set.go).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import type { KubeObject } from '../../core/object';
import { computeHash } from '../deployment/hash';
import { marshalGoJSON, revisionDataRaw, type ControllerRevision } from '../history';
import { getPatch, match, maxRevision } from './history';
import { newDaemonSet, newNode, setup } from './testing';
import type { DaemonSet } from './types';

const nodes = ['node-0', 'node-1', 'node-2'].map((n) => newNode(n));

async function withHistory(seed = 7) {
  const h = await setup(nodes, seed);
  const revs = h.cs.appsV1().controllerRevisions('default');
  const listRevs = async () => ((await revs.list()).items as unknown as ControllerRevision[]).sort((a, b) => a.revision - b.revision);
  const setImage = (image: string) => h.updateDs('foo', (ds) => void (ds.spec.template.spec.containers[0].image = image));
  const hashes = async () => [...new Set((await h.livePods()).map((p) => p.metadata.labels?.['controller-revision-hash']))];
  /** Runs the cluster and plays the kubelet until the rollout settles. */
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      await h.run();
      await h.makeReady();
    }
    await h.run();
  };
  return { ...h, revs, listRevs, setImage, hashes, settle };
}

describe('DaemonSet history (pkg/controller/daemon/update.go constructHistory, snapshot, cleanupHistory)', () => {
  it('e2e "should update pod when spec was updated and update strategy is RollingUpdate": one revision per template, named <ds>-<hash>, its hash on the pods', async () => {
    const h = await withHistory();
    await h.dss.create(newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }) as unknown as KubeObject);
    await h.settle();
    const [first, ...none] = await h.listRevs();
    expect(none).toEqual([]);
    const ds = await h.getDs('foo');
    const hash = computeHash(ds.spec.template as never, ds.status?.collisionCount);
    expect(first.metadata.name).toBe(`foo-${hash}`);
    expect(first.revision).toBe(1);
    expect(first.metadata.labels).toEqual({ name: 'foo', 'controller-revision-hash': hash });
    expect(first.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'foo', uid: ds.metadata.uid, controller: true });
    // The data is the patch that restores this template, byte for byte what Match compares.
    expect(first.data).toEqual(getPatch(ds));
    expect(revisionDataRaw(first)).toBe(marshalGoJSON(getPatch(ds)));
    expect(revisionDataRaw(first)).toMatch(/^\{"spec":\{"template":\{"\$patch":"replace","metadata":/);
    expect(await h.hashes()).toEqual([hash]);

    await h.setImage('foo/bar2');
    await h.settle();
    const revs = await h.listRevs();
    expect(revs.map((r) => r.revision)).toEqual([1, 2]);
    const cur = await h.getDs('foo');
    expect(revs[1].metadata.name).toBe(`foo-${computeHash(cur.spec.template as never)}`);
    expect(await h.hashes()).toEqual([revs[1].metadata.labels?.['controller-revision-hash']]);
    expect(match(cur, revs[1])).toBe(true);
    expect(match(cur, revs[0])).toBe(false);
    expect(h.trace.events.filter((e) => e.type === 'daemonset.revision').map((e) => `${e.daemonSet} ${e.op} ${e.revision}`)).toEqual(['default/foo create 1', 'default/foo create 2']);
  });

  it('e2e "should rollback without unnecessary restarts": back to an old template, the old revision is renumbered, not recreated', async () => {
    const h = await withHistory();
    await h.dss.create(newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }) as unknown as KubeObject);
    await h.settle();
    const [v1] = await h.listRevs();
    await h.setImage('foo/bar2');
    await h.settle();
    const v2 = (await h.listRevs())[1];
    await h.setImage('foo/bar');
    await h.settle();
    const revs = await h.listRevs();
    expect(revs.map((r) => [r.metadata.name, r.revision])).toEqual([
      [v2.metadata.name, 2],
      [v1.metadata.name, 3],
    ]);
    expect(await h.hashes()).toEqual([v1.metadata.labels?.['controller-revision-hash']]);
    expect(maxRevision(revs)).toBe(3);
  });

  it('cleanupHistory: revisionHistoryLimit old revisions are kept, the oldest go first, the current one always stays', async () => {
    const h = await withHistory();
    await h.dss.create(newDaemonSet('foo', { revisionHistoryLimit: 1, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } } }) as unknown as KubeObject);
    await h.settle();
    for (const image of ['foo/v2', 'foo/v3', 'foo/v4']) {
      await h.setImage(image);
      await h.settle();
    }
    const revs = await h.listRevs();
    expect(revs.map((r) => r.revision)).toEqual([3, 4]);
    expect(match(await h.getDs('foo'), revs[1])).toBe(true);
    expect(h.trace.events.filter((e) => e.type === 'daemonset.revision' && (e as unknown as { op: string }).op === 'delete')).toHaveLength(2);
  });

  it('cleanupHistory keeps an old revision a live pod still carries (OnDelete: old pods stay)', async () => {
    const h = await withHistory();
    await h.dss.create(newDaemonSet('foo', { revisionHistoryLimit: 0, updateStrategy: { type: 'OnDelete' } }) as unknown as KubeObject);
    await h.settle();
    const [v1] = await h.listRevs();
    await h.setImage('foo/v2');
    await h.settle();
    // Every pod still runs v1: its revision is live and survives a limit of 0.
    expect((await h.listRevs()).map((r) => r.metadata.name)).toContain(v1.metadata.name);
    await h.forceDelete((await h.livePods())[0].metadata.name ?? '');
    await h.settle();
    expect(await h.hashes()).toHaveLength(2);
    for (const p of await h.livePods()) await h.forceDelete(p.metadata.name ?? '');
    await h.settle();
    // No pod of v1 left: over the limit, it is deleted.
    expect((await h.listRevs()).map((r) => r.revision)).toEqual([2]);
  });

  it('TestControlledHistories: an orphan in the namespace that the selector matches is adopted; one in another namespace is not', async () => {
    const h = await withHistory();
    const orphan = (ns: string, name: string): ControllerRevision => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name, namespace: ns, labels: { name: 'foo' } }, data: { spec: { template: { $patch: 'replace' } } }, revision: 7 });
    await h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } } as KubeObject);
    await h.revs.create(orphan('default', 'foo-x2'));
    await h.cs.appsV1().controllerRevisions('other').create(orphan('other', 'foo-x3'));
    await h.dss.create(newDaemonSet('foo') as unknown as KubeObject);
    await h.settle();
    const ds = await h.getDs('foo');
    const adopted = (await h.revs.get('foo-x2')) as ControllerRevision;
    expect(adopted.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    // A revision without the hash label gets its name as the label.
    expect(adopted.metadata.labels?.['controller-revision-hash']).toBe('foo-x2');
    // The adopted revision counts: the current one is numbered past it.
    expect((await h.listRevs()).at(-1)?.revision).toBe(8);
    const other = (await h.cs.appsV1().controllerRevisions('other').get('foo-x3')) as ControllerRevision;
    expect(other.metadata.ownerReferences).toBeUndefined();
  });

  it('snapshot: a revision of another template under the same name bumps status.collisionCount, and the next sync hashes to a new name', async () => {
    const h = await withHistory();
    // The hash depends on the template only: a DaemonSet in another namespace shows which name foo will want.
    await h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'probe' } } as KubeObject);
    const inProbe = newDaemonSet('foo');
    inProbe.metadata.namespace = 'probe';
    await h.cs.appsV1().daemonSets('probe').create(inProbe as unknown as KubeObject);
    await h.run();
    const probe = ((await h.cs.appsV1().controllerRevisions('probe').list()).items as unknown as ControllerRevision[])[0];
    await h.revs.create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: probe.metadata.name, labels: { other: 'x' } }, data: { spec: { template: { $patch: 'replace', metadata: { labels: { other: 'x' } } } } }, revision: 1 } as ControllerRevision);
    await h.dss.create(newDaemonSet('foo') as unknown as KubeObject);
    await h.settle();
    const ds = await h.getDs('foo');
    expect(ds.status?.collisionCount).toBe(1);
    const mine = (await h.listRevs()).filter((r) => r.metadata.ownerReferences?.[0]?.uid === ds.metadata.uid);
    expect(mine).toHaveLength(1);
    expect(mine[0].metadata.name).toBe(`foo-${computeHash(ds.spec.template as never, 1)}`);
    expect(mine[0].metadata.name).not.toBe(probe.metadata.name);
    expect(await h.hashes()).toEqual([mine[0].metadata.labels?.['controller-revision-hash']]);
  });

  it('dedupCurHistories: two revisions of the current template: the higher number stays, pods are relabelled to its hash', async () => {
    const h = await withHistory();
    await h.dss.create(newDaemonSet('foo') as unknown as KubeObject);
    await h.settle();
    const ds = await h.getDs('foo');
    const [cur] = await h.listRevs();
    expect(cur.revision).toBe(1);
    // A second copy of the same data, numbered higher (an orphan, as a controller restarted mid-adoption could leave it).
    await h.revs.create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'foo-dup', labels: { name: 'foo', 'controller-revision-hash': 'dup' } }, data: getPatch(ds), revision: 5 } as ControllerRevision);
    await h.settle();
    const revs = await h.listRevs();
    expect(revs.map((r) => r.metadata.name)).toEqual(['foo-dup']);
    expect(await h.hashes()).toEqual(['dup']);
    // Relabelled in place, not restarted.
    expect((await h.events('SuccessfulDelete'))).toHaveLength(0);
  });

  it('match compares the bytes Go marshals: key order does not matter, any template change does', () => {
    const ds = newDaemonSet('foo') as DaemonSet;
    const rev = { data: JSON.parse(JSON.stringify({ spec: { template: { spec: ds.spec.template.spec, $patch: 'replace', metadata: ds.spec.template.metadata } } })), revision: 1, metadata: {} } as ControllerRevision;
    expect(match(ds, rev)).toBe(true);
    const changed = JSON.parse(JSON.stringify(ds)) as DaemonSet;
    (changed.spec.template.spec.containers[0] as Pod['spec']['containers'][0]).image = 'x';
    expect(match(changed, rev)).toBe(false);
  });
});
