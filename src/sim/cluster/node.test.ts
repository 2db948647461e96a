// The whole path on a lab cluster: kube-controller-manager, kube-scheduler and two nodes (containerd,
// kubelet, prober, node status, Lease). A Deployment's pods run in the runtime model, `pods/log`
// reaches the kubelet, and a crashing container goes into CrashLoopBackOff with its timers.
import { describe, expect, it } from 'vitest';
import { newClientset } from '../client/clientset';
import { runUntilIdle, runUntilSettled } from '../core/index';
import { rngFromSeed } from '../core/rng';
import type { KubeObject } from '../core/object';
import { Scheduler } from '../scheduler/index';
import { newInTreeRegistry } from '../scheduler/index';
import { ControllerManager } from './controller_manager';
import { newLabCluster } from './cluster';
import { SimNode } from './node';

async function cluster() {
  const c = await newLabCluster();
  const cs = newClientset(c.apiServer, { qps: -1 });
  const nodes = ['node-1', 'node-2'].map((name, i) => new SimNode({ client: c.clientset({ qps: -1, userAgent: 'kubelet/v1.34.0' }), clock: c.clock, seed: 3, name, ip: `172.18.0.${i + 2}`, podCidr: `10.244.${i + 1}.0/24` }));
  for (const n of nodes) await runUntilSettled(c.clock, n.start());
  c.apiServer.setKubeletConnection((name) => nodes.find((n) => n.name === name)?.connection());
  const cm = new ControllerManager({ clientFor: (userAgent) => c.clientset({ qps: 20, burst: 30, userAgent }), clock: c.clock, seed: 3, controllers: ['deployment', 'replicaset'] });
  await runUntilSettled(c.clock, cm.run());
  const scheduler = new Scheduler({ client: c.clientset({ qps: 50, burst: 100 }), clock: c.clock, rng: rngFromSeed('3/scheduler'), registry: newInTreeRegistry() });
  scheduler.start();
  const get = <T>(p: Promise<T>) => runUntilSettled(c.clock, p);
  const stop = () => {
    cm.stop();
    scheduler.stop?.();
    for (const n of nodes) n.stop();
  };
  return { c, cs, nodes, get, stop };
}

const pods = async (h: Awaited<ReturnType<typeof cluster>>) => (await h.get(h.cs.coreV1().pods('default').list())).items as Array<KubeObject & { spec: any; status: any }>;

describe('SimNode', () => {
  it('registers Ready nodes with Leases; a Deployment of nginx runs on them with pod IPs from each node\'s CIDR', async () => {
    const h = await cluster();
    await runUntilIdle(h.c.clock, { forMs: 15_000 });
    const nodes = (await h.get(h.cs.coreV1().nodes().list())).items as Array<KubeObject & { status: any }>;
    expect(nodes.map((n) => [n.metadata.name, n.status.conditions.find((x: any) => x.type === 'Ready').status])).toEqual([['node-1', 'True'], ['node-2', 'True']]);
    const leases = (await h.get(h.cs.coordinationV1().leases('kube-node-lease').list())).items;
    expect(leases.map((l) => l.metadata.name).sort()).toEqual(['node-1', 'node-2']);
    await h.get(h.cs.appsV1().deployments('default').create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 2 } }] } } },
    } as unknown as KubeObject));
    await runUntilIdle(h.c.clock, { forMs: 60_000 });
    const ps = await pods(h);
    expect(ps).toHaveLength(2);
    for (const p of ps) {
      expect(p.status.phase).toBe('Running');
      expect(p.status.conditions.find((x: any) => x.type === 'Ready').status).toBe('True');
      expect(p.status.podIP).toMatch(p.spec.nodeName === 'node-1' ? /^10\.244\.1\./ : /^10\.244\.2\./);
      expect(p.status.containerStatuses[0]).toMatchObject({ name: 'nginx', ready: true, restartCount: 0, state: { running: {} } });
    }
    const d = (await h.get(h.cs.appsV1().deployments('default').get('web'))) as KubeObject & { status: any };
    expect(d.status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
    const log = await h.get(h.c.apiServer.request({ verb: 'GET', path: `/api/v1/namespaces/default/pods/${ps[0].metadata.name}/log` }));
    expect(log.code).toBe(200);
    expect(String(log.body)).toContain('Configuration complete; ready for start up');
    h.stop();
  });

  it('a container that exits 1 is restarted at once, then after 10 s, 20 s, 40 s: CrashLoopBackOff, and its previous log is readable', async () => {
    const h = await cluster();
    await runUntilIdle(h.c.clock, { forMs: 5_000 });
    await h.get(h.cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crash' }, spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; sleep 1; exit 1'] }] } } as unknown as KubeObject));
    await runUntilIdle(h.c.clock, { forMs: 90_000 });
    const p = (await h.get(h.cs.coreV1().pods('default').get('crash'))) as KubeObject & { status: any };
    const cs = p.status.containerStatuses[0];
    expect(cs.restartCount).toBeGreaterThanOrEqual(3);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const events = ((await h.get(h.cs.coreV1().events('default').list())).items as unknown as Array<{ reason: string; count: number; message: string }>);
    expect(events.find((e) => e.reason === 'BackOff')?.message).toBe('Back-off restarting failed container app in pod crash_default(' + p.metadata.uid + ')');
    const prev = await h.get(h.c.apiServer.request({ verb: 'GET', path: '/api/v1/namespaces/default/pods/crash/log', query: { previous: 'true' } }));
    expect(String(prev.body)).toBe('starting\n');
    h.stop();
  });
});
