/**
 * A kubeadm-shaped cluster's network, running on the API server model: what
 * kube-controller-manager, flanneld, kube-proxy, the kubelet's CNI calls and CoreDNS do between
 * them, each after its own model.
 *
 * - kube-controller-manager: node IPAM (a /24 of 10.244.0.0/16 per node), the EndpointSlice and
 *   Endpoints controllers.
 * - each node: flanneld with `--kube-subnet-mgr` (subnet.env from the node's podCIDR), the pod
 *   network agent (CNI on bind, pod status; until the kubelet model), kube-proxy (its rules from
 *   the Services and EndpointSlices in the API server, `syncProxyRules` / `syncIPVSProxyRules`).
 * - kube-system: the kube-dns Service (10.96.0.10) in front of two CoreDNS pods.
 *
 * The node stacks (src/sim/netstack) are rebuilt from that state when it changed and a command
 * or a packet needs them; the conntrack table of a node lives as long as nothing changes.
 */
import type { Endpoints, Node, Pod, Service } from '../api/core/v1';
import type { EndpointSlice } from '../api/discovery/v1';
import type { Clientset } from '../client/clientset';
import type { KubeObject } from '../core/object';
import type { TraceRecorder } from '../core/trace';
import type { LabCluster } from '../cluster/cluster';
import { rngFromSeed, type Rng } from '../core/rng';
import { NodeIpamController } from '../controllers/nodeipam/range_allocator';
import { newEndpointSliceController, type EndpointSliceController } from '../controllers/endpointslice/index';
import { newEndpointsController, type EndpointsController } from '../controllers/endpoint/index';
import { newRootCACertPublisher, type RootCACertPublisher } from '../serviceaccount/root_ca_publisher';
import { PodNetworkAgent } from './pod_agent';
import { newSharedInformerFactory, type SharedInformerFactory } from '../cache/informer_factory';
import { listerWatcherFor } from '../client/clientset';
import { syncProxyRules } from '../proxy/iptables/proxier';
import { syncIPVSProxyRules } from '../proxy/ipvs/index';
import { buildCluster, type Cluster as NetCluster } from '../netstack/walk/cluster';
import { formatCIDR, nextIp, formatIpv4, parseCIDR } from '../netaddr/ipv4';

export interface ClusterNetworkNode {
  name: string;
  /** The node's InternalIP on the underlay (default 192.168.0.2, .3, ... in order). */
  ip?: string;
  zone?: string;
}

export interface ClusterNetworkOptions {
  cluster: LabCluster;
  seed: number | string;
  /** Nodes to register (default node-a and node-b); existing Nodes of those names are kept. */
  nodes?: ClusterNetworkNode[];
  /** flannel's backend (kube-flannel.yml: vxlan). */
  backend?: 'vxlan' | 'host-gw' | 'udp';
  /** kube-proxy's `--proxy-mode` (kubeadm: iptables). */
  proxyMode?: 'iptables' | 'ipvs';
  /** `--cluster-cidr` (kubeadm's `networking.podSubnet`; flannel's manifest wants 10.244.0.0/16). */
  clusterCIDR?: string;
  /** Where packet walks record their hops (`netstack.*` events) for the packet view. */
  trace?: TraceRecorder;
}

export const ClusterDNSIP = '10.96.0.10';
export const ClusterDomain = 'cluster.local';

export class ClusterNetwork {
  readonly client: Clientset;
  readonly agents = new Map<string, PodNetworkAgent>();
  /** Each node's files (subnet.env, the CNI plugins' state). */
  readonly files = new Map<string, Map<string, string>>();
  readonly nodeIPs = new Map<string, string>();
  readonly rng: Rng;
  /** Draws for terminal commands (ephemeral ports, DNS query ids): one stream, so each curl is a new connection. */
  readonly commandRng: Rng;
  #ipam?: NodeIpamController;
  #slices?: EndpointSliceController;
  #endpoints?: EndpointsController;
  #net?: { revision: number; cluster: NetCluster };
  #flanneld?: SharedInformerFactory;
  #rootCA?: RootCACertPublisher;
  /** Where the API server listens (the first node's address, port 6443). */
  apiServerIP = '';
  /** In IPVS mode, each node's virtual servers as the last sync made them (for `ipvsadm -Ln`). */
  readonly ipvs = new Map<string, import('../proxy/ipvs/proxier').VirtualServer[]>();

  constructor(readonly o: ClusterNetworkOptions) {
    // kube-controller-manager's and kube-proxy's clients: QPS 20 / burst 30 and 5 / 10 upstream; generous here.
    this.client = o.cluster.clientset({ qps: 100, burst: 200, userAgent: 'kube-controller-manager/v1.34.0' });
    this.rng = rngFromSeed(`${o.seed}/network`);
    this.commandRng = this.rng.fork('commands');
  }

