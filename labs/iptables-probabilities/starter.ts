import { activeTrace, buildCluster, syncProxyRules, servicePortPolicyClusterChain, walkPacket, type EndpointSlice, type Service } from 'kubelab';

/** The text kube-proxy writes for 1/n (Go: fmt.Sprintf("%0.10f", 1.0/float64(n))). */
export function probability(n: number): string {
  return String(1 / n);
}

/** Each KUBE-SEP chain the KUBE-SVC chain `svcChain` jumps to, with its share of new connections. */
export function shares(nat: string, svcChain: string): Record<string, number> {
  void nat;
  void svcChain;
  return {};
}

/** New slices in which the endpoint with address `ip` is not ready and not serving. */
export function markNotReady(slices: EndpointSlice[], ip: string): EndpointSlice[] {
  void ip;
  return slices;
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
