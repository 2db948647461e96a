/**
 * The checker's trace event: a safety property found broken, at the step it broke, so a view can
 * flag it and the timeline can mark it. Each links the etcd-io/raft code that keeps the property.
 */
import { defineEvents, type AnyEventOf, type SourceRef } from '../core/events';
import type { SafetyProperty } from './raft_safety';

export type RaftcheckEventMap = {
  /** The checker found `property` broken (after the step at this event's time). */
  'raftcheck.violation': { property: SafetyProperty; message: string; nodes: number[] };
};

export type RaftcheckEvent = AnyEventOf<RaftcheckEventMap>;

/** Where etcd-io/raft keeps each property. */
const KEEPS: Record<SafetyProperty, SourceRef> = {
  ElectionSafety: { file: 'raft.go', symbol: 'raft.Step' }, // one vote per term
  LeaderAppendOnly: { file: 'log.go', symbol: 'raftLog.append' },
  LogMatching: { file: 'log.go', symbol: 'raftLog.maybeAppend' },
  LeaderCompleteness: { file: 'log.go', symbol: 'raftLog.isUpToDate' },
  StateMachineSafety: { file: 'raft.go', symbol: 'raft.maybeCommit' },
};

export const raftcheckEvents = defineEvents<RaftcheckEventMap>(
  'raftcheck',
  { name: 'raft', tag: 'v3.6.0', blobUrl: 'https://github.com/etcd-io/raft/blob/v3.6.0/' },
  {
    'raftcheck.violation': {
      text: (e) => `safety violation: ${e.property}: ${e.message}`,
      source: (e) => KEEPS[e.property],
    },
  },
);
