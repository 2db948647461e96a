// The informer handlers, after deployment_controller_test.go's TestAddReplicaSet ... TestDeleteReplicaSetOrphan
// (kubernetes v1.34): ReplicaSets are created, changed and deleted through the API server, and the
// queue (no workers) shows which Deployments woke up.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/object';
import { deployment, replicaSetOf, setup } from './testing_cluster';
import type { Deployment, ReplicaSet } from './types';

async function threeDeployments() {
  const h = await setup({ workers: 0 });
  await h.deployments.create(deployment('d1', 1));
  await h.deployments.create(deployment('d2', 1));
  await h.deployments.create(deployment('d3', 1, { selector: { foo: 'notbar' } }));
  await h.run();
  const ds = { d1: await h.getD('d1'), d2: await h.getD('d2') };
  /** Runs the informers, then empties the queue and returns what it held, sorted. */
  const woken = async () => {
    await h.run();
    const keys: string[] = [];
    while (h.ctrl.queue.len() > 0) {
      const { item } = await h.ctrl.queue.get();
      if (item === undefined) break;
      keys.push(item);
      h.ctrl.queue.done(item);
    }
    return keys.sort();
  };
  await woken();
  const rs = async (name: string) => (await h.replicaSets.get(name)) as unknown as ReplicaSet;
  const update = async (name: string, f: (rs: ReplicaSet) => void) => {
    const r = await rs(name);
    f(r);
    await h.replicaSets.update(r as unknown as KubeObject);
  };
  return { h, ...ds, woken, update };
}

const ownerRef = (d: Deployment) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true });

describe('informer handlers (deployment_controller.go)', () => {
  it('an owned ReplicaSet wakes its owner only (ref: TestAddReplicaSet)', async () => {
    const t = await threeDeployments();
    await t.h.replicaSets.create(replicaSetOf(t.d1, 'rs1', 1));
    expect(await t.woken()).toEqual(['default/d1']);
    await t.h.replicaSets.create(replicaSetOf(t.d2, 'rs2', 1));
    expect(await t.woken()).toEqual(['default/d2']);
    t.h.ctrl.stop();
  });

  it('an orphan wakes every Deployment whose selector matches it (ref: TestAddReplicaSetOrphan)', async () => {
    const t = await threeDeployments();
    await t.h.replicaSets.create(replicaSetOf(t.d1, 'rs1', 1, undefined, false));
    expect(await t.woken()).toEqual(['default/d1', 'default/d2']);
    t.h.ctrl.stop();
  });

  it('an update of an owned ReplicaSet wakes its owner (ref: TestUpdateReplicaSet)', async () => {
    const t = await threeDeployments();
    await t.h.replicaSets.create(replicaSetOf(t.d1, 'rs1', 1));
    await t.h.replicaSets.create(replicaSetOf(t.d2, 'rs2', 1));
    await t.woken();
    await t.update('rs1', (rs) => void (rs.spec.replicas = 2));
    expect(await t.woken()).toEqual(['default/d1']);
    await t.update('rs2', (rs) => void (rs.spec.replicas = 2));
    expect(await t.woken()).toEqual(['default/d2']);
    t.h.ctrl.stop();
  });

  it('an orphan whose labels now match wakes the matching Deployments (ref: TestUpdateReplicaSetOrphanWithNewLabels)', async () => {
    const t = await threeDeployments();
    const orphan = replicaSetOf(t.d1, 'rs1', 1, undefined, false);
    (orphan.metadata.labels as Record<string, string>) = { foo: 'notbar' };
    await t.h.replicaSets.create(orphan);
    await t.woken();
    await t.update('rs1', (rs) => void (rs.metadata.labels = { foo: 'bar' }));
    expect(await t.woken()).toEqual(['default/d1', 'default/d2']);
    t.h.ctrl.stop();
  });

  it('a changed controllerRef wakes the old and the new owner (ref: TestUpdateReplicaSetChangeControllerRef)', async () => {
    const t = await threeDeployments();
    await t.h.replicaSets.create(replicaSetOf(t.d1, 'rs1', 1));
    await t.woken();
    await t.update('rs1', (rs) => void (rs.metadata.ownerReferences = [ownerRef(t.d2)]));
    expect(await t.woken()).toEqual(['default/d1', 'default/d2']);
    t.h.ctrl.stop();
  });

  it('a released ReplicaSet wakes its old owner and those that could adopt it (ref: TestUpdateReplicaSetRelease)', async () => {
    const t = await threeDeployments();
    await t.h.replicaSets.create(replicaSetOf(t.d1, 'rs1', 1));
    await t.woken();
    await t.update('rs1', (rs) => void (rs.metadata.ownerReferences = []));
    expect(await t.woken()).toEqual(['default/d1', 'default/d2']);
    t.h.ctrl.stop();
  });

  it('a deleted ReplicaSet wakes its owner; a deleted orphan wakes no one (ref: TestDeleteReplicaSet, TestDeleteReplicaSetOrphan)', async () => {
    const t = await threeDeployments();
    await t.h.replicaSets.create(replicaSetOf(t.d1, 'rs1', 1));
    await t.h.replicaSets.create(replicaSetOf(t.d1, 'rs-orphan', 1, undefined, false));
    await t.woken();
    await t.h.replicaSets.delete('rs1');
    expect(await t.woken()).toEqual(['default/d1']);
    await t.h.replicaSets.delete('rs-orphan');
    expect(await t.woken()).toEqual([]);
    t.h.ctrl.stop();
  });

  it('a ReplicaSet owned by a Deployment of the same name but another uid wakes no one (resolveControllerRef)', async () => {
    const t = await threeDeployments();
    const stale = replicaSetOf(t.d1, 'rs1', 1);
    (stale.metadata.ownerReferences as Array<{ uid: string }>)[0].uid = 'an-older-d1';
    await t.h.replicaSets.create(stale);
    expect(await t.woken()).toEqual([]);
    t.h.ctrl.stop();
  });
});
