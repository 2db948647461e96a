export { buildCluster, type Cluster, type ClusterSpec, type NodeSpec, type PodSpec, type NodeNet, type PodNet } from './cluster';
export { walkPacket } from './walk';
export { formatWalk } from './format';
export { kubeProxyBaseRules } from './kubeproxy_base';
export type { Hop, HopKind, Headers, OuterHeaders, RuleRef, Outcome, WalkResult, WalkRequest, Endpoint } from './types';
export { runNetCommand, type CommandResult } from './shell';
export { netstackEvents, FLANNEL_TAG, type NetstackEvent, type NetstackEventMap } from './events';
