// Netstack model figures in node (not pass/fail). Run alone with `npx tsx bench/netstack.ts`
// (add `--json` for one machine-readable line).
import { pathToFileURL } from 'node:url';
import { FakeClock } from '../src/sim/core/clock';
import { rngFromSeed } from '../src/sim/core/rng';
import { buildCluster, parseIptablesSave, RecentLists, runHook, walkPacket, type Packet } from '../src/sim/netstack/index';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

/** kube-proxy-shaped nat rules for `services` ClusterIP services with `endpoints` each (synthetic chain names). */
function natRules(services: number, endpoints: number): string {
  const chains: string[] = [':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
  const rules: string[] = [];
  const svcRules: string[] = [];
  for (let s = 0; s < services; s++) {
    const svc = `KUBE-SVC-${String(s).padStart(16, 'S')}`;
    const ip = `10.${96 + (s >> 16)}.${(s >> 8) & 255}.${s & 255}`;
    chains.push(`:${svc} - [0:0]`);
    svcRules.push(`-A KUBE-SERVICES -m comment --comment "ns/svc${s}:http cluster IP" -m tcp -p tcp -d ${ip} --dport 80 -j ${svc}`);
    rules.push(`-A ${svc} -m comment --comment "ns/svc${s}:http cluster IP" -m tcp -p tcp -d ${ip} --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`);
    for (let e = 0; e < endpoints; e++) {
      const sep = `KUBE-SEP-${String(s * endpoints + e).padStart(16, 'E')}`;
      const ep = `10.244.${(s * endpoints + e) >> 8 & 255}.${(s * endpoints + e) & 255}:8080`;
      chains.push(`:${sep} - [0:0]`);
      const prob = e < endpoints - 1 ? ` -m statistic --mode random --probability ${(1 / (endpoints - e)).toFixed(10)}` : '';
      rules.push(`-A ${svc} -m comment --comment "ns/svc${s}:http -> ${ep}"${prob} -j ${sep}`);
      rules.push(`-A ${sep} -m comment --comment ns/svc${s}:http -s ${ep.split(':')[0]} -j KUBE-MARK-MASQ`);
      rules.push(`-A ${sep} -m comment --comment ns/svc${s}:http -m tcp -p tcp -j DNAT --to-destination ${ep}`);
    }
  }
  return ['*nat', ...chains, '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', ...svcRules, '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000', ...rules, 'COMMIT', ''].join('\n');
}

function timeMs(body: () => void): number {
  const t0 = performance.now();
  body();
  return performance.now() - t0;
}

export function runNetstackBench(): BenchRow[] {
  const rows: BenchRow[] = [];
  const text = natRules(10_000, 10);
  rows.push({ name: 'nat text for 10,000 services x 10 endpoints', value: Math.round(text.length / 1024), unit: 'KiB' });
  let rs = parseIptablesSave(text);
  rows.push({ name: 'parseIptablesSave of that text', value: Math.round(Math.min(...[0, 1].map(() => timeMs(() => (rs = parseIptablesSave(text)))))), unit: 'ms' });
  const env = { rng: rngFromSeed(1), recent: new RecentLists(new FakeClock()), isLocal: () => false, ctstate: ['NEW' as const] };
  const last: Packet = { proto: 'tcp', src: '10.244.0.5', dst: '10.135.39.15', sport: 40000, dport: 80, mark: 0 };
  const n = 200;
  const ms = timeMs(() => {
    for (let i = 0; i < n; i++) runHook(rs, 'PREROUTING', last, env, { nat: true });
  });
  rows.push({ name: 'nat PREROUTING for the last of 10,000 services (O(n) KUBE-SERVICES)', value: Number((ms / n).toFixed(2)), unit: 'ms/packet' });
  const c = buildCluster({
    nodes: [{ name: 'a', ip: '192.168.0.2/24', podCIDR: '10.244.0.0/24' }, { name: 'b', ip: '192.168.0.3/24', podCIDR: '10.244.1.0/24' }],
    pods: [{ name: 'client', node: 'a', ip: '10.244.0.5' }, { name: 'web', node: 'b', ip: '10.244.1.7' }],
  });
  const walks = 2000;
  const wms = timeMs(() => {
    for (let i = 0; i < walks; i++) walkPacket(c, { from: 'client', to: '10.244.1.7:8080', sport: 20000 + i });
  });
  rows.push({ name: 'walkPacket cross-node VXLAN with reply', value: Math.round((walks / wms) * 1000), unit: 'walks/s' });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = runNetstackBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(72)} ${String(r.value).padStart(10)} ${r.unit}`);
}
