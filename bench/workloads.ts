// The whole path in node (figures, not pass/fail). Run alone with `node --import tsx bench/workloads.ts`
// (`--json` for the line npm run bench reads; `--replicas N --nodes M` for another size).
// 1. A Deployment of N replicas (nginx, a readiness probe) on M nodes, end to end: the Deployment,
//    ReplicaSet and scheduler on the API server, each node's kubelet and containerd model running the
//    pods, until every pod is available; then a rolling update to a new image until it has rolled out.
//    Wall time, virtual time, and simulated trace events per wall second.
// 2. 10,000 pods' containers through PLEG relists: one relist of a runtime holding them, as the
//    kubelet's GenericPLEG does every second.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { newLabCluster } from '../src/sim/cluster/cluster';
import { ControllerManager } from '../src/sim/cluster/controller_manager';
import { SimNode } from '../src/sim/cluster/node';
import { runUntilIdle, runUntilSettled } from '../src/sim/core/drive';
import { newEnv } from '../src/sim/core/env';
import type { KubeObject } from '../src/sim/core/object';
import { rngFromSeed } from '../src/sim/core/rng';
import { TraceRecorder } from '../src/sim/core/trace';
import { FakeClock } from '../src/sim/core/clock';
import { GenericPLEG } from '../src/sim/kubelet/pleg';
import { PodCache } from '../src/sim/kubelet/pod_cache';
import type { RuntimePod, RuntimePodStatus } from '../src/sim/kubelet/kuberuntime/types';
import { Scheduler, newInTreeRegistry } from '../src/sim/scheduler/index';
import type { BenchRow } from './workqueue';

const arg = (name: string, def: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : def);
const REPLICAS = arg('--replicas', 1000);
const NODES = arg('--nodes', 100);
const k = (n: number) => n.toLocaleString('en-US');
// `--digest`: a sha256 of every trace event of the rollout, printed at the end, so a change to a hot
// path can be checked to leave the run identical (same seed, same events in the same order).
const digest = process.argv.includes('--digest') ? createHash('sha256') : undefined;
let digestHex = '';

const deployment = (image: string) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image, resources: { requests: { cpu: '10m', memory: '16Mi' } }, readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 } }] } },
    },
  }) as unknown as KubeObject;

