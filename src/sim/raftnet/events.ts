/**
 * Every trace event of the simulated network, declared once: its fields, its line of text and
 * the function of etcd-io/raft v3.6.0's test networks it plays the part of (`raft_test.go`'s
 * `network` and `rafttest/network.go`'s `raftNetwork`, `rafttest/node.go`'s stop / restart /
 * pause / resume). A view draws each message from its `raftnet.send` to its `raftnet.deliver`
 * or `raftnet.drop` (same `msgId`); `raftnet.duplicate` starts a second copy with its own id.
 */
import { defineEvents, type AnyEventOf, type EventOf, type SourceRef } from '../core/events';
import { formatMs } from '../core/format';
import type { JsonValue } from '../core/trace';

/** The etcd-io/raft release whose test networks this follows. */
export const RAFT_TAG = 'v3.6.0';

/**
 * Why a message was lost: `loss` (the random loss rate), `partition` (sender and receiver on
 * different sides, at send or at arrival), `rule` (a `drop` rule), `crashed` (the receiver was
 * down when it arrived, or the sender was down when it sent), `manual` (`dropMessage`),
 * `unknownNode` (nobody registered under `to`).
 */
export type DropReason = 'loss' | 'partition' | 'rule' | 'crashed' | 'manual' | 'unknownNode';

/** Fields every message event carries. `detail`: what the network's `detail(msg)` picked out. */
type MsgFields = { net: string; msgId: number; from: number; to: number; msgType: string; detail: { [k: string]: JsonValue } };

/** Event type -> fields. Every event also carries `net`, the network's name. */
export type RaftnetEventMap = {
  /** A network was made (`latencyMinMs`/`latencyMaxMs`: -1 when latency is a function). */
  'raftnet.new': { net: string; latencyMinMs: number; latencyMaxMs: number; lossRate: number; duplicateRate: number; reorder: boolean };
  /** A message was handed to the network; unless dropped, it arrives at `dueAt`. */
  'raftnet.send': MsgFields & { sentAt: number; dueAt: number };
  /** The network made a second copy `msgId` of message `copyOf`, arriving at `dueAt`. */
  'raftnet.duplicate': MsgFields & { copyOf: number; sentAt: number; dueAt: number };
  /** The message reached its node's handler (`held`: it waited while the node was paused). */
  'raftnet.deliver': MsgFields & { sentAt: number; held: boolean };
  /** The message arrived at a paused node and waits for `resume`. */
  'raftnet.hold': MsgFields & { sentAt: number };
  /** The message was lost (`rule`: the id of the drop rule, 0 for none). */
  'raftnet.drop': MsgFields & { reason: DropReason; rule: number };
  /** The nodes were split into `groups` (nodes in no group are alone). */
  'raftnet.partition': { net: string; name: string; groups: number[][] };
  /** Every node can reach every other again (rules stay). */
  'raftnet.heal': { net: string };
  /** A node went down: messages that reach it are lost until it restarts. */
  'raftnet.crash': { net: string; node: number };
  /** A crashed node is back. */
  'raftnet.restart': { net: string; node: number };
  /** A node stopped taking messages: they wait for `resume`. */
  'raftnet.pause': { net: string; node: number };
  /** A paused node takes its `released` waiting messages, in send order. */
  'raftnet.resume': { net: string; node: number; released: number };
  /** A node's clock now runs at `rate` times virtual time (its ticks come `1/rate` as often). */
  'raftnet.skew': { net: string; node: number; rate: number };
  /** A link rule was added: `drop` (with probability `rate`) or `delay` (by `delayMs`); 0 = any. */
  'raftnet.rule': { net: string; rule: number; kind: 'drop' | 'delay'; from: number; to: number; msgType: string; rate: number; delayMs: number };
  /** The random loss rate is now `rate`. */
  'raftnet.loss': { net: string; rate: number };
  /** A rule was removed. */
  'raftnet.unrule': { net: string; rule: number };
};

export type RaftnetEvent = AnyEventOf<RaftnetEventMap>;
export type RaftnetEventOf<K extends keyof RaftnetEventMap & string> = EventOf<RaftnetEventMap, K>;

