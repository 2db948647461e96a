/**
 * A raft cluster: N RawNodes, each with its MemoryStorage and its disk (WAL + snapshot files),
 * talking over a raftnet network on a FakeClock. Each node is ticked every `tickMs` (scaled by its
 * clock rate on the network) and handles every Ready as etcd's raftNode.start does
 * (server/etcdserver/raft.go): a leader sends its messages first, then the Ready is written to
 * the WAL and fsynced (`MustSync`), followers send theirs once it is durable, the committed
 * entries go to the member's application, `Advance`. While an fsync is under way the node keeps
 * ticking and stepping messages; its next Ready waits for the Advance. After every step (a tick,
 * a delivered message, a proposal) the safety checker observes the live nodes.
 *
 * The application of each member comes from `cfg.app` (default: the applied-entry log); every
 * 100 applied entries it is snapshotted into the raft storage, every `snapshotCount` to disk, and
 * the raft log is compacted to `snapshotCatchUpEntries` behind (server.go, snapshot /
 * compactRaftLog), so a member too far behind gets MsgSnap and restores its application from it.
 *
 * A crash loses the node, its application and the unsynced tail of its WAL; a restart reads its
 * disk back (newest snapshot, then the WAL after it), restores the application from the
 * snapshot and re-applies the committed entries after it.
 */
import { resolveEnv, type SimEnv } from '../core/env';
import { deepCopy } from '../core/object';
import { EventEmitter } from '../core/events';
import type { Rng } from '../core/rng';
import type { Timer } from '../core/clock';
import { applyAction, type NemesisAction, type NemesisTarget } from '../check/nemesis';
import { newSafetyChecker, raftView, type SafetyChecker, type SafetyViolation } from '../check/raft_safety';
import { newNetwork, type Network } from '../raftnet/network';
import { isEmptyHardState, isEmptySnap, unmarshalConfChange, type ConfChange, type ConfState, type Entry, type Message } from '../raft/raftpb';
import { newRawNode, type RawNode, type Ready } from '../raft/rawnode';
import { newMemoryStorage, type MemoryStorage } from '../raft/storage';
import { bootstrap } from './bootstrap';
import {
  DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES,
  DEFAULT_SNAPSHOT_COUNT,
  ERR_LEARNER_NOT_READY,
  MEMORY_SNAPSHOT_COUNT,
  READY_PERCENT_THRESHOLD,
  type AppliedEntry,
  type Proposal,
  type ProposeResult,
  type RaftApp,
  type RaftClusterConfig,
} from './types';

import { Disk } from './disk';
import { diskEvents, type DiskEventMap } from './events';
import { raftcheckEvents, type RaftcheckEventMap } from '../check/events';

export { DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES, DEFAULT_SNAPSHOT_COUNT, ERR_LEARNER_NOT_READY, MEMORY_SNAPSHOT_COUNT, type AppliedEntry, type Proposal, type ProposeResult, type RaftApp, type RaftClusterConfig };

interface Member {
  id: number;
  /** Initial members bootstrap the log with the peers (StartNode); joining ones start empty. */
  boot: { peers?: number[] };
  storage: MemoryStorage;
  disk: Disk;
  node: RawNode | undefined;
  app: RaftApp | undefined;
  applied: AppliedEntry[];
  confState: ConfState;
  paused: boolean;
  removed: boolean;
  incarnation: number;
  timer: Timer | undefined;
  /** Inside #process (an application reacting to a Ready may propose: the loop picks it up). */
  processing: boolean;
  /** A Ready being saved (its fsync under way): no new Ready until it is advanced. */
  saving: { timer: Timer | undefined; finish: () => void; synced: boolean } | undefined;
  memorySnapshotIndex: number;
  diskSnapshotIndex: number;
  /** MsgSnap sent and not yet reported (compaction pauses meanwhile). */
  inflightSnapshots: Set<string>;
}

/** The snapshot data a member's application and applied log go into. */
interface SnapshotData {
  applied: readonly AppliedEntry[];
  app?: unknown;
}

