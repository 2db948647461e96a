/**
 * The interaction environment of etcd-io/raft's datadriven tests: RawNodes with MemoryStorage,
 * a pool of in-flight messages, and commands that tick, step, deliver and handle Readys one at a
 * time, printing what happens. Upstream: rafttest/interaction_env*.go at v3.6.0.
 *
 * Not modelled (see the README): raft's log lines (the model has trace events instead; `log-level`
 * only switches output on and off) and async storage writes (process-append-thread,
 * process-apply-thread).
 */
import { newEnv } from '../../core/env';
import type { Rng } from '../../core/rng';
import { RaftError } from '../errors';
import type { RaftConfig } from '../raft';
import { newMessage, newSnapshot, isEmptyHardState, isEmptySnap, unmarshalConfChange, type ConfChange, type ConfChangeSingle, type ConfChangeTransition, type ConfChangeV2, type ConfState, type Entry, type HardState, type Message, type Snapshot } from '../raftpb';
import type { ReadOnlyOption } from '../read_only';
import { newRawNode, type RawNode } from '../rawnode';
import { newMemoryStorage, type MemoryStorage } from '../storage';
import { jointIDs } from '../quorum/quorum';
import { describeEntries, describeMessage, describeReady } from './describe';
import type { CmdArg, TestData } from './datadriven';

/** One node of the environment. Upstream: rafttest/interaction_env.go (Node) */
export interface InteractionNode {
  rawNode: RawNode;
  storage: MemoryStorage;
  config: RaftConfig;
  /** The "appender" state machine's snapshots, one per applied entry; the last is what Snapshot() returns. */
  history: Snapshot[];
}

const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'NONE'];

/** A command's failure (Go's returned `error`), printed as the block's output. */
class CmdError extends Error {}

/** Upstream: rafttest/interaction_env.go (raftConfigStub) */
function raftConfigStub(): Omit<RaftConfig, 'id'> {
  return { electionTick: 3, heartbeatTick: 1, maxSizePerMsg: Infinity, maxInflightMsgs: 2 ** 31 - 1 };
}

/** Recipient of deliver-msgs. Upstream: rafttest/interaction_env_handler_deliver_msgs.go (Recipient) */
interface Recipient {
  id: number;
  drop: boolean;
}

// Upstream: rafttest/interaction_env.go (InteractionEnv)
export class InteractionEnv {
  nodes: InteractionNode[] = [];
  /** In-flight messages, in the order they were sent. */
  messages: Message[] = [];
  private out = '';
  private level = 0;
  private readonly rng: Rng;

  /** `seed` chooses the randomized election timeouts (Go draws them from a global rand). */
  constructor(opts: { seed?: number } = {}) {
    this.rng = newEnv({ seed: opts.seed ?? 0 }).rng;
  }

  private write(s: string): void {
    if (this.level !== LEVELS.length - 1) this.out += s;
  }

