/**
 * The bridge plugin: containernetworking/plugins v1.9.1 plugins/main/bridge/bridge.go (`cmdAdd`,
 * `calcGateways`, `setupBridge`, `setupVeth`) and pkg/ip (`RandomVethName`). The node side of a
 * pod's network: a Linux bridge (`cni0`) holding the gateway address, a veth pair whose host end
 * (`veth` + 8 hex digits) is a bridge port and whose other end is the pod's `eth0`, the address
 * from IPAM, and a default route through the bridge when `isDefaultGateway`. The result is data:
 * the node model (src/sim/netstack) turns it into links, addresses and routes.
 */
import type { Rng } from '../core/rng';
import { hostLocalAdd, hostLocalDel, type HostLocalConf, type HostLocalStore } from './host_local';
import { CniError, type CniArgs, type CniResult } from './types';

export const defaultBrName = 'cni0';

export interface BridgeConf {
  cniVersion?: string;
  name: string;
  type: 'bridge';
  bridge?: string;
  isGateway?: boolean;
  isDefaultGateway?: boolean;
  ipMasq?: boolean;
  hairpinMode?: boolean;
  promiscMode?: boolean;
  mtu?: number;
  ipam: HostLocalConf;
}

/** A bridge as it is on the node (created by the first ADD, kept across pods). */
export interface BridgeState {
  name: string;
  mac: string;
  mtu: number;
  /** Gateway addresses set on the bridge, `10.244.1.1/24`. */
  addresses: string[];
}

export interface BridgeDeps {
  rng: Rng;
  ipam: HostLocalStore;
  /** Bridges already on the node, by name; ADD creates or reuses one. */
  bridges: Map<string, BridgeState>;
}

/** A locally administered unicast MAC, as the kernel's eth_random_addr makes one. */
export function randomMac(rng: Rng): string {
  const b = Array.from({ length: 6 }, () => rng.int(256));
  b[0] = (b[0] & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Go: `ip.RandomVethName`: `veth` and 4 random bytes in hex. */
export function randomVethName(rng: Rng): string {
  return `veth${Array.from({ length: 4 }, () => rng.int(256).toString(16).padStart(2, '0')).join('')}`;
}

/** Go: bridge `cmdAdd`. */
export function bridgeAdd(conf: BridgeConf, args: CniArgs, deps: BridgeDeps): CniResult {
  const isGateway = conf.isGateway || conf.isDefaultGateway;
  if (conf.hairpinMode && conf.promiscMode) throw new CniError(7, 'cannot set hairpin mode and promiscuous mode at the same time');
  const mtu = conf.mtu ?? 1500;
  const brName = conf.bridge ?? defaultBrName;
  let br = deps.bridges.get(brName);
  if (!br) {
    br = { name: brName, mac: randomMac(deps.rng), mtu, addresses: [] };
    deps.bridges.set(brName, br);
  }
  const hostVeth = { name: randomVethName(deps.rng), mac: randomMac(deps.rng) };
  const container = { name: args.ifName, mac: randomMac(deps.rng), sandbox: args.netns };
  const ipam = hostLocalAdd(conf.ipam, deps.ipam, args.containerID, args.ifName);
  if (ipam.ips.length === 0) throw new CniError(11, 'IPAM plugin returned missing IP config');
  const routes = [...ipam.routes];
  const ips = ipam.ips.map((ip) => ({ ...ip, interface: 2 }));
  // Go: calcGateways: a default route through the gateway unless IPAM gave one.
  if (conf.isDefaultGateway && !routes.some((r) => r.dst === '0.0.0.0/0' && r.gw)) routes.push({ dst: '0.0.0.0/0', gw: ips[0].gateway });
  if (isGateway) {
    for (const ip of ips) {
      const gw = `${ip.gateway}/${ip.address.split('/')[1]}`;
      if (!br.addresses.includes(gw)) br.addresses.push(gw);
    }
  }
  return {
    cniVersion: conf.cniVersion ?? '1.0.0',
    interfaces: [{ name: br.name, mac: br.mac }, hostVeth, container],
    ips,
    routes,
    dns: {},
  };
}

/** Go: bridge `cmdDel`: the address goes back to IPAM; the veth pair goes with the namespace. */
export function bridgeDel(conf: BridgeConf, args: CniArgs, deps: BridgeDeps): void {
  hostLocalDel(deps.ipam, args.containerID, args.ifName);
  void conf;
}