export class RaftCluster implements NemesisTarget {
  readonly env: SimEnv;
  readonly net: Network<Message>;
  readonly checker: SafetyChecker;
  readonly tickMs: number;
  readonly electionTick: number;
  readonly snapshotCount: number;
  readonly snapshotCatchUpEntries: number;
  readonly memorySnapshotCount: number;
  readonly proposals: Proposal[] = [];
  readonly #members = new Map<number, Member>();
  /** Snapshot payloads (the application's state and applied log) by the key in Snapshot.data. */
  readonly #snapshots = new Map<string, SnapshotData>();
  readonly #cfg: RaftClusterConfig;
  readonly #rng: Rng;
  readonly #diskRng: Rng;
  readonly #onViolation: 'throw' | 'record';
  readonly #disk: EventEmitter<DiskEventMap, Record<string, never>>;
  readonly #raftcheck: EventEmitter<RaftcheckEventMap, Record<string, never>>;

  constructor(cfg: RaftClusterConfig = {}) {
    this.#cfg = cfg;
    this.env = resolveEnv(cfg);
    this.#rng = this.env.rng.fork('raftcluster');
    this.#diskRng = this.env.rng.fork('disk');
    this.tickMs = cfg.tickMs ?? 100;
    this.electionTick = cfg.electionTick ?? 10;
    this.snapshotCount = cfg.snapshotCount ?? DEFAULT_SNAPSHOT_COUNT;
    this.snapshotCatchUpEntries = cfg.snapshotCatchUpEntries ?? DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES;
    this.memorySnapshotCount = cfg.memorySnapshotCount ?? MEMORY_SNAPSHOT_COUNT;
    this.#onViolation = cfg.onViolation ?? 'throw';
    this.#disk = new EventEmitter(diskEvents, this.env, {});
    this.#raftcheck = new EventEmitter(raftcheckEvents, this.env, {});
    const ids = cfg.members ?? Array.from({ length: cfg.size ?? 3 }, (_, i) => i + 1);
    if (ids.length === 0) throw new RangeError('newRaftCluster: at least one member');
    this.net = newNetwork<Message>({ latencyMs: { min: 1, max: 10 }, detail: (m) => ({ term: m.term, index: m.index, entries: m.entries.length }), ...cfg.network, env: this.env, rng: this.env.rng.fork('raftnet') });
    this.checker = newSafetyChecker();
    for (const id of ids) this.#add(id, { peers: ids });
    for (const id of ids) this.#boot(this.#member(id));
  }

  get clock() {
    return this.env.clock;
  }

  /** Safety violations seen so far. */
  get violations(): SafetyViolation[] {
    return this.checker.violations;
  }

