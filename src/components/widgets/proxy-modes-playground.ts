/**
 * The live part of <ProxyModesPlayground>: the model's iptables and IPVS proxiers (src/sim/proxy,
 * after pkg/proxy v1.34) run on the benchmark cluster of a chosen size (perf.ts: n Services on
 * port 80, every tenth a NodePort, e ready endpoints each), on a node at 192.168.0.2 whose pods
 * are in 10.0.0.0/8. It reports what each mode writes and what the first packet of a connection
 * to the last Service costs: in iptables mode the KUBE-SERVICES rules tested before its own
 * matches; in IPVS mode one hash lookup after a fixed set of ipset rules.
 */
import { syncProxyRules } from '../../sim/proxy/iptables/proxier';
import { syncIPVSProxyRules } from '../../sim/proxy/ipvs/proxier';
import { syntheticCluster } from '../../sim/proxy/perf';

/** Sizes the page accepts: a sync of the largest takes well under a second in a browser. */
export const LIMITS = { services: 2000, endpointsPerService: 20 };

export interface ModesComparison {
  iptables: { rules: number; bytes: number; largeClusterMode: boolean; servicesRulesTested: number };
  ipvs: { rules: number; bytes: number; virtualServers: number; realServers: number; ipsetEntries: number };
}

const NODE = { nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' };
const rulesIn = (text: string) => text.split('\n').filter((l) => l.startsWith('-A ')).length;

/** Both modes for one size; sizes are clamped to 1..LIMITS. */
export function compare(services: number, endpointsPerService: number): ModesComparison {
  const n = Math.min(LIMITS.services, Math.max(1, Math.floor(services) || 1));
  const e = Math.min(LIMITS.endpointsPerService, Math.max(1, Math.floor(endpointsPerService) || 1));
  const cluster = syntheticCluster(n, e);
  const opts = { ...cluster, ...NODE };
  const t = syncProxyRules(opts);
  const v = syncIPVSProxyRules(opts);
  // KUBE-SERVICES is tested rule by rule: the last Service's rule is found after all before it.
  const last = ` -d ${cluster.services[n - 1].spec.clusterIP} `;
  const servicesRules = t.nat.split('\n').filter((l) => l.startsWith('-A KUBE-SERVICES '));
  return {
    iptables: {
      rules: t.natRules + t.filterRules,
      bytes: t.nat.length + t.filter.length,
      largeClusterMode: t.largeClusterMode,
      servicesRulesTested: servicesRules.findIndex((l) => l.includes(last)) + 1,
    },
    ipvs: {
      rules: rulesIn(v.nat) + rulesIn(v.filter),
      bytes: v.nat.length + v.filter.length,
      virtualServers: v.virtualServers.length,
      realServers: v.virtualServers.reduce((sum, vs) => sum + vs.realServers.length, 0),
      ipsetEntries: v.ipsets.reduce((sum, s) => sum + s.entries.length, 0),
    },
  };
}

const fmt = (x: number) => x.toLocaleString('en-US');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function mount(root: HTMLElement): void {
  const services = root.querySelector<HTMLInputElement>('input[data-field="services"]')!;
  const endpoints = root.querySelector<HTMLInputElement>('input[data-field="endpoints"]')!;
  const live = root.querySelector<HTMLElement>('[data-live]');
  const cell = (name: string) => root.querySelector<HTMLElement>(`[data-out="${name}"]`)!;
  const render = () => {
    const r = compare(Number(services.value), Number(endpoints.value));
    cell('ipt-rules').textContent = fmt(r.iptables.rules);
    cell('ipt-bytes').textContent = kb(r.iptables.bytes) + (r.iptables.largeClusterMode ? ' (large-cluster mode: no per-endpoint comments)' : '');
    cell('ipt-lookup').textContent = `${fmt(r.iptables.servicesRulesTested)} KUBE-SERVICES rules tested`;
    cell('ipvs-rules').textContent = `${fmt(r.ipvs.rules)} iptables rules; ${fmt(r.ipvs.virtualServers)} virtual servers, ${fmt(r.ipvs.realServers)} real servers, ${fmt(r.ipvs.ipsetEntries)} ipset entries`;
    cell('ipvs-bytes').textContent = kb(r.ipvs.bytes);
    cell('ipvs-lookup').textContent = 'one hash lookup (after a fixed few ipset rules)';
    if (live) live.textContent = `iptables: ${fmt(r.iptables.rules)} rules, ${fmt(r.iptables.servicesRulesTested)} tested for the last Service; IPVS: ${fmt(r.ipvs.rules)} rules and one lookup`;
  };
  for (const input of [services, endpoints]) {
    input.disabled = false;
    input.addEventListener('change', render);
  }
  root.querySelector('[data-status]')?.replaceChildren('Live: change a size (press Enter or leave the field).');
  root.removeAttribute('data-kl-pending');
  render();
}