  /** Runs `f` with its output indented by two spaces. Upstream: rafttest/interaction_env.go (withIndent) */
  private withIndent(f: () => void): void {
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

  /** Runs one block and returns its output. Upstream: rafttest/interaction_env_handler.go (Handle) */
  handle(d: TestData): string {
    this.out = '';
    let err: string | undefined;
    try {
      this.dispatch(d);
    } catch (e) {
      if (!(e instanceof CmdError) && !(e instanceof RaftError)) throw e;
      err = (e as Error).message;
    }
    if (err !== undefined) {
      if (this.level === LEVELS.length - 1) return err;
      this.out += err;
    }
    return this.out.length === 0 ? 'ok' : this.out;
  }

  private dispatch(d: TestData): void {
    switch (d.cmd) {
      case '_breakpoint':
        return;
      case 'add-nodes':
        return this.handleAddNodes(d);
      case 'campaign':
        return must(this.node(d).rawNode.campaign());
      case 'compact':
        return this.compact(firstAsIdx(d), num(d.cmdArgs[1]?.key));
      case 'deliver-msgs':
        return this.handleDeliverMsgs(d);
      case 'process-ready':
        return this.handleProcessReady(d);
      case 'process-append-thread':
      case 'process-apply-thread':
        throw new CmdError('async storage writes are not modelled');
      case 'log-level':
        return this.logLevel(d.cmdArgs[0]?.key ?? '');
      case 'raft-log':
        return this.raftLog(firstAsIdx(d));
      case 'raft-state':
        return this.raftState();
      case 'set-randomized-election-timeout': {
        // Upstream: export_test.go (SetRandomizedElectionTimeout)
        const timeout = num(scanArg(d, 'timeout'));
        if (timeout === 0) throw new Error('timeout must not be zero');
        this.node(d).rawNode.raft.randomizedElectionTimeout = timeout;
        return;
      }
      case 'stabilize':
        return this.handleStabilize(d);
      case 'status':
        return this.status(firstAsIdx(d));
      case 'tick-election':
        return this.tick(firstAsIdx(d), this.node(d).config.electionTick);
      case 'tick-heartbeat':
        return this.tick(firstAsIdx(d), this.node(d).config.heartbeatTick);
      case 'transfer-leadership':
        return this.handleTransferLeadership(d);
      case 'forget-leader':
        this.node(d).rawNode.forgetLeader();
        return;
      case 'send-snapshot':
        return this.handleSendSnapshot(d);
      case 'propose':
        if (d.cmdArgs.length !== 2 || d.cmdArgs[1].vals.length > 0) throw new Error(`expected exactly one key with no vals: ${JSON.stringify(d.cmdArgs.slice(1))}`);
        return must(this.node(d).rawNode.propose(d.cmdArgs[1].key));
      case 'propose-conf-change':
        return this.handleProposeConfChange(d);
      case 'read-index':
        // Ours (upstream's env has no such command): read-index <id> <request context>.
        if (d.cmdArgs.length !== 2 || d.cmdArgs[1].vals.length > 0) throw new Error(`read-index <id> <ctx>: got ${JSON.stringify(d.cmdArgs)}`);
        this.node(d).rawNode.readIndex(d.cmdArgs[1].key);
        return;
      case 'report-unreachable': {
        const idxs = nodeIdxs(d);
        if (idxs.length !== 2) throw new CmdError('must specify exactly two node indexes: node on which to report, and reported node');
        this.nodes[idxs[0]].rawNode.reportUnreachable(this.nodes[idxs[1]].config.id);
        return;
      }
      default:
        throw new CmdError('unknown command');
    }
  }

  private node(d: TestData): InteractionNode {
    const n = this.nodes[firstAsIdx(d)];
    if (!n) throw new Error(`line ${d.line}: no node ${d.cmdArgs[0]?.key}`);
    return n;
  }

  // Upstream: rafttest/interaction_env_handler_add_nodes.go (handleAddNodes)
  private handleAddNodes(d: TestData): void {
    const n = num(d.cmdArgs[0]?.key);
    const cs: ConfState = { voters: [], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
    let index = 0;
    let content: string | undefined;
    const cfg: Omit<RaftConfig, 'id'> = raftConfigStub();
    for (const arg of d.cmdArgs.slice(1)) {
      for (const v of arg.vals) {
        switch (arg.key) {
          case 'voters':
            cs.voters.push(num(v));
            break;
          case 'learners':
            cs.learners.push(num(v));
            break;
          case 'inflight':
            cfg.maxInflightMsgs = num(v);
            break;
          case 'index':
            index = num(v);
            cfg.applied = index;
            break;
          case 'content':
            content = v;
            break;
          case 'async-storage-writes':
            if (bool(v)) throw new CmdError('async storage writes are not modelled');
            break;
          case 'prevote':
            cfg.preVote = bool(v);
            break;
          case 'checkquorum':
            cfg.checkQuorum = bool(v);
            break;
          case 'max-committed-size-per-ready':
            cfg.maxCommittedSizePerReady = num(v);
            break;
          case 'disable-conf-change-validation':
            cfg.disableConfChangeValidation = bool(v);
            break;
          case 'read-only':
            if (v !== 'safe' && v !== 'lease-based') throw new CmdError(`invalid read-only option "${v}"`);
            cfg.readOnlyOption = (v === 'safe' ? 'ReadOnlySafe' : 'ReadOnlyLeaseBased') satisfies ReadOnlyOption;
            break;
          case 'step-down-on-removal':
            cfg.stepDownOnRemoval = bool(v);
            break;
        }
      }
    }
    const snap = newSnapshot({ data: content, metadata: { index, confState: cs } });
    const bootstrap = index !== 0 || content !== undefined || cs.voters.length > 0 || cs.learners.length > 0;
    this.addNodes(n, cfg, bootstrap ? snap : undefined);
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

  // Upstream: rafttest/interaction_env_handler_deliver_msgs.go (handleDeliverMsgs)
  private handleDeliverMsgs(d: TestData): void {
    let typ: string | undefined;
    const rs: Recipient[] = [];
    for (const arg of d.cmdArgs) {
      if (arg.vals.length === 0) rs.push({ id: num(arg.key), drop: false });
      for (const v of arg.vals) {
        if (arg.key === 'drop') {
          const id = num(v);
          if (rs.some((r) => r.id === id)) throw new Error(`can't both deliver and drop msgs to ${id}`);
          rs.push({ id, drop: true });
        } else if (arg.key === 'type') typ = v;
      }
    }
    if (this.deliverMsgs(typ, rs) === 0) this.write('no messages\n');
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

  // Upstream: rafttest/interaction_env_handler_process_ready.go (handleProcessReady)
  private handleProcessReady(d: TestData): void {
    const idxs = nodeIdxs(d);
    for (const idx of idxs) {
      if (idxs.length > 1) {
        this.write(`> ${idx + 1} handling Ready\n`);
        this.withIndent(() => this.processReady(idx));
      } else this.processReady(idx);
    }
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

  // Upstream: rafttest/interaction_env_handler_stabilize.go (handleStabilize)
  private handleStabilize(d: TestData): void {
    const idxs = nodeIdxs(d);
    const old = this.level;
    try {
      for (const arg of d.cmdArgs) for (const v of arg.vals) if (arg.key === 'log-level') this.logLevel(v);
      this.stabilize(idxs);
    } finally {
      this.level = old;
    }
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

  // Upstream: rafttest/interaction_env_handler_transfer_leadership.go (handleTransferLeadership)
  private handleTransferLeadership(d: TestData): void {
    const from = num(scanArg(d, 'from'));
    const to = num(scanArg(d, 'to'));
    if (from === 0 || from > this.nodes.length) throw new Error('expected valid "from" argument');
    if (to === 0 || to > this.nodes.length) throw new Error('expected valid "to" argument');
    this.nodes[from - 1].rawNode.transferLeader(to);
  }

  // Upstream: rafttest/interaction_env_handler_send_snapshot.go (SendSnapshot)
  private handleSendSnapshot(d: TestData): void {
    const [fromIdx, toIdx] = nodeIdxs(d);
    const snap = this.nodes[fromIdx].storage.snapshot();
    const msg = newMessage({ type: 'MsgSnap', term: this.nodes[fromIdx].rawNode.basicStatus().hardState.term, from: fromIdx + 1, to: toIdx + 1, snapshot: snap });
    this.messages.push(msg);
    this.write(describeMessage(msg));
  }

  // Upstream: rafttest/interaction_env_handler_propose_conf_change.go (handleProposeConfChange)
  private handleProposeConfChange(d: TestData): void {
    let v1 = false;
    let transition: ConfChangeTransition = 'ConfChangeTransitionAuto';
    const transitions: Record<string, ConfChangeTransition> = { auto: 'ConfChangeTransitionAuto', implicit: 'ConfChangeTransitionJointImplicit', explicit: 'ConfChangeTransitionJointExplicit' };
    for (const arg of d.cmdArgs.slice(1)) {
      for (const v of arg.vals) {
        if (arg.key === 'v1') v1 = bool(v);
        else if (arg.key === 'transition') {
          if (!(v in transitions)) throw new CmdError(`unknown transition ${v}`);
          transition = transitions[v];
        } else throw new CmdError(`unknown command ${arg.key}`);
      }
    }
    const ccs = confChangesFromString(d.input);
    let c: ConfChange | ConfChangeV2;
    if (v1) {
      if (ccs.length > 1 || transition !== 'ConfChangeTransitionAuto') throw new CmdError('v1 conf change can only have one operation and no transition');
      c = { type: ccs[0].type, nodeId: ccs[0].nodeId };
    } else c = { transition, changes: ccs };
    must(this.node(d).rawNode.proposeConfChange(c));
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

// Upstream: raftpb/confchange.go (ConfChangesFromString)
export function confChangesFromString(s: string): ConfChangeSingle[] {
  const types: Record<string, ConfChangeSingle['type']> = { v: 'ConfChangeAddNode', l: 'ConfChangeAddLearnerNode', r: 'ConfChangeRemoveNode', u: 'ConfChangeUpdateNode' };
  const toks = s.trim() === '' ? [] : s.trim().split(' ');
  return toks.map((tok) => {
    if (tok.length < 2) throw new CmdError(`unknown token ${tok}`);
    const type = types[tok[0]];
    if (!type) throw new CmdError(`unknown input: ${tok}`);
    return { type, nodeId: num(tok.slice(1)) };
  });
}

function must(err: RaftError | undefined): void {
  if (err) throw err;
}

function num(s: string | undefined): number {
  const n = Number(s);
  if (s === undefined || s === '' || !Number.isInteger(n)) throw new Error(`not an integer: ${s}`);
  return n;
}

function bool(s: string): boolean {
  if (s !== 'true' && s !== 'false') throw new Error(`not a bool: ${s}`);
  return s === 'true';
}

function firstAsIdx(d: TestData): number {
  return num(d.cmdArgs[0]?.key) - 1;
}

/** The bare (key-only) arguments as node indexes. Upstream: rafttest/interaction_env_handler.go (nodeIdxs) */
function nodeIdxs(d: TestData): number[] {
  return d.cmdArgs.filter((a: CmdArg) => a.vals.length === 0).map((a) => num(a.key) - 1);
}

function scanArg(d: TestData, key: string): string {
  const a = d.cmdArgs.find((x) => x.key === key);
  if (!a || a.vals.length === 0) throw new Error(`line ${d.line}: missing argument ${key}=`);
  return a.vals[0];
}