const NETWORK: SourceRef = { file: 'rafttest/network.go', symbol: 'raftNetwork.send' };
const FILTER: SourceRef = { file: 'raft_test.go', symbol: 'network.filter' };

function link(e: { from: number; to: number; msgType: string; msgId: number }): string {
  return `${e.msgType} ${e.from}->${e.to} #${e.msgId}`;
}

function any(n: number): string {
  return n === 0 ? '*' : String(n);
}

export const raftnetEvents = defineEvents<RaftnetEventMap>(
  'raftnet',
  { name: 'raft', tag: RAFT_TAG, blobUrl: `https://github.com/etcd-io/raft/blob/${RAFT_TAG}/` },
  {
    'raftnet.new': {
      text: (e) =>
        `network ${e.net}: latency ${e.latencyMinMs < 0 ? 'by function' : `${formatMs(e.latencyMinMs)}..${formatMs(e.latencyMaxMs)}`}, loss ${e.lossRate}, duplicates ${e.duplicateRate}, ${e.reorder ? 'reordering' : 'FIFO links'}`,
      source: { file: 'rafttest/network.go', symbol: 'newRaftNetwork' },
    },
    'raftnet.send': { text: (e) => `send ${link(e)} due ${formatMs(e.dueAt)}`, source: NETWORK },
    'raftnet.duplicate': { text: (e) => `duplicate ${link(e)} of #${e.copyOf} due ${formatMs(e.dueAt)}`, source: NETWORK },
    'raftnet.deliver': { text: (e) => `deliver ${link(e)}${e.held ? ' (held while paused)' : ''} after ${formatMs(e.t - e.sentAt)}`, source: NETWORK },
    'raftnet.hold': { text: (e) => `hold ${link(e)}: node ${e.to} is paused`, source: { file: 'rafttest/node.go', symbol: 'node.pause' } },
    'raftnet.drop': { text: (e) => `drop ${link(e)}: ${e.reason}${e.rule ? ` (rule ${e.rule})` : ''}`, source: FILTER },
    'raftnet.partition': {
      text: (e) => `partition${e.name ? ` ${e.name}` : ''}: ${e.groups.map((g) => `{${g.join(',')}}`).join(' | ')}`,
      source: { file: 'raft_test.go', symbol: 'network.cut' },
    },
    'raftnet.heal': { text: () => 'heal: all nodes connected', source: { file: 'raft_test.go', symbol: 'network.recover' } },
    'raftnet.crash': { text: (e) => `crash node ${e.node}`, source: { file: 'rafttest/node.go', symbol: 'node.stop' } },
    'raftnet.restart': { text: (e) => `restart node ${e.node}`, source: { file: 'rafttest/node.go', symbol: 'node.restart' } },
    'raftnet.pause': { text: (e) => `pause node ${e.node}`, source: { file: 'rafttest/node.go', symbol: 'node.pause' } },
    'raftnet.resume': { text: (e) => `resume node ${e.node}: ${e.released} held message(s)`, source: { file: 'rafttest/node.go', symbol: 'node.resume' } },
    'raftnet.skew': { text: (e) => `skew node ${e.node}: clock rate ${e.rate}` },
    'raftnet.rule': {
      text: (e) =>
        `rule ${e.rule}: ${e.kind} ${any(e.from)}->${any(e.to)}${e.msgType ? ` ${e.msgType}` : ''}${e.kind === 'drop' ? (e.rate < 1 ? ` rate ${e.rate}` : '') : ` +${formatMs(e.delayMs)}`}`,
      source: (e) => (e.kind === 'drop' ? { file: 'raft_test.go', symbol: 'network.drop' } : { file: 'rafttest/network.go', symbol: 'raftNetwork.delay' }),
    },
    'raftnet.loss': { text: (e) => `loss rate ${e.rate}`, source: { file: 'rafttest/network.go', symbol: 'raftNetwork.drop' } },
    'raftnet.unrule': { text: (e) => `rule ${e.rule} removed` },
  },
);
