/**
 * The rolling update's decision, as a pure function of the nodes and the pods on them: which old
 * pods to delete (and, when surging, on which nodes to create new ones) without more than
 * maxUnavailable daemons down, or more than maxSurge extra pods, at once.
 * Upstream: pkg/controller/daemon/update.go (rollingUpdate, findUpdatedPodsOnNode,
 * updatedDesiredNodeCounts)
 */
import type { Node, Pod } from '../../api/core/v1';
import type { DaemonSet } from './types';
import { getTemplateGeneration, isPodAvailable, isPodUpdated, surgeCount, unavailableCount } from './util';

/** The one new and one old pod on a node (deleted ones ignored); ok false when either is duplicated. */
// Upstream: update.go (findUpdatedPodsOnNode)
export function findUpdatedPodsOnNode(ds: DaemonSet, podsOnNode: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  const generation = getTemplateGeneration(ds);
  for (const pod of podsOnNode) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * maxSurge and maxUnavailable against the number of nodes that should run the daemon; every such
 * node gets an entry in `nodeToDaemonPods` (empty when it has no pod). A DaemonSet allowing
 * neither (the API refuses it, but an old object may have it) gets maxUnavailable 1.
 */
// Upstream: update.go (updatedDesiredNodeCounts)
export function updatedDesiredNodeCounts(
  ds: DaemonSet,
  nodes: readonly Node[],
  nodeToDaemonPods: Map<string, Pod[]>,
  shouldRun: (node: Node) => boolean,
): { maxSurge: number; maxUnavailable: number; desiredNumberScheduled: number } {
  let desiredNumberScheduled = 0;
  for (const node of nodes) {
    if (!shouldRun(node)) continue;
    desiredNumberScheduled++;
    const name = node.metadata.name ?? '';
    if (!nodeToDaemonPods.has(name)) nodeToDaemonPods.set(name, []);
  }
  let maxUnavailable = unavailableCount(ds, desiredNumberScheduled);
  const maxSurge = surgeCount(ds, desiredNumberScheduled);
  if (desiredNumberScheduled > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desiredNumberScheduled };
}

export interface RollingUpdatePlan {
  /** Old pods to delete now. */
  oldPodsToDelete: string[];
  /** Nodes to create a new pod on now (surge only; without surge the manage loop recreates). */
  newNodesToCreate: string[];
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * What one rolling-update pass does. Without surge: delete unavailable old pods at once, and
 * available ones while fewer than maxUnavailable daemons are down (counting new pods not yet
 * available and nodes in transition); the manage loop then creates their replacements. With
 * surge: start a new pod beside an old one (at once where the old one is unavailable, else up
 * to maxSurge at a time) and delete the old pod once the new one is available.
 * Nodes are visited in `nodes` order (Go ranges over a map: a random order).
 */
// Upstream: update.go (rollingUpdate)
export function rollingUpdatePlan(
  ds: DaemonSet,
  nodes: readonly Node[],
  nodeToDaemonPods: Map<string, Pod[]>,
  hash: string,
  nowMs: number,
  shouldRun: (node: Node) => boolean,
): RollingUpdatePlan {
  const byNode = new Map(nodeToDaemonPods);
  const { maxSurge, maxUnavailable, desiredNumberScheduled } = updatedDesiredNodeCounts(ds, nodes, byNode, shouldRun);
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, nowMs);
  const order = orderedNodeNames(nodes, byNode);
  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowedReplacementPods: string[] = [];
    const candidatePodsToDelete: string[] = [];
    for (const nodeName of order) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, byNode.get(nodeName) ?? [], hash);
      if (!ok) {
        // Excess pods: the manage loop cleans this node up; count it as unavailable.
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          allowedReplacementPods.push(oldPod.metadata.name ?? '');
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) candidatePodsToDelete.push(oldPod.metadata.name ?? '');
      }
    }
    const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidatePodsToDelete.length);
    return { oldPodsToDelete: [...allowedReplacementPods, ...candidatePodsToDelete.slice(0, remaining)], newNodesToCreate: [], maxSurge, maxUnavailable };
  }

  const oldPodsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name ?? '', n]));
  const runs = (nodeName: string) => {
    const node = nodeByName.get(nodeName);
    return node !== undefined && shouldRun(node);
  };
  for (const nodeName of order) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, byNode.get(nodeName) ?? [], hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    // Availability counts every node, even those being sunset by a scheduling change.
    if (oldPod) numAvailable += available(oldPod) ? 1 : 0;
    else if (newPod) numAvailable += available(newPod) ? 1 : 0;
    if (!oldPod) continue; // nothing to replace: the manage loop handles the node
    if (!newPod) {
      if (!available(oldPod)) {
        if (!runs(nodeName)) oldPodsToDelete.push(oldPod.metadata.name ?? '');
        else allowedNewNodes.push(nodeName);
      } else if (!runs(nodeName)) shouldNotRunPodsToDelete.push(oldPod.metadata.name ?? '');
      else if (numSurge < maxSurge) candidateNewNodes.push(nodeName);
      continue;
    }
    // Already surged here: wait for the new pod, then delete the old one.
    if (!available(newPod)) numSurge++;
    else oldPodsToDelete.push(oldPod.metadata.name ?? '');
  }
  // With surge the owner expects full availability: a pod on a node the daemon leaves goes only
  // once enough pods elsewhere are available.
  const deletable = Math.min(numAvailable - desiredNumberScheduled, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remaining = Math.min(Math.max(maxSurge - numSurge, 0), candidateNewNodes.length);
  return { oldPodsToDelete, newNodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remaining)], maxSurge, maxUnavailable };
}

/** The nodes of the map in node-list order, then any others (pods for nodes that are gone) by name. */
function orderedNodeNames(nodes: readonly Node[], byNode: Map<string, Pod[]>): string[] {
  const listed = nodes.map((n) => n.metadata.name ?? '').filter((n) => byNode.has(n));
  const rest = [...byNode.keys()].filter((n) => !listed.includes(n)).sort();
  return [...listed, ...rest];
}
