// Kubernetes' garbage collector model in node (figures, not pass/fail). Run alone with
// `node --import tsx bench/garbagecollector.ts` (add `--json` for the line npm run bench reads).
// On the lab cluster: a Deployment -> ReplicaSet -> 10,000 Pods chain (ownerReferences with
// blockOwnerDeletion, as the controllers write them), the collector's graph synced over it, then
// one DELETE of the Deployment with propagationPolicy Foreground. Measured from that DELETE until
// the collector's graph drops the Deployment (its informer saw it leave the store): virtual time,
// wall time, and the API requests sent meanwhile, by verb. Twice: the collector's client
// unthrottled, and at kube-controller-manager's client defaults (--kube-api-qps 20, burst 30).
// `--pods N` runs another size.
import { pathToFileURL } from 'node:url';
import { newLabCluster } from '../src/sim/cluster/cluster';
import { newGarbageCollector } from '../src/sim/controllers/garbagecollector';
import { runUntilIdle, runUntilSettled } from '../src/sim/core/drive';
import { newEnv } from '../src/sim/core/env';
import type { KubeObject } from '../src/sim/core/object';
import { rngFromSeed } from '../src/sim/core/rng';
import { TraceRecorder } from '../src/sim/core/trace';
import type { BenchRow } from './workqueue';

const at = process.argv.indexOf('--pods');
/** `--pods N` to try another size. */
const PODS = at > 0 ? Number(process.argv[at + 1]) : 10_000;
const k = (n: number) => n.toLocaleString('en-US');

const ref = (o: KubeObject) => ({ apiVersion: o.apiVersion as string, kind: o.kind as string, name: o.metadata.name as string, uid: o.metadata.uid as string, controller: true, blockOwnerDeletion: true });
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

interface Run {
  virtualMs: number;
  wallMs: number;
  requests: Map<string, number>;
  left: number;
}

async function foregroundDelete(pods: number, gcClient: { qps: number; burst?: number }): Promise<Run> {
  // Keep no events (limit 0): only count the API server's requests as they are emitted.
  const trace = new TraceRecorder(0);
  let counting = false;
  const requests = new Map<string, number>();
  trace.subscribe((e) => {
    if (counting && e.type === 'apiserver.request') requests.set(e.verb as string, (requests.get(e.verb as string) ?? 0) + 1);
  });
  const cluster = await newLabCluster({ env: newEnv({ seed: 1, trace }) });
  const setup = cluster.clientset({ qps: -1 });
  const gc = newGarbageCollector({ client: cluster.clientset(gcClient), clock: cluster.clock, rng: rngFromSeed(1) });
  await runUntilSettled(cluster.clock, gc.run());

  const d = await setup.appsV1().deployments('default').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } } as KubeObject);
  const rs = await setup.appsV1().replicaSets('default').create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', ownerReferences: [ref(d)] }, spec: { selector: { matchLabels: { app: 'web' } }, template } } as KubeObject);
  let last: KubeObject = rs;
  await runUntilSettled(cluster.clock, (async () => {
    for (let i = 0; i < pods; i++) last = await setup.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-1-${i}`, labels: { app: 'web' }, ownerReferences: [ref(rs)] }, spec: template.spec } as KubeObject);
  })(), { forMs: 3_600_000 });
  const synced = () => [d, rs, last].every((o) => gc.graphHasUID(o.metadata.uid as string));
  await runUntilIdle(cluster.clock, { forMs: 600_000, until: synced });
  if (!synced()) throw new Error('gc bench: the graph never saw the whole chain');

  const uid = d.metadata.uid as string;
  counting = true;
  const v0 = cluster.clock.now();
  const t0 = performance.now();
  await setup.appsV1().deployments('default').delete('web', { propagationPolicy: 'Foreground' });
  await runUntilIdle(cluster.clock, { forMs: 24 * 3_600_000, until: () => !gc.graphHasUID(uid) });
  const wallMs = performance.now() - t0;
  const virtualMs = cluster.clock.now() - v0;
  counting = false;
  if (gc.graphHasUID(uid)) throw new Error('gc bench: the Deployment is still in the graph');
  if (gc.errors.length) throw new Error(`gc bench: collector errors: ${gc.errors.slice(0, 3).join('; ')}`);
  const left = (await setup.coreV1().pods('default').list()).items.length;
  gc.stop();
  cluster.apiServer.stop();
  return { virtualMs, wallMs, requests, left };
}

function rows(label: string, r: Run): BenchRow[] {
  const total = [...r.requests.values()].reduce((a, b) => a + b, 0);
  const verbs = [...r.requests].sort(([a], [b]) => a.localeCompare(b)).map(([v, n]) => `${v} ${k(n)}`).join(', ');
  const what = `garbagecollector: foreground DELETE of a Deployment -> ReplicaSet -> ${k(PODS)} Pods, ${label}`;
  return [
    { name: `${what}, virtual time until the owner is gone`, value: Math.round(r.virtualMs), unit: 'ms' },
    { name: `${what}, wall time`, value: Math.round(r.wallMs / 100) / 10, unit: 's' },
    { name: `${what}, API requests (${verbs}; ${r.left} pods left)`, value: total, unit: 'requests' },
  ];
}

export async function garbageCollectorBench(): Promise<BenchRow[]> {
  return [...rows('collector client unthrottled', await foregroundDelete(PODS, { qps: -1 })),
    ...rows('collector client at QPS 20 / burst 30', await foregroundDelete(PODS, { qps: 20, burst: 30 }))];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await garbageCollectorBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(130)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
