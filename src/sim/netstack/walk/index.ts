export { buildCluster, type Cluster as NetCluster, type ClusterSpec as NetClusterSpec, type NodeSpec as NetNodeSpec, type PodSpec as NetPodSpec, type NodeNet, type PodNet } from './cluster';
export { walkPacket } from './walk';
export { formatWalk } from './format';
export { kubeProxyBaseRules } from './kubeproxy_base';
export type { Hop, HopKind, Headers as PacketHeaders, OuterHeaders, RuleRef, Outcome as WalkOutcome, WalkResult, WalkRequest, Endpoint as WalkEndpoint } from './types';
export { runNetCommand, type CommandResult } from './shell';
export { netstackEvents, FLANNEL_TAG, type NetstackEvent, type NetstackEventMap } from './events';
