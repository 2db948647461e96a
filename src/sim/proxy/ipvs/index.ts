/** The IPVS proxier of kube-proxy v1.34: virtual servers, kube-ipvs0, ipsets and its iptables rules. */
export {
  syncIPVSProxyRules,
  virtualServerString,
  defaultDummyDevice,
  defaultScheduler,
  type SyncIPVSOptions,
  type SyncIPVSResult,
  type VirtualServer,
  type RealServer,
  type IPVSScheduler,
} from './proxier';
export { ipsetInfo, ipsetEntryString, type IPSet, type IPSetEntry, type IPSetType } from './ipset';
export { ipvsadmList, ipAddrShowDummy } from './ipvsadm';
