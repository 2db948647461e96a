/**
 * kube-proxy v1.34, the public part: the shared service/endpoint layer of pkg/proxy and the
 * iptables proxier's rule sync (the DESIGN.md contract), with helpers to read its output.
 */
export {
  type ServicePortName,
  type ServicePortInfo,
  servicePortNameString,
  servicePortKey,
  serviceToServicePorts,
  buildServicePortMap,
  externalPolicyLocal,
  internalPolicyLocal,
  needsHealthCheck,
  shouldSkipService,
} from './serviceport';
export type { EndpointInfo } from './endpoint';
export { buildEndpointsMap, type EndpointsMap, type EndpointsMapOptions } from './endpointslicecache';
export { categorizeEndpoints, topologyModeFromHints, type CategorizedEndpoints, type TopologyMode } from './topology';
export { newLocalDetector, type LocalMode, type LocalTrafficDetector } from './util/localdetector';
export {
  servicePortPolicyClusterChain,
  servicePortPolicyLocalChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortEndpointChainName,
  computeProbability,
  isServiceChainName,
  type ChainProtocol,
} from './iptables/chains';
export { syncProxyRules, masqueradeMarkFor, type SyncProxyRulesOptions, type SyncProxyRulesResult } from './iptables/proxier';
export {
  countRules,
  sortIPTablesRules,
  parseIPTablesDump,
  formatIPTablesDump,
  iptablesSaveTable,
  iptablesJumpChains,
  checkIPTablesRuleJumps,
  type IPTablesTable,
  type IPTablesChain,
} from './iptables/save';
export { canonicalRule, canonicalIPTablesSave, savedProbability } from './iptables/canonical';
export { tracePacket, parseRule, type TraceResult, type ParsedRule } from './iptables/tracer';
export * from './ipvs/index';
export * from './nftables/index';
export * from './userspace/index';
export { proxyModeCosts, type ProxyMode, type ProxyModeCost, type ProxyModeCostOptions } from './modecosts';
