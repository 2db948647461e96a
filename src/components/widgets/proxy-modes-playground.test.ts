import { afterAll, describe, expect, it, vi } from 'vitest';
import { cells, checkSizes, compare, fieldError, LIMITS, MODES, mount, summary } from './proxy-modes-playground';
import {
  FakeClock,
  newUserspaceProxier,
  parseIptablesSave,
  proxyModeCosts,
  RecentLists,
  rngFromSeed,
  syncIPVSProxyRules,
  syncNFTablesProxyRules,
  syncProxyRules,
  syntheticCluster,
  traceNFTablesPacket,
  traverseTable,
} from '../../sim/index';

const node = { nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' };
const lines = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix)).length;

// The widget's numbers are the models' own: proxyModeCosts row for row, and each count what the
// proxier's own sync returns, run here separately.
describe('ProxyModesPlayground numbers', () => {
  it.each([[1, 1], [11, 2], [37, 3], [120, 10]])('%i Services x %i endpoints: the four rows are proxyModeCosts', (n, e) => {
    const r = compare(n, e);
    const cluster = syntheticCluster(n, e);
    expect(MODES.map((m) => r.costs[m])).toEqual(proxyModeCosts(cluster, { serviceIndex: n - 1, requestBytes: 200, responseBytes: 3000 }));

    const ipt = syncProxyRules({ ...cluster, ...node });
    expect([r.costs.iptables.rules, r.costs.iptables.chains]).toEqual([ipt.natRules + ipt.filterRules, ipt.natChains + ipt.filterChains]);
    expect(r.largeClusterMode).toBe(ipt.largeClusterMode);
    const ipvs = syncIPVSProxyRules({ ...cluster, ...node });
    expect(r.costs.ipvs.rules).toBe(lines(ipvs.nat, '-A ') + lines(ipvs.filter, '-A '));
    const servers = ipvs.virtualServers.length + ipvs.virtualServers.reduce((k, v) => k + v.realServers.length, 0);
    expect(r.costs.ipvs.elements).toBe(servers + ipvs.ipsets.reduce((k, s) => k + s.entries.length, 0));
    const nft = syncNFTablesProxyRules({ ...cluster, ...node });
    expect([r.costs.nftables.rules, r.costs.nftables.chains, r.costs.nftables.elements]).toEqual([nft.counts.rules, nft.counts.chains, nft.counts.elements]);
    const clusterIP = cluster.services[n - 1].spec.clusterIP!;
    const trace = traceNFTablesPacket(nft.table, { sourceIP: '10.255.255.1', destIP: clusterIP, destPort: 80 }, node.nodeIPs);
    expect([r.costs.nftables.firstPacket.rulesEvaluated, r.costs.nftables.firstPacket.lookups]).toEqual([trace.rulesEvaluated, trace.lookups]);
    const us = newUserspaceProxier({ ...cluster, hostIP: '192.168.0.2', localAddrs: node.nodeIPs, clock: new FakeClock(), rng: rngFromSeed(1) });
    expect(r.costs.userspace.rules).toBe(us.rules.length);
    const conn = us.connect({ destIP: clusterIP, destPort: 80, clientIP: '10.255.255.1', requestBytes: 200, responseBytes: 3000 });
    expect([r.costs.userspace.firstPacket.rulesEvaluated, r.costs.userspace.firstPacket.userspaceBytes]).toEqual([conn.rulesEvaluated, 3200]);
  });

  it.each([[1, 1], [11, 2], [37, 3], [120, 10]])('%i Services x %i endpoints: KUBE-SERVICES rules tested match a netfilter walk', (n, e) => {
    const r = compare(n, e);
    const cluster = syntheticCluster(n, e);
    const { nat } = syncProxyRules({ ...cluster, ...node });
    const walk = traverseTable(parseIptablesSave(nat), 'nat', 'KUBE-SERVICES',
      { proto: 'tcp', src: '10.255.0.5', dst: cluster.services[n - 1].spec.clusterIP!, sport: 40000, dport: 80, mark: 0 },
      { rng: rngFromSeed(1), recent: new RecentLists(new FakeClock()), isLocal: () => false, ctstate: ['NEW'] });
    expect(r.costs.iptables.firstPacket.dispatchRulesEvaluated).toBe(walk.trace.filter((s) => s.kind === 'rule' && s.chain === 'KUBE-SERVICES').length);
    expect(r.costs.iptables.firstPacket.dispatchRulesEvaluated).toBe(n);
  });

  it('100 x 10: the figures the lesson and the model README print', () => {
    const r = compare(100, 10);
    expect([r.costs.iptables.rules, r.costs.ipvs.rules, r.costs.nftables.rules, r.costs.nftables.elements]).toEqual([3249, 21, 2242, 211]);
    // 5 fixed userspace rules, a portal and a host portal per Service, three more per NodePort.
    expect(r.costs.userspace.rules).toBe(5 + 100 * 2 + 10 * 3);
    // 110 virtual servers (100 ClusterIPs + 10 NodePorts on the node IP), 1,100 real servers.
    expect(r.costs.ipvs.elements - 110 - 1100).toBe(syncIPVSProxyRules({ ...syntheticCluster(100, 10), ...node }).ipsets.reduce((k, s) => k + s.entries.length, 0));
  });

  it('the last Service costs more rules than the first in userspace and iptables only', () => {
    const small = compare(10, 2);
    const big = compare(300, 2);
    for (const m of ['userspace', 'iptables'] as const) expect(big.costs[m].firstPacket.rulesEvaluated - small.costs[m].firstPacket.rulesEvaluated).toBe(290);
    for (const m of ['ipvs', 'nftables'] as const) expect(big.costs[m].firstPacket).toEqual(small.costs[m].firstPacket);
  });

  it('crossing 1,000 endpoints in all drops the per-endpoint comments', () => {
    expect(compare(100, 10).largeClusterMode).toBe(false);
    const past = compare(100, 11);
    expect(past.largeClusterMode).toBe(true);
    expect(past.costs.iptables.rulesTextBytes).toBeLessThan(compare(100, 9).costs.iptables.rulesTextBytes);
    expect(cells(past)['iptables-bytes']).toMatch(/large-cluster mode/);
    expect(cells(compare(100, 10))['iptables-bytes']).not.toMatch(/large-cluster/);
  });

  it('cells and the spoken summary show the rows', () => {
    const r = compare(100, 10);
    const c = cells(r);
    expect(Object.keys(c)).toHaveLength(4 * 7);
    expect(c['iptables-rules']).toBe('3,249');
    expect(c['iptables-evaluated']).toBe(`${r.costs.iptables.firstPacket.rulesEvaluated} (100 in KUBE-SERVICES)`);
    expect(c['userspace-evaluated']).toBe(`${r.costs.userspace.firstPacket.rulesEvaluated} (${r.costs.userspace.firstPacket.dispatchRulesEvaluated} in KUBE-PORTALS-CONTAINER)`);
    expect(c['nftables-evaluated']).toBe(String(r.costs.nftables.firstPacket.rulesEvaluated));
    expect(c['userspace-copied']).toBe('3,200 B (request + response)');
    expect(c['nftables-copied']).toBe('0 (the kernel forwards)');
    expect(c['ipvs-bytes']).toBe('2.2 KB');
    expect(c['iptables-bytes']).toBe('462.2 KB'); // the lesson's 462 KB
    expect(summary(r)).toContain(`IPVS ${r.costs.ipvs.firstPacket.rulesEvaluated} rules and ${r.costs.ipvs.firstPacket.lookups} lookups`);
  });
});

