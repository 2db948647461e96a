/**
 * The interaction environment of etcd-io/raft's datadriven tests: RawNodes with MemoryStorage, a
 * pool of in-flight messages, and operations that tick, step, deliver and handle Readys one at a
 * time, printing what happens. `handle.ts` parses the commands. Upstream: rafttest/interaction_env.go
 * and the operations of rafttest/interaction_env_handler_*.go at v3.6.0.
 *
 * Not modelled (see the README): raft's log lines (the model has trace events instead; the output
 * level only switches output on and off) and async storage writes.
 */
import { newEnv } from '../../core/env';
import type { Rng } from '../../core/rng';
import type { RaftConfig } from '../raft';
import { newMessage, newSnapshot, isEmptyHardState, isEmptySnap, unmarshalConfChange, type ConfChange, type ConfChangeV2, type ConfState, type Entry, type HardState, type Message, type Snapshot } from '../raftpb';
import { newRawNode, type RawNode } from '../rawnode';
import { newMemoryStorage, type MemoryStorage } from '../storage';
import { jointIDs } from '../quorum/quorum';
import { describeEntries, describeMessage, describeReady } from './describe';

/** One node of the environment. Upstream: rafttest/interaction_env.go (Node) */
export interface InteractionNode {
  rawNode: RawNode;
  storage: MemoryStorage;
  config: RaftConfig;
  /** The "appender" state machine's snapshots, one per applied entry; the last is what Snapshot() returns. */
  history: Snapshot[];
}

/** A command's failure (Go's returned `error`), printed as the block's output. */
export class CmdError extends Error {}

/** Upstream: rafttest/interaction_env_logger.go (lvlNames); NONE silences everything but errors. */
export const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'NONE'];

/** Upstream: rafttest/interaction_env.go (raftConfigStub) */
export function raftConfigStub(): Omit<RaftConfig, 'id'> {
  return { electionTick: 3, heartbeatTick: 1, maxSizePerMsg: Infinity, maxInflightMsgs: 2 ** 31 - 1 };
}

/** Recipient of deliver-msgs. Upstream: rafttest/interaction_env_handler_deliver_msgs.go (Recipient) */
export interface Recipient {
  id: number;
  drop: boolean;
}

// Upstream: rafttest/interaction_env.go (InteractionEnv)
export class InteractionEnv {
  nodes: InteractionNode[] = [];
  /** In-flight messages, in the order they were sent. */
  messages: Message[] = [];
  /** The current command's output (upstream's RedirectLogger builder). */
  out = '';
  /** Index in LEVELS. */
  level = 0;
  private readonly rng: Rng;

  /** `seed` chooses the randomized election timeouts (Go draws them from a global rand). */
  constructor(opts: { seed?: number } = {}) {
    this.rng = newEnv({ seed: opts.seed ?? 0 }).rng;
  }

  /** Whether output is off (log-level none). Upstream: rafttest/interaction_env_logger.go (RedirectLogger.Quiet) */
  quiet(): boolean {
    return this.level === LEVELS.length - 1;
  }

  write(s: string): void {
    if (!this.quiet()) this.out += s;
  }

  /** Runs `f` with its output indented by two spaces. Upstream: rafttest/interaction_env.go (withIndent) */
  withIndent(f: () => void): void {
    const orig = this.out;
    this.out = '';
    try {
      f();
    } finally {
      const inner = this.out;
      this.out = orig;
      const lines = inner.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      for (const l of lines) this.out += '  ' + l + '\n';
    }
  }

  /** Adds `n` nodes (ids continue from the last one), bootstrapped from `snap` if given. Upstream: rafttest/interaction_env_handler_add_nodes.go (AddNodes) */
  addNodes(n: number, cfg: Omit<RaftConfig, 'id'>, snap?: Snapshot): void {
    for (let i = 0; i < n; i++) {
      const id = 1 + this.nodes.length;
      const storage = newMemoryStorage();
      const history: Snapshot[] = [snap ?? newSnapshot()];
      // The storage's snapshot is the state machine's latest (MemoryStorage's own changes with compaction).
      storage.snapshot = () => history[history.length - 1];
      if (snap) {
        // NB (upstream): MemoryStorage does not play well with index 1.
        if (snap.metadata.index <= 1) throw new CmdError('index must be specified as > 1 due to bootstrap');
        snap.metadata.term = 1;
        storage.applySnapshot(snap);
        const fi = storage.firstIndex();
        if (fi !== snap.metadata.index + 1) throw new CmdError(`failed to establish first index ${snap.metadata.index + 1}; got ${fi}`);
      }
      const config: RaftConfig = { ...cfg, id, storage, rng: this.rng.fork(`raft/${id}`) };
      this.nodes.push({ rawNode: newRawNode(config), storage, config, history });
    }
  }

  // Upstream: rafttest/interaction_env_handler_compact.go (Compact)
  compact(idx: number, newFirstIndex: number): void {
    this.nodes[idx].storage.compact(newFirstIndex);
    this.raftLog(idx);
  }

  /** Delivers (or drops) the in-flight messages to each recipient, in order. Upstream: (InteractionEnv.DeliverMsgs) */
  deliverMsgs(typ: string | undefined, rs: Recipient[]): number {
    let n = 0;
    for (const r of rs) {
      const [msgs, rest] = splitMsgs(this.messages, r.id, typ, r.drop);
      this.messages = rest;
      n += msgs.length;
      for (const m of msgs) {
        if (r.drop) this.write('dropped: ');
        this.write(describeMessage(m) + '\n');
        if (r.drop) continue;
        const err = this.nodes[m.to - 1].rawNode.step(m);
        if (err) this.write(err.message + '\n');
      }
    }
    return n;
  }

