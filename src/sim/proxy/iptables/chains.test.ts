import { describe, expect, it } from 'vitest';
import {
  computeProbability,
  isServiceChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortEndpointChainName,
  servicePortPolicyClusterChain,
  servicePortPolicyLocalChainName,
} from './chains';

describe('chain names (pkg/proxy/iptables/proxier.go)', () => {
  // Hashes as they appear in upstream's TestOverallIPTablesRules golden output.
  const cases = [
    { ref: 'TestOverallIPTablesRules', spn: 'ns1/svc1:p80', svc: 'KUBE-SVC-XPGD46QRK7WJZT7O', ep: '10.180.0.1:80', sep: 'KUBE-SEP-SXIVWICOYRO3J4NJ' },
    { ref: 'TestOverallIPTablesRules', spn: 'ns2/svc2:p80', svc: 'KUBE-SVC-GNZBNJ2PO5MGZ6GT', ep: '10.180.0.2:80', sep: 'KUBE-SEP-RS4RBKLTHTF2IUXJ' },
    { ref: 'TestOverallIPTablesRules', spn: 'ns3/svc3:p80', svc: 'KUBE-SVC-X27LE4BHSL4DOUIK', ep: '10.180.0.3:80', sep: 'KUBE-SEP-OYPFS5VJICHGATKP' },
    { ref: 'TestOverallIPTablesRules', spn: 'ns4/svc4:p80', svc: 'KUBE-SVC-4SW47YFZTEDKD3PK', ep: '10.180.0.5:80', sep: 'KUBE-SEP-C6EBXVWJJZMIWKLZ' },
    { ref: 'TestOverallIPTablesRules', spn: 'ns5/svc5:p80', svc: 'KUBE-SVC-NUKIZ6OKUXPJNT4C', ep: '10.180.0.3:80', sep: 'KUBE-SEP-I77PXRDZVX7PMWMN' },
  ];
  for (const c of cases) {
    it(`${c.ref}/${c.spn}`, () => {
      const hash = c.svc.slice('KUBE-SVC-'.length);
      expect(servicePortPolicyClusterChain(c.spn, 'tcp')).toBe(c.svc);
      expect(servicePortPolicyLocalChainName(c.spn, 'tcp')).toBe(`KUBE-SVL-${hash}`);
      expect(serviceExternalChainName(c.spn, 'tcp')).toBe(`KUBE-EXT-${hash}`);
      expect(serviceFirewallChainName(c.spn, 'tcp')).toBe(`KUBE-FW-${hash}`);
      expect(servicePortEndpointChainName(c.spn, 'tcp', c.ep)).toBe(c.sep);
    });
  }

  // The chains every kubeadm cluster has, as `iptables-save` shows them on real nodes.
  const wellKnown: [string, 'tcp' | 'udp', string][] = [
    ['default/kubernetes:https', 'tcp', 'KUBE-SVC-NPX46M4PTMTKRN6Y'],
    ['kube-system/kube-dns:dns', 'udp', 'KUBE-SVC-TCOU7JCQXEZGVUNU'],
    ['kube-system/kube-dns:dns-tcp', 'tcp', 'KUBE-SVC-ERIFXISQEP7F7OF4'],
    ['kube-system/kube-dns:metrics', 'tcp', 'KUBE-SVC-JD5MR3NA4I4DYORP'],
  ];
  for (const [spn, protocol, chain] of wellKnown) {
    it(`matches a real node's chain for ${spn}`, () => expect(servicePortPolicyClusterChain(spn, protocol)).toBe(chain));
  }

  it('the protocol takes part in the hash', () => {
    expect(servicePortPolicyClusterChain('ns1/svc1:p80', 'udp')).not.toBe(servicePortPolicyClusterChain('ns1/svc1:p80', 'tcp'));
    expect(servicePortPolicyClusterChain('ns1/svc1:p80', 'udp')).toMatch(/^KUBE-SVC-[A-Z2-7]{16}$/);
  });

  it('isServiceChainName knows the five per-service prefixes only', () => {
    expect(['KUBE-SVC-X', 'KUBE-SVL-X', 'KUBE-EXT-X', 'KUBE-FW-X', 'KUBE-SEP-X'].every(isServiceChainName)).toBe(true);
    expect(['KUBE-SERVICES', 'KUBE-MARK-MASQ', 'KUBE-NODEPORTS'].some(isServiceChainName)).toBe(false);
  });
});

describe('computeProbability', () => {
  const expected: [number, string][] = [
    [1, '1.0000000000'],
    [2, '0.5000000000'],
    [10, '0.1000000000'],
    [100, '0.0100000000'],
    [1000, '0.0010000000'],
    [10000, '0.0001000000'],
    [100000, '0.0000100000'],
    [100001, '0.0000099999'],
  ];
  for (const [n, p] of expected) {
    it(`TestComputeProbability/${n}`, () => expect(computeProbability(n)).toBe(p));
  }
  it('TestComputeProbability/strictly decreasing in n', () => {
    let prev = 0;
    for (let i = 100000; i > 1; i--) {
      const cur = Number(computeProbability(i));
      expect(cur > prev, `computeProbability(${i})`).toBe(true);
      prev = cur;
    }
  });
  it('rounds an exact tie half to even, as Go does (1/2048 = 0.00048828125)', () => {
    expect(computeProbability(2048)).toBe('0.0004882812');
    expect(computeProbability(3)).toBe('0.3333333333');
  });
});
