import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import type { CtState, NatAction } from '../netfilter/eval';
import type { Packet } from '../netfilter/packet';
import type { Proto } from '../netfilter/types';

/** One direction of a connection as conntrack keys it. */
export interface Tuple {
  proto: Proto;
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export type TcpState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';
export type TcpFlags = 'SYN' | 'SYN-ACK' | 'ACK' | 'FIN' | 'RST';
export type Direction = 'original' | 'reply';

/**
 * A connection. Invariant: `reply` is the inverse of `original` with the NAT bindings applied —
 * DNAT rewrites reply.src/sport (the endpoint answers), SNAT rewrites reply.dst/dport (the answer
 * comes back to the masquerading address). A packet matching either tuple belongs to this entry.
 */
export interface CtEntry {
  id: number;
  original: Tuple;
  reply: Tuple;
  /** TCP only. */
  state?: TcpState;
  expiresAtMs: number;
  seenReply: boolean;
  assured: boolean;
  dnat: boolean;
  snat: boolean;
  /** ct mark (connmark), printed as mark=. */
  mark: number;
}

/** Timeouts in seconds (nf_conntrack_proto_{tcp,udp}.c defaults; kube-proxy may lower some). */
export interface ConntrackTimeouts {
  tcp: Record<TcpState, number>;
  udp: number;
  udpStream: number;
}

// Upstream: linux net/netfilter/nf_conntrack_proto_tcp.c (tcp_timeouts), nf_conntrack_proto_udp.c
export const KERNEL_TIMEOUTS: ConntrackTimeouts = {
  tcp: { SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60, LAST_ACK: 30, TIME_WAIT: 120, CLOSE: 10 },
  udp: 30,
  udpStream: 120,
};

/** What kube-proxy writes to /proc/sys/net/netfilter at start (KubeProxyConntrackConfiguration defaults: 24h, 1h). */
export const KUBE_PROXY_TIMEOUTS: ConntrackTimeouts = {
  ...KERNEL_TIMEOUTS,
  tcp: { ...KERNEL_TIMEOUTS.tcp, ESTABLISHED: 86400, CLOSE_WAIT: 3600 },
};

const PROTO_NUM: Record<Proto, number> = { icmp: 1, tcp: 6, udp: 17, sctp: 132 };

/**
 * The connection tracking table of one network namespace. NAT is decided once, on a connection's
 * first packet; every later packet, either way, is rewritten from the entry without the nat table.
 */
// Upstream: linux net/netfilter/nf_conntrack_core.c, nf_nat_core.c
export class Conntrack {
  readonly #entries: CtEntry[] = [];
  /** Both tuples of every live entry (the kernel's hash table), for O(1) lookups. */
  readonly #byTuple = new Map<string, { entry: CtEntry; dir: Direction }>();
  #nextId = 1;

  constructor(
    private readonly clock: FakeClock,
    private readonly rng: Rng,
    readonly timeouts: ConntrackTimeouts = KERNEL_TIMEOUTS,
  ) {}

  /** The entry this packet belongs to and in which direction, after dropping expired entries. */
  lookup(p: Packet): { entry: CtEntry; dir: Direction } | undefined {
    const hit = this.#byTuple.get(tupleKey(p));
    if (!hit) return undefined;
    if (hit.entry.expiresAtMs !== 0 && hit.entry.expiresAtMs <= this.clock.now()) {
      this.#expire();
      return undefined;
    }
    return { entry: hit.entry, dir: hit.dir };
  }

  /** A new entry for a connection's first packet; NAT bindings are added before it is confirmed. */
  create(p: Packet): CtEntry {
    const original: Tuple = { proto: p.proto, src: p.src, dst: p.dst, sport: p.sport, dport: p.dport };
    const entry: CtEntry = {
      id: this.#nextId++, original, reply: invert(original), expiresAtMs: 0, seenReply: false, assured: false,
      dnat: false, snat: false, mark: 0,
    };
    this.#entries.push(entry);
    this.#index(entry);
    return entry;
  }

