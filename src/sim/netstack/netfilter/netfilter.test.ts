import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { rngFromSeed, type Rng } from '../../core/rng';
import {
  canonicalRuleText, formatIptablesSave, IptablesRestoreError, mergeRulesets, parseIptablesSave, RecentLists, runHook, traverseTable,
  type NetfilterEnv, type Packet, type Ruleset,
} from './index';

const overall = readFileSync(new URL('./testdata/TestOverallIPTablesRules.txt', import.meta.url), 'utf8');

// Upstream conventions (pkg/proxy/iptables/proxier_test.go): node IPs and clients.
const testNodeIP = '192.168.0.2';
const testNodeIPs = [testNodeIP, '192.168.1.2', '192.168.99.11'];
const testExternalClient = '203.0.113.2';

/** The built-in chain jumps TestTracePacket adds around the same kube-proxy rules. */
const tracePacketBuiltins = `*filter
:INPUT - [0:0]
:FORWARD - [0:0]
:OUTPUT - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
-A INPUT -m comment --comment kubernetes health check service ports -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment kubernetes externally-visible service portals -j KUBE-EXTERNAL-SERVICES
-A FORWARD -m comment --comment kubernetes forwarding rules -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment kubernetes service portals -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment kubernetes externally-visible service portals -j KUBE-EXTERNAL-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment kubernetes service portals -j KUBE-SERVICES
COMMIT
*nat
:PREROUTING - [0:0]
:INPUT - [0:0]
:OUTPUT - [0:0]
:POSTROUTING - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
-A PREROUTING -m comment --comment kubernetes service portals -j KUBE-SERVICES
-A OUTPUT -m comment --comment kubernetes service portals -j KUBE-SERVICES
-A POSTROUTING -m comment --comment kubernetes postrouting rules -j KUBE-POSTROUTING
COMMIT
`;

/** An Rng whose 31-bit draws follow a script: 0 = the statistic rule matches, max = it does not. */
function scriptedRng(script: boolean[]): Rng {
  let i = 0;
  return { uint32: () => (script[i++] ?? false ? 0 : 0xffffffff) } as unknown as Rng;
}

function env(over: Partial<NetfilterEnv> = {}): NetfilterEnv {
  return {
    rng: rngFromSeed(1),
    recent: new RecentLists(new FakeClock()),
    isLocal: (ip) => testNodeIPs.includes(ip),
    ctstate: ['NEW'],
    ...over,
  };
}

const pkt = (src: string, dst: string, dport: number, over: Partial<Packet> = {}): Packet => ({ proto: 'tcp', src, dst, sport: 40000, dport, mark: 0, ...over });

/**
 * Upstream's tracePacket (proxier_test.go) with our evaluator underneath: nat PREROUTING for every
 * statistic outcome (so all reachable endpoints are listed), then the filter chains kube-proxy owns.
 */
function tracePacket(rules: Ruleset, src: string, dst: string, dport: number): { output: string; masq: boolean } {
  const outputs: string[] = [];
  let masq = false;
  for (let taken = 0; taken < 8; taken++) {
    const script = [...Array(taken).fill(false), true];
    const r = runHook(rules, 'PREROUTING', pkt(src, dst, dport), env({ rng: scriptedRng(script) }), { nat: true });
    if (r.nat?.kind === 'DNAT' && !outputs.includes(r.nat.to)) outputs.push(r.nat.to);
    if (r.packet.mark & 0x4000) masq = true;
  }
  const dnatDst = outputs.length ? outputs[0].split(':')[0] : dst;
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    const r = traverseTable(rules, 'filter', chain, pkt(src, dnatDst, dport), env());
    if (r.rule) outputs.push(r.verdict);
  }
  return { output: outputs.join(', '), masq };
}

