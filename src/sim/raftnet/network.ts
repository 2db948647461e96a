/**
 * A seeded network for message-passing nodes on the virtual clock: latency and jitter, random
 * loss and duplication, optional reordering, named partitions, per-link drop and delay rules,
 * and nodes that crash, restart, pause and run fast or slow clocks. It plays the part of
 * etcd-io/raft's test networks (`raft_test.go`'s `network`: drop / cut / isolate / ignore /
 * recover; `rafttest/network.go`'s `raftNetwork`: drop rate, delay, disconnect; `rafttest/node.go`:
 * stop / restart / pause / resume), on virtual time instead of goroutines and sleeps.
 *
 * It knows nothing of raft: any message with `from`, `to` and `type` travels. Every random
 * choice comes from the injected generator, drawn in a fixed order per send (loss, duplicate,
 * latency, then the copy's latency), so one seed and one sequence of calls give one trace, byte
 * for byte.
 *
 * Invariants:
 * - A message is in exactly one place: in flight (a timer at `dueAt`), held at a paused node,
 *   or gone (delivered or dropped, with one `raftnet.deliver` or `raftnet.drop` event).
 * - Without `reorder`, messages on one link (from, to) arrive in the order they were sent:
 *   a message is never due before the one sent before it on the same link.
 * - A crashed node receives nothing; a paused node receives nothing until `resume`, then
 *   everything held, in send order.
 */
import { FakeClock, type Timer } from '../core/clock';
import { resolveEnv, type EnvConfig } from '../core/env';
import { EventEmitter } from '../core/events';
import { deepCopy } from '../core/object';
import type { Rng } from '../core/rng';
import type { JsonValue } from '../core/trace';
import { raftnetEvents, type DropReason } from './events';

/** What the network carries: anything addressed from one node id to another, with a type. */
export interface NetMessage {
  from: number;
  to: number;
  type: string;
}

/** How long a message takes: uniform whole milliseconds in `[min, max]`, or a function. */
export type Latency<M> = { min: number; max: number } | ((msg: M, rng: Rng) => number);

export interface NetworkConfig<M extends NetMessage> extends EnvConfig {
  /** Names the network in its events (default `net`). */
  name?: string;
  /** Default `{ min: 1, max: 5 }`. A function must return a finite number >= 0. */
  latencyMs?: Latency<M>;
  /** Probability that a message is lost on the way (default 0). */
  lossRate?: number;
  /** Probability that a message arrives twice (default 0); the copy has its own latency. */
  duplicateRate?: number;
  /**
   * Whether messages on one link may overtake each other (default false: each link is FIFO, as
   * raft's TCP streams are; true: each message's latency is its own, as UDP).
   */
  reorder?: boolean;
  /** Extra fields for trace events (e.g. `{ term, index }`), plain JSON. */
  detail?: (msg: M) => { [k: string]: JsonValue };
}

/** A node's condition. */
export type NodeState = 'up' | 'crashed' | 'paused';

/** A message the network holds: in flight, or waiting at a paused node. */
export interface InFlight<M> {
  id: number;
  /** The network's own copy (do not change it). */
  msg: M;
  sentAt: number;
  dueAt: number;
  /** For a duplicate, the id of the message it copies. */
  copyOf?: number;
  /** True while it waits at a paused node. */
  held: boolean;
}

/** Which messages a rule applies to: a field left out (or 0 / '') matches any. */
export interface LinkMatch {
  from?: number;
  to?: number;
  type?: string;
}

/** A rule that was added; `remove()` takes it away (false if it was already gone). */
export interface RuleHandle {
  id: number;
  remove(): boolean;
}

/** Counts since the network was made. */
export interface NetworkStats {
  sent: number;
  duplicated: number;
  delivered: number;
  dropped: Record<DropReason, number>;
}

interface Pending<M> {
  id: number;
  msg: M;
  sentAt: number;
  dueAt: number;
  copyOf?: number;
  timer?: Timer;
}

interface Rule {
  id: number;
  kind: 'drop' | 'delay';
  from: number;
  to: number;
  type: string;
  rate: number;
  delayMs: number;
}

/** The network. Nodes join with `register`; everything else is optional. */
export interface Network<M extends NetMessage> {
  readonly name: string;
  readonly clock: FakeClock;
  /** Delivers messages for node `id` to `deliver` (a node registered again replaces its handler). */
  register(id: number, deliver: (msg: M) => void): void;
  /** Node ids, in the order they registered. */
  nodes(): number[];
  /** Hands a message to the network; returns its id (a dropped message has one too). */
  send(msg: M): number;

