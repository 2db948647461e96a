/** The node IPAM controller (kube-controller-manager `--allocate-node-cidrs`): see README.md. */
export { NodeIpamController, validateNodeIpamOptions, cidrUpdateRetries, type NodeIpamOptions } from './range_allocator';
export { CidrSet, ErrCIDRRangeNoCIDRsRemaining } from './cidr_set';