describe('parseIptablesSave', () => {
  it('round-trips kube-proxy output (TestOverallIPTablesRules) to the same text', () => {
    const rs = parseIptablesSave(overall);
    expect(formatIptablesSave(rs).replace(/^:(INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) ACCEPT \[0:0\]\n/gm, '')).toBe(overall);
    expect(rs.tables.get('nat')!.chains.get('KUBE-SERVICES')!.rules).toHaveLength(10);
  });

  it('reads matches and targets the way iptables does', () => {
    const rs = parseIptablesSave(overall);
    const sep = rs.tables.get('nat')!.chains.get('KUBE-SEP-I77PXRDZVX7PMWMN')!.rules[1];
    expect(sep.line).toBe(74);
    expect(sep.target).toEqual({ kind: 'DNAT', to: '10.180.0.3:80' });
    expect(sep.matches.map((m) => m.kind)).toEqual(['comment', 'recent', 'module', 'proto']);
    const svc = rs.tables.get('nat')!.chains.get('KUBE-SVC-4SW47YFZTEDKD3PK')!.rules[1];
    expect(svc.matches.find((m) => m.kind === 'statistic')).toMatchObject({ probability: 0.5, threshold: 0x40000000 });
    const fw = rs.tables.get('nat')!.chains.get('KUBE-FW-NUKIZ6OKUXPJNT4C')!.rules[1];
    expect(fw.target).toBeUndefined();
  });

  const bad: { name: string; text: string; message: string; line: number }[] = [
    { name: 'unknown option', text: '*nat\n:FOO - [0:0]\n-A FOO --bogus -j ACCEPT\nCOMMIT\n', line: 3,
      message: 'iptables-restore v1.8.9 (legacy): unknown option "--bogus"\nError occurred at line: 3\nTry `iptables-restore -h\' or \'iptables-restore --help\' for more information.' },
    { name: 'unknown match module', text: '*filter\n-A INPUT -m nosuch -j ACCEPT\nCOMMIT\n', line: 2,
      message: "iptables-restore v1.8.9 (legacy): Couldn't load match `nosuch':No such file or directory\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information." },
    { name: 'jump to a chain never declared', text: '*nat\n:A - [0:0]\n-A A -j KUBE-SEP-NOPE\nCOMMIT\n', line: 3,
      message: "iptables-restore v1.8.9 (legacy): Couldn't load target `KUBE-SEP-NOPE':No such file or directory\nError occurred at line: 3\nTry `iptables-restore -h' or 'iptables-restore --help' for more information." },
    { name: 'rule on a chain never declared fails at COMMIT', text: '*nat\n:A - [0:0]\n\n-A B -j A\nCOMMIT\n', line: 5,
      message: 'iptables-restore: line 5 failed' },
    { name: 'missing COMMIT', text: '*nat\n:A - [0:0]\n', line: 3, message: 'iptables-restore v1.8.9 (legacy): COMMIT expected at line 3\nError occurred at line: 3\nTry `iptables-restore -h\' or \'iptables-restore --help\' for more information.' },
    { name: 'policy on a user chain', text: '*filter\n:MINE ACCEPT [0:0]\nCOMMIT\n', line: 2,
      message: "iptables-restore v1.8.9 (legacy): Can't set policy `ACCEPT' on `MINE' line 2: Bad built-in chain name\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information." },
    { name: 'bad address', text: '*filter\n-A INPUT -s 10.0.0.300 -j DROP\nCOMMIT\n', line: 2,
      message: "iptables-restore v1.8.9 (legacy): host/network `10.0.0.300' not found\nError occurred at line: 2\nTry `iptables-restore -h' or 'iptables-restore --help' for more information." },
  ];
  it.each(bad)('refuses $name with its line', ({ text, message, line }) => {
    let err: unknown;
    try {
      parseIptablesSave(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IptablesRestoreError);
    expect((err as IptablesRestoreError).message).toBe(message);
    expect((err as IptablesRestoreError).line).toBe(line);
  });

  it('honours -X (kube-proxy deleting a stale chain) and -I', () => {
    const rs = parseIptablesSave('*nat\n:KUBE-SEP-OLD - [0:0]\n:X - [0:0]\n-A X -j RETURN\n-I X -j ACCEPT\n-X KUBE-SEP-OLD\nCOMMIT\n');
    expect(rs.tables.get('nat')!.chains.has('KUBE-SEP-OLD')).toBe(false);
    expect(rs.tables.get('nat')!.chains.get('X')!.rules.map((r) => r.target?.kind)).toEqual(['ACCEPT', 'RETURN']);
  });
});

describe('packet flow through kube-proxy rules', () => {
  const rules = mergeRulesets(parseIptablesSave(tracePacketBuiltins), parseIptablesSave(overall));
  const cases = [
    { ref: 'TestTracePacket/no match', src: '10.0.0.2', dst: '10.0.0.3', port: 80, output: '', masq: false },
    { ref: 'TestTracePacket/single endpoint', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: false },
    { ref: 'TestTracePacket/multiple endpoints', src: '10.0.0.2', dst: '172.30.0.44', port: 80, output: '10.180.0.4:80, 10.180.0.5:80', masq: false },
    { ref: 'TestTracePacket/LOCAL, KUBE-MARK-MASQ', src: testNodeIP, dst: '192.168.99.22', port: 80, output: '10.180.0.2:80', masq: true },
    { ref: 'TestTracePacket/DROP', src: testExternalClient, dst: '192.168.99.22', port: 80, output: 'DROP', masq: false },
    { ref: 'TestTracePacket/ACCEPT (NodePortHealthCheck)', src: testNodeIP, dst: testNodeIP, port: 30000, output: 'ACCEPT', masq: false },
    { ref: 'TestTracePacket/REJECT', src: '10.0.0.2', dst: '172.30.0.46', port: 80, output: 'REJECT', masq: false },
  ];
  it.each(cases)('$ref', ({ src, dst, port, output, masq }) => {
    expect(tracePacket(rules, src, dst, port)).toEqual({ output, masq });
  });

  it('records every rule looked at, with its line and the match that failed', () => {
    const r = runHook(rules, 'PREROUTING', pkt('10.0.0.2', '172.30.0.41', 80), env(), { nat: true });
    const steps = r.trace.filter((s) => s.kind === 'rule');
    expect(steps[0]).toMatchObject({ chain: 'PREROUTING', matched: true, effect: 'jump KUBE-SERVICES' });
    expect(steps[1]).toMatchObject({ chain: 'KUBE-SERVICES', line: 46, matched: true, effect: 'jump KUBE-SVC-XPGD46QRK7WJZT7O' });
    expect(steps[2]).toMatchObject({ chain: 'KUBE-SVC-XPGD46QRK7WJZT7O', matched: false, failed: '! -s 10.0.0.0/8' });
    expect(steps.at(-1)).toMatchObject({ chain: 'KUBE-SEP-SXIVWICOYRO3J4NJ', matched: true, effect: 'DNAT to 10.180.0.1:80' });
    expect(r.nat).toEqual({ kind: 'DNAT', to: '10.180.0.1:80' });
  });

  it('splits connections by the seeded statistic draw, about half each way', () => {
    const rng = rngFromSeed('statistic');
    const seen: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) {
      const r = runHook(rules, 'PREROUTING', pkt('10.0.0.2', '172.30.0.44', 80), env({ rng }), { nat: true });
      seen[(r.nat as { to: string }).to] = (seen[(r.nat as { to: string }).to] ?? 0) + 1;
    }
    expect(seen['10.180.0.4:80'] + seen['10.180.0.5:80']).toBe(2000);
    expect(Math.abs(seen['10.180.0.4:80'] - 1000)).toBeLessThan(100);
  });

  it('keeps ClientIP affinity with -m recent until --seconds pass', () => {
    const clock = new FakeClock();
    const e = env({ recent: new RecentLists(clock) });
    const first = runHook(rules, 'PREROUTING', pkt('10.0.0.9', '172.30.0.45', 80), e, { nat: true });
    expect(first.trace.some((s) => s.kind === 'rule' && s.note === 'recent KUBE-SEP-I77PXRDZVX7PMWMN: rcheck 10.0.0.9 -> miss')).toBe(true);
    expect(e.recent.entries('KUBE-SEP-I77PXRDZVX7PMWMN')).toEqual([{ addr: '10.0.0.9', stampsMs: [0] }]);
    clock.step(10_000);
    const again = runHook(rules, 'PREROUTING', pkt('10.0.0.9', '172.30.0.45', 80), e, { nat: true });
    expect(again.trace.some((s) => s.kind === 'rule' && s.note?.endsWith('rcheck 10.0.0.9 -> hit'))).toBe(true);
    clock.step(10_800_001); // xt_recent: a stamp exactly --seconds old still counts
    const late = runHook(rules, 'PREROUTING', pkt('10.0.0.9', '172.30.0.45', 80), e, { nat: true });
    expect(late.trace.some((s) => s.kind === 'rule' && s.note?.endsWith('rcheck 10.0.0.9 -> miss'))).toBe(true);
  });

  it('masquerades in POSTROUTING only when KUBE-MARK-MASQ set the bit, and clears it', () => {
    const marked = runHook(rules, 'POSTROUTING', pkt('192.168.0.2', '10.180.0.2', 80, { mark: 0x4000 }), env(), { nat: true });
    expect(marked.nat).toEqual({ kind: 'MASQUERADE', randomFully: false });
    expect(marked.packet.mark).toBe(0);
    const plain = runHook(rules, 'POSTROUTING', pkt('10.0.0.2', '10.180.0.1', 80), env(), { nat: true });
    expect(plain.nat).toBeUndefined();
    expect(plain.trace.find((s) => s.kind === 'rule' && s.chain === 'KUBE-POSTROUTING')).toMatchObject({ matched: true, effect: 'RETURN' });
  });
});

