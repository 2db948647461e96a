/**
 * How kube-proxy tells pod traffic from other traffic: after pkg/proxy/util/localdetector.go
 * (NewNoOpLocalDetector, NewDetectLocalByCIDR, NewDetectLocalByBridgeInterface,
 * NewDetectLocalByInterfaceNamePrefix) and cmd/kube-proxy's choice by detectLocalMode.
 */

/** kube-proxy's `detectLocalMode` values (KubeProxyConfiguration v1alpha1). */
export type LocalMode = 'ClusterCIDR' | 'NodeCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix';

export interface LocalTrafficDetector {
  /** False for the no-op detector: then no rule depends on where traffic came from. */
  isImplemented: boolean;
  /** iptables match arguments for "from a local pod". */
  ifLocal: string[];
  /** iptables match arguments for "not from a local pod". */
  ifNotLocal: string[];
}

export const noOpLocalDetector: LocalTrafficDetector = { isImplemented: false, ifLocal: [], ifNotLocal: [] };

// Upstream: pkg/proxy/util/localdetector.go (NewDetectLocalByCIDR)
export function detectLocalByCIDR(cidr: string): LocalTrafficDetector {
  return { isImplemented: true, ifLocal: ['-s', cidr], ifNotLocal: ['!', '-s', cidr] };
}

// Upstream: pkg/proxy/util/localdetector.go (NewDetectLocalByBridgeInterface)
export function detectLocalByBridgeInterface(interfaceName: string): LocalTrafficDetector {
  return { isImplemented: true, ifLocal: ['-i', interfaceName], ifNotLocal: ['!', '-i', interfaceName] };
}

// Upstream: pkg/proxy/util/localdetector.go (NewDetectLocalByInterfaceNamePrefix)
export function detectLocalByInterfaceNamePrefix(prefix: string): LocalTrafficDetector {
  return { isImplemented: true, ifLocal: ['-i', `${prefix}+`], ifNotLocal: ['!', '-i', `${prefix}+`] };
}

export interface LocalDetectorConfig {
  detectLocalMode?: LocalMode;
  /** `clusterCIDR` of the kube-proxy configuration (kubeadm sets the pod subnet here). */
  clusterCIDR?: string;
  /** This node's `spec.podCIDR`. */
  podCIDR?: string;
  bridgeInterface?: string;
  interfaceNamePrefix?: string;
}

// Upstream: cmd/kube-proxy/app/server_linux.go (getLocalDetectors). The mode defaults to
// ClusterCIDR as in kube-proxy's config defaults; the model's one addition: with no mode given
// and only a podCIDR known, it picks NodeCIDR, the mode that needs nothing else. A mode whose
// input is missing gives the no-op detector, as upstream does.
export function newLocalDetector(cfg: LocalDetectorConfig): LocalTrafficDetector {
  const mode = cfg.detectLocalMode ?? (cfg.clusterCIDR === undefined && cfg.podCIDR !== undefined ? 'NodeCIDR' : 'ClusterCIDR');
  switch (mode) {
    case 'ClusterCIDR':
      return cfg.clusterCIDR ? detectLocalByCIDR(cfg.clusterCIDR) : noOpLocalDetector;
    case 'NodeCIDR':
      return cfg.podCIDR ? detectLocalByCIDR(cfg.podCIDR) : noOpLocalDetector;
    case 'BridgeInterface':
      return cfg.bridgeInterface ? detectLocalByBridgeInterface(cfg.bridgeInterface) : noOpLocalDetector;
    case 'InterfaceNamePrefix':
      return cfg.interfaceNamePrefix ? detectLocalByInterfaceNamePrefix(cfg.interfaceNamePrefix) : noOpLocalDetector;
  }
}
