import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { newGarbageCollector } from '../garbagecollector/garbagecollector';
import { newNamespaceController, nsControllerRateLimiter } from './controller';
import { ErrGroupDiscoveryFailed, updateConditions, type NamespaceCondition } from './conditions';
import { discoverNamespacedResources, type Namespace } from './deleter';

async function setup(o: { discover?: Parameters<typeof newNamespaceController>[0]['discoverResources'] } = {}) {
  const cluster = await newLabCluster({ env: newEnv({ seed: 7 }) });
  const cs = cluster.clientset({ qps: -1 });
  const nc = newNamespaceController({ client: cs, clock: cluster.clock, rng: rngFromSeed(7), workers: 2, discoverResources: o.discover });
  await runUntilSettled(cluster.clock, nc.run());
  const run = (ms: number) => runUntilIdle(cluster.clock, { forMs: ms });
  const ns = async (name: string) => {
    try {
      return (await cs.coreV1().namespaces().get(name)) as Namespace;
    } catch {
      return undefined;
    }
  };
  const cond = async (name: string, type: string) => (await ns(name))?.status?.conditions?.find((c) => c.type === type);
  await cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } } as KubeObject);
  return { cluster, cs, nc, run, ns, cond };
}

const cm = (name: string, finalizers?: string[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, finalizers }, data: { k: 'v' } }) as KubeObject;