  /** Splits the nodes into groups that cannot reach each other (nodes in no group are alone). */
  partition(groups: number[][], name?: string): void;
  /** Cuts one node off from all others (other groups stay as they are). */
  isolate(id: number): void;
  /** Removes every partition (rules stay). */
  heal(): void;
  /** Whether a message from `from` to `to` would pass the partition now. */
  connected(from: number, to: number): boolean;
  /** The current groups (empty when healed). */
  groups(): number[][];

  /** Drops messages matching `match`, each with probability `rate` (default 1). */
  drop(match: LinkMatch, rate?: number): RuleHandle;
  /** Cuts both directions between two nodes (raft_test.go's `cut`). */
  cut(one: number, other: number): RuleHandle[];
  /** Drops every message of a type (raft_test.go's `ignore`). */
  ignore(type: string): RuleHandle;
  /** Adds `ms` to the latency of messages matching `match`. */
  delay(match: LinkMatch, ms: number): RuleHandle;
  /** Removes every rule. */
  clearRules(): void;
  /** Changes the random loss rate (a nemesis turns loss on and off with it). */
  setLossRate(rate: number): void;
  lossRate(): number;
  /** Removes every partition and every rule (raft_test.go's `recover`). */
  recover(): void;

  /** Crashes a node: messages reaching it are lost, those held for it too, until `restart`. */
  crash(id: number): void;
  /** Brings a crashed node back. */
  restart(id: number): void;
  /** Pauses a node: messages reaching it wait. */
  pause(id: number): void;
  /** Resumes a paused node and delivers what waited, in send order. */
  resume(id: number): void;
  state(id: number): NodeState;

  /** Sets a node's clock rate (1 = true time, 1.1 = 10% fast); the cluster ticks by it. */
  skew(id: number, rate: number): void;
  clockRate(id: number): number;
  /** How often a node with this network's skew ticks, for a nominal `intervalMs`. */
  tickIntervalMs(id: number, intervalMs: number): number;

  /** Messages in flight or held, by due time then id. */
  inFlight(): Array<InFlight<M>>;
  /** Drops one message in flight or held; false when there is no such message. */
  dropMessage(id: number): boolean;
  stats(): NetworkStats;
}

