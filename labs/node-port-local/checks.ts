/**
 * Checks of the node-port-local lab. The learner's predictions are compared with packets walked
 * from an outside client to every node's NodePort through the netstack model, on clusters built
 * fresh from each seed (3 or 4 nodes, the Service's pods on some of them only), with the rules
 * kube-proxy v1.34 writes on each node (`syncProxyRules`, per node: policy Local depends on where
 * the endpoints are). The health check answers come from the model of kube-proxy's health check
 * server (pkg/proxy/healthcheck/service_health.go).
 */
import { check, exportedFunction } from '../../src/lab/checks';
import {
  buildCluster, rngFromSeed, syncProxyRules, syncServiceHealth, walkPacket,
  type EndpointSlice, type Rng, type Service,
} from '../../src/sim/index';

type Policy = 'Cluster' | 'Local';
type PodPlace = { name: string; node: string };
type WhoAnswers = (policy: Policy, node: string, pods: PodPlace[]) => string[];
type SourceSeen = (policy: Policy, client: string, entry: { name: string; podCIDR: string }, podNode: string) => string;
type HealthCheck = (service: Service, slices: EndpointSlice[], node: string) => { port: number; code: number; localEndpoints: number } | undefined;

/** Connections sent to each node: enough that every endpoint of a Cluster Service shows up. */
const CONNECTIONS = 40;

interface Scenario {
  nodes: { name: string; ip: string; podCIDR: string }[];
  pods: (PodPlace & { ip: string })[];
  client: string;
  nodePort: number;
}

/** 3 or 4 nodes; one to three pods on each of a random, non-empty, proper subset of them. */
export function scenario(seed: number): Scenario {
  const rng = rngFromSeed(`${seed}/node-port-local`);
  const n = 3 + rng.int(2);
  const nodes = Array.from({ length: n }, (_, i) => ({ name: `node-${String.fromCharCode(97 + i)}`, ip: `192.168.0.${10 + i}`, podCIDR: `10.244.${i}.0/24` }));
  const withPods = shuffle(rng, nodes.map((_, i) => i)).slice(0, 1 + rng.int(n - 1));
  const pods: Scenario['pods'] = [];
  for (const i of withPods.sort()) {
    const count = 1 + rng.int(3);
    for (let k = 0; k < count; k++) pods.push({ name: `web-${pods.length + 1}`, node: nodes[i].name, ip: `10.244.${i}.${5 + k * 7 + rng.int(5)}` });
  }
  return { nodes, pods, client: `203.0.113.${2 + rng.int(250)}`, nodePort: 30000 + rng.int(2768) };
}

function shuffle<T>(rng: Rng, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function serviceOf(s: Scenario, policy: Policy): { service: Service; slices: EndpointSlice[] } {
  const service: Service = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'NodePort', clusterIP: '10.96.0.80', clusterIPs: ['10.96.0.80'], selector: { app: 'web' }, externalTrafficPolicy: policy,
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: s.nodePort }],
    },
  };
  const slices: EndpointSlice[] = [{
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'web-7d9cf', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: s.pods.map((p) => ({ addresses: [p.ip], nodeName: p.node, conditions: { ready: true, serving: true, terminating: false } })),
  }];
  return { service, slices };
}

interface Observation {
  entry: Scenario['nodes'][number];
  /** Pods that answered, by name (empty: every connection was dropped). */
  answered: Set<string>;
  /** Each delivered connection: who answered and the source address the pod saw. */
  seen: { pod: PodPlace; src: string }[];
}

