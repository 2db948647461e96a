/**
 * The scheduler's own view of where pods are: pkg/scheduler/backend/cache/cache.go at v1.34
 * (`cacheImpl`: `AssumePod`, `FinishBinding`, `ForgetPod`, `AddPod`, `UpdatePod`, `RemovePod`,
 * `AddNode`, `UpdateNode`, `RemoveNode`, `UpdateSnapshot`). A pod the scheduler has chosen a
 * node for is "assumed" there at once, before the API server confirms the binding, so the next
 * cycle already counts its requests; the informer's add confirms it, a failed bind forgets it.
 * Assumed pods do not expire (v1.34 sets durationToExpireAssumedPod to 0).
 */
import type { Node, Pod } from '../../../api/core/v1';
import { NodeInfo, PodInfo, getPodKey } from '../../framework/types';
import { NodeTree, getZoneKey } from './node_tree';
import { imageStatesOf, normalizedImageName, Snapshot } from './snapshot';

interface PodState {
  pod: Pod;
  bindingFinished: boolean;
}

export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>();
  readonly nodeTree = new NodeTree();
  readonly podStates = new Map<string, PodState>();
  readonly assumedPods = new Set<string>();
  /** Image name -> node names that have it (Go: `imageStates`). */
  readonly #imageNodes = new Map<string, Set<string>>();
  /** Nodes changed since the last UpdateSnapshot (upstream walks its most-recently-updated list the same way). */
  readonly #dirty = new Set<string>();
  /** The node set or the tree's order changed: the snapshot's lists are rebuilt. */
  #treeChanged = true;
  #order: string[] = [];

  #nodeInfo(name: string): NodeInfo {
    this.#dirty.add(name);
    let n = this.nodes.get(name);
    if (!n) this.nodes.set(name, (n = new NodeInfo()));
    return n;
  }

  /** Go: `AssumePod`. Throws if the pod is already known. */
  assumePod(pod: Pod): void {
    const key = getPodKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key}(${pod.metadata.namespace}/${pod.metadata.name}) is in the cache, so can't be assumed`);
    this.#nodeInfo(pod.spec.nodeName!).addPodInfo(new PodInfo(pod));
    this.podStates.set(key, { pod, bindingFinished: false });
    this.assumedPods.add(key);
  }

  /** Go: `FinishBinding`. */
  finishBinding(pod: Pod): void {
    const ps = this.podStates.get(getPodKey(pod));
    if (ps) ps.bindingFinished = true;
  }

  /** Go: `ForgetPod`: the bind failed; the node gets its resources back. */
  forgetPod(pod: Pod): void {
    const key = getPodKey(pod);
    const ps = this.podStates.get(key);
    if (!ps || !this.assumedPods.has(key)) return;
    this.#dirty.add(ps.pod.spec.nodeName!);
    this.nodes.get(ps.pod.spec.nodeName!)?.removePod(ps.pod);
    this.podStates.delete(key);
    this.assumedPods.delete(key);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumedPods.has(getPodKey(pod));
  }

  /** Go: `AddPod`: the informer saw a bound pod; an assumed one is confirmed (and moved if it landed elsewhere). */
  addPod(pod: Pod): void {
    const key = getPodKey(pod);
    const ps = this.podStates.get(key);
    if (ps && this.assumedPods.has(key)) {
      this.#dirty.add(ps.pod.spec.nodeName!);
      this.nodes.get(ps.pod.spec.nodeName!)?.removePod(ps.pod);
      this.#nodeInfo(pod.spec.nodeName!).addPodInfo(new PodInfo(pod));
      this.assumedPods.delete(key);
      this.podStates.set(key, { pod, bindingFinished: true });
      return;
    }
    if (ps) return;
    this.#nodeInfo(pod.spec.nodeName!).addPodInfo(new PodInfo(pod));
    this.podStates.set(key, { pod, bindingFinished: true });
  }

  /** Go: `UpdatePod`. */
  updatePod(oldPod: Pod, newPod: Pod): void {
    const key = getPodKey(oldPod);
    if (!this.podStates.has(key) || this.assumedPods.has(key)) return;
    this.#dirty.add(oldPod.spec.nodeName!);
    this.nodes.get(oldPod.spec.nodeName!)?.removePod(oldPod);
    this.#nodeInfo(newPod.spec.nodeName!).addPodInfo(new PodInfo(newPod));
    this.podStates.set(key, { pod: newPod, bindingFinished: true });
  }

  /** Go: `RemovePod`. */
  removePod(pod: Pod): void {
    const key = getPodKey(pod);
    const ps = this.podStates.get(key);
    if (!ps) return;
    const n = this.nodes.get(ps.pod.spec.nodeName!);
    this.#dirty.add(ps.pod.spec.nodeName!);
    try {
      n?.removePod(ps.pod);
    } catch {
      // Already gone from the node (its NodeInfo was rebuilt): nothing to give back.
    }
    if (n && !n.node && n.pods.length === 0) this.nodes.delete(ps.pod.spec.nodeName!);
    this.podStates.delete(key);
    this.assumedPods.delete(key);
  }

  #addImages(node: Node): void {
    for (const img of node.status?.images ?? []) for (const name of img.names ?? []) {
      const k = normalizedImageName(name);
      let s = this.#imageNodes.get(k);
      if (!s) this.#imageNodes.set(k, (s = new Set()));
      s.add(node.metadata.name ?? '');
    }
  }
  #removeImages(node: Node): void {
    for (const img of node.status?.images ?? []) for (const name of img.names ?? []) this.#imageNodes.get(normalizedImageName(name))?.delete(node.metadata.name ?? '');
  }

  /** Go: `AddNode`. */
  addNode(node: Node): void {
    const n = this.#nodeInfo(node.metadata.name ?? '');
    this.#addImages(node);
    this.nodeTree.addNode(node);
    this.#treeChanged = true;
    n.setNode(node);
  }

  /** Go: `UpdateNode`. */
  updateNode(oldNode: Node | undefined, newNode: Node): void {
    const n = this.#nodeInfo(newNode.metadata.name ?? '');
    if (oldNode) this.#removeImages(oldNode);
    this.#addImages(newNode);
    const before = this.nodeTree.numNodes;
    this.nodeTree.updateNode(n.node ?? oldNode, newNode);
    if (!oldNode || this.nodeTree.numNodes !== before || getZoneKey(oldNode) !== getZoneKey(newNode)) this.#treeChanged = true;
    n.setNode(newNode);
  }

  /** Go: `RemoveNode`: the NodeInfo stays while pods still point at it. */
  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const n = this.nodes.get(name);
    if (!n) return;
    this.#removeImages(node);
    this.nodeTree.removeNode(node);
    this.#treeChanged = true;
    this.#dirty.add(name);
    n.removeNode();
    if (n.pods.length === 0) this.nodes.delete(name);
  }

  nodeCount(): number {
    return this.nodeTree.numNodes;
  }

  /**
   * Go: `UpdateSnapshot`: copies the NodeInfos that changed since the snapshot's generation, and
   * lists nodes in the node tree's zone-interleaved order.
   */
  updateSnapshot(s: Snapshot): void {
    const fresh = s.generation === 0;
    const names = fresh ? [...this.nodes.keys()] : [...this.#dirty];
    const copies: NodeInfo[] = [];
    let maxGen = s.generation;
    for (const name of names) {
      const n = this.nodes.get(name);
      if (!n || !n.node) {
        s.nodeInfoMap.delete(name);
        continue;
      }
      if (fresh || n.generation > s.generation || !s.nodeInfoMap.has(name)) {
        const c = n.snapshot();
        c.imageStates = imageStatesOf(n.node, this.#imageNodes);
        s.nodeInfoMap.set(name, c);
        copies.push(c);
      }
      if (n.generation > maxGen) maxGen = n.generation;
    }
    this.#dirty.clear();
    s.generation = Math.max(maxGen, 1);
    if (this.#treeChanged || fresh) {
      for (const name of [...s.nodeInfoMap.keys()]) if (!this.nodes.get(name)?.node) s.nodeInfoMap.delete(name);
      this.#order = this.nodeTree.list();
      s.rebuildLists(this.#order);
      this.#treeChanged = false;
    } else if (copies.length) {
      s.replaceListed(copies);
    }
  }

  /** Every pod the cache holds, with whether it is only assumed. */
  dump(): { pod: Pod; assumed: boolean }[] {
    return [...this.podStates].map(([k, ps]) => ({ pod: ps.pod, assumed: this.assumedPods.has(k) }));
  }
}