describe('ProxyModesPlayground input', () => {
  it.each([
    ['services', '-5', '-5 is negative: enter 1 to 300 Services.'],
    ['services', 'abc', 'Not a number: enter how many Services, 1 to 300.'],
    ['endpoints', '1e400', '1e400 is too large here: at most 20 endpoints per Service (the page runs all four proxiers in your tab).'],
    ['services', '12abc', 'Not a number: enter how many Services, 1 to 300.'],
    ['services', '', 'Enter how many Services, 1 to 300.'],
    ['endpoints', '2.5', '2.5 is not a whole number: enter 1 to 20 endpoints per Service.'],
    ['services', '0', 'At least 1: enter 1 to 300 Services.'],
    ['services', '10000', '10,000 is too large here: at most 300 Services (the page runs all four proxiers in your tab).'],
    ['endpoints', '21', '21 is too large here: at most 20 endpoints per Service (the page runs all four proxiers in your tab).'],
  ] as const)('%s = %j: %s', (field, raw, message) => {
    expect(fieldError(field, raw)).toBe(message);
  });

  it('a number field the browser could not parse says so, though its value is empty', () => {
    expect(fieldError('services', '', true)).toBe('Not a number: enter how many Services, 1 to 300.');
    expect(fieldError('services', ' 42 ')).toBeUndefined();
  });

  it('bounds the endpoints in all, told at the field just changed', () => {
    expect(checkSizes('300', '5')).toEqual({});
    expect(checkSizes('75', '20')).toEqual({});
    expect(checkSizes('300', '6', 'endpoints')).toEqual({ endpoints: '300 Services × 6 = 1,800 endpoints in all; the page stops at 1,500.' });
    expect(checkSizes('300', '6', 'services')).toEqual({ services: '300 Services × 6 = 1,800 endpoints in all; the page stops at 1,500.' });
    expect(checkSizes('-1', 'x')).toEqual({ services: '-1 is negative: enter 1 to 300 Services.', endpoints: 'Not a number: enter how many endpoints per Service, 1 to 20.' });
  });

  it('compare refuses what the fields refuse', () => {
    expect(() => compare(0, 1)).toThrow(RangeError);
    expect(() => compare(LIMITS.services + 1, 1)).toThrow('too large');
    expect(() => compare(200, 10)).toThrow('2,000 endpoints in all');
  });
});

