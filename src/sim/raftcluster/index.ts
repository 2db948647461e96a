/** A minimal raft cluster driver: RawNodes over raftnet, checked for safety after every step. */
export { newRaftCluster, RaftCluster, type RaftClusterConfig, type ProposeResult, type Proposal, type AppliedEntry } from './cluster';
export { replayFigure8, type Figure8Replay } from './figure8';
