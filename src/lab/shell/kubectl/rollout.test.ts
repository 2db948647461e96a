// kubectl rollout against the API server model. No Deployment controller runs here: the test
// writes the ReplicaSets and statuses the controller would, so each case checks kubectl's own
// logic (kubectl v0.34.0 pkg/cmd/rollout, pkg/polymorphichelpers) and its exact output.
import { describe, expect, it } from 'vitest';
import { newClientset, newLabCluster, type KubeObject } from '../../../sim/index';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';
import { rolloutStatus } from './cmd/rollout';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});

async function setup() {
  const cluster = await newLabCluster();
  const cs = newClientset(cluster.apiServer, { qps: -1 });
  const shell = createShell();
  registerKubectl(shell, { transport: cluster.apiServer, clock: cluster.clock, files: new VirtualFs({ files: {} }) });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const d = (await cs.appsV1().deployments('default').create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.27') },
  } as KubeObject)) as KubeObject;
  const owner = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }];
  for (const [rev, image, hash, cause] of [
    ['1', 'nginx:1.26', 'aaaa1', 'first'],
    ['2', 'nginx:1.27', 'bbbb2', ''],
  ]) {
    await cs.appsV1().replicaSets('default').create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, labels: { app: 'web', 'pod-template-hash': hash }, ownerReferences: owner, annotations: { 'deployment.kubernetes.io/revision': rev, ...(cause ? { 'kubernetes.io/change-cause': cause } : {}) } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: template(image, hash) },
    } as KubeObject);
  }
  return { cluster, cs, run };
}

describe('kubectl rollout', () => {
  it('history lists revisions with their change causes; --revision prints the pod template', async () => {
    const { run } = await setup();
    expect(await run('kubectl rollout history deployment/web')).toEqual({ code: 0, out: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         <none>\n', err: '' });
    const one = await run('kubectl rollout history deploy web --revision=1');
    expect(one.out).toContain('deployment.apps/web with revision #1\nPod Template:\n  Labels:');
    expect(one.out).toContain('nginx:1.26');
    expect((await run('kubectl rollout history deployment/web --revision=7')).err).toBe('error: unable to find the specified revision');
  });

  it('undo patches the previous revision\'s template back (hash label dropped, annotations copied), or skips', async () => {
    const { cs, run } = await setup();
    expect(await run('kubectl rollout undo deployment/web')).toMatchObject({ code: 0, out: 'deployment.apps/web rolled back' });
    const d = (await cs.appsV1().deployments('default').get('web')) as KubeObject & { spec: any };
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(d.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'first' });
    expect((await run('kubectl rollout undo deployment/web --to-revision=1')).out).toBe('deployment.apps/web skipped rollback (current template already matches revision 1)');
    expect((await run('kubectl rollout undo deployment/web --to-revision=9')).err).toBe('error: unable to find specified revision 9 in history');
  });

  it('pause, resume and restart patch the Deployment; a paused one cannot be rolled back or restarted', async () => {
    const { cs, run } = await setup();
    expect((await run('kubectl rollout pause deployment/web')).out).toBe('deployment.apps/web paused');
    expect(await run('kubectl rollout pause deployment/web')).toMatchObject({ code: 1, err: 'error: deployments.apps "web" is already paused' });
    expect((await run('kubectl rollout undo deployment/web')).err).toBe("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    expect((await run('kubectl rollout restart deployment/web')).err).toBe('error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)');
    expect((await run('kubectl rollout resume deployment/web')).out).toBe('deployment.apps/web resumed');
    expect((await run('kubectl rollout resume deployment/web')).err).toBe('error: deployments.apps "web" is not paused');
    expect((await run('kubectl rollout restart deployment/web')).out).toBe('deployment.apps/web restarted');
    const d = (await cs.appsV1().deployments('default').get('web')) as KubeObject & { spec: any };
    expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('status --watch=false prints where the rollout stands', async () => {
    const { cs, run } = await setup();
    expect((await run('kubectl rollout status deployment/web --watch=false')).out).toBe('Waiting for deployment spec update to be observed...');
    const d = (await cs.appsV1().deployments('default').get('web')) as KubeObject;
    await cs.appsV1().deployments('default').updateStatus({ ...d, status: { observedGeneration: d.metadata.generation, replicas: 4, updatedReplicas: 2, availableReplicas: 2 } } as KubeObject);
    expect((await run('kubectl rollout status deployment/web --watch=false')).out).toBe('Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...');
  });
});

// Upstream: pkg/polymorphichelpers/rollout_status_test.go (TestDeploymentStatusViewerStatus and friends)
describe('rolloutStatus', () => {
  const dep = (generation: number, spec: number, status: Record<string, unknown>, conditions: unknown[] = []) => ({ metadata: { name: 'foo', generation }, spec: { replicas: spec }, status: { observedGeneration: 1, ...status, conditions } });
  it.each([
    ['TestDeploymentStatusViewerStatus: updated < replicas', dep(1, 1, { replicas: 1, updatedReplicas: 0, availableReplicas: 1 }), 'Waiting for deployment "foo" rollout to finish: 0 out of 1 new replicas have been updated...', false],
    ['old replicas pending termination', dep(1, 1, { replicas: 2, updatedReplicas: 1, availableReplicas: 2 }), 'Waiting for deployment "foo" rollout to finish: 1 old replicas are pending termination...', false],
    ['updated not yet available', dep(1, 2, { replicas: 2, updatedReplicas: 2, availableReplicas: 1 }), 'Waiting for deployment "foo" rollout to finish: 1 of 2 updated replicas are available...', false],
    ['done', dep(1, 2, { replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), 'deployment "foo" successfully rolled out', true],
    ['spec update not observed', dep(2, 2, { replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), 'Waiting for deployment spec update to be observed...', false],
  ])('%s', (_name, obj, message, done) => {
    expect(rolloutStatus('apps/Deployment', obj)).toEqual({ message, done });
  });
  it('a Progressing condition with ProgressDeadlineExceeded fails the status', () => {
    expect(() => rolloutStatus('apps/Deployment', dep(1, 2, { replicas: 2 }, [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }]))).toThrow('deployment "foo" exceeded its progress deadline');
  });
  it('TestStatefulSetStatusViewerStatus: partitioned and full rolling updates', () => {
    const sts = (status: Record<string, unknown>, partition?: number) => ({ metadata: { name: 'foo', generation: 1 }, spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: partition === undefined ? undefined : { partition } } }, status: { observedGeneration: 1, ...status } });
    expect(rolloutStatus('apps/StatefulSet', sts({ readyReplicas: 2 }))).toEqual({ message: 'Waiting for 1 pods to be ready...', done: false });
    expect(rolloutStatus('apps/StatefulSet', sts({ readyReplicas: 3, updatedReplicas: 1 }, 1))).toEqual({ message: 'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...', done: false });
    expect(rolloutStatus('apps/StatefulSet', sts({ readyReplicas: 3, currentReplicas: 3, updateRevision: 'foo-1', currentRevision: 'foo-1' }))).toEqual({ message: 'statefulset rolling update complete 3 pods at revision foo-1...', done: true });
  });
  it('TestDaemonSetStatusViewerStatus', () => {
    const ds = { metadata: { name: 'foo', generation: 1 }, spec: { updateStrategy: { type: 'RollingUpdate' } }, status: { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1 } };
    expect(rolloutStatus('apps/DaemonSet', ds)).toEqual({ message: 'Waiting for daemon set "foo" rollout to finish: 1 of 2 updated pods are available...', done: false });
  });
});
