/**
 * Build-time half of <PacketPlayground>: assembles a small cluster on the full network model
 * (src/sim/network's ClusterNetwork: node IPAM, flannel, the CNI chain, the EndpointSlice
 * controller, kube-proxy's `syncProxyRules` per node) and reads back what the node stacks are
 * built from: nodes with their podCIDR, running pods with their IPs, each node's kube-proxy
 * rules, and the clock. The page ships that as data, and the browser rebuilds the node stacks
 * with netstack's `buildCluster` alone (~50 KB) instead of the whole API server (~540 KB).
 *
 * Imported by the .astro component's frontmatter only, never by the browser.
 */
import { newLabCluster } from '../../sim/cluster/cluster';
import { newEnv } from '../../sim/core/env';
import { runUntilIdle } from '../../sim/core/drive';
import type { KubeObject } from '../../sim/core/object';
import { ClusterNetwork } from '../../sim/network/cluster_network';
import { sandboxRetryMs } from '../../sim/network/pod_agent';
import { syncProxyRules } from '../../sim/proxy/iptables/proxier';
import type { PlaygroundSpec } from './packet-playground';

/** The pods the learner picks from, by node; `web-a` and `web-b` back the Service `web`. */
export const playgroundPods = [
  { name: 'client', node: 'node-a', labels: { app: 'client' } },
  { name: 'web-a', node: 'node-a', labels: { app: 'web' } },
  { name: 'web-b', node: 'node-b', labels: { app: 'web' } },
] as const;

/** The Service's fixed ClusterIP, in the static band of 10.96.0.0/12 (so it reads the same on every build). */
export const playgroundServiceIP = '10.96.0.80';

/** A started ClusterNetwork with the playground's pods and Service (for the spec and for tests). */
export async function playgroundNetwork(seed = 1): Promise<ClusterNetwork> {
  const cluster = await newLabCluster({ env: newEnv({ seed }) });
  const network = new ClusterNetwork({ cluster, seed });
  await network.start();
  const cs = cluster.clientset({ qps: 100, burst: 200 });
  await runUntilIdle(cluster.clock, { forMs: sandboxRetryMs + 1000 });
  for (const p of playgroundPods) {
    // No containerPort: the model's pods then answer on any port (agnhost serve-hostname style).
    await cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, labels: { ...p.labels } }, spec: { nodeName: p.node, containers: [{ name: 'app', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53' }] } } as KubeObject);
  }
  await cs.coreV1().services('default').create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: playgroundServiceIP, selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as KubeObject);
  await runUntilIdle(cluster.clock, { forMs: 2000 });
  return network;
}

/** What `ClusterNetwork.net()` feeds `buildCluster`, as plain data for the page. */
export async function packetPlaygroundSpec(seed = 1): Promise<PlaygroundSpec> {
  const network = await playgroundNetwork(seed);
  try {
    const { nodes, pods, services, slices } = await network.state();
    const withCIDR = nodes.filter((n) => n.spec?.podCIDR);
    const rules: Record<string, string> = {};
    for (const n of withCIDR) {
      const name = n.metadata.name ?? '';
      const r = syncProxyRules({ services, endpointSlices: slices, nodeName: name, nodeIPs: [network.nodeIPs.get(name)!], podCIDR: n.spec!.podCIDR, clusterCIDR: network.clusterCIDR });
      rules[name] = `${r.filter}${r.nat}`;
    }
    return {
      seed: `${seed}/netstack`,
      nowMs: network.o.cluster.clock.now(),
      nodes: withCIDR.map((n) => ({ name: n.metadata.name ?? '', ip: network.nodeIPs.get(n.metadata.name ?? '')!, podCIDR: n.spec!.podCIDR! })),
      pods: pods.filter((p) => p.status?.podIP && p.spec.nodeName).map((p) => ({ name: p.metadata.name ?? '', namespace: p.metadata.namespace ?? 'default', node: p.spec.nodeName!, ip: p.status!.podIP!, ports: containerPorts(p.spec.containers) })),
      rules,
      service: { name: 'default/web', ip: playgroundServiceIP, port: 80 },
    };
  } finally {
    network.stop();
  }
}

/** The ports a pod declares; none means it answers on any port, as ClusterNetwork builds it. */
function containerPorts(containers: Array<{ ports?: Array<{ containerPort: number }> }>): number[] | undefined {
  const ports = containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
  return ports.length ? ports : undefined;
}
