/**
 * Nodes listed zone by zone, one node from each zone in turn, so that the round-robin search of
 * findNodesThatPassFilters spreads over zones: pkg/scheduler/backend/cache/node_tree.go at v1.34
 * (`nodeTree`, `addNode`, `removeNode`, `list`) and k8s.io/component-helpers node/topology
 * (`GetZoneKey`).
 */
import type { Node } from '../../../api/core/v1';

/** Go: `GetZoneKey`: region and zone labels, or "" when the node has neither. */
export function getZoneKey(node: Node): string {
  const l = node.metadata.labels ?? {};
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  if (!zone && !region) return '';
  return `${region}:\x00:${zone}`;
}

export class NodeTree {
  /** Zone keys in the order they first appeared. */
  readonly zones: string[] = [];
  readonly tree = new Map<string, string[]>();
  numNodes = 0;

  addNode(node: Node): void {
    const zone = getZoneKey(node);
    const name = node.metadata.name ?? '';
    let list = this.tree.get(zone);
    if (list) {
      if (list.includes(name)) return;
      list.push(name);
    } else {
      this.zones.push(zone);
      this.tree.set(zone, (list = [name]));
    }
    this.numNodes++;
  }

  removeNode(node: Node): void {
    const zone = getZoneKey(node);
    const list = this.tree.get(zone);
    const i = list?.indexOf(node.metadata.name ?? '') ?? -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) {
      this.tree.delete(zone);
      this.zones.splice(this.zones.indexOf(zone), 1);
    }
    this.numNodes--;
  }

  updateNode(oldNode: Node | undefined, newNode: Node): void {
    if (oldNode && getZoneKey(oldNode) === getZoneKey(newNode)) return;
    if (oldNode) this.removeNode(oldNode);
    this.addNode(newNode);
  }

  /** Go: `nodeTree.list`: the i-th node of each zone, for i = 0, 1, ... */
  list(): string[] {
    const out: string[] = [];
    for (let i = 0; out.length < this.numNodes; i++) {
      for (const z of this.zones) {
        const names = this.tree.get(z)!;
        if (i < names.length) out.push(names[i]);
      }
    }
    return out;
  }
}
