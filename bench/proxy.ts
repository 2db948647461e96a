// kube-proxy model in node (figures, not pass/fail). Run alone with `npx tsx bench/proxy.ts`
// (add `--json` for the line npm run bench reads). The shape of upstream's
// proxier_performance_test.go: 10,000 Services with 10 ready endpoints each, one full
// syncProxyRules; more than 1,000 endpoints puts kube-proxy in large-cluster mode (no
// per-endpoint comments), as upstream.
import { pathToFileURL } from 'node:url';
import { syncIPVSProxyRules, syncNFTablesProxyRules, syncProxyRules } from '../src/sim/proxy';
import { syntheticCluster } from '../src/sim/proxy/perf';
import type { BenchRow } from './workqueue';

function iptablesRows(services: number, endpoints: number): BenchRow[] {
  const cluster = syntheticCluster(services, endpoints);
  const opts = { ...cluster, nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' };
  syncProxyRules(opts); // warm-up
  let best = Infinity;
  let r = syncProxyRules(opts);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    r = syncProxyRules(opts);
    best = Math.min(best, performance.now() - t0);
  }
  const label = `${services.toLocaleString('en-US')} Services x ${endpoints} endpoints`;
  return [
    { name: `proxy (iptables): syncProxyRules, ${label}, wall time (best of 3)`, value: Math.round(best), unit: 'ms' },
    { name: `proxy (iptables): ${label}, nat rules`, value: r.natRules, unit: 'rules' },
    { name: `proxy (iptables): ${label}, nat chains`, value: r.natChains, unit: 'chains' },
    { name: `proxy (iptables): ${label}, filter rules`, value: r.filterRules, unit: 'rules' },
    { name: `proxy (iptables): ${label}, iptables-restore text`, value: Buffer.byteLength(r.nat) + Buffer.byteLength(r.filter), unit: 'bytes' },
  ];
}

function ipvsRows(services: number, endpoints: number): BenchRow[] {
  const cluster = syntheticCluster(services, endpoints);
  const opts = { ...cluster, nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' };
  syncIPVSProxyRules(opts); // warm-up
  let best = Infinity;
  let r = syncIPVSProxyRules(opts);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    r = syncIPVSProxyRules(opts);
    best = Math.min(best, performance.now() - t0);
  }
  const rules = (t: string) => t.split('\n').filter((l) => l.startsWith('-A ')).length;
  const label = `${services.toLocaleString('en-US')} Services x ${endpoints} endpoints`;
  return [
    { name: `proxy (ipvs): syncIPVSProxyRules, ${label}, wall time (best of 3)`, value: Math.round(best), unit: 'ms' },
    { name: `proxy (ipvs): ${label}, virtual servers`, value: r.virtualServers.length, unit: 'servers' },
    { name: `proxy (ipvs): ${label}, real servers`, value: r.virtualServers.reduce((n, v) => n + v.realServers.length, 0), unit: 'servers' },
    { name: `proxy (ipvs): ${label}, ipset entries`, value: r.ipsets.reduce((n, s) => n + s.entries.length, 0), unit: 'entries' },
    { name: `proxy (ipvs): ${label}, iptables rules (nat + filter)`, value: rules(r.nat) + rules(r.filter), unit: 'rules' },
    { name: `proxy (ipvs): ${label}, iptables-restore text`, value: Buffer.byteLength(r.nat) + Buffer.byteLength(r.filter), unit: 'bytes' },
  ];
}

function nftablesRows(services: number, endpoints: number): BenchRow[] {
  const cluster = syntheticCluster(services, endpoints);
  const opts = { ...cluster, nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' };
  syncNFTablesProxyRules(opts); // warm-up
  let best = Infinity;
  let r = syncNFTablesProxyRules(opts);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    r = syncNFTablesProxyRules(opts);
    best = Math.min(best, performance.now() - t0);
  }
  const label = `${services.toLocaleString('en-US')} Services x ${endpoints} endpoints`;
  return [
    { name: `proxy (nftables): syncNFTablesProxyRules, ${label}, wall time (best of 3)`, value: Math.round(best), unit: 'ms' },
    { name: `proxy (nftables): ${label}, rules`, value: r.counts.rules, unit: 'rules' },
    { name: `proxy (nftables): ${label}, chains`, value: r.counts.chains, unit: 'chains' },
    { name: `proxy (nftables): ${label}, set and map elements`, value: r.counts.elements, unit: 'elements' },
    { name: `proxy (nftables): ${label}, nft transaction text`, value: Buffer.byteLength(r.dump), unit: 'bytes' },
  ];
}

export function proxyBench(): BenchRow[] {
  return [...iptablesRows(10000, 10), ...iptablesRows(100, 10), ...ipvsRows(10000, 10), ...nftablesRows(10000, 10)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = proxyBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(100)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
