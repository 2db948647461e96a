/**
 * RequestedToCapacityRatio: pkg/scheduler/framework/plugins/noderesources/
 * requested_to_capacity_ratio.go at v1.34. Each resource's utilization (0..100, integer) goes
 * through the configured broken-linear shape; the node scores the rounded weighted mean of the
 * resources that scored above zero.
 */
import { MaxNodeScore } from '../../framework/interface';
import { MaxCustomPriorityScore, type ResourceSpec, type UtilizationShapePoint } from './args';
import { mulDiv } from './int64';
import type { Scorer } from './resource_allocation';
import { buildBrokenLinearFunction, type FunctionShapePoint } from './shape_score';

const maxUtilization = 100;

/** Go's math.Round: halves away from zero. */
function goRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

// Upstream: requested_to_capacity_ratio.go (buildRequestedToCapacityRatioScorerFunction)
export function buildRequestedToCapacityRatioScorerFunction(shape: readonly FunctionShapePoint[], resources: readonly ResourceSpec[]): Scorer {
  const raw = buildBrokenLinearFunction(shape);
  const resourceScore = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return raw(maxUtilization);
    return raw(mulDiv(requested, maxUtilization, capacity));
  };
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i].weight ?? 0;
      const s = resourceScore(requested[i], allocatable[i]);
      if (s > 0) {
        nodeScore += s * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : goRound(nodeScore / weightSum);
  };
}

/** Shape scores are 0..MaxCustomPriorityScore; they are scaled (integer factor 10) to MaxNodeScore. */
// Upstream: requested_to_capacity_ratio.go (requestedToCapacityRatioScorer)
export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): Scorer {
  const factor = Math.trunc(MaxNodeScore / MaxCustomPriorityScore);
  const points = shape.map((p) => ({ utilization: p.utilization, score: p.score * factor }));
  return buildRequestedToCapacityRatioScorerFunction(points, resources);
}
