/**
 * The commands of a datadriven interaction script: each block's command and arguments parsed and
 * run on an InteractionEnv, its output (or error) returned. Upstream: rafttest/interaction_env_handler.go
 * (Handle) and the handle* functions of rafttest/interaction_env_handler_*.go at v3.6.0.
 */
import { RaftError } from '../errors';
import type { RaftConfig } from '../raft';
import { newSnapshot, type ConfChange, type ConfChangeSingle, type ConfChangeTransition, type ConfChangeV2, type ConfState } from '../raftpb';
import type { ReadOnlyOption } from '../read_only';
import type { TestData } from './datadriven';
import { CmdError, raftConfigStub, type InteractionEnv, type InteractionNode, type Recipient } from './env';

/** Runs one block and returns its output ("ok" when there is none). Upstream: rafttest/interaction_env_handler.go (InteractionEnv.Handle) */
export function handle(env: InteractionEnv, d: TestData): string {
  env.out = '';
  let err: string | undefined;
  try {
    dispatch(env, d);
  } catch (e) {
    // Go's returned errors are output; anything else (t.Fatal, a panic) fails the test.
    if (!(e instanceof CmdError) && !(e instanceof RaftError)) throw e;
    err = e.message;
  }
  if (err !== undefined) {
    if (env.quiet()) return err;
    env.out += err;
  }
  return env.out.length === 0 ? 'ok' : env.out;
}

function dispatch(env: InteractionEnv, d: TestData): void {
  switch (d.cmd) {
    case '_breakpoint':
      return;
    case 'add-nodes':
      return handleAddNodes(env, d);
    case 'campaign':
      return must(node(env, d).rawNode.campaign());
    case 'compact':
      return env.compact(firstAsIdx(d), num(d.cmdArgs[1]?.key));
    case 'deliver-msgs':
      return handleDeliverMsgs(env, d);
    case 'process-ready':
      return handleProcessReady(env, d);
    case 'process-append-thread':
    case 'process-apply-thread':
      throw new CmdError('async storage writes are not modelled');
    case 'log-level':
      return env.logLevel(d.cmdArgs[0]?.key ?? '');
    case 'raft-log':
      return env.raftLog(firstAsIdx(d));
    case 'raft-state':
      return env.raftState();
    case 'set-randomized-election-timeout': {
      // Upstream: export_test.go (SetRandomizedElectionTimeout)
      const timeout = num(scanArg(d, 'timeout'));
      if (timeout === 0) throw new Error('timeout must not be zero');
      node(env, d).rawNode.raft.randomizedElectionTimeout = timeout;
      return;
    }
    case 'stabilize':
      return handleStabilize(env, d);
    case 'status':
      return env.status(firstAsIdx(d));
    case 'tick-election':
      return env.tick(firstAsIdx(d), node(env, d).config.electionTick);
    case 'tick-heartbeat':
      return env.tick(firstAsIdx(d), node(env, d).config.heartbeatTick);
    case 'transfer-leadership':
      return handleTransferLeadership(env, d);
    case 'forget-leader':
      node(env, d).rawNode.forgetLeader();
      return;
    case 'send-snapshot': {
      const [from, to] = nodeIdxs(d);
      return env.sendSnapshot(from, to);
    }
    case 'propose':
      if (d.cmdArgs.length !== 2 || d.cmdArgs[1].vals.length > 0) throw new Error(`expected exactly one key with no vals: ${JSON.stringify(d.cmdArgs.slice(1))}`);
      return must(node(env, d).rawNode.propose(d.cmdArgs[1].key));
    case 'propose-conf-change':
      return handleProposeConfChange(env, d);
    case 'read-index':
      // Ours (upstream's env has no such command): read-index <id> <request context>.
      if (d.cmdArgs.length !== 2 || d.cmdArgs[1].vals.length > 0) throw new Error(`read-index <id> <ctx>: got ${JSON.stringify(d.cmdArgs)}`);
      node(env, d).rawNode.readIndex(d.cmdArgs[1].key);
      return;
    case 'report-unreachable': {
      const idxs = nodeIdxs(d);
      if (idxs.length !== 2) throw new CmdError('must specify exactly two node indexes: node on which to report, and reported node');
      env.nodes[idxs[0]].rawNode.reportUnreachable(env.nodes[idxs[1]].config.id);
      return;
    }
    default:
      throw new CmdError('unknown command');
  }
}

// Upstream: rafttest/interaction_env_handler_add_nodes.go (handleAddNodes)
function handleAddNodes(env: InteractionEnv, d: TestData): void {
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
  // Upstream bootstraps whenever the snapshot is not the zero value.
  const bootstrap = index !== 0 || content !== undefined || cs.voters.length > 0 || cs.learners.length > 0;
  env.addNodes(n, cfg, bootstrap ? newSnapshot({ data: content, metadata: { index, confState: cs } }) : undefined);
}

