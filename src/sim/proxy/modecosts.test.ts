import { describe, expect, it } from 'vitest';
import { proxyModeCosts, type ProxyMode } from './modecosts';
import { syntheticCluster } from './perf';

// ref: the model's own measure (proxy modes lesson): each mode's first-packet work for the
// first and the last of N Services, on upstream's synthetic-cluster shape.
describe('proxyModeCosts', () => {
  const cluster = syntheticCluster(60, 3);
  const at = (k: number) => Object.fromEntries(proxyModeCosts(cluster, { serviceIndex: k, requestBytes: 200, responseBytes: 3000 }).map((c) => [c.mode, c])) as Record<
    ProxyMode,
    ReturnType<typeof proxyModeCosts>[number]
  >;
  const first = at(0);
  const last = at(59);

  it('walks one more KUBE-SERVICES rule per Service before it in iptables mode', () => {
    expect(first.iptables.firstPacket.dispatchRulesEvaluated).toBe(1);
    expect(last.iptables.firstPacket.dispatchRulesEvaluated).toBe(60);
    expect(last.iptables.firstPacket.rulesEvaluated - first.iptables.firstPacket.rulesEvaluated).toBe(59);
  });

  it('walks the portal chain linearly in userspace mode and copies every byte', () => {
    expect(last.userspace.firstPacket.dispatchRulesEvaluated - first.userspace.firstPacket.dispatchRulesEvaluated).toBe(59);
    expect(first.userspace.firstPacket.userspaceBytes).toBe(3200);
    expect(first.iptables.firstPacket.userspaceBytes).toBe(0);
  });

  it('costs the same for every Service with IPVS and nftables: hash lookups', () => {
    for (const mode of ['ipvs', 'nftables'] as const) {
      expect(last[mode].firstPacket).toEqual(first[mode].firstPacket);
      expect(first[mode].firstPacket.lookups).toBeGreaterThan(0);
    }
  });

  it('programs what each sync reports', () => {
    // 60 Services, 6 of them NodePorts, 3 endpoints each.
    // cluster-ips + service-ips + service-nodeports + nodeport-ips (the primary node IP, nftables' default).
    expect(first.nftables.elements).toBe(60 + 60 + 6 + 1);
    expect(first.ipvs.rules).toBe(21);
    expect(first.userspace.rules).toBe(5 + 60 * 2 + 6 * 3);
    expect(first.iptables.rules).toBeGreaterThan(first.nftables.rules);
  });

  it('refuses an index outside the cluster', () => {
    expect(() => proxyModeCosts(cluster, { serviceIndex: 60 })).toThrow(RangeError);
  });
});
