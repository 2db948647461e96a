/** The cluster's network as the nodes run it: see README.md. */
export { PodNetworkAgent, sandboxRetryMs, type PodNetworkAgentOptions, type PodSandbox } from './pod_agent';
export { ClusterNetwork, ClusterDNSIP, ClusterDomain, type ClusterNetworkOptions, type ClusterNetworkNode } from './cluster_network';
export { nodeCommand, podCommand, curl, describeWalk, type NetCommandResult, type Origin } from './commands';
export type { Service, ServiceSpec, ServicePort, Endpoints, EndpointSubset, EndpointAddress } from '../api/core/v1';
export type { EndpointSlice, Endpoint as EndpointSliceEndpoint, EndpointConditions, EndpointPort as EndpointSlicePort, AddressType } from '../api/discovery/v1';
