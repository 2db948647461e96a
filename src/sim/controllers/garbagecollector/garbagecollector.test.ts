import { describe, expect, it } from 'vitest';
import { isNotFound } from '../../apimachinery/errors';
import type { KubeObject } from '../../core/object';
import { runUntilSettled } from '../../core/drive';
import { enqueuedVirtualDeleteEventErr, getDeletableResources, namespacedOwnerOfClusterScopedObjectErr } from './garbagecollector';
import type { GraphNode } from './graph';
import { createPod, createRS, idOf, makeAddEvent, makeID, refTo, setupGC } from './testing/fixtures';

/** Feeds objects to the graph as an informer would, and returns the node of the last one. */
function observe(gc: Awaited<ReturnType<typeof setupGC>>['gc'], ...objs: KubeObject[]): GraphNode {
  for (const o of objs) gc.dependencyGraphBuilder.processEvent(makeAddEvent(o));
  return gc.dependencyGraphBuilder.uidToNode.read(objs[objs.length - 1].metadata.uid as string) as GraphNode;
}

const gone = async (p: Promise<unknown>) => p.then(() => false, (e) => isNotFound(e));

describe('GarbageCollector.attemptToDeleteItem (garbagecollector.go)', () => {
  it('ref: TestAttemptToDeleteItem: a pod whose only owner is not found is deleted, and the owner cached as absent', async () => {
    const { gc, cs } = await setupGC();
    const owner = makeID('apps/v1', 'ReplicaSet', 'ns1', 'owner1', '123');
    const pod = await createPod(cs, 'ns1', 'to-be-deleted-pod', [refTo(owner)]);
    await gc.attemptToDeleteItem(observe(gc, pod));
    expect(await gone(cs.coreV1().pods('ns1').get('to-be-deleted-pod'))).toBe(true);
    expect(gc.dependencyGraphBuilder.absentOwnerCache.has(owner)).toBe(true);
  });

  it('ref: TestAbsentOwnerCache: an owner that exists keeps its dependent; the missing one is cached and its dependent deleted', async () => {
    const { gc, cs } = await setupGC();
    const rc1 = await createRS(cs, 'ns1', 'rc1');
    const rc2 = makeID('apps/v1', 'ReplicaSet', 'ns1', 'rc2', 'rc2-uid');
    const p1 = await createPod(cs, 'ns1', 'rc1-pod1', [refTo(idOf(rc1))]);
    const p2 = await createPod(cs, 'ns1', 'rc2-pod1', [refTo(rc2)]);
    await gc.attemptToDeleteItem(observe(gc, rc1, p1));
    await gc.attemptToDeleteItem(observe(gc, p2));
    expect(await gone(cs.coreV1().pods('ns1').get('rc1-pod1'))).toBe(false);
    expect(await gone(cs.coreV1().pods('ns1').get('rc2-pod1'))).toBe(true);
    expect(gc.dependencyGraphBuilder.absentOwnerCache.has(rc2)).toBe(true);
    expect(gc.dependencyGraphBuilder.absentOwnerCache.has(idOf(rc1))).toBe(false);
  });

  const cases: Array<{ name: string; ref?: string; build: (h: Awaited<ReturnType<typeof setupGC>>) => Promise<KubeObject[]>; expectPod: (p: KubeObject | undefined) => void }> = [
    {
      name: 'an owner with the same name but another uid is dangling: the pod is deleted',
      build: async ({ cs }) => {
        const rs = await createRS(cs, 'ns1', 'rs');
        return [rs, await createPod(cs, 'ns1', 'pod', [{ ...refTo(idOf(rs)), uid: 'an-older-uid' }])];
      },
      expectPod: (p) => expect(p).toBeUndefined(),
    },
    {
      name: 'a solid owner and a dangling one: only the dangling reference is dropped',
      build: async ({ cs }) => {
        const rs = await createRS(cs, 'ns1', 'rs');
        return [rs, await createPod(cs, 'ns1', 'pod', [refTo(idOf(rs)), refTo(makeID('apps/v1', 'ReplicaSet', 'ns1', 'gone', 'gone-uid'))])];
      },
      expectPod: (p) => expect(p?.metadata.ownerReferences?.map((r) => r.name)).toEqual(['rs']),
    },
    {
      name: 'a solid owner and one deleting in the foreground: the waiting reference is dropped so the foreground delete can end',
      build: async ({ cs }) => {
        const rs = await createRS(cs, 'ns1', 'rs');
        const waiting = await createRS(cs, 'ns1', 'waiting', { finalizers: ['foregroundDeletion'] });
        const pod = await createPod(cs, 'ns1', 'pod', [refTo(idOf(rs)), refTo(idOf(waiting), true)]);
        await cs.appsV1().replicaSets('ns1').delete('waiting', { propagationPolicy: 'Foreground' });
        return [rs, pod];
      },
      expectPod: (p) => expect(p?.metadata.ownerReferences?.map((r) => r.name)).toEqual(['rs']),
    },
    {
      name: 'no solid owner and an orphan finalizer already on the pod: deleted with Orphan (the finalizer stays, the pod waits)',
      build: async ({ cs }) => [await createPod(cs, 'ns1', 'pod', [refTo(makeID('apps/v1', 'ReplicaSet', 'ns1', 'gone', 'gone-uid'))], { finalizers: ['orphan'] })],
      expectPod: (p) => {
        expect(p?.metadata.deletionTimestamp).toBeDefined();
        expect(p?.metadata.finalizers).toEqual(['orphan']);
      },
    },
    {
      name: 'no owner at all: nothing is done',
      build: async ({ cs }) => [await createPod(cs, 'ns1', 'pod')],
      expectPod: (p) => expect(p?.metadata.deletionTimestamp).toBeUndefined(),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const h = await setupGC();
      const objs = await c.build(h);
      await h.gc.attemptToDeleteItem(observe(h.gc, ...objs));
      const pod = await h.cs.coreV1().pods('ns1').get('pod').catch(() => undefined);
      c.expectPod(pod);
    });
  }

  it('an owner waiting for its dependents, and the item has dependents of its own: the item is deleted in the foreground', async () => {
    const { gc, cs } = await setupGC();
    const d = await cs.appsV1().deployments('ns1').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', finalizers: ['foregroundDeletion'] }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } } as KubeObject);
    await cs.appsV1().deployments('ns1').delete('d', { propagationPolicy: 'Foreground' });
    const rs = await createRS(cs, 'ns1', 'rs', { ownerReferences: [refTo(idOf(d), true)] });
    const pod = await createPod(cs, 'ns1', 'pod', [refTo(idOf(rs), true)]);
    const rsNode = observe(gc, d, rs, pod) && gc.dependencyGraphBuilder.uidToNode.read(rs.metadata.uid as string) as GraphNode;
    await gc.attemptToDeleteItem(rsNode);
    const after = await cs.appsV1().replicaSets('ns1').get('rs');
    expect(after.metadata.deletionTimestamp).toBeDefined();
    expect(after.metadata.finalizers).toEqual(['foregroundDeletion']);
  });

  it('an item that is gone gives a virtual delete event instead', async () => {
    const { gc } = await setupGC();
    const ghost = observe(gc, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ghost', namespace: 'ns1', uid: 'ghost-uid' } });
    await expect(gc.attemptToDeleteItem(ghost)).rejects.toBe(enqueuedVirtualDeleteEventErr);
    expect(gc.dependencyGraphBuilder.graphChanges.len()).toBe(1);
    await runUntilSettled(gc.ops.clock, gc.dependencyGraphBuilder.processGraphChanges());
    expect(gc.graphHasUID('ghost-uid')).toBe(false);
  });

  it('a cluster-scoped item naming a namespaced owner is never retried', async () => {
    const { gc, cs } = await setupGC();
    const pv = await cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', ownerReferences: [refTo(makeID('v1', 'Pod', '', 'p', 'p-uid'))] }, spec: {}, status: {} } as KubeObject);
    const n = observe(gc, pv);
    await expect(gc.attemptToDeleteItem(n)).rejects.toBe(namespacedOwnerOfClusterScopedObjectErr);
    expect(await gc.attemptToDeleteWorker(n)).toBe('forget');
    expect(await gone(cs.coreV1().nodes().get('n1'))).toBe(false);
  });

  it('an owner kind the server does not serve is a REST mapping error, retried', async () => {
    const { gc, cs } = await setupGC();
    const pod = await createPod(cs, 'ns1', 'pod', [refTo(makeID('example.com/v1', 'Widget', 'ns1', 'w', 'w-uid'))]);
    const n = observe(gc, pod);
    expect(await gc.attemptToDeleteWorker(n)).toBe('requeue');
    expect(gc.errors.at(-1)).toContain('unable to get REST mapping for Widget/example.com/v1.');
  });
});

