// The HorizontalPodAutoscaler's arithmetic (kube-controller-manager v1.34): the replica calculator and
// the controller's pure normalization steps. See README.md for the file map and divergences.
export {
  newReplicaCalculator,
  type ReplicaCalculator,
  type ReplicaCalculatorOptions,
  type MetricsClient,
  type PodLister,
  type PodMetricsResult,
  type ObjectRef,
  type ResourceReplicas,
  type MetricReplicas,
} from './replica_calculator';
export { groupPods, calculatePodRequests, removeMetricsForPods, countReadyPods, type PodGroups } from './pod_groups';
export { getResourceUtilizationRatio, getMetricUsageRatio, type PodMetric, type PodMetricsInfo } from './utilization';
export {
  convertDesiredReplicasWithRules,
  calculateScaleUpLimit,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  convertDesiredReplicasWithBehaviorRate,
  calculateScaleUpLimitWithScalingRules,
  calculateScaleDownLimitWithBehaviors,
  getReplicasChangePerPeriod,
  scaleUpLimitFactor,
  scaleUpLimitMinimum,
  defaultScaleUpRules,
  defaultScaleDownRules,
  type HPAScalingRules,
  type HPAScalingPolicy,
  type ScalingPolicyType,
  type ScalingPolicySelect,
  type TimestampedScaleEvent,
  type TimestampedRecommendation,
  type NormalizationArg,
  type LimitedReplicas,
} from './horizontal';

// The running controller (horizontal.go) and its pieces.
export { newHorizontalController, HorizontalController, type HorizontalControllerOptions, type ReconcileError } from './horizontal_controller';
export { newRESTMetricsClient, metricServerDefaultMetricWindowMs } from './metrics_client';
export { newFixedItemIntervalRateLimiter, newDefaultHPARateLimiter } from './rate_limiters';
export { setConditionInList, type HPACondition, type HPAConditionType, type ProposedCondition } from './conditions';
export { computeReplicasForMetric, MetricComputationError, type MetricProposal } from './metric_status';
export { hpaEvents, type HPAEventMap, type HPATraceEvent } from './events';
export type { HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, HorizontalPodAutoscalerStatus, MetricSpec, MetricStatus, MetricTarget, Scale } from './types';
