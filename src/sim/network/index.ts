/** The cluster's network as the nodes run it: see README.md. */
export { PodNetworkAgent, sandboxRetryMs, type PodNetworkAgentOptions, type PodSandbox } from './pod_agent';
