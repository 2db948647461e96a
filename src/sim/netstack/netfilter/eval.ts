import type { Rng } from '../../core/rng';
import { cidrContains, parseIPv4 } from '../ip';
import type { Packet } from './packet';
import type { RecentLists } from './recent';
import type { Match, Rule, Ruleset, TableName, Target } from './types';

/** Conntrack's view of the packet for `-m conntrack --ctstate` (and the DNAT/SNAT pseudo-states). */
export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED' | 'DNAT' | 'SNAT';

/** Everything outside the packet a match may consult; all of it injected, nothing global. */
export interface NetfilterEnv {
  /** Decides `-m statistic --mode random`. */
  rng: Rng;
  /** `-m recent` lists (time from their FakeClock). */
  recent: RecentLists;
  /** `-m addrtype --dst-type LOCAL`: is this address assigned to the node? */
  isLocal: (ip: string) => boolean;
  /** The packet's conntrack states (e.g. ['NEW'], or ['ESTABLISHED', 'DNAT']). */
  ctstate: CtState[];
  /** `-m set --match-set NAME dst,dst`: the ipset hook; absent sets never match. */
  ipset?: (name: string, values: string[]) => boolean;
  /** `-m physdev`: did the packet cross a bridge port? */
  physdev?: { isIn: boolean; isOut: boolean; isBridged: boolean };
  /** Packets seen per `-m statistic --mode nth` rule, keyed by rule text. */
  nth?: Map<string, number>;
}

/** One line of an evaluation trace: a rule looked at, or a chain's policy / implicit return. */
export type NfTraceStep =
  | {
      kind: 'rule';
      table: TableName;
      chain: string;
      line: number;
      text: string;
      matched: boolean;
      /** The first match that did not hold (as written), when `matched` is false. */
      failed?: string;
      /** What a random or stateful match decided (e.g. the statistic draw). */
      note?: string;
      /** What happened after the match: the target's effect. */
      effect?: string;
    }
  | { kind: 'policy'; table: TableName; chain: string; policy: 'ACCEPT' | 'DROP' }
  | { kind: 'return'; table: TableName; chain: string };

/** A NAT binding the nat table chose; conntrack applies it to the whole connection. */
export type NatAction =
  | { kind: 'DNAT'; to: string }
  | { kind: 'SNAT'; to: string; randomFully: boolean }
  | { kind: 'MASQUERADE'; randomFully: boolean };

export interface ChainResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  nat?: NatAction;
  /** The rule that decided (absent when a policy did). */
  rule?: Rule;
  packet: Packet;
  trace: NfTraceStep[];
}

const MAX_DEPTH = 64; // the kernel refuses loops at load time; we refuse them while walking

/**
 * Runs a packet through a built-in chain of one table, following jumps, gotos and RETURNs, and
 * records every rule it looked at. MARK changes the packet's mark and continues; ACCEPT, DROP,
 * REJECT and the NAT targets end the traversal of this table.
 */
// Upstream: linux net/ipv4/netfilter/ip_tables.c (ipt_do_table)
export function traverseTable(ruleset: Ruleset, table: TableName, chain: string, packet: Packet, env: NetfilterEnv): ChainResult {
  const trace: NfTraceStep[] = [];
  const pkt = { ...packet };
  const t = ruleset.tables.get(table);
  const start = t?.chains.get(chain);
  if (!t || !start) return { verdict: 'ACCEPT', packet: pkt, trace };
  const out = walkChain(ruleset, table, chain, pkt, env, trace, 0);
  if (out.kind === 'end') {
    const policy = start.policy === 'DROP' ? 'DROP' : 'ACCEPT';
    trace.push({ kind: 'policy', table, chain, policy });
    return { verdict: policy, packet: pkt, trace };
  }
  return { verdict: out.verdict, nat: out.nat, rule: out.rule, packet: pkt, trace };
}

type WalkOut = { kind: 'end' } | { kind: 'final'; verdict: 'ACCEPT' | 'DROP' | 'REJECT'; nat?: NatAction; rule: Rule };

function walkChain(ruleset: Ruleset, table: TableName, chain: string, pkt: Packet, env: NetfilterEnv, trace: NfTraceStep[], depth: number): WalkOut {
  if (depth > MAX_DEPTH) throw new Error(`netfilter: chain nesting deeper than ${MAX_DEPTH} at ${table}/${chain} (a loop?)`);
  const c = ruleset.tables.get(table)!.chains.get(chain);
  if (!c) throw new Error(`netfilter: no chain ${chain} in table ${table}`);
  for (const rule of c.rules) {
    const { matched, failed, note } = ruleMatches(rule, pkt, env);
    const step: NfTraceStep = { kind: 'rule', table, chain, line: rule.line, text: rule.text, matched };
    if (failed) step.failed = failed;
    if (note) step.note = note;
    trace.push(step);
    if (!matched || !rule.target) continue;
    const tgt: Target = rule.target;
    switch (tgt.kind) {
      case 'ACCEPT': case 'DROP': case 'REJECT':
        step.effect = tgt.kind;
        return { kind: 'final', verdict: tgt.kind, rule };
      case 'RETURN':
        step.effect = 'RETURN';
        trace.push({ kind: 'return', table, chain });
        return { kind: 'end' };
      case 'MARK': {
        const before = pkt.mark;
        pkt.mark = ((pkt.mark & ~tgt.mask) ^ tgt.value) >>> 0;
        step.effect = `mark 0x${before.toString(16)} -> 0x${pkt.mark.toString(16)}`;
        continue;
      }
      case 'DNAT':
        step.effect = `DNAT to ${tgt.to}`;
        return { kind: 'final', verdict: 'ACCEPT', nat: { kind: 'DNAT', to: tgt.to }, rule };
      case 'SNAT':
        step.effect = `SNAT to ${tgt.to}`;
        return { kind: 'final', verdict: 'ACCEPT', nat: { kind: 'SNAT', to: tgt.to, randomFully: tgt.randomFully }, rule };
      case 'MASQUERADE':
        step.effect = 'MASQUERADE';
        return { kind: 'final', verdict: 'ACCEPT', nat: { kind: 'MASQUERADE', randomFully: tgt.randomFully }, rule };
      case 'jump': case 'goto': {
        step.effect = `${tgt.kind} ${tgt.chain}`;
        const sub = walkChain(ruleset, table, tgt.chain, pkt, env, trace, depth + 1);
        if (sub.kind === 'final') return sub;
        if (tgt.kind === 'goto') return { kind: 'end' };
        continue;
      }
    }
  }
  if (depth > 0) trace.push({ kind: 'return', table, chain });
  return { kind: 'end' };
}