// Upstream: rafttest/interaction_env_handler_deliver_msgs.go (handleDeliverMsgs)
function handleDeliverMsgs(env: InteractionEnv, d: TestData): void {
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
  if (env.deliverMsgs(typ, rs) === 0) env.write('no messages\n');
}

// Upstream: rafttest/interaction_env_handler_process_ready.go (handleProcessReady)
function handleProcessReady(env: InteractionEnv, d: TestData): void {
  const idxs = nodeIdxs(d);
  for (const idx of idxs) {
    if (idxs.length > 1) {
      env.write(`> ${idx + 1} handling Ready\n`);
      env.withIndent(() => env.processReady(idx));
    } else env.processReady(idx);
  }
}

// Upstream: rafttest/interaction_env_handler_stabilize.go (handleStabilize)
function handleStabilize(env: InteractionEnv, d: TestData): void {
  const old = env.level;
  try {
    for (const arg of d.cmdArgs) for (const v of arg.vals) if (arg.key === 'log-level') env.logLevel(v);
    env.stabilize(nodeIdxs(d));
  } finally {
    env.level = old;
  }
}

// Upstream: rafttest/interaction_env_handler_transfer_leadership.go (handleTransferLeadership)
function handleTransferLeadership(env: InteractionEnv, d: TestData): void {
  const from = num(scanArg(d, 'from'));
  const to = num(scanArg(d, 'to'));
  if (from === 0 || from > env.nodes.length) throw new Error('expected valid "from" argument');
  if (to === 0 || to > env.nodes.length) throw new Error('expected valid "to" argument');
  env.nodes[from - 1].rawNode.transferLeader(to);
}

const TRANSITIONS: Record<string, ConfChangeTransition> = { auto: 'ConfChangeTransitionAuto', implicit: 'ConfChangeTransitionJointImplicit', explicit: 'ConfChangeTransitionJointExplicit' };

// Upstream: rafttest/interaction_env_handler_propose_conf_change.go (handleProposeConfChange)
function handleProposeConfChange(env: InteractionEnv, d: TestData): void {
  let v1 = false;
  let transition: ConfChangeTransition = 'ConfChangeTransitionAuto';
  for (const arg of d.cmdArgs.slice(1)) {
    for (const v of arg.vals) {
      if (arg.key === 'v1') v1 = bool(v);
      else if (arg.key === 'transition') {
        if (!(v in TRANSITIONS)) throw new CmdError(`unknown transition ${v}`);
        transition = TRANSITIONS[v];
      } else throw new CmdError(`unknown command ${arg.key}`);
    }
  }
  const ccs = confChangesFromString(d.input);
  let c: ConfChange | ConfChangeV2;
  if (v1) {
    if (ccs.length > 1 || transition !== 'ConfChangeTransitionAuto') throw new CmdError('v1 conf change can only have one operation and no transition');
    c = { type: ccs[0].type, nodeId: ccs[0].nodeId };
  } else c = { transition, changes: ccs };
  env.proposeConfChange(firstAsIdx(d), c);
}

const CC_TYPES: Record<string, ConfChangeSingle['type']> = { v: 'ConfChangeAddNode', l: 'ConfChangeAddLearnerNode', r: 'ConfChangeRemoveNode', u: 'ConfChangeUpdateNode' };

// Upstream: raftpb/confchange.go (ConfChangesFromString)
export function confChangesFromString(s: string): ConfChangeSingle[] {
  const toks = s.trim() === '' ? [] : s.trim().split(' ');
  return toks.map((tok) => {
    if (tok.length < 2) throw new CmdError(`unknown token ${tok}`);
    const type = CC_TYPES[tok[0]];
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

function node(env: InteractionEnv, d: TestData): InteractionNode {
  const n = env.nodes[firstAsIdx(d)];
  if (!n) throw new Error(`line ${d.line}: no node ${d.cmdArgs[0]?.key}`);
  return n;
}

// Upstream: rafttest/interaction_env_handler.go (firstAsNodeIdx)
function firstAsIdx(d: TestData): number {
  return num(d.cmdArgs[0]?.key) - 1;
}

/** The bare (key-only) arguments as node indexes. Upstream: rafttest/interaction_env_handler.go (nodeIdxs) */
function nodeIdxs(d: TestData): number[] {
  return d.cmdArgs.filter((a) => a.vals.length === 0).map((a) => num(a.key) - 1);
}

function scanArg(d: TestData, key: string): string {
  const a = d.cmdArgs.find((x) => x.key === key);
  if (!a || a.vals.length === 0) throw new Error(`line ${d.line}: missing argument ${key}=`);
  return a.vals[0];
}
