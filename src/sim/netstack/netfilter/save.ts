import { canonicalRuleText } from './canonical';
import { BUILTIN_CHAINS, type Ruleset, type TableName } from './types';

/**
 * Prints a Ruleset as `iptables-save` does: per table `*name`, built-in chains with policy and
 * counters, then user chains with `-`, then every rule chain by chain, then COMMIT. By default
 * rules keep the text they were restored with; `canonical` re-renders them the way the real tool
 * prints them back from the kernel (`canonicalRuleText`).
 */
// Upstream: iptables iptables/iptables-save.c (do_output)
export function formatIptablesSave(ruleset: Ruleset, only?: TableName, opts: { canonical?: boolean } = {}): string {
  const out: string[] = [];
  // Tables in the order they were first restored (the kernel lists them in load order).
  for (const [name, table] of ruleset.tables) {
    if (only && only !== name) continue;
    out.push(`*${name}`);
    const builtins = BUILTIN_CHAINS[name];
    const chains = [...table.chains.values()];
    const user = chains.filter((c) => !builtins.includes(c.name));
    // libiptc (iptables-legacy) keeps user chains sorted by name; the kernel has no declaration order.
    if (opts.canonical) user.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const ordered = [...builtins.map((b) => table.chains.get(b)!).filter(Boolean), ...user];
    for (const c of ordered) out.push(`:${c.name} ${c.policy} [${c.packets}:${c.bytes}]`);
    for (const c of ordered) for (const r of c.rules) out.push(opts.canonical ? canonicalRuleText(r) : r.text);
    out.push('COMMIT');
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/** Number of `-A` rules in a table (kube-proxy's sync_proxy_rules_iptables_total metric counts these). */
export function countTableRules(ruleset: Ruleset, table: TableName): number {
  let n = 0;
  for (const c of ruleset.tables.get(table)?.chains.values() ?? []) n += c.rules.length;
  return n;
}
