// kube-controller-manager on a lab cluster: the --controllers list, and a Deployment going all the
// way to Pods (with the fake kubelet fixture standing in for nodes), then a rollout to a new
// template and the revisions it leaves.
import { describe, expect, it } from 'vitest';
import { newClientset } from '../client/clientset';
import { newFakeKubelet } from '../controllers/testing/index';
import { runUntilIdle, runUntilSettled } from '../core/index';
import { rngFromSeed } from '../core/rng';
import type { KubeObject } from '../core/object';
import { ControllerManager, enabledControllers } from './controller_manager';
import { FakeClock } from '../core/clock';
import { TraceRecorder } from '../core/trace';
import { JitterFactor, leaderElectionEvents, newPartitionableTransport } from '../client/leaderelection/index';
import { createShell, stripAnsi, type ShellIO } from '../../lab/shell/index';
import { registerKubectl } from '../../lab/shell/kubectl/index';
import { VirtualFs } from '../../lab/shell/vfs';
import { newLabCluster } from './cluster';

describe('enabledControllers (--controllers)', () => {
  it('* for all, names or their old aliases, -name to leave one out', () => {
    expect(enabledControllers()).toHaveLength(12);
    expect(enabledControllers(['*', '-job', '-horizontal-pod-autoscaler-controller'])).not.toContain('job-controller');
    expect(enabledControllers(['deployment', 'replicaset-controller'])).toEqual(['deployment-controller', 'replicaset-controller']);
    // R1 (wt-pv): the PV binder under its v1.34 name and its alias.
    expect(enabledControllers(['persistentvolume-binder'])).toEqual(['persistentvolume-binder-controller']);
    expect(() => enabledControllers(['bogus'])).toThrow('"bogus" is not in the list of known controllers');
  });
});

