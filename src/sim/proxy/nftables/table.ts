/**
 * One nftables table as kube-proxy fills it, and the two ways to print it: the transaction text
 * upstream's tests compare (knftables.Fake.Dump, `add chain ip kube-proxy ...` lines) and what
 * `nft list table ip kube-proxy` prints on a node.
 */

export type NFTFamily = 'ip' | 'ip6';

export interface NFTRule {
  rule: string;
  comment?: string;
}

export interface NFTChain {
  name: string;
  /** Base chains only: attached to a netfilter hook. */
  type?: 'filter' | 'nat';
  hook?: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
  priority?: number;
  comment?: string;
  rules: NFTRule[];
}

export interface NFTElement {
  key: string[];
  /** Maps only: the verdict (`goto service-...`, `drop`). */
  value?: string[];
  comment?: string;
}

export interface NFTSet {
  kind: 'set' | 'map';
  name: string;
  /** `ipv4_addr`, or `ipv4_addr . inet_proto . inet_service : verdict` for a verdict map. */
  type: string;
  flags?: string[];
  timeoutSeconds?: number;
  comment?: string;
  elements: NFTElement[];
}

/** Invariant: names are unique across chains, and across sets and maps. Maps keep insertion order. */
export interface NFTable {
  family: NFTFamily;
  name: string;
  comment?: string;
  chains: Map<string, NFTChain>;
  sets: Map<string, NFTSet>;
}

export function newNFTable(family: NFTFamily, name: string, comment?: string): NFTable {
  return { family, name, comment, chains: new Map(), sets: new Map() };
}

/** tx.Add(&knftables.Chain{...}) for a chain that may already exist: never re-created. */
export function ensureChain(table: NFTable, name: string, base?: Omit<NFTChain, 'name' | 'rules'>): NFTChain {
  let chain = table.chains.get(name);
  if (!chain) table.chains.set(name, (chain = { name, ...base, rules: [] }));
  return chain;
}

export function addRule(table: NFTable, chain: string, rule: string, comment?: string): void {
  const c = table.chains.get(chain);
  if (!c) throw new Error(`no such chain ${chain}`);
  c.rules.push(comment === undefined ? { rule } : { rule, comment });
}

export function addElement(table: NFTable, set: string, element: NFTElement): void {
  const s = table.sets.get(set);
  if (!s) throw new Error(`no such set or map ${set}`);
  s.elements.push(element);
}

/** Rule, chain, set and element counts: what the modes lesson compares. */
export interface NFTCounts {
  chains: number;
  baseChains: number;
  rules: number;
  sets: number;
  maps: number;
  elements: number;
  /** Elements of the dispatch maps service-ips and service-nodeports. */
  dispatchElements: number;
}

// The model's own: upstream exposes only sync latency and failure metrics for nftables.
export function countNFTables(table: NFTable): NFTCounts {
  const out: NFTCounts = { chains: 0, baseChains: 0, rules: 0, sets: 0, maps: 0, elements: 0, dispatchElements: 0 };
  for (const c of table.chains.values()) {
    out.chains++;
    if (c.hook) out.baseChains++;
    out.rules += c.rules.length;
  }
  for (const s of table.sets.values()) {
    if (s.kind === 'set') out.sets++;
    else out.maps++;
    out.elements += s.elements.length;
    if (s.name === 'service-ips' || s.name === 'service-nodeports') out.dispatchElements += s.elements.length;
  }
  return out;
}

const quote = (s: string) => `"${s}"`;

function elementText(e: NFTElement): string {
  const key = e.key.join(' . ') + (e.comment !== undefined ? ` comment ${quote(e.comment)}` : '');
  return e.value ? `${key} : ${e.value.join(' . ')}` : key;
}

function ruleText(r: NFTRule): string {
  return r.comment !== undefined ? `${r.rule} comment ${quote(r.comment)}` : r.rule;
}

// Upstream: sigs.k8s.io/knftables fake.go (Fake.Dump): one `add` line per object, objects in
// the order table, chains, sets, maps, then rules and elements.
export function nftDump(table: NFTable): string {
  const p = `${table.family} ${table.name}`;
  const lines: string[] = [`add table ${p}${table.comment !== undefined ? ` { comment ${quote(table.comment)} ; }` : ''}`];
  for (const c of table.chains.values()) {
    const props: string[] = [];
    if (c.hook) props.push(`type ${c.type} hook ${c.hook} priority ${c.priority} ;`);
    if (c.comment !== undefined) props.push(`comment ${quote(c.comment)} ;`);
    lines.push(`add chain ${p} ${c.name}${props.length ? ` { ${props.join(' ')} }` : ''}`);
  }
  for (const kind of ['set', 'map'] as const) {
    for (const s of table.sets.values()) {
      if (s.kind !== kind) continue;
      const props = [`type ${s.type} ;`];
      if (s.flags?.length) props.push(`flags ${s.flags.join(',')} ;`);
      if (s.timeoutSeconds !== undefined) props.push(`timeout ${s.timeoutSeconds}s ;`);
      if (s.comment !== undefined) props.push(`comment ${quote(s.comment)} ;`);
      lines.push(`add ${kind} ${p} ${s.name} { ${props.join(' ')} }`);
    }
  }
  for (const c of table.chains.values()) for (const r of c.rules) lines.push(`add rule ${p} ${c.name} ${ruleText(r)}`);
  for (const s of table.sets.values()) for (const e of s.elements) lines.push(`add element ${p} ${s.name} { ${elementText(e)} }`);
  return `${lines.join('\n')}\n`;
}