const IP_HEADER_MATCHES = new Set(['src', 'dst', 'proto', 'inIface', 'outIface']);

/**
 * Checks a rule as ipt_do_table does: the IP header fields first (ip_packet_match: -s, -d, -p,
 * -i, -o), then each `-m` match in the order written. The first that fails stops the rule, so a
 * later `-m recent --set` or `-m statistic` draw does not happen.
 */
// Upstream: linux net/ipv4/netfilter/ip_tables.c (ip_packet_match, ipt_do_table)
export function ruleMatches(rule: Rule, pkt: Packet, env: NetfilterEnv): { matched: boolean; failed?: string; note?: string } {
  let note: string | undefined;
  const ordered = [...rule.matches.filter((m) => IP_HEADER_MATCHES.has(m.kind)), ...rule.matches.filter((m) => !IP_HEADER_MATCHES.has(m.kind))];
  for (const m of ordered) {
    const r = matchOne(m, pkt, env, rule.text);
    if (r.note) note = r.note;
    if (r.ok === m.negate) return { matched: false, failed: m.text, note };
  }
  return { matched: true, note };
}

function matchOne(m: Match, p: Packet, env: NetfilterEnv, ruleText: string): { ok: boolean; note?: string } {
  switch (m.kind) {
    case 'src': return { ok: cidrContains(m.cidr, p.src) };
    case 'dst': return { ok: cidrContains(m.cidr, p.dst) };
    case 'proto': return { ok: m.proto === 'all' || m.proto === p.proto };
    case 'inIface': return { ok: ifaceMatches(m.name, p.inIface) };
    case 'outIface': return { ok: ifaceMatches(m.name, p.outIface) };
    // A port match belongs to its protocol's module; the rule's own `-p` (checked first) keeps other protocols out.
    case 'sport': return { ok: protoOk(m.proto, p) && p.sport >= m.lo && p.sport <= m.hi };
    case 'dport': return { ok: protoOk(m.proto, p) && p.dport >= m.lo && p.dport <= m.hi };
    case 'multiport': {
      const ports = m.dir === 'src' ? [p.sport] : m.dir === 'dst' ? [p.dport] : [p.sport, p.dport];
      return { ok: ports.some((x) => m.ranges.some(([lo, hi]) => x >= lo && x <= hi)) };
    }
    case 'comment': case 'nfacct': case 'module': return { ok: true };
    case 'statistic': {
      if (m.mode === 'random') {
        // xt_statistic: (get_random_u32() & 0x7FFFFFFF) < info->u.random.probability
        const draw = env.rng.uint32() & 0x7fffffff;
        const ok = draw < m.threshold;
        return { ok, note: `statistic: drew ${(draw / 0x80000000).toFixed(10)} ${ok ? '<' : '>='} ${m.probability.toFixed(10)}` };
      }
      const counters = env.nth ?? (env.nth = new Map());
      const seen = counters.get(ruleText) ?? 0;
      counters.set(ruleText, (seen + 1) % m.every);
      return { ok: seen === m.packet, note: `statistic: packet ${seen} of every ${m.every}` };
    }
    case 'recent': {
      const ip = m.side === 'dst' ? p.dst : p.src;
      const ok = env.recent.check(m.name, m.op, ip, m);
      return { ok, note: `recent ${m.name}: ${m.op} ${ip} -> ${ok ? 'hit' : 'miss'}` };
    }
    case 'mark': return { ok: ((p.mark & m.mask) >>> 0) === m.value };
    case 'addrtype': return { ok: addrType(m.side === 'dst' ? p.dst : p.src, env) === m.type };
    case 'conntrack': return { ok: m.states.some((s) => env.ctstate.includes(s as CtState)) };
    case 'set': {
      const values = m.flags.map((f, i) => (f === 'src' ? (i === 0 ? p.src : String(p.sport)) : i === 0 ? p.dst : String(p.dport)));
      return { ok: env.ipset ? env.ipset(m.name, values) : false };
    }
    case 'physdev': {
      const pd = env.physdev ?? { isIn: false, isOut: false, isBridged: false };
      return { ok: m.test === 'is-in' ? pd.isIn : m.test === 'is-out' ? pd.isOut : pd.isBridged };
    }
  }
}

function protoOk(proto: string | undefined, p: Packet): boolean {
  return proto === undefined || proto === p.proto;
}

/** `eth+` matches any name starting with `eth`, as in iptables. */
function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** The RTN_* type the kernel's addrtype match reads from the routing table, reduced to what matters here. */
function addrType(ip: string, env: NetfilterEnv): string {
  const n = parseIPv4(ip);
  if (env.isLocal(ip)) return 'LOCAL';
  if (n >>> 28 === 0xe) return 'MULTICAST';
  if (n === 0xffffffff) return 'BROADCAST';
  return 'UNICAST';
}
