/**
 * Rebuilds the network's state from its trace events alone, for time travel: a view scrubbing to
 * event `n` asks a `Replayer` over `raftnetReducer` (checkpointed), or `replayNetwork(events, n)`
 * from scratch, for the messages in flight (to draw them between their nodes), the held ones,
 * the partition, each node's state and clock rate, the rules and the loss rate. It never looks
 * at a live network; a test checks that the replay equals `inFlight()`, `groups()` and `state()`
 * after every call.
 */
import { Replayer, replayOnce, type Reducer } from '../core/replay';
import type { TraceEvent } from '../core/trace';
import { raftnetEvents } from './events';

/** A message on the wire (or held at a paused node), as the trace tells it. */
export interface ReplayedMessage {
  msgId: number;
  from: number;
  to: number;
  msgType: string;
  sentAt: number;
  dueAt: number;
  copyOf?: number;
  held: boolean;
}

/** One network's state after some events. */
export interface NetworkReplayState {
  inFlight: Map<number, ReplayedMessage>;
  /** The partition's groups (empty: none). */
  groups: number[][];
  /** Nodes that are not up (absent: up). */
  down: Map<number, 'crashed' | 'paused'>;
  /** Clock rates other than 1. */
  rates: Map<number, number>;
  lossRate: number;
  rules: Map<number, { kind: 'drop' | 'delay'; from: number; to: number; msgType: string; rate: number; delayMs: number }>;
}

/** Every network's state by name, and the time of the last event applied. */
export interface RaftnetReplayState {
  t: number;
  nets: Map<string, NetworkReplayState>;
}

function emptyNet(): NetworkReplayState {
  return { inFlight: new Map(), groups: [], down: new Map(), rates: new Map(), lossRate: 0, rules: new Map() };
}

export const raftnetReducer: Reducer<RaftnetReplayState> = {
  init: () => ({ t: 0, nets: new Map() }),
  apply(state, event) {
    if (!raftnetEvents.is(event)) return;
    const e = event;
    state.t = e.t;
    let net = state.nets.get(e.net);
    if (!net) state.nets.set(e.net, (net = emptyNet()));
    switch (e.type) {
      case 'raftnet.new':
        net.lossRate = e.lossRate;
        break;
      case 'raftnet.send':
      case 'raftnet.duplicate': {
        const m: ReplayedMessage = { msgId: e.msgId, from: e.from, to: e.to, msgType: e.msgType, sentAt: e.sentAt, dueAt: e.dueAt, held: false };
        if (e.type === 'raftnet.duplicate') m.copyOf = e.copyOf;
        net.inFlight.set(e.msgId, m);
        break;
      }
      case 'raftnet.hold': {
        const m = net.inFlight.get(e.msgId);
        if (m) m.held = true;
        break;
      }
      case 'raftnet.deliver':
      case 'raftnet.drop':
        net.inFlight.delete(e.msgId);
        break;
      case 'raftnet.partition':
        net.groups = e.groups.map((g) => [...g]);
        break;
      case 'raftnet.heal':
        net.groups = [];
        break;
      case 'raftnet.crash':
        net.down.set(e.node, 'crashed');
        break;
      case 'raftnet.pause':
        net.down.set(e.node, 'paused');
        break;
      case 'raftnet.restart':
      case 'raftnet.resume':
        net.down.delete(e.node);
        break;
      case 'raftnet.skew':
        if (e.rate === 1) net.rates.delete(e.node);
        else net.rates.set(e.node, e.rate);
        break;
      case 'raftnet.loss':
        net.lossRate = e.rate;
        break;
      case 'raftnet.rule':
        net.rules.set(e.rule, { kind: e.kind, from: e.from, to: e.to, msgType: e.msgType, rate: e.rate, delayMs: e.delayMs });
        break;
      case 'raftnet.unrule':
        net.rules.delete(e.rule);
        break;
    }
  },
  clone(state) {
    const nets = new Map<string, NetworkReplayState>();
    for (const [name, n] of state.nets) {
      nets.set(name, {
        inFlight: new Map([...n.inFlight].map(([id, m]) => [id, { ...m }])),
        groups: n.groups.map((g) => [...g]),
        down: new Map(n.down),
        rates: new Map(n.rates),
        lossRate: n.lossRate,
        rules: new Map([...n.rules].map(([id, r]) => [id, { ...r }])),
      });
    }
    return { t: state.t, nets };
  },
  size(state) {
    let n = 0;
    for (const net of state.nets.values()) n += net.inFlight.size + net.rules.size;
    return n;
  },
};

/** The state after the first `n` events (default: all), replayed from scratch. */
export function replayNetwork(events: readonly TraceEvent[], n = events.length): RaftnetReplayState {
  return replayOnce(raftnetReducer, events, n);
}

/** A checkpointed replayer for scrubbing back and forth over one trace. */
export function newNetworkReplayer(events: readonly TraceEvent[]): Replayer<RaftnetReplayState> {
  return new Replayer(raftnetReducer, events);
}