const objectOrder: Record<string, number> = { table: 10, chain: 9, rule: 8, set: 7, map: 6, element: 5 };

// Upstream: pkg/proxy/nftables/helpers_test.go (sortNFTablesTransaction): drop blank and `#`
// lines, then order by object type, then object name; rules keep their order within a chain.
export function sortNFTablesTransaction(tx: string): string {
  const lines = tx.split('\n').filter((l) => l !== '' && l[0] !== '#');
  const keyed = lines.map((line, i) => ({ line, i, w: line.split(' ') }));
  keyed.sort((a, b) => {
    if (a.w.length >= 5 && b.w.length >= 5) {
      if (a.w[1] !== b.w[1]) return (objectOrder[b.w[1]] ?? 0) - (objectOrder[a.w[1]] ?? 0);
      if (a.w[4] !== b.w[4]) return a.w[4] < b.w[4] ? -1 : 1;
      if (a.w[1] !== 'rule' && a.line !== b.line) return a.line < b.line ? -1 : 1;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.line).join('\n');
}

// nft's names for the standard hook priorities (src/rule.c std_prios); dstnat only on the
// prerouting and output hooks, srcnat only on postrouting and input.
function priorityText(prio: number, hook: string): string {
  const std: [string, number][] = [['raw', -300], ['mangle', -150], ['dstnat', -100], ['filter', 0], ['security', 50], ['srcnat', 100]];
  for (const [name, value] of std) {
    if (name === 'dstnat' && hook !== 'prerouting' && hook !== 'output') continue;
    if (name === 'srcnat' && hook !== 'postrouting' && hook !== 'input') continue;
    const off = prio - value;
    if (off === 0) return name;
    if (off > 0 && off <= 10) return `${name} + ${off}`;
    if (off < 0 && off >= -10) return `${name} - ${-off}`;
  }
  return String(prio);
}

const hex32 = (v: string) => `0x${Number(v).toString(16).padStart(8, '0')}`;

// What nft prints back for the rules kube-proxy writes in a shorthand (the mark statements).
export function nftListRule(rule: string): string {
  return rule
    .replace(/^mark set mark or (0x[0-9a-f]+)$/, (_, m) => `meta mark set meta mark | ${hex32(m)}`)
    .replace(/^mark set mark xor (0x[0-9a-f]+)$/, (_, m) => `meta mark set meta mark ^ ${hex32(m)}`)
    .replace(/^mark and (0x[0-9a-f]+) == 0 return$/, (_, m) => `meta mark & ${hex32(m)} == 0x00000000 return`);
}

function timeoutText(seconds: number): string {
  const parts: string[] = [];
  let s = seconds;
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join('');
}

// nft's delimiter between elements (src/expression.c calculate_delimiter): addresses two to a
// line, concatenations and mappings one to a line.
function elementsText(s: NFTSet): string {
  const items = s.elements.map(elementText);
  const perLine = s.kind === 'set' && !s.type.includes(' . ') ? 2 : 1;
  let out = '';
  items.forEach((item, i) => {
    if (i > 0) out += i % perLine === 0 ? ',\n\t\t\t     ' : ', ';
    out += item;
  });
  return `\t\telements = { ${out} }\n`;
}

/** `nft list table <family> <name>`: sets and maps, then chains, each in creation order. */
export function nftListTable(table: NFTable): string {
  let out = `table ${table.family} ${table.name} {\n`;
  if (table.comment !== undefined) out += `\tcomment ${quote(table.comment)}\n`;
  const blocks: string[] = [];
  for (const s of table.sets.values()) {
    let b = `\t${s.kind} ${s.name} {\n\t\ttype ${s.type}\n`;
    if (s.flags?.length) b += `\t\tflags ${s.flags.join(',')}\n`;
    if (s.timeoutSeconds !== undefined) b += `\t\ttimeout ${timeoutText(s.timeoutSeconds)}\n`;
    if (s.comment !== undefined) b += `\t\tcomment ${quote(s.comment)}\n`;
    if (s.elements.length) b += elementsText(s);
    blocks.push(`${b}\t}\n`);
  }
  for (const c of table.chains.values()) {
    let b = `\tchain ${c.name} {\n`;
    if (c.comment !== undefined) b += `\t\tcomment ${quote(c.comment)}\n`;
    if (c.hook) b += `\t\ttype ${c.type} hook ${c.hook} priority ${priorityText(c.priority ?? 0, c.hook)}; policy accept;\n`;
    for (const r of c.rules) b += `\t\t${ruleText({ ...r, rule: nftListRule(r.rule) })}\n`;
    blocks.push(`${b}\t}\n`);
  }
  return `${out}${blocks.join('\n')}}\n`;
}
