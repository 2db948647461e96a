/**
 * The host-local IPAM plugin: containernetworking/plugins v1.9.1 plugins/ipam/host-local
 * (backend/allocator/range.go `Canonicalize`, allocator.go `Get`, `Release`, `GetIter`,
 * `RangeIter.Next`; backend/disk/backend.go `Reserve`, `LastReservedIP`, `ReleaseByID`).
 * Addresses are handed out round robin from the last reserved one, skipping the gateway, so a
 * restarted container does not get its old address back until the range has been walked; each
 * reservation is a file `/var/lib/cni/networks/<network>/<ip>` holding the container ID and
 * interface, and `last_reserved_ip.0` the cursor. Single range, IPv4.
 */
import { broadcastOf, contains, formatCIDR, formatIpv4, nextIp, parseCIDR, parseIpv4, type Ipv4Net } from '../netaddr/ipv4';
import { CniError, type CniIpConfig, type CniRoute } from './types';

export const defaultDataDir = '/var/lib/cni/networks';
const lastIPFilePrefix = 'last_reserved_ip.';
/** What the disk backend writes between the container ID and the interface name. */
const LineBreak = '\r\n';

export interface HostLocalRange {
  subnet: string;
  rangeStart?: string;
  rangeEnd?: string;
  gateway?: string;
}

export interface HostLocalConf {
  type: 'host-local';
  ranges: HostLocalRange[][];
  routes?: CniRoute[];
  dataDir?: string;
}

interface Range {
  subnet: Ipv4Net;
  start: number;
  end: number;
  gateway: number;
}

/** Go: `Range.Canonicalize`, with its error texts. */
export function canonicalizeRange(r: HostLocalRange): Range {
  const subnet = parseCIDR(r.subnet);
  if (subnet.bits > 30) throw new CniError(11, `Network ${formatCIDR(subnet)} too small to allocate from`);
  const given = parseIpv4(r.subnet.split('/')[0]);
  if (given !== subnet.ip) throw new CniError(11, `Network has host bits set. For a subnet mask of length ${subnet.bits} the network address is ${formatIpv4(subnet.ip)}`);
  const ipIn = (s: string | undefined, what: string): number | undefined => {
    if (s === undefined) return undefined;
    const ip = parseIpv4(s);
    if (ip === undefined || !contains(subnet, ip)) throw new CniError(11, `${what} ${s} not in network ${formatCIDR(subnet)}`);
    return ip;
  };
  const gateway = r.gateway !== undefined ? parseIpv4(r.gateway) ?? 0 : nextIp(subnet.ip);
  return {
    subnet,
    gateway,
    start: ipIn(r.rangeStart, 'RangeStart') ?? nextIp(subnet.ip),
    end: ipIn(r.rangeEnd, 'RangeEnd') ?? (broadcastOf(subnet) - 1) >>> 0,
  };
}

/** The plugin's state on one node: the files under its data directory. */
export class HostLocalStore {
  /** Path -> content, as the disk backend leaves them. */
  readonly files = new Map<string, string>();

  constructor(
    readonly network: string,
    readonly dataDir = defaultDataDir,
  ) {}

  #path(name: string): string {
    return `${this.dataDir}/${this.network}/${name}`;
  }

  /** Go: `Store.Reserve`: false when the address is taken. */
  reserve(id: string, ifname: string, ip: number, rangeID: string): boolean {
    const path = this.#path(formatIpv4(ip));
    if (this.files.has(path)) return false;
    this.files.set(path, `${id.trim()}${LineBreak}${ifname}`);
    this.files.set(this.#path(lastIPFilePrefix + rangeID), formatIpv4(ip));
    return true;
  }

  lastReservedIP(rangeID: string): number | undefined {
    const s = this.files.get(this.#path(lastIPFilePrefix + rangeID));
    return s === undefined ? undefined : parseIpv4(s);
  }

  /** The addresses reserved for a container's interface (Go: `GetByID`). */
  getByID(id: string, ifname: string): number[] {
    const want = `${id.trim()}${LineBreak}${ifname}`;
    const out: number[] = [];
    for (const [path, content] of this.files) if (content === want) out.push(parseIpv4(path.slice(path.lastIndexOf('/') + 1)) ?? 0);
    return out;
  }

  /** Go: `ReleaseByID`. */
  releaseByID(id: string, ifname: string): void {
    const want = `${id.trim()}${LineBreak}${ifname}`;
    for (const [path, content] of [...this.files]) if (content === want) this.files.delete(path);
  }
}

/** Go: host-local's `cmdAdd` for one range: the address, its gateway, and the configured routes. */
export function hostLocalAdd(conf: HostLocalConf, store: HostLocalStore, id: string, ifname: string): { ips: CniIpConfig[]; routes: CniRoute[] } {
  if (conf.ranges.length !== 1 || conf.ranges[0].length !== 1) throw new CniError(11, 'the model of host-local takes exactly one range');
  const r = canonicalizeRange(conf.ranges[0][0]);
  const rangeID = '0';
  for (const ip of store.getByID(id, ifname)) {
    if (contains(r.subnet, ip)) throw new CniError(11, `${formatIpv4(ip)} has been allocated to ${id}, duplicate allocation is not allowed`);
  }
  // Go: GetIter + RangeIter.Next: from the last reserved address + 1, wrapping, skipping the gateway.
  const last = store.lastReservedIP(rangeID);
  let cur = last !== undefined && last >= r.start && last <= r.end ? last : undefined;
  let startIP: number | undefined;
  for (;;) {
    if (cur === undefined) cur = r.start;
    else cur = cur === r.end ? r.start : nextIp(cur);
    if (startIP === undefined) startIP = cur;
    else if (cur === startIP) break;
    if (cur === r.gateway) continue;
    if (store.reserve(id, ifname, cur, rangeID)) {
      return { ips: [{ address: `${formatIpv4(cur)}/${r.subnet.bits}`, gateway: formatIpv4(r.gateway) }], routes: [...(conf.routes ?? [])] };
    }
  }
  throw new CniError(11, `no IP addresses available in range set: ${formatIpv4(r.start)}-${formatIpv4(r.end)}`);
}

/** Go: host-local's `cmdDel`. */
export function hostLocalDel(store: HostLocalStore, id: string, ifname: string): void {
  store.releaseByID(id, ifname);
}
