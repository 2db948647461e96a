import { describe, expect, it } from 'vitest';
import { compare, LIMITS } from './proxy-modes-playground';
import { FakeClock, parseIptablesSave, RecentLists, rngFromSeed, syncProxyRules, syntheticCluster, traverseTable } from '../../sim/index';

// The widget's numbers are the proxiers' own, and its lookup cost is what the netfilter model
// walks: the KUBE-SERVICES rules a packet to the last Service is tested against.
describe('ProxyModesPlayground', () => {
  it.each([[1, 1], [11, 2], [37, 3], [120, 10]])('%i Services x %i endpoints: KUBE-SERVICES rules tested match a walk', (n, e) => {
    const r = compare(n, e);
    const cluster = syntheticCluster(n, e);
    const { nat } = syncProxyRules({ ...cluster, nodeIPs: ['192.168.0.2'], clusterCIDR: '10.0.0.0/8' });
    const walk = traverseTable(parseIptablesSave(nat), 'nat', 'KUBE-SERVICES',
      { proto: 'tcp', src: '10.255.0.5', dst: cluster.services[n - 1].spec.clusterIP!, sport: 40000, dport: 80, mark: 0 },
      { rng: rngFromSeed(1), recent: new RecentLists(new FakeClock()), isLocal: () => false, ctstate: ['NEW'] });
    expect(r.iptables.servicesRulesTested).toBe(walk.trace.filter((s) => s.kind === 'rule' && s.chain === 'KUBE-SERVICES').length);
    expect(r.iptables.servicesRulesTested).toBe(n);
  });

  it('iptables rules grow with Services x endpoints; IPVS keeps 21 rules and grows its kernel objects', () => {
    const a = compare(100, 10);
    const b = compare(200, 10);
    expect(a.iptables.rules).toBe(3249); // the model README's 100 x 10 figure
    expect(b.iptables.rules).toBe(2 * a.iptables.rules - 9); // only the 9 fixed rules do not double
    expect([a.ipvs.rules, b.ipvs.rules]).toEqual([21, 21]);
    expect([a.ipvs.virtualServers, a.ipvs.realServers]).toEqual([110, 1100]);
    expect([b.ipvs.virtualServers, b.ipvs.realServers]).toEqual([220, 2200]);
  });

  it('crossing 1,000 endpoints drops the per-endpoint comments', () => {
    expect(compare(100, 10).iptables.largeClusterMode).toBe(false);
    const past = compare(100, 11);
    expect(past.iptables.largeClusterMode).toBe(true);
    expect(past.iptables.bytes).toBeLessThan(compare(100, 9).iptables.bytes);
  });

  it('clamps sizes to what the page accepts', () => {
    expect(compare(0, 0)).toEqual(compare(1, 1));
    expect(compare(LIMITS.services + 5, 3).ipvs.virtualServers).toBe(LIMITS.services + LIMITS.services / 10);
  });
});
