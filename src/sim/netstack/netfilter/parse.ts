import { IptablesRestoreError } from './errors';
import { parseRuleArgs, RuleSyntaxError } from './rule';
import { tokenizeRuleLine } from './tokenize';
import { BUILTIN_CHAINS, TABLE_NAMES, type Chain, type Rule, type Ruleset, type Table, type TableName } from './types';

/**
 * Parses iptables-save text (`*table`, `:CHAIN POLICY [p:b]`, `-A`/`-I`/`-X` lines, `COMMIT`)
 * into a Ruleset, refusing what iptables-restore refuses with its wording and line number.
 * Built-in chains a table does not declare exist with policy ACCEPT, as in the kernel.
 */
// Upstream: iptables iptables/iptables-restore.c (ip46tables_restore_main)
export function parseIptablesSave(text: string): Ruleset {
  const ruleset: Ruleset = { tables: new Map() };
  const lines = text.split('\n');
  let table: Table | undefined;
  let pending: Pending[] = [];
  let lineNo = 0;

  for (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      if (table) throw new IptablesRestoreError(lineNo, `COMMIT expected at line ${lineNo}`);
      const name = line.slice(1) as TableName;
      if (!TABLE_NAMES.includes(name)) {
        throw new IptablesRestoreError(lineNo, `unable to initialize table '${line.slice(1)}'`);
      }
      table = ruleset.tables.get(name) ?? newTable(name);
      ruleset.tables.set(name, table);
      pending = [];
      continue;
    }
    if (!table) throw new IptablesRestoreError(lineNo, 'no command specified');
    if (line === 'COMMIT') {
      commit(table, pending, lineNo);
      table = undefined;
      continue;
    }
    if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?$/.exec(line);
      if (!m) throw new IptablesRestoreError(lineNo, 'Bad chain line');
      const [, name, policy, p, b] = m;
      const builtin = BUILTIN_CHAINS[table.name].includes(name);
      // '-' on a built-in chain keeps its current policy, as iptables-restore does.
      if (builtin && policy !== 'ACCEPT' && policy !== 'DROP' && policy !== '-') {
        throw new IptablesRestoreError(lineNo, `Can't set policy \`${policy}' on \`${name}' line ${lineNo}: Bad policy name`);
      }
      if (!builtin && policy !== '-') {
        throw new IptablesRestoreError(lineNo, `Can't set policy \`${policy}' on \`${name}' line ${lineNo}: Bad built-in chain name`);
      }
      if (name.length > 28) throw new IptablesRestoreError(lineNo, `Invalid chain name \`${name}'`);
      // A chain line flushes the chain (iptables-restore --noflush semantics for named chains).
      const keep = builtin && policy === '-' ? (table.chains.get(name)?.policy ?? 'ACCEPT') : policy;
      table.chains.set(name, {
        name, policy: keep as Chain['policy'], packets: Number(p ?? 0), bytes: Number(b ?? 0), line: lineNo, rules: [],
      });
      continue;
    }
    let words: string[];
    try {
      words = tokenizeRuleLine(line);
    } catch (e) {
      throw new IptablesRestoreError(lineNo, (e as Error).message);
    }
    const [cmd, chainName] = words;
    if (cmd === '-X' || cmd === '--delete-chain') {
      pending.push({ rule: { table: table.name, chain: chainName, line: lineNo, text: line, matches: [] }, deleteChain: true });
      continue;
    }
    if (cmd !== '-A' && cmd !== '--append' && cmd !== '-I' && cmd !== '--insert') {
      throw new IptablesRestoreError(lineNo, `unknown option "${cmd}"`);
    }
    if (!chainName) throw new IptablesRestoreError(lineNo, `option "${cmd}" requires an argument`);
    const rest = words.slice(2);
    let insertAt: number | undefined;
    if ((cmd === '-I' || cmd === '--insert')) {
      insertAt = /^\d+$/.test(rest[0] ?? '') ? Number(rest.shift()) : 1;
    }
    try {
      const { matches, target } = parseRuleArgs(rest);
      const rule: Rule = { table: table.name, chain: chainName, line: lineNo, text: line, matches, target };
      pending.push({ rule, insertAt });
    } catch (e) {
      if (e instanceof RuleSyntaxError) throw new IptablesRestoreError(lineNo, e.message);
      throw e;
    }
  }
  if (table) throw new IptablesRestoreError(lineNo, `COMMIT expected at line ${lineNo}`);
  return ruleset;
}

/** A command held until COMMIT: `-A`/`-I` (insertAt set) or `-X` (deleteChain). */
interface Pending {
  rule: Rule;
  insertAt?: number;
  deleteChain?: boolean;
}

function newTable(name: TableName): Table {
  const chains = new Map<string, Chain>();
  for (const c of BUILTIN_CHAINS[name]) chains.set(c, { name: c, policy: 'ACCEPT', packets: 0, bytes: 0, line: 0, rules: [] });
  return { name, chains };
}

/**
 * Applies a table's commands at COMMIT, as libiptc does: a rule on a chain that does not exist, or
 * a jump to one, fails the whole table ("line N failed" names the COMMIT line); a parse error
 * would already have stopped us at its own line.
 */
function commit(table: Table, pending: Pending[], commitLine: number): void {
  for (const { rule, insertAt, deleteChain } of pending) {
    if (deleteChain) {
      if (!table.chains.has(rule.chain) || BUILTIN_CHAINS[table.name].includes(rule.chain)) {
        throw new IptablesRestoreError(commitLine, `-X ${rule.chain}`, 'commit');
      }
      table.chains.delete(rule.chain);
      continue;
    }
    const chain = table.chains.get(rule.chain);
    if (!chain) throw new IptablesRestoreError(commitLine, `no chain ${rule.chain}`, 'commit');
    const t = rule.target;
    if (t && (t.kind === 'jump' || t.kind === 'goto') && !table.chains.has(t.chain)) {
      throw new IptablesRestoreError(rule.line, `Couldn't load target \`${t.chain}':No such file or directory`);
    }
    if (insertAt === undefined) chain.rules.push(rule);
    else chain.rules.splice(insertAt - 1, 0, rule);
  }
}

/** Merges dumps the way successive `iptables-restore --noflush` runs stack: later chains' rules append. */
export function mergeRulesets(...sets: Ruleset[]): Ruleset {
  const out: Ruleset = { tables: new Map() };
  for (const set of sets) {
    for (const [name, t] of set.tables) {
      const into = out.tables.get(name) ?? newTable(name);
      out.tables.set(name, into);
      for (const [cname, c] of t.chains) {
        const existing = into.chains.get(cname);
        if (!existing) into.chains.set(cname, { ...c, rules: [...c.rules] });
        else {
          existing.rules.push(...c.rules);
          if (c.line) existing.policy = c.policy;
        }
      }
    }
  }
  return out;
}
