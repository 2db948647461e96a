/**
 * The jumps from the built-in chains into kube-proxy's chains, which kube-proxy (iptables mode)
 * ensures outside its iptables-restore: each is *prepended* to its built-in chain, so the last one
 * in the list ends up first. The kubelet's KUBE-FIREWALL jumps come with no comment.
 */
// Upstream: pkg/proxy/iptables/proxier.go (iptablesJumpChains, iptablesKubeletJumpChains, Proxier.syncProxyRules EnsureRule(Prepend))
const JUMP_CHAINS: [table: 'filter' | 'nat', dst: string, src: string, comment: string, extra: string][] = [
  ['filter', 'KUBE-EXTERNAL-SERVICES', 'INPUT', 'kubernetes externally-visible service portals', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-EXTERNAL-SERVICES', 'FORWARD', 'kubernetes externally-visible service portals', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-NODEPORTS', 'INPUT', 'kubernetes health check service ports', ''],
  ['filter', 'KUBE-SERVICES', 'FORWARD', 'kubernetes service portals', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-FORWARD', 'FORWARD', 'kubernetes forwarding rules', ''],
  ['filter', 'KUBE-PROXY-FIREWALL', 'INPUT', 'kubernetes load balancer firewall', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-PROXY-FIREWALL', 'OUTPUT', 'kubernetes load balancer firewall', '-m conntrack --ctstate NEW'],
  ['filter', 'KUBE-PROXY-FIREWALL', 'FORWARD', 'kubernetes load balancer firewall', '-m conntrack --ctstate NEW'],
  ['nat', 'KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals', ''],
  ['nat', 'KUBE-SERVICES', 'PREROUTING', 'kubernetes service portals', ''],
  ['nat', 'KUBE-POSTROUTING', 'POSTROUTING', 'kubernetes postrouting rules', ''],
];
const KUBELET_JUMP_CHAINS: [string, string][] = [['KUBE-FIREWALL', 'INPUT'], ['KUBE-FIREWALL', 'OUTPUT']];

/** iptables-save text of a node's built-in chains after kubelet and kube-proxy start (chains they jump to declared empty). */
export function kubeProxyBaseRules(): string {
  const rules: Record<'filter' | 'nat', Record<string, string[]>> = { filter: {}, nat: {} };
  // KUBE-PROXY-CANARY: the empty chain kube-proxy's iptables Monitor watches to notice a flush.
  const declared: Record<'filter' | 'nat', Set<string>> = { filter: new Set(['KUBE-FIREWALL', 'KUBE-PROXY-CANARY']), nat: new Set(['KUBE-PROXY-CANARY']) };
  const prepend = (table: 'filter' | 'nat', chain: string, rule: string) => (rules[table][chain] ??= []).unshift(rule);
  for (const [dst, src] of KUBELET_JUMP_CHAINS) prepend('filter', src, `-A ${src} -j ${dst}`);
  for (const [table, dst, src, comment, extra] of JUMP_CHAINS) {
    declared[table].add(dst);
    prepend(table, src, `-A ${src}${extra ? ' ' + extra : ''} -m comment --comment "${comment}" -j ${dst}`);
  }
  const builtins = { filter: ['INPUT', 'FORWARD', 'OUTPUT'], nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] };
  let out = '';
  for (const table of ['filter', 'nat'] as const) {
    out += `*${table}\n`;
    for (const c of builtins[table]) out += `:${c} ACCEPT [0:0]\n`;
    for (const c of declared[table]) out += `:${c} - [0:0]\n`;
    for (const c of builtins[table]) for (const r of rules[table][c] ?? []) out += r + '\n';
    out += 'COMMIT\n';
  }
  return out;
}
