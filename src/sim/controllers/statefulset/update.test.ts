import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/object';
import type { ControllerRevision } from '../history';
import { converge, makeSet, setupStatefulSetCluster, updateSpec } from './testing';
import type { Pod } from './types';

const image = (p: Pod) => p.spec.containers[0].image;
const rev = (p: Pod) => p.metadata.labels?.['controller-revision-hash'];

describe('StatefulSet updates and revisions on the API server (pkg/controller/statefulset)', () => {
  it('rolls an update from the highest ordinal down, one Ready pod at a time, then makes the update revision current (ref: TestStatefulSetControlRollingUpdate)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet());
    await converge(h);
    const oldRev = (await h.getSet()).status!.currentRevision;
    await updateSpec(h, (s) => (s.template.spec.containers[0].image = 'nginx:1.28'));
    await h.run();
    let set = await h.getSet();
    const newRev = set.status!.updateRevision;
    expect(newRev).not.toBe(oldRev);
    expect(set.status).toMatchObject({ observedGeneration: 2, currentRevision: oldRev });
    // web-2 was deleted and created again at the new revision; it is not Ready yet, so web-1 waits.
    let pods = await h.pods();
    expect(pods.map((p) => [p.metadata.name, image(p)])).toEqual([['web-0', 'nginx:1.27'], ['web-1', 'nginx:1.27'], ['web-2', 'nginx:1.28']]);
    await converge(h);
    pods = await h.pods();
    expect(pods.map(image)).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    expect(pods.map(rev)).toEqual([newRev, newRev, newRev]);
    set = await h.getSet();
    expect(set.status).toMatchObject({ currentRevision: newRev, updateRevision: newRev, currentReplicas: 3, updatedReplicas: 3 });
    const deletes = h.trace.events.filter((e) => e.type === 'statefulset.deletePod' && e.reason === 'update').map((e) => e.pod);
    expect(deletes).toEqual(['web-2', 'web-1', 'web-0']);
  });

  it('with a partition, only ordinals at or above it are updated (ref: TestStatefulSetControlRollingUpdateWithPartition)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
    await converge(h);
    await updateSpec(h, (s) => (s.template.spec.containers[0].image = 'nginx:1.28'));
    await converge(h);
    expect((await h.pods()).map(image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.28', 'nginx:1.28']);
    const set = await h.getSet();
    expect(set.status).toMatchObject({ currentReplicas: 2, updatedReplicas: 2 });
    expect(set.status!.currentRevision).not.toBe(set.status!.updateRevision);
    // A pod below the partition that is deleted comes back at the current revision.
    await h.podsClient.delete('web-0');
    await converge(h);
    expect(image((await h.pods())[0])).toBe('nginx:1.27');
  });

  it('OnDelete replaces nothing until a pod is deleted, which then comes back at the update revision (ref: TestStatefulSetControlOnDeleteUpdate)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ updateStrategy: { type: 'OnDelete' } }));
    await converge(h);
    await updateSpec(h, (s) => (s.template.spec.containers[0].image = 'nginx:1.28'));
    await converge(h);
    expect((await h.pods()).map(image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    await h.podsClient.delete('web-1');
    await converge(h);
    expect((await h.pods()).map(image)).toEqual(['nginx:1.27', 'nginx:1.28', 'nginx:1.27']);
    expect((await h.getSet()).status).toMatchObject({ currentReplicas: 2, updatedReplicas: 1 });
  });

  it('a rollback reuses the earlier revision, renumbered, instead of creating one (ref: TestStatefulSetControlRollback)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ replicas: 2 }));
    await converge(h);
    const first = (await h.getSet()).status!.currentRevision;
    await updateSpec(h, (s) => (s.template.spec.containers[0].image = 'nginx:1.28'));
    await converge(h);
    await updateSpec(h, (s) => (s.template.spec.containers[0].image = 'nginx:1.27'));
    await converge(h);
    const revs = ((await h.cs.appsV1().controllerRevisions('default').list()).items as unknown as ControllerRevision[]).map((r) => [r.metadata.name, r.revision]).sort();
    expect(revs).toHaveLength(2);
    expect(revs.find(([n]) => n === first)?.[1]).toBe(3);
    expect((await h.getSet()).status!.currentRevision).toBe(first);
    expect(h.trace.events.filter((e) => e.type === 'statefulset.revision').map((e) => e.op)).toEqual(['create', 'create', 'renumber']);
  });

  it('keeps revisionHistoryLimit unused revisions, deleting the oldest (ref: TestStatefulSetControlLimitsHistory)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create(makeSet({ replicas: 1, revisionHistoryLimit: 1 }));
    await converge(h);
    for (const v of ['1.28', '1.29', '1.30']) {
      await updateSpec(h, (s) => (s.template.spec.containers[0].image = `nginx:${v}`));
      await converge(h);
    }
    const revs = ((await h.cs.appsV1().controllerRevisions('default').list()).items as unknown as ControllerRevision[]).map((r) => r.revision).sort();
    // The live one (current = update) plus one of history.
    expect(revs).toEqual([3, 4]);
  });

  it('counts a name collision: an existing revision with other data makes collisionCount 1 (ref: TestRealHistory_CreateControllerRevision, TestStatefulSetControl_getSetRevisions)', async () => {
    const h = await setupStatefulSetCluster();
    // Learn the name the first revision takes, then plant a different revision under it.
    const probe = await setupStatefulSetCluster();
    await probe.create(makeSet({ replicas: 1 }));
    await probe.run();
    const name = (await probe.getSet()).status!.updateRevision!;
    await h.cs.appsV1().controllerRevisions('default').create({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name, labels: { app: 'other' } }, data: { other: true }, revision: 1 } as KubeObject);
    await h.create(makeSet({ replicas: 1 }));
    await h.run();
    const set = await h.getSet();
    expect(set.status!.collisionCount).toBe(1);
    expect(set.status!.updateRevision).not.toBe(name);
  });

  it('names the first revision exactly as a v1.34 cluster does: test-776999688b (ref: TestStatefulSetCompatibility, testdata/compatibility_revision_1.34.0.json)', async () => {
    const h = await setupStatefulSetCluster();
    await h.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'test', namespace: 'default', labels: { sslabel: 'value' } },
      spec: {
        selector: { matchLabels: { app: 'foo' } },
        template: { metadata: { annotations: { test: 'value' }, labels: { app: 'foo' } }, spec: { containers: [{ image: 'test', name: 'test' }] } },
      },
    });
    await h.run();
    const set = await h.getSet('test');
    expect(set.status!.updateRevision).toBe('test-776999688b');
    const [r] = (await h.cs.appsV1().controllerRevisions('default').list()).items as unknown as ControllerRevision[];
    expect(r.metadata.labels).toEqual({ app: 'foo', 'controller.kubernetes.io/hash': '776999688b' });
    expect(r.revision).toBe(1);
  });
});
