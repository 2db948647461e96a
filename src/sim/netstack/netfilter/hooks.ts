import { traverseTable, type ChainResult, type NatAction, type NetfilterEnv, type NfTraceStep } from './eval';
import type { Packet } from './packet';
import type { Ruleset, TableName } from './types';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/**
 * Tables on each hook in priority order (raw -300, conntrack -200, mangle -150, nat dst -100,
 * filter 0, nat src +100). The nat table only sees a connection's first packet: conntrack replays
 * its binding for the rest, so callers pass `nat: false` for them.
 */
// Upstream: linux include/uapi/linux/netfilter_ipv4.h (enum nf_ip_hook_priorities)
export const HOOK_TABLES: Record<Hook, readonly TableName[]> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'nat'],
  FORWARD: ['mangle', 'filter'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat'],
};

export interface HookResult {
  hook: Hook;
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  nat?: NatAction;
  packet: Packet;
  /** Per table traversed, in order. */
  tables: { table: TableName; result: ChainResult }[];
  trace: NfTraceStep[];
}

/** Runs one hook: every table registered on it, stopping at the first DROP or REJECT. */
export function runHook(ruleset: Ruleset, hook: Hook, packet: Packet, env: NetfilterEnv, opts: { nat: boolean }): HookResult {
  let pkt = { ...packet };
  let nat: NatAction | undefined;
  const tables: HookResult['tables'] = [];
  const trace: NfTraceStep[] = [];
  for (const table of HOOK_TABLES[hook]) {
    if (table === 'nat' && !opts.nat) continue;
    if (!ruleset.tables.has(table)) continue;
    const result = traverseTable(ruleset, table, hook, pkt, env);
    tables.push({ table, result });
    trace.push(...result.trace);
    pkt = result.packet;
    if (result.nat) nat = result.nat;
    if (result.verdict !== 'ACCEPT') return { hook, verdict: result.verdict, nat, packet: pkt, tables, trace };
  }
  return { hook, verdict: 'ACCEPT', nat, packet: pkt, tables, trace };
}