  get clusterCIDR(): string {
    return this.o.clusterCIDR ?? '10.244.0.0/16';
  }

  /** Registers the nodes, starts the controllers and node agents, and installs cluster DNS. */
  async start(): Promise<void> {
    const nodes = this.o.nodes ?? [{ name: 'node-a' }, { name: 'node-b' }];
    for (const [i, n] of nodes.entries()) {
      const ip = n.ip ?? `192.168.0.${i + 2}`;
      this.nodeIPs.set(n.name, ip);
      await this.#registerNode(n.name, ip, n.zone);
    }
    const c = this.o.cluster;
    this.#ipam = new NodeIpamController({ client: this.client, clock: c.clock, rng: this.rng.fork('nodeipam'), clusterCIDR: this.clusterCIDR, serviceCIDR: '10.96.0.0/12' });
    void this.#ipam.start();
    this.#slices = newEndpointSliceController({ client: this.client, clock: c.clock, rng: this.rng.fork('endpointslice') });
    void this.#slices.run();
    this.#endpoints = newEndpointsController({ client: this.client, clock: c.clock, rng: this.rng.fork('endpoints') });
    void this.#endpoints.run();
    this.#rootCA = newRootCACertPublisher({ client: this.client, clock: c.clock, rng: this.rng.fork('root-ca-cert-publisher') });
    void this.#rootCA.run();
    await this.#advertiseAPIServer(this.nodeIPs.get(nodes[0].name)!);
    for (const n of nodes) {
      const files = new Map<string, string>();
      this.files.set(n.name, files);
      const agent = new PodNetworkAgent({ client: this.client, clock: c.clock, rng: this.rng.fork(`agent/${n.name}`), nodeName: n.name, files, nodeIP: this.nodeIPs.get(n.name) });
      this.agents.set(n.name, agent);
      agent.start();
    }
    // flanneld (--kube-subnet-mgr) on each node watches its Node for spec.podCIDR.
    this.#flanneld = newSharedInformerFactory(listerWatcherFor(this.client), 0, { clock: c.clock, rng: this.rng.fork('flanneld') });
    this.#flanneld.forResource('nodes').informer().addEventHandler({
      addFunc: (obj) => this.writeSubnetEnv(obj as unknown as Node),
      updateFunc: (_old, obj) => this.writeSubnetEnv(obj as unknown as Node),
    });
    this.#flanneld.start();
    await this.#installDNS(nodes.map((n) => n.name));
  }

  stop(): void {
    this.#ipam?.stop();
    this.#slices?.stop();
    this.#endpoints?.stop();
    this.#rootCA?.stop();
    for (const a of this.agents.values()) a.stop();
    this.#flanneld?.shutdown();
  }

  /**
   * The API server runs on the first node, as kubeadm's `--advertise-address` (the node's
   * InternalIP): the `kubernetes` Service's endpoints become that address, port 6443, where the
   * endpoint reconciler of an API server started there would write them.
   */
  // Upstream: pkg/controlplane/reconcilers (the lease reconciler's Endpoints and EndpointSlice for `kubernetes`)
  async #advertiseAPIServer(ip: string): Promise<void> {
    this.apiServerIP = ip;
    const core = this.client.coreV1();
    const ep = (await core.endpoints('default').get('kubernetes').catch(() => undefined)) as Endpoints | undefined;
    if (ep) await core.endpoints('default').update({ ...ep, subsets: (ep.subsets ?? []).map((s) => ({ ...s, addresses: [{ ip }] })) } as unknown as KubeObject);
    const slices = this.client.discoveryV1().endpointSlices('default');
    const es = (await slices.get('kubernetes').catch(() => undefined)) as EndpointSlice | undefined;
    if (es) await slices.update({ ...es, endpoints: [{ addresses: [ip], conditions: { ready: true } }] } as unknown as KubeObject);
  }

  async #registerNode(name: string, ip: string, zone?: string): Promise<void> {
    const nodes = this.client.coreV1().nodes();
    let node: KubeObject;
    try {
      node = await nodes.get(name);
    } catch {
      node = await nodes.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } },
        spec: {},
      } as KubeObject);
    }
    const status = {
      ...((node as { status?: object }).status ?? {}),
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    };
    await nodes.updateStatus({ ...node, status } as KubeObject);
  }

  /** kubeadm's CoreDNS addon: the kube-dns Service at 10.96.0.10 and two coredns pods. */
  async #installDNS(nodes: string[]): Promise<void> {
    const labels = { 'k8s-app': 'kube-dns' };
    try {
      await this.client.coreV1().services('kube-system').create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { ...labels, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
        spec: {
          selector: labels,
          clusterIP: ClusterDNSIP,
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
            { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
          ],
        },
      } as KubeObject);
    } catch {
      // Already there (a session restarted from its log).
    }
    for (const [i, suffix] of ['668d6bf9bc-2kq7x', '668d6bf9bc-9xw4m'].entries()) {
      try {
        await this.client.coreV1().pods('kube-system').create({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `coredns-${suffix}`, namespace: 'kube-system', labels: { ...labels, 'pod-template-hash': '668d6bf9bc' } },
          spec: {
            nodeName: nodes[i % nodes.length],
            priorityClassName: 'system-cluster-critical',
            dnsPolicy: 'Default',
            containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }, { name: 'metrics', containerPort: 9153, protocol: 'TCP' }] }],
          },
        } as KubeObject);
      } catch {
        // Already there.
      }
    }
  }

  /**
   * What flanneld with `--kube-subnet-mgr` writes on a node once the node has a podCIDR:
   * FLANNEL_SUBNET is the subnet's first address, the one cni0 takes.
   */
  writeSubnetEnv(node: Node): void {
    const cidr = node.spec?.podCIDR;
    const files = this.files.get(node.metadata.name ?? '');
    if (!cidr || !files) return;
    const net = parseCIDR(cidr);
    const text = `FLANNEL_NETWORK=${this.clusterCIDR}\nFLANNEL_SUBNET=${formatIpv4(nextIp(net.ip))}/${net.bits}\nFLANNEL_MTU=${this.o.backend === 'udp' ? 1472 : this.o.backend === 'host-gw' ? 1500 : 1450}\nFLANNEL_IPMASQ=true\n`;
    files.set('/run/flannel/subnet.env', text);
  }

  /** The objects the node stacks are built from, read from the API server now. */
  async state(): Promise<{ nodes: Node[]; pods: Pod[]; services: Service[]; slices: EndpointSlice[] }> {
    const [nodes, pods, services, slices] = await Promise.all([
      this.client.coreV1().nodes().list(),
      this.client.coreV1().pods('').list(),
      this.client.coreV1().services('').list(),
      this.client.discoveryV1().endpointSlices('').list(),
    ]);
    return {
      nodes: nodes.items as unknown as Node[],
      pods: pods.items as unknown as Pod[],
      services: services.items as unknown as Service[],
      slices: slices.items as unknown as EndpointSlice[],
    };
  }

  /** The node stacks as the API server's state makes them now (rebuilt only after a change). */
  async net(): Promise<NetCluster> {
    const revision = this.o.cluster.revision;
    if (this.#net && this.#net.revision === revision) return this.#net.cluster;
    const { nodes, pods, services, slices } = await this.state();
    const mine = nodes.filter((n) => this.nodeIPs.has(n.metadata.name ?? '') && n.spec?.podCIDR);
    for (const n of mine) this.writeSubnetEnv(n);
    const ipvs = this.o.proxyMode === 'ipvs';
    const rules: Record<string, string> = {};
    const ipsets: Record<string, string[]> = {};
    let kubeIpvs0: string[] | undefined;
    for (const n of mine) {
      const name = n.metadata.name ?? '';
      const input = { services, endpointSlices: slices, nodeName: name, nodeIPs: [this.nodeIPs.get(name)!], podCIDR: n.spec?.podCIDR, clusterCIDR: this.clusterCIDR };
      if (ipvs) {
        const r = syncIPVSProxyRules(input);
        this.ipvs.set(name, r.virtualServers);
        rules[name] = `${r.filter}${r.nat}`;
        for (const s of r.ipsets) ipsets[s.name] = s.entries;
        kubeIpvs0 = r.dummyAddresses.map((a) => a.split('/')[0]);
      } else {
        const r = syncProxyRules(input);
        rules[name] = `${r.filter}${r.nat}`;
      }
    }
    const running = pods.filter((p) => p.spec.nodeName && p.status?.podIP && !p.spec.hostNetwork && mine.some((n) => n.metadata.name === p.spec.nodeName));
    const cluster = buildCluster({
      nodes: mine.map((n) => ({ name: n.metadata.name ?? '', ip: this.nodeIPs.get(n.metadata.name ?? '')!, podCIDR: n.spec?.podCIDR })),
      pods: running.map((p) => ({ name: p.metadata.name ?? '', namespace: p.metadata.namespace ?? 'default', node: p.spec.nodeName!, ip: p.status!.podIP!, ports: containerPorts(p) })),
      backend: this.o.backend,
      kubeProxyRules: rules,
      ...(ipvs ? { kubeIpvs0, ipsets } : {}),
      seed: `${this.o.seed}/netstack`,
      clock: this.o.cluster.clock,
      ipMasq: true,
      trace: this.o.trace,
    });
    this.#net = { revision, cluster };
    return cluster;
  }
}

/** The ports a pod's containers declare (undefined: the pod answers on any port, as a model server). */
function containerPorts(p: Pod): number[] | undefined {
  const ports = p.spec.containers.flatMap((c) => (c.ports ?? []).map((x) => x.containerPort));
  return ports.length ? ports : undefined;
}

export { formatCIDR };
