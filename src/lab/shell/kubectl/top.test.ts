// kubectl top against the API server model with metrics-server (src/sim/metrics) registered as
// the metrics.k8s.io APIService, after kubectl v0.34.0 pkg/cmd/top and pkg/metricsutil.
import { describe, expect, it } from 'vitest';
import { constantUsage, loadProfile, newClientset, newLabCluster, newMetricsServer, type KubeObject } from '../../../sim/index';
import { runUntilIdle, runUntilSettled } from '../../../sim/core/drive';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';

const Mi = 1024 * 1024;

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
  const node = async (name: string, cpu: string, memory: string) => {
    await cs.coreV1().nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { zone: name === 'node-a' ? 'a' : 'b' } }, spec: {} } as KubeObject);
    await cs.coreV1().nodes().patch(name, 'application/merge-patch+json', { status: { capacity: { cpu, memory }, allocatable: { cpu, memory } } }, undefined, 'status');
  };
  const pod = async (ns: string, name: string, nodeName: string, labels: Record<string, string>, containers = ['app'], phase = 'Running') => {
    await cs.coreV1().pods(ns).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName, containers: containers.map((c) => ({ name: c, image: 'nginx' })) } } as KubeObject);
    await cs.coreV1().pods(ns).patch(name, 'application/merge-patch+json', { status: { phase } }, undefined, 'status');
  };
  await node('node-a', '2', '4Gi');
  await node('node-b', '1', '2Gi');
  await pod('default', 'web-1', 'node-a', { app: 'web' }, ['app', 'sidecar']);
  await pod('default', 'web-2', 'node-b', { app: 'web' }, ['app', 'sidecar']);
  await pod('default', 'db-0', 'node-a', { app: 'db' });
  await pod('kube-system', 'dns', 'node-b', { app: 'dns' });
  const ms = newMetricsServer({
    client: cluster.clientset({ qps: -1 }),
    clock: cluster.clock,
    source: loadProfile({ selector: 'app=web', totalCpuMilli: () => 701, memoryBytes: 100 * Mi, otherPods: constantUsage(50, 200 * Mi) }),
  });
  return { cluster, cs, run, ms, node, pod };
}

async function scraped() {
  const h = await setup();
  h.ms.register(h.cluster.apiServer);
  await runUntilSettled(h.cluster.clock, h.ms.start());
  await runUntilIdle(h.cluster.clock, { forMs: 15_000 });
  return h;
}

describe('kubectl top pod', () => {
  it('without metrics-server: Metrics API not available; before two scrapes: metrics not available yet', async () => {
    const h = await setup();
    expect(await h.run('kubectl top pod')).toEqual({ code: 1, out: '', err: 'error: Metrics API not available' });
    expect((await h.run('kubectl top node')).err).toBe('error: Metrics API not available');
    h.ms.register(h.cluster.apiServer);
    await runUntilSettled(h.cluster.clock, h.ms.start());
    expect((await h.run('kubectl top pod')).err).toBe('error: metrics not available yet');
    expect((await h.run('kubectl top node')).err).toBe('error: metrics not available yet');
    expect((await h.run('kubectl top pod -n empty')).out).toBe('No resources found in empty namespace.');
  });

  it('prints NAME CPU(cores) MEMORY(bytes), the containers summed; sorted by name or by usage', async () => {
    const h = await scraped();
    expect(await h.run('kubectl top pod')).toEqual({
      code: 0,
      err: '',
      // 701m over two pods: 351m and 350m (loadProfile gives the odd millicore to the first).
      out: ['NAME    CPU(cores)   MEMORY(bytes)   ', 'db-0    50m          200Mi           ', 'web-1   351m         100Mi           ', 'web-2   350m         100Mi           '].join('\n'),
    });
    expect((await h.run('kubectl top pods --sort-by=cpu --no-headers')).out.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['web-1', 'web-2', 'db-0']);
    expect((await h.run('kubectl top po --sort-by=memory')).out.split('\n')[1]).toMatch(/^db-0 /);
    expect((await h.run('kubectl top pod --sort-by=name')).err).toBe('error: --sort-by accepts only cpu or memory');
  });

  it('--containers, -l, a NAME, -A and --sum', async () => {
    const h = await scraped();
    expect((await h.run('kubectl top pod web-1 --containers')).out).toBe(
      ['POD     NAME      CPU(cores)   MEMORY(bytes)   ', 'web-1   app       351m         100Mi           ', 'web-1   sidecar   0m           0Mi             '].join('\n'),
    );
    expect((await h.run('kubectl top pod -l app=web --no-headers')).out.split('\n')).toHaveLength(2);
    expect((await h.run('kubectl top pod web-1 -l app=web')).err).toBe('error: only one of NAME or selector can be provided');
    expect((await h.run('kubectl top pod nope')).err).toBe('Error from server (NotFound): pods "nope" not found');
    const all = await h.run('kubectl top pod -A');
    expect(all.out.split('\n')[0]).toBe('NAMESPACE     NAME    CPU(cores)   MEMORY(bytes)   ');
    expect(all.out.split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['NAMESPACE NAME', 'default db-0', 'default web-1', 'default web-2', 'kube-system dns']);
    const sum = (await h.run('kubectl top pod --sum')).out.split('\n');
    expect(sum.slice(-2)).toEqual(['        ________     ________        ', '        751m         400Mi           ']);
  });

  it('checkPodAge: an old pod without metrics is named with its age', async () => {
    const h = await scraped();
    await h.pod('default', 'stuck', 'node-a', { app: 'stuck' }, ['app'], 'Pending');
    expect((await h.run('kubectl top pod -l app=stuck')).err).toBe('error: metrics not available yet');
    await runUntilIdle(h.cluster.clock, { forMs: 150_000 });
    expect((await h.run('kubectl top pod -l app=stuck')).err).toMatch(/^error: Metrics not available for pod default\/stuck, age: 2m3\d(\.\d+)?s$/);
  });
});

describe('kubectl top node', () => {
  it('prints usage and the share of allocatable; a node without metrics gets <unknown>', async () => {
    const h = await scraped();
    await h.node('node-c', '4', '8Gi');
    const r = await h.run('kubectl top node');
    expect(r.out).toBe(
      [
        'NAME     CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   ',
        // node-a: web-1 (351m, 100Mi) + db-0 (50m, 200Mi) of 2 cores, 4Gi; node-b: web-2 + dns of 1 core, 2Gi.
        'node-a   401m         20%         300Mi           7%          ',
        'node-b   400m         40%         300Mi           14%         ',
        'node-c   <unknown>    <unknown>   <unknown>       <unknown>   ',
      ].join('\n'),
    );
    expect((await h.run('kubectl top node --sort-by=cpu -l zone=b --no-headers')).out.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['node-b', 'node-c']);
    expect((await h.run('kubectl top node node-b')).out.split('\n')[1]).toMatch(/^node-b {3}400m/);
    expect((await h.run('kubectl top node node-a -l zone=a')).err).toBe('error: only one of NAME or --selector can be provided');
    expect((await h.run('kubectl top node a b')).err).toBe("error: node [NAME | -l label]\nSee 'kubectl top node -h' for help and examples");
  });
});