describe('foreground and orphan (garbagecollector.go)', () => {
  it('processDeletingDependentsItem: queues blocking dependents, then removes foregroundDeletion once none is left', async () => {
    const { gc, cs } = await setupGC();
    const rs = await createRS(cs, 'ns1', 'rs', { finalizers: ['foregroundDeletion'] });
    const pod = await createPod(cs, 'ns1', 'pod', [refTo(idOf(rs), true)]);
    await cs.appsV1().replicaSets('ns1').delete('rs', { propagationPolicy: 'Foreground' });
    const deleting = await cs.appsV1().replicaSets('ns1').get('rs');
    const gb = gc.dependencyGraphBuilder;
    observe(gc, pod);
    gb.processEvent({ eventType: 'update', oldObj: rs, obj: deleting, gvk: { apiVersion: 'apps/v1', kind: 'ReplicaSet' } });
    const rsNode = gb.uidToNode.read(rs.metadata.uid as string) as GraphNode;
    expect(rsNode.isDeletingDependents()).toBe(true);
    await gc.processDeletingDependentsItem(rsNode);
    expect((await cs.appsV1().replicaSets('ns1').get('rs')).metadata.finalizers).toEqual(['foregroundDeletion']);
    // The pod goes; its delete event leaves the owner with no blocking dependent.
    await cs.coreV1().pods('ns1').delete('pod', { gracePeriodSeconds: 0 });
    gb.processEvent({ eventType: 'delete', obj: pod, gvk: { apiVersion: 'v1', kind: 'Pod' } });
    await gc.attemptToDeleteItem(rsNode);
    expect(await gone(cs.appsV1().replicaSets('ns1').get('rs'))).toBe(true);
  });

  it('a non-blocking dependent does not hold a foreground delete', async () => {
    const { gc, cs } = await setupGC();
    const rs = await createRS(cs, 'ns1', 'rs', { finalizers: ['foregroundDeletion'] });
    const pod = await createPod(cs, 'ns1', 'pod', [refTo(idOf(rs), false)]);
    await cs.appsV1().replicaSets('ns1').delete('rs', { propagationPolicy: 'Foreground' });
    const deleting = await cs.appsV1().replicaSets('ns1').get('rs');
    observe(gc, pod, deleting);
    await gc.attemptToDeleteItem(gc.dependencyGraphBuilder.uidToNode.read(rs.metadata.uid as string) as GraphNode);
    expect(await gone(cs.appsV1().replicaSets('ns1').get('rs'))).toBe(true);
  });

  it('attemptToOrphanWorker: removes the owner from each dependent, then the orphan finalizer; a dependent already gone is fine', async () => {
    const { gc, cs } = await setupGC();
    const rs = await createRS(cs, 'ns1', 'rs');
    const keep = makeID('apps/v1', 'ReplicaSet', 'ns1', 'other', 'other-uid');
    const p1 = await createPod(cs, 'ns1', 'p1', [refTo(idOf(rs)), refTo(keep)]);
    const p2 = await createPod(cs, 'ns1', 'p2', [refTo(idOf(rs))]);
    await cs.appsV1().replicaSets('ns1').delete('rs', { propagationPolicy: 'Orphan' });
    const deleting = await cs.appsV1().replicaSets('ns1').get('rs');
    expect(deleting.metadata.finalizers).toEqual(['orphan']);
    observe(gc, rs, p1, p2);
    gc.dependencyGraphBuilder.processEvent({ eventType: 'update', oldObj: rs, obj: deleting, gvk: { apiVersion: 'apps/v1', kind: 'ReplicaSet' } });
    await cs.coreV1().pods('ns1').delete('p2', { gracePeriodSeconds: 0 });
    expect(await gc.attemptToOrphanWorker(gc.dependencyGraphBuilder.uidToNode.read(rs.metadata.uid as string) as GraphNode)).toBe('forget');
    expect((await cs.coreV1().pods('ns1').get('p1')).metadata.ownerReferences).toEqual([refTo(keep)]);
    expect(await gone(cs.appsV1().replicaSets('ns1').get('rs'))).toBe(true);
  });
});

