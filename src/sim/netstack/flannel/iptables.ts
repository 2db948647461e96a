/** kube-proxy's masquerade mark as flannel spells it (pkg/trafficmngr/trafficmngr.go KubeProxyMark). */
export const KUBE_PROXY_MARK = '0x4000/0x4000';

/**
 * flannel's masquerade rules for one node, as iptables-save prints them (nat table). Pod-to-pod
 * traffic inside the cluster network keeps its source; pod traffic leaving the network is
 * masqueraded (not multicast); host traffic into the network is masqueraded so replies return.
 */
// Upstream: flannel pkg/trafficmngr/iptables/iptables.go (IPTablesManager.masqRules)
export function flannelMasqRules(clusterCIDR: string, podCIDR: string, randomFully = true): string[] {
  const c = '-m comment --comment "flanneld masq"';
  const masq = randomFully ? 'MASQUERADE --random-fully' : 'MASQUERADE';
  return [
    `-A POSTROUTING ${c} -j FLANNEL-POSTRTG`,
    `-A FLANNEL-POSTRTG -m mark --mark ${KUBE_PROXY_MARK} ${c} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${podCIDR} -d ${clusterCIDR} ${c} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${clusterCIDR} -d ${podCIDR} ${c} -j RETURN`,
    `-A FLANNEL-POSTRTG ! -s ${clusterCIDR} -d ${podCIDR} ${c} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${clusterCIDR} ! -d 224.0.0.0/4 ${c} -j ${masq}`,
    `-A FLANNEL-POSTRTG ! -s ${clusterCIDR} -d ${clusterCIDR} ${c} -j ${masq}`,
  ];
}

/** flannel's FORWARD accept rules (filter table), so a DROP policy on FORWARD does not cut pods off. */
// Upstream: flannel pkg/trafficmngr/iptables/iptables.go (IPTablesManager.forwardRules)
export function flannelForwardRules(clusterCIDR: string): string[] {
  const c = '-m comment --comment "flanneld forward"';
  return [
    `-A FORWARD ${c} -j FLANNEL-FWD`,
    `-A FLANNEL-FWD -s ${clusterCIDR} ${c} -j ACCEPT`,
    `-A FLANNEL-FWD -d ${clusterCIDR} ${c} -j ACCEPT`,
  ];
}

/** Both as one iptables-save text (`*nat` then `*filter`). */
export function flannelIptablesSave(clusterCIDR: string, podCIDR: string, opts: { ipMasq?: boolean; randomFully?: boolean } = {}): string {
  const nat = opts.ipMasq === false ? [] : flannelMasqRules(clusterCIDR, podCIDR, opts.randomFully ?? true);
  return (
    (nat.length ? `*nat\n:FLANNEL-POSTRTG - [0:0]\n${nat.join('\n')}\nCOMMIT\n` : '') +
    `*filter\n:FLANNEL-FWD - [0:0]\n${flannelForwardRules(clusterCIDR).join('\n')}\nCOMMIT\n`
  );
}
