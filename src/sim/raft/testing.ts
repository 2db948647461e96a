/**
 * Test support after upstream's test helpers (raft_test.go, log_test.go, storage_test.go):
 * entry builders, `newTestRaft`, and the in-process `network`. Not exported from `kubelab`.
 */
import { rngFromSeed, type Rng } from '../core/rng';
import { newMessage, type Entry, type Message, type MessageInput, type MessageType } from './raftpb';
import { newRaft, Raft, type RaftConfig } from './raft';
import { MemoryStorage, newMemoryStorage } from './storage';
import { noLimit } from './util';
import { makeProgressTracker } from './tracker/tracker';
import { Progress } from './tracker/progress';

export { index, storageWithEnts } from './testing_entries';

/** Upstream: raft_test.go (newTestConfig), with a seeded rng. */
export function newTestConfig(id: number, election: number, heartbeat: number, storage: MemoryStorage, rng?: Rng): RaftConfig {
  return { id, electionTick: election, heartbeatTick: heartbeat, storage, maxSizePerMsg: noLimit, maxInflightMsgs: 256, rng: rng ?? rngFromSeed(`raft-test/${id}`) };
}

// Upstream: raft_test.go (newTestRaft)
export function newTestRaft(id: number, election: number, heartbeat: number, storage: MemoryStorage, extra: Partial<RaftConfig> = {}): Raft {
  return newRaft({ ...newTestConfig(id, election, heartbeat, storage), ...extra });
}

// Upstream: raft_test.go (idsBySize)
export function idsBySize(size: number): number[] {
  return Array.from({ length: size }, (_, i) => i + 1);
}

/** What the network can hold: a raft, or a black hole that swallows everything. */
export type StateMachine = Raft | BlackHole;

// Upstream: raft_test.go (blackHole)
export class BlackHole {
  step(_m: MessageInput): undefined {
    return undefined;
  }
  readMessages(): Message[] {
    return [];
  }
  advanceMessagesAfterAppend(): void {}
}
export const nopStepper = new BlackHole();

/**
 * Peers connected in-process; `send` delivers until no message is left. Upstream: raft_test.go (network)
 */
export class Network {
  peers = new Map<number, StateMachine>();
  storage = new Map<number, MemoryStorage>();
  dropm = new Map<string, number>();
  ignorem = new Set<MessageType>();
  /** Returns false to drop a message. */
  msgHook: ((m: Message) => boolean) | undefined = undefined;
  readonly rng: Rng;

  constructor(rng: Rng) {
    this.rng = rng;
  }

  // Upstream: raft_test.go (network.send)
  send(...msgs: MessageInput[]): void {
    const queue = msgs.map(newMessage);
    while (queue.length > 0) {
      const m = queue.shift()!;
      const p = this.peers.get(m.to);
      if (!p) continue;
      p.step(m);
      p.advanceMessagesAfterAppend();
      queue.push(...this.filter(p.readMessages()));
    }
  }

  // Upstream: raft_test.go (network.drop)
  drop(from: number, to: number, perc: number): void {
    this.dropm.set(`${from}->${to}`, perc);
  }

  // Upstream: raft_test.go (network.cut)
  cut(one: number, other: number): void {
    this.drop(one, other, 2.0);
    this.drop(other, one, 2.0);
  }

  // Upstream: raft_test.go (network.isolate)
  isolate(id: number): void {
    for (let i = 0; i < this.peers.size; i++) {
      const nid = i + 1;
      if (nid !== id) {
        this.drop(id, nid, 1.0);
        this.drop(nid, id, 1.0);
      }
    }
  }

  // Upstream: raft_test.go (network.ignore)
  ignore(t: MessageType): void {
    this.ignorem.add(t);
  }

  // Upstream: raft_test.go (network.recover)
  recover(): void {
    this.dropm.clear();
    this.ignorem.clear();
  }

  // Upstream: raft_test.go (network.filter)
  filter(msgs: Message[]): Message[] {
    const mm: Message[] = [];
    for (const m of msgs) {
      if (this.ignorem.has(m.type)) continue;
      if (m.type === 'MsgHup') throw new Error('unexpected msgHup');
      const perc = this.dropm.get(`${m.from}->${m.to}`) ?? 0;
      if (this.rng.float() < perc) continue;
      if (this.msgHook && !this.msgHook(m)) continue;
      mm.push(m);
    }
    return mm;
  }