  /** The members (not removed ones), in the order they joined. */
  members(): number[] {
    return [...this.#members.values()].filter((m) => !m.removed).map((m) => m.id);
  }

  /** The node's RawNode (undefined while crashed or once removed). */
  node(id: number): RawNode | undefined {
    return this.#member(id).node;
  }

  /** What the node's state machine applied, in order (restored from snapshots). */
  applied(id: number): readonly AppliedEntry[] {
    return this.#member(id).applied;
  }

  /** The member's application (undefined while crashed, or without `cfg.app`). */
  app(id: number): RaftApp | undefined {
    return this.#member(id).app;
  }

  /** The member's disk (WAL and snapshot files). */
  disk(id: number): Disk {
    return this.#member(id).disk;
  }

  /** The member's raft storage (MemoryStorage, rebuilt from disk on restart). */
  storage(id: number): MemoryStorage {
    return this.#member(id).storage;
  }

  /** Whether the member was removed from the cluster (it stopped). */
  removed(id: number): boolean {
    return this.#member(id).removed;
  }

  /** Whether the member's process ever started (a member added with `start: false` has not). */
  started(id: number): boolean {
    return this.#member(id).incarnation > 0;
  }

  /** Whether the member is paused. */
  paused(id: number): boolean {
    return this.#member(id).paused;
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

  /**
   * Proposes `data` on member `id` as etcd's server does (raft forwards it to the leader when
   * the member follows). Returns raft's error (ErrProposalDropped: no leader known).
   */
  proposeOn(id: number, data: string): string | undefined {
    const m = this.#member(id);
    if (!m.node) return 'etcdserver: server stopped';
    if (m.paused) return undefined; // the frozen process never gets to it: the caller times out
    const err = m.node.propose(data);
    this.#process(m);
    return err?.message;
  }

  /** Asks member `id` for a read index (the answer comes to its app's `ready` as a ReadState). */
  readIndex(id: number, rctx: string): void {
    const m = this.#member(id);
    if (!m.node || m.paused) return;
    m.node.readIndex(rctx);
    this.#process(m);
  }

  /** The node stops: its RawNode, application and unsynced WAL tail are lost; its synced disk stays. */
  crash(id: number): void {
    const m = this.#member(id);
    if (m.removed) return;
    this.net.crash(id);
    this.#stop(m);
    const lost = m.disk.crash();
    const ents = lost.flatMap((r) => (r.kind === 'entry' ? [r.entry.index] : []));
    this.#disk.emit('disk.crashLoss', { node: id, records: lost.length, entries: ents.length, lostFrom: ents[0] ?? 0, lostTo: ents[ents.length - 1] ?? 0, hardStates: lost.filter((r) => r.kind === 'state').length });
  }

  /** A crashed node comes back from its disk. */
  restart(id: number): void {
    const m = this.#member(id);
    if (m.node || m.removed) return;
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
    this.#process(m);
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

  /**
   * Adds a member (or a learner) through a conf change proposed to the leader; the new member
   * boots with an empty log and catches up from the leader (entries, or a snapshot).
   * Upstream: server.go (EtcdServer.AddMember), bootstrap.go (a member joining an existing cluster)
   */
  addMember(id: number, opts: { learner?: boolean; start?: boolean } = {}): ProposeResult {
    const known = this.#members.get(id);
    if (known?.removed) return { ok: false, error: 'membership: ID removed' };
    if (known) return { ok: false, error: 'membership: ID exists' };
    const res = this.#proposeConfChange({ type: opts.learner ? 'ConfChangeAddLearnerNode' : 'ConfChangeAddNode', nodeId: id });
    if (!res.ok) return res;
    this.#add(id, {});
    // start: false registers the member as etcdctl member add does; restart(id) starts it later.
    if (opts.start !== false) this.#boot(this.#member(id));
    else this.net.crash(id);
    return res;
  }

  /** Removes a member through a conf change; it stops once the removal is applied. Upstream: server.go (RemoveMember) */
  removeMember(id: number): ProposeResult {
    const m = this.#members.get(id);
    // Upstream: api/membership/errors.go (ErrIDNotFound, ErrIDRemoved)
    if (!m) return { ok: false, error: 'membership: ID not found' };
    if (m.removed) return { ok: false, error: 'membership: ID removed' };
    return this.#proposeConfChange({ type: 'ConfChangeRemoveNode', nodeId: id });
  }

  /** Promotes a learner that is in sync with the leader to a voter. Upstream: server.go (PromoteMember, isLearnerReady) */
  promoteMember(id: number): ProposeResult {
    const lead = this.leader();
    if (lead === undefined) return { ok: false, error: 'etcdserver: no leader' };
    const r = this.node(lead)!.raft;
    const pr = r.prs.get(id);
    if (!pr || !pr.isLearner) return { ok: false, error: 'membership: can only promote a learner member' };
    const leaderMatch = r.prs.get(lead)?.match ?? 0;
    if (pr.match < leaderMatch * READY_PERCENT_THRESHOLD) return { ok: false, error: ERR_LEARNER_NOT_READY };
    return this.#proposeConfChange({ type: 'ConfChangeAddNode', nodeId: id });
  }

  /** Asks the leader to hand leadership to `to` (MsgTimeoutNow once `to` is caught up). Upstream: server.go (MoveLeader) */
  transferLeadership(to: number): { ok: true; from: number } | { ok: false; error: string } {
    const lead = this.leader();
    if (lead === undefined) return { ok: false, error: 'etcdserver: no leader' };
    const t = this.#members.get(to);
    if (!t || t.removed || this.node(lead)!.raft.prs.get(to)?.isLearner !== false) return { ok: false, error: 'etcdserver: bad leader transferee' };
    const m = this.#member(lead);
    m.node!.transferLeader(to);
    this.#process(m);
    return { ok: true, from: lead };
  }

  #proposeConfChange(cc: ConfChange): ProposeResult {
    const id = this.leader();
    if (id === undefined) return { ok: false, error: 'etcdserver: no leader' };
    const m = this.#member(id);
    const r = m.node!.raft;
    const before = r.raftLog.lastIndex();
    const err = m.node!.proposeConfChange(cc);
    if (err) return { ok: false, error: err.message };
    const index = r.raftLog.lastIndex();
    // raft turns a refused conf change into an empty entry (stepLeader): pendingConfIndex does not move to it.
    if (index === before || r.pendingConfIndex !== index) return { ok: false, error: 'raft: conf change refused (one is pending)' };
    this.#process(m);
    return { ok: true, leader: id, index, term: r.term };
  }

  #member(id: number): Member {
    const m = this.#members.get(id);
    if (!m) throw new RangeError(`raftcluster: no member ${id} (members: ${this.members().join(', ')})`);
    return m;
  }

  #add(id: number, boot: { peers?: number[] }): void {
    const m: Member = {
      id,
      boot,
      storage: newMemoryStorage(),
      disk: new Disk(),
      node: undefined,
      app: undefined,
      applied: [],
      confState: { voters: [], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
      paused: false,
      removed: false,
      incarnation: 0,
      timer: undefined,
      saving: undefined,
      processing: false,
      memorySnapshotIndex: 0,
      diskSnapshotIndex: 0,
      inflightSnapshots: new Set(),
    };
    this.#members.set(id, m);
    this.net.register(id, (msg) => this.#deliver(m, msg));
  }

  // Upstream: etcd server/etcdserver/bootstrap.go (bootstrapRaftFromWAL, bootstrappedRaft.newRaftNode: a member restarting from what it persisted)
  #boot(m: Member): void {
    m.incarnation++;
    if (m.incarnation > 1) m.storage = this.#load(m);
    const snap = m.storage.snapshot();
    m.confState = m.storage.initialState().confState;
    m.memorySnapshotIndex = m.diskSnapshotIndex = snap.metadata.index;
    m.applied = [];
    m.app = this.#cfg.app?.(m.id, this);
    if (!isEmptySnap(snap)) this.#restoreApp(m, snap.data);
    const cfg = this.#cfg;
    m.node = newRawNode({
      id: m.id,
      storage: m.storage,
      electionTick: this.electionTick,
      heartbeatTick: cfg.heartbeatTick ?? 1,
      preVote: cfg.preVote,
      checkQuorum: cfg.checkQuorum,
      ...cfg.raft,
      env: this.env,
      rng: this.#rng.fork(`raft/${m.id}/${m.incarnation}`),
    });
    if (m.incarnation === 1 && m.boot.peers) bootstrap(m.node, m.boot.peers);
    this.#process(m);
    this.#armTick(m);
  }

  /** Rebuilds the raft storage from the disk. Upstream: bootstrap.go (bootstrapRaftFromWAL), wal.go (ReadAll) */
  #load(m: Member): MemoryStorage {
    const d = m.disk.load();
    const st = newMemoryStorage();
    if (d.snapshot) st.applySnapshot(d.snapshot);
    if (d.entries.length > 0) st.append(d.entries);
    if (d.hardState) st.setHardState(d.hardState);
    this.#disk.emit('disk.load', { node: m.id, snapshotIndex: d.snapshot?.metadata.index ?? 0, entries: d.entries.length, lastIndex: st.lastIndex(), term: d.hardState?.term ?? 0, commit: d.hardState?.commit ?? 0 });
    return st;
  }

