import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { FakePodControl, newPod, newReplicaSet, ns, setupRS, syncCounts, type RSHarness } from './testing';
import { updateReplicaSetStatus } from './replica_set_utils';
import { runUntilSettled } from '../../core/drive';
import { eventSource, eventText } from '../../catalogs';
import { newFakeKubelet } from '../testing/fake_kubelet';
import type { ReplicaSet } from './types';

const key = (name: string) => `${ns}/${name}`;

/** Replaces the sync with a recorder, as upstream's tests replace syncHandler. */
function recordSyncs(h: RSHarness): string[] {
  const synced: string[] = [];
  h.rsc.syncHandler = async (k) => {
    synced.push(k);
  };
  return synced;
}

/** Pops every key the handlers queued (the queue must not be worked by anyone else). */
async function drain(h: RSHarness): Promise<string[]> {
  const keys: string[] = [];
  while (h.rsc.queue.len() > 0) {
    const { item } = (await h.rsc.queue.get()) as { item: string };
    keys.push(item);
    h.rsc.queue.done(item);
  }
  return keys;
}

describe('ReplicaSet controller on the API server (pkg/controller/replicaset/replica_set_test.go)', () => {
  it('TestSyncReplicaSetDoesNothing: 2 running pods for 2 replicas, no create, no delete', async () => {
    const h = await setupRS({ start: false });
    const rs = await h.createRS(newReplicaSet('rs', 2));
    await h.createPod(newPod('pod-a', rs), true);
    await h.createPod(newPod('pod-b', rs), true);
    const posts = h.faults.count('POST', '/pods');
    await h.start();
    await h.run();
    expect(h.faults.count('POST', '/pods')).toBe(posts);
    expect(h.faults.count('DELETE', '/pods')).toBe(0);
    expect((await h.getRS('rs')).status).toMatchObject({ replicas: 2, fullyLabeledReplicas: 0, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
    h.rsc.stop();
  });

  it('TestDeleteFinalStateUnknown: a tombstone of an owned pod syncs its ReplicaSet', async () => {
    const h = await setupRS();
    const rs = await h.createRS(newReplicaSet('rs', 1));
    await h.run();
    const synced = recordSyncs(h);
    // The relist found the pod gone: the handler gets its last known state in a tombstone.
    h.rsc.deletePod(new DeletedFinalStateUnknown(key('pod'), newPod('pod', rs)));
    await h.run();
    expect(synced).toEqual([key('rs')]);
    h.rsc.stop();
  });

  it('TestSyncReplicaSetCreateFailures: a quota of 10 pods stops slow start after 15 create calls, with FailedCreate', async () => {
    const h = await setupRS({ workers: 0 });
    const quota = 'exceeded quota: compute-resources, requested: pods=1, used: pods=10, limited: pods=10';
    h.faults.fail({ verb: 'POST', path: '/pods', after: 10, code: 403, reason: 'Forbidden', message: quota });
    await h.createRS(newReplicaSet('rs', 100));
    await h.run();
    await expect(h.rsc.syncReplicaSet(key('rs'))).rejects.toThrow(quota);
    // Batches 1, 2, 4 succeed; of the batch of 8, 3 fit the quota and 5 fail: no batch of 16.
    expect(h.faults.count('POST', '/pods')).toBe(15);
    await h.run();
    expect(await h.pods()).toHaveLength(10);
    // The 90 creates that did not succeed are no longer expected; the 10 that did were observed.
    expect(h.rsc.expectations.getExpectations(key('rs'))?.getExpectations()).toEqual([0, 0]);
    const events = await h.events();
    // The recorder's EventCorrelator (client-go events_cache.go): the tenth distinct message of one
    // reason within 10 minutes is combined, and the five identical failures are one Event, count 5.
    expect(events.filter((e) => e.startsWith('SuccessfulCreate: Created pod: rs-'))).toHaveLength(9);
    expect(events.filter((e) => e.startsWith('SuccessfulCreate: (combined from similar events): Created pod: rs-'))).toHaveLength(1);
    expect(events.filter((e) => e === `FailedCreate: Error creating: ${quota}`)).toHaveLength(1);
    const status = (await h.getRS('rs')).status!;
    expect(status.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: quota, lastTransitionTime: expect.any(String) }]);
    h.rsc.stop();
  });

  it('TestSyncReplicaSetDormancy: pending expectations stop creates, not the status write', async () => {
    const podControl = new FakePodControl();
    const h = await setupRS({ workers: 0, podControl });
    const rs = await h.createRS(newReplicaSet('rs', 2));
    await h.createPod(newPod('pod-0', rs), true);
    await h.run();
    const statusWrites = () => h.faults.count('PUT', '/replicasets/rs/status');

    // Creates a replica and sets expectations.
    await h.rsc.syncReplicaSet(key('rs'));
    expect(syncCounts(podControl)).toEqual({ creates: 1, deletes: 0, patches: 0 });
    expect(statusWrites()).toBe(1);

    // Expectations prevent replicas (the fake pod is never observed).
    podControl.clear();
    await h.rsc.syncReplicaSet(key('rs'));
    expect(syncCounts(podControl)).toEqual({ creates: 0, deletes: 0, patches: 0 });

    // Lowering expectations leads to a create, which fails: expectations are back at 0, 0.
    h.rsc.expectations.creationObserved(key('rs'));
    podControl.clear();
    podControl.err = new Error('fake Error');
    await expect(h.rsc.syncReplicaSet(key('rs'))).rejects.toThrow('fake Error');
    expect(syncCounts(podControl).creates).toBe(1);
    expect(h.rsc.expectations.getExpectations(key('rs'))?.getExpectations()).toEqual([0, 0]);
    expect((await h.getRS('rs')).status?.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', reason: 'FailedCreate', message: 'fake Error' });

    // No lowering needed, since the previous create failed: the next sync creates again.
    podControl.clear();
    await h.rsc.syncReplicaSet(key('rs'));
    expect(syncCounts(podControl).creates).toBe(1);
    // Status written on the first sync, when the condition appeared, and when it went away.
    expect(statusWrites()).toBe(3);
    expect((await h.getRS('rs')).status?.conditions).toBeUndefined();
    h.rsc.stop();
  });

  it('TestPodControllerLookup: only a ReplicaSet of the pod\'s namespace whose selector matches its labels', async () => {
    const h = await setupRS({ workers: 0 });
    await h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } } as KubeObject);
    await h.createRS(newReplicaSet('foo', 1, { foo: 'bar' }));
    await h.cs.appsV1().replicaSets('ns').create({ ...newReplicaSet('bar', 1, { foo: 'bar' }), metadata: { name: 'bar', namespace: 'ns' } } as unknown as KubeObject);
    await h.run();
    const cases: { name: string; pod: Pod; out: string[] }[] = [
      { name: 'pods without labels don\'t match any ReplicaSets', pod: { metadata: { name: 'foo1', namespace: 'ns' }, spec: { containers: [] } }, out: [] },
      { name: 'matching labels, not namespace', pod: { metadata: { name: 'foo2', namespace: 'other', labels: { foo: 'bar' } }, spec: { containers: [] } }, out: [] },
      { name: 'matching ns and labels', pod: { metadata: { name: 'foo3', namespace: 'ns', labels: { foo: 'bar' } }, spec: { containers: [] } }, out: ['bar'] },
    ];
    for (const c of cases) expect(h.rsc.getPodReplicaSets(c.pod).map((rs) => rs.metadata.name), c.name).toEqual(c.out);
    h.rsc.stop();
  });

  it('TestWatchControllers: a ReplicaSet from the watch reaches the sync handler', async () => {
    const h = await setupRS();
    const synced = recordSyncs(h);
    await h.createRS(newReplicaSet('foo', 1));
    await h.run();
    expect(synced).toEqual([key('foo')]);
    expect(h.rsc.getReplicaSet(key('foo'))?.spec.replicas).toBe(1);
    h.rsc.stop();
  });

  it('TestWatchPods: a failed pod from the watch syncs its ReplicaSet', async () => {
    const h = await setupRS();
    const rs = await h.createRS(newReplicaSet('rs', 1));
    await h.run();
    const synced = recordSyncs(h);
    await h.createPod(newPod('pod', rs, 'Failed'));
    await h.run();
    expect(new Set(synced)).toEqual(new Set([key('rs')]));
    h.rsc.stop();
  });

  it('TestUpdatePods: label and controllerRef changes wake the old and new owners', async () => {
    const h = await setupRS();
    const rs1 = await h.createRS(newReplicaSet('foobar', 1, { foo: 'bar' }));
    const rs2 = await h.createRS(newReplicaSet('barfoo', 1, { bar: 'foo' }));
    await h.run();
    const synced = recordSyncs(h);
    const ref = (rs: ReplicaSet) => [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }];
    const pod = (rv: string, labels: Record<string, string>, owners?: ReturnType<typeof ref>): Pod => ({ ...newPod('pod', undefined, 'Running', { labels }), metadata: { name: 'pod', namespace: ns, labels, resourceVersion: rv, ...(owners ? { ownerReferences: owners } : {}) } });
    const cases = [
      { name: 'a pod with a ControllerRef syncs its owner', old: pod('1', { foo: 'bar' }, ref(rs1)), cur: pod('2', { bar: 'foo' }, ref(rs1)), want: ['foobar'] },
      { name: 'removing the ControllerRef (orphan) syncs the label-matching RS', old: pod('1', { bar: 'foo' }, ref(rs2)), cur: pod('2', { bar: 'foo' }), want: ['barfoo'] },
      { name: 'an orphan syncs both its former owner and the label-matching RS', old: pod('1', { bar: 'foo' }, ref(rs1)), cur: pod('2', { bar: 'foo' }), want: ['barfoo', 'foobar'] },
      { name: 'keeping the ControllerRef and changing labels syncs the owner', old: pod('1', { foo: 'bar' }, ref(rs2)), cur: pod('2', { bar: 'foo' }, ref(rs2)), want: ['barfoo'] },
      { name: 'a resync (same resourceVersion) syncs nothing', old: pod('2', { foo: 'bar' }, ref(rs1)), cur: pod('2', { foo: 'bar' }, ref(rs1)), want: [] },
    ];
    for (const c of cases) {
      synced.length = 0;
      h.rsc.updatePod(c.old, c.cur);
      await h.run();
      expect([...new Set(synced)].map((k) => k.split('/')[1]).sort(), c.name).toEqual(c.want);
    }
    h.rsc.stop();
  });

  it('updatePod: a pod turning Ready syncs its ReplicaSet again after minReadySeconds + 1 s', async () => {
    const h = await setupRS();
    const rs = await h.createRS(newReplicaSet('rs', 1, { foo: 'bar' }, { minReadySeconds: 10 }));
    await h.run();
    const synced: number[] = [];
    h.rsc.syncHandler = async () => void synced.push(h.cluster.clock.now());
    const t0 = h.cluster.clock.now();
    const base = newPod('pod', rs);
    const ready = (rv: string, status: 'True' | 'False'): Pod => ({ ...base, metadata: { ...base.metadata, resourceVersion: rv }, status: { phase: 'Running', conditions: [{ type: 'Ready', status }] } });
    h.rsc.updatePod(ready('1', 'False'), ready('2', 'True'));
    await h.run(20_000);
    expect(synced.map((t) => Math.round(t - t0))).toEqual([0, 11_000]);
    h.rsc.stop();
  });

  it('TestControllerUpdateRequeue: a failing status write requeues the ReplicaSet with backoff', async () => {
    const h = await setupRS({ workers: 1 });
    h.faults.fail({ verb: 'PUT', path: '/replicasets/rs/status', message: 'failed to update status' });
    await h.createRS(newReplicaSet('rs', 1));
    await h.run(1000);
    expect(h.rsc.queue.numRequeues(key('rs'))).toBeGreaterThan(3);
    expect(h.rsc.handledErrors[0]).toBe('sync "default/rs" failed with failed to update status');
    // Once the server accepts the status, the requeues are forgotten.
    h.faults.heal();
    await h.run(60_000);
    expect(h.rsc.queue.numRequeues(key('rs'))).toBe(0);
    expect((await h.getRS('rs')).status?.replicas).toBe(1);
    h.rsc.stop();
  });

  it('TestControllerUpdateStatusWithFailure: one GET and two PUTs, each with the new replicas', async () => {
    const h = await setupRS({ workers: 0 });
    await h.createRS(newReplicaSet('rs', 1));
    const rs = await h.getRS('rs');
    h.faults.fail({ verb: 'PUT', message: 'fake error' });
    const mark = h.faults.requests.length;
    await expect(updateReplicaSetStatus(h.cs.appsV1().replicaSets(ns), rs, { replicas: 10 })).rejects.toThrow('fake error');
    const calls = h.faults.requests.slice(mark).filter((r) => r.path.includes('/replicasets/rs'));
    expect(calls.map((r) => r.verb)).toEqual(['PUT', 'GET', 'PUT']);
    for (const put of calls.filter((r) => r.verb === 'PUT')) expect((put.body as ReplicaSet).status?.replicas).toBe(10);
    h.rsc.stop();
  });

  it('TestControllersInRandomOrder: ReplicaSets created in any order each converge on their own pods', async () => {
    for (const seed of [1, 2, 3]) {
      const h = await setupRS({ seed });
      const names = rngFromSeed(seed).shuffle(['a', 'b', 'c', 'd', 'e']);
      for (const [i, name] of names.entries()) await h.createRS(newReplicaSet(name, i + 1, { app: name }));
      await h.run();
      const pods = await h.pods();
      for (const [i, name] of names.entries()) {
        const owned = pods.filter((p) => p.metadata.ownerReferences?.[0]?.name === name);
        expect(owned, `seed ${seed} rs ${name}`).toHaveLength(i + 1);
        expect(owned.every((p) => p.metadata.labels?.app === name)).toBe(true);
      }
      h.rsc.stop();
    }
  });

  it('TestExpectationsOnRecreate: deleting a ReplicaSet drops its expectations; a new one of the same name starts clean', async () => {
    const podControl = new FakePodControl();
    const h = await setupRS({ workers: 0, podControl });
    const oldRS = await h.createRS(newReplicaSet('rs', 1));
    await h.run();
    expect(await drain(h)).toEqual([key('rs')]);
    await h.rsc.syncReplicaSet(key('rs'));
    expect(syncCounts(podControl).creates).toBe(1);
    expect(h.rsc.expectations.getExpectations(key('rs'))?.fulfilled()).toBe(false);
    podControl.clear();

    await h.cs.appsV1().replicaSets(ns).delete('rs');
    await h.run();
    expect(h.rsc.expectations.getExpectations(key('rs'))).toBeUndefined();
    expect(await drain(h)).toEqual([key('rs')]);

    const newRS = await h.createRS(newReplicaSet('rs', 1));
    expect(newRS.metadata.uid).not.toBe(oldRS.metadata.uid);
    await h.run();
    expect(await drain(h)).toEqual([key('rs')]);
    await h.rsc.syncReplicaSet(key('rs'));
    expect(h.rsc.expectations.getExpectations(key('rs'))?.fulfilled()).toBe(false);
    expect(syncCounts(podControl).creates).toBe(1);
    h.rsc.stop();
  });

  it('TestOverlappingRSs: a pod with a ControllerRef wakes only its owner among 9 matching ReplicaSets', async () => {
    const h = await setupRS({ workers: 0 });
    const rss: ReplicaSet[] = [];
    for (const j of rngFromSeed(9).shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9])) rss.push(await h.createRS(newReplicaSet(`rs${j}`, 1)));
    await h.run();
    await drain(h);
    const rs = rss.find((r) => r.metadata.name === 'rs4')!;
    h.rsc.addPod(newPod('pod', rs, 'Pending'));
    expect(await drain(h)).toEqual([key('rs4')]);
    h.rsc.stop();
  });

  it('TestDeletionTimestamp: a graceful delete counts as the expected deletion once', async () => {
    const h = await setupRS({ workers: 0 });
    const rs = await h.createRS(newReplicaSet('rs', 1));
    await h.run();
    await drain(h);
    const rsKey = key('rs');
    const exp = () => h.rsc.expectations.getExpectations(rsKey)!;
    const pod: Pod = { ...newPod('pod', rs, 'Pending'), metadata: { ...newPod('pod', rs).metadata, deletionTimestamp: '2026-01-01T00:00:00Z', resourceVersion: '1' } };
    h.rsc.expectations.expectDeletions(rsKey, [key('pod')]);
    // A pod added with a deletion timestamp decrements deletions, not creations.
    h.rsc.addPod(pod);
    expect(await drain(h)).toEqual([rsKey]);
    expect(exp().fulfilled()).toBe(true);

    // An update from no deletion timestamp to one is a deletion.
    const oldPod: Pod = { ...newPod('pod', rs, 'Pending'), metadata: { ...newPod('pod', rs).metadata, resourceVersion: '2' } };
    h.rsc.expectations.expectDeletions(rsKey, [key('pod')]);
    h.rsc.updatePod(oldPod, pod);
    expect(await drain(h)).toEqual([rsKey]);
    expect(exp().fulfilled()).toBe(true);

    // Another update of the pod (its deletion timestamp too) is not a second deletion.
    const secondPod = newPod('secondPod', rs);
    h.rsc.expectations.expectDeletions(rsKey, [key('secondPod')]);
    h.rsc.updatePod({ ...oldPod, metadata: { ...oldPod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }, pod);
    expect(exp().fulfilled()).toBe(false);
    // Nor is its final delete.
    h.rsc.deletePod(pod);
    expect(exp().fulfilled()).toBe(false);
    // Deleting the second pod clears the expectations.
    await drain(h);
    h.rsc.deletePod(secondPod);
    expect(await drain(h)).toEqual([rsKey]);
    expect(exp().fulfilled()).toBe(true);
    h.rsc.stop();
  });

  it('TestDoNotPatchPodWithOtherControlRef: a matching pod controlled by another is left alone', async () => {
    const podControl = new FakePodControl();
    const h = await setupRS({ workers: 0, podControl });
    await h.createRS(newReplicaSet('rs', 2));
    const other = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'AnotherRS', uid: 'other-uid', controller: true };
    await h.createPod({ ...newPod('pod', undefined), metadata: { ...newPod('pod', undefined).metadata, ownerReferences: [other] } }, true);
    await h.run();
    await h.rsc.syncReplicaSet(key('rs'));
    expect(syncCounts(podControl)).toEqual({ creates: 2, deletes: 0, patches: 0 });
    h.rsc.stop();
  });

  it('TestPatchPodFails: failed adoptions fail the sync, which is requeued', async () => {
    const h = await setupRS({ workers: 1 });
    await h.createPod(newPod('pod1', undefined), false);
    await h.createPod(newPod('pod2', undefined), false);
    const posts = h.faults.count('POST', '/pods');
    h.faults.fail({ verb: 'PATCH', path: '/pods/', message: 'fake Error' });
    await h.createRS(newReplicaSet('rs', 2));
    await h.run(1);
    // Two patches to take control of pod1 and pod2, both failed: no pod is claimed, none created yet.
    expect(h.faults.failed.filter((r) => r.startsWith('PATCH'))).toHaveLength(2);
    expect(h.rsc.handledErrors[0]).toBe('sync "default/rs" failed with [fake Error, fake Error]');
    expect(h.rsc.queue.numRequeues(key('rs'))).toBeGreaterThan(0);
    expect(h.faults.count('POST', '/pods')).toBe(posts);
    // Once patches go through, both are adopted and nothing is created.
    h.faults.heal();
    await h.run();
    const pods = await h.pods();
    expect(pods.map((p) => p.metadata.ownerReferences?.[0]?.name)).toEqual(['rs', 'rs']);
    expect(h.faults.count('POST', '/pods')).toBe(posts);
    h.rsc.stop();
  });

  it('TestDoNotAdoptOrCreateIfBeingDeleted: a ReplicaSet being deleted neither adopts nor creates', async () => {
    const h = await setupRS({ workers: 0 });
    await h.createRS({ ...newReplicaSet('rs', 2), metadata: { name: 'rs', namespace: ns, finalizers: ['example.com/hold'] } });
    await h.createPod(newPod('pod1', undefined), true);
    await h.cs.appsV1().replicaSets(ns).delete('rs');
    await h.run();
    expect(h.rsc.getReplicaSet(key('rs'))?.metadata.deletionTimestamp).toBeDefined();
    const patches = h.faults.count('PATCH', '/pods');
    const posts = h.faults.count('POST', '/pods');
    await h.rsc.syncReplicaSet(key('rs'));
    expect(h.faults.count('PATCH', '/pods')).toBe(patches);
    expect(h.faults.count('POST', '/pods')).toBe(posts);
    h.rsc.stop();
  });

  it('slowStartBatch in a sync: 20 creates go out in batches of 1, 2, 4, 8 and 5', async () => {
    const h = await setupRS();
    await h.createRS(newReplicaSet('rs', 20));
    await h.run();
    const batches = h.trace.events.filter((e) => e.type === 'replicaset.batch').map((e) => (e as unknown as { size: number }).size);
    expect(batches).toEqual([1, 2, 4, 8, 5]);
    expect(await h.pods()).toHaveLength(20);
    h.rsc.stop();
  });

  it('TestControllerBurstReplicas: a sync creates at most burstReplicas, then waits to observe them', async () => {
    const h = await setupRS({ burstReplicas: 5 });
    await h.createRS(newReplicaSet('rs', 12));
    await h.run();
    const expects = h.trace.events.filter((e) => e.type === 'replicaset.expect').map((e) => (e as unknown as { add: number }).add);
    expect(expects).toEqual([5, 5, 2]);
    expect(await h.pods()).toHaveLength(12);
    h.rsc.stop();
  });

  it('getPodsToDelete in a sync: scaling 4 -> 1 keeps the pod upstream ranks last (ready longest)', async () => {
    const h = await setupRS({ start: false });
    const rs = await h.createRS(newReplicaSet('rs', 4));
    await h.createPod(newPod('unscheduled', rs, 'Pending'));
    await h.createPod(newPod('pending', rs, 'Pending', { nodeName: 'node-1' }));
    await h.createPod(newPod('not-ready', rs, 'Running', { nodeName: 'node-1' }), false);
    await h.createPod(newPod('ready', rs, 'Running', { nodeName: 'node-2' }), true);
    await h.start();
    await h.run();
    await h.cs.appsV1().replicaSets(ns).patch('rs', 'application/merge-patch+json', { spec: { replicas: 1 } });
    await h.run();
    const events = await h.events();
    expect(events.filter((e) => e.startsWith('SuccessfulDelete')).sort()).toEqual(['SuccessfulDelete: Deleted pod: not-ready', 'SuccessfulDelete: Deleted pod: pending', 'SuccessfulDelete: Deleted pod: unscheduled']);
    // Bound pods are deleted gracefully: they stay, terminating, until a kubelet removes them.
    const left = (await h.pods()).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    expect(left).toEqual(['ready']);
    expect((await h.getRS('rs')).status).toMatchObject({ replicas: 1, readyReplicas: 1, observedGeneration: 2 });
    h.rsc.stop();
  });

  it('TestGetReplicaSetsWithSameController: the RS and its siblings (same controller UID), pending deletion too', async () => {
    const h = await setupRS({ workers: 0 });
    const owner = (uid: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid, controller: true }] });
    const mk = (name: string, labels: Record<string, string>, uid: string, finalizers?: string[]) => {
      const rs = newReplicaSet(name, 1, labels);
      rs.metadata = { ...rs.metadata, ...owner(uid), ...(finalizers ? { finalizers } : {}) };
      return h.createRS(rs);
    };
    const someRS = await mk('rs1', { foo: 'bar' }, '123');
    await mk('rs2', { foo: 'baz' }, '123');
    await mk('rs3', { foo: 'quux' }, '456');
    const pending = await mk('rs4', { foo: 'xyzzy' }, '789', ['example.com/hold']);
    await h.cs.appsV1().replicaSets(ns).delete('rs4');
    await h.run();
    const names = (rs: ReplicaSet) => h.rsc.getReplicaSetsWithSameController(rs).map((r) => r.metadata.name).sort();
    expect(names(pending), 'expect to get back a ReplicaSet that is pending deletion').toEqual(['rs4']);
    expect(names(someRS), 'the given ReplicaSet and its related one, not the unrelated').toEqual(['rs1', 'rs2']);
    // Without a controller: none (Go logs "ReplicaSet has no controller").
    expect(h.rsc.getReplicaSetsWithSameController(newReplicaSet('lonely', 1))).toEqual([]);
    h.rsc.stop();
  });

  it('TestRelatedPodsLookup: pods of every sibling ReplicaSet, not of an unrelated one', async () => {
    const h = await setupRS({ workers: 0, podControl: new FakePodControl() });
    const mk = (name: string, labels: Record<string, string>, uid: string) => {
      const rs = newReplicaSet(name, 1, labels);
      rs.metadata = { ...rs.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid, controller: true }] };
      return h.createRS(rs);
    };
    const someRS = await mk('foo1', { foo: 'bar' }, '123');
    const relatedRS = await mk('foo2', { foo: 'baz' }, '123');
    const unrelatedRS = await mk('bar1', { foo: 'quux' }, '456');
    await h.createPod(newPod('pod1', someRS), true);
    await h.createPod(newPod('pod2', someRS), true);
    await h.createPod(newPod('pod3', relatedRS), true);
    await h.createPod(newPod('pod4', unrelatedRS), true);
    await h.run();
    expect(h.rsc.getIndirectlyRelatedPods(someRS).map((p) => p.metadata.name).sort()).toEqual(['pod1', 'pod2', 'pod3']);
    expect(h.rsc.getIndirectlyRelatedPods(unrelatedRS).map((p) => p.metadata.name)).toEqual(['pod4']);
    h.rsc.stop();
  });

  it('TestRSSyncExpectations: a pod arriving between the expectations check and the pod count is seen', async () => {
    const podControl = new FakePodControl();
    const h = await setupRS({ workers: 0, podControl });
    const rs = await h.createRS(newReplicaSet('rs', 2));
    await h.createPod(newPod('pod-0', rs, 'Pending'));
    await h.run();
    const late = (await h.cs.coreV1().pods(ns).create(newPod('pod-1', rs, 'Pending') as unknown as KubeObject)) as unknown as Pod;
    // The informer has not delivered pod-1 yet; it lands while the expectations are checked.
    h.rsc.podIndexer().delete(late as unknown as KubeObject);
    const satisfied = h.rsc.expectations.satisfiedExpectations.bind(h.rsc.expectations);
    h.rsc.expectations.satisfiedExpectations = (k) => {
      h.rsc.podIndexer().add(late as unknown as KubeObject);
      return satisfied(k);
    };
    await h.rsc.syncReplicaSet(key('rs'));
    expect(syncCounts(podControl)).toEqual({ creates: 0, deletes: 0, patches: 0 });
    h.rsc.stop();
  });

  it('TestDeleteControllerAndExpectations: deleting the ReplicaSet drops expectations; later syncs do nothing', async () => {
    const podControl = new FakePodControl();
    const h = await setupRS({ workers: 0, podControl, burstReplicas: 10 });
    await h.createRS(newReplicaSet('rs', 1));
    await h.run();
    await h.rsc.syncReplicaSet(key('rs'));
    expect(syncCounts(podControl).creates).toBe(1);
    podControl.clear();
    const held = h.rsc.expectations.getExpectations(key('rs'))!;
    await h.cs.appsV1().replicaSets(ns).delete('rs');
    await h.run();
    await h.rsc.syncReplicaSet(key('rs'));
    expect(h.rsc.expectations.getExpectations(key('rs'))).toBeUndefined();
    // A concurrent addPod holding the old expectations changes nothing.
    held.addCounts(-1, 0);
    await h.rsc.syncReplicaSet(key('rs'));
    expect(syncCounts(podControl)).toEqual({ creates: 0, deletes: 0, patches: 0 });
    h.rsc.stop();
  });

  it('minReadySeconds: with a kubelet, availableReplicas catches up after minReadySeconds without another pod event', async () => {
    const h = await setupRS();
    const kubelet = newFakeKubelet({ client: h.cs, clock: h.cluster.clock, rng: rngFromSeed(2), nodeName: 'node-1', readyAfterMs: 1000 });
    await runUntilSettled(h.cluster.clock, kubelet.run());
    await h.createRS(newReplicaSet('rs', 3, { foo: 'bar' }, { minReadySeconds: 5 }));
    await h.run(3000);
    expect((await h.getRS('rs')).status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 0 });
    await h.run(10_000);
    expect((await h.getRS('rs')).status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    kubelet.stop();
    h.rsc.stop();
  });

  it('FailedDelete: a refused delete records the event, sets the condition and fails the sync', async () => {
    const h = await setupRS({ workers: 0 });
    await h.createRS(newReplicaSet('rs', 2));
    await h.run();
    await h.rsc.syncReplicaSet(key('rs'));
    await h.run();
    await h.cs.appsV1().replicaSets(ns).patch('rs', 'application/merge-patch+json', { spec: { replicas: 1 } });
    await h.run();
    h.faults.fail({ verb: 'DELETE', path: '/pods/', code: 500, message: 'Internal error occurred: etcd is down' });
    await expect(h.rsc.syncReplicaSet(key('rs'))).rejects.toThrow('unable to delete pods: Internal error occurred: etcd is down');
    expect((await h.events()).filter((e) => e.startsWith('FailedDelete'))).toEqual(['FailedDelete: Error deleting: Internal error occurred: etcd is down']);
    expect((await h.getRS('rs')).status?.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedDelete', message: 'unable to delete pods: Internal error occurred: etcd is down' });
    // The failed delete was un-expected at once: the next sync may try again.
    expect(h.rsc.expectations.satisfiedExpectations(key('rs'))).toBe(true);
    h.rsc.stop();
  });

  it('a create refused because the namespace is terminating records no event and is not an error', async () => {
    const h = await setupRS({ workers: 0 });
    h.faults.fail({ verb: 'POST', path: '/pods', code: 403, reason: 'Forbidden', message: 'pods "rs-x" is forbidden: unable to create new content in namespace default because it is being terminated', details: { name: 'rs-x', kind: 'pods', causes: [{ reason: 'NamespaceTerminating', message: 'namespace default is being terminated', field: 'metadata.namespace' }] } });
    await h.createRS(newReplicaSet('rs', 3));
    await h.run();
    await h.rsc.syncReplicaSet(key('rs'));
    expect(h.faults.count('POST', '/pods')).toBe(3);
    expect((await h.events()).filter((e) => e.startsWith('FailedCreate'))).toEqual([]);
    expect((await h.getRS('rs')).status?.conditions).toBeUndefined();
    // Counted as successes: the RS waits out the expectations (5 minutes) before trying again.
    expect(h.rsc.expectations.getExpectations(key('rs'))?.getExpectations()).toEqual([3, 0]);
    h.rsc.stop();
  });

  it('trace events are declared in the catalog, with text and an upstream link', async () => {
    const h = await setupRS();
    await h.createRS(newReplicaSet('rs', 3));
    await h.run();
    const mine = h.trace.events.filter((e) => e.component === 'replicaset-controller');
    expect(new Set(mine.map((e) => e.type))).toEqual(new Set(['replicaset.syncStart', 'replicaset.expect', 'replicaset.batch', 'replicaset.podCreate', 'replicaset.satisfied', 'replicaset.status', 'replicaset.syncEnd']));
    for (const e of mine) {
      expect(eventText(e)).toBeTruthy();
      expect(eventSource(e)?.href).toMatch(/^https:\/\/github.com\/kubernetes\/kubernetes\/blob\/v1.34.0\/pkg\/controller\//);
    }
    expect(mine.filter((e) => e.type === 'replicaset.batch').map((e) => eventText(e))).toEqual(['default/rs: slow-start batch of 1', 'default/rs: slow-start batch of 2']);
    h.rsc.stop();
  });
});
