/** A raft cluster driver: RawNodes over raftnet, each with a disk and an application, checked for safety after every step. */
export {
  newRaftCluster,
  RaftCluster,
  DEFAULT_SNAPSHOT_COUNT,
  DEFAULT_SNAPSHOT_CATCH_UP_ENTRIES,
  MEMORY_SNAPSHOT_COUNT,
  ERR_LEARNER_NOT_READY,
  type RaftClusterConfig,
  type RaftApp,
  type ProposeResult,
  type Proposal,
  type AppliedEntry,
} from './cluster';
export { Disk, type WalRecord, type DiskContents } from './disk';
export { diskEvents, type DiskEvent, type DiskEventMap, type DiskEventOf } from './events';
export { replayFigure8, type Figure8Replay } from './figure8';
