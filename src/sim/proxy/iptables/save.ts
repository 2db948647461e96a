/**
 * Reading and arranging iptables-save / iptables-restore text: after pkg/util/iptables/testing
 * (ParseIPTablesDump), the test helpers of pkg/proxy/iptables/proxier_test.go (sortIPTablesRules,
 * countRules) and the jump rules kube-proxy installs outside the restore (iptablesJumpChains).
 */
import { kubeExternalServicesChain, kubeForwardChain, kubeNodePortsChain, kubePostroutingChain, kubeProxyCanaryChain, kubeProxyFirewallChain, kubeServicesChain, kubeletFirewallChain } from './chains';

export interface IPTablesChain {
  name: string;
  /** `-` for a user chain, the policy (`ACCEPT`) for a built-in one. */
  policy: string;
  /** Whole `-A` lines, in order. */
  rules: string[];
}

export interface IPTablesTable {
  name: string;
  chains: IPTablesChain[];
}

// Upstream: pkg/util/iptables/testing/parse.go (ParseIPTablesDump), keeping each rule's text.
export function parseIPTablesDump(text: string): IPTablesTable[] {
  const tables: IPTablesTable[] = [];
  let table: IPTablesTable | undefined;
  // By name: a lookup per line over a list made the parse quadratic in the chain count.
  let byName = new Map<string, IPTablesChain>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      table = { name: line.slice(1), chains: [] };
      tables.push(table);
      byName = new Map();
    } else if (line === 'COMMIT') {
      table = undefined;
    } else if (!table) {
      throw new Error(`unexpected line outside a table: ${JSON.stringify(line)}`);
    } else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(' ');
      if (!byName.has(name)) {
        const chain: IPTablesChain = { name, policy, rules: [] };
        byName.set(name, chain);
        table.chains.push(chain);
      }
    } else if (line.startsWith('-A ')) {
      const name = line.split(' ')[1];
      const chain = byName.get(name);
      if (!chain) throw new Error(`chain ${name} is not created`);
      chain.rules.push(line);
    } else if (line.startsWith('-X ')) {
      table.chains = table.chains.filter((c) => c.name !== line.slice(3));
      byName.delete(line.slice(3));
    } else {
      throw new Error(`unrecognized line: ${JSON.stringify(line)}`);
    }
  }
  return tables;
}

/** The dump's text: per table, every chain line, then every chain's rules, then COMMIT. */
export function formatIPTablesDump(tables: IPTablesTable[]): string {
  let out = '';
  for (const t of tables) {
    out += `*${t.name}\n`;
    for (const c of t.chains) out += `:${c.name} ${c.policy} [0:0]\n`;
    for (const c of t.chains) for (const r of c.rules) out += `${r}\n`;
    out += 'COMMIT\n';
  }
  return out;
}

/** The service name a rule's comment starts with (`ns/svc`), or undefined without a comment. */
function commentServiceName(rule: string): string | undefined {
  const m = / --comment ("([^"]*)"|(\S+))/.exec(rule);
  if (!m) return undefined;
  const value = m[2] ?? m[3];
  const i = value.search(/[ :]/);
  return i === -1 ? value : value.slice(0, i);
}

function byServiceName(a: string, b: string): number {
  const x = commentServiceName(a);
  const y = commentServiceName(b);
  if (x === undefined || y === undefined) return 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

const rank = (name: string): number => (name === kubeNodePortsChain ? 0 : name === kubeServicesChain ? 1 : name.startsWith('KUBE-') ? 2 : 3);

// Upstream: pkg/proxy/iptables/proxier_test.go (sortIPTablesRules): an order that does not depend
// on the order Services were processed in, keeping related rules together. Tables by name;
// KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* chains alphabetically, then the rest; rules of
// KUBE-NODEPORTS and KUBE-SERVICES stably by service name, the "must be the last rule" rule last.
export function sortIPTablesRules(text: string): string {
  const tables = parseIPTablesDump(text).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of tables) {
    t.chains.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of t.chains) {
      if (c.name === kubeNodePortsChain || (c.name === kubeServicesChain && t.name === 'filter')) c.rules.sort(byServiceName);
      else if (c.name === kubeServicesChain && t.name === 'nat') {
        const last = (r: string) => r.includes('must be the last rule');
        c.rules.sort((a, b) => Number(last(a)) - Number(last(b)) || byServiceName(a, b));
      }
    }
  }
  return formatIPTablesDump(tables);
}

// Upstream: pkg/proxy/iptables/proxier_test.go (countRules): the `-A` lines of one table.
export function countRules(table: 'nat' | 'filter', text: string): number {
  const t = parseIPTablesDump(text).find((x) => x.name === table);
  return t ? t.chains.reduce((n, c) => n + c.rules.length, 0) : 0;
}

interface JumpChain {
  table: 'nat' | 'filter';
  dstChain: string;
  srcChain: string;
  comment: string;
  extraArgs: string[];
}

const ctNew = ['-m', 'conntrack', '--ctstate', 'NEW'];

