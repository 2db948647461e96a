// EndpointSlice reconciler throughput in node (figures, not pass/fail). Run alone with
// `npx tsx bench/endpointslice.ts` (add `--json` for the line npm run bench reads).
// One Service selecting 10,000 ready pods: the first reconcile writes 100 slices of 100 through
// the API server model; a resync with nothing changed writes nothing; a target port change
// rewrites every slice in place (100 updates). The clientset is unthrottled.
import { pathToFileURL } from 'node:url';
import type { Pod, Service } from '../src/sim/api/core/v1';
import type { EndpointSlice } from '../src/sim/api/discovery/v1';
import { newLabCluster } from '../src/sim/cluster/cluster';
import { newEnv } from '../src/sim/core/env';
import { newEndpointSliceReconciler } from '../src/sim/controllers/endpointslice/reconciler';
import type { BenchRow } from './workqueue';

const N = 10_000;

function pods(n: number): Pod[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { namespace: 'default', name: `web-${i}`, uid: `uid-${i}`, labels: { app: 'web' } },
    spec: { nodeName: `node-${i % 100}`, containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, podIPs: [{ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }], conditions: [{ type: 'Ready', status: 'True' }] },
  }));
}

export async function endpointSliceBench(): Promise<BenchRow[]> {
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const client = cluster.clientset({ qps: -1 });
  const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ipFamilies: ['IPv4'], clusterIP: '10.96.0.10' } };
  const r = newEndpointSliceReconciler({ client });
  const all = pods(N);
  const list = async () => ((await client.discoveryV1().endpointSlices('default').list()).items as unknown as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web');
  const timed = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const create = await timed(() => r.reconcile(svc, all, []));
  const slices = await list();
  const noop = await timed(() => r.reconcile(svc, all, slices));
  const changed = { ...svc, spec: { ...svc.spec, ports: [{ name: 'http', port: 80, targetPort: 9090, protocol: 'TCP' as const }] } };
  const update = await timed(() => r.reconcile(changed, all, slices));
  return [
    { name: `endpointslice: reconcile ${N.toLocaleString('en-US')} endpoints, no slices (${slices.length} creates through the API server model)`, value: Math.round(create), unit: 'ms' },
    { name: `endpointslice: reconcile ${N.toLocaleString('en-US')} endpoints, nothing changed (0 writes)`, value: Math.round(noop * 10) / 10, unit: 'ms' },
    { name: `endpointslice: reconcile ${N.toLocaleString('en-US')} endpoints after a target port change (${slices.length} updates)`, value: Math.round(update), unit: 'ms' },
    { name: 'endpointslice: endpoints reconciled per wall second, first reconcile', value: Math.round(N / (create / 1000)), unit: 'endpoints/s' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await endpointSliceBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(110)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
