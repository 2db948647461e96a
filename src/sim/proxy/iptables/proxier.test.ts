import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Service } from '../../api/core/v1';
import type { EndpointSlice } from '../../api/discovery/v1';
import { fakeProxierOptions, makeTestEndpointSlice, makeTestService } from '../testing';
import { overallFixture } from './testdata/overall';
import { syncProxyRules, type SyncProxyRulesOptions } from './proxier';
import { countRules, sortIPTablesRules } from './save';

const golden = (name: string) => readFileSync(new URL(`./testdata/${name}.golden`, import.meta.url), 'utf8');

function sync(services: Service[], endpointSlices: EndpointSlice[], extra: Partial<SyncProxyRulesOptions> = {}) {
  const r = syncProxyRules({ ...fakeProxierOptions, services, endpointSlices, ...extra });
  return { ...r, sorted: sortIPTablesRules(r.filter + r.nat) };
}

const p80 = { name: 'p80', port: 80, protocol: 'TCP' as const };

describe('syncProxyRules (pkg/proxy/iptables/proxier_test.go)', () => {
  it('writes exactly the golden nat and filter tables', () => {
    // ref: 'TestOverallIPTablesRules'
    const { services, slices } = overallFixture();
    const r = sync(services, slices);
    expect(r.sorted).toBe(golden('TestOverallIPTablesRules'));
    expect(r.natRules).toBe(countRules('nat', r.nat));
    expect(r.filterRules).toBe(countRules('filter', r.filter));
  });
});

const chain = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`-A ${name} `));

describe('TestDropInvalidRule', () => {
  const forward = [
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  ];
  const cases = [
    { nfacct: false, tcpLiberal: false, drop: ['-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP'] },
    { nfacct: true, tcpLiberal: false, drop: ['-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP'] },
    { nfacct: false, tcpLiberal: true, drop: [] },
  ];
  for (const tc of cases) {
    it(`TestDropInvalidRule/tcpLiberal is ${tc.tcpLiberal} and nfacctEnsured is ${tc.nfacct}`, () => {
      const r = sync([], [], { nfacct: tc.nfacct, conntrackTCPLiberal: tc.tcpLiberal });
      expect(chain(r.filter, 'KUBE-FORWARD')).toEqual([...tc.drop, ...forward]);
    });
  }
});

describe('TestMasqueradeRule', () => {
  for (const randomFully of [false, true]) {
    it(`TestMasqueradeRule/randomFully ${randomFully}`, () => {
      const r = sync([], [], { randomFully });
      expect(chain(r.nat, 'KUBE-POSTROUTING')).toEqual([
        '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
        '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
        `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${randomFully ? ' --random-fully' : ''}`,
      ]);
    });
  }

  it('kube-proxy formats the mark from masqueradeBit with %#08x', () => {
    const r = syncProxyRules({ services: [], endpointSlices: [], nodeName: 'n', masqueradeBit: 14 });
    expect(chain(r.nat, 'KUBE-MARK-MASQ')).toEqual(['-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000']);
    expect(chain(syncProxyRules({ services: [], endpointSlices: [], nodeName: 'n', masqueradeBit: 1 }).nat, 'KUBE-MARK-MASQ')).toEqual([
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00000002',
    ]);
  });
});

describe('session affinity and probabilities', () => {
  function affinityFixture(n: number, sessionAffinity: 'None' | 'ClientIP', timeoutSeconds?: number) {
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.0.41';
      s.spec.ports = [p80];
      s.spec.sessionAffinity = sessionAffinity;
      if (timeoutSeconds !== undefined) s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds } };
    });
    const slice = makeTestEndpointSlice('ns1', 'svc1', 1, (eps) => {
      eps.endpoints = Array.from({ length: n }, (_, i) => ({ addresses: [`10.180.0.${i + 1}`] }));
      eps.ports = [p80];
    });
    return sync([svc], [slice]);
  }

  it('each rule i of n jumps with probability 1/(n-i); the last one always', () => {
    const r = affinityFixture(3, 'None');
    const svcRules = chain(r.nat, 'KUBE-SVC-XPGD46QRK7WJZT7O').filter((l) => l.includes(' -> '));
    expect(svcRules.map((l) => /--probability (\S+)/.exec(l)?.[1] ?? 'always')).toEqual(['0.3333333333', '0.5000000000', 'always']);
    expect(r.nat).not.toContain('-m recent');
  });

  it('ClientIP affinity: an --rcheck rule per endpoint before the statistic rules, and --set in each SEP', () => {
    // ref: 'TestOverallIPTablesRules' (svc5's affinity rules), with three endpoints
    const r = affinityFixture(3, 'ClientIP', 60);
    const svcRules = chain(r.nat, 'KUBE-SVC-XPGD46QRK7WJZT7O').filter((l) => l.includes(' -> '));
    expect(svcRules.slice(0, 3).every((l) => / -m recent --name (KUBE-SEP-\S+) --rcheck --seconds 60 --reap -j \1$/.test(l))).toBe(true);
    expect(svcRules.slice(3).map((l) => l.includes('--rcheck'))).toEqual([false, false, false]);
    const dnat = r.nat.split('\n').filter((l) => l.includes('-j DNAT'));
    expect(dnat).toHaveLength(3);
    expect(dnat.every((l) => / -A (KUBE-SEP-\S+) .*-m recent --name \1 --set -m tcp -p tcp -j DNAT/.test(` ${l}`))).toBe(true);
  });

  it('ClientIP affinity without a config uses the API default of 10800 seconds', () => {
    expect(affinityFixture(1, 'ClientIP').nat).toContain('--rcheck --seconds 10800 --reap');
  });
});

describe('large cluster mode', () => {
  it('drops the per-endpoint comments above 1000 endpoints', () => {
    // ref: 'TestSyncProxyRulesLargeClusterMode'
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.0.41';
      s.spec.ports = [p80];
    });
    const slice = (n: number) =>
      makeTestEndpointSlice('ns1', 'svc1', 1, (eps) => {
        eps.endpoints = Array.from({ length: n }, (_, i) => ({ addresses: [`10.${(i >> 8) & 255}.${i & 255}.1`] }));
        eps.ports = [p80];
      });
    const small = sync([svc], [slice(1000)]);
    const large = sync([svc], [slice(1001)]);
    expect(small.largeClusterMode).toBe(false);
    expect(large.largeClusterMode).toBe(true);
    expect(chain(small.nat, 'KUBE-SVC-XPGD46QRK7WJZT7O')[1]).toContain('--comment "ns1/svc1:p80 -> ');
    const sepRules = large.nat.split('\n').filter((l) => l.startsWith('-A KUBE-SEP-'));
    expect(sepRules.some((l) => l.includes('--comment'))).toBe(false);
    expect(sepRules).toHaveLength(2002);
    // The ClusterIP rules keep their comments: only per-endpoint ones go.
    expect(chain(large.nat, 'KUBE-SVC-XPGD46QRK7WJZT7O')[0]).toContain('--comment "ns1/svc1:p80 cluster IP"');
  });
});
