import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/object';
import { converge, makeSet, setupStatefulSetCluster, updateSpec, wwwClaim } from './testing';
import type { PersistentVolumeClaim, Pod } from './types';

const rev = (p: Pod) => p.metadata.labels?.['controller-revision-hash'];

describe('StatefulSet controller on the API server (pkg/controller/statefulset)', () => {
  it('creates web-0, web-1, web-2 in order, each after the previous is Running and Ready (ref: TestStatefulSetControl CreatesPods)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ volumeClaimTemplates: [wwwClaim as never] }));
    await h.run();
    expect(await h.podNames()).toEqual(['web-0']);
    const [p0] = await h.pods();
    expect(p0.metadata.generateName).toBe('web-');
    expect(p0.spec.hostname).toBe('web-0');
    expect(p0.spec.subdomain).toBe('nginx');
    expect(p0.metadata.labels).toMatchObject({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(rev(p0)).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(p0.spec.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
    const claims = (await h.cs.dynamic().resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }).namespace('default').list()).items as unknown as PersistentVolumeClaim[];
    expect(claims.map((c) => [c.metadata.name, c.metadata.labels])).toEqual([['www-web-0', { app: 'web' }]]);
    await h.kubelet();
    await h.run();
    expect(await h.podNames()).toEqual(['web-0', 'web-1']);
    await converge(h);
    expect(await h.podNames()).toEqual(['web-0', 'web-1', 'web-2']);
    const set = await h.getSet();
    expect(set.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 1, collisionCount: 0 });
    expect(set.status!.currentRevision).toBe(rev(p0));
    expect(set.status!.updateRevision).toBe(rev(p0));
    const ev = await h.events();
    expect(ev).toEqual(expect.arrayContaining(['Normal SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success', 'Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful']));
    expect(ev.filter((e) => e.includes('SuccessfulCreate'))).toHaveLength(6);
  });

  it('stops at an unhealthy pod: nothing after a pod that is not Ready (ref: TestStatefulSetControl ScalesUp, monotonic)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet());
    await converge(h, 3);
    await h.setPodStatus('web-0', 'Running', false);
    await h.run();
    const before = await h.podNames();
    await h.run(20_000);
    expect(await h.podNames()).toEqual(before);
    const waits = h.trace.events.filter((e) => e.type === 'statefulset.wait' && e.pod === 'web-0');
    expect(waits.length).toBeGreaterThan(0);
  });

  it('Parallel management creates every pod at once, ready or not (ref: TestParallelScale)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ podManagementPolicy: 'Parallel', replicas: 4 }));
    await h.run();
    expect(await h.podNames()).toEqual(['web-0', 'web-1', 'web-2', 'web-3']);
    await updateSpec(h, (s) => (s.replicas = 1));
    await h.run();
    expect(await h.podNames()).toEqual(['web-0']);
  });

  it('scales down from the highest ordinal, waiting for each pod to terminate (ref: TestStatefulSetControl ScalesDown)', async () => {
    const h = await setupStatefulSetCluster();
    // On a node, a delete is graceful: the pod stays, terminating, until the kubelet confirms.
    await h.create(makeSet({ replicas: 3, template: { metadata: { labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } }));
    await converge(h);
    await updateSpec(h, (s) => (s.replicas = 1));
    await h.run();
    let pods = await h.pods();
    expect(pods.map((p) => [p.metadata.name, !!p.metadata.deletionTimestamp])).toEqual([['web-0', false], ['web-1', false], ['web-2', true]]);
    await h.run(10_000);
    expect((await h.pods()).filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name)).toEqual(['web-2']);
    await h.podsClient.delete('web-2', { gracePeriodSeconds: 0 });
    await h.run();
    pods = await h.pods();
    expect(pods.map((p) => [p.metadata.name, !!p.metadata.deletionTimestamp])).toEqual([['web-0', false], ['web-1', true]]);
    await h.podsClient.delete('web-1', { gracePeriodSeconds: 0 });
    await h.run();
    expect(await h.podNames()).toEqual(['web-0']);
    const deletes = h.trace.events.filter((e) => e.type === 'statefulset.deletePod').map((e) => e.pod);
    expect(deletes).toEqual(['web-2', 'web-1']);
    expect(await h.events()).toContain('Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful');
  });

  it('deletes a Failed pod and creates it again, with no Recreating event since v1.31 (ref: TestStatefulSetControl RecreatesFailedPod)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ replicas: 2 }));
    await converge(h);
    const uid = (await h.pods())[1].metadata.uid;
    await h.setPodStatus('web-1', 'Failed', false);
    await h.run();
    const pods = await h.pods();
    expect(pods.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1']);
    expect(pods[1].metadata.uid).not.toBe(uid);
    const ev = await h.events();
    expect(ev).toContain('Normal SuccessfulDelete delete Pod web-1 in StatefulSet web successful');
    expect(ev.filter((e) => e.includes('Recreating'))).toEqual([]);
  });

  it('names pods from spec.ordinals.start (ref: TestStatefulSetControlWithStartOrdinal)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ replicas: 2, ordinals: { start: 5 } }));
    await converge(h);
    expect(await h.podNames()).toEqual(['web-5', 'web-6']);
    await updateSpec(h, (s) => (s.ordinals = { start: 6 }));
    await converge(h);
    expect(await h.podNames()).toEqual(['web-6', 'web-7']);
  });

  it('waits minReadySeconds for availability before the next pod, and counts availableReplicas after it (ref: TestStatefulSetAvailability)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ replicas: 2, minReadySeconds: 10 }));
    await h.run();
    await h.kubelet();
    await h.run(5000);
    expect(await h.podNames()).toEqual(['web-0']);
    expect((await h.getSet()).status).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
    await h.run(12_000);
    expect(await h.podNames()).toEqual(['web-0', 'web-1']);
    expect((await h.getSet()).status).toMatchObject({ availableReplicas: 1 });
  });

  it('sets claim owners for the retention policy: whenDeleted=Delete owns by the set, whenScaled=Delete by the pod once scaled away (ref: TestStatefulSetControl_PVCRetentionPolicy)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ replicas: 2, volumeClaimTemplates: [wwwClaim as never], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } }));
    await converge(h);
    const claims = async () => ((await h.cs.dynamic().resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }).namespace('default').list()).items as unknown as PersistentVolumeClaim[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const set = await h.getSet();
    for (const c of await claims()) expect(c.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const web1 = (await h.pods())[1];
    await updateSpec(h, (s) => (s.replicas = 1));
    await converge(h);
    const [c0, c1] = await claims();
    expect(c0.metadata.ownerReferences?.map((r) => r.kind)).toEqual(['StatefulSet']);
    // The condemned pod's claim is handed to the pod before it goes (the garbage collector then deletes it).
    expect(c1.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: web1.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  });

  it('adopts an orphan pod whose name and labels fit, and releases one whose labels no longer match (ref: TestStatefulSetControllerAddPod, TestGetPodsForStatefulSetAdopt)', async () => {
    const h = await setupStatefulSetCluster();
    await h.podsClient.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } as KubeObject);
    await h.create(makeSet({ replicas: 1 }));
    await h.run();
    const set = await h.getSet();
    let [p0] = await h.pods();
    expect(p0.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    // The adopted pod gets its identity label from the update path.
    await h.kubelet();
    await h.run();
    [p0] = await h.pods();
    expect(p0.metadata.labels?.['statefulset.kubernetes.io/pod-name']).toBe('web-0');
    await h.podsClient.patch('web-0', 'application/merge-patch+json', { metadata: { labels: { app: 'other' } } });
    await h.run();
    const pods = await h.pods();
    const released = pods.find((p) => p.metadata.labels?.app === 'other');
    expect(released?.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('a template the pod validation rejects gives FailedCreate events and retries with backoff (ref: TestStatefulSetControl CreatePodFailure)', async () => {
    const h = await setupStatefulSetCluster();
    // StatefulSet validation does not validate the pod spec: the set is accepted, its pods are not.
    await h.create(makeSet({ replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx' } as never] } } }));
    await h.run(3000);
    expect(await h.podNames()).toEqual([]);
    const failed = (await h.events()).filter((e) => e.startsWith('Warning FailedCreate'));
    // Repeats of one message may be one Event with a count (client-go's EventCorrelator); the retries show in the queue.
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]).toBe('Warning FailedCreate create Pod web-0 in StatefulSet web failed error: Pod "web-0" is invalid: spec.containers[0].image: Required value');
    expect(h.ctrl.syncs.error).toBeGreaterThan(1);
    expect(h.ctrl.queue.numRequeues('default/web')).toBeGreaterThan(1);
  });

  it('under whenScaled=Delete a claim still owned by the old pod blocks that ordinal until the garbage collector removes it (ref: TestStatefulSetControl PodClaimIsStale, TestStaleOwnerRefOnScaleup)', async () => {
    const h = await setupStatefulSetCluster();
    const claimsClient = h.cs.dynamic().resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }).namespace('default');
    await h.create(makeSet({ replicas: 2, volumeClaimTemplates: [wwwClaim as never], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }));
    await converge(h);
    await updateSpec(h, (s) => (s.replicas = 1));
    await converge(h);
    expect(await h.podNames()).toEqual(['web-0']);
    // No garbage collector runs here: the claim of web-1 stays, owned by the deleted pod.
    await updateSpec(h, (s) => (s.replicas = 2));
    await converge(h);
    expect(await h.podNames()).toEqual(['web-0']);
    await claimsClient.delete('www-web-1');
    await converge(h);
    expect(await h.podNames()).toEqual(['web-0']);
    // The controller has no handler on claims (upstream: "TODO: Watch volumes"): the next event of the set syncs it.
    await h.sets.patch('web', 'application/merge-patch+json', { metadata: { labels: { touched: 'yes' } } });
    await converge(h);
    expect(await h.podNames()).toEqual(['web-0', 'web-1']);
  });

  it('claims only pods named after the set: an orphan that another set selects too goes to the set of its name (ref: TestGetPodsForStatefulSetAdopt, isMemberOf)', async () => {
    const h = await setupStatefulSetCluster();
    const both = { matchLabels: { tier: 'db' } };
    const tpl = { metadata: { labels: { tier: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres:17' }] } };
    await h.podsClient.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-0', labels: { tier: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres:17' }] } } as KubeObject);
    await h.create(makeSet({ replicas: 0, selector: both, template: tpl }, 'cache'));
    await h.create(makeSet({ replicas: 1, selector: both, template: tpl }, 'db'));
    await h.run();
    const pod = (await h.pods()).find((p) => p.metadata.name === 'db-0')!;
    expect(pod.metadata.ownerReferences?.map((r) => r.name)).toEqual(['db']);
  });
});
