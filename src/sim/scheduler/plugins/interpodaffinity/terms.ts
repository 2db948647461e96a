/**
 * Counting pods by (topology key, value) for affinity terms.
 * Upstream: pkg/scheduler/framework/plugins/interpodaffinity/filtering.go (topologyPair,
 * topologyToMatchedTermCount, podMatchesAllAffinityTerms) and pkg/scheduler/framework/types.go
 * (NewPodInfo's parse errors)
 */
import type { Node, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../../api/core/v1';
import { labelSelectorAsSelector, type LabelSet } from '../../../apimachinery/labels';
import { affinityTermMatches, type AffinityTerm } from '../../framework/types';

/** A topology pair `key\0value` as a map key (Go: `topologyPair`). */
export function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

/** Go: `topologyToMatchedTermCount`: entries that fall to zero are deleted. */
export class TopologyCounts extends Map<string, number> {
  /** Adds `value` under the node's value for `tk`, if the node has the label (Go: `update`). */
  bump(node: Node, tk: string, value: number): void {
    const labels = node.metadata.labels ?? {};
    if (!Object.hasOwn(labels, tk)) return;
    const k = pairKey(tk, labels[tk]);
    const n = (this.get(k) ?? 0) + value;
    if (n === 0) this.delete(k);
    else this.set(k, n);
  }

  /** Go: `updateWithAffinityTerms`: only when the pod matches every term. */
  updateWithAffinityTerms(terms: AffinityTerm[], pod: Pod, node: Node, value: number): void {
    if (!podMatchesAllAffinityTerms(terms, pod)) return;
    for (const t of terms) this.bump(node, t.topologyKey, value);
  }

  /** Go: `updateWithAntiAffinityTerms`: each term the pod matches. */
  updateWithAntiAffinityTerms(terms: AffinityTerm[], pod: Pod, nsLabels: LabelSet | undefined, node: Node, value: number): void {
    for (const t of terms) if (affinityTermMatches(t, pod, nsLabels)) this.bump(node, t.topologyKey, value);
  }

  count(key: string, value: string): number {
    return this.get(pairKey(key, value)) ?? 0;
  }

  clone(): TopologyCounts {
    return new TopologyCounts(this);
  }
}

/**
 * Whether the pod matches every term; never for no terms. The incoming pod's namespaceSelector
 * was merged into its namespaces, so no namespace labels are needed (Go: `podMatchesAllAffinityTerms`).
 */
export function podMatchesAllAffinityTerms(terms: AffinityTerm[], pod: Pod): boolean {
  return terms.length > 0 && terms.every((t) => affinityTermMatches(t, pod, undefined));
}

/** The first term of a list whose selectors do not parse, as Go's `GetAffinityTerms` stops there. */
function firstParseError(terms: PodAffinityTerm[] | undefined): string | null {
  for (const t of terms ?? []) {
    try {
      labelSelectorAsSelector(t.labelSelector ?? null);
      labelSelectorAsSelector(t.namespaceSelector ?? null);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return null;
}

/** The error `NewPodInfo` returns for unparsable affinity terms, or null (Go: `PodInfo.Update`'s aggregate). */
export function podInfoParseError(pod: Pod): string | null {
  const a = pod.spec.affinity;
  const weighted = (ts: WeightedPodAffinityTerm[] | undefined) => ts?.map((t) => t.podAffinityTerm);
  const errs: string[] = [];
  const check = (what: string, terms: PodAffinityTerm[] | undefined) => {
    const e = firstParseError(terms);
    if (e) errs.push(`${what}: ${e}`);
  };
  check('requiredAffinityTerms', a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  check('requiredAntiAffinityTerms', a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  check('preferredAffinityTerms', weighted(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution));
  check('preferredAntiAffinityTerms', weighted(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution));
  if (errs.length === 0) return null;
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}
