import { describe, expect, it } from 'vitest';
import { fakeProxierOptions } from '../testing';
import { overallFixture } from './testdata/overall';
import { syncProxyRules } from './proxier';
import { checkIPTablesRuleJumps, iptablesSaveTable, sortIPTablesRules } from './save';

const dedent = (s: string) => s.replace(/^\n/, '').replace(/^\t+/gm, '');

describe('checkIPTablesRuleJumps', () => {
  const cases: { name: string; input: string; error?: string }[] = [
    {
      name: 'valid',
      input: `*filter
COMMIT
*nat
:KUBE-MARK-MASQ - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 10.20.30.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 10.20.30.41 --dport 80 ! -s 10.0.0.0/24 -j KUBE-MARK-MASQ
COMMIT
`,
    },
    {
      name: "can't jump to chain that wasn't created",
      input: `*filter
COMMIT
*nat
:KUBE-SERVICES - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
COMMIT
`,
      error: 'some chains in nat are used but were not created: [KUBE-SVC-XPGD46QRK7WJZT7O]',
    },
    {
      name: "can't jump to chain that has no rules",
      input: `*filter
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
COMMIT
`,
      error: 'some chains in nat are jumped to but have no rules: [KUBE-SVC-XPGD46QRK7WJZT7O]',
    },
    {
      name: "can't add rules to a chain that wasn't created",
      input: `*filter
COMMIT
*nat
:KUBE-MARK-MASQ - [0:0]
:KUBE-SERVICES - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" ...
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
COMMIT
`,
      error: 'some chains in nat are used but were not created: [KUBE-SVC-XPGD46QRK7WJZT7O]',
    },
    {
      name: "can't create chain and then not use it",
      input: `*filter
COMMIT
*nat
:KUBE-MARK-MASQ - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" ...
COMMIT
`,
      error: 'some chains in nat are created but not used: [KUBE-SVC-XPGD46QRK7WJZT7O]',
    },
  ];
  for (const tc of cases) {
    it(`TestCheckIPTablesRuleJumps/${tc.name}`, () => expect(checkIPTablesRuleJumps(tc.input)).toBe(tc.error));
  }

  it("the proxier's own output is consistent (assertIPTablesRulesEqual's check)", () => {
    const { services, slices } = overallFixture();
    const r = syncProxyRules({ ...fakeProxierOptions, services, endpointSlices: slices });
    expect(checkIPTablesRuleJumps(r.filter + r.nat)).toBeUndefined();
  });
});

describe('sortIPTablesRules', () => {
  it('TestSortIPTablesRules/correctly match same service name in different styles of comments', () => {
    const input = dedent(`
\t\t*filter
\t\tCOMMIT
\t\t*nat
\t\t:KUBE-SERVICES - [0:0]
\t\t-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1
\t\t-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2
\t\t-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3
\t\t-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" svc1 line 1
\t\t-A KUBE-SERVICES -m comment --comment ns1/svc1 svc1 line 2
\t\t-A KUBE-SERVICES -m comment --comment "ns1/svc1 blah" svc1 line 3
\t\t-A KUBE-SERVICES -m comment --comment ns4/svc4 svc4 line 1
\t\t-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" svc4 line 2
\t\t-A KUBE-SERVICES -m comment --comment "ns4/svc4 blah" svc4 line 3
\t\t-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" svc3 line 1
\t\t-A KUBE-SERVICES -m comment --comment "ns3/svc3 blah" svc3 line 2
\t\t-A KUBE-SERVICES -m comment --comment ns3/svc3 svc3 line 3
\t\tCOMMIT
\t\t`);
    const out = sortIPTablesRules(input).split('\n').filter((l) => l.startsWith('-A')).map((l) => l.slice(l.lastIndexOf(' svc') + 1));
    expect(out).toEqual([
      'svc1 line 1', 'svc1 line 2', 'svc1 line 3', 'svc2 line 1', 'svc2 line 2', 'svc2 line 3',
      'svc3 line 1', 'svc3 line 2', 'svc3 line 3', 'svc4 line 1', 'svc4 line 2', 'svc4 line 3',
    ].map((s) => s.replace(/^svc\d /, (m) => m)).map((s) => s.slice(s.indexOf('svc'))));
  });

  it('TestSortIPTablesRules/unexpected junk lines are preserved', () => {
    const input = `*filter
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:KUBE-AAAAA - [0:0]
:KUBE-ZZZZZ - [0:0]
:WHY-IS-THIS-CHAIN-HERE - [0:0]
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-ZZZZZ -m comment --comment "mystery chain number 1"
-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2
-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT
-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3
-A KUBE-AAAAA -m comment --comment "mystery chain number 2"
COMMIT
`;
    expect(sortIPTablesRules(input)).toBe(`*filter
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-AAAAA - [0:0]
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:KUBE-ZZZZZ - [0:0]
:WHY-IS-THIS-CHAIN-HERE - [0:0]
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1
-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2
-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3
-A KUBE-AAAAA -m comment --comment "mystery chain number 2"
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-ZZZZZ -m comment --comment "mystery chain number 1"
-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT
COMMIT
`);
  });
});

describe('iptablesSaveTable', () => {
  it("adds the built-in chains with kube-proxy's jump rules and the canary chain", () => {
    const { services, slices } = overallFixture();
    const r = syncProxyRules({ ...fakeProxierOptions, services, endpointSlices: slices });
    const nat = iptablesSaveTable(r.nat, 'nat').split('\n');
    expect(nat.slice(0, 5)).toEqual(['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]']);
    expect(nat).toContain(':KUBE-PROXY-CANARY - [0:0]');
    expect(nat.filter((l) => /^-A (PREROUTING|OUTPUT|POSTROUTING) /.test(l))).toEqual([
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    ]);
    const filter = iptablesSaveTable(r.filter, 'filter').split('\n');
    expect(filter.filter((l) => /^-A (INPUT|FORWARD|OUTPUT) /.test(l))).toEqual([
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      '-A INPUT -j KUBE-FIREWALL',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -j KUBE-FIREWALL',
    ]);
    // Every rule of the restore text is kept, once.
    const count = (t: string) => t.split('\n').filter((l) => l.startsWith('-A KUBE-')).length;
    expect(count(iptablesSaveTable(r.nat, 'nat'))).toBe(r.natRules);
  });
});