describe('namespace controller (after namespace_controller.go and deletion/namespaced_resources_deleter_test.go)', () => {
  it('an Active namespace is left alone (ref: TestSyncNamespaceThatIsActive)', async () => {
    const h = await setup();
    await h.cs.coreV1().configMaps('team').create(cm('a'));
    await h.run(20_000);
    expect((await h.ns('team'))?.spec?.finalizers).toEqual(['kubernetes']);
    expect((await h.cs.coreV1().configMaps('team').list()).items).toHaveLength(1);
    expect(h.nc.syncs).toEqual([]);
    h.nc.stop();
  });

  it('a Terminating namespace is emptied after the 5 s grace, finalized, and gone (ref: TestSyncNamespaceThatIsTerminating)', async () => {
    const h = await setup();
    await h.cs.coreV1().configMaps('team').create(cm('a'));
    await h.cs.coreV1().secrets('team').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } } as KubeObject);
    const t0 = h.cluster.clock.now();
    await h.cs.coreV1().namespaces().delete('team');
    expect((await h.ns('team'))?.status?.phase).toBe('Terminating');
    await h.run(4_000);
    expect((await h.cs.coreV1().configMaps('team').list()).items).toHaveLength(1);
    await h.run(2_000);
    expect(await h.ns('team')).toBeUndefined();
    expect((await h.cs.coreV1().configMaps('team').list()).items).toHaveLength(0);
    expect(h.nc.syncs.map((s) => [s.namespace, s.atMs - t0, s.outcome])).toEqual([['team', 5000, 'done']]);
    expect(h.nc.errors).toEqual([]);
    h.nc.stop();
  });

  it('content held by a finalizer keeps the namespace Terminating with upstream conditions, requeued every 8 s, until the finalizer goes', async () => {
    const h = await setup();
    await h.cs.coreV1().configMaps('team').create(cm('held', ['example.com/hold']));
    await h.cs.coreV1().configMaps('team').create(cm('free'));
    await h.cs.coreV1().namespaces().delete('team');
    await h.run(30_000);
    const ns = await h.ns('team');
    expect(ns?.status?.phase).toBe('Terminating');
    expect(ns?.spec?.finalizers).toEqual(['kubernetes']);
    const byType = Object.fromEntries((ns?.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason, c.message]]));
    expect(byType).toEqual({
      NamespaceDeletionDiscoveryFailure: ['False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      NamespaceDeletionGroupVersionParsingFailure: ['False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      NamespaceDeletionContentFailure: ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances'],
      NamespaceFinalizersRemaining: ['True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances'],
    });
    const held = (await h.cs.coreV1().configMaps('team').get('held')) as KubeObject;
    expect(held.metadata.deletionTimestamp).toBeDefined();
    const passes = h.nc.syncs.filter((s) => s.outcome === 'remaining');
    expect(passes.map((s) => s.waitSeconds)).toEqual(passes.map(() => 8));
    // The first pass wrote the conditions: that update comes back through the informer and queues
    // the key 5 s out, earlier than the 8 s wait; later passes change nothing, so 8 s apart.
    const gaps = passes.slice(1).map((s, i) => s.atMs - passes[i].atMs);
    expect(gaps).toEqual([5000, ...gaps.slice(1).map(() => 8000)]);
    // The owner of the finalizer lets go: the next pass finalizes.
    await h.cs.coreV1().configMaps('team').patch('held', 'application/json-patch+json', [{ op: 'remove', path: '/metadata/finalizers/0' }]);
    await h.run(9_000);
    expect(await h.ns('team')).toBeUndefined();
    h.nc.stop();
  });

  it('new content is refused while Terminating (NamespaceLifecycle)', async () => {
    const h = await setup();
    await h.cs.coreV1().configMaps('team').create(cm('held', ['example.com/hold']));
    await h.cs.coreV1().namespaces().delete('team');
    await expect(h.cs.coreV1().configMaps('team').create(cm('late'))).rejects.toThrow('configmaps "late" is forbidden: unable to create new content in namespace team because it is being terminated');
    h.nc.stop();
  });

  it('a status update of a Terminating namespace does not remove it while spec.finalizers holds kubernetes (ShouldDeleteNamespaceDuringUpdate)', async () => {
    const h = await setup();
    await h.cs.coreV1().configMaps('team').create(cm('held', ['example.com/hold']));
    await h.cs.coreV1().namespaces().delete('team');
    const ns = (await h.ns('team')) as Namespace;
    await h.cs.coreV1().namespaces().patch('team', 'application/merge-patch+json', { metadata: { labels: { x: 'y' } } });
    expect((await h.ns('team'))?.metadata.labels?.x).toBe('y');
    await h.cs.coreV1().namespaces().updateStatus({ ...(await h.ns('team'))!, status: { ...ns.status, conditions: [] } });
    expect(await h.ns('team')).toBeDefined();
    h.nc.stop();
  });

  it('finalize removes only its own token and keeps the others sorted (ref: TestFinalizeNamespaceFunc)', async () => {
    const h = await setup();
    await h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'multi' }, spec: { finalizers: ['z.example.com/b', 'a.example.com/a'] } } as KubeObject);
    expect((await h.ns('multi'))?.spec?.finalizers).toEqual(['z.example.com/b', 'a.example.com/a', 'kubernetes']);
    await h.cs.coreV1().namespaces().delete('multi');
    await h.run(6_000);
    const ns = await h.ns('multi');
    expect(ns?.spec?.finalizers).toEqual(['a.example.com/a', 'z.example.com/b']);
    expect(ns?.status?.phase).toBe('Terminating');
    h.nc.stop();
  });

  it('a discovery failure is a condition and an error, and what was discovered is still deleted (ref: TestSyncNamespaceThatIsTerminating, discovery error case)', async () => {
    let cs: Awaited<ReturnType<typeof setup>>['cs'] | undefined;
    const h = await setup({
      discover: async () => {
        const r = await discoverNamespacedResources(cs!);
        return { resources: r.resources, error: new ErrGroupDiscoveryFailed(new Map([['metrics.k8s.io/v1beta1', new Error('the server is currently unable to handle the request')]])) };
      },
    });
    cs = h.cs;
    await h.cs.coreV1().configMaps('team').create(cm('a'));
    await h.cs.coreV1().namespaces().delete('team');
    await h.run(5_500);
    const c = await h.cond('team', 'NamespaceDeletionDiscoveryFailure');
    expect(c).toMatchObject({ status: 'True', reason: 'DiscoveryFailed', message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request' });
    expect((await h.cs.coreV1().configMaps('team').list()).items).toHaveLength(0);
    expect(h.nc.errors[0]).toBe('deletion of namespace team failed: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request');
    // Retried with the limiter's backoff, never finalized while discovery fails.
    expect(h.nc.syncs.filter((s) => s.outcome === 'error').length).toBeGreaterThan(1);
    expect((await h.ns('team'))?.spec?.finalizers).toEqual(['kubernetes']);
    h.nc.stop();
  });

  it("a pod's grace period is the estimate (16 s wait); a pod that outlives it is unexpected content (ref: estimateGracefulTerminationForPods)", async () => {
    const h = await setup();
    // Scheduled on a node with no kubelet: its graceful delete never completes.
    await h.cs.coreV1().pods('team').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
    await h.cs.coreV1().namespaces().delete('team');
    await h.run(5_500);
    expect(h.nc.syncs[0]).toMatchObject({ outcome: 'remaining', waitSeconds: 16 });
    await h.run(40_000);
    expect(await h.cond('team', 'NamespaceDeletionContentFailure')).toMatchObject({
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: 'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: team for gvr: /v1, Resource=pods',
    });
    expect(h.nc.errors).toContain('deletion of namespace team failed: unexpected items still remain in namespace: team for gvr: /v1, Resource=pods');
    h.nc.stop();
  });
});

