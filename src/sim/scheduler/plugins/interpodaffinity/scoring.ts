/**
 * PreScore, Score and NormalizeScore: each pair (topology key, value) accumulates the weights of
 * the preferred terms that attract (+) or repel (-) the incoming pod, and of existing pods' hard
 * affinity terms it satisfies (hardPodAffinityWeight); a node sums its pairs, then min-max scaling.
 * Upstream: pkg/scheduler/framework/plugins/interpodaffinity/scoring.go
 */
import type { Node, Pod } from '../../../api/core/v1';
import type { LabelSet } from '../../../apimachinery/labels';
import type { CycleState, StateData } from '../../framework/cycle_state';
import type { NodeScore } from '../../framework/interface';
import { MaxNodeScore } from '../../framework/interface';
import { affinityTermMatches, type AffinityTerm, type NodeInfo, type PodInfo, type WeightedAffinityTerm } from '../../framework/types';
import { Name } from './filtering';

export const preScoreStateKey = 'PreScore' + Name;

/** topology key -> topology value -> score (Go: `scoreMap`). */
export class ScoreMap extends Map<string, Map<string, number>> {
  /** Go: `scoreMap.processTerm`. */
  processTerm(term: AffinityTerm, weight: number, pod: Pod, nsLabels: LabelSet | undefined, node: Node, multiplier: number): void {
    if (!affinityTermMatches(term, pod, nsLabels)) return;
    const labels = node.metadata.labels ?? {};
    if (!Object.hasOwn(labels, term.topologyKey)) return;
    let values = this.get(term.topologyKey);
    if (!values) this.set(term.topologyKey, (values = new Map()));
    const v = labels[term.topologyKey];
    values.set(v, (values.get(v) ?? 0) + weight * multiplier);
  }

  processTerms(terms: WeightedAffinityTerm[], pod: Pod, nsLabels: LabelSet | undefined, node: Node, multiplier: number): void {
    for (const t of terms) this.processTerm(t, t.weight, pod, nsLabels, node, multiplier);
  }
}

/** Go: `preScoreState`. */
export class PreScoreState implements StateData {
  topologyScore = new ScoreMap();
  constructor(readonly podInfo: PodInfo, readonly namespaceLabels: LabelSet | undefined) {}
  /** Go shares the state rather than copying it. */
  clone(): PreScoreState {
    return this;
  }
}

/** Go: `processExistingPod`. */
export function processExistingPod(s: PreScoreState, existing: PodInfo, node: Node, incoming: Pod, hardPodAffinityWeight: number, topoScore: ScoreMap): void {
  if (Object.keys(node.metadata.labels ?? {}).length === 0) return;
  // The incoming pod's terms carry their namespaces already: no labels of the existing pod's namespace.
  topoScore.processTerms(s.podInfo.preferredAffinityTerms, existing.pod, undefined, node, 1);
  topoScore.processTerms(s.podInfo.preferredAntiAffinityTerms, existing.pod, undefined, node, -1);
  if (hardPodAffinityWeight > 0) {
    for (const t of existing.requiredAffinityTerms) topoScore.processTerm(t, hardPodAffinityWeight, incoming, s.namespaceLabels, node, 1);
  }
  topoScore.processTerms(existing.preferredAffinityTerms, incoming, s.namespaceLabels, node, 1);
  topoScore.processTerms(existing.preferredAntiAffinityTerms, incoming, s.namespaceLabels, node, -1);
}

/** Adds one node's scores into the total (Go: `scoreMap.append`). */
export function appendScores(into: ScoreMap, other: ScoreMap): void {
  for (const [key, scores] of other) {
    const mine = into.get(key);
    if (!mine) {
      into.set(key, scores);
      continue;
    }
    for (const [v, n] of scores) mine.set(v, (mine.get(v) ?? 0) + n);
  }
}

/** Go: `InterPodAffinity.Score`: the sum of the node's pairs. */
export function scoreNode(s: PreScoreState, nodeInfo: NodeInfo): number {
  const labels = nodeInfo.node?.metadata.labels ?? {};
  let score = 0;
  for (const [key, values] of s.topologyScore) if (Object.hasOwn(labels, key)) score += values.get(labels[key]) ?? 0;
  return score;
}

/** Go: `InterPodAffinity.NormalizeScore`: MaxNodeScore * (s - min) / (max - min) in float64, truncated. */
export function normalizeScores(s: PreScoreState, scores: NodeScore[]): void {
  if (s.topologyScore.size === 0) return;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const sc of scores) {
    if (sc.score > max) max = sc.score;
    if (sc.score < min) min = sc.score;
  }
  const diff = max - min;
  for (const sc of scores) sc.score = diff > 0 ? Math.trunc(MaxNodeScore * ((sc.score - min) / diff)) : 0;
}

/** Go: `getPreScoreState`. */
export function getPreScoreState(cycleState: CycleState): PreScoreState {
  let c: unknown;
  try {
    c = cycleState.read(preScoreStateKey);
  } catch (e) {
    throw new Error(`failed to read "${preScoreStateKey}" from cycleState: ${(e as Error).message}`);
  }
  if (!(c instanceof PreScoreState)) throw new Error(`${String(c)}  convert to interpodaffinity.preScoreState error`);
  return c;
}