describe('matches', () => {
  const one = (rule: string, p: Packet, e: Partial<NetfilterEnv> = {}) => {
    const rs = parseIptablesSave(`*filter\n:INPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`);
    return traverseTable(rs, 'filter', 'INPUT', p, env(e)).verdict;
  };
  const p = pkt('10.244.1.5', '10.244.2.7', 8080, { sport: 5353, inIface: 'cni0', outIface: 'flannel.1' });
  const table: { rule: string; env?: Partial<NetfilterEnv>; packet?: Partial<Packet>; verdict: string }[] = [
    { rule: '-A INPUT -s 10.244.0.0/16 -j DROP', verdict: 'DROP' },
    { rule: '-A INPUT ! -s 10.244.0.0/16 -j DROP', verdict: 'ACCEPT' },
    { rule: '-A INPUT -d 10.244.2.7/32 -p udp -j DROP', verdict: 'ACCEPT' },
    { rule: '-A INPUT -i cni+ -o flannel.1 -j DROP', verdict: 'DROP' },
    { rule: '-A INPUT -m tcp -p tcp --dport 8000:9000 -j REJECT', verdict: 'REJECT' },
    { rule: '-A INPUT -p tcp --sport 53 -j DROP', verdict: 'ACCEPT' },
    { rule: '-A INPUT -p tcp -m multiport --dports 80,443,8080 -j DROP', verdict: 'DROP' },
    { rule: '-A INPUT -m mark --mark 0x4000/0x4000 -j DROP', packet: { mark: 0x4001 }, verdict: 'DROP' },
    { rule: '-A INPUT -m mark ! --mark 0x4000/0x4000 -j DROP', packet: { mark: 0x4001 }, verdict: 'ACCEPT' },
    { rule: '-A INPUT -m addrtype --dst-type LOCAL -j DROP', env: { isLocal: (ip) => ip === '10.244.2.7' }, verdict: 'DROP' },
    { rule: '-A INPUT -m addrtype --src-type LOCAL -j DROP', env: { isLocal: (ip) => ip === '10.244.2.7' }, verdict: 'ACCEPT' },
    { rule: '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j DROP', env: { ctstate: ['ESTABLISHED'] }, verdict: 'DROP' },
    { rule: '-A INPUT -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP', env: { ctstate: ['NEW', 'DNAT'] }, verdict: 'ACCEPT' },
    { rule: '-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j DROP', env: { ipset: (n, v) => n === 'KUBE-CLUSTER-IP' && v.join(',') === '10.244.2.7,8080' }, verdict: 'DROP' },
    { rule: '-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j DROP', verdict: 'ACCEPT' },
    { rule: '-A INPUT -m physdev --physdev-is-in -j DROP', env: { physdev: { isIn: true, isOut: false, isBridged: true } }, verdict: 'DROP' },
    { rule: '-A INPUT -m statistic --mode random --probability 0.0000000000 -j DROP', verdict: 'ACCEPT' },
    { rule: '-A INPUT -m statistic --mode random --probability 1.0000000000 -j DROP', verdict: 'DROP' },
  ];
  it.each(table)('$rule -> $verdict', ({ rule, env: e, packet, verdict }) => {
    expect(one(rule, { ...p, ...packet }, e)).toBe(verdict);
  });

  it('applies MARK --set-xmark / --or-mark / --xor-mark / --and-mark / --set-mark as xt_MARK does', () => {
    const marks = (target: string, mark: number) => {
      const rs = parseIptablesSave(`*mangle\n-A PREROUTING -j MARK ${target}\nCOMMIT\n`);
      return traverseTable(rs, 'mangle', 'PREROUTING', { ...p, mark }, env()).packet.mark;
    };
    expect(marks('--set-xmark 0x4000/0x4000', 0x1)).toBe(0x4001);
    expect(marks('--or-mark 0x4000', 0x1)).toBe(0x4001);
    expect(marks('--xor-mark 0x4000', 0x4001)).toBe(0x1);
    expect(marks('--and-mark 0xff', 0x4001)).toBe(0x1);
    expect(marks('--set-mark 0x2/0xf', 0xf3)).toBe(0xf2);
  });

  it('returns from a user chain on RETURN and continues after the jump; goto does not come back', () => {
    const rs = parseIptablesSave('*filter\n:INPUT DROP [0:0]\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A INPUT -j ACCEPT\n-A A -j RETURN\n-A A -j DROP\nCOMMIT\n');
    expect(traverseTable(rs, 'filter', 'INPUT', p, env()).verdict).toBe('ACCEPT');
    const g = parseIptablesSave('*filter\n:INPUT DROP [0:0]\n:A - [0:0]\n-A INPUT -g A\n-A INPUT -j ACCEPT\nCOMMIT\n');
    const r = traverseTable(g, 'filter', 'INPUT', p, env());
    expect(r.verdict).toBe('DROP');
    expect(r.trace.at(-1)).toEqual({ kind: 'policy', table: 'filter', chain: 'INPUT', policy: 'DROP' });
  });
});

