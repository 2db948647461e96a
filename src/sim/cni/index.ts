/** CNI plugins as a node runs them for pods: flannel delegating to bridge with host-local IPAM. See README.md. */
export type { CniArgs, CniInterface, CniIpConfig, CniResult, CniRoute } from './types';
export { CniError } from './types';
export { HostLocalStore, hostLocalAdd, hostLocalDel, canonicalizeRange, type HostLocalConf, type HostLocalRange } from './host_local';
export { bridgeAdd, bridgeDel, randomMac, randomVethName, defaultBrName, type BridgeConf, type BridgeState, type BridgeDeps } from './bridge';
export { flannelAdd, flannelDel, loadFlannelSubnetEnv, kubeFlannelConflist, type FlannelNetConf, type FlannelDeps, type SubnetEnv } from './flannel';
