/**
 * The seeded network for message-passing nodes (after etcd-io/raft v3.6.0's test networks).
 * See README.md in this folder.
 */
export {
  newNetwork,
  type InFlight,
  type Latency,
  type LinkMatch,
  type NetMessage,
  type Network,
  type NetworkConfig,
  type NetworkStats,
  type NodeState,
  type RuleHandle,
} from './network';
export { RAFT_TAG, raftnetEvents, type DropReason, type RaftnetEvent, type RaftnetEventMap, type RaftnetEventOf } from './events';
export { newNetworkReplayer, raftnetReducer, replayNetwork, type NetworkReplayState, type RaftnetReplayState, type ReplayedMessage } from './replay';
