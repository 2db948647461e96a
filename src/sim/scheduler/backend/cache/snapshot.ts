/**
 * The cycle's view of the cluster: pkg/scheduler/backend/cache/snapshot.go at v1.34 (`Snapshot`,
 * `NewSnapshot`, `createNodeInfoMap`, `createImageExistenceMap`, `NodeInfos().Get`). Built fresh
 * from lists here, or updated from the cache (`Cache.UpdateSnapshot`) in a running scheduler.
 */
import type { Node, Pod } from '../../../api/core/v1';
import type { NodeInfoLister, SharedLister, StorageInfoLister } from '../../framework/interface';
import { NodeInfo, podPVCKeys } from '../../framework/types';

/** Go: `normalizedImageName`: an image without a tag or digest gets `:latest`. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const tail = name.slice(lastSlash + 1);
  if (!tail.includes(':') && !name.includes('@')) return `${name}:latest`;
  return name;
}

export class Snapshot implements SharedLister {
  /** Node name -> NodeInfo. */
  nodeInfoMap = new Map<string, NodeInfo>();
  nodeInfoList: NodeInfo[] = [];
  havePodsWithAffinityNodeInfoList: NodeInfo[] = [];
  havePodsWithRequiredAntiAffinityNodeInfoList: NodeInfo[] = [];
  /** `namespace/claim` keys used by some pod (Go: `usedPVCSet`). */
  usedPVCSet = new Set<string>();
  generation = 0;

  #lister?: NodeInfoLister;

  nodeInfos(): NodeInfoLister {
    // One lister per snapshot: plugins ask for it on every call.
    return (this.#lister ??= {
      list: () => this.nodeInfoList,
      havePodsWithAffinityList: () => this.havePodsWithAffinityNodeInfoList,
      havePodsWithRequiredAntiAffinityList: () => this.havePodsWithRequiredAntiAffinityNodeInfoList,
      get: (nodeName: string) => {
        const n = this.nodeInfoMap.get(nodeName);
        if (!n || !n.node) throw new Error(`nodeinfo not found for node name "${nodeName}"`);
        return n;
      },
    });
  }

  #storage?: StorageInfoLister;

  storageInfos(): StorageInfoLister {
    return (this.#storage ??= { isPVCUsedByPods: (key: string) => this.usedPVCSet.has(key) });
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }

  /** Where each node sits in nodeInfoList (kept by rebuildLists). */
  readonly position = new Map<string, number>();

  /** Swaps in new copies of nodes already listed, without walking the others (the node set is unchanged). */
  replaceListed(infos: NodeInfo[]): void {
    let affinity = false;
    let pvcs = false;
    for (const n of infos) {
      const i = this.position.get(n.name)!;
      const old = this.nodeInfoList[i];
      if (old.podsWithAffinity.length || n.podsWithAffinity.length || old.podsWithRequiredAntiAffinity.length || n.podsWithRequiredAntiAffinity.length) affinity = true;
      if (old.pvcRefCounts.size || n.pvcRefCounts.size) pvcs = true;
      this.nodeInfoList[i] = n;
    }
    if (affinity) {
      this.havePodsWithAffinityNodeInfoList = this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
      this.havePodsWithRequiredAntiAffinityNodeInfoList = this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    }
    if (pvcs) {
      this.usedPVCSet = new Set();
      for (const n of this.nodeInfoList) for (const k of n.pvcRefCounts.keys()) this.usedPVCSet.add(k);
    }
  }

  /** Rebuilds the derived lists from `nodeInfoMap` in `order` (node names). */
  rebuildLists(order: string[]): void {
    this.position.clear();
    this.nodeInfoList = [];
    this.havePodsWithAffinityNodeInfoList = [];
    this.havePodsWithRequiredAntiAffinityNodeInfoList = [];
    this.usedPVCSet = new Set();
    for (const name of order) {
      const n = this.nodeInfoMap.get(name);
      if (!n || !n.node) continue;
      this.position.set(name, this.nodeInfoList.length);
      this.nodeInfoList.push(n);
      if (n.podsWithAffinity.length > 0) this.havePodsWithAffinityNodeInfoList.push(n);
      if (n.podsWithRequiredAntiAffinity.length > 0) this.havePodsWithRequiredAntiAffinityNodeInfoList.push(n);
      for (const k of n.pvcRefCounts.keys()) this.usedPVCSet.add(k);
    }
  }
}

/** Go: `NewSnapshot(pods, nodes)`: pods with a nodeName land on their node; image states counted across nodes. */
export function newSnapshot(pods: Pod[], nodes: Node[]): Snapshot {
  const s = new Snapshot();
  const imageNodes = new Map<string, Set<string>>();
  for (const node of nodes) {
    for (const img of node.status?.images ?? []) {
      for (const name of img.names ?? []) {
        const key = normalizedImageName(name);
        let set = imageNodes.get(key);
        if (!set) imageNodes.set(key, (set = new Set()));
        set.add(node.metadata.name ?? '');
      }
    }
  }
  for (const pod of pods) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) continue;
    let ni = s.nodeInfoMap.get(nodeName);
    if (!ni) s.nodeInfoMap.set(nodeName, (ni = new NodeInfo()));
    ni.addPod(pod);
  }
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    let ni = s.nodeInfoMap.get(name);
    if (!ni) s.nodeInfoMap.set(name, (ni = new NodeInfo()));
    ni.setNode(node);
    ni.imageStates = imageStatesOf(node, imageNodes);
  }
  s.rebuildLists(nodes.map((n) => n.metadata.name ?? ''));
  return s;
}

/** Go: `getNodeImageStates`: each image on the node with its size and how many nodes have it. */
export function imageStatesOf(node: Node, imageNodes: Map<string, Set<string>>): Map<string, { size: number; numNodes: number }> {
  const out = new Map<string, { size: number; numNodes: number }>();
  for (const img of node.status?.images ?? []) {
    for (const name of img.names ?? []) {
      const key = normalizedImageName(name);
      out.set(key, { size: img.sizeBytes ?? 0, numNodes: imageNodes.get(key)?.size ?? 1 });
    }
  }
  return out;
}

/** Whether any pod in the list uses the claim (for tests that build a snapshot without nodes). */
export function pvcKeysOf(pods: Pod[]): Set<string> {
  const out = new Set<string>();
  for (const p of pods) for (const k of podPVCKeys(p)) out.add(k);
  return out;
}
