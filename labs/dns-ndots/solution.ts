import {
  activeTrace, buildCluster, exampleClusterNetwork, exampleClusterServices, exampleClusterSlices, getaddrinfo, podResolvConf, syncProxyRules,
  walkPacket, type Pod,
} from 'kubelab';

/**
 * Before you write code: how many DNS queries does each lookup send from a pod in `default`
 * with dnsPolicy ClusterFirst (search default.svc.cluster.local svc.cluster.local cluster.local,
 * options ndots:5)? glibc asks for A and AAAA for each name it tries.
 */
export const predictions: Record<string, number> = {
  'my-svc': 2,
  'kubernetes.default': 4,
  'example.com': 8,
  'example.com.': 2,
};

/**
 * The names glibc's resolver tries for `name`, in order, until one answers: a name ending in a
 * dot as it is and nothing else; a name with at least `ndots` dots as it is first, then with
 * each search domain; a shorter one with each search domain first, then as it is.
 */
export function candidates(name: string, resolvConf: string): string[] {
  const search = /^search\s+(.*)$/m.exec(resolvConf)?.[1].trim().split(/\s+/) ?? [];
  const ndots = Number(/ndots:(\d+)/.exec(resolvConf)?.[1] ?? '1');
  if (name.endsWith('.')) return [name];
  const asIs = `${name}.`;
  const searched = search.map((d) => `${name}.${d}.`);
  const dots = name.split('.').length - 1;
  return dots >= ndots ? [asIs, ...searched] : [...searched, asIs];
}

/**
 * The pod with a dnsConfig that makes `registry.k8s.io` cost two queries while `my-svc` in its
 * own namespace still resolves in two: ndots:1, so a name with a dot is tried as it is first.
 */
export function fixedPod(pod: Pod): Pod {
  return { ...pod, spec: { ...pod.spec, dnsConfig: { options: [{ name: 'ndots', value: '1' }] } } };
}

// ---- Run me: the lookups from a pod, and their queries walking to CoreDNS through kube-proxy ----
const client: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] }, status: { podIP: '10.244.1.5' } };
const network = exampleClusterNetwork();
const rules = syncProxyRules({ services: exampleClusterServices, endpointSlices: exampleClusterSlices, nodeName: 'node-b', clusterCIDR: '10.244.0.0/16' });
const cluster = buildCluster({
  nodes: [{ name: 'node-a', ip: '192.168.49.2/24', podCIDR: '10.244.0.0/24' }, { name: 'node-b', ip: '192.168.49.3/24', podCIDR: '10.244.1.0/24' }],
  pods: [
    { name: 'coredns-674b8bbfcf-7xk2p', namespace: 'kube-system', node: 'node-a', ip: '10.244.0.2', ports: [53] },
    { name: 'coredns-674b8bbfcf-q9w4z', namespace: 'kube-system', node: 'node-a', ip: '10.244.0.3', ports: [53] },
    { name: 'client', node: 'node-b', ip: '10.244.1.5' },
  ],
  kubeProxyRules: rules.filter + rules.nat,
  seed: 1,
  trace: activeTrace(),
});
let port = 40000;
for (const [label, pod] of [['ClusterFirst', client], ['with your dnsConfig', fixedPod(client)]] as const) {
  const resolvConf = podResolvConf(pod, { hostResolvConf: 'nameserver 192.168.49.1\n' }).resolvConf;
  console.log(`--- ${label}\n${resolvConf.trim()}`);
  for (const name of ['my-svc', 'api.prod', 'example.com', 'example.com.']) {
    const r = getaddrinfo(name, { resolvConf, network });
    for (const _q of r.queries) walkPacket(cluster, { from: 'default/client', to: '10.96.0.10:53', proto: 'udp', sport: port++ });
    console.log(`${name}: ${r.queries.length} queries -> ${r.addresses[0] ?? 'no answer'}; tries ${candidates(name, resolvConf).join(' ')}`);
  }
}
