/**
 * The Corefile kubeadm v1.34 writes into the `coredns` ConfigMap in kube-system (CoreDNS
 * v1.12.1). The cache block that skips the cluster domain came with kubernetes#128359 (v1.32).
 * Upstream: kubernetes v1.34 cmd/kubeadm/app/phases/addons/dns/manifests.go (CoreDNSConfigMap)
 */
export function kubeadmCorefile(dnsDomain = 'cluster.local'): string {
  const cacheBlock = dnsDomain ? ` {\n       disable success ${dnsDomain}\n       disable denial ${dnsDomain}\n    }` : '';
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${dnsDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30${cacheBlock}
    loop
    reload
    loadbalance
}
`;
}

/** The CoreDNS image kubeadm v1.34 deploys. Upstream: cmd/kubeadm/app/constants/constants.go (CoreDNSVersion) */
export const CoreDNSVersion = 'v1.12.1';