/** A new network on `cfg`'s clock, drawing from `cfg.rng` (default: the environment's, forked `raftnet`). */
export function newNetwork<M extends NetMessage>(cfg: NetworkConfig<M> = {}): Network<M> {
  const env = resolveEnv(cfg);
  const rng = cfg.rng ?? env.rng.fork('raftnet');
  const clock = env.clock;
  const name = cfg.name ?? 'net';
  const latency = checkLatency(cfg.latencyMs ?? { min: 1, max: 5 });
  let lossRate = checkRate('newNetwork: lossRate', cfg.lossRate ?? 0);
  const duplicateRate = checkRate('newNetwork: duplicateRate', cfg.duplicateRate ?? 0);
  const reorder = cfg.reorder ?? false;
  const detailOf = cfg.detail ?? (() => ({}));
  const events = new EventEmitter(raftnetEvents, env, { net: name });

  const handlers = new Map<number, (msg: M) => void>();
  const states = new Map<number, NodeState>();
  const rates = new Map<number, number>();
  const inflight = new Map<number, Pending<M>>();
  const held = new Map<number, Array<Pending<M>>>();
  /** Latest due time per link, for FIFO links. */
  const lastDue = new Map<string, number>();
  const rules: Rule[] = [];
  let group: Map<number, number> | undefined;
  let groupCount = 0;
  let nextId = 1;
  let nextRule = 1;
  const stats: NetworkStats = {
    sent: 0,
    duplicated: 0,
    delivered: 0,
    dropped: { loss: 0, partition: 0, rule: 0, crashed: 0, manual: 0, unknownNode: 0 },
  };

  events.emit('raftnet.new', {
    latencyMinMs: typeof latency === 'function' ? -1 : latency.min,
    latencyMaxMs: typeof latency === 'function' ? -1 : latency.max,
    lossRate,
    duplicateRate,
    reorder,
  });

  const stateOf = (id: number): NodeState => states.get(id) ?? 'up';
  const msgFields = (p: Pending<M>) => ({ msgId: p.id, from: p.msg.from, to: p.msg.to, msgType: p.msg.type, detail: events.recording ? detailOf(p.msg) : {} });

  function emitDrop(p: Pending<M>, reason: DropReason, rule = 0): void {
    stats.dropped[reason]++;
    if (events.recording) events.emit('raftnet.drop', { ...msgFields(p), reason, rule });
  }

  function connected(from: number, to: number): boolean {
    if (from === to || group === undefined) return true;
    const a = group.get(from);
    return a !== undefined && a === group.get(to);
  }

  function matches(r: Rule, msg: M): boolean {
    return (r.from === 0 || r.from === msg.from) && (r.to === 0 || r.to === msg.to) && (r.type === '' || r.type === msg.type);
  }

  function drawLatency(msg: M): number {
    if (typeof latency === 'function') {
      const ms = latency(msg, rng);
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError(`newNetwork: latencyMs(msg) must return a finite number >= 0, got ${String(ms)}`);
      return ms;
    }
    return latency.min + rng.int(latency.max - latency.min + 1);
  }

  /** Puts a message on the wire: its due time (rules' delays, FIFO per link) and its timer. */
  function launch(p: Pending<M>, baseLatency: number): void {
    let due = clock.now() + baseLatency;
    for (const r of rules) if (r.kind === 'delay' && matches(r, p.msg)) due += r.delayMs;
    if (!reorder) {
      const key = `${p.msg.from}>${p.msg.to}`;
      due = Math.max(due, lastDue.get(key) ?? -Infinity);
      lastDue.set(key, due);
    }
    p.dueAt = due;
    inflight.set(p.id, p);
    p.timer = clock.afterAt(due, () => arrive(p));
  }

  // Upstream: rafttest/network.go (raftNetwork.send), raft_test.go (network.filter)
  function send(msg: M): number {
    checkMessage(msg);
    const p: Pending<M> = { id: nextId++, msg: deepCopy(msg), sentAt: clock.now(), dueAt: clock.now() };
    stats.sent++;
    // The draws come first and always, so a fault that drops this message does not shift the
    // random numbers of the messages after it.
    const lost = rng.float() < lossRate;
    const duplicated = rng.float() < duplicateRate;
    const base = drawLatency(p.msg);
    const copyLatency = duplicated ? drawLatency(p.msg) : 0;

    let reason: DropReason | undefined;
    let rule = 0;
    if (stateOf(msg.from) === 'crashed') reason = 'crashed';
    else if (!connected(msg.from, msg.to)) reason = 'partition';
    else {
      for (const r of rules) {
        if (r.kind === 'drop' && matches(r, p.msg) && (r.rate >= 1 || rng.float() < r.rate)) {
          reason = 'rule';
          rule = r.id;
          break;
        }
      }
      if (reason === undefined && lost) reason = 'loss';
    }
    if (reason !== undefined) {
      if (events.recording) events.emit('raftnet.send', { ...msgFields(p), sentAt: p.sentAt, dueAt: p.sentAt });
      emitDrop(p, reason, rule);
      return p.id;
    }
    launch(p, base);
    if (events.recording) events.emit('raftnet.send', { ...msgFields(p), sentAt: p.sentAt, dueAt: p.dueAt });
    if (duplicated) {
      const copy: Pending<M> = { id: nextId++, msg: deepCopy(p.msg), sentAt: p.sentAt, dueAt: p.sentAt, copyOf: p.id };
      stats.duplicated++;
      launch(copy, copyLatency);
      if (events.recording) events.emit('raftnet.duplicate', { ...msgFields(copy), copyOf: p.id, sentAt: copy.sentAt, dueAt: copy.dueAt });
    }
    return p.id;
  }

  function arrive(p: Pending<M>): void {
    inflight.delete(p.id);
    p.timer = undefined;
    const to = p.msg.to;
    if (!handlers.has(to)) return emitDrop(p, 'unknownNode');
    const st = stateOf(to);
    if (st === 'crashed') return emitDrop(p, 'crashed');
    if (!connected(p.msg.from, to)) return emitDrop(p, 'partition');
    if (st === 'paused') {
      const list = held.get(to);
      if (list) list.push(p);
      else held.set(to, [p]);
      if (events.recording) events.emit('raftnet.hold', { ...msgFields(p), sentAt: p.sentAt });
      return;
    }
    deliver(p, false);
  }

  function deliver(p: Pending<M>, wasHeld: boolean): void {
    stats.delivered++;
    if (events.recording) events.emit('raftnet.deliver', { ...msgFields(p), sentAt: p.sentAt, held: wasHeld });
    handlers.get(p.msg.to)!(p.msg);
  }

  function addRule(kind: 'drop' | 'delay', match: LinkMatch, rate: number, delayMs: number): RuleHandle {
    const r: Rule = { id: nextRule++, kind, from: match.from ?? 0, to: match.to ?? 0, type: match.type ?? '', rate, delayMs };
    rules.push(r);
    events.emit('raftnet.rule', { rule: r.id, kind, from: r.from, to: r.to, msgType: r.type, rate, delayMs });
    return {
      id: r.id,
      remove: () => {
        const i = rules.indexOf(r);
        if (i < 0) return false;
        rules.splice(i, 1);
        events.emit('raftnet.unrule', { rule: r.id });
        return true;
      },
    };
  }

  function requireNode(method: string, id: number): void {
    if (!handlers.has(id)) throw new Error(`${method}(${id}): no node ${id} is registered (nodes: ${[...handlers.keys()].join(', ') || 'none'})`);
  }

  function setGroups(groups: number[][], label: string): void {
    group = new Map();
    groupCount = 0;
    for (const g of groups) {
      const index = groupCount++;
      for (const id of g) {
        if (group.has(id)) throw new Error(`partition: node ${id} is in two groups`);
        group.set(id, index);
      }
    }
    events.emit('raftnet.partition', { name: label, groups: currentGroups() });
  }

  function heal(): void {
    group = undefined;
    events.emit('raftnet.heal', {});
  }

  function clearRules(): void {
    for (const r of rules.splice(0)) events.emit('raftnet.unrule', { rule: r.id });
  }

  function currentGroups(): number[][] {
    if (group === undefined) return [];
    const byIndex = new Map<number, number[]>();
    for (const [id, index] of group) {
      const list = byIndex.get(index);
      if (list) list.push(id);
      else byIndex.set(index, [id]);
    }
    return [...byIndex.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
  }

  return {
    name,
    clock,
    register(id, deliverFn) {
      checkNodeId('register', id);
      if (typeof deliverFn !== 'function') throw new TypeError(`register(${id}): deliver must be a function`);
      handlers.set(id, deliverFn);
    },
    nodes: () => [...handlers.keys()],
    send,

    // Upstream: raft_test.go (network.cut, network.isolate)
    partition(groups, label = '') {
      if (!Array.isArray(groups) || groups.some((g) => !Array.isArray(g))) throw new TypeError('partition: groups must be an array of arrays of node ids, e.g. [[1, 2], [3, 4, 5]]');
      for (const g of groups) for (const id of g) checkNodeId('partition', id);
      setGroups(groups, label);
    },
    isolate(id) {
      checkNodeId('isolate', id);
      const groups = group === undefined ? [[...handlers.keys()]] : currentGroups();
      const rest = groups.map((g) => g.filter((n) => n !== id)).filter((g) => g.length > 0);
      setGroups([...rest, [id]], `isolate ${id}`);
    },
    // Upstream: raft_test.go (network.recover), for partitions only
    heal,
    connected,
    groups: currentGroups,

    // Upstream: raft_test.go (network.drop)
    drop(match, rate = 1) {
      return addRule('drop', match, checkRate('drop: rate', rate), 0);
    },
    cut(one, other) {
      return [addRule('drop', { from: one, to: other }, 1, 0), addRule('drop', { from: other, to: one }, 1, 0)];
    },
    // Upstream: raft_test.go (network.ignore)
    ignore(type) {
      return addRule('drop', { type }, 1, 0);
    },
    // Upstream: rafttest/network.go (raftNetwork.delay)
    delay(match, ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError(`delay: ms must be a finite number >= 0, got ${String(ms)}`);
      return addRule('delay', match, 1, ms);
    },
    clearRules,
    setLossRate(rate) {
      lossRate = checkRate('setLossRate: rate', rate);
      events.emit('raftnet.loss', { rate });
    },
    lossRate: () => lossRate,
    // Upstream: raft_test.go (network.recover)
    recover() {
      heal();
      clearRules();
    },

    // Upstream: rafttest/node.go (node.stop)
    crash(id) {
      requireNode('crash', id);
      states.set(id, 'crashed');
      events.emit('raftnet.crash', { node: id });
      const waiting = held.get(id) ?? [];
      held.delete(id);
      for (const p of waiting) emitDrop(p, 'crashed');
    },
    // Upstream: rafttest/node.go (node.restart)
    restart(id) {
      requireNode('restart', id);
      if (stateOf(id) !== 'crashed') throw new Error(`restart(${id}): node ${id} is ${stateOf(id)}, not crashed`);
      states.set(id, 'up');
      events.emit('raftnet.restart', { node: id });
    },
    // Upstream: rafttest/node.go (node.pause)
    pause(id) {
      requireNode('pause', id);
      if (stateOf(id) !== 'up') throw new Error(`pause(${id}): node ${id} is ${stateOf(id)}, not up`);
      states.set(id, 'paused');
      events.emit('raftnet.pause', { node: id });
    },
    // Upstream: rafttest/node.go (node.resume): the held messages are stepped in order
    resume(id) {
      requireNode('resume', id);
      if (stateOf(id) !== 'paused') throw new Error(`resume(${id}): node ${id} is ${stateOf(id)}, not paused`);
      states.set(id, 'up');
      const waiting = (held.get(id) ?? []).sort((a, b) => a.id - b.id);
      held.delete(id);
      events.emit('raftnet.resume', { node: id, released: waiting.length });
      for (const p of waiting) {
        // A handler may crash or pause the node again: what is left waits or is lost as usual.
        const st = stateOf(id);
        if (st === 'crashed') emitDrop(p, 'crashed');
        else if (st === 'paused') held.set(id, [...(held.get(id) ?? []), p]);
        else deliver(p, true);
      }
    },
    state: (id) => stateOf(id),

    skew(id, rate) {
      requireNode('skew', id);
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) throw new RangeError(`skew(${id}): rate must be a finite number > 0, got ${String(rate)}`);
      rates.set(id, rate);
      events.emit('raftnet.skew', { node: id, rate });
    },
    clockRate: (id) => rates.get(id) ?? 1,
    tickIntervalMs: (id, intervalMs) => intervalMs / (rates.get(id) ?? 1),

    inFlight() {
      const out: Array<InFlight<M>> = [];
      const view = (p: Pending<M>, isHeld: boolean): InFlight<M> => {
        const v: InFlight<M> = { id: p.id, msg: p.msg, sentAt: p.sentAt, dueAt: p.dueAt, held: isHeld };
        if (p.copyOf !== undefined) v.copyOf = p.copyOf;
        return v;
      };
      for (const p of inflight.values()) out.push(view(p, false));
      for (const list of held.values()) for (const p of list) out.push(view(p, true));
      return out.sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
    },
    dropMessage(id) {
      const p = inflight.get(id);
      if (p) {
        inflight.delete(id);
        p.timer?.stop();
        emitDrop(p, 'manual');
        return true;
      }
      for (const [node, list] of held) {
        const i = list.findIndex((x) => x.id === id);
        if (i >= 0) {
          const [q] = list.splice(i, 1);
          if (list.length === 0) held.delete(node);
          emitDrop(q, 'manual');
          return true;
        }
      }
      return false;
    },
    stats: () => ({ ...stats, dropped: { ...stats.dropped } }),
  };
}

function checkRate(what: string, rate: number): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new RangeError(`${what} must be a number in [0, 1], got ${String(rate)}`);
  return rate;
}

function checkLatency<M>(latency: Latency<M>): Latency<M> {
  if (typeof latency === 'function') return latency;
  const { min, max } = latency ?? ({} as { min: number; max: number });
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
    throw new RangeError(`newNetwork: latencyMs must be { min, max } with whole milliseconds 0 <= min <= max, or a function; got ${JSON.stringify(latency)}`);
  }
  return latency;
}

function checkNodeId(method: string, id: number): void {
  if (!Number.isInteger(id) || id <= 0) throw new RangeError(`${method}: node ids are whole numbers > 0 (raft's None is 0), got ${String(id)}`);
}

function checkMessage(msg: NetMessage): void {
  if (msg === null || typeof msg !== 'object') throw new TypeError(`send: expected a message { from, to, type }, got ${String(msg)}`);
  checkNodeId('send: msg.from', msg.from);
  checkNodeId('send: msg.to', msg.to);
  if (typeof msg.type !== 'string' || msg.type === '') throw new TypeError(`send: msg.type must be a non-empty string, got ${String(msg.type)}`);
}

