/**
 * Which nodes a DaemonSet's pod belongs on: the template's nodeName, nodeSelector and required
 * node affinity must fit the node, and its taints must be tolerated (with the daemon tolerations
 * added). A pod already running stays as long as no NoExecute taint is untolerated.
 * Upstream: pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod, predicates, NewPod)
 */
import type { Node, Pod, Taint } from '../../api/core/v1';
import { deepCopy } from '../../core/object';
import { findMatchingUntoleratedTaint } from '../../scheduler/plugins/helper/taints';
import { getRequiredNodeAffinity } from '../../scheduler/plugins/helper/node_affinity';
import type { DaemonSet } from './types';
import { addOrUpdateDaemonPodTolerations } from './util';

/** The pod the DaemonSet would run on `nodeName`, as the predicates see it. */
// Upstream: daemon_controller.go (NewPod)
export function newPod(ds: DaemonSet, nodeName: string): Pod {
  const t = deepCopy(ds.spec.template);
  const pod: Pod = { metadata: { ...(t.metadata ?? {}), namespace: ds.metadata.namespace }, spec: { ...t.spec, nodeName } };
  addOrUpdateDaemonPodTolerations(pod.spec);
  return pod;
}

/** What the predicates say about a node: name, required node affinity (with nodeSelector), taints. */
// Upstream: daemon_controller.go (predicates)
export function predicates(pod: Pod, node: Node, taints: readonly Taint[]): { fitsNodeName: boolean; fitsNodeAffinity: boolean; fitsTaints: boolean } {
  const fitsNodeName = !pod.spec.nodeName || pod.spec.nodeName === node.metadata.name;
  // Parse errors count as no match, as upstream ignores them.
  const [fitsNodeAffinity] = getRequiredNodeAffinity(pod).match(node);
  const untolerated = findMatchingUntoleratedTaint(taints, pod.spec.tolerations, (t) => t.effect === 'NoExecute' || t.effect === 'NoSchedule');
  return { fitsNodeName, fitsNodeAffinity, fitsTaints: untolerated === undefined };
}

/**
 * `shouldRun`: a daemon pod should be created on the node if none is there;
 * `shouldContinueRunning`: a daemon pod already there may stay.
 */
// Upstream: daemon_controller.go (NodeShouldRunDaemonPod)
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const pod = newPod(ds, node.metadata.name ?? '');
  const wanted = ds.spec.template.spec.nodeName;
  if (wanted && wanted !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const { fitsNodeName, fitsNodeAffinity, fitsTaints } = predicates(pod, node, taints);
  if (!fitsNodeName || !fitsNodeAffinity) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsTaints) {
    // A scheduled daemon pod keeps running unless a NoExecute taint is untolerated (NoSchedule only stops new ones).
    const noExecute = findMatchingUntoleratedTaint(taints, pod.spec.tolerations, (t) => t.effect === 'NoExecute');
    return { shouldRun: false, shouldContinueRunning: noExecute === undefined };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}
