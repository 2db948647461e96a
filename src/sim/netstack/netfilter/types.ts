import type { Cidr } from '../ip';

/** The tables iptables-restore accepts, in the order the kernel registers them. */
export type TableName = 'raw' | 'mangle' | 'nat' | 'filter' | 'security';
export const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter', 'security'];

/** Built-in chains per table (net/ipv4/netfilter/iptable_*.c valid_hooks). */
export const BUILTIN_CHAINS: Record<TableName, readonly string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export type Proto = 'tcp' | 'udp' | 'sctp' | 'icmp';

/** One match of a rule; `text` is how it was written, shown in traces when it fails. */
export type Match = { negate: boolean; text: string } & (
  | { kind: 'src' | 'dst'; cidr: Cidr }
  | { kind: 'proto'; proto: string }
  | { kind: 'inIface' | 'outIface'; name: string }
  /** `proto`: the -m tcp/udp/sctp module it belongs to, which only matches that protocol. */
  | { kind: 'sport' | 'dport'; lo: number; hi: number; proto?: string }
  | { kind: 'multiport'; dir: 'src' | 'dst' | 'any'; ranges: [number, number][] }
  | { kind: 'comment'; comment: string }
  | { kind: 'statistic'; mode: 'random'; probability: number; threshold: number }
  | { kind: 'statistic'; mode: 'nth'; every: number; packet: number }
  | {
      kind: 'recent';
      name: string;
      op: 'set' | 'rcheck' | 'update' | 'remove';
      seconds?: number;
      hitcount?: number;
      reap: boolean;
      mask: number;
      side: 'src' | 'dst';
    }
  | { kind: 'mark'; value: number; mask: number }
  | { kind: 'addrtype'; side: 'src' | 'dst'; type: string }
  | { kind: 'conntrack'; states: string[] }
  | { kind: 'set'; name: string; flags: ('src' | 'dst')[] }
  | { kind: 'physdev'; test: 'is-in' | 'is-out' | 'is-bridged' }
  | { kind: 'nfacct'; name: string }
  /** A bare `-m tcp|udp|sctp` load; its port options follow as sport/dport matches. */
  | { kind: 'module'; name: string }
);

export type MarkOp = 'set-xmark' | 'set-mark' | 'or-mark' | 'xor-mark' | 'and-mark';

/** What a rule does once every match holds. */
export type Target =
  | { kind: 'jump' | 'goto'; chain: string }
  | { kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'REJECT'; rejectWith?: string }
  | { kind: 'DNAT'; to: string }
  | { kind: 'SNAT'; to: string; randomFully: boolean }
  | { kind: 'MASQUERADE'; randomFully: boolean; toPorts?: string }
  | { kind: 'MARK'; op: MarkOp; value: number; mask: number };

export interface Rule {
  table: TableName;
  chain: string;
  /** 1-based line in the iptables-save text this rule came from. */
  line: number;
  /** The rule as written, `-A CHAIN ...`. */
  text: string;
  matches: Match[];
  /** Absent: the rule only counts packets (kube-proxy's KUBE-FW "other traffic" rule). */
  target?: Target;
}

export interface Chain {
  name: string;
  /** Built-in chains have a policy; user chains are '-' and fall through with RETURN. */
  policy: 'ACCEPT' | 'DROP' | '-';
  packets: number;
  bytes: number;
  /** Line of the `:CHAIN` declaration (0 when created implicitly). */
  line: number;
  rules: Rule[];
}

export interface Table {
  name: TableName;
  /** Chains in declaration order (iptables-save prints built-ins first, then user chains). */
  chains: Map<string, Chain>;
}

/** A parsed iptables-save dump: only the tables present in the text. */
export interface Ruleset {
  tables: Map<TableName, Table>;
}