describe('patches (patch.go)', () => {
  it('ref: TestDeleteOwnerRefPatch: drops only the named owners, under the dependent uid as a precondition', async () => {
    const { gc, cs } = await setupGC();
    const [a, b] = [makeID('apps/v1', 'ReplicaSet', 'ns1', 'a', 'ua'), makeID('apps/v1', 'ReplicaSet', 'ns1', 'b', 'ub')];
    const pod = await createPod(cs, 'ns1', 'pod', [refTo(a), refTo(b)]);
    await gc.ops.deleteOwnerRefs(idOf(pod), 'ua');
    expect((await cs.coreV1().pods('ns1').get('pod')).metadata.ownerReferences).toEqual([refTo(b)]);
    // A namesake created after the node was observed is not patched: the server refuses the uid change.
    await expect(gc.ops.deleteOwnerRefs({ ...idOf(pod), uid: 'older-uid' }, 'ub')).rejects.toThrow('metadata.uid: Invalid value: "older-uid": field is immutable');
  });

  it('ref: TestUnblockOwnerReference: blocking references become non-blocking, the others stay', async () => {
    const { gc, cs } = await setupGC();
    const [a, b] = [makeID('apps/v1', 'ReplicaSet', 'ns1', 'a', 'ua'), makeID('apps/v1', 'ReplicaSet', 'ns1', 'b', 'ub')];
    const pod = await createPod(cs, 'ns1', 'pod', [refTo(a, true), refTo(b)]);
    await gc.ops.unblockOwnerReferences(idOf(pod), pod.metadata.ownerReferences ?? []);
    expect((await cs.coreV1().pods('ns1').get('pod')).metadata.ownerReferences).toEqual([refTo(a, false), refTo(b)]);
  });
});

