/**
 * PreFilter, its add/remove extensions and Filter: per topology pair, how many existing pods'
 * required anti-affinity terms match the incoming pod, and how many existing pods match the
 * incoming pod's required affinity and anti-affinity terms.
 * Upstream: pkg/scheduler/framework/plugins/interpodaffinity/filtering.go
 */
import type { Node, Pod } from '../../../api/core/v1';
import type { LabelSet } from '../../../apimachinery/labels';
import type { CycleState, StateData } from '../../framework/cycle_state';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo, PodInfo } from '../../framework/types';
import { TopologyCounts, podMatchesAllAffinityTerms } from './terms';

export const Name = 'InterPodAffinity';
export const preFilterStateKey = 'PreFilter' + Name;
export const ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

/** Go: `preFilterState`. */
export class PreFilterState implements StateData {
  /** Existing pods whose required anti-affinity terms match the incoming pod. */
  existingAntiAffinityCounts = new TopologyCounts();
  /** Existing pods that match all the incoming pod's required affinity terms. */
  affinityCounts = new TopologyCounts();
  /** Existing pods that match the incoming pod's required anti-affinity terms. */
  antiAffinityCounts = new TopologyCounts();

  constructor(
    /** The incoming pod, its terms' namespace selectors merged into namespaces. */
    readonly podInfo: PodInfo,
    /** The incoming pod's namespace's labels. */
    readonly namespaceLabels: LabelSet | undefined,
  ) {}

  clone(): PreFilterState {
    const c = new PreFilterState(this.podInfo, this.namespaceLabels);
    c.existingAntiAffinityCounts = this.existingAntiAffinityCounts.clone();
    c.affinityCounts = this.affinityCounts.clone();
    c.antiAffinityCounts = this.antiAffinityCounts.clone();
    return c;
  }

  /** Go: `preFilterState.updateWithPod`. */
  updateWithPod(pi: PodInfo, node: Node, multiplier: number): void {
    const pod = this.podInfo.pod;
    this.existingAntiAffinityCounts.updateWithAntiAffinityTerms(pi.requiredAntiAffinityTerms, pod, this.namespaceLabels, node, multiplier);
    this.affinityCounts.updateWithAffinityTerms(this.podInfo.requiredAffinityTerms, pi.pod, node, multiplier);
    // The incoming pod's terms carry their namespaces already: no labels of the updated pod's namespace.
    this.antiAffinityCounts.updateWithAntiAffinityTerms(this.podInfo.requiredAntiAffinityTerms, pi.pod, undefined, node, multiplier);
  }
}

/** Go: `getExistingAntiAffinityCounts`, over nodes with pods that have required anti-affinity. */
export function getExistingAntiAffinityCounts(pod: Pod, nsLabels: LabelSet | undefined, nodes: NodeInfo[]): TopologyCounts {
  const out = new TopologyCounts();
  for (const ni of nodes) {
    if (!ni.node) continue;
    for (const existing of ni.podsWithRequiredAntiAffinity) out.updateWithAntiAffinityTerms(existing.requiredAntiAffinityTerms, pod, nsLabels, ni.node, 1);
  }
  return out;
}

/** Go: `getIncomingAffinityAntiAffinityCounts`: [affinity, anti-affinity]. */
export function getIncomingAffinityAntiAffinityCounts(podInfo: PodInfo, allNodes: NodeInfo[]): [TopologyCounts, TopologyCounts] {
  const affinity = new TopologyCounts();
  const anti = new TopologyCounts();
  if (podInfo.requiredAffinityTerms.length === 0 && podInfo.requiredAntiAffinityTerms.length === 0) return [affinity, anti];
  for (const ni of allNodes) {
    if (!ni.node) continue;
    for (const existing of ni.pods) {
      affinity.updateWithAffinityTerms(podInfo.requiredAffinityTerms, existing.pod, ni.node, 1);
      anti.updateWithAntiAffinityTerms(podInfo.requiredAntiAffinityTerms, existing.pod, undefined, ni.node, 1);
    }
  }
  return [affinity, anti];
}

/** Go: `getPreFilterState`. */
export function getPreFilterState(cycleState: CycleState): PreFilterState {
  let c: unknown;
  try {
    c = cycleState.read(preFilterStateKey);
  } catch (e) {
    throw new Error(`error reading "${preFilterStateKey}" from cycleState: ${(e as Error).message}`);
  }
  if (!(c instanceof PreFilterState)) throw new Error(`${String(c)}  convert to interpodaffinity.state error`);
  return c;
}

/** Go: `satisfyExistingPodsAntiAffinity`: no label of the node is a pair an existing pod repels. */
function satisfyExistingPodsAntiAffinity(s: PreFilterState, node: Node): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) if (s.existingAntiAffinityCounts.count(k, v) > 0) return false;
  return true;
}

/** Go: `satisfyPodAntiAffinity`. */
function satisfyPodAntiAffinity(s: PreFilterState, node: Node): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  const labels = node.metadata.labels ?? {};
  for (const t of s.podInfo.requiredAntiAffinityTerms) {
    if (Object.hasOwn(labels, t.topologyKey) && s.antiAffinityCounts.count(t.topologyKey, labels[t.topologyKey]) > 0) return false;
  }
  return true;
}

/**
 * Go: `satisfyPodAffinity`. The node must have every term's key; when no pod matches anywhere and
 * the pod matches its own terms, it may go first, or a group with affinity to itself never starts.
 */
function satisfyPodAffinity(s: PreFilterState, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  let podsExist = true;
  for (const t of s.podInfo.requiredAffinityTerms) {
    if (!Object.hasOwn(labels, t.topologyKey)) return false;
    if (s.affinityCounts.count(t.topologyKey, labels[t.topologyKey]) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(s.podInfo.requiredAffinityTerms, s.podInfo.pod);
}

/** Go: `InterPodAffinity.Filter`. */
export function filterNode(cycleState: CycleState, nodeInfo: NodeInfo): MaybeStatus {
  let s: PreFilterState;
  try {
    s = getPreFilterState(cycleState);
  } catch (e) {
    return asStatus(e);
  }
  const node = nodeInfo.node!;
  if (!satisfyPodAffinity(s, node)) return newStatus('UnschedulableAndUnresolvable', ErrReasonAffinityRulesNotMatch);
  if (!satisfyPodAntiAffinity(s, node)) return newStatus('Unschedulable', ErrReasonAntiAffinityRulesNotMatch);
  if (!satisfyExistingPodsAntiAffinity(s, node)) return newStatus('Unschedulable', ErrReasonExistingAntiAffinityRulesNotMatch);
  return null;
}
