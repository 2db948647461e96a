/**
 * A virtual packet walk over the kube-proxy table, after pkg/proxy/nftables/helpers_test.go
 * (nftablesTracer, runChain, tracePacket). Like upstream's it recognises only the rule shapes
 * the proxier writes, follows every branch of a `numgen` vmap and reports all endpoints a
 * packet could reach. It also counts the work of the first packet: rules looked at and
 * set/map lookups (one real packet takes one branch, so only the first branch is counted).
 */
import { cidrContains } from '../util/ip';
import type { NFTable, NFTElement } from './table';

export interface NFTTraceResult {
  /** Rules that matched, in order (for debugging). */
  matches: string[];
  /** Comma-separated endpoints, or ACCEPT / DROP / REJECT. */
  output: string;
  masq: boolean;
  /** Rules looked at on one path (the first branch of each numgen vmap). */
  rulesEvaluated: number;
  /** Set and map lookups on that path: each a hash lookup, whatever the table's size. */
  lookups: number;
}

const destAddr = /^ip6* daddr (!= )?(\S+)/;
const destAddrLookup = /^ip6* daddr (!= )?\{([^}]*)\}/;
const destAddrLocal = /^fib daddr type local/;
const destPort = /^(tcp|udp|sctp) dport (\d+)/;
const destIPOnlyLookup = /^ip6* daddr @(\S+)/;
const destLookup = /^ip6* daddr \. meta l4proto \. th dport @(\S+)/;
const destPortLookup = /^meta l4proto \. th dport @(\S+)/;
const destDispatch = /^ip6* daddr \. meta l4proto \. th dport vmap @(\S+)$/;
const destPortDispatch = /^meta l4proto \. th dport vmap @(\S+)$/;
const sourceAddr = /^ip6* saddr (!= )?(\S+)/;
const sourceAddrLookup = /^ip6* saddr (!= )?\{([^}]*)\}/;
const sourceAddrLocal = /^fib saddr type local/;
const endpointVMAP = /^numgen random mod \d+ vmap \{(.*)\}$/;
const endpointVMapEntry = /\d+ : goto (\S+)/g;
const masquerade = /^jump mark-for-masquerade$/;
const jump = /^(jump|goto) (\S+)$/;
const ret = /^return$/;
const verdict = /^(drop|reject)$/;
const dnat = /^meta l4proto (tcp|udp|sctp) dnat to (\S+)$/;

interface Packet {
  sourceIP: string;
  protocol: string;
  destIP: string;
  destPort: string;
}

// Upstream: helpers_test.go (nftablesTracer)
class Tracer {
  matches: string[] = [];
  outputs: string[] = [];
  markMasq = false;
  rulesEvaluated = 0;
  lookups = 0;
  private counting = true;

  constructor(private readonly table: NFTable, private readonly nodeIPs: Set<string>) {}

  private addressMatches(ip: string, want: boolean, ruleAddress: string): boolean {
    const match = ruleAddress.includes('/') ? cidrContains(ruleAddress, ip) : ip === ruleAddress;
    return match === want;
  }

  private addressMatchesSet(ip: string, want: boolean, set: string): boolean {
    return set.replaceAll(' ', '').split(',').every((a) => this.addressMatches(ip, true, a) === want);
  }

  private elements(name: string): NFTElement[] {
    if (this.counting) this.lookups++;
    return this.table.sets.get(name)?.elements ?? [];
  }