  raft(id: number): Raft {
    const p = this.peers.get(id);
    if (!(p instanceof Raft)) throw new Error(`peer ${id} is not a raft`);
    return p;
  }
}

/**
 * A network of `peers` (undefined: a fresh raft with election 10, heartbeat 1; a Raft: re-id'd
 * and re-membered as upstream does; a BlackHole). Upstream: raft_test.go (newNetworkWithConfig)
 */
export function newNetworkWithConfig(configFunc: ((c: RaftConfig) => void) | undefined, ...peers: Array<StateMachine | undefined>): Network {
  const size = peers.length;
  const peerAddrs = idsBySize(size);
  const nw = new Network(rngFromSeed('raft-test/network'));
  peers.forEach((p, j) => {
    const id = peerAddrs[j];
    if (p === undefined) {
      const st = newMemoryStorage({ peers: peerAddrs });
      nw.storage.set(id, st);
      const cfg = newTestConfig(id, 10, 1, st);
      if (configFunc) configFunc(cfg);
      nw.peers.set(id, newRaft(cfg));
    } else if (p instanceof Raft) {
      const learners = new Set(p.trk.config.learners ?? []);
      p.id = id;
      p.events.base.node = id; // its events name the new id
      p.trk = makeProgressTracker(p.trk.maxInflight, p.trk.maxInflightBytes);
      for (const pid of peerAddrs) {
        const pr = new Progress();
        if (learners.has(pid)) {
          pr.isLearner = true;
          p.trk.config.learners = (p.trk.config.learners ?? new Set()).add(pid);
        } else {
          p.trk.config.voters[0].add(pid);
        }
        p.trk.progress.set(pid, pr);
      }
      p.reset(p.term);
      nw.peers.set(id, p);
    } else {
      nw.peers.set(id, p);
    }
  });
  return nw;
}

// Upstream: raft_test.go (newNetwork)
export function newNetwork(...peers: Array<StateMachine | undefined>): Network {
  return newNetworkWithConfig(undefined, ...peers);
}

// Upstream: raft_test.go (preVoteConfig)
export function preVoteConfig(c: RaftConfig): void {
  c.preVote = true;
}

/** A raft whose log has entries with these terms (index 1..n), reset to the last term. Upstream: raft_test.go (entsWithConfig) */
export function entsWithConfig(configFunc: ((c: RaftConfig) => void) | undefined, ...terms: number[]): Raft {
  const storage = newMemoryStorage();
  terms.forEach((term, i) => storage.append([{ index: i + 1, term, type: 'EntryNormal' }]));
  const cfg = newTestConfig(1, 5, 1, storage);
  if (configFunc) configFunc(cfg);
  const sm = newRaft(cfg);
  sm.reset(terms[terms.length - 1]);
  return sm;
}

/** A raft that voted for `vote` at `term`, with an empty log. Upstream: raft_test.go (votedWithConfig) */
export function votedWithConfig(configFunc: ((c: RaftConfig) => void) | undefined, vote: number, term: number): Raft {
  const storage = newMemoryStorage();
  storage.setHardState({ vote, term, commit: 0 });
  const cfg = newTestConfig(1, 5, 1, storage);
  if (configFunc) configFunc(cfg);
  const sm = newRaft(cfg);
  sm.reset(term);
  return sm;
}

/** The appliable entries, after persisting the unstable ones. Upstream: raft_test.go (nextEnts) */
export function nextEnts(r: Raft, s: MemoryStorage): Entry[] {
  s.append(r.raftLog.nextUnstableEnts());
  r.raftLog.stableTo(r.raftLog.lastEntryID());
  r.advanceMessagesAfterAppend();
  const ents = r.raftLog.nextCommittedEnts(true);
  r.raftLog.appliedTo(r.raftLog.committed, 0);
  return ents;
}

// Upstream: raft_test.go (mustAppendEntry)
export function mustAppendEntry(r: Raft, ...ents: Array<Partial<Entry>>): void {
  if (!r.appendEntry(...ents)) throw new Error('entry unexpectedly dropped');
}

/** Upstream: raft_test.go (setRandomizedElectionTimeout) */
export function setRandomizedElectionTimeout(r: Raft, v: number): void {
  r.randomizedElectionTimeout = v;
}