  /**
   * Binds a NAT decision to the entry. DNAT `ip[:port]` changes who answers; SNAT/MASQUERADE
   * change where answers go. MASQUERADE keeps the source port unless another connection already
   * uses that reply tuple; `--random-fully` always draws a port (seeded).
   */
  // Upstream: linux net/netfilter/nf_nat_core.c (nf_nat_setup_info, get_unique_tuple)
  bindNat(entry: CtEntry, nat: NatAction, masqueradeIp?: string): void {
    if (nat.kind === 'DNAT') {
      const [ip, port] = nat.to.split(':');
      this.#byTuple.delete(tupleKey(entry.reply));
      entry.reply = { ...entry.reply, src: ip, sport: port ? Number(port) : entry.reply.sport };
      entry.dnat = true;
      this.#index(entry);
      return;
    }
    const ip = nat.kind === 'SNAT' ? nat.to.split(':')[0] : masqueradeIp;
    if (!ip) throw new Error('MASQUERADE: no address on the outgoing interface');
    let port = entry.original.sport;
    if (nat.randomFully) port = 1024 + this.rng.int(65536 - 1024);
    while (this.#replyInUse({ ...entry.reply, dst: ip, dport: port }, entry)) port = port >= 65535 ? 1024 : port + 1;
    this.#byTuple.delete(tupleKey(entry.reply));
    entry.reply = { ...entry.reply, dst: ip, dport: port };
    entry.snat = true;
    this.#index(entry);
  }

  /** Marks a packet seen in `dir`: TCP state machine (simplified, see README), timeouts, ASSURED. */
  // Upstream: linux net/netfilter/nf_conntrack_proto_tcp.c (tcp_packet), nf_conntrack_proto_udp.c (nf_conntrack_udp_packet)
  seen(entry: CtEntry, dir: Direction, flags: TcpFlags = 'ACK'): void {
    if (dir === 'reply') entry.seenReply = true;
    const now = this.clock.now();
    if (entry.original.proto !== 'tcp') {
      const stream = entry.seenReply && dir === 'original';
      if (stream) entry.assured = true;
      entry.expiresAtMs = now + 1000 * (entry.seenReply ? this.timeouts.udpStream : this.timeouts.udp);
      return;
    }
    entry.state = nextTcpState(entry.state, dir, flags);
    if (entry.state === 'ESTABLISHED') entry.assured = true;
    entry.expiresAtMs = now + 1000 * this.timeouts.tcp[entry.state];
  }

  /** `-m conntrack --ctstate` for a packet of this entry. */
  ctstate(entry: CtEntry | undefined, dir: Direction): CtState[] {
    if (!entry) return ['NEW'];
    const s: CtState[] = [entry.seenReply || dir === 'reply' ? 'ESTABLISHED' : 'NEW'];
    if (entry.dnat) s.push('DNAT');
    if (entry.snat) s.push('SNAT');
    return s;
  }

  entries(): CtEntry[] {
    this.#expire();
    return this.#entries.map((e) => ({ ...e, original: { ...e.original }, reply: { ...e.reply } }));
  }

  /** `conntrack -L`: stdout lines, and the summary conntrack-tools prints on stderr. */
  // Upstream: libnetfilter_conntrack src/conntrack/snprintf_default.c (__snprintf_conntrack_default)
  list(): { stdout: string; stderr: string } {
    const now = this.clock.now();
    const lines = this.entries().map((e) => formatEntry(e, now));
    return {
      stdout: lines.map((l) => l + '\n').join(''),
      stderr: `conntrack v1.4.7 (conntrack-tools): ${lines.length} flow entries have been shown.\n`,
    };
  }

  #expire(): void {
    const now = this.clock.now();
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const e = this.#entries[i];
      if (e.expiresAtMs !== 0 && e.expiresAtMs <= now) {
        this.#entries.splice(i, 1);
        this.#byTuple.delete(tupleKey(e.original));
        this.#byTuple.delete(tupleKey(e.reply));
      }
    }
  }

  #index(e: CtEntry): void {
    this.#byTuple.set(tupleKey(e.original), { entry: e, dir: 'original' });
    this.#byTuple.set(tupleKey(e.reply), { entry: e, dir: 'reply' });
  }

  #replyInUse(t: Tuple, self: CtEntry): boolean {
    const hit = this.#byTuple.get(tupleKey(t));
    return hit !== undefined && hit.entry !== self;
  }
}

/**
 * Rewrites a packet of this entry as the kernel's NAT hooks do. `dst` (PREROUTING/OUTPUT) makes the
 * destination what the other direction's tuple expects; `src` (POSTROUTING/INPUT) does the source.
 */
// Upstream: linux net/netfilter/nf_nat_core.c (nf_nat_packet, nf_nat_manip_pkt)
export function natPacket(entry: CtEntry, dir: Direction, p: Packet, manip: 'src' | 'dst'): Packet {
  const target = invert(dir === 'original' ? entry.reply : entry.original);
  return manip === 'dst' ? { ...p, dst: target.dst, dport: target.dport } : { ...p, src: target.src, sport: target.sport };
}

export function invert(t: Tuple): Tuple {
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

function tupleKey(t: Pick<Packet, 'proto' | 'src' | 'dst' | 'sport' | 'dport'>): string {
  return `${t.proto} ${t.src}:${t.sport} ${t.dst}:${t.dport}`;
}

function nextTcpState(s: TcpState | undefined, dir: Direction, f: TcpFlags): TcpState {
  if (f === 'RST') return 'CLOSE';
  if (!s) return f === 'SYN' ? 'SYN_SENT' : 'ESTABLISHED'; // mid-stream pickup (nf_conntrack_tcp_loose=1)
  switch (s) {
    case 'SYN_SENT': return dir === 'reply' && f === 'SYN-ACK' ? 'SYN_RECV' : s;
    case 'SYN_RECV': return dir === 'original' && f === 'ACK' ? 'ESTABLISHED' : s;
    case 'ESTABLISHED': return f === 'FIN' ? (dir === 'original' ? 'FIN_WAIT' : 'CLOSE_WAIT') : s;
    case 'FIN_WAIT': case 'CLOSE_WAIT': return f === 'FIN' ? 'LAST_ACK' : s;
    case 'LAST_ACK': return f === 'ACK' ? 'TIME_WAIT' : s;
    default: return s;
  }
}

function formatTuple(t: Tuple): string {
  return `src=${t.src} dst=${t.dst} sport=${t.sport} dport=${t.dport}`;
}

/** `tcp      6 117 TIME_WAIT src=... [UNREPLIED] src=... [ASSURED] mark=0 use=1` */
export function formatEntry(e: CtEntry, nowMs: number): string {
  const proto = e.original.proto;
  const parts = [`${proto.padEnd(8)} ${PROTO_NUM[proto]} ${Math.max(0, Math.floor((e.expiresAtMs - nowMs) / 1000))}`];
  if (e.state) parts.push(e.state);
  parts.push(formatTuple(e.original));
  if (!e.seenReply) parts.push('[UNREPLIED]');
  parts.push(formatTuple(e.reply));
  if (e.assured) parts.push('[ASSURED]');
  parts.push(`mark=${e.mark}`, 'use=1');
  return parts.join(' ');
}