/** Upstream: pkg/proxy/iptables/proxier.go (iptablesJumpChains), in its order. */
export const iptablesJumpChains: JumpChain[] = [
  { table: 'filter', dstChain: kubeExternalServicesChain, srcChain: 'INPUT', comment: 'kubernetes externally-visible service portals', extraArgs: ctNew },
  { table: 'filter', dstChain: kubeExternalServicesChain, srcChain: 'FORWARD', comment: 'kubernetes externally-visible service portals', extraArgs: ctNew },
  { table: 'filter', dstChain: kubeNodePortsChain, srcChain: 'INPUT', comment: 'kubernetes health check service ports', extraArgs: [] },
  { table: 'filter', dstChain: kubeServicesChain, srcChain: 'FORWARD', comment: 'kubernetes service portals', extraArgs: ctNew },
  { table: 'filter', dstChain: kubeServicesChain, srcChain: 'OUTPUT', comment: 'kubernetes service portals', extraArgs: ctNew },
  { table: 'filter', dstChain: kubeForwardChain, srcChain: 'FORWARD', comment: 'kubernetes forwarding rules', extraArgs: [] },
  { table: 'filter', dstChain: kubeProxyFirewallChain, srcChain: 'INPUT', comment: 'kubernetes load balancer firewall', extraArgs: ctNew },
  { table: 'filter', dstChain: kubeProxyFirewallChain, srcChain: 'OUTPUT', comment: 'kubernetes load balancer firewall', extraArgs: ctNew },
  { table: 'filter', dstChain: kubeProxyFirewallChain, srcChain: 'FORWARD', comment: 'kubernetes load balancer firewall', extraArgs: ctNew },
  { table: 'nat', dstChain: kubeServicesChain, srcChain: 'OUTPUT', comment: 'kubernetes service portals', extraArgs: [] },
  { table: 'nat', dstChain: kubeServicesChain, srcChain: 'PREROUTING', comment: 'kubernetes service portals', extraArgs: [] },
  { table: 'nat', dstChain: kubePostroutingChain, srcChain: 'POSTROUTING', comment: 'kubernetes postrouting rules', extraArgs: [] },
];

const builtinChains = { nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'], filter: ['INPUT', 'FORWARD', 'OUTPUT'] };

/**
 * One table as `iptables-save -t <table>` lists it on the node after a sync: the built-in chains
 * with kube-proxy's jump rules (each EnsureRule'd with Prepend, so the last listed comes first;
 * kubelet's `-j KUBE-FIREWALL` already existed, so it stays last), kube-proxy's chains, and
 * KUBE-PROXY-CANARY. User chains are listed alphabetically as iptables-legacy does. Rule texts
 * keep kube-proxy's spelling: a real iptables-save canonicalizes them (`-p tcp -m tcp`, `/32`
 * suffixes, `--set-xmark`), which the model does not imitate.
 */
export function iptablesSaveTable(restoreText: string, table: 'nat' | 'filter'): string {
  const restored = parseIPTablesDump(restoreText).find((t) => t.name === table);
  const chains: IPTablesChain[] = builtinChains[table].map((name) => ({ name, policy: 'ACCEPT', rules: [] }));
  for (const jump of iptablesJumpChains.filter((j) => j.table === table).reverse()) {
    const chain = chains.find((c) => c.name === jump.srcChain)!;
    chain.rules.push(['-A', jump.srcChain, ...jump.extraArgs, '-m', 'comment', '--comment', `"${jump.comment}"`, '-j', jump.dstChain].join(' '));
  }
  const user = [...(restored?.chains ?? []), { name: kubeProxyCanaryChain, policy: '-', rules: [] }];
  if (table === 'filter') {
    for (const src of ['INPUT', 'OUTPUT']) chains.find((c) => c.name === src)!.rules.push(`-A ${src} -j ${kubeletFirewallChain}`);
    if (!user.some((c) => c.name === kubeletFirewallChain)) user.push({ name: kubeletFirewallChain, policy: '-', rules: [] });
  }
  user.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return formatIPTablesDump([{ name: table, chains: [...chains, ...user] }]);
}

const builtinTargets = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE']);
/** Chains kube-proxy always creates, used or not. */
const alwaysCreated = new Set([kubeServicesChain, kubeExternalServicesChain, kubeNodePortsChain, kubePostroutingChain, kubeForwardChain, 'KUBE-MARK-MASQ', kubeProxyFirewallChain, kubeletFirewallChain]);

// Upstream: pkg/proxy/iptables/proxier_test.go (checkIPTablesRuleJumps): every `-j` targets a
// chain that is created and filled, and every created chain is used. Returns the error text
// upstream returns, or undefined.
export function checkIPTablesRuleJumps(ruleData: string): string | undefined {
  for (const block of ruleData.split(/^COMMIT$/m)) {
    const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
    if (lines.length === 0 || !lines[0].startsWith('*')) continue;
    const table = lines[0].slice(1);
    const all = (re: RegExp) => new Set(lines.map((l) => re.exec(l)?.[1]).filter((x): x is string => x !== undefined));
    const created = all(/^:([^ ]*)/);
    for (const x of all(/-X ([^ ]*)/)) created.delete(x);
    const filled = all(/-A ([^ ]*)/);
    const jumped = all(/-j ([^ ]*)/);
    for (const t of builtinTargets) jumped.delete(t);
    const list = (s: Set<string>) => `[${[...s].sort().join(' ')}]`;
    const missing = new Set([...jumped, ...filled].filter((c) => !created.has(c)));
    if (missing.size > 0) return `some chains in ${table} are used but were not created: ${list(missing)}`;
    const empty = new Set([...jumped].filter((c) => !filled.has(c) && c !== kubeNodePortsChain));
    if (empty.size > 0) return `some chains in ${table} are jumped to but have no rules: ${list(empty)}`;
    const extra = new Set([...created].filter((c) => !jumped.has(c) && !alwaysCreated.has(c)));
    if (extra.size > 0) return `some chains in ${table} are created but not used: ${list(extra)}`;
  }
  return undefined;
}