describe('-m recent and match order', () => {
  const clock = new FakeClock();
  const recent = new RecentLists(clock);
  const run = (rule: string, p: Packet) => {
    const rs = parseIptablesSave(`*filter\n:INPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`);
    return traverseTable(rs, 'filter', 'INPUT', p, env({ recent })).verdict;
  };
  const from = (src: string) => pkt(src, '10.96.0.10', 53, { proto: 'udp' });

  it('checks -s/-d/-p before any -m match, so a failed -d means no --set happens', () => {
    expect(run('-A INPUT -m recent --name A --set -d 1.2.3.4 -j DROP', from('10.0.0.1'))).toBe('ACCEPT');
    expect(recent.entries('A')).toEqual([]);
    expect(run('-A INPUT -m recent --name A --set -d 10.96.0.10 -j DROP', from('10.0.0.1'))).toBe('DROP');
    expect(recent.entries('A')).toEqual([{ addr: '10.0.0.1', stampsMs: [0] }]);
  });

  it('--mask groups sources, --rdest keys on the destination, --hitcount counts stamps within --seconds', () => {
    run('-A INPUT -m recent --name M --set --mask 255.255.255.0', from('10.0.0.7'));
    expect(run('-A INPUT -m recent --name M --rcheck --mask 255.255.255.0 -j DROP', from('10.0.0.200'))).toBe('DROP');
    expect(run('-A INPUT -m recent --name M --rcheck -j DROP', from('10.0.0.200'))).toBe('ACCEPT');
    run('-A INPUT -m recent --name D --set --rdest', from('10.0.0.1'));
    expect(recent.entries('D').map((e) => e.addr)).toEqual(['10.96.0.10']);
    for (let i = 0; i < 3; i++) {
      run('-A INPUT -m recent --name H --set', from('10.0.0.9'));
      clock.step(1000);
    }
    expect(run('-A INPUT -m recent --name H --rcheck --seconds 10 --hitcount 3 -j DROP', from('10.0.0.9'))).toBe('DROP');
    expect(run('-A INPUT -m recent --name H --rcheck --seconds 2 --hitcount 3 -j DROP', from('10.0.0.9'))).toBe('ACCEPT');
    expect(run('-A INPUT -m recent --name H --remove -j DROP', from('10.0.0.9'))).toBe('DROP');
    expect(recent.entries('H')).toEqual([]);
  });

  it('--dport belongs to its protocol module; a bare --dport is refused as iptables does', () => {
    expect(run('-A INPUT -p tcp -m tcp --dport 53 -j DROP', from('10.0.0.1'))).toBe('ACCEPT');
    expect(run('-A INPUT -p udp -m udp --dport 53 -j DROP', from('10.0.0.1'))).toBe('DROP');
    expect(() => parseIptablesSave('*filter\n-A INPUT --dport 53 -j DROP\nCOMMIT\n')).toThrow('unknown option "--dport"');
  });
});

