/**
 * Spread constraints as the plugin holds them: parsed selectors, with v1.34's defaults for the
 * optional fields. Upstream: pkg/scheduler/framework/plugins/podtopologyspread/common.go
 */
import type { Node, Pod, TopologySpreadConstraint } from '../../../api/core/v1';
import { labelSelectorAsSelector, selectorFromSet, type Selector } from '../../../apimachinery/labels';
import type { PodInfo } from '../../framework/types';
import { findMatchingUntoleratedTaint, type RequiredNodeAffinity } from '../helper';

export type NodeInclusionPolicy = 'Honor' | 'Ignore';

/** Go: `topologySpreadConstraint`. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  nodeAffinityPolicy: NodeInclusionPolicy;
  nodeTaintsPolicy: NodeInclusionPolicy;
}

/** Go: `helper.DoNotScheduleTaintsFilterFunc`. */
function doNotScheduleTaint(t: { effect: string }): boolean {
  return t.effect === 'NoSchedule' || t.effect === 'NoExecute';
}

/** Whether the node counts for this constraint (Go: `matchNodeInclusionPolicies`); affinity parse errors are ignored. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: Node, require: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !require.match(node)[0]) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findMatchingUntoleratedTaint(node.spec?.taints, pod.spec.tolerations, doNotScheduleTaint)) return false;
  return true;
}

/** Whether the node has every constraint's topology key (Go: `nodeLabelsMatchSpreadConstraints`). */
export function nodeLabelsMatchSpreadConstraints(nodeLabels: Record<string, string> | undefined, constraints: SpreadConstraint[]): boolean {
  const ls = nodeLabels ?? {};
  return constraints.every((c) => Object.hasOwn(ls, c.topologyKey));
}

/** Go: `podLabelsMatchSpreadConstraints`: any constraint selects the labels. */
export function podLabelsMatchSpreadConstraints(constraints: SpreadConstraint[], labels: Record<string, string> | undefined): boolean {
  return constraints.some((c) => c.selector.matches(labels ?? {}));
}

/** Go: `mergeLabelSetWithSelector`. */
function mergeLabelSetWithSelector(matchLabels: Record<string, string>, s: Selector): Selector {
  const { requirements, selectable } = s.requirements();
  const merged = selectorFromSet(matchLabels);
  return selectable ? merged.add(...requirements) : merged;
}

/**
 * The constraints with `whenUnsatisfiable === action`, parsed (Go: `filterTopologySpreadConstraints`).
 * matchLabelKeys (beta, on in v1.34) adds the pod's values for those keys to the selector; the
 * API server merged them already (MatchLabelKeysInPodTopologySpreadSelectorMerge), so this only
 * repeats requirements it has. Throws when a selector does not parse.
 */
export function filterTopologySpreadConstraints(
  constraints: readonly TopologySpreadConstraint[], podLabels: Record<string, string> | undefined, action: TopologySpreadConstraint['whenUnsatisfiable'],
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorAsSelector(c.labelSelector);
    if ((c.matchLabelKeys ?? []).length > 0) {
      const matchLabels: Record<string, string> = {};
      for (const k of c.matchLabelKeys ?? []) if (podLabels && Object.hasOwn(podLabels, k)) matchLabels[k] = podLabels[k];
      if (Object.keys(matchLabels).length > 0) selector = mergeLabelSetWithSelector(matchLabels, selector);
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** Pods in `ns`, not terminating, that the selector matches (Go: `countPodsMatchSelector`). */
export function countPodsMatchSelector(podInfos: readonly PodInfo[], selector: Selector, ns: string): number {
  let n = 0;
  for (const p of podInfos) {
    if (p.pod.metadata.deletionTimestamp || (p.pod.metadata.namespace ?? '') !== ns) continue;
    if (selector.matches(p.pod.metadata.labels ?? {})) n++;
  }
  return n;
}
