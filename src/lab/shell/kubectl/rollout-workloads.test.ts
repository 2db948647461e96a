// kubectl rollout history|undo|status for DaemonSets and StatefulSets, against the API server model
// with the real DaemonSet and StatefulSet controllers writing the ControllerRevisions (kubectl
// v0.34.0 pkg/polymorphichelpers history.go, rollback.go, rollout_status.go; pkg/cmd/rollout).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../sim/index';
import { newDaemonSet, newNode, setup as setupDaemon } from '../../../sim/controllers/daemon/testing';
import { converge, makeSet, setupStatefulSetCluster } from '../../../sim/controllers/statefulset/testing';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';
import { applyHistory, rolloutStatus, templatePatch } from './cmd/rollout';

type Cluster = Awaited<ReturnType<typeof setupDaemon>>['cluster'];

function kubectl(cluster: Cluster) {
  const shell = createShell();
  registerKubectl(shell, { transport: cluster.apiServer, clock: cluster.clock, files: new VirtualFs({ files: {} }) });
  return async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

/** A DaemonSet on three nodes rolled from foo/v1 to foo/v2: two revisions. */
async function daemonSetWithTwoRevisions() {
  const h = await setupDaemon(['node-0', 'node-1', 'node-2'].map((n) => newNode(n)));
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      await h.run();
      await h.makeReady();
    }
    await h.run();
  };
  const ds = newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } });
  ds.spec.template.spec.containers[0].image = 'foo/v1';
  await h.dss.create(ds as unknown as KubeObject);
  await settle();
  await h.updateDs('foo', (d) => void (d.spec.template.spec.containers[0].image = 'foo/v2'));
  await settle();
  const image = async () => (await h.getDs('foo')).spec.template.spec.containers[0].image;
  const revisions = async () => ((await h.cs.appsV1().controllerRevisions('default').list()).items as unknown as Array<KubeObject & { revision: number }>).map((r) => [r.metadata.name, r.revision]).sort((a, b) => Number(a[1]) - Number(b[1]));
  return { ...h, settle, image, revisions, run: kubectl(h.cluster), runCluster: h.run };
}

describe('kubectl rollout for DaemonSets (DaemonSetHistoryViewer, DaemonSetRollbacker, DaemonSetStatusViewer)', () => {
  it('history lists the revisions; --revision shows the template the revision\'s patch gives', async () => {
    const h = await daemonSetWithTwoRevisions();
    expect(await h.run('kubectl rollout history ds/foo')).toEqual({ code: 0, out: 'daemonset.apps/foo \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n', err: '' });
    const one = await h.run('kubectl rollout history daemonset foo --revision=1');
    expect(one.out).toMatch(/^daemonset\.apps\/foo with revision #1\nPod Template:\n {2}Labels:\s+name=foo\n/);
    expect(one.out).toContain('foo/v1');
    expect(one.out).not.toContain('$patch');
    expect((await h.run('kubectl rollout history ds/foo --revision=9')).err).toBe('error: unable to find the specified revision');
  });

  it('history -o prints the DaemonSet as each revision would make it (GetHistory), not the ControllerRevision', async () => {
    const h = await daemonSetWithTwoRevisions();
    expect((await h.run('kubectl rollout history ds/foo -o name')).out).toBe('daemonset.apps/foo\ndaemonset.apps/foo');
    const one = JSON.parse((await h.run('kubectl rollout history ds/foo --revision=1 -o json')).out);
    expect(one).toMatchObject({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'foo' } });
    expect(one.spec.template.spec.containers[0].image).toBe('foo/v1');
    expect(one.spec.template.$patch).toBeUndefined();
  });

  it('undo sends the previous revision\'s data as a strategic merge patch; the controller renumbers that revision, pods follow', async () => {
    const h = await daemonSetWithTwoRevisions();
    const [[v1], [v2]] = await h.revisions();
    expect(await h.run('kubectl rollout undo ds/foo')).toEqual({ code: 0, out: 'daemonset.apps/foo rolled back', err: '' });
    expect(await h.image()).toBe('foo/v1');
    await h.settle();
    expect(await h.revisions()).toEqual([
      [v2, 2],
      [v1, 3],
    ]);
    expect(new Set((await h.livePods()).map((p) => p.spec.containers[0].image))).toEqual(new Set(['foo/v1']));
    // Revision 3 is the current template now: rolling back to it is skipped, with the flag's number.
    expect((await h.run('kubectl rollout undo ds/foo --to-revision=3')).out).toBe('daemonset.apps/foo skipped rollback (current template already matches revision 3)');
    expect((await h.run('kubectl rollout undo ds/foo --to-revision=9')).err).toBe('error: unable to find specified revision 9 in history');
    expect((await h.run('kubectl rollout undo ds/foo --to-revision=-1')).err).toBe('error: unable to find specified revision -1 in history');
  });

  it('undo --dry-run=client prints the template it would restore and changes nothing; one revision has no last revision', async () => {
    const h = await daemonSetWithTwoRevisions();
    const dry = await h.run('kubectl rollout undo ds/foo --dry-run=client');
    expect(dry.out).toMatch(/^daemonset\.apps\/foo will roll back to Pod Template:\n/);
    expect(dry.out).toContain('foo/v1');
    expect(dry.out).toMatch(/\n \(dry run\)$/);
    expect(await h.image()).toBe('foo/v2');
    expect((await h.run('kubectl rollout undo ds/foo --dry-run=server')).out).toBe('daemonset.apps/foo rolled back (server dry run)');
    expect(await h.image()).toBe('foo/v2');
    await h.dss.create(newDaemonSet('bar') as unknown as KubeObject);
    await h.settle();
    expect((await h.run('kubectl rollout undo ds/bar')).err).toBe('error: no last revision to roll back to');
  });

  it('status --watch=false: pods updated, then available, then done (TestDaemonSetStatusViewerStatus)', async () => {
    const h = await daemonSetWithTwoRevisions();
    expect((await h.run('kubectl rollout status ds/foo --watch=false')).out).toBe('daemon set "foo" successfully rolled out');
    await h.updateDs('foo', (d) => void (d.spec.template.spec.containers[0].image = 'foo/v3'));
    await h.runCluster();
    expect((await h.run('kubectl rollout status ds/foo --watch=false')).out).toBe('Waiting for daemon set "foo" rollout to finish: 1 out of 3 new pods have been updated...');
  });
});

