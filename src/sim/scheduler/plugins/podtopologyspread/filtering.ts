/**
 * PreFilter, its add/remove extensions and Filter: how many matching pods each domain of each
 * DoNotSchedule constraint holds, and the two smallest domains, so Filter checks
 * `matchNum + selfMatch - globalMin <= maxSkew` per node.
 * Upstream: pkg/scheduler/framework/plugins/podtopologyspread/filtering.go (v1.34: state indexed
 * by constraint, `CriticalPaths` and `TpValueToMatchNum`, which replaced the older maps keyed by
 * topology key and pair)
 */
import type { Node, Pod } from '../../../api/core/v1';
import type { CycleState, StateData } from '../../framework/cycle_state';
import { asStatus, newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import { getRequiredNodeAffinity } from '../helper';
import { countPodsMatchSelector, matchNodeInclusionPolicies, nodeLabelsMatchSpreadConstraints, type SpreadConstraint } from './common';

export const Name = 'PodTopologySpread';
export const preFilterStateKey = 'PreFilter' + Name;
export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = ErrReasonConstraintsNotMatch + ' (missing required label)';

const MaxInt32 = 2147483647;

export interface CriticalPath {
  topologyValue: string;
  matchNum: number;
}

/**
 * The two domains with the fewest matches; [0] always holds the minimum, [1] is not guaranteed
 * to be the second smallest. Two suffice because preemption removes pods from one node at a
 * time, on a fresh clone of the state per node (Go: `criticalPaths`).
 */
export class CriticalPaths {
  paths: [CriticalPath, CriticalPath] = [{ topologyValue: '', matchNum: MaxInt32 }, { topologyValue: '', matchNum: MaxInt32 }];

  /** Go: `criticalPaths.update`. */
  update(tpVal: string, num: number): void {
    const p = this.paths;
    const i = tpVal === p[0].topologyValue ? 0 : tpVal === p[1].topologyValue ? 1 : -1;
    if (i === 0 || i === 1) {
      p[i].matchNum = num;
      if (p[0].matchNum > p[1].matchNum) this.paths = [p[1], p[0]];
    } else if (num < p[0].matchNum) {
      this.paths = [{ topologyValue: tpVal, matchNum: num }, p[0]];
    } else if (num < p[1].matchNum) {
      p[1] = { topologyValue: tpVal, matchNum: num };
    }
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.paths = [{ ...this.paths[0] }, { ...this.paths[1] }];
    return c;
  }
}

/** Go: `preFilterState`. Empty constraints is a legit state that lets every node pass. */
export class PreFilterState implements StateData {
  constraints: SpreadConstraint[] = [];
  criticalPaths: CriticalPaths[] = [];
  /** Per constraint: topology value -> matching pods. */
  tpValueToMatchNum: Map<string, number>[] = [];

  /** The global minimum, 0 while fewer than minDomains domains are eligible (Go: `minMatchNum`). */
  minMatchNum(constraintID: number, minDomains: number): number {
    if (this.tpValueToMatchNum[constraintID].size < minDomains) return 0;
    return this.criticalPaths[constraintID].paths[0].matchNum;
  }

  clone(): PreFilterState {
    const c = new PreFilterState();
    c.constraints = this.constraints;
    c.criticalPaths = this.criticalPaths.map((p) => p.clone());
    c.tpValueToMatchNum = this.tpValueToMatchNum.map((m) => new Map(m));
    return c;
  }
}

/** Go: `getPreFilterState`. */
export function getPreFilterState(cycleState: CycleState): PreFilterState {
  let c: unknown;
  try {
    c = cycleState.read(preFilterStateKey);
  } catch (e) {
    throw new Error(`reading "${preFilterStateKey}" from cycleState: ${(e as Error).message}`);
  }
  if (!(c instanceof PreFilterState)) throw new Error(`${String(c)} convert to podtopologyspread.preFilterState error`);
  return c;
}

/** Go: `calPreFilterState`, given the pod's DoNotSchedule constraints (explicit or defaulted). */
export function calPreFilterState(pod: Pod, constraints: SpreadConstraint[], allNodes: NodeInfo[]): PreFilterState {
  const s = new PreFilterState();
  if (constraints.length === 0) return s;
  s.constraints = constraints;
  s.tpValueToMatchNum = constraints.map(() => new Map());
  const requiredNodeAffinity = getRequiredNodeAffinity(pod);
  const ns = pod.metadata.namespace ?? '';
  for (const nodeInfo of allNodes) {
    const node = nodeInfo.node;
    if (!node || !nodeLabelsMatchSpreadConstraints(node.metadata.labels, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!matchNodeInclusionPolicies(c, pod, node, requiredNodeAffinity)) return;
      const value = node.metadata.labels![c.topologyKey];
      const m = s.tpValueToMatchNum[i];
      m.set(value, (m.get(value) ?? 0) + countPodsMatchSelector(nodeInfo.pods, c.selector, ns));
    });
  }
  s.criticalPaths = s.tpValueToMatchNum.map((m) => {
    const paths = new CriticalPaths();
    for (const [value, num] of m) paths.update(value, num);
    return paths;
  });
  return s;
}

/** Go: `updateWithPod`: a pod added to or removed from a node during preemption's what-ifs. */
export function updateWithPod(s: PreFilterState | null, updatedPod: Pod, preemptorPod: Pod, node: Node | null, delta: 1 | -1): void {
  if (!s || (updatedPod.metadata.namespace ?? '') !== (preemptorPod.metadata.namespace ?? '') || !node) return;
  if (!nodeLabelsMatchSpreadConstraints(node.metadata.labels, s.constraints)) return;
  const requiredSchedulingTerm = getRequiredNodeAffinity(preemptorPod);
  const podLabels = updatedPod.metadata.labels ?? {};
  s.constraints.forEach((c, i) => {
    if (!c.selector.matches(podLabels)) return;
    if (!matchNodeInclusionPolicies(c, preemptorPod, node, requiredSchedulingTerm)) return;
    const v = node.metadata.labels![c.topologyKey];
    const m = s.tpValueToMatchNum[i];
    const n = (m.get(v) ?? 0) + delta;
    m.set(v, n);
    s.criticalPaths[i].update(v, n);
  });
}

/** Go: `PodTopologySpread.Filter`. */
export function filterNode(cycleState: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
  let s: PreFilterState;
  try {
    s = getPreFilterState(cycleState);
  } catch (e) {
    return asStatus(e);
  }
  if (s.constraints.length === 0) return null;
  const nodeLabels = nodeInfo.node?.metadata.labels ?? {};
  const podLabels = pod.metadata.labels ?? {};
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i];
    if (!Object.hasOwn(nodeLabels, c.topologyKey)) return newStatus('UnschedulableAndUnresolvable', ErrReasonNodeLabelNotMatch);
    const tpVal = nodeLabels[c.topologyKey];
    const minMatchNum = s.minMatchNum(i, c.minDomains);
    const selfMatchNum = c.selector.matches(podLabels) ? 1 : 0;
    const matchNum = s.tpValueToMatchNum[i].get(tpVal) ?? 0;
    if (matchNum + selfMatchNum - minMatchNum > c.maxSkew) return newStatus('Unschedulable', ErrReasonConstraintsNotMatch);
  }
  return null;
}