describe('conditions and rate limiter', () => {
  it('lastTransitionTime moves only when the status flips (ref: TestUpdateConditions)', () => {
    let t = 0;
    const now = () => `t${t}`;
    const status: { conditions?: NamespaceCondition[] } = {};
    expect(updateConditions(status, [], now)).toBe(true);
    expect(status.conditions?.map((c) => c.type)).toEqual(['NamespaceDeletionDiscoveryFailure', 'NamespaceDeletionGroupVersionParsingFailure', 'NamespaceDeletionContentFailure', 'NamespaceContentRemaining', 'NamespaceFinalizersRemaining']);
    t = 1;
    expect(updateConditions(status, [], now)).toBe(false);
    const remaining: NamespaceCondition = { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'm1', lastTransitionTime: now() };
    expect(updateConditions(status, [remaining], now)).toBe(true);
    t = 2;
    expect(updateConditions(status, [{ ...remaining, message: 'm2' }], now)).toBe(true);
    const c = status.conditions?.find((x) => x.type === 'NamespaceContentRemaining');
    expect([c?.message, c?.lastTransitionTime]).toEqual(['m2', 't1']);
  });

  it('nsControllerRateLimiter: 5 ms doubling per failure, capped at 60 s', async () => {
    const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
    const rl = nsControllerRateLimiter(cluster.clock);
    const waits = Array.from({ length: 16 }, () => rl.when('ns'));
    expect(waits.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(waits[15]).toBe(60_000);
  });
});

describe('namespace DELETE options (storage.go REST.Delete)', () => {
  it('propagationPolicy Orphan / Foreground put orphan / foregroundDeletion on the namespace; Background removes them (shouldHaveOrphanFinalizer, shouldHaveDeleteDependentsFinalizer)', async () => {
    const h = await setup();
    await h.cs.coreV1().configMaps('team').create(cm('held', ['example.com/hold']));
    await h.cs.coreV1().namespaces().delete('team', { propagationPolicy: 'Orphan' });
    expect((await h.ns('team'))?.metadata.finalizers).toEqual(['orphan']);
    for (const name of ['fg', 'bg']) await h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject);
    // The deprecated orphanDependents field, which the typed client no longer offers.
    await h.cluster.apiServer.request({ verb: 'DELETE', path: '/api/v1/namespaces/fg', body: { kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false } });
    expect((await h.ns('fg'))?.metadata.finalizers).toEqual(['foregroundDeletion']);
    await h.cs.coreV1().namespaces().delete('bg');
    expect((await h.ns('bg'))?.metadata.finalizers).toBeUndefined();
    // Without the collector, the orphan finalizer stays: the namespace outlives its spec.finalizers.
    await h.cs.coreV1().configMaps('team').patch('held', 'application/merge-patch+json', { metadata: { finalizers: null } });
    await h.run(20_000);
    const team = await h.ns('team');
    expect([team?.spec?.finalizers, team?.metadata.finalizers]).toEqual([[], ['orphan']]);
    expect(await h.ns('bg')).toBeUndefined();
    h.nc.stop();
  });

  it('with the garbage collector running, --cascade=orphan and foreground namespaces go away too (the collector removes orphan / foregroundDeletion)', async () => {
    const h = await setup();
    const gc = newGarbageCollector({ client: h.cluster.clientset({ qps: -1 }), clock: h.cluster.clock, rng: rngFromSeed(9), workers: 2 });
    await runUntilSettled(h.cluster.clock, gc.run());
    await h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fg' } } as KubeObject);
    await h.cs.coreV1().configMaps('team').create(cm('a'));
    await h.cs.coreV1().namespaces().delete('team', { propagationPolicy: 'Orphan' });
    await h.cs.coreV1().namespaces().delete('fg', { propagationPolicy: 'Foreground' });
    await h.run(30_000);
    expect([await h.ns('team'), await h.ns('fg')]).toEqual([undefined, undefined]);
    expect(gc.errors).toEqual([]);
    gc.stop();
    h.nc.stop();
  });

  it('a UID or resourceVersion precondition that does not match is a 409 with upstream text', async () => {
    const h = await setup();
    const ns = (await h.ns('team'))!;
    await expect(h.cs.coreV1().namespaces().delete('team', { preconditions: { uid: 'nope' } })).rejects.toThrow(`Operation cannot be fulfilled on namespaces "team": Precondition failed: UID in precondition: nope, UID in object meta: ${ns.metadata.uid}`);
    await expect(h.cs.coreV1().namespaces().delete('team', { preconditions: { resourceVersion: '1' } })).rejects.toThrow(`Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${ns.metadata.resourceVersion}`);
    h.nc.stop();
  });
});

