// After pkg/controller/deployment/deployment_controller_test.go (kubernetes v1.34): the controller on
// a real API server (newLabCluster) and the FakeClock; upstream runs the same cases on a fake clientset.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/object';
import { DeploymentController, maxRetries } from './controller';
import { computeHash } from './hash';
import { deployment, replicaSetOf, setup } from './testing_cluster';
import type { ReplicaSet } from './types';

/**
 * syncDeployment once by hand, retried after a 409: a sync that writes the status twice (say, the
 * Progressing condition, then the status) sends a stale resourceVersion the second time, as
 * upstream does; the running controller retries through its rate limiter.
 */
async function syncRetryingConflicts(h: Awaited<ReturnType<typeof setup>>, key: string): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await h.ctrl.syncDeployment(key);
    } catch (e) {
      if (i > 3 || !/the object has been modified/.test((e as Error).message)) throw e;
      await h.run();
    }
  }
}

async function drain(ctrl: DeploymentController): Promise<void> {
  while (ctrl.queue.len() > 0) {
    const { item } = await ctrl.queue.get();
    if (item === undefined) return;
    ctrl.queue.done(item);
    ctrl.queue.forget(item);
  }
}

describe('Deployment controller on the API server (deployment_controller.go)', () => {
  it('creates the new ReplicaSet <name>-<pod-template-hash>, owned, labelled, annotated (ref: TestSyncDeploymentCreatesReplicaSet)', async () => {
    const h = await setup();
    await h.deployments.create(deployment('foo', 1));
    await h.run();
    const d = await h.getD();
    const [rs, ...rest] = await h.rsList();
    expect(rest).toEqual([]);
    const hash = computeHash(d.spec.template);
    expect(rs.metadata.name).toBe(`foo-${hash}`);
    expect(rs.metadata.labels).toEqual({ foo: 'bar', 'pod-template-hash': hash });
    expect(rs.spec.selector).toEqual({ matchLabels: { foo: 'bar', 'pod-template-hash': hash } });
    expect(rs.spec.template.metadata?.labels).toEqual({ foo: 'bar', 'pod-template-hash': hash });
    expect(rs.spec.replicas).toBe(1);
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'foo', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '1', 'deployment.kubernetes.io/max-replicas': '2' });
    expect(d.status?.observedGeneration).toBe(1);
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "foo-${hash}"`],
      ['Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
    ]);
    expect(await h.events()).toEqual([`Normal ScalingReplicaSet Scaled up replica set foo-${hash} from 0 to 1`]);
    h.ctrl.stop();
  });

  // Skipped until registry/kinds/apps.ts keeps annotations on a Deployment's status update, as
  // upstream's deploymentStatusStrategy does (see README, "For the API server").
  it('the Deployment carries its revision annotation, written with UpdateStatus without a new generation', async () => {
    const h = await setup();
    await h.deployments.create(deployment('foo', 1));
    await h.run();
    const d = await h.getD();
    expect(d.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(d.metadata.generation).toBe(1);
    h.ctrl.stop();
  });

  it('only syncs the status of a Deployment being deleted (ref: TestSyncDeploymentDontDoAnythingDuringDeletion)', async () => {
    const h = await setup({ workers: 0 });
    await h.deployments.create(deployment('foo', 1, { finalizers: ['example.com/hold'] }));
    await h.deployments.delete('foo');
    await h.run();
    expect((await h.getD()).metadata.deletionTimestamp).toBeDefined();
    expect(await h.ctrl.syncDeployment('default/foo')).toBe('statusOnly');
    await h.run();
    expect(await h.rsList()).toEqual([]);
    // Setting deletionTimestamp bumped the generation (rest.BeforeDelete); the status observes it.
    const d = await h.getD();
    expect(d.metadata.generation).toBe(2);
    expect(d.status?.observedGeneration).toBe(2);
    h.ctrl.stop();
  });

  it('refuses to adopt when the API server says the Deployment is being deleted though the cache does not (ref: TestSyncDeploymentDeletionRace)', async () => {
    const h = await setup({ workers: 0 });
    await h.deployments.create(deployment('foo', 1, { finalizers: ['example.com/hold'] }));
    await h.run();
    const stale = await h.getD();
    await h.replicaSets.create(replicaSetOf(stale, 'foo-orphan', 1, undefined, false));
    await h.deployments.delete('foo');
    await h.run();
    await expect(h.ctrl.getReplicaSetsForDeployment(stale)).rejects.toThrow(/^can't adopt ReplicaSet default\/foo-orphan \(.+\): default\/foo has just been deleted at /);
    expect((await h.rsList())[0].metadata.ownerReferences).toBeUndefined();
    h.ctrl.stop();
  });

  it('warns SelectingAll and does nothing else for an empty selector (ref: TestDontSyncDeploymentsWithEmptyPodSelector)', async () => {
    const h = await setup({ workers: 0 });
    await h.deployments.create(deployment('foo', 1));
    await h.run();
    // The API server refuses an empty selector; write it under the validation, as an old server could have.
    const key = '/registry/deployments/default/foo';
    const stored = JSON.parse((await h.cluster.etcd.get(key)).kvs[0].value as unknown as string);
    stored.spec.selector = {};
    stored.metadata.generation = 2;
    await h.cluster.etcd.put(key, JSON.stringify(stored));
    await h.run();
    expect(await h.ctrl.syncDeployment('default/foo')).toBe('selectingAll');
    await h.run();
    expect(await h.rsList()).toEqual([]);
    expect(await h.events()).toEqual(['Warning SelectingAll This deployment is selecting all pods. A non-empty selector is required.']);
    expect((await h.getD()).status?.observedGeneration).toBe(2);
    h.ctrl.stop();
  });

  it('a rollback to revision 0 goes to the previous revision: template copied, request cleared, ReplicaSets untouched (ref: TestReentrantRollback)', async () => {
    const h = await setup({ workers: 0 });
    await h.deployments.create(deployment('foo', 1, { annotations: { 'deployment.kubernetes.io/revision': '2', 'deprecated.deployment.rollback.to': '0' } }));
    await h.run();
    const d = await h.getD();
    const rs1 = replicaSetOf(d, 'deploymentrs-old', 0, 'hash-old');
    (rs1.metadata.annotations as Record<string, string>) = { 'deployment.kubernetes.io/revision': '1' };
    ((rs1.spec as ReplicaSet['spec']).template.spec as Record<string, unknown>).terminationGracePeriodSeconds = 1;
    const rs2 = replicaSetOf(d, 'deploymentrs-new', 1, 'hash-new');
    (rs2.metadata.annotations as Record<string, string>) = { 'deployment.kubernetes.io/revision': '2' };
    await h.replicaSets.create(rs1);
    await h.replicaSets.create(rs2);
    await h.run();
    const before = Object.fromEntries((await h.rsList()).map((rs) => [rs.metadata.name, rs.metadata.resourceVersion]));
    expect(await syncRetryingConflicts(h, 'default/foo')).toBe('rollback');
    await h.run();
    const after = await h.getD();
    expect(after.metadata.annotations?.['deprecated.deployment.rollback.to']).toBeUndefined();
    expect((after.spec.template.spec as Record<string, unknown>).terminationGracePeriodSeconds).toBe(1);
    expect(after.spec.template.metadata?.labels).toEqual({ foo: 'bar' });
    expect(Object.fromEntries((await h.rsList()).map((rs) => [rs.metadata.name, rs.metadata.resourceVersion]))).toEqual(before);
    expect(await h.events()).toEqual(['Normal DeploymentRollback Rolled back deployment "foo" to revision 1']);
    h.ctrl.stop();
  });

  it('a rollback to an unknown revision warns and clears the request (rollback.go)', async () => {
    const h = await setup({ workers: 0 });
    await h.deployments.create(deployment('foo', 1, { annotations: { 'deprecated.deployment.rollback.to': '7' } }));
    await h.run();
    expect(await syncRetryingConflicts(h, 'default/foo')).toBe('rollback');
    await h.run();
    expect((await h.getD()).metadata.annotations?.['deprecated.deployment.rollback.to']).toBeUndefined();
    expect(await h.events()).toContain('Warning DeploymentRollbackRevisionNotFound Unable to find the revision to rollback to.');
    h.ctrl.stop();
  });

  describe('deletePod wakes a Recreate Deployment once its last pod is gone', () => {
    /** pod1 of rs1 (owned), maybe pod2 of rs2 (owned or not); the queue drained; then pod1 deleted through the API. */
    async function recreateWithPods(extraForeignPod: boolean, secondPodOwned: boolean) {
      const h = await setup({ workers: 0 });
      await h.deployments.create(deployment('foo', 1, { strategy: { type: 'Recreate' } }));
      await h.run();
      const d = await h.getD();
      const rs1 = (await h.replicaSets.create(replicaSetOf(d, 'rs1', 1, 'h1'))) as unknown as ReplicaSet;
      const rs2 = (await h.replicaSets.create(replicaSetOf(d, 'rs2', 1, 'h2', secondPodOwned))) as unknown as ReplicaSet;
      const podOf = (rs: ReplicaSet, name: string) =>
        ({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, labels: rs.spec.template.metadata?.labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }] },
          spec: { containers: [{ name: 'foo', image: 'foo/bar' }] },
        }) as unknown as KubeObject;
      const pod1 = await h.cs.coreV1().pods('default').create(podOf(rs1, 'pod1'));
      if (extraForeignPod) await h.cs.coreV1().pods('default').create(podOf(rs2, 'pod2'));
      await h.run();
      await drain(h.ctrl);
      // The pod informer's delete handler is deletePod.
      await h.cs.coreV1().pods('default').delete(pod1.metadata.name ?? '', { gracePeriodSeconds: 0 });
      await h.run();
      return { h };
    }

    it('no pod left: enqueued (ref: TestPodDeletionEnqueuesRecreateDeployment)', async () => {
      const { h } = await recreateWithPods(false, true);
      expect(h.ctrl.queue.len()).toBe(1);
      h.ctrl.stop();
    });

    it('a pod of another owned ReplicaSet left: not enqueued (ref: TestPodDeletionDoesntEnqueueRecreateDeployment)', async () => {
      const { h } = await recreateWithPods(true, true);
      expect(h.ctrl.queue.len()).toBe(0);
      h.ctrl.stop();
    });

    it('a pod left of a ReplicaSet it does not own: enqueued (ref: TestPodDeletionPartialReplicaSetOwnershipEnqueueRecreateDeployment)', async () => {
      const { h } = await recreateWithPods(true, false);
      expect(h.ctrl.queue.len()).toBe(1);
      h.ctrl.stop();
    });
  });

  it('returns only the ReplicaSets each Deployment controls (ref: TestGetReplicaSetsForDeployment)', async () => {
    const h = await setup({ workers: 0 });
    await h.deployments.create(deployment('foo', 1));
    await h.deployments.create(deployment('bar', 1));
    await h.run();
    const d1 = await h.getD('foo');
    const d2 = await h.getD('bar');
    await h.replicaSets.create(replicaSetOf(d1, 'rs1', 1, 'h1'));
    await h.replicaSets.create(replicaSetOf(d2, 'rs2', 1, 'h2'));
    await h.run();
    expect((await h.ctrl.getReplicaSetsForDeployment(d1)).map((rs) => rs.metadata.name)).toEqual(['rs1']);
    expect((await h.ctrl.getReplicaSetsForDeployment(d2)).map((rs) => rs.metadata.name)).toEqual(['rs2']);
    h.ctrl.stop();
  });

  it('adopts a matching orphan and releases one whose labels stopped matching (ref: TestGetReplicaSetsForDeploymentAdoptRelease)', async () => {
    const h = await setup({ workers: 0 });
    await h.deployments.create(deployment('foo', 1));
    await h.run();
    const d = await h.getD();
    await h.replicaSets.create(replicaSetOf(d, 'rs-adopt', 1, undefined, false));
    const release = replicaSetOf(d, 'rs-release', 1);
    (release.metadata.labels as Record<string, string>) = { foo: 'notbar' };
    await h.replicaSets.create(release);
    await h.run();
    expect((await h.ctrl.getReplicaSetsForDeployment(d)).map((rs) => rs.metadata.name)).toEqual(['rs-adopt']);
    const byName = Object.fromEntries((await h.rsList()).map((rs) => [rs.metadata.name, rs]));
    expect(byName['rs-adopt'].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'foo', uid: d.metadata.uid, controller: true });
    expect(byName['rs-release'].metadata.ownerReferences ?? []).toEqual([]);
    h.ctrl.stop();
  });

  it('maps pods to the ReplicaSets that control them (ref: TestGetPodMapForReplicaSets)', async () => {
    const h = await setup({ workers: 0 });
    await h.deployments.create(deployment('foo', 1));
    await h.run();
    const d = await h.getD();
    const rs1 = (await h.replicaSets.create(replicaSetOf(d, 'rs1', 1))) as unknown as ReplicaSet;
    const rs2 = (await h.replicaSets.create(replicaSetOf(d, 'rs2', 1))) as unknown as ReplicaSet;
    const pod = (name: string, rs: ReplicaSet | undefined, phase?: string) =>
      h.cs.coreV1().pods('default').create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { foo: 'bar' }, ...(rs ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }] } : {}) },
        spec: { containers: [{ name: 'foo', image: 'foo/bar' }] },
        ...(phase ? { status: { phase } } : {}),
      } as unknown as KubeObject);
    await pod('pod1', rs1);
    await pod('pod2', rs2);
    await pod('pod3', undefined);
    await pod('pod4', rs1);
    await h.run();
    const podMap = h.ctrl.getPodMapForDeployment(d, [rs1, rs2]);
    expect([...podMap.entries()].map(([uid, pods]) => [uid, pods.map((p) => p.metadata.name).sort()])).toEqual([
      [rs1.metadata.uid, ['pod1', 'pod4']],
      [rs2.metadata.uid, ['pod2']],
    ]);
    h.ctrl.stop();
  });

  it('drops a Deployment after maxRetries failed syncs (handleErr)', async () => {
    const h = await setup();
    let calls = 0;
    h.ctrl.syncDeployment = async () => {
      calls++;
      throw new Error('boom');
    };
    await h.deployments.create(deployment('foo', 1));
    await h.run(600_000);
    expect(maxRetries).toBe(15);
    expect(calls).toBe(maxRetries + 1);
    expect(h.ctrl.syncs.dropped).toBe(1);
    h.ctrl.stop();
  });

  it('a ReplicaSet of the same name and another template is a hash collision: collisionCount bumped, a new name (sync.go getNewReplicaSet)', async () => {
    const h = await setup();
    // The name the Deployment would take, held by a ReplicaSet of another template.
    await h.deployments.create(deployment('probe', 1, { selector: { probe: 'x' } }));
    await h.run();
    const probe = await h.getD('probe');
    const hash = computeHash({ ...probe.spec.template, metadata: { labels: { foo: 'bar' } } });
    const squatter = replicaSetOf(probe, `foo-${hash}`, 0, hash, false);
    (squatter.metadata.labels as Record<string, string>) = { other: 'x' };
    ((squatter.spec as ReplicaSet['spec']).template.spec as Record<string, unknown>).terminationGracePeriodSeconds = 5;
    await h.replicaSets.create(squatter);
    await h.deployments.delete('probe');
    await h.deployments.create(deployment('foo', 1));
    await h.run();
    await h.run();
    expect((await h.getD()).status?.collisionCount).toBe(1);
    expect(h.trace.events.filter((e) => e.type === 'deployment.sync' && (e as unknown as { error: string }).error.includes('already exists'))).toHaveLength(1);
    const names = (await h.rsList()).map((rs) => rs.metadata.name ?? '').filter((n) => n.startsWith('foo-')).sort();
    expect(names).toEqual([`foo-${hash}`, `foo-${computeHash((await h.getD()).spec.template, 1)}`].sort());
    h.ctrl.stop();
  });
});
