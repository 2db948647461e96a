/**
 * The raft model (etcd-io/raft v3.6.0): the public names. See README.md in this folder for the
 * upstream files, the Go -> TS names and the divergences.
 */
export { newRaft, Raft, stepLeader, stepCandidate, stepFollower, confChangeToMsg, type RaftConfig, type StateType, type CampaignType, type SoftState, type StepFunc } from './raft';
export type { RaftRules, VoteRuleState, VoteRequest, CommitRuleState } from './rules';
export { raftEvents, type RaftEvent, type RaftEventMap, type RaftEventOf, type StepHandling as RaftStepHandling, type VoteReason as RaftVoteReason } from './events';
export { newRawNode, RawNode, mustSync, LocalAppendThread, LocalApplyThread, type Ready, type Status as RaftStatus, type BasicStatus as RaftBasicStatus } from './rawnode';
export { newMemoryStorage, MemoryStorage, type Storage, type MemoryStorageOptions } from './storage';
export { RaftLog, newLog } from './log';
export { Unstable } from './log_unstable';
export { ReadOnly, type ReadOnlyOption, type ReadState, type ReadIndexStatus } from './read_only';
export {
  RaftError,
  ErrCompacted,
  ErrSnapOutOfDate,
  ErrUnavailable,
  ErrSnapshotTemporarilyUnavailable,
  ErrProposalDropped,
  ErrStepLocalMsg,
  ErrStepPeerNotFound,
} from './errors';
export {
  newEntry,
  newMessage,
  newSnapshot,
  newConfState,
  emptySnapshot,
  isEmptyHardState,
  isEmptySnap,
  entrySize,
  marshalConfChange,
  unmarshalConfChange,
  confChangeEntry,
  asV2 as confChangeAsV2,
  type Entry,
  type EntryInput,
  type EntryType,
  type HardState,
  type ConfState,
  type Snapshot,
  type SnapshotMetadata,
  type Message as RaftMessage,
  type MessageInput as RaftMessageInput,
  type MessageType as RaftMessageType,
  type ConfChange,
  type ConfChangeV2,
  type ConfChangeSingle,
  type ConfChangeType,
  type ConfChangeTransition,
} from './raftpb';
export { Progress, type ProgressStateType, type ProgressMap } from './tracker/progress';
export { Inflights } from './tracker/inflights';
export { ProgressTracker, makeProgressTracker, type TrackerConfig } from './tracker/tracker';
export { type VoteResult, type MajorityConfig, type JointConfig, majorityCommittedIndex, majorityVoteResult, jointCommittedIndex, jointVoteResult } from './quorum/quorum';
export { Changer as ConfChanger } from './confchange/confchange';
export { describeMessage, describeEntry, describeHardState, describeConfState, describeSnapshot, isLocalMsg, isResponseMsg, None, noLimit } from './util';
export type { EntryID, LogSlice } from './types';
