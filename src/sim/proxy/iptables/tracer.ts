/**
 * A virtual packet walk over kube-proxy's rules, after pkg/proxy/iptables/proxier_test.go
 * (iptablesTracer, tracePacket) and the rule fields of pkg/util/iptables/testing/parse.go.
 * Like upstream's, it explores every branch of a `--probability` rule and reports all the
 * endpoints a packet could reach; rules that look at history (recent, mark, ctstate) never
 * match. It is a test oracle for the proxier, not the node's netfilter (src/sim/netstack).
 */
import { cidrContains } from '../util/ip';
import { kubeExternalServicesChain, kubeNodePortsChain, kubeProxyFirewallChain, kubeServicesChain } from './chains';
import { iptablesSaveTable, parseIPTablesDump, type IPTablesTable } from './save';

interface Value {
  value: string;
  negated: boolean;
}

/** The fields of one `-A` rule that the tracer reads (upstream's iptablestest.Rule). */
export interface ParsedRule {
  raw: string;
  chain: string;
  sourceAddress?: Value;
  destinationAddress?: Value;
  protocol?: Value;
  sourceType?: Value;
  destinationType?: Value;
  destinationPort?: Value;
  affinityCheck?: boolean;
  markCheck?: boolean;
  ctStateCheck?: boolean;
  jump?: string;
  dnatDestination?: string;
  probability?: string;
  comment?: string;
}

/** Splits a rule into words, keeping a double-quoted comment as one word without its quotes. */
function words(rule: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) out.push(m[1] ?? m[2]);
  return out;
}

// Upstream: pkg/util/iptables/testing/parse.go (ParseRule), for the options kube-proxy writes.
export function parseRule(raw: string): ParsedRule {
  const w = words(raw);
  const rule: ParsedRule = { raw, chain: w[1] };
  let negated = false;
  for (let i = 2; i < w.length; i++) {
    const word = w[i];
    if (word === '!') {
      negated = true;
      continue;
    }
    const next = () => ({ value: w[++i], negated });
    switch (word) {
      case '-s': case '--source': rule.sourceAddress = next(); break;
      case '-d': case '--destination': rule.destinationAddress = next(); break;
      case '-p': case '--protocol': rule.protocol = next(); break;
      case '--src-type': rule.sourceType = next(); break;
      case '--dst-type': rule.destinationType = next(); break;
      case '--dport': rule.destinationPort = next(); break;
      case '--rcheck': rule.affinityCheck = true; break;
      case '--mark': rule.markCheck = true; i++; break;
      case '--ctstate': rule.ctStateCheck = true; i++; break;
      case '-j': case '--jump': rule.jump = w[++i]; break;
      case '--to-destination': rule.dnatDestination = w[++i]; break;
      case '--probability': rule.probability = w[++i]; break;
      case '--comment': rule.comment = w[++i]; break;
      default: break;
    }
    negated = false;
  }
  return rule;
}

function valueMatches(v: Value, matches: boolean): boolean {
  return v.negated ? !matches : matches;
}

export interface TraceResult {
  /** Every rule that matched, in order (upstream keeps them for its error messages). */
  matches: string[];
  /** The endpoints reached (`ip:port, ip:port`), or ACCEPT / DROP / REJECT, or '' for no match. */
  output: string;
  /** The packet was marked for masquerade. */
  masq: boolean;
}

type Tables = Map<string, Map<string, ParsedRule[]>>;

function index(tables: IPTablesTable[]): Tables {
  const out: Tables = new Map();
  for (const t of tables) out.set(t.name, new Map(t.chains.map((c) => [c.name, c.rules.map(parseRule)])));
  return out;
}

class Tracer {
  readonly matches: string[] = [];
  readonly outputs: string[] = [];
  masq = false;

  constructor(private readonly tables: Tables, private readonly localIPs: Set<string>) {}

  // Upstream: proxier_test.go (iptablesTracer.ruleMatches)
  private ruleMatches(r: ParsedRule, src: string, proto: string, dst: string, dport: string): boolean {
    const addr = (v: Value, ip: string) => valueMatches(v, v.value.includes('/') ? cidrContains(v.value, ip) : v.value === ip);
    const type = (v: Value, ip: string) => valueMatches(v, (this.localIPs.has(ip) ? 'LOCAL' : 'not-matched') === v.value);
    if (r.sourceAddress && !addr(r.sourceAddress, src)) return false;
    if (r.sourceType && !type(r.sourceType, src)) return false;
    if (r.protocol && !valueMatches(r.protocol, r.protocol.value === proto)) return false;
    if (r.destinationAddress && !addr(r.destinationAddress, dst)) return false;
    if (r.destinationType && !type(r.destinationType, dst)) return false;
    if (r.destinationPort && !valueMatches(r.destinationPort, r.destinationPort.value === dport)) return false;
    return !(r.affinityCheck || r.markCheck || r.ctStateCheck);
  }

  // Upstream: proxier_test.go (iptablesTracer.runChain). True when a terminal target was hit.
  runChain(table: string, chain: string, src: string, proto: string, dst: string, dport: string): boolean {
    for (const r of this.tables.get(table)?.get(chain) ?? []) {
      if (!r.jump || !this.ruleMatches(r, src, proto, dst, dport)) continue;
      this.matches.push(r.raw);
      if (r.jump === 'KUBE-MARK-MASQ') {
        this.masq = true;
        continue;
      }
      if (r.jump === 'ACCEPT' || r.jump === 'REJECT' || r.jump === 'DROP') {
        this.outputs.push(r.jump);
        return true;
      }
      if (r.jump === 'DNAT') {
        this.outputs.push(r.dnatDestination ?? '');
        return true;
      }
      // A probabilistic jump that terminated still lets the walk continue: every branch counts.
      if (this.runChain(table, r.jump, src, proto, dst, dport) && r.probability === undefined) return true;
    }
    return false;
  }
}

// Upstream: proxier_test.go (tracePacket): nat PREROUTING (with kube-proxy's jump rules), the
// DNAT applied, then the filter chains kube-proxy owns.
export function tracePacket(
  rules: { nat: string; filter: string },
  sourceIP: string,
  protocol: string,
  destIP: string,
  destPort: number,
  nodeIPs: string[],
): TraceResult {
  const tables = index([...parseIPTablesDump(iptablesSaveTable(rules.nat, 'nat')), ...parseIPTablesDump(rules.filter)]);
  const tracer = new Tracer(tables, new Set(['127.0.0.1', '::1', ...nodeIPs]));
  const port = String(destPort);
  tracer.runChain('nat', 'PREROUTING', sourceIP, protocol, destIP, port);
  let dst = destIP;
  if (tracer.outputs.length > 0) dst = tracer.outputs[0].startsWith('[') ? tracer.outputs[0].slice(1, tracer.outputs[0].indexOf(']')) : tracer.outputs[0].split(':')[0];
  for (const chain of [kubeServicesChain, kubeExternalServicesChain, kubeNodePortsChain, kubeProxyFirewallChain]) {
    tracer.runChain('filter', chain, sourceIP, protocol, dst, port);
  }
  return { matches: tracer.matches, output: tracer.outputs.join(', '), masq: tracer.masq };
}
