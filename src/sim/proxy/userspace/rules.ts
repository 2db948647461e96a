/**
 * The iptables rules of the userspace proxier: after pkg/proxy/userspace/proxier.go
 * (iptablesInit, iptablesCommonPortalArgs, iptablesContainerPortalArgs, iptablesHostPortalArgs,
 * iptablesHostNodePortArgs, iptablesNonLocalNodePortArgs) before its removal in v1.26. The rules
 * do not choose a backend: they only steer a Service's address to the port kube-proxy listens on.
 */
import type { Protocol } from '../../api/core/v1';
import { joinHostPort } from '../util/ip';

export const iptablesContainerPortalChain = 'KUBE-PORTALS-CONTAINER';
export const iptablesHostPortalChain = 'KUBE-PORTALS-HOST';
export const iptablesContainerNodePortChain = 'KUBE-NODEPORT-CONTAINER';
export const iptablesHostNodePortChain = 'KUBE-NODEPORT-HOST';
export const iptablesNonLocalNodePortChain = 'KUBE-NODEPORT-NON-LOCAL';

const portalsComment = 'handle ClusterIPs; NOTE: this must be before the NodePort rules';
const nodePortsComment = 'handle service NodePorts; NOTE: this must be the last rule in the chain';
const nonLocalComment = 'Ensure that non-local NodePort traffic can flow';

/** A rule as kube-proxy passes it to `iptables -A`: table, chain and arguments. */
export interface UserspaceRule {
  table: 'nat' | 'filter';
  chain: string;
  args: string[];
  /** What the rule matches and where it sends the packet (portal rules only), for the walk in connect. */
  portal?: PortalMatch;
}

export interface PortalMatch {
  service: string;
  protocol: Protocol;
  /** Absent for NodePort rules: any local address. */
  destIP?: string;
  destPort: number;
  /** `-m physdev ! --physdev-is-in`: not bridged in from a local pod. */
  notFromBridge: boolean;
  /** `-m addrtype --dst-type LOCAL` */
  dstLocal: boolean;
  proxyPort: number;
}

// Upstream: proxier.go (iptablesInit). Portal jumps are prepended, NodePort jumps appended:
// a NodePort rule matches any local address and must not shadow a portal.
export function iptablesInitRules(): UserspaceRule[] {
  return [
    { table: 'nat', chain: 'PREROUTING', args: ['-m', 'comment', '--comment', portalsComment, '-j', iptablesContainerPortalChain] },
    { table: 'nat', chain: 'OUTPUT', args: ['-m', 'comment', '--comment', portalsComment, '-j', iptablesHostPortalChain] },
    { table: 'nat', chain: 'PREROUTING', args: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-m', 'comment', '--comment', nodePortsComment, '-j', iptablesContainerNodePortChain] },
    { table: 'nat', chain: 'OUTPUT', args: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-m', 'comment', '--comment', nodePortsComment, '-j', iptablesHostNodePortChain] },
    { table: 'filter', chain: 'INPUT', args: ['-m', 'comment', '--comment', nonLocalComment, '-j', iptablesNonLocalNodePortChain] },
  ];
}

const toCIDR = (ip: string) => `${ip}/${ip.includes(':') ? 128 : 32}`;
const isZero = (ip: string) => ip === '0.0.0.0' || ip === '::';

// Upstream: proxier.go (iptablesCommonPortalArgs)
function commonPortalArgs(destIP: string | undefined, physdev: boolean, dstLocal: boolean, destPort: number, protocol: Protocol, service: string): string[] {
  const p = protocol.toLowerCase();
  const args = ['-m', 'comment', '--comment', service, '-p', p, '-m', p, '--dport', String(destPort)];
  if (destIP !== undefined) args.push('-d', toCIDR(destIP));
  if (physdev) args.push('-m', 'physdev', '!', '--physdev-is-in');
  if (dstLocal) args.push('-m', 'addrtype', '--dst-type', 'LOCAL');
  return args;
}

// Upstream: proxier.go (iptablesContainerPortalArgs). Bound to every address, REDIRECT sends the
// packet to the incoming interface's address; bound to one address, only DNAT to it works.
export function containerPortalArgs(
  destIP: string | undefined, physdev: boolean, dstLocal: boolean, destPort: number, protocol: Protocol, proxyIP: string, proxyPort: number, service: string,
): string[] {
  const args = commonPortalArgs(destIP, physdev, dstLocal, destPort, protocol, service);
  if (isZero(proxyIP)) args.push('-j', 'REDIRECT', '--to-ports', String(proxyPort));
  else args.push('-j', 'DNAT', '--to-destination', joinHostPort(proxyIP, proxyPort));
  return args;
}

// Upstream: proxier.go (iptablesHostPortalArgs). REDIRECT of local traffic answers from the
// wrong address, so the host's own traffic is DNATed to the node IP instead.
export function hostPortalArgs(
  destIP: string | undefined, dstLocal: boolean, destPort: number, protocol: Protocol, proxyIP: string, proxyPort: number, hostIP: string, service: string,
): string[] {
  const args = commonPortalArgs(destIP, false, dstLocal, destPort, protocol, service);
  args.push('-j', 'DNAT', '--to-destination', joinHostPort(isZero(proxyIP) ? hostIP : proxyIP, proxyPort));
  return args;
}

// Upstream: proxier.go (iptablesNonLocalNodePortArgs): opens the proxy port in a default-deny INPUT.
export function nonLocalNodePortArgs(protocol: Protocol, proxyPort: number, service: string): string[] {
  return [...commonPortalArgs(undefined, false, false, proxyPort, protocol, service), '-m', 'state', '--state', 'NEW', '-j', 'ACCEPT'];
}

const quoteArg = (a: string) => (/[\s"]/.test(a) ? `"${a}"` : a);

/** The rules as `iptables-save` lists them, kube-proxy's argument order, built-in chains first. */
export function userspaceIPTablesSave(rules: UserspaceRule[], table: 'nat' | 'filter'): string {
  const builtin = table === 'nat' ? ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] : ['INPUT', 'FORWARD', 'OUTPUT'];
  const own = table === 'nat'
    ? [iptablesContainerNodePortChain, iptablesHostNodePortChain, iptablesContainerPortalChain, iptablesHostPortalChain]
    : [iptablesNonLocalNodePortChain];
  const mine = rules.filter((r) => r.table === table);
  const lines = [`*${table}`, ...builtin.map((c) => `:${c} ACCEPT [0:0]`), ...own.map((c) => `:${c} - [0:0]`)];
  for (const chain of [...builtin, ...own]) {
    for (const r of mine) if (r.chain === chain) lines.push(`-A ${chain} ${r.args.map(quoteArg).join(' ')}`);
  }
  return `${lines.join('\n')}\nCOMMIT\n`;
}