describe('kubectl rollout for StatefulSets (StatefulSetHistoryViewer, StatefulSetRollbacker, StatefulSetStatusViewer)', () => {
  it('history, undo and status against the StatefulSet controller\'s revisions', async () => {
    const h = await setupStatefulSetCluster();
    const run = kubectl(h.cluster);
    await h.create(makeSet({ replicas: 2 }));
    await converge(h);
    const set = await h.getSet();
    set.spec.template.spec.containers[0].image = 'nginx:1.28';
    await h.sets.update(set as unknown as KubeObject);
    await converge(h);
    expect((await run('kubectl rollout history sts/web')).out).toBe('statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n');
    // The API server defaults rollingUpdate.partition to 0: kubectl reads that as a partitioned roll out.
    expect((await run('kubectl rollout status statefulset/web --watch=false')).out).toBe('partitioned roll out complete: 2 new pods have been updated...');
    expect(await run('kubectl rollout undo sts/web')).toEqual({ code: 0, out: 'statefulset.apps/web rolled back', err: '' });
    expect((await h.getSet()).spec.template.spec.containers[0].image).toBe('nginx:1.27');
    await converge(h);
    expect((await run('kubectl rollout history sts/web')).out).toBe('statefulset.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n');
    expect((await run('kubectl rollout undo sts/web --to-revision=3')).out).toBe('statefulset.apps/web skipped rollback (current template already matches revision 3)');
  });
});

// Upstream: pkg/polymorphichelpers/rollout_status_test.go (TestDaemonSetStatusViewerStatus, TestStatefulSetStatusViewerStatus)
describe('rolloutStatus for daemon sets and stateful sets', () => {
  const ds = (generation: number, status: Record<string, number>) => ({ metadata: { name: 'foo', generation }, spec: { updateStrategy: { type: 'RollingUpdate' } }, status });
  it.each([
    ['TestDaemonSetStatusViewerStatus: updated < desired', ds(1, { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 1, numberAvailable: 3 }), 'Waiting for daemon set "foo" rollout to finish: 1 out of 3 new pods have been updated...', false],
    ['updated, not all available', ds(1, { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }), 'Waiting for daemon set "foo" rollout to finish: 2 of 3 updated pods are available...', false],
    ['done', ds(1, { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), 'daemon set "foo" successfully rolled out', true],
    ['generation not observed', ds(2, { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }), 'Waiting for daemon set spec update to be observed...', false],
  ])('%s', (_name, obj, message, done) => {
    expect(rolloutStatus('apps/DaemonSet', obj)).toEqual({ message, done });
  });
  it('TestDaemonSetStatusViewerStatusWithWrongUpdateStrategyType', () => {
    expect(() => rolloutStatus('apps/DaemonSet', { metadata: { name: 'foo' }, spec: { updateStrategy: { type: 'OnDelete' } }, status: {} })).toThrow('rollout status is only available for RollingUpdate strategy type');
  });
  it('TestStatefulSetStatusViewerStatus: a rollingUpdate block without partition still reads as partitioned', () => {
    const sts = { metadata: { name: 'foo', generation: 1 }, spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: {} } }, status: { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' } };
    expect(rolloutStatus('apps/StatefulSet', sts)).toEqual({ message: 'partitioned roll out complete: 1 new pods have been updated...', done: true });
    const noBlock = { ...sts, spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate' } } };
    expect(rolloutStatus('apps/StatefulSet', noBlock)).toEqual({ message: 'waiting for statefulset rolling update to complete 1 pods at revision b...', done: false });
  });
  it('applyHistory swaps the template; templatePatch is the bytes the controllers store (keys sorted, $patch first)', () => {
    const o = { metadata: { name: 'x' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'new' }] }, metadata: { labels: { a: 'b' } } } } };
    const rev = { data: { spec: { template: { $patch: 'replace', metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'a', image: 'old' }] } } } } };
    expect(applyHistory(o, rev).spec).toEqual({ replicas: 1, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'a', image: 'old' }] } } });
    expect(templatePatch(o)).toBe('{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"image":"new","name":"a"}]}}}}');
  });
});
