import { activeTrace, buildCluster, syncProxyRules, walkPacket, type EndpointSlice, type Service } from 'kubelab';

export type Policy = 'Cluster' | 'Local';
export interface PodPlace {
  name: string;
  node: string;
}

/** The pods that may answer a connection from outside the cluster to `node`'s NodePort (sorted names; [] when it is dropped). */
export function whoAnswers(policy: Policy, node: string, pods: PodPlace[]): string[] {
  void policy;
  void node;
  return pods.map((p) => p.name).sort();
}

/** The source address the pod sees for a connection from `client` that arrived at node `entry`. */
export function sourceSeen(policy: Policy, client: string, entry: { name: string; podCIDR: string }, podNode: string): string {
  void policy;
  void entry;
  void podNode;
  return client;
}

/** What a load balancer's probe of `node`'s healthCheckNodePort gets (undefined: kube-proxy opens no such port). */
export function healthCheck(service: Service, slices: EndpointSlice[], node: string): { port: number; code: number; localEndpoints: number } | undefined {
  void service;
  void slices;
  void node;
  return undefined;
}

// ---- Run me: three nodes, two web pods (on node-a and node-c), a client at 203.0.113.9 ----
// Two LoadBalancer Services over the same pods: web-cluster (NodePort 30080, policy Cluster) and
// web-local (NodePort 30081, policy Local, health check port 32000).
const nodes = [
  { name: 'node-a', ip: '192.168.0.10', podCIDR: '10.244.0.0/24' },
  { name: 'node-b', ip: '192.168.0.11', podCIDR: '10.244.1.0/24' },
  { name: 'node-c', ip: '192.168.0.12', podCIDR: '10.244.2.0/24' },
];
const pods = [{ name: 'web-1', node: 'node-a', ip: '10.244.0.5' }, { name: 'web-2', node: 'node-c', ip: '10.244.2.7' }];
const services: Record<Policy, Service> = { Cluster: serviceOf('web-cluster', 'Cluster', 30080), Local: serviceOf('web-local', 'Local', 30081) };
const slices: EndpointSlice[] = Object.values(services).map((s) => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { name: `${s.metadata.name}-7d9cf`, namespace: 'default', labels: { 'kubernetes.io/service-name': s.metadata.name! } },
  addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: pods.map((p) => ({ addresses: [p.ip], nodeName: p.node, conditions: { ready: true, serving: true, terminating: false } })),
}));
// kube-proxy on each node writes its own rules: with Local they depend on where the pods are.
const rules: Record<string, string> = {};
for (const n of nodes) {
  const r = syncProxyRules({ services: Object.values(services), endpointSlices: slices, nodeName: n.name, nodeIPs: [n.ip], podCIDR: n.podCIDR, clusterCIDR: '10.244.0.0/16' });
  rules[n.name] = r.filter + r.nat;
}
const cluster = buildCluster({
  nodes: nodes.map((n) => ({ name: n.name, ip: `${n.ip}/24`, podCIDR: n.podCIDR })),
  pods: pods.map((p) => ({ ...p, ports: [8080] })),
  kubeProxyRules: rules,
  seed: 1,
  trace: activeTrace(),
});
for (const policy of ['Cluster', 'Local'] as const) {
  const service = services[policy];
  const nodePort = service.spec.ports![0].nodePort!;
  console.log(`--- ${service.metadata.name}: externalTrafficPolicy ${policy}, NodePort ${nodePort}`);
  for (const n of nodes) {
    const walk = walkPacket(cluster, { from: { external: '203.0.113.9', via: n.name }, to: `${n.ip}:${nodePort}`, sport: 41000 });
    const answeredBy = pods.find((p) => walk.at === `pod/default/${p.name}`);
    const predicted = `predicted ${JSON.stringify(whoAnswers(policy, n.name, pods))}, source ${answeredBy ? sourceSeen(policy, '203.0.113.9', n, answeredBy.node) : '-'}`;
    console.log(`${n.name}:${nodePort} -> ${walk.outcome} ${walk.at ?? ''}, the pod saw ${walk.received?.src ?? '-'} (${predicted}); health check: ${JSON.stringify(healthCheck(service, slices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name), n.name))}`);
  }
}

function serviceOf(name: string, policy: Policy, nodePort: number): Service {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
    spec: {
      type: 'LoadBalancer', clusterIP: policy === 'Local' ? '10.96.0.81' : '10.96.0.80', selector: { app: 'web' }, externalTrafficPolicy: policy,
      ...(policy === 'Local' ? { healthCheckNodePort: 32000 } : {}),
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort }],
    },
  };
}
