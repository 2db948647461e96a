/**
 * What `iptables-save` prints for a rule kube-proxy restored: the kernel keeps parsed matches,
 * and iptables-save writes them back in its own canonical form (iptables 1.8, libxtables
 * `xtables_save_string`, and the save functions of libxt_comment, tcp/udp/sctp, statistic, mark,
 * MARK, conntrack, addrtype, recent, nfacct). So `-m tcp -p tcp -d 10.96.0.1 --dport 443`
 * becomes `-d 10.96.0.1/32 -p tcp ... -m tcp --dport 443`, `--or-mark 0x4000` becomes
 * `--set-xmark 0x4000/0x4000`, and a probability is the kernel's 31-bit fixed-point value
 * printed with 11 decimals (`0.33333333349`).
 */
import { canonicalRuleText, thresholdProbabilityText } from '../../netstack/netfilter/canonical';
import { parseRuleArgs } from '../../netstack/netfilter/rule';
import { tokenizeRuleLine } from '../../netstack/netfilter/tokenize';
import { formatIPTablesDump, parseIPTablesDump } from './save';

// The parsing and printing are the netfilter model's (src/sim/netstack/netfilter): one
// implementation of iptables' option tables and save functions for the proxy and the node.

/** What iptables-save prints for `--probability p`: the kernel keeps round(p * 2^31). */
export function savedProbability(p: string): string {
  return thresholdProbabilityText(Math.round(Number(p) * 2 ** 31));
}

/** One `-A` rule as kube-proxy wrote it, in iptables-save's canonical form. */
export function canonicalRule(rule: string): string {
  const [, chain, ...args] = tokenizeRuleLine(rule);
  const { matches, target } = parseRuleArgs(args);
  return canonicalRuleText({ table: 'nat', chain, line: 0, text: rule, matches, target });
}

/** A whole dump (as `iptablesSaveTable` gives it) with every rule in canonical form. */
export function canonicalIPTablesSave(text: string): string {
  const tables = parseIPTablesDump(text);
  for (const t of tables) for (const c of t.chains) c.rules = c.rules.map(canonicalRule);
  return formatIPTablesDump(tables);
}
