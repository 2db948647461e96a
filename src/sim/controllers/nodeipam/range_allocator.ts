/**
 * The node IPAM controller's range allocator (kube-controller-manager `--allocate-node-cidrs`):
 * pkg/controller/nodeipam/ipam/range_allocator.go at v1.34 (NewCIDRRangeAllocator, syncNode,
 * AllocateOrOccupyCIDR, ReleaseCIDR, filterOutServiceRange, updateCIDRsAllocation) and
 * pkg/util/node (PatchNodeCIDRs). Every node gets the next free `/nodeCIDRMaskSize` block of the
 * cluster CIDR in spec.podCIDR / spec.podCIDRs; blocks already on nodes are occupied first, and the
 * Service range is never handed out. IPv4 single stack only.
 */
import type { Node } from '../../api/core/v1';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import type { KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import { StrategicMergePatchType } from '../../apimachinery/patch';
import { defaultControllerRateLimiter, newRateLimitingQueue } from '../../workqueue/index';
import type { RateLimitingQueue } from '../../workqueue/types';
import { contains, formatCIDR, parseCIDR, type Ipv4Net } from '../../netaddr/ipv4';
import { CidrSet } from './cidr_set';

/** Go: `cidrUpdateRetries`. */
export const cidrUpdateRetries = 3;

export interface NodeIpamOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** `--cluster-cidr` (kubeadm: `networking.podSubnet`; flannel's manifest expects 10.244.0.0/16). */
  clusterCIDR?: string;
  /** `--node-cidr-mask-size` (default 24 for IPv4). */
  nodeCIDRMaskSize?: number;
  /** `--service-cluster-ip-range`: blocks overlapping it are never given to a node. */
  serviceCIDR?: string;
}

/** The controller's checks on its flags (pkg/controller/nodeipam/node_ipam_controller.go, `NewNodeIpamController`). */
export function validateNodeIpamOptions(o: Pick<NodeIpamOptions, 'clusterCIDR' | 'nodeCIDRMaskSize'>): string[] {
  const errs: string[] = [];
  let cluster: Ipv4Net | undefined;
  try {
    cluster = parseCIDR(o.clusterCIDR ?? '10.244.0.0/16');
  } catch (e) {
    errs.push(`invalid --cluster-cidr: ${(e as Error).message}`);
  }
  const size = o.nodeCIDRMaskSize ?? 24;
  if (cluster && cluster.bits > size) errs.push('Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family');
  return errs;
}

export class NodeIpamController {
  readonly cidrSet: CidrSet;
  readonly queue: RateLimitingQueue<string>;
  #factory?: SharedInformerFactory;
  #stopped = false;
  readonly #recorder: EventRecorder;

  constructor(readonly o: NodeIpamOptions) {
    const errs = validateNodeIpamOptions(o);
    if (errs.length) throw new Error(errs.join('; '));
    this.cidrSet = new CidrSet(parseCIDR(o.clusterCIDR ?? '10.244.0.0/16'), o.nodeCIDRMaskSize ?? 24);
    if (o.serviceCIDR) this.#filterOutServiceRange(parseCIDR(o.serviceCIDR));
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(o.clock), { clock: o.clock, name: 'cidrallocator_node' });
    this.#recorder = newEventRecorder(o.client, o.clock, { component: 'cidrAllocator' });
  }

  /** Go: `filterOutServiceRange`. */
  #filterOutServiceRange(service: Ipv4Net): void {
    const c = this.cidrSet.clusterCIDR;
    if (!contains(c, service.ip) && !contains(service, c.ip)) return;
    this.cidrSet.occupy(service);
  }

  #node(name: string): Node | undefined {
    return this.#factory?.forResource('nodes').informer().getStore().getByKey(name) as Node | undefined;
  }

  /** Starts the informer; once synced, occupies the blocks nodes already hold, then allocates. */
  async start(): Promise<void> {
    const o = this.o;
    this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('nodeipam') });
    const nodes = this.#factory.forResource('nodes').informer();
    const keyOf = (obj: unknown) => ((obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as KubeObject).metadata.name ?? '';
    nodes.addEventHandler({
      onAdd: (obj) => this.queue.add(keyOf(obj)),
      onUpdate: (_old, obj) => this.queue.add(keyOf(obj)),
      onDelete: (obj) => {
        const n = (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as Node;
        this.releaseCIDR(n);
        this.queue.add(keyOf(obj));
      },
    });
    this.#factory.start();
    await this.#factory.waitForCacheSync();
    // Go: NewCIDRRangeAllocator is handed the node list first, so no block on a node is given twice.
    for (const n of nodes.getStore().list() as Node[]) this.#occupy(n);
    void this.#worker();
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    this.#factory?.shutdown();
  }

  async #worker(): Promise<void> {
    for (;;) {
      const { item, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        await this.syncNode(item);
        this.queue.forget(item);
      } catch {
        if (!this.#stopped) this.queue.addRateLimited(item);
      } finally {
        this.queue.done(item);
      }
    }
  }

  /** Go: `syncNode`. */
  async syncNode(key: string): Promise<void> {
    const node = this.#node(key);
    if (!node) return;
    if (node.metadata.deletionTimestamp) {
      this.releaseCIDR(node);
      return;
    }
    await this.#allocateOrOccupyCIDR(node);
  }

  #cidrsOf(node: Node): string[] {
    const spec = node.spec ?? {};
    return (spec.podCIDRs as string[] | undefined) ?? (spec.podCIDR ? [spec.podCIDR] : []);
  }

  /** Go: `occupyCIDRs`. */
  #occupy(node: Node): void {
    for (const [idx, cidr] of this.#cidrsOf(node).entries()) {
      let net: Ipv4Net;
      try {
        net = parseCIDR(cidr);
      } catch {
        throw new Error(`failed to parse node ${node.metadata.name}, CIDR ${node.spec?.podCIDR ?? ''}`);
      }
      if (idx >= 1) throw new Error(`node:${node.metadata.name} has an allocated cidr: ${cidr} at index:${idx} that does not exist in cluster cidrs configuration`);
      try {
        this.cidrSet.occupy(net);
      } catch (e) {
        throw new Error(`failed to mark cidr[${formatCIDR(net)}] at idx [${idx}] as occupied for node: ${node.metadata.name}: ${(e as Error).message}`);
      }
    }
  }

  /** Go: `AllocateOrOccupyCIDR`. */
  async #allocateOrOccupyCIDR(node: Node): Promise<void> {
    if (this.#cidrsOf(node).length > 0) return this.#occupy(node);
    let block: Ipv4Net;
    try {
      block = this.cidrSet.allocateNext();
    } catch (e) {
      await this.#recordNodeStatusChange(node, 'CIDRNotAvailable');
      throw new Error(`failed to allocate cidr from cluster cidr at idx:0: ${(e as Error).message}`);
    }
    await this.#updateCIDRsAllocation(node.metadata.name ?? '', block);
  }

  /** Go: `ReleaseCIDR`. */
  releaseCIDR(node: Node): void {
    for (const cidr of this.#cidrsOf(node)) this.cidrSet.release(parseCIDR(cidr));
  }

  /** Go: `updateCIDRsAllocation` + `nodeutil.PatchNodeCIDRs`. */
  async #updateCIDRsAllocation(nodeName: string, block: Ipv4Net): Promise<void> {
    const cidr = formatCIDR(block);
    const node = this.#node(nodeName);
    if (!node) throw new Error(`node "${nodeName}" not found`);
    const current = this.#cidrsOf(node);
    if (current.length === 1 && current[0] === cidr) return;
    if (current.length !== 0) {
      // Someone set a range meanwhile: give ours back.
      this.cidrSet.release(block);
      return;
    }
    let err: unknown;
    for (let i = 0; i < cidrUpdateRetries; i++) {
      try {
        await this.o.client.coreV1().nodes().patch(nodeName, StrategicMergePatchType, { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
        return;
      } catch (e) {
        err = e;
      }
    }
    await this.#recordNodeStatusChange(node, 'CIDRAssignmentFailed');
    const timeout = (err as { status?: { reason?: string } })?.status?.reason === 'ServerTimeout';
    if (!timeout) this.cidrSet.release(block);
    throw err;
  }

  /** Go: controllerutil.RecordNodeStatusChange. */
  #recordNodeStatusChange(node: Node, status: string): Promise<void> {
    return this.#recorder.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } } as KubeObject, 'Warning', status, `Node ${node.metadata.name} status is now: ${status}`);
  }
}