// Just enough of the widget's DOM for mount(): the elements it looks up by selector.
class FakeEl {
  textContent = '';
  hidden = false;
  disabled = true;
  value = '';
  validity = { badInput: false };
  attrs = new Map<string, string>();
  listeners = new Map<string, (() => void)[]>();
  setAttribute(k: string, v: string) { this.attrs.set(k, v); }
  removeAttribute(k: string) { this.attrs.delete(k); }
  hasAttribute(k: string) { return this.attrs.has(k); }
  getAttribute(k: string) { return this.attrs.get(k) ?? null; }
  addEventListener(type: string, f: () => void) { this.listeners.set(type, [...(this.listeners.get(type) ?? []), f]); }
  fire(type: string) { for (const f of this.listeners.get(type) ?? []) f(); }
}

function fakeWidget(services: number, endpoints: number) {
  const els = new Map<string, FakeEl>();
  const el = (sel: string) => els.get(sel) ?? els.set(sel, new FakeEl()).get(sel)!;
  el('input[data-field="services"]').value = String(services);
  el('input[data-field="endpoints"]').value = String(endpoints);
  const root = Object.assign(new FakeEl(), { querySelector: (sel: string) => el(sel) });
  root.setAttribute('data-kl-pending', '');
  return { root, el };
}

describe('ProxyModesPlayground mounted', () => {
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0));
  afterAll(() => vi.unstubAllGlobals());
  // Waits a macrotask, then while the table is busy (a run awaits two timers first, which a loaded machine can delay past any fixed wait).
  const settle = async (busy: () => boolean = () => false) => {
    for (let i = 0; i < 2_000; i++) {
      await new Promise((r) => setTimeout(r, 5));
      if (!busy()) return;
    }
  };

  it('a bad size gets its message at the field and leaves the table marked stale; a good one fills every cell', async () => {
    const { root, el } = fakeWidget(100, 10);
    mount(root as unknown as HTMLElement);
    const services = el('input[data-field="services"]');
    expect([services.disabled, root.hasAttribute('data-kl-pending')]).toEqual([false, false]);

    services.value = '-3';
    services.fire('change');
    await settle();
    expect(el('[data-error="services"]').textContent).toBe('-3 is negative: enter 1 to 300 Services.');
    expect(el('[data-error="services"]').hidden).toBe(false);
    expect(services.getAttribute('aria-invalid')).toBe('true');
    expect(el('table').hasAttribute('data-stale')).toBe(true);
    expect(el('[data-out="iptables-rules"]').textContent).toBe('');

    services.value = '';
    services.validity.badInput = true; // the browser's verdict on "abc"
    services.fire('input');
    expect(el('[data-error="services"]').textContent).toBe('Not a number: enter how many Services, 1 to 300.');

    services.validity.badInput = false;
    services.value = '37';
    const endpoints = el('input[data-field="endpoints"]');
    endpoints.value = '3';
    endpoints.fire('change');
    await settle(() => el('table').hasAttribute('aria-busy'));
    expect([el('[data-error="services"]').hidden, services.getAttribute('aria-invalid'), el('table').hasAttribute('data-stale')]).toEqual([true, null, false]);
    const want = cells(compare(37, 3));
    for (const [name, text] of Object.entries(want)) expect(el(`[data-out="${name}"]`).textContent).toBe(text);
    expect(el('[data-live]').textContent).toBe(summary(compare(37, 3)));
    expect(el('[data-status]').textContent).toMatch(/^Live: 37 Services × 3 endpoints, computed in your tab in [\d,]+ ms/);
  });

  it('too many endpoints in all is told at the field just changed, and nothing runs', async () => {
    const { root, el } = fakeWidget(100, 10);
    mount(root as unknown as HTMLElement);
    el('input[data-field="endpoints"]').value = '20';
    el('input[data-field="endpoints"]').fire('change');
    await settle();
    expect(el('[data-error="endpoints"]').textContent).toBe('100 Services × 20 = 2,000 endpoints in all; the page stops at 1,500.');
    expect(el('[data-error="services"]').hidden).toBe(true);
    expect(el('[data-out="iptables-rules"]').textContent).toBe('');
  });
});

// The bench line: the slowest size the page allows (300 x 5; 250 x 6, 150 x 10 and 75 x 20 take
// less), on node's V8, Chromium's engine. CPU time, not wall time, so a loaded machine does not
// fail it: about 0.4 s here on a busy 2-core box (in headless Chromium: 0.25 s, 0.8 s with 4x CPU
// throttling), where 2,000 x 20, the old bound, ran for minutes. The bound leaves room for a
// slower CI machine and still catches that growth.
describe('ProxyModesPlayground speed', () => {
  it('the slowest allowed size (300 Services x 5 endpoints) takes well under two seconds of CPU', () => {
    compare(20, 2); // warm the JIT as a second change in the tab would
    const c0 = process.cpuUsage();
    const r = compare(LIMITS.services, LIMITS.totalEndpoints / LIMITS.services);
    const c = process.cpuUsage(c0);
    expect(r.costs.iptables.firstPacket.dispatchRulesEvaluated).toBe(300);
    expect((c.user + c.system) / 1000).toBeLessThan(2000);
  });
});
