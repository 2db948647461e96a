import { describe, expect, it } from 'vitest';
import { canonicalRule, savedProbability } from './canonical';

// Each pair: what kube-proxy restores, and the line `iptables-save` prints for it on real nodes.
const cases: [string, string, string][] = [
  [
    'cluster IP capture',
    '-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
    '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
  ],
  [
    'masquerade of off-cluster traffic',
    '-A KUBE-SVC-IFRSJQYNFWED4CMW -m comment --comment "ch20/web:http cluster IP" -m tcp -p tcp -d 10.104.228.232 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-IFRSJQYNFWED4CMW ! -s 10.244.0.0/16 -d 10.104.228.232/32 -p tcp -m comment --comment "ch20/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
  ],
  [
    'statistic: the kernel fixed-point probability',
    '-A KUBE-SVC-IFRSJQYNFWED4CMW -m comment --comment "ch20/web:http -> 10.244.0.194:8080" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-NFL37PQ3XGPAYNBX',
    '-A KUBE-SVC-IFRSJQYNFWED4CMW -m comment --comment "ch20/web:http -> 10.244.0.194:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-NFL37PQ3XGPAYNBX',
  ],
  [
    'endpoint DNAT',
    '-A KUBE-SEP-KVEHKWBOWX3KCL2I -m comment --comment default/my-service -m tcp -p tcp -j DNAT --to-destination 10.0.2.167:9376',
    '-A KUBE-SEP-KVEHKWBOWX3KCL2I -p tcp -m comment --comment "default/my-service" -m tcp -j DNAT --to-destination 10.0.2.167:9376',
  ],
  [
    'anti-martian rule',
    '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
  ],
  [
    'nfacct',
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP',
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP',
  ],
  [
    'mark match',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
  ],
  ['negated mark match', '-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN', '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN'],
  ['MARK --or-mark', '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'],
  ['MARK --xor-mark', '-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000', '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0'],
  [
    'session affinity check',
    '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN',
    '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -j KUBE-SEP-I77PXRDZVX7PMWMN',
  ],
  [
    'session affinity set',
    '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80',
    '-A KUBE-SEP-I77PXRDZVX7PMWMN -p tcp -m comment --comment "ns5/svc5:p80" -m recent --set --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.3:80',
  ],
  [
    'addrtype and the last rule of KUBE-SERVICES',
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
  ],
  [
    'REJECT saves its default --reject-with (libipt_REJECT)',
    '-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT',
    '-A KUBE-SERVICES -d 172.30.0.46/32 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
  ],
  ['a safe comment stays unquoted', '-A KUBE-EXT-X -m comment --comment abc-1_2 -j KUBE-MARK-MASQ', '-A KUBE-EXT-X -m comment --comment abc-1_2 -j KUBE-MARK-MASQ'],
  ['masquerade with --random-fully', '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully', '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully'],
];

describe('canonicalRule (iptables-save of restored kube-proxy rules)', () => {
  for (const [name, input, output] of cases) it(name, () => expect(canonicalRule(input)).toBe(output));
});

describe('savedProbability', () => {
  it('prints the fixed-point value the kernel keeps, with 11 decimals', () => {
    expect(savedProbability('0.3333333333')).toBe('0.33333333349');
    expect(savedProbability('0.5000000000')).toBe('0.50000000000');
    expect(savedProbability('0.2000000000')).toBe('0.20000000019');
    expect(savedProbability('0.2500000000')).toBe('0.25000000000');
  });
  it('rounds an exact tie half to even (1/4096 = 0.000244140625)', () => {
    expect(savedProbability('0.0002441406')).toBe('0.00024414062');
  });
});