describe('namespaces/finalize', () => {
  it('a stale resourceVersion is a 409; forcing spec.finalizers empty removes the namespace and leaves its content in etcd, where a new namespace of that name finds it', async () => {
    const h = await setup();
    await h.cs.coreV1().configMaps('team').create(cm('held', ['example.com/hold']));
    await h.cs.coreV1().namespaces().delete('team');
    // One pass marks the content; then the controller is stopped, as if someone gave up waiting.
    await h.run(6_000);
    h.nc.stop();
    const ns = (await h.ns('team'))!;
    const finalize = (body: unknown) => h.cs.coreV1().restClient.put().resource('namespaces').name('team').subResource('finalize').body(body).do();
    await expect(finalize({ ...ns, metadata: { ...ns.metadata, resourceVersion: '1' }, spec: { finalizers: [] } })).rejects.toThrow('Operation cannot be fulfilled on namespaces "team": the object has been modified; please apply your changes to the latest version and try again');
    await finalize({ ...ns, spec: { finalizers: [] } });
    expect(await h.ns('team')).toBeUndefined();
    expect((await h.cs.coreV1().configMaps('team').list()).items.map((o) => o.metadata.name)).toEqual(['held']);
    await h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } } as KubeObject);
    const back = (await h.cs.coreV1().configMaps('team').get('held')) as KubeObject;
    expect([back.metadata.deletionTimestamp !== undefined, back.metadata.finalizers]).toEqual([true, ['example.com/hold']]);
  });
});

describe('namespace validation (validation.go ValidateNamespace, ValidateNamespaceFinalizeUpdate, ValidateNamespaceStatusUpdate)', () => {
  it('spec.finalizers entries must be standard or fully qualified; the status phase follows deletionTimestamp', async () => {
    const h = await setup();
    h.nc.stop();
    await expect(h.cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bad' }, spec: { finalizers: ['custom'] } } as KubeObject)).rejects.toThrow(
      'Namespace "bad" is invalid: spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    );
    const ns = (await h.ns('team'))!;
    await expect(h.cs.coreV1().restClient.put().resource('namespaces').name('team').subResource('finalize').body({ ...ns, spec: { finalizers: ['kubernetes', 'oops'] } }).do()).rejects.toThrow(
      'spec.finalizers[1]: Invalid value: "oops": name is neither a standard finalizer name nor is it fully qualified',
    );
    await expect(h.cs.coreV1().namespaces().updateStatus({ ...ns, status: { phase: 'Terminating' } })).rejects.toThrow("status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty");
  });
});
