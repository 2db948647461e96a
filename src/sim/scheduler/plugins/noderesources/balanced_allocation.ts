/**
 * NodeResourcesBalancedAllocation: pkg/scheduler/framework/plugins/noderesources/
 * balanced_allocation.go at v1.34. It favours nodes whose resources would be used in even
 * shares: score = (1 - std) * MaxNodeScore over the fractions requested / allocatable, on the
 * requests as they are (no non-zero defaults). Best-effort pods are skipped (kubernetes#129138).
 */
import type { Pod } from '../../../api/core/v1';
import { toAggregate } from '../../../apimachinery/field';
import type { CycleState } from '../../framework/cycle_state';
import { MaxNodeScore, type Handle, type Plugin } from '../../framework/interface';
import { newStatus, type MaybeStatus, type Status } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import { validateNodeResourcesBalancedAllocationArgs, type NodeResourcesBalancedAllocationArgs } from './args';
import { defaultFeatures, type Features } from './features';
import { ResourceAllocationScorer } from './resource_allocation';

/** Go: `names.NodeResourcesBalancedAllocation`. */
export const BalancedAllocationName = 'NodeResourcesBalancedAllocation';
const preScoreStateKey = 'PreScore' + BalancedAllocationName;

interface BalancedAllocationPreScoreState {
  podRequests: number[];
  clone(): BalancedAllocationPreScoreState;
}

/**
 * Two fractions: std = |f1 - f2| / 2. More: the population standard deviation. One (or none):
 * std = 0, so a single scored resource always gives MaxNodeScore.
 */
// Upstream: balanced_allocation.go (balancedResourceScorer)
export function balancedResourceScorer(requested: number[], allocatable: number[]): number {
  // Upstream collects the fractions in a slice; here a first pass counts and sums them and a
  // second recomputes them for the deviation (same operations in the same order, no list per node).
  let count = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const fraction = Math.min(requested[i] / allocatable[i], 1);
    total += fraction;
    if (count === 0) first = fraction;
    else if (count === 1) second = fraction;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((first - second) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(requested[i] / allocatable[i], 1);
      sum = sum + (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MaxNodeScore);
}

export class BalancedAllocation implements Plugin {
  readonly name = BalancedAllocationName;
  readonly scorer: ResourceAllocationScorer;

  constructor(args: NodeResourcesBalancedAllocationArgs, readonly handle: Handle | undefined, features: Features) {
    this.scorer = new ResourceAllocationScorer(BalancedAllocationName, balancedResourceScorer, args.resources ?? [], true, {
      enablePodLevelResources: features.enablePodLevelResources,
    });
  }

  // Upstream: balanced_allocation.go (BalancedAllocation.PreScore)
  preScore(state: CycleState, pod: Pod): MaybeStatus {
    const podRequests = this.scorer.calculatePodResourceRequestList(pod);
    // Best-effort pods would otherwise pile onto the node they keep balanced.
    if (this.scorer.isBestEffortPod(podRequests)) return newStatus('Skip');
    const s: BalancedAllocationPreScoreState = { podRequests, clone: () => s };
    state.write(preScoreStateKey, s);
    return null;
  }

  // Upstream: balanced_allocation.go (BalancedAllocation.Score)
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): [number, Status | null] {
    let podRequests = state.tryRead<BalancedAllocationPreScoreState>(preScoreStateKey)?.podRequests;
    if (!podRequests) {
      podRequests = this.scorer.calculatePodResourceRequestList(pod);
      if (this.scorer.isBestEffortPod(podRequests)) return [0, null];
    }
    return this.scorer.score(nodeInfo, podRequests);
  }

  scoreExtensions(): null {
    return null;
  }
}

/**
 * Go: `NewBalancedAllocation`. Undefined resources get the v1 defaults (cpu and memory, weight
 * 1) and an undefined weight 1; explicit values are validated as given.
 */
export function newBalancedAllocation(args: unknown, handle?: Handle, features: Features = defaultFeatures()): BalancedAllocation {
  const given = (args ?? {}) as NodeResourcesBalancedAllocationArgs;
  const resources = (given.resources ?? [{ name: 'cpu' }, { name: 'memory' }]).map((r) => (r.weight === undefined ? { ...r, weight: 1 } : r));
  const a: NodeResourcesBalancedAllocationArgs = { ...given, resources };
  const err = toAggregate(validateNodeResourcesBalancedAllocationArgs(null, a));
  if (err) throw err;
  return new BalancedAllocation(a, handle, features);
}
