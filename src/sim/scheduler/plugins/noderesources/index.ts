/** NodeResourcesFit and NodeResourcesBalancedAllocation (kube-scheduler v1.34). */
export { FitName, FitName as Name, Fit, newFit } from './fit';
export { fits, fitsRequest, computePodResourceRequest, isFit, haveAnyRequestedResourcesIncreased } from './fits';
export type { InsufficientResource, PreFilterState } from './fits';
export { fitEvents } from './fit_events';
export { BalancedAllocationName, BalancedAllocation, newBalancedAllocation, balancedResourceScorer } from './balanced_allocation';
export {
  defaultNodeResourcesFitArgs, validateNodeResourcesFitArgs, defaultNodeResourcesBalancedAllocationArgs, validateNodeResourcesBalancedAllocationArgs,
  MaxCustomPriorityScore,
} from './args';
export type { NodeResourcesFitArgs, NodeResourcesBalancedAllocationArgs, ScoringStrategy, ScoringStrategyType, ResourceSpec, UtilizationShapePoint } from './args';
export { defaultFeatures, type Features } from './features';
export { buildBrokenLinearFunction, type FunctionShapePoint } from './shape_score';
export { leastResourceScorer, leastRequestedScore } from './least_allocated';
export { mostResourceScorer, mostRequestedScore } from './most_allocated';
export { requestedToCapacityRatioScorer, buildRequestedToCapacityRatioScorerFunction } from './requested_to_capacity_ratio';
export { ResourceAllocationScorer, type Scorer } from './resource_allocation';
