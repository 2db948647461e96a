/**
 * Pod IPs for the runtime: what a CNI plugin does on RunPodSandbox / StopPodSandbox. The default
 * is host-local IPAM over the node's pod CIDR (a /24 such as 10.244.1.0/24): .1 is the bridge
 * gateway, addresses are handed out after the last one given and wrap around, as host-local does.
 */
import type { PodSandboxConfig } from './api';

export interface SandboxRef {
  id: string;
  config: PodSandboxConfig;
}

/** The CNI seam: set up the pod's network and say its IP; tear it down on stop. */
export interface PodNetwork {
  setUpPod(sandbox: SandboxRef): Promise<{ ip: string }>;
  tearDownPod(sandbox: SandboxRef): Promise<void>;
}

// Upstream: containernetworking/plugins plugins/ipam/host-local/backend/allocator (Get: round robin after lastReservedIP)
export function newHostLocalNetwork(podCidr: string): PodNetwork & { allocated(): Map<string, string> } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.0\/24$/.exec(podCidr);
  if (!m) throw new RangeError(`newHostLocalNetwork: podCidr must be a /24 like 10.244.1.0/24, got ${JSON.stringify(podCidr)}`);
  const prefix = `${m[1]}.${m[2]}.${m[3]}.`;
  const inUse = new Map<string, string>(); // ip -> sandbox id
  let last = 1;
  return {
    async setUpPod(sandbox) {
      for (let step = 1; step <= 253; step++) {
        const host = ((last - 2 + step) % 253) + 2; // .2 .. .254
        const ip = prefix + host;
        if (!inUse.has(ip)) {
          inUse.set(ip, sandbox.id);
          last = host;
          return { ip };
        }
      }
      throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${prefix}1-${prefix}254`);
    },
    async tearDownPod(sandbox) {
      for (const [ip, id] of inUse) if (id === sandbox.id) inUse.delete(ip);
    },
    allocated: () => new Map(inUse),
  };
}