/** Sends CONNECTIONS new connections from the client to each node's NodePort. */
export function observe(s: Scenario, policy: Policy, seed: number): Observation[] {
  const { service, slices } = serviceOf(s, policy);
  const rules: Record<string, string> = {};
  for (const n of s.nodes) {
    const r = syncProxyRules({ services: [service], endpointSlices: slices, nodeName: n.name, nodeIPs: [n.ip], podCIDR: n.podCIDR, clusterCIDR: '10.244.0.0/16' });
    rules[n.name] = r.filter + r.nat;
  }
  const cluster = buildCluster({
    nodes: s.nodes.map((n) => ({ name: n.name, ip: `${n.ip}/24`, podCIDR: n.podCIDR })),
    pods: s.pods.map((p) => ({ name: p.name, node: p.node, ip: p.ip, ports: [8080] })),
    kubeProxyRules: rules,
    seed: `${seed}/${policy}`,
  });
  return s.nodes.map((entry) => {
    const o: Observation = { entry, answered: new Set(), seen: [] };
    for (let k = 0; k < CONNECTIONS; k++) {
      const w = walkPacket(cluster, { from: { external: s.client, via: entry.name }, to: `${entry.ip}:${s.nodePort}`, sport: 41000 + k, reply: false });
      if (w.outcome !== 'delivered' || !w.at?.startsWith('pod/')) continue;
      const pod = s.pods.find((p) => `pod/default/${p.name}` === w.at)!;
      o.answered.add(pod.name);
      o.seen.push({ pod, src: w.received!.src });
    }
    return o;
  });
}

const placement = (s: Scenario) => s.pods.map((p) => `${p.name}@${p.node}`).join(', ');

export const predictsWhoAnswers = check(
  'whoAnswers() names the pods that answer a NodePort on each node, under Cluster and Local',
  ({ learner, seeds, expect }) => {
    const whoAnswers = exportedFunction<WhoAnswers>(learner, 'whoAnswers');
    for (const seed of seeds) {
      const s = scenario(seed);
      for (const policy of ['Cluster', 'Local'] as const) {
        for (const o of observe(s, policy, seed)) {
          const predicted = [...whoAnswers(policy, o.entry.name, s.pods.map(({ name, node }) => ({ name, node })))].sort();
          const walked = [...o.answered].sort();
          expect(predicted, `externalTrafficPolicy ${policy}, ${CONNECTIONS} connections to ${o.entry.name}:${s.nodePort} (pods: ${placement(s)})${walked.length ? '' : ': every one was dropped'}`).to.deep.equal(walked);
        }
      }
    }
  },
  { hint: 'With Cluster, every node forwards to any endpoint, wherever it runs. With Local, a node uses only the endpoints on itself, and a node without one drops the packet (KUBE-EXTERNAL-SERVICES: "has no local endpoints").' },
);

export const predictsSourceSeen = check(
  'sourceSeen() gives the source address the pod sees, under Cluster and Local',
  ({ learner, seeds, expect }) => {
    const sourceSeen = exportedFunction<SourceSeen>(learner, 'sourceSeen');
    for (const seed of seeds) {
      const s = scenario(seed);
      for (const policy of ['Cluster', 'Local'] as const) {
        for (const o of observe(s, policy, seed)) {
          for (const { pod, src } of o.seen) {
            const where = pod.node === o.entry.name ? 'on that node' : `on ${pod.node}`;
            expect(sourceSeen(policy, s.client, { name: o.entry.name, podCIDR: o.entry.podCIDR }, pod.node), `${policy}: client ${s.client} -> ${o.entry.name} (pod CIDR ${o.entry.podCIDR}) -> ${pod.name} ${where}`).to.equal(src);
          }
        }
      }
    }
  },
  { hint: 'Cluster marks the packet for masquerading (KUBE-EXT -> KUBE-MARK-MASQ); MASQUERADE takes the address of the interface the packet leaves the node by: cni0 has the pod subnet\'s .1, flannel.1 its .0. Local marks nothing.' },
);

