import type { Rng } from '../../core/rng';
import { formatIPv4, parseCidr, parseIPv4 } from '../ip';
import type { FlannelNetworkConfig } from './config';

/**
 * The etcd (local) subnet manager's choice of a node's lease: the first 100 free subnets from
 * SubnetMin up to SubnetMax, one picked at random (seeded). In kube subnet manager mode
 * (kube-flannel.yml's `--kube-subnet-mgr`) there is no choice: the lease is node.spec.podCIDR.
 */
// Upstream: flannel pkg/subnet/etcd/local_manager.go (LocalManager.allocateSubnet)
export function allocateSubnet(config: FlannelNetworkConfig, leases: string[], rng: Rng): string {
  const size = 2 ** (32 - config.SubnetLen);
  const taken = leases.map(parseCidr);
  const available: number[] = [];
  for (let ip = parseIPv4(config.SubnetMin); ip <= parseIPv4(config.SubnetMax) && available.length < 100; ip += size) {
    const overlaps = taken.some((t) => {
      const tSize = 2 ** (32 - t.bits);
      return ip < t.ip + tSize && t.ip < ip + size;
    });
    if (!overlaps) available.push(ip);
  }
  if (available.length === 0) throw new Error('out of subnets');
  return `${formatIPv4(available[rng.int(available.length)])}/${config.SubnetLen}`;
}
