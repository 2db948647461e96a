/**
 * The cluster driver's public shapes: its configuration, a member's application (RaftApp), what
 * a proposal became, and etcd's snapshot and membership constants.
 */
import type { EnvConfig } from '../core/env';
import type { NetworkConfig } from '../raftnet/network';
import type { ConfChange, ConfState, Entry, Message } from '../raft/raftpb';
import type { RaftConfig } from '../raft/raft';
import type { Ready } from '../raft/rawnode';
import type { RaftCluster } from './cluster';

/** One entry as the cluster's state machine applied it. */
export interface AppliedEntry {
  index: number;
  term: number;
  data: string;
}

/**
 * A member's application (its state machine), created by `cfg.app` for each incarnation.
 * Upstream: the apply side of etcd's EtcdServer (server.go: applyAll, applySnapshot, snapshot).
 */
export interface RaftApp {
  /** A committed normal entry, in log order (a new leader's empty entry too: etcd reacts to it). */
  apply(entry: Entry): void;
  /** The application's state now, for a raft snapshot. */
  snapshot(): unknown;
  /** Replaces the state with a snapshot's (a restart, or MsgSnap from the leader). */
  restore(data: unknown): void;
  /** Sees each Ready as it is taken (soft state, read states), before anything is persisted. */
  ready?(rd: Ready): void;
  /** After each batch of committed entries, or a snapshot, is applied (the applied index moved to `index`). */
  applied?(index: number): void;
  /** A conf change was applied (ConfState after it). */
  confChanged?(cc: ConfChange, cs: ConfState): void;
  /** The member crashed or was removed. */
  stop?(): void;
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
  /** Run the safety checker after every step (default true; it costs O(log) per step: long runs may turn it off). */
  safetyCheck?: boolean;
  /** On a safety violation: throw (default) or only record it in `violations`. */
  onViolation?: 'throw' | 'record';
  /** Creates a member's application (default: none, only the applied-entry log). */
  app?: (id: number, cluster: RaftCluster) => RaftApp;
  /** Applied entries between disk snapshots (etcd --snapshot-count, default 10,000). */
  snapshotCount?: number;
  /** Entries kept in the raft log behind a snapshot for slow followers (default 5,000). */
  snapshotCatchUpEntries?: number;
  /** Applied entries between in-memory raft snapshots (etcd's memorySnapshotCount, 100; tests lower it). */
  memorySnapshotCount?: number;
  /** fsync latency in ms: a number, or a uniform whole range (default 1..3; 0: synchronous). */
  fsyncMs?: number | { min: number; max: number };
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

/** Upstream: server.go (DefaultSnapshotCount, DefaultSnapshotCatchUpEntries, memorySnapshotCount). */
export const DEFAULT_SNAPSHOT_COUNT = 10_000;
export const DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES = 5_000;
export const MEMORY_SNAPSHOT_COUNT = 100;
/** Upstream: server.go (readyPercentThreshold): a learner in sync has 90% of the leader's log. */
export const READY_PERCENT_THRESHOLD = 0.9;
/** Upstream: server/etcdserver/errors (ErrLearnerNotReady). */
export const ERR_LEARNER_NOT_READY = 'etcdserver: can only promote a learner member which is in sync with leader';