/** Seeded Services and slices: LoadBalancer or NodePort, Local or Cluster, endpoints in every state, sometimes two slices naming the same pods. */
function healthScenario(seed: number): { service: Service; slices: EndpointSlice[]; nodes: string[] } {
  const rng = rngFromSeed(`${seed}/health`);
  const nodes = ['node-a', 'node-b', 'node-c', 'node-d'];
  const type = rng.int(4) === 0 ? 'NodePort' : 'LoadBalancer';
  const policy: Policy = rng.int(4) === 0 ? 'Cluster' : 'Local';
  const service: Service = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: `shop-${seed}`, namespace: 'store' },
    spec: {
      type, clusterIP: '10.96.3.3', clusterIPs: ['10.96.3.3'], selector: { app: 'shop' }, externalTrafficPolicy: policy,
      ...(type === 'LoadBalancer' && policy === 'Local' ? { healthCheckNodePort: 30000 + rng.int(2768) } : {}),
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 31080 }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443, nodePort: 31443 }],
    },
    status: type === 'LoadBalancer' ? { loadBalancer: { ingress: [{ ip: '198.51.100.7', ipMode: 'VIP' }] } } : {},
  };
  const states = [
    { ready: true, serving: true, terminating: false },
    { ready: false, serving: true, terminating: true },
    { ready: false, serving: false, terminating: true },
    { ready: false, serving: false, terminating: false },
  ];
  // Pods on node-a..node-c only: node-d always answers 503.
  const endpoints = Array.from({ length: 2 + rng.int(6) }, (_, i) => {
    const n = rng.int(3);
    return { addresses: [`10.244.${n}.${10 + i}`], nodeName: nodes[n], conditions: states[rng.int(4) === 0 ? 1 + rng.int(3) : 0] };
  });
  const slice = (name: string, ports: EndpointSlice['ports'], eps: typeof endpoints): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name, namespace: 'store', labels: { 'kubernetes.io/service-name': service.metadata.name! } },
    addressType: 'IPv4', ports, endpoints: eps,
  });
  const oneSlice = rng.int(2) === 0;
  const slices = oneSlice
    ? [slice(`${service.metadata.name}-a1b2c`, [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }], endpoints)]
    // One slice per port mapping: the same pods appear in both.
    : [slice(`${service.metadata.name}-a1b2c`, [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints), slice(`${service.metadata.name}-d3e4f`, [{ name: 'https', port: 8443, protocol: 'TCP' }], endpoints)];
  return { service, slices, nodes };
}

export const predictsHealthChecks = check(
  "healthCheck() gives what a load balancer's probe of each node's healthCheckNodePort gets",
  ({ learner, seeds, expect }) => {
    const healthCheck = exportedFunction<HealthCheck>(learner, 'healthCheck');
    for (const seed of [...seeds, ...seeds.map((x) => x + 1000), ...seeds.map((x) => x + 2000)]) {
      const { service, slices, nodes } = healthScenario(seed);
      for (const node of nodes) {
        const server = syncServiceHealth({ services: [service], endpointSlices: slices, nodeName: node });
        const nsn = `${service.metadata.namespace}/${service.metadata.name}`;
        const r = server.serve(nsn);
        const want = r ? { port: server.services().get(nsn)!.port, code: r.code, localEndpoints: JSON.parse(r.body).localEndpoints as number } : undefined;
        const eps = slices.flatMap((s) => s.endpoints.map((e) => `${e.addresses[0]}@${e.nodeName}${e.conditions?.ready ? '' : e.conditions?.terminating ? e.conditions?.serving ? ' (terminating, serving)' : ' (terminating)' : ' (not ready)'}`));
        expect(healthCheck(service, slices, node), `${service.spec.type} with externalTrafficPolicy ${service.spec.externalTrafficPolicy}, probed on ${node}; ${slices.length} slice(s): ${[...new Set(eps)].join(', ')}`).to.deep.equal(want);
      }
    }
  },
  { hint: 'Only LoadBalancer Services with policy Local get a healthCheckNodePort. kube-proxy counts the distinct IPs of this node\'s endpoints that are ready (a terminating pod is not ready, even while serving): 200 with at least one, 503 with none.' },
);