async function rollout(): Promise<BenchRow[]> {
  let events = 0;
  const trace = new TraceRecorder(0);
  const unsubscribe = trace.subscribe((e) => {
    events++;
    digest?.update(JSON.stringify(e) + '\n');
  });
  const setupT0 = performance.now();
  const cluster = await newLabCluster({ env: newEnv({ seed: 1, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  const nodes = Array.from({ length: NODES }, (_, i) => new SimNode({ client: cluster.clientset({ qps: -1 }), clock: cluster.clock, seed: 1, name: `node-${i + 1}`, ip: `172.18.${(i + 2) >> 8}.${(i + 2) & 255}`, podCidr: `10.${(i >> 8) + 1}.${i & 255}.0/24`, trace }));
  for (const n of nodes) await runUntilSettled(cluster.clock, n.start());
  const cm = new ControllerManager({ clientFor: (userAgent) => cluster.clientset({ qps: -1, userAgent }), clock: cluster.clock, seed: 1, trace, controllers: ['deployment', 'replicaset'] });
  await runUntilSettled(cluster.clock, cm.run());
  const scheduler = new Scheduler({ client: cluster.clientset({ qps: -1 }), clock: cluster.clock, rng: rngFromSeed('1/scheduler'), registry: newInTreeRegistry() });
  scheduler.start();
  await runUntilIdle(cluster.clock, { forMs: 12_000 });
  const setupRow: BenchRow = { name: `workloads: ${k(NODES)} nodes registered, controllers and scheduler started, 12 s of virtual time idle (setup), wall time`, value: Math.round((performance.now() - setupT0) / 100) / 10, unit: 's' };

  const phase = async (label: string, act: () => Promise<unknown>, done: (d: { status?: Record<string, number>; metadata: { generation?: number } }) => boolean): Promise<BenchRow[]> => {
    const e0 = events;
    const v0 = cluster.clock.now();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await runUntilSettled(cluster.clock, act());
    let finished = false;
    const check = async () => {
      const d = (await cs.appsV1().deployments('default').get('web')) as unknown as { status?: Record<string, number>; metadata: { generation?: number } };
      finished = done(d);
    };
    while (!finished && cluster.clock.now() - v0 < 3_600_000) {
      // Checked every virtual second, so the virtual time reported is the rollout's own to the second.
      await runUntilIdle(cluster.clock, { forMs: 1_000 });
      await runUntilSettled(cluster.clock, check());
    }
    const wallMs = performance.now() - t0;
    // CPU time of this process (user + system): steadier than wall time on a shared machine.
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (!finished) throw new Error(`workloads bench: ${label} did not finish within an hour of virtual time`);
    const what = `workloads: Deployment of ${k(REPLICAS)} nginx replicas on ${k(NODES)} nodes (kubelet + containerd each), ${label}`;
    return [
      { name: `${what}, wall time`, value: Math.round(wallMs / 100) / 10, unit: 's' },
      { name: `${what}, virtual time`, value: Math.round((cluster.clock.now() - v0) / 1000), unit: 's' },
      { name: `${what}, simulated events per wall second`, value: Math.round(((events - e0) / wallMs) * 1000), unit: 'events/s' },
      { name: `${what}, CPU time`, value: Math.round(cpuMs / 100) / 10, unit: 's' },
      { name: `${what}, simulated events per CPU second`, value: Math.round(((events - e0) / cpuMs) * 1000), unit: 'events/s' },
      { name: `${what}, simulated events`, value: events - e0, unit: 'events' },
    ];
  };
  const available = (d: { status?: Record<string, number> }) => d.status?.availableReplicas === REPLICAS && d.status?.updatedReplicas === REPLICAS && d.status?.replicas === REPLICAS;
  const rows = [
    setupRow,
    ...(await phase('created until all available', () => cs.appsV1().deployments('default').create(deployment('nginx:1.27')), available)),
    ...(await phase('rolling update to a new image until rolled out', () => cs.appsV1().deployments('default').patch('web', 'application/merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } }), (d) => available(d) && (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0))),
  ];
  cm.stop();
  scheduler.stop();
  for (const n of nodes) n.stop();
  cluster.apiServer.stop();
  // What stopping lets run afterwards (a leader elector giving up its lease) is not part of the run.
  unsubscribe();
  if (digest) digestHex = digest.digest('hex');
  return rows;
}

async function plegRelist(pods: number): Promise<BenchRow[]> {
  // What the runtime manager hands the PLEG (kubecontainer.Pod per pod: a sandbox and a container);
  // between relists 1 % of the containers change state, as restarts and exits would.
  const list: RuntimePod[] = Array.from({ length: pods }, (_, i) => ({ id: `uid-${i}`, name: `pod-${i}`, namespace: 'default', containers: [{ id: `c-${i}-0`, name: 'app', state: 'running' }], sandboxes: [{ id: `s-${i}`, name: 'POD', state: 'running' }] }));
  const clock = new FakeClock();
  const runtime = {
    getPods: async () => list,
    getPodStatus: async (uid: string, name: string, namespace: string): Promise<RuntimePodStatus> => ({ id: uid, name, namespace, ips: [], sandboxStatuses: [], containerStatuses: [], timestampMs: clock.now() }),
  };
  let events = 0;
  const pleg = new GenericPLEG({ clock, runtime, cache: new PodCache(), send: () => (events++, true) });
  await pleg.relist();
  const relists = 20;
  const t0 = performance.now();
  for (let r = 1; r <= relists; r++) {
    for (let j = 0; j < pods / 100; j++) {
      const p = list[(r * 7919 + j * 104729) % pods];
      const c = p.containers[0];
      p.containers[0] = c.state === 'running' ? { ...c, state: 'exited' } : { id: `${c.id}-${r}`, name: 'app', state: 'running' };
    }
    clock.step(1000);
    await pleg.relist();
  }
  const ms = (performance.now() - t0) / relists;
  return [
    { name: `workloads: one PLEG relist of ${k(pods)} pods (1 % of their containers changed since the last; GenericPLEG.relist with the pod cache)`, value: Math.round(ms * 10) / 10, unit: 'ms' },
    { name: `workloads: PLEG events generated over ${relists} relists of ${k(pods)} pods`, value: events, unit: 'events' },
  ];
}

export async function workloadsBench(): Promise<BenchRow[]> {
  return [...(await rollout()), ...(await plegRelist(10_000))];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = process.argv.includes('--only-rollout') ? await rollout() : await workloadsBench();
  if (digest) console.log(`trace digest ${digestHex}`);
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(130)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
