import { describe, expect, it } from 'vitest';
import { everything, selectorFromSet } from '../../apimachinery/labels';
import { newLabCluster } from '../../cluster/cluster';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import {
  ControllerRevisionHashLabel,
  equalRevision,
  findEqualRevisions,
  hashControllerRevision,
  newControllerRevision,
  newHistory,
  sortControllerRevisions,
  type ControllerRevision,
} from './controller_history';

const parent = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'p-uid' } } as KubeObject;
const kind = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
const rev = (data: unknown, revision: number, name?: string, created = '2026-01-01T00:00:00Z'): ControllerRevision => {
  const r = newControllerRevision(parent, kind, { app: 'web' }, data, revision, 0);
  if (name) r.metadata.name = name;
  r.metadata.creationTimestamp = created;
  return r;
};

describe('pkg/controller/history', () => {
  it('names a revision after its parent and the hash of its data; the collision count changes the hash (ref: TestNewControllerRevision, TestHashControllerRevision)', () => {
    const r = newControllerRevision(parent, kind, { app: 'web' }, { a: 1 }, 1, 0);
    expect(r.metadata.name).toBe(`web-${hashControllerRevision(r, 0)}`);
    expect(r.metadata.labels).toEqual({ app: 'web', [ControllerRevisionHashLabel]: hashControllerRevision(r, 0) });
    expect(r.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'p-uid', controller: true, blockOwnerDeletion: true }]);
    expect(hashControllerRevision(r, 1)).not.toBe(hashControllerRevision(r, 0));
    expect(hashControllerRevision(r)).not.toBe(hashControllerRevision(r, 0));
  });

  it('sorts by revision, then creation time, then name (ref: TestSortControllerRevisions)', () => {
    const rs = [rev({ a: 3 }, 3, 'c'), rev({ a: 1 }, 1, 'z'), rev({ a: 2 }, 1, 'b', '2025-01-01T00:00:00Z'), rev({ a: 4 }, 1, 'a')];
    expect(sortControllerRevisions(rs).map((r) => r.metadata.name)).toEqual(['b', 'a', 'z', 'c']);
  });

  it('two revisions are equal when their data is; findEqualRevisions keeps their order (ref: TestEqualRevision, TestFindEqualRevisions)', () => {
    const a = rev({ x: 1 }, 1, 'a');
    const b = rev({ x: 1 }, 2, 'b');
    const c = rev({ x: 2 }, 3, 'c');
    expect(equalRevision(a, b)).toBe(true);
    expect(equalRevision(a, c)).toBe(false);
    expect(equalRevision(undefined, undefined)).toBe(true);
    expect(equalRevision(a, undefined)).toBe(false);
    // Hash labels that parse as numbers and differ decide at once.
    const n1 = rev({ x: 1 }, 1, 'n1');
    const n2 = rev({ x: 1 }, 1, 'n2');
    n1.metadata.labels![ControllerRevisionHashLabel] = '1';
    n2.metadata.labels![ControllerRevisionHashLabel] = '2';
    expect(equalRevision(n1, n2)).toBe(false);
    expect(findEqualRevisions([c, b, a], a).map((r) => r.metadata.name)).toEqual(['b', 'a']);
  });

  it('realHistory creates, renames on a collision, renumbers, adopts, releases, lists and deletes through the API (ref: TestRealHistory_*)', async () => {
    const cluster = await newLabCluster({ env: newEnv({ seed: 9 }) });
    const cs = cluster.clientset({ qps: -1 });
    const revs = cs.appsV1().controllerRevisions('default');
    let cache: ControllerRevision[] = [];
    const refresh = async () => (cache = (await revs.list()).items as unknown as ControllerRevision[]);
    const h = newHistory(cs, { list: () => cache, get: (_ns, name) => cache.find((r) => r.metadata.name === name) }, cluster.clock);

    const r1 = rev({ v: 1 }, 1);
    const count = { value: 0 };
    const created = await h.createControllerRevision(parent, r1, count);
    expect(created.metadata.name).toBe(r1.metadata.name);
    // The same data again: the existing revision comes back, no collision.
    expect((await h.createControllerRevision(parent, r1, count)).metadata.uid).toBe(created.metadata.uid);
    expect(count.value).toBe(0);
    // Other data already under the name a revision hashes to: the count goes up and the name moves (the hash label does not).
    const clash = rev({ v: 2 }, 2);
    await revs.create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: clash.metadata.name, labels: { app: 'db' } }, data: { planted: true }, revision: 1 } as KubeObject);
    const moved = await h.createControllerRevision(parent, clash, count);
    expect(count.value).toBe(1);
    expect(moved.metadata.name).toBe(`web-${hashControllerRevision(clash, 1)}`);
    expect(moved.metadata.labels![ControllerRevisionHashLabel]).toBe(clash.metadata.labels![ControllerRevisionHashLabel]);
    await expect(h.createControllerRevision(parent, r1, undefined)).rejects.toThrow('collisionCount should not be nil');

    expect((await h.updateControllerRevision(created, 5)).revision).toBe(5);

    // An orphan matching the selector is listed and can be adopted; one owned by another parent is not listed.
    const orphan = (await revs.create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'orphan', labels: { app: 'web' } }, data: {}, revision: 1 } as KubeObject)) as ControllerRevision;
    await revs.create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'theirs', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'x', uid: 'x', controller: true }] }, data: {}, revision: 1 } as KubeObject);
    await refresh();
    expect(h.listControllerRevisions(parent, selectorFromSet({ app: 'web' })).map((r) => r.metadata.name).sort()).toEqual([created.metadata.name, moved.metadata.name, 'orphan'].sort());
    const adopted = await h.adoptControllerRevision(parent, kind, orphan);
    expect(adopted.metadata.ownerReferences?.[0]).toMatchObject({ uid: 'p-uid', controller: true });
    await expect(h.adoptControllerRevision(parent, kind, adopted)).rejects.toThrow('attempt to adopt revision owned by');
    const released = await h.releaseControllerRevision(parent, adopted);
    expect(released?.metadata.ownerReferences ?? []).toEqual([]);
    await h.deleteControllerRevision(released!);
    await refresh();
    expect(h.listControllerRevisions(parent, everything()).map((r) => r.metadata.name)).not.toContain('orphan');
  });
});
