/** The userspace proxier (historic, removed in v1.26): its public part. */
export {
  newUserspaceProxier,
  endpointDialTimeoutsMs,
  type UserspaceProxier,
  type UserspaceProxierOptions,
  type ServiceInfo as UserspaceServiceInfo,
  type ProxySocket as UserspaceProxySocket,
  type ConnectRequest as UserspaceConnectRequest,
  type ConnectResult as UserspaceConnectResult,
} from './proxier';
export {
  newLoadBalancerRR,
  buildPortsToEndpointsMap,
  ErrMissingServiceEntry,
  ErrMissingEndpoints,
  type LoadBalancerRR,
  type ServiceAffinity,
} from './roundrobin';
export {
  iptablesContainerPortalChain,
  iptablesHostPortalChain,
  iptablesContainerNodePortChain,
  iptablesHostNodePortChain,
  iptablesNonLocalNodePortChain,
  type UserspaceRule,
} from './rules';
