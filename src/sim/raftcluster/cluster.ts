/**
 * A minimal raft cluster: N RawNodes, each with its MemoryStorage, talking over a raftnet
 * network on a FakeClock. Each node is ticked every `tickMs` (scaled by its clock rate on the
 * network) and handles every Ready as etcd's raft node does (server/etcdserver/raft.go,
 * raftNode.start): persist the snapshot, entries and HardState, send the messages, apply the
 * committed entries, advance. After every step (a tick, a delivered message, a proposal) the
 * safety checker observes the live nodes.
 *
 * A crash loses the node's RawNode and its applied state; its storage (everything it persisted)
 * survives, and a restart builds a new RawNode from it, which re-applies the committed entries.
 */
import { resolveEnv, type EnvConfig, type SimEnv } from '../core/env';
import { deepCopy } from '../core/object';
import type { Rng } from '../core/rng';
import type { Timer } from '../core/clock';
import { applyAction, type NemesisAction, type NemesisTarget } from '../check/nemesis';
import { newSafetyChecker, raftView, type SafetyChecker, type SafetyViolation } from '../check/raft_safety';
import { newNetwork, type Network, type NetworkConfig } from '../raftnet/network';
import { isEmptySnap, unmarshalConfChange, type Entry, type Message } from '../raft/raftpb';
import type { RaftConfig } from '../raft/raft';
import { newRawNode, type RawNode } from '../raft/rawnode';
import { newMemoryStorage, type MemoryStorage } from '../raft/storage';

/** One entry as the cluster's state machine applied it. */
export interface AppliedEntry {
  index: number;
  term: number;
  data: string;
}

export interface RaftClusterConfig extends EnvConfig {
  /** Member ids (default 1..size). */
  members?: number[];
  /** Number of members when `members` is not given (default 3). */
  size?: number;
  /** Virtual ms between ticks at clock rate 1 (default 100, etcd's --heartbeat-interval). */
  tickMs?: number;
  /** Default 10 (etcd: election timeout 1000 ms / heartbeat 100 ms). */
  electionTick?: number;
  /** Default 1. */
  heartbeatTick?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  /** The network's options (latency, loss, ...); its env is the cluster's. */
  network?: Omit<NetworkConfig<Message>, keyof EnvConfig>;
  /** More of each node's raft config: a lab's `rules`, message and inflight limits. */
  raft?: Pick<RaftConfig, 'rules' | 'maxSizePerMsg' | 'maxInflightMsgs'>;
  /** On a safety violation: throw (default) or only record it in `violations`. */
  onViolation?: 'throw' | 'record';
}

/** What a proposal became: `dropped` (no leader, or the leader refused it) or where it went. */
export type ProposeResult = { ok: true; leader: number; index: number; term: number } | { ok: false; error: string };

/** A proposal that was appended by a leader, and whether that leader applied it (acknowledged). */
export interface Proposal {
  data: string;
  leader: number;
  index: number;
  term: number;
  acked: boolean;
}

interface Member {
  id: number;
  storage: MemoryStorage;
  node: RawNode | undefined;
  applied: AppliedEntry[];
  paused: boolean;
  incarnation: number;
  timer: Timer | undefined;
}

export class RaftCluster implements NemesisTarget {
  readonly env: SimEnv;
  readonly net: Network<Message>;
  readonly checker: SafetyChecker;
  readonly tickMs: number;
  readonly proposals: Proposal[] = [];
  readonly #members = new Map<number, Member>();
  readonly #cfg: RaftClusterConfig;
  readonly #rng: Rng;
  readonly #onViolation: 'throw' | 'record';