describe('GetDeletableResources (garbagecollector.go)', () => {
  it('ref: TestGetDeletableResources: preferred versions that delete, list and watch, without Events', async () => {
    const { cs } = await setupGC();
    const names = (await getDeletableResources(cs)).map((r) => `${r.gvr.group}/${r.gvr.resource}`);
    expect(names).toContain('/pods');
    expect(names).toContain('apps/replicasets');
    expect(names).toContain('/nodes');
    expect(names).not.toContain('/events');
  });
});

describe('foreground cycles (garbagecollector.go attemptToDeleteItem)', () => {
  it('an item whose owner waits and whose own dependent also deletes in the foreground stops blocking its owners, then goes in the foreground', async () => {
    const { gc, cs } = await setupGC();
    const owner = await createRS(cs, 'ns1', 'owner', { finalizers: ['foregroundDeletion'] });
    await cs.appsV1().replicaSets('ns1').delete('owner', { propagationPolicy: 'Foreground' });
    const item = await createRS(cs, 'ns1', 'item', { ownerReferences: [refTo(idOf(owner), true)] });
    const dep = await createRS(cs, 'ns1', 'dep', { ownerReferences: [refTo(idOf(item), true)], finalizers: ['foregroundDeletion'] });
    await cs.appsV1().replicaSets('ns1').delete('dep', { propagationPolicy: 'Foreground' });
    const gb = gc.dependencyGraphBuilder;
    observe(gc, await cs.appsV1().replicaSets('ns1').get('owner'), item, await cs.appsV1().replicaSets('ns1').get('dep'));
    expect(gb.uidToNode.read(dep.metadata.uid as string)?.isDeletingDependents()).toBe(true);
    const node = gb.uidToNode.read(item.metadata.uid as string) as GraphNode;
    // As upstream: the delete carries the resourceVersion and owners read before the unblocking
    // patch, so the first attempt conflicts and the worker requeues; the second goes through.
    await expect(gc.attemptToDeleteItem(node)).rejects.toThrow('the ResourceVersion in the precondition');
    expect((await cs.appsV1().replicaSets('ns1').get('item')).metadata.ownerReferences).toEqual([refTo(idOf(owner), false)]);
    await gc.attemptToDeleteItem(node);
    const after = await cs.appsV1().replicaSets('ns1').get('item');
    expect(after.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(after.metadata.deletionTimestamp).toBeDefined();
  });
});
