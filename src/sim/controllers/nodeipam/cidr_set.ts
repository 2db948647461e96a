/**
 * Upstream: pkg/controller/nodeipam/ipam/cidrset/cidr_set.go at v1.34 (CidrSet: NewCIDRSet,
 * AllocateNext, Occupy, Release, getBeginningAndEndIndices, getIndexForIP), IPv4 only. A bitmap of
 * node-sized blocks of the cluster CIDR; AllocateNext scans from where the last allocation ended,
 * so a released block is handed out again only after the scan wraps around.
 */
import { contains, formatCIDR, formatIpv4, maskOf, type Ipv4Net } from '../../netaddr/ipv4';

export const ErrCIDRRangeNoCIDRsRemaining = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';

export class CidrSet {
  readonly maxCIDRs: number;
  allocatedCIDRs = 0;
  #nextCandidate = 0;
  readonly #used: Uint8Array;

  constructor(
    readonly clusterCIDR: Ipv4Net,
    readonly nodeMaskSize: number,
  ) {
    if (nodeMaskSize < clusterCIDR.bits) throw new Error(`node CIDR mask size ${nodeMaskSize} is smaller than the cluster CIDR's ${clusterCIDR.bits}`);
    this.maxCIDRs = 2 ** (nodeMaskSize - clusterCIDR.bits);
    this.#used = new Uint8Array(this.maxCIDRs);
  }

  #indexToCIDRBlock(index: number): Ipv4Net {
    return { ip: (this.clusterCIDR.ip | (index * 2 ** (32 - this.nodeMaskSize))) >>> 0, bits: this.nodeMaskSize };
  }

  /** Go: `AllocateNext`. */
  allocateNext(): Ipv4Net {
    if (this.allocatedCIDRs === this.maxCIDRs) throw new Error(ErrCIDRRangeNoCIDRsRemaining);
    let candidate = this.#nextCandidate;
    for (let i = 0; i < this.maxCIDRs && this.#used[candidate]; i++) candidate = (candidate + 1) % this.maxCIDRs;
    this.#nextCandidate = (candidate + 1) % this.maxCIDRs;
    this.#used[candidate] = 1;
    this.allocatedCIDRs++;
    return this.#indexToCIDRBlock(candidate);
  }

  /** Go: `getIndexForIP`. */
  #indexForIP(ip: number): number {
    const index = Math.floor(((this.clusterCIDR.ip ^ ip) >>> 0) / 2 ** (32 - this.nodeMaskSize));
    if (index >= this.maxCIDRs) throw new Error(`CIDR: ${formatIpv4(ip)}/${this.nodeMaskSize} is out of the range of CIDR allocator`);
    return index;
  }

  /** Go: `getBeginningAndEndIndices`: the blocks a CIDR covers (a larger one covers many). */
  #range(cidr: Ipv4Net): [number, number] {
    const overlaps = contains(this.clusterCIDR, cidr.ip) || contains(cidr, this.clusterCIDR.ip);
    if (!overlaps) throw new Error(`cidr ${formatCIDR(cidr)} is out the range of cluster cidr ${formatCIDR(this.clusterCIDR)}`);
    if (this.clusterCIDR.bits >= cidr.bits) return [0, this.maxCIDRs - 1];
    const nodeMask = maskOf(this.nodeMaskSize);
    const first = (cidr.ip & nodeMask) >>> 0;
    const last = ((cidr.ip | ~maskOf(cidr.bits)) & nodeMask) >>> 0;
    return [this.#indexForIP(first), this.#indexForIP(last)];
  }

  /** Go: `Occupy`: marks the blocks used, counting only those that were free. */
  occupy(cidr: Ipv4Net): void {
    const [begin, end] = this.#range(cidr);
    for (let i = begin; i <= end; i++) {
      if (!this.#used[i]) {
        this.#used[i] = 1;
        this.allocatedCIDRs++;
      }
    }
  }

  /** Go: `Release`. */
  release(cidr: Ipv4Net): void {
    const [begin, end] = this.#range(cidr);
    for (let i = begin; i <= end; i++) {
      if (this.#used[i]) {
        this.#used[i] = 0;
        this.allocatedCIDRs--;
      }
    }
  }
}
