/**
 * PreScore, Score and NormalizeScore: fewer matching pods in a node's domains scores higher, each
 * constraint's count weighted by log(domains + 2) so small topologies are not drowned out.
 * Upstream: pkg/scheduler/framework/plugins/podtopologyspread/scoring.go
 */
import type { Pod } from '../../../api/core/v1';
import type { NodeScore } from '../../framework/interface';
import { MaxNodeScore } from '../../framework/interface';
import type { CycleState, StateData } from '../../framework/cycle_state';
import type { NodeInfo } from '../../framework/types';
import { getRequiredNodeAffinity } from '../helper';
import { countPodsMatchSelector, matchNodeInclusionPolicies, nodeLabelsMatchSpreadConstraints, type SpreadConstraint } from './common';
import { Name } from './filtering';

export const preScoreStateKey = 'PreScore' + Name;
const invalidScore = -1;
const LabelHostname = 'kubernetes.io/hostname';

/** Go: `preScoreState`. */
export class PreScoreState implements StateData {
  constraints: SpreadConstraint[] = [];
  /** Nodes missing some constraint's topology key: scored 0. */
  ignoredNodes = new Set<string>();
  /** Per constraint: topology value -> matching pods (hostname constraints are counted in Score). */
  topologyValueToPodCounts: Map<string, number>[] = [];
  topologyNormalizingWeight: number[] = [];

  /** Go shares the state rather than copying it. */
  clone(): PreScoreState {
    return this;
  }
}

/** Go: `topologyNormalizingWeight`: log(size + 2), so within <1.09, 8.52> for 1..5000 domains. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** Go: `scoreForCount`: maxSkew-1 waters down small differences between domains. */
export function scoreForCount(cnt: number, maxSkew: number, tpWeight: number): number {
  return cnt * tpWeight + (maxSkew - 1);
}

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Go: `initPreScoreState`, given the pod's ScheduleAnyway constraints (explicit or defaulted). */
export function initPreScoreState(s: PreScoreState, filteredNodes: NodeInfo[], requireAllTopologies: boolean): void {
  if (s.constraints.length === 0) return;
  s.topologyValueToPodCounts = s.constraints.map(() => new Map());
  const topoSize = s.constraints.map(() => 0);
  for (const ni of filteredNodes) {
    const labels = ni.node?.metadata.labels ?? {};
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, s.constraints)) {
      s.ignoredNodes.add(ni.name);
      continue;
    }
    s.constraints.forEach((c, i) => {
      if (c.topologyKey === LabelHostname) return;
      // A node without the key counts under "" when system defaults do not require every key.
      const value = labels[c.topologyKey] ?? '';
      if (!s.topologyValueToPodCounts[i].has(value)) {
        s.topologyValueToPodCounts[i].set(value, 0);
        topoSize[i]++;
      }
    });
  }
  s.topologyNormalizingWeight = s.constraints.map((c, i) => {
    const sz = c.topologyKey === LabelHostname ? filteredNodes.length - s.ignoredNodes.size : topoSize[i];
    return topologyNormalizingWeight(sz);
  });
}

/** Go: the counting loop of `PreScore` over every node of the snapshot. */
export function countAllNodes(s: PreScoreState, pod: Pod, allNodes: NodeInfo[], requireAllTopologies: boolean): void {
  const requiredNodeAffinity = getRequiredNodeAffinity(pod);
  const ns = pod.metadata.namespace ?? '';
  for (const ni of allNodes) {
    const node = ni.node;
    if (!node) continue;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node.metadata.labels, s.constraints)) continue;
    s.constraints.forEach((c, i) => {
      if (!matchNodeInclusionPolicies(c, pod, node, requiredNodeAffinity)) return;
      const value = node.metadata.labels?.[c.topologyKey] ?? '';
      const m = s.topologyValueToPodCounts[i];
      if (!m.has(value)) return;
      m.set(value, m.get(value)! + countPodsMatchSelector(ni.pods, c.selector, ns));
    });
  }
}

/** Go: `PodTopologySpread.Score`: the weighted match counts of the node's domains, rounded. */
export function scoreNode(s: PreScoreState, pod: Pod, nodeInfo: NodeInfo): number {
  const node = nodeInfo.node;
  if (!node || s.ignoredNodes.has(node.metadata.name ?? '')) return 0;
  const labels = node.metadata.labels ?? {};
  const ns = pod.metadata.namespace ?? '';
  let score = 0;
  s.constraints.forEach((c, i) => {
    if (!Object.hasOwn(labels, c.topologyKey)) return;
    const cnt = c.topologyKey === LabelHostname
      ? countPodsMatchSelector(nodeInfo.pods, c.selector, ns)
      : s.topologyValueToPodCounts[i].get(labels[c.topologyKey]) ?? 0;
    score += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]);
  });
  return goRound(score);
}

/** Go: `PodTopologySpread.NormalizeScore`: MaxNodeScore * (max + min - s) / max, ignored nodes 0. */
export function normalizeScores(s: PreScoreState, scores: NodeScore[]): void {
  let minScore = Number.MAX_SAFE_INTEGER;
  let maxScore = 0;
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) {
      sc.score = invalidScore;
      continue;
    }
    if (sc.score < minScore) minScore = sc.score;
    if (sc.score > maxScore) maxScore = sc.score;
  }
  for (const sc of scores) {
    if (sc.score === invalidScore) sc.score = 0;
    else if (maxScore === 0) sc.score = MaxNodeScore;
    else sc.score = Math.trunc((MaxNodeScore * (maxScore + minScore - sc.score)) / maxScore);
  }
}

/** Go: `getPreScoreState`. */
export function getPreScoreState(cycleState: CycleState): PreScoreState {
  let c: unknown;
  try {
    c = cycleState.read(preScoreStateKey);
  } catch (e) {
    throw new Error(`error reading "${preScoreStateKey}" from cycleState: ${(e as Error).message}`);
  }
  if (!(c instanceof PreScoreState)) throw new Error(`${String(c)}  convert to podtopologyspread.preScoreState error`);
  return c;
}
