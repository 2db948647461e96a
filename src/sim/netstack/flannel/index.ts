export {
  parseNetworkConfig, subnetEnv, encapOverhead, validLease, KUBE_FLANNEL_NET_CONF, DEFAULT_VNI, DEFAULT_VXLAN_PORT, DEFAULT_UDP_PORT,
  type FlannelNetworkConfig, type BackendType,
} from './config';
export { flannelMasqRules, flannelForwardRules, flannelIptablesSave, KUBE_PROXY_MARK } from './iptables';
export { allocateSubnet } from './lease';
export { setupFlannelNode, type FlannelLease, type FlannelNodeState } from './backend';
