/**
 * The node network stack model (netfilter, conntrack, links, flannel, the packet walk).
 * See README.md for the upstream files, the Go/C -> TS names and the divergences.
 */
export * from './netfilter/index';
export * from './conntrack/index';
export * from './link/index';
export * from './flannel/index';
export * from './walk/index';
export { parseIPv4, formatIPv4, parseCidr, formatCidr, cidrContains, nthAddress, type Cidr } from './ip';