  #restoreApp(m: Member, data: string | undefined): void {
    const s = this.#snapshots.get(data ?? '');
    if (!s) throw new Error(`raftcluster: member ${m.id} got a snapshot whose data is unknown (${String(data)})`);
    m.applied = [...s.applied];
    if (m.app && s.app !== undefined) m.app.restore(s.app);
  }

  #stop(m: Member): void {
    m.timer?.stop();
    m.timer = undefined;
    m.saving?.timer?.stop();
    m.saving = undefined;
    m.app?.stop?.();
    m.app = undefined;
    m.node = undefined;
    m.applied = [];
    m.paused = false;
    m.inflightSnapshots.clear();
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
    if (msg.type === 'MsgSnap') this.#reportSnapshot(msg.from, msg.to, msg.snapshot?.metadata.index ?? 0, 'SnapshotFinish');
    this.#process(m);
  }

  #fsyncMs(): number {
    const f = this.#cfg.fsyncMs ?? { min: 1, max: 3 };
    return typeof f === 'number' ? f : this.#diskRng.int(f.max - f.min + 1) + f.min;
  }

  /** Handles the pending Readys, then checks safety. Upstream: etcd server/etcdserver/raft.go (raftNode.start) */
  #process(m: Member): void {
    const rn = m.node;
    if (!rn || m.processing) return;
    m.processing = true;
    try {
      this.#drain(m, rn);
    } finally {
      m.processing = false;
    }
    this.#check();
  }

  #drain(m: Member, rn: RawNode): void {
    if (m.saving?.synced && !m.paused) m.saving.finish();
    while (m.node === rn && !m.saving && !m.paused && rn.hasReady()) {
      const rd = rn.ready();
      const isLead = rn.raft.state === 'StateLeader';
      m.app?.ready?.(rd);
      // The leader can write to its disk in parallel with replicating to the followers (raft thesis 10.2.1).
      if (isLead) this.#send(m, rd.messages);
      if (!isEmptySnap(rd.snapshot)) {
        m.disk.saveSnap(rd.snapshot, true);
        this.#disk.emit('disk.snapshot', { node: m.id, index: rd.snapshot.metadata.index, term: rd.snapshot.metadata.term, source: 'leader' });
      }
      const hs = isEmptyHardState(rd.hardState) ? undefined : rd.hardState;
      const written = m.disk.write(hs, rd.entries);
      const fsyncMs = rd.mustSync ? this.#fsyncMs() : 0;
      if (hs || rd.entries.length > 0) {
        const e = rd.entries;
        this.#disk.emit('disk.save', { node: m.id, entries: e.length, firstIndex: e[0]?.index ?? 0, lastIndex: e[e.length - 1]?.index ?? 0, term: rn.raft.term, commit: rn.raft.raftLog.committed, mustSync: rd.mustSync, fsyncMs });
      }
      const finish = () => {
        m.saving = undefined;
        this.#afterSave(m, rn, rd, isLead);
      };
      if (fsyncMs === 0) {
        if (rd.mustSync) m.disk.sync(written);
        finish();
        continue;
      }
      const saving = { timer: undefined as Timer | undefined, finish, synced: false };
      m.saving = saving;
      saving.timer = this.clock.afterFunc(fsyncMs, () => {
        saving.timer = undefined;
        saving.synced = true;
        this.#disk.emit('disk.fsync', { node: m.id, records: m.disk.sync(written), tookMs: fsyncMs });
        this.#process(m); // a paused process carries on when resumed
      });
    }
  }

  /** The Ready is durable: raft storage, followers' messages, apply, Advance. Upstream: raft.go (raftNode.start), server.go (applyAll) */
  #afterSave(m: Member, rn: RawNode, rd: Ready, isLead: boolean): void {
    if (!isEmptySnap(rd.snapshot)) {
      m.storage.applySnapshot(rd.snapshot);
      m.confState = rd.snapshot.metadata.confState;
      m.memorySnapshotIndex = m.diskSnapshotIndex = rd.snapshot.metadata.index;
      this.#restoreApp(m, rd.snapshot.data);
    }
    if (rd.entries.length > 0) m.storage.append(rd.entries);
    if (!isEmptyHardState(rd.hardState)) m.storage.setHardState(rd.hardState);
    if (!isLead) this.#send(m, rd.messages);
    for (const e of rd.committedEntries) {
      this.#applyEntry(m, rn, e);
      if (m.node !== rn) return; // removed while applying
    }
    rn.advance(rd);
    const last = rd.committedEntries[rd.committedEntries.length - 1];
    if (last || !isEmptySnap(rd.snapshot)) m.app?.applied?.(rn.raft.raftLog.applied);
    if (last) this.#maybeSnapshot(m, last.index);
  }

  #send(m: Member, msgs: readonly Message[]): void {
    for (const msg of msgs) {
      this.net.send(deepCopy(msg));
      if (msg.type !== 'MsgSnap') continue;
      // rafthttp reports how the snapshot send ended; a lost one fails after an election timeout.
      const index = msg.snapshot?.metadata.index ?? 0;
      const key = `${msg.to}@${index}`;
      m.inflightSnapshots.add(key);
      this.clock.afterFunc(this.electionTick * this.tickMs, () => this.#reportSnapshot(m.id, msg.to, index, 'SnapshotFailure'));
    }
  }

  #reportSnapshot(from: number, to: number, index: number, status: 'SnapshotFinish' | 'SnapshotFailure'): void {
    const s = this.#members.get(from);
    if (!s?.node || !s.inflightSnapshots.delete(`${to}@${index}`)) return;
    s.node.reportSnapshot(to, status);
    this.#process(s);
  }

  /** Upstream: server.go (snapshotIfNeededAndCompactRaftLog, snapshot, compactRaftLog) */
  #maybeSnapshot(m: Member, appliedi: number): void {
    const toDisk = appliedi - m.diskSnapshotIndex > this.snapshotCount;
    const toMemory = appliedi > m.memorySnapshotIndex + this.memorySnapshotCount;
    if (!toDisk && !toMemory) return;
    // The snapshot's data names its payload, kept here (etcd ships a db file beside the message).
    const key = `snap/${m.id}/${m.incarnation}/${appliedi}`;
    this.#snapshots.set(key, { applied: [...m.applied], app: m.app?.snapshot() });
    const snap = m.storage.createSnapshot(appliedi, m.confState, key);
    m.memorySnapshotIndex = appliedi;
    if (toDisk) {
      m.disk.saveSnap(snap);
      m.diskSnapshotIndex = appliedi;
      this.#disk.emit('disk.snapshot', { node: m.id, index: appliedi, term: snap.metadata.term, source: 'local' });
    }
    // When sending a snapshot, etcd pauses compaction so the entries right after it stay.
    if (m.inflightSnapshots.size > 0) return;
    const compacti = appliedi > this.snapshotCatchUpEntries ? appliedi - this.snapshotCatchUpEntries : 1;
    if (compacti <= m.storage.firstIndex() - 1) return;
    m.storage.compact(compacti);
    this.#disk.emit('disk.compact', { node: m.id, index: compacti });
  }

  #applyEntry(m: Member, rn: RawNode, e: Entry): void {
    if (e.type === 'EntryConfChange' || e.type === 'EntryConfChangeV2') {
      const cc = unmarshalConfChange(e.data) as ConfChange;
      m.confState = rn.applyConfChange(cc);
      m.app?.confChanged?.(cc, m.confState);
      if (cc.type === 'ConfChangeRemoveNode') this.#removed(cc.nodeId);
      return;
    }
    m.app?.apply(e);
    if (e.data === undefined || e.data === '') return; // a new leader's empty entry
    m.applied.push({ index: e.index, term: e.term, data: e.data });
    for (const p of this.proposals) {
      if (!p.acked && p.leader === m.id && p.index === e.index && p.term === e.term && p.data === e.data) p.acked = true;
    }
  }

  /** A removed member stops ("the member has been permanently removed from the cluster"). */
  #removed(id: number): void {
    const m = this.#members.get(id);
    if (!m || m.removed) return;
    m.removed = true;
    this.net.crash(id);
    this.#stop(m);
  }

  #check(): void {
    if (this.#cfg.safetyCheck === false) return;
    const views = [];
    for (const m of this.#members.values()) if (m.node) views.push(raftView(m.node.raft));
    const found = this.checker.observe(views, this.clock.now());
    for (const v of found) this.#raftcheck.emit('raftcheck.violation', { property: v.property, message: v.message, nodes: v.nodes });
    if (found.length > 0 && this.#onViolation === 'throw') {
      throw new Error(`raft safety violated at ${this.clock.now()} ms: ${found.map((v) => `${v.property}: ${v.message}`).join('; ')}`);
    }
  }
}

/** A new cluster; its nodes start ticking on the clock at once. */
export function newRaftCluster(cfg: RaftClusterConfig = {}): RaftCluster {
  return new RaftCluster(cfg);
}
