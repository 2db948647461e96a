/**
 * DNS in a cluster: the resolv.conf and /etc/hosts the kubelet gives a pod, the records CoreDNS
 * serves, the queries glibc's resolver sends, and what `dig` and `nslookup` print.
 */
export {
  Configurer as DNSConfigurer,
  podResolvConf,
  formatResolvConf,
  formatDNSEvent,
  parseResolvConf,
  getPodDNSType,
  mergeDNSOptions,
  appendDNSConfig,
  omitDuplicates,
  defaultDNSOptions,
  type DNSConfig,
  type DNSEvent,
  type ConfigurerOptions as DNSConfigurerOptions,
  type PodDNSResult,
  type PodDNSType,
} from './kubelet/resolvconf';
export {
  podHostsFile,
  managedHostsFileContent,
  nodeHostsFileContent,
  hostsEntriesFromHostAliases,
  generatePodHostNameAndDomain,
  truncatePodHostnameIfNeeded,
  nodenameForKernel,
  managedHostsHeader,
  managedHostsHeaderWithHostNetwork,
  type PodHostsFileOptions,
} from './kubelet/hosts';
export { validatePodDNSConfig, validateDNSPolicy, validatePodDNS, MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars } from './validation';
export { CoreDNS, newCoreDNS, type CoreDNSOptions } from './coredns/server';
export { coreDNSFromClientset } from './coredns/cluster';
export { KubernetesBackend, endpointHostname, type KubernetesPluginOptions } from './coredns/kubernetes';
export { parseRequest, type RecordRequest } from './coredns/parse';
export { kubeadmCorefile, CoreDNSVersion } from './coredns/corefile';
export { newUpstreamResolver, defaultUpstreamTable, type UpstreamTable, type UpstreamEntry, type DNSServer, type Query as DNSQuery } from './coredns/upstream';
export {
  getaddrinfo,
  getnameinfo,
  resSearch,
  parseResolverConfig,
  hostsLookup,
  formatQueryLog,
  type ResolverConfig,
  type ResolverContext,
  type LookupResult,
  type QueryLogEntry,
  type Network as DNSNetwork,
  type HErrno,
} from './resolver/glibc';
export { dig, digWhen, type ToolContext as DNSToolContext, type ToolResult as DNSToolResult } from './tools/dig';
export { nslookup, type NslookupContext } from './tools/nslookup';
export { rrText, questionText, msgWireLength, reverseName, type RR, type Msg, type QType, type Rcode } from './message';
export { resolverEvents, corednsEvents, formatDNSTrace, type ResolverEvent, type CoreDNSEvent, type ResolverEventMap, type CoreDNSEventMap } from './events';
export { clusterDNS as exampleClusterDNS, clusterNetwork as exampleClusterNetwork, clusterServices as exampleClusterServices, clusterSlices as exampleClusterSlices } from './testing/cluster';