describe('canonicalRuleText (iptables-save as printed back from the kernel)', () => {
  const rs = parseIptablesSave(overall);
  const rule = (chain: string, i: number) => {
    const r = rs.tables.get('nat')!.chains.get(chain) ?? rs.tables.get('filter')!.chains.get(chain);
    return canonicalRuleText(r!.rules[i]);
  };
  // Expected forms follow real iptables-save output of kube-proxy rules (e.g. `-p tcp -m comment
  // --comment "..." -m tcp -j DNAT`, `--set-xmark 0x4000/0x4000`, 11-decimal probabilities).
  it.each([
    ['KUBE-SEP-SXIVWICOYRO3J4NJ', 0, '-A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ'],
    ['KUBE-SEP-SXIVWICOYRO3J4NJ', 1, '-A KUBE-SEP-SXIVWICOYRO3J4NJ -p tcp -m comment --comment "ns1/svc1:p80" -m tcp -j DNAT --to-destination 10.180.0.1:80'],
    ['KUBE-SERVICES', 0, '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O'],
    ['KUBE-SVC-XPGD46QRK7WJZT7O', 0, '-A KUBE-SVC-XPGD46QRK7WJZT7O ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ'],
    ['KUBE-SVC-4SW47YFZTEDKD3PK', 1, '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC'],
    ['KUBE-SVC-NUKIZ6OKUXPJNT4C', 1, '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-I77PXRDZVX7PMWMN --mask 255.255.255.255 --rsource -j KUBE-SEP-I77PXRDZVX7PMWMN'],
    ['KUBE-MARK-MASQ', 0, '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'],
    ['KUBE-POSTROUTING', 1, '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0'],
    ['KUBE-NODEPORTS', 0, '-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns2/svc2:p80" -m tcp --dport 3001 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT'],
    ['KUBE-FIREWALL', 0, '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP'],
    ['KUBE-SERVICES', 9, '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS'],
  ])('%s rule %i', (chain, i, text) => {
    expect(rule(chain as string, i as number)).toBe(text);
  });

  it('re-parses to the same behaviour (canonical text is a valid restore input)', () => {
    const again = parseIptablesSave(formatIptablesSave(rs, undefined, { canonical: true }));
    expect(formatIptablesSave(again, undefined, { canonical: true })).toBe(formatIptablesSave(rs, undefined, { canonical: true }));
    expect(traverseTable(again, 'nat', 'KUBE-SERVICES', pkt('10.0.0.2', '172.30.0.41', 80), env()).nat).toEqual({ kind: 'DNAT', to: '10.180.0.1:80' });
  });
});
