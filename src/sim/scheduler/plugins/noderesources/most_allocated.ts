/**
 * MostAllocated: pkg/scheduler/framework/plugins/noderesources/most_allocated.go at v1.34.
 * Each resource scores the share in use, requested * 100 / capacity (requested capped at
 * capacity, since the non-zero defaults can overshoot); the node scores their weighted mean.
 */
import { MaxNodeScore } from '../../framework/interface';
import type { ResourceSpec } from './args';
import { mulDiv } from './int64';
import type { Scorer } from './resource_allocation';

// Upstream: most_allocated.go (mostResourceScorer)
export function mostResourceScorer(resources: readonly ResourceSpec[]): Scorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i].weight ?? 0;
      nodeScore += mostRequestedScore(requested[i], allocatable[i]) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

// Upstream: most_allocated.go (mostRequestedScore)
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  const used = Math.min(requested, capacity);
  return mulDiv(used, MaxNodeScore, capacity);
}