  constructor(cfg: RaftClusterConfig = {}) {
    this.#cfg = cfg;
    this.env = resolveEnv(cfg);
    this.#rng = this.env.rng.fork('raftcluster');
    this.tickMs = cfg.tickMs ?? 100;
    this.#onViolation = cfg.onViolation ?? 'throw';
    const ids = cfg.members ?? Array.from({ length: cfg.size ?? 3 }, (_, i) => i + 1);
    if (ids.length === 0) throw new RangeError('newRaftCluster: at least one member');
    this.net = newNetwork<Message>({ latencyMs: { min: 1, max: 10 }, detail: (m) => ({ term: m.term, index: m.index, entries: m.entries.length }), ...cfg.network, env: this.env, rng: this.env.rng.fork('raftnet') });
    this.checker = newSafetyChecker();
    for (const id of ids) {
      const m: Member = { id, storage: newMemoryStorage({ peers: ids }), node: undefined, applied: [], paused: false, incarnation: 0, timer: undefined };
      this.#members.set(id, m);
      this.net.register(id, (msg) => this.#deliver(m, msg));
    }
    for (const m of this.#members.values()) this.#boot(m);
  }

  get clock() {
    return this.env.clock;
  }

  /** Safety violations seen so far. */
  get violations(): SafetyViolation[] {
    return this.checker.violations;
  }

  members(): number[] {
    return [...this.#members.keys()];
  }

  /** The node's RawNode (undefined while crashed). */
  node(id: number): RawNode | undefined {
    return this.#member(id).node;
  }

  /** What the node's state machine applied, in order. */
  applied(id: number): readonly AppliedEntry[] {
    return this.#member(id).applied;
  }

  /** The live leader with the highest term (undefined when none). */
  leader(): number | undefined {
    let best: { id: number; term: number } | undefined;
    for (const m of this.#members.values()) {
      const r = m.node?.raft;
      if (!r || m.paused || r.state !== 'StateLeader') continue;
      if (!best || r.term > best.term) best = { id: m.id, term: r.term };
    }
    return best?.id;
  }

  /** Proposes `data` through the current leader. */
  propose(data: string): ProposeResult {
    const id = this.leader();
    if (id === undefined) return { ok: false, error: 'no leader' };
    const m = this.#member(id);
    const r = m.node!.raft;
    const before = r.raftLog.lastIndex();
    const err = m.node!.propose(data);
    if (err) return { ok: false, error: err.message };
    const index = r.raftLog.lastIndex();
    if (index === before) return { ok: false, error: 'dropped' };
    const p: Proposal = { data, leader: id, index, term: r.term, acked: false };
    this.proposals.push(p);
    this.#process(m);
    return { ok: true, leader: id, index, term: p.term };
  }

  /** The node starts an election now (RawNode.Campaign), as if its election timeout fired. */
  campaign(id: number): void {
    const m = this.#member(id);
    if (!m.node) throw new RangeError(`raftcluster: member ${id} is down`);
    m.node.campaign();
    this.#process(m);
  }

  /** The node stops: its RawNode and applied state are lost, its storage stays. */
  crash(id: number): void {
    const m = this.#member(id);
    this.net.crash(id);
    m.timer?.stop();
    m.timer = undefined;
    m.node = undefined;
    m.applied = [];
    m.paused = false;
  }

  /** A crashed node comes back from its storage. */
  restart(id: number): void {
    const m = this.#member(id);
    if (m.node) return;
    this.net.restart(id);
    this.#boot(m);
  }

  /** The node's process is paused: no ticks, messages wait (see raftnet's pause). */
  pause(id: number): void {
    const m = this.#member(id);
    if (!m.node) return;
    m.paused = true;
    this.net.pause(id);
  }

  resume(id: number): void {
    const m = this.#member(id);
    if (!m.paused) return;
    m.paused = false;
    this.net.resume(id);
  }

  partition(groups: number[][], name?: string): void {
    this.net.partition(groups, name);
  }

  heal(): void {
    this.net.heal();
  }

  skew(id: number, rate: number): void {
    this.net.skew(id, rate);
  }

  setLossRate(rate: number): void {
    this.net.setLossRate(rate);
  }

  /** Does a nemesis action (crash / restart / pause / resume on the cluster, the rest on the network). */
  apply(action: NemesisAction): void {
    applyAction(this, action);
  }

  /** Runs the clock for `ms`. */
  run(ms: number): void {
    this.clock.step(ms);
  }

  /** Runs in steps of one tick until `pred()` holds (true) or `maxMs` passed (false). */
  runUntil(pred: () => boolean, maxMs = 30_000): boolean {
    const end = this.clock.now() + maxMs;
    while (!pred()) {
      if (this.clock.now() >= end) return false;
      this.clock.step(Math.min(this.tickMs, end - this.clock.now()));
    }
    return true;
  }

  #member(id: number): Member {
    const m = this.#members.get(id);
    if (!m) throw new RangeError(`raftcluster: no member ${id} (members: ${this.members().join(', ')})`);
    return m;
  }

  // Upstream: etcd server/etcdserver/bootstrap.go (bootstrappedRaft.newRaftNode: a member restarting from what it persisted)
  #boot(m: Member): void {
    m.incarnation++;
    const cfg = this.#cfg;
    m.node = newRawNode({
      id: m.id,
      storage: m.storage,
      electionTick: cfg.electionTick ?? 10,
      heartbeatTick: cfg.heartbeatTick ?? 1,
      preVote: cfg.preVote,
      checkQuorum: cfg.checkQuorum,
      ...cfg.raft,
      env: this.env,
      rng: this.#rng.fork(`raft/${m.id}/${m.incarnation}`),
    });
    m.applied = [];
    this.#process(m);
    this.#armTick(m);
  }

  #armTick(m: Member): void {
    m.timer = this.clock.afterFunc(this.net.tickIntervalMs(m.id, this.tickMs), () => {
      m.timer = undefined;
      if (!m.node) return;
      if (!m.paused) {
        m.node.tick();
        this.#process(m);
      }
      this.#armTick(m);
    });
  }

