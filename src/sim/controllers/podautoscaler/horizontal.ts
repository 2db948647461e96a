// The controller's pure steps between "the metrics want N replicas" and "scale to M": min/max and the
// legacy rate limit, stabilization windows, and behavior policies. Times are in ms; rules keep the API's
// JSON (seconds). Upstream: pkg/controller/podautoscaler/horizontal.go

export type ScalingPolicyType = 'Pods' | 'Percent';
export type ScalingPolicySelect = 'Max' | 'Min' | 'Disabled';

export interface HPAScalingPolicy {
  type: ScalingPolicyType;
  value: number;
  periodSeconds: number;
}

export interface HPAScalingRules {
  stabilizationWindowSeconds?: number;
  /** `Max` when omitted (the API default). */
  selectPolicy?: ScalingPolicySelect;
  policies?: HPAScalingPolicy[];
}

/** Upstream: horizontal.go (timestampedScaleEvent) */
export interface TimestampedScaleEvent {
  replicaChange: number;
  timestampMs: number;
  outdated: boolean;
}

/** Upstream: horizontal.go (timestampedRecommendation) */
export interface TimestampedRecommendation {
  recommendation: number;
  timestampMs: number;
}

/** Without behavior, one sync may at most double the replicas, and always reach 4. Upstream: horizontal.go */
export const scaleUpLimitFactor = 2.0;
export const scaleUpLimitMinimum = 4.0;

/** The API server's defaults for spec.behavior. Upstream: pkg/apis/autoscaling/v2/defaults.go (GenerateHPAScaleUpRules, GenerateHPAScaleDownRules) */
export const defaultScaleUpRules: Required<HPAScalingRules> = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
export const defaultScaleDownRules: Required<HPAScalingRules> = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

export interface LimitedReplicas {
  replicas: number;
  /** The ScalingLimited condition's reason (upstream returns it as "condition"). */
  condition: string;
  reason: string;
}

/** Upstream: horizontal.go (calculateScaleUpLimit) */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(scaleUpLimitFactor * currentReplicas, scaleUpLimitMinimum));
}

/**
 * Clamp into [min, max] for an HPA without behavior, where max is also capped by the legacy rate limit.
 * Upstream: horizontal.go (convertDesiredReplicasWithRules)
 */