describe('ControllerManager', () => {
  it('a Deployment becomes a ReplicaSet named by its pod-template-hash and ready Pods; a new image rolls out as revision 2', async () => {
    const cluster = await newLabCluster();
    const cs = newClientset(cluster.apiServer, { qps: -1 });
    const cm = new ControllerManager({ clientFor: (userAgent) => cluster.clientset({ qps: 20, burst: 30, userAgent }), clock: cluster.clock, seed: 7, controllers: ['deployment', 'replicaset'] });
    await runUntilSettled(cluster.clock, cm.run());
    const kubelet = newFakeKubelet({ client: cs, clock: cluster.clock, rng: rngFromSeed('k'), nodeName: 'node-1', readyAfterMs: 500 });
    await runUntilSettled(cluster.clock, kubelet.run());
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
    } as unknown as KubeObject;
    await runUntilSettled(cluster.clock, cs.appsV1().deployments('default').create(deploy));
    await runUntilIdle(cluster.clock, { forMs: 20_000 });
    const get = async <T>(p: Promise<T>) => runUntilSettled(cluster.clock, p);
    let d = (await get(cs.appsV1().deployments('default').get('web'))) as KubeObject & { status: any };
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const rs1 = ((await get(cs.appsV1().replicaSets('default').list())).items as KubeObject[])[0];
    expect(rs1.metadata.name).toBe(`web-${(rs1.metadata.labels as Record<string, string>)['pod-template-hash']}`);

    await get(cs.appsV1().deployments('default').patch('web', 'application/merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }));
    await runUntilIdle(cluster.clock, { forMs: 30_000 });
    d = (await get(cs.appsV1().deployments('default').get('web'))) as KubeObject & { status: any };
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const rss = (await get(cs.appsV1().replicaSets('default').list())).items as Array<KubeObject & { spec: { replicas: number } }>;
    expect(rss.map((r) => [r.metadata.annotations?.['deployment.kubernetes.io/revision'], r.spec.replicas]).sort()).toEqual([['1', 0], ['2', 3]]);
    const events = ((await get(cs.coreV1().events('default').list())).items as unknown as Array<{ reason: string; message: string; source: { component: string } }>).filter((e) => e.source.component === 'deployment-controller');
    expect(events.map((e) => e.message)).toContain(`Scaled up replica set ${rs1.metadata.name} from 0 to 3`);
    cm.stop();
    kubelet.stop();
  });
});

// --leader-elect: kube-controller-manager on each control-plane node, one Lease
// (cmd/kube-controller-manager/app/controllermanager.go, leaderElectAndRun; client-go leaderelection).
describe('ControllerManager leader election (--leader-elect, the default)', () => {
  const deployment = (name: string) =>
    ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.27' }] } } } }) as unknown as KubeObject;

  const traceOf = (m: ControllerManager) => m.elector!.config.trace!;
  const logLines = (m: ControllerManager) => traceOf(m).events.filter((e) => e.type === 'leaderelection.log' && (e.v as number) <= 2).map((e) => leaderElectionEvents.text(e)!);

  async function controlPlane(n: number) {
    const cluster = await newLabCluster({ clock: new FakeClock(Date.UTC(2026, 11, 5, 10, 0, 0)) });
    const links = Array.from({ length: n }, () => newPartitionableTransport(cluster.apiServer));
    const managers = links.map(
      (link, i) => new ControllerManager({ clientFor: (userAgent) => newClientset(link, { clock: cluster.clock, qps: 20, burst: 30, userAgent }), clock: cluster.clock, seed: 7, hostname: `cp-${i + 1}`, controllers: ['deployment', 'replicaset'], trace: new TraceRecorder() }),
    );
    const admin = newClientset(cluster.apiServer, { clock: cluster.clock, qps: -1 });
    const shell = createShell();
    registerKubectl(shell, { transport: cluster.apiServer, clock: cluster.clock, files: new VirtualFs({ files: {} }) });
    const kubectl = async (line: string) => {
      const out: string[] = [];
      const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => out.push(stripAnsi(s)), clear: () => {} };
      await runUntilSettled(cluster.clock, shell.execute(line, io));
      return out.join('\n');
    };
    return { cluster, links, managers, admin, kubectl };
  }

  it('a lone instance creates the Lease on its first try: its controllers start when they would without election', async () => {
    const elapsed = async (leaderElect: boolean) => {
      const cluster = await newLabCluster();
      const cm = new ControllerManager({ clientFor: (userAgent) => cluster.clientset({ qps: 20, burst: 30, userAgent }), clock: cluster.clock, seed: 7, controllers: ['deployment', 'replicaset'], leaderElect });
      await runUntilSettled(cluster.clock, cm.run());
      cm.stop();
      return cluster.clock.now();
    };
    expect(await elapsed(true)).toBe(await elapsed(false));
    const h = await controlPlane(1);
    await runUntilSettled(h.cluster.clock, h.managers[0].run());
    expect(h.managers[0].leading).toBe(true);
    expect(h.managers[0].identity).toMatch(/^cp-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(logLines(h.managers[0])).toEqual(['I attempting to acquire leader lease kube-system/kube-controller-manager...', 'I successfully acquired lease kube-system/kube-controller-manager']);
    h.managers[0].stop();
  });

  it('two instances: one leads and renews; the Lease reads as `kubectl get lease -o yaml` shows it; a LeaderElection event names the winner', async () => {
    const h = await controlPlane(2);
    const [a, b] = h.managers;
    await runUntilSettled(h.cluster.clock, a.run());
    void b.run();
    await runUntilIdle(h.cluster.clock, { forMs: 30_000 });
    expect([a.leading, b.leading]).toEqual([true, false]);
    expect(b.elector!.getLeader()).toBe(a.identity);
    const yaml = await h.kubectl('kubectl get lease -n kube-system kube-controller-manager -o yaml');
    expect(yaml).toContain(`holderIdentity: ${a.identity}`);
    expect(yaml).toContain('leaseDurationSeconds: 15');
    expect(yaml).toContain('leaseTransitions: 0');
    expect(yaml).toMatch(/acquireTime: "2026-12-05T10:00:00\.000000Z"/);
    // Renewed every retryPeriod (2 s): the last renewal is within 2 s of now.
    const renew = /renewTime: "([^"]+)"/.exec(yaml)![1];
    expect(h.cluster.clock.now() - Date.parse(renew)).toBeLessThanOrEqual(2000);
    const events = (await runUntilSettled(h.cluster.clock, h.admin.coreV1().events('kube-system').list())).items as unknown as Array<{ reason: string; message: string; involvedObject: { kind: string; name: string }; source: { component: string } }>;
    expect(events.map((e) => [e.reason, e.message, e.involvedObject.kind, e.involvedObject.name, e.source.component])).toEqual([['LeaderElection', `${a.identity} became leader`, 'Lease', 'kube-controller-manager', 'kube-controller-manager']]);
    a.stop();
    b.stop();
  });

  it("the leader cut off the API server gives up after renewDeadline and exits; the other takes over once the lease expired on its own clock, and reconciles a Deployment created meanwhile", async () => {
    const h = await controlPlane(2);
    const [a, b] = h.managers;
    await runUntilSettled(h.cluster.clock, a.run());
    const bLeads = b.run();
    await runUntilIdle(h.cluster.clock, { forMs: 20_000 });
    const cutAt = h.cluster.clock.now();
    h.links[0].mode = 'refuse';
    await runUntilSettled(h.cluster.clock, h.admin.appsV1().deployments('default').create(deployment('web')));
    await runUntilSettled(h.cluster.clock, bLeads, { forMs: 60_000 });
    const tookOverAt = h.cluster.clock.now();
    expect(b.leading).toBe(true);
    expect(a.exited).toBe(true);
    // The follower waits leaseDuration (15 s) after it last saw the record change, and retries every
    // retryPeriod to retryPeriod x (1 + JitterFactor): at most 15 + 2 x 4.4 s after the cut.
    expect(tookOverAt - cutAt).toBeGreaterThan(13_000);
    expect(tookOverAt - cutAt).toBeLessThanOrEqual(15_000 + 2 * 2_000 * (1 + JitterFactor));
    const aLog = logLines(a);
    expect(aLog).toContain('I failed to renew lease kube-system/kube-controller-manager: context deadline exceeded');
    expect(aLog).toContain('E leaderelection lost');
    // No overlap: the deposed leader stopped its controllers before the other started its own.
    const stopped = traceOf(a).events.find((e) => e.type === 'leaderelection.leading' && e.leading === false)!;
    expect(stopped.t).toBeLessThan(tookOverAt);
    await runUntilIdle(h.cluster.clock, { forMs: 10_000 });
    const rss = (await runUntilSettled(h.cluster.clock, h.admin.appsV1().replicaSets('default').list())).items as Array<KubeObject & { spec: { replicas: number } }>;
    expect(rss.map((r) => [r.metadata.name?.startsWith('web-'), r.spec.replicas])).toEqual([[true, 2]]);
    expect(Date.parse(rss[0].metadata.creationTimestamp as string)).toBeGreaterThanOrEqual(Math.floor(tookOverAt / 1000) * 1000);
    const lease = await runUntilSettled(h.cluster.clock, h.admin.coordinationV1().leases('kube-system').get('kube-controller-manager'));
    expect(lease.spec).toMatchObject({ holderIdentity: b.identity, leaseTransitions: 1, leaseDurationSeconds: 15 });
    a.stop();
    b.stop();
  });

  it('--leader-elect=false starts the controllers at once and writes no Lease', async () => {
    const cluster = await newLabCluster();
    const cm = new ControllerManager({ clientFor: (userAgent) => cluster.clientset({ qps: 20, burst: 30, userAgent }), clock: cluster.clock, seed: 7, controllers: ['deployment'], leaderElect: false });
    await runUntilSettled(cluster.clock, cm.run());
    expect(cm.leading).toBe(true);
    expect(cm.identity).toBe('');
    const leases = await runUntilSettled(cluster.clock, cluster.clientset().coordinationV1().leases('kube-system').list());
    expect(leases.items).toEqual([]);
    cm.stop();
  });
});