  #deliver(m: Member, msg: Message): void {
    if (!m.node) return;
    m.node.step(msg); // errors (a response from an unknown peer) are dropped, as etcd does
    this.#process(m);
  }

  /** Handles every pending Ready, then checks safety. Upstream: etcd server/etcdserver/raft.go (raftNode.start) */
  #process(m: Member): void {
    const rn = m.node;
    if (!rn) return;
    while (rn.hasReady()) {
      const rd = rn.ready();
      // Persist before sending (etcd's followers do; its leader may send first, in parallel).
      if (!isEmptySnap(rd.snapshot)) m.storage.applySnapshot(rd.snapshot);
      if (rd.entries.length > 0) m.storage.append(rd.entries);
      if (rd.hardState.term !== 0 || rd.hardState.vote !== 0 || rd.hardState.commit !== 0) m.storage.setHardState(rd.hardState);
      for (const msg of rd.messages) this.net.send(deepCopy(msg));
      if (!isEmptySnap(rd.snapshot)) m.applied = [];
      for (const e of rd.committedEntries) this.#applyEntry(m, rn, e);
      rn.advance(rd);
    }
    this.#check();
  }

  #applyEntry(m: Member, rn: RawNode, e: Entry): void {
    if (e.type === 'EntryConfChange' || e.type === 'EntryConfChangeV2') {
      rn.applyConfChange(unmarshalConfChange(e.data));
      return;
    }
    if (e.data === undefined || e.data === '') return; // a new leader's empty entry
    m.applied.push({ index: e.index, term: e.term, data: e.data });
    for (const p of this.proposals) {
      if (!p.acked && p.leader === m.id && p.index === e.index && p.term === e.term && p.data === e.data) p.acked = true;
    }
  }

  #check(): void {
    const views = [];
    for (const m of this.#members.values()) if (m.node) views.push(raftView(m.node.raft));
    const found = this.checker.observe(views, this.clock.now());
    if (found.length > 0 && this.#onViolation === 'throw') {
      throw new Error(`raft safety violated at ${this.clock.now()} ms: ${found.map((v) => `${v.property}: ${v.message}`).join('; ')}`);
    }
  }
}

/** A new cluster; its nodes start ticking on the clock at once. */
export function newRaftCluster(cfg: RaftClusterConfig = {}): RaftCluster {
  return new RaftCluster(cfg);
}
