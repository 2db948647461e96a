/** Per-pod metric samples as the metrics client returns them (milli-units, times in ms). */
export interface PodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}
export type PodMetricsInfo = Map<string, PodMetric>;

/**
 * Sum of usage over sum of requests, as an integer percentage (Go's int64 division), for the pods that
 * have both a sample and a request. Upstream: pkg/controller/podautoscaler/metrics/utilization.go
 * (GetResourceUtilizationRatio)
 */
export function getResourceUtilizationRatio(
  metrics: PodMetricsInfo,
  requests: Map<string, number>,
  targetUtilization: number,
): { usageRatio: number; utilization: number; rawUtilization: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let numEntries = 0;
  for (const [podName, metric] of metrics) {
    const request = requests.get(podName);
    // A sample without a request is an extraneous metric: requests are checked elsewhere.
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    numEntries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return {
    usageRatio: utilization / targetUtilization,
    utilization,
    rawUtilization: Math.trunc(metricsTotal / numEntries),
  };
}

/** Mean usage over target. Upstream: metrics/utilization.go (GetMetricUsageRatio) */
export function getMetricUsageRatio(
  metrics: PodMetricsInfo,
  targetUsage: number,
): { usageRatio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { usageRatio: usage / targetUsage, usage };
}
