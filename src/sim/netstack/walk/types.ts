import type { Direction, TcpFlags } from '../conntrack/conntrack';
import type { Hook } from '../netfilter/hooks';
import type { NfTraceStep } from '../netfilter/eval';
import type { Proto, TableName } from '../netfilter/types';

/** The inner IP/L4 headers a hop shows before and after itself. */
export interface Headers {
  proto: Proto;
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

/** Encapsulation headers while the packet travels inside a tunnel. */
export interface OuterHeaders {
  ethSrc: string;
  ethDst: string;
  ipSrc: string;
  ipDst: string;
  udpSport: number;
  udpDport: number;
  /** VXLAN only: the VNI, and the inner Ethernet header flannel.1 wrote. */
  vni?: number;
  innerEthSrc?: string;
  innerEthDst?: string;
}

export type HopKind =
  | 'route' | 'veth' | 'bridge' | 'conntrack' | 'netfilter' | 'nat' | 'encap' | 'wire' | 'decap' | 'userspace'
  | 'deliver' | 'drop' | 'reject' | 'refused' | 'unreachable' | 'leave';

export interface RuleRef {
  table: TableName;
  chain: string;
  line: number;
  text: string;
  effect?: string;
}

/** One station on the packet's path. */
export interface Hop {
  n: number;
  kind: HopKind;
  node: string;
  /** `root` or the pod's netns name; `wire` for the underlay between nodes. */
  netns: string;
  /** In a pod's netns: that pod, `<namespace>/<name>` (netns names are the CNI's random ids). */
  pod?: string;
  /** On the underlay (`wire`, `leave`): its two ends, each `node/<name>` or `external/<ip>`. */
  underlay?: { from: string; to: string };
  iface?: string;
  /** What happens here, in words (e.g. `nat PREROUTING`, `routing: 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink`). */
  where: string;
  before: Headers;
  after: Headers;
  outer?: OuterHeaders;
  hook?: Hook;
  /** Every rule that matched, in order; `decisive` is the one that ended the traversal. */
  matched?: RuleRef[];
  decisive?: RuleRef;
  /** Every rule looked at (matched or not), for the chain view. */
  trace?: NfTraceStep[];
  conntrack?: { action: 'new' | 'found'; dir: Direction; entry: string };
  note?: string;
}

export type Outcome = 'delivered' | 'dropped' | 'rejected' | 'refused' | 'unreachable';

export interface WalkResult {
  outcome: Outcome;
  /** Who got the packet: `pod/<ns>/<name>`, `node/<name>` or `external/<ip>`. */
  at?: string;
  hops: Hop[];
  /** Headers as sent and as received. */
  sent: Headers;
  received?: Headers;
  /** The node whose default route the packet left the cluster by (for `external/...`). */
  exitNode?: string;
  /** The answer, walked back from the receiver (when `reply` was asked and the request arrived). */
  reply?: WalkResult;
}

export type Endpoint = { pod: string } | { node: string } | { external: string; via: string };

export interface WalkRequest {
  /** `pod/<ns>/<name>`, `<ns>/<name>`, a pod name, `node/<name>`, or an object form. */
  from: string | Endpoint;
  /** `ip:port` */
  to: string;
  proto?: Proto;
  /** Source port (default: a seeded ephemeral port 32768..60999). */
  sport?: number;
  flags?: TcpFlags;
  /** Walk the answer back too (default true). */
  reply?: boolean;
}
