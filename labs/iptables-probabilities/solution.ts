import { activeTrace, buildCluster, syncProxyRules, servicePortPolicyClusterChain, walkPacket, type EndpointSlice, type Service } from 'kubelab';

/**
 * The probability kube-proxy writes on the rule for the i-th of n endpoints, counting down: the
 * first of n gets 1/n, the next 1/(n-1), ..., and the last rule has none. Go prints it with
 * fmt.Sprintf("%0.10f", 1.0/float64(n)): ten digits after the point, always.
 */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

/**
 * Each endpoint's share of new connections: the rules of a KUBE-SVC chain are tried in order,
 * and a rule with `--probability p` takes a connection that reached it with probability p. So the
 * k-th endpoint gets p_k times the chance that every rule before it said no.
 */
export function shares(nat: string, svcChain: string): Record<string, number> {
  const out: Record<string, number> = {};
  let reaching = 1;
  for (const line of nat.split('\n')) {
    if (!line.startsWith(`-A ${svcChain} `)) continue;
    const target = / -j (KUBE-SEP-\S+)/.exec(line)?.[1];
    if (!target) continue;
    const p = Number(/--probability (\S+)/.exec(line)?.[1] ?? '1');
    out[target] = reaching * p;
    reaching *= 1 - p;
  }
  return out;
}

/**
 * What the EndpointSlice controller writes when a pod's readiness probe fails: the endpoint
 * stays in the slice, not ready and not serving (the pod is not terminating). Return new slices;
 * the informer's objects are shared and must not be changed in place.
 */
export function markNotReady(slices: EndpointSlice[], ip: string): EndpointSlice[] {
  return slices.map((s) => ({
    ...s,
    endpoints: s.endpoints.map((e) => (e.addresses.includes(ip) ? { ...e, conditions: { ...e.conditions, ready: false, serving: false } } : e)),
  }));
}

// ---- Run me: a Service with three endpoints, before and after one fails its probe ----
const service: Service = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
  spec: { type: 'ClusterIP', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], selector: { app: 'web' }, sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
};
const slices: EndpointSlice[] = [{
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: ['10.244.0.3', '10.244.1.3', '10.244.1.4'].map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } })),
}];
const chain = servicePortPolicyClusterChain('default/web:http', 'tcp');
for (const [label, s] of [['three ready', slices], ['10.244.1.3 fails its probe', markNotReady(slices, '10.244.1.3')]] as const) {
  const { nat } = syncProxyRules({ services: [service], endpointSlices: s, nodeName: 'node-a', clusterCIDR: '10.244.0.0/16' });
  console.log(`--- ${label}`);
  console.log(nat.split('\n').filter((l) => l.startsWith(`-A ${chain} `) && l.includes('KUBE-SEP')).join('\n'));
  console.log(shares(nat, chain));
}
console.log([2, 3, 4, 7].map(probability).join(' '));

// Ten connections (ten source ports) from a client pod on node-a through node-a's rules; the trace shows each hop.
const rules = syncProxyRules({ services: [service], endpointSlices: slices, nodeName: 'node-a', clusterCIDR: '10.244.0.0/16' });
const cluster = buildCluster({
  nodes: [{ name: 'node-a', ip: '192.168.0.2', podCIDR: '10.244.0.0/24' }, { name: 'node-b', ip: '192.168.0.3', podCIDR: '10.244.1.0/24' }],
  pods: [
    { name: 'client', node: 'node-a', ip: '10.244.0.9' },
    { name: 'web-1', node: 'node-a', ip: '10.244.0.3', ports: [8080] },
    { name: 'web-2', node: 'node-b', ip: '10.244.1.3', ports: [8080] },
    { name: 'web-3', node: 'node-b', ip: '10.244.1.4', ports: [8080] },
  ],
  kubeProxyRules: rules.filter + rules.nat,
  seed: 1,
  trace: activeTrace(),
});
const answered: string[] = [];
for (let i = 0; i < 10; i++) answered.push(walkPacket(cluster, { from: 'default/client', to: '10.96.12.34:80', sport: 40000 + i }).at ?? 'nobody');
console.log(answered.join(' '));