export function convertDesiredReplicasWithRules(
  currentReplicas: number,
  desiredReplicas: number,
  hpaMinReplicas: number,
  hpaMaxReplicas: number,
): LimitedReplicas {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  const [maximumAllowed, condition, reason] =
    hpaMaxReplicas > scaleUpLimit
      ? [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
      : [hpaMaxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
  if (desiredReplicas < hpaMinReplicas) {
    return { replicas: hpaMinReplicas, condition: 'TooFewReplicas', reason: 'the desired replica count is less than the minimum replica count' };
  }
  if (desiredReplicas > maximumAllowed) return { replicas: maximumAllowed, condition, reason };
  return { replicas: desiredReplicas, condition: 'DesiredWithinRange', reason: 'the desired count is within the acceptable range' };
}

/**
 * The legacy scale-down stabilization: the highest recommendation inside the window wins; the new
 * recommendation replaces one sample that fell out of the window (the last such), else is appended.
 * Returns a new array; the input is not changed. Upstream: horizontal.go (stabilizeRecommendation)
 */
export function stabilizeRecommendation(
  recommendations: readonly TimestampedRecommendation[],
  prenormalizedDesiredReplicas: number,
  windowMs: number,
  nowMs: number,
): { replicas: number; recommendations: TimestampedRecommendation[] } {
  let maxRecommendation = prenormalizedDesiredReplicas;
  let oldSampleIndex = -1;
  const cutoff = nowMs - windowMs;
  recommendations.forEach((rec, i) => {
    if (rec.timestampMs < cutoff) oldSampleIndex = i;
    else if (rec.recommendation > maxRecommendation) maxRecommendation = rec.recommendation;
  });
  return { replicas: maxRecommendation, recommendations: record(recommendations, oldSampleIndex, prenormalizedDesiredReplicas, nowMs) };
}

function record(recs: readonly TimestampedRecommendation[], oldIndex: number, recommendation: number, nowMs: number): TimestampedRecommendation[] {
  const next = recs.map((r) => ({ ...r }));
  const sample = { recommendation, timestampMs: nowMs };
  if (oldIndex >= 0) next[oldIndex] = sample;
  else next.push(sample);
  return next;
}

export interface NormalizationArg {
  scaleUpBehavior: HPAScalingRules;
  scaleDownBehavior: HPAScalingRules;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
}

/**
 * With behavior: the lowest recommendation in the scale-up window is a floor, the highest in the
 * scale-down window a ceiling; the current count is pulled into [floor, ceiling].
 * Upstream: horizontal.go (stabilizeRecommendationWithBehaviors)
 */
export function stabilizeRecommendationWithBehaviors(
  args: NormalizationArg & { recommendations: readonly TimestampedRecommendation[]; nowMs: number },
): { replicas: number; reason: string; message: string; recommendations: TimestampedRecommendation[] } {
  const upCutoff = args.nowMs - (args.scaleUpBehavior.stabilizationWindowSeconds ?? 0) * 1000;
  const downCutoff = args.nowMs - (args.scaleDownBehavior.stabilizationWindowSeconds ?? 0) * 1000;
  let upRecommendation = args.desiredReplicas;
  let downRecommendation = args.desiredReplicas;
  let oldSampleIndex = -1;
  args.recommendations.forEach((rec, i) => {
    if (rec.timestampMs > upCutoff) upRecommendation = Math.min(rec.recommendation, upRecommendation);
    if (rec.timestampMs > downCutoff) downRecommendation = Math.max(rec.recommendation, downRecommendation);
    if (rec.timestampMs < upCutoff && rec.timestampMs < downCutoff) oldSampleIndex = i;
  });
  let replicas = args.currentReplicas;
  if (replicas < upRecommendation) replicas = upRecommendation;
  if (replicas > downRecommendation) replicas = downRecommendation;
  const up = args.desiredReplicas >= args.currentReplicas;
  return {
    replicas,
    reason: up ? 'ScaleUpStabilized' : 'ScaleDownStabilized',
    message: up
      ? 'recent recommendations were lower than current one, applying the lowest recent recommendation'
      : 'recent recommendations were higher than current one, applying the highest recent recommendation',
    recommendations: record(args.recommendations, oldSampleIndex, args.desiredReplicas, args.nowMs),
  };
}

/** Net replicas added (or removed) by events newer than the period. Upstream: horizontal.go (getReplicasChangePerPeriod) */
export function getReplicasChangePerPeriod(periodSeconds: number, scaleEvents: readonly TimestampedScaleEvent[], nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  let replicas = 0;
  for (const e of scaleEvents) if (e.timestampMs > cutoff) replicas += e.replicaChange;
  return replicas;
}

// Each policy starts from the replicas at the start of its period (undoing the changes made in it).
function periodStart(currentReplicas: number, up: readonly TimestampedScaleEvent[], down: readonly TimestampedScaleEvent[], p: HPAScalingPolicy, nowMs: number): number {
  return currentReplicas - getReplicasChangePerPeriod(p.periodSeconds, up, nowMs) + getReplicasChangePerPeriod(p.periodSeconds, down, nowMs);
}

const MaxInt32 = 2 ** 31 - 1;
const MinInt32 = -(2 ** 31);

/** The most replicas the scale-up policies allow now. Upstream: horizontal.go (calculateScaleUpLimitWithScalingRules) */
export function calculateScaleUpLimitWithScalingRules(
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  scalingRules: HPAScalingRules,
  nowMs: number,
): number {
  const select = scalingRules.selectPolicy ?? 'Max';
  if (select === 'Disabled') return currentReplicas;
  // For a scale-up the smallest change is the lowest limit.
  const pick = select === 'Min' ? Math.min : Math.max;
  let result = select === 'Min' ? MaxInt32 : MinInt32;
  for (const p of scalingRules.policies ?? []) {
    const start = periodStart(currentReplicas, scaleUpEvents, scaleDownEvents, p, nowMs);
    // Rounded up so a small percentage of few pods still adds one.
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** The fewest replicas the scale-down policies allow now. Upstream: horizontal.go (calculateScaleDownLimitWithBehaviors) */
export function calculateScaleDownLimitWithBehaviors(
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  scalingRules: HPAScalingRules,
  nowMs: number,
): number {
  const select = scalingRules.selectPolicy ?? 'Max';
  if (select === 'Disabled') return currentReplicas;
  // For a scale-down the smallest change is the highest limit.
  const pick = select === 'Min' ? Math.max : Math.min;
  let result = select === 'Min' ? MinInt32 : MaxInt32;
  for (const p of scalingRules.policies ?? []) {
    const start = periodStart(currentReplicas, scaleUpEvents, scaleDownEvents, p, nowMs);
    // Go's int32(float) truncates toward zero.
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/**
 * Clamp a stabilized recommendation by the behavior's rate limits and min/max.
 * Upstream: horizontal.go (convertDesiredReplicasWithBehaviorRate)
 */
export function convertDesiredReplicasWithBehaviorRate(
  args: NormalizationArg & { scaleUpEvents: readonly TimestampedScaleEvent[]; scaleDownEvents: readonly TimestampedScaleEvent[]; nowMs: number },
): { replicas: number; reason: string; message: string } {
  const { currentReplicas: current, desiredReplicas: desired } = args;
  if (desired > current) {
    // A limit below current means recent scale-ups used the budget: hold until they age out.
    const scaleUpLimit = Math.max(
      current,
      calculateScaleUpLimitWithScalingRules(current, args.scaleUpEvents, args.scaleDownEvents, args.scaleUpBehavior, args.nowMs),
    );
    const [maximumAllowed, reason, message] =
      args.maxReplicas > scaleUpLimit
        ? [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
        : [args.maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
    if (desired > maximumAllowed) return { replicas: maximumAllowed, reason, message };
  } else if (desired < current) {
    const scaleDownLimit = Math.min(
      current,
      calculateScaleDownLimitWithBehaviors(current, args.scaleUpEvents, args.scaleDownEvents, args.scaleDownBehavior, args.nowMs),
    );
    const [minimumAllowed, reason, message] =
      args.minReplicas < scaleDownLimit
        ? [scaleDownLimit, 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate']
        : [args.minReplicas, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
    if (desired < minimumAllowed) return { replicas: minimumAllowed, reason, message };
  }
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}