  // Upstream: helpers_test.go (nftablesTracer.runChain): true when a terminal verdict was hit.
  runChain(chain: string, p: Packet): boolean {
    const ch = this.table.chains.get(chain);
    if (!ch) throw new Error(`unknown chain "${chain}"`);
    for (const ruleObj of ch.rules) {
      if (this.counting) this.rulesEvaluated++;
      let rule = ruleObj.rule.replace(/^ct state new/, '');
      while (rule !== '') {
        rule = rule.trimStart();
        let m: RegExpMatchArray | null;
        const take = (re: RegExp) => (m = rule.match(re)) !== null;
        if (take(destIPOnlyLookup)) {
          rule = rule.slice(m![0].length);
          if (!this.elements(m![1]).some((e) => e.key[0] === p.destIP)) rule = '';
        } else if (take(destLookup)) {
          rule = rule.slice(m![0].length);
          if (!this.elements(m![1]).some((e) => e.key[0] === p.destIP && e.key[1] === p.protocol && e.key[2] === p.destPort)) rule = '';
        } else if (take(destPortLookup)) {
          rule = rule.slice(m![0].length);
          if (!this.elements(m![1]).some((e) => e.key[0] === p.protocol && e.key[1] === p.destPort)) rule = '';
        } else if (take(destDispatch)) {
          const el = this.elements(m![1]).find((e) => e.key[0] === p.destIP && e.key[1] === p.protocol && e.key[2] === p.destPort);
          rule = el ? el.value![0] : '';
        } else if (take(destPortDispatch)) {
          const el = this.elements(m![1]).find((e) => e.key[0] === p.protocol && e.key[1] === p.destPort);
          rule = el ? el.value![0] : '';
        } else if (take(destAddrLookup)) {
          rule = rule.slice(m![0].length);
          if (!this.addressMatchesSet(p.destIP, m![1] !== '!= ', m![2])) rule = '';
        } else if (take(destAddr)) {
          rule = rule.slice(m![0].length);
          if (!this.addressMatches(p.destIP, m![1] !== '!= ', m![2])) rule = '';
        } else if (take(destAddrLocal)) {
          rule = rule.slice(m![0].length);
          if (!this.nodeIPs.has(p.destIP)) rule = '';
        } else if (take(destPort)) {
          rule = rule.slice(m![0].length);
          if (p.protocol !== m![1] || p.destPort !== m![2]) rule = '';
        } else if (take(sourceAddrLookup)) {
          rule = rule.slice(m![0].length);
          if (!this.addressMatchesSet(p.sourceIP, m![1] !== '!= ', m![2])) rule = '';
        } else if (take(sourceAddr)) {
          rule = rule.slice(m![0].length);
          if (!this.addressMatches(p.sourceIP, m![1] !== '!= ', m![2])) rule = '';
        } else if (take(sourceAddrLocal)) {
          rule = rule.slice(m![0].length);
          if (!this.nodeIPs.has(p.sourceIP)) rule = '';
        } else if (take(masquerade)) {
          // The jump itself stands for the mark; the masquerading chain is not walked.
          rule = '';
          this.matches.push(ruleObj.rule);
          this.markMasq = true;
        } else if (take(jump)) {
          rule = '';
          this.matches.push(ruleObj.rule);
          if (this.runChain(m![2], p)) return true;
          if (m![1] === 'goto') return false;
        } else if (take(verdict)) {
          this.matches.push(ruleObj.rule);
          this.outputs.push(m![1].toUpperCase());
          return true;
        } else if (take(ret)) {
          this.matches.push(ruleObj.rule);
          return false;
        } else if (take(dnat)) {
          this.matches.push(ruleObj.rule);
          this.outputs.push(m![2]);
          return true;
        } else if (take(endpointVMAP)) {
          if (this.counting) this.lookups++;
          const counting = this.counting;
          [...m![1].matchAll(endpointVMapEntry)].forEach((e, i) => {
            this.matches.push(ruleObj.rule);
            this.counting = counting && i === 0;
            this.runChain(e[1], p);
          });
          this.counting = counting;
          return true;
        } else throw new Error(`unmatched rule: ${ruleObj.rule}`);
      }
    }
    return false;
  }
}

// Upstream: helpers_test.go (tracePacket), with v1.34's chain names: filter-prerouting-pre-dnat,
// then nat-prerouting, then, on the DNATed destination, filter-input when it is a node address
// and filter-forward otherwise, as routing decides (upstream's tracer runs forward, then input,
// for every packet; the verdicts agree, the rule counts would not). Output and postrouting are
// left out as upstream leaves them out (redundant, or masquerade only).
export function traceNFTablesPacket(
  table: NFTable, p: { sourceIP: string; protocol?: string; destIP: string; destPort: number }, nodeIPs: string[],
): NFTTraceResult {
  const t = new Tracer(table, new Set(nodeIPs));
  const pkt: Packet = { sourceIP: p.sourceIP, protocol: (p.protocol ?? 'tcp').toLowerCase(), destIP: p.destIP, destPort: String(p.destPort) };
  const result = () => ({ matches: t.matches, output: t.outputs.join(', '), masq: t.markMasq, rulesEvaluated: t.rulesEvaluated, lookups: t.lookups });
  if (t.runChain('filter-prerouting-pre-dnat', pkt)) return result();
  t.runChain('nat-prerouting', pkt);
  if (t.outputs.length) {
    const first = t.outputs[0];
    pkt.destIP = first.startsWith('[') ? first.slice(1, first.indexOf(']')) : first.slice(0, first.lastIndexOf(':'));
  }
  t.runChain(nodeIPs.includes(pkt.destIP) ? 'filter-input' : 'filter-forward', pkt);
  return result();
}