  /** Takes a Ready, prints it, persists, applies, queues its messages and advances. Upstream: (InteractionEnv.ProcessReady) */
  processReady(idx: number): void {
    const n = this.nodes[idx];
    const rd = n.rawNode.ready();
    this.write(describeReady(rd));
    processAppend(n, rd.hardState, rd.entries, rd.snapshot);
    processApply(n, rd.committedEntries);
    this.messages.push(...rd.messages);
    n.rawNode.advance(rd);
  }

  /** Handles Readys and delivers messages among `idxs` (all nodes if empty) until nothing is left. Upstream: (InteractionEnv.Stabilize) */
  stabilize(idxs: number[] = []): void {
    const nodes = idxs.length > 0 ? idxs.map((i) => this.nodes[i]) : this.nodes;
    for (;;) {
      let done = true;
      for (const n of nodes) {
        if (!n.rawNode.hasReady()) continue;
        const idx = n.config.id - 1;
        this.write(`> ${idx + 1} handling Ready\n`);
        this.withIndent(() => this.processReady(idx));
        done = false;
      }
      for (const n of nodes) {
        const id = n.config.id;
        if (splitMsgs(this.messages, id, undefined, false)[0].length === 0) continue;
        this.write(`> ${id} receiving messages\n`);
        this.withIndent(() => this.deliverMsgs(undefined, [{ id, drop: false }]));
        done = false;
      }
      if (done) return;
    }
  }

  // Upstream: rafttest/interaction_env_handler_log_level.go (LogLevel)
  logLevel(name: string): void {
    const i = LEVELS.findIndex((s) => s.toLowerCase() === name.toLowerCase());
    if (i < 0) throw new CmdError(`log levels must be either of [${LEVELS.join(' ')}]`);
    this.level = i;
  }

  // Upstream: rafttest/interaction_env_handler_raft_log.go (RaftLog)
  raftLog(idx: number): void {
    const s = this.nodes[idx].storage;
    const fi = s.firstIndex();
    const li = s.lastIndex();
    if (li < fi) {
      this.write(`log is empty: first index=${fi}, last index=${li}`);
      return;
    }
    this.write(describeEntries(s.entries(fi, li + 1)));
  }

  // Upstream: rafttest/interaction_env_handler_raftstate.go (handleRaftState)
  raftState(): void {
    for (const n of this.nodes) {
      const st = n.rawNode.status();
      const voter = jointIDs(st.config.voters).has(st.id) ? '(Voter)' : '(Non-Voter)';
      this.write(`${st.id}: ${st.softState.raftState} ${voter} Term:${st.hardState.term} Lead:${st.softState.lead}\n`);
    }
  }

  // Upstream: rafttest/interaction_env_handler_status.go (Status), tracker/progress.go (ProgressMap.String)
  status(idx: number): void {
    const prs = this.nodes[idx].rawNode.status().progress;
    for (const id of [...prs.keys()].sort((a, b) => a - b)) this.write(`${id}: ${prs.get(id)!.toString()}\n`);
  }

  // Upstream: rafttest/interaction_env_handler_tick.go (Tick)
  tick(idx: number, num: number): void {
    for (let i = 0; i < num; i++) this.nodes[idx].rawNode.tick();
  }

  // Upstream: rafttest/interaction_env_handler_send_snapshot.go (SendSnapshot)
  sendSnapshot(fromIdx: number, toIdx: number): void {
    const snap = this.nodes[fromIdx].storage.snapshot();
    const msg = newMessage({ type: 'MsgSnap', term: this.nodes[fromIdx].rawNode.basicStatus().hardState.term, from: fromIdx + 1, to: toIdx + 1, snapshot: snap });
    this.messages.push(msg);
    this.write(describeMessage(msg));
  }

  // Upstream: rafttest/interaction_env_handler_propose_conf_change.go (ProposeConfChange)
  proposeConfChange(idx: number, c: ConfChange | ConfChangeV2): void {
    const err = this.nodes[idx].rawNode.proposeConfChange(c);
    if (err) throw err;
  }
}

// Upstream: rafttest/interaction_env_handler_process_append_thread.go (processAppend)
function processAppend(n: InteractionNode, st: HardState, ents: Entry[], snap: Snapshot): void {
  const s = n.storage;
  if (!isEmptyHardState(st)) s.setHardState(st);
  if (!isEmptySnap(snap)) {
    if (ents.length > 0) throw new CmdError("can't apply snapshot and entries at the same time");
    s.applySnapshot(snap);
    return;
  }
  s.append(ents);
}

/** Applies to an "appender" state machine: each entry's data appended to the last snapshot's. Upstream: (processApply) */
function processApply(n: InteractionNode, ents: Entry[]): void {
  for (const ent of ents) {
    let update: string | undefined;
    let cs: ConfState | undefined;
    if (ent.type === 'EntryNormal') update = ent.data;
    else {
      const cc = unmarshalConfChange(ent.data);
      cs = n.rawNode.applyConfChange(cc);
      update = cc.context;
    }
    const last = n.history[n.history.length - 1];
    const data = (last.data ?? '') + (update ?? '');
    const snap = newSnapshot({ metadata: { index: ent.index, term: ent.term, confState: cs ?? last.metadata.confState } });
    if (data !== '') snap.data = data;
    n.history.push(snap);
  }
}

/** The messages to `to` (of type `typ`, if given) and the rest, order kept. Upstream: (splitMsgs) */
function splitMsgs(msgs: Message[], to: number, typ: string | undefined, drop: boolean): [Message[], Message[]] {
  const toMsgs: Message[] = [];
  const rest: Message[] = [];
  for (const m of msgs) {
    if (m.to === to && !(drop && m.from === m.to) && (typ === undefined || m.type === typ)) toMsgs.push(m);
    else rest.push(m);
  }
  return [toMsgs, rest];
}
