/**
 * LeastAllocated: pkg/scheduler/framework/plugins/noderesources/least_allocated.go at v1.34.
 * Each resource scores the share left free, (capacity - requested) * 100 / capacity; the node
 * scores their weighted mean, all in integer division.
 */
import { MaxNodeScore } from '../../framework/interface';
import type { ResourceSpec } from './args';
import { mulDiv } from './int64';
import type { Scorer } from './resource_allocation';

// Upstream: least_allocated.go (leastResourceScorer)
export function leastResourceScorer(resources: readonly ResourceSpec[]): Scorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i].weight ?? 0;
      nodeScore += leastRequestedScore(requested[i], allocatable[i]) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

// Upstream: least_allocated.go (leastRequestedScore)
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDiv(capacity - requested, MaxNodeScore, capacity);
}
