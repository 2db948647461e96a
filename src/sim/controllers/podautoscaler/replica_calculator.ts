import type { Pod } from '../../api/core/v1';
import { calculatePodRequests, countReadyPods, groupPods, removeMetricsForPods } from './pod_groups';
import { getMetricUsageRatio, getResourceUtilizationRatio, type PodMetric, type PodMetricsInfo } from './utilization';

/** What the metrics client hands back for a pod metric (resource or custom). */
export interface PodMetricsResult {
  metrics: Record<string, PodMetric>;
  timestampMs: number;
}

export interface MetricsClient {
  getResourceMetric(resource: string, namespace: string, selector: unknown, container: string): PodMetricsResult | Promise<PodMetricsResult>;
  getRawMetric?(metricName: string, namespace: string, selector: unknown, metricSelector: unknown): PodMetricsResult | Promise<PodMetricsResult>;
  getObjectMetric?(metricName: string, namespace: string, objectRef: unknown, metricSelector: unknown): { value: number; timestampMs: number } | Promise<{ value: number; timestampMs: number }>;
  getExternalMetric?(metricName: string, namespace: string, metricSelector: unknown): { values: number[]; timestampMs: number } | Promise<{ values: number[]; timestampMs: number }>;
}

export interface PodLister {
  list(namespace: string, selector: unknown): readonly Pod[] | Promise<readonly Pod[]>;
}

export interface ReplicaCalculatorOptions {
  metricsClient: MetricsClient;
  podLister: PodLister;
  /** Ratio band around 1.0 inside which nothing changes (`--horizontal-pod-autoscaler-tolerance`). */
  tolerance?: number;
  cpuInitializationPeriodMs?: number;
  delayOfInitialReadinessStatusMs?: number;
  clock: { now(): number };
}

export interface ObjectRef {
  kind: string;
  name: string;
  apiVersion?: string;
}

export interface MetricReplicas {
  replicas: number;
  /** Mean (pod metrics), total (object, external) or per-pod usage in milli-units. */
  usage: number;
  timestampMs: number;
}

export interface ResourceReplicas {
  replicas: number;
  /** Percent of the requests, truncated as upstream's int32. */
  utilization: number;
  /** Mean usage per counted pod in milli-units. */
  rawUtilization: number;
  timestampMs: number;
}

function required<F>(fn: F | undefined, name: string): F {
  if (!fn) throw new Error(`metrics client has no ${name}`);
  return fn;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Upstream: pkg/controller/podautoscaler/replica_calculator.go (NewReplicaCalculator) */
export function newReplicaCalculator(opts: ReplicaCalculatorOptions) {
  const tolerance = opts.tolerance ?? 0.1;
  const cpuInitializationPeriodMs = opts.cpuInitializationPeriodMs ?? 300_000;
  const delayOfInitialReadinessStatusMs = opts.delayOfInitialReadinessStatusMs ?? 30_000;

  async function listPods(namespace: string, selector: unknown): Promise<readonly Pod[]> {
    let pods: readonly Pod[];
    try {
      pods = await opts.podLister.list(namespace, selector);
    } catch (e) {
      throw new Error(`unable to get pods while calculating replica count: ${message(e)}`);
    }
    if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
    return pods;
  }

  /**
   * Desired replicas for a utilization target on a resource: first from the ready pods alone, then,
   * if pods are missing or unready on a scale-up, again with them filled in pessimistically; a fill-in
   * that flips the direction, or lands inside the tolerance, keeps the current count.
   * Upstream: replica_calculator.go (ReplicaCalculator.GetResourceReplicas)
   */
  async function getResourceReplicas(
    currentReplicas: number,
    targetUtilization: number,
    resource: string,
    namespace: string,
    selector: unknown,
    container = '',
  ): Promise<ResourceReplicas> {
    let result: PodMetricsResult;
    try {
      result = await opts.metricsClient.getResourceMetric(resource, namespace, selector, container);
    } catch (e) {
      throw new Error(`unable to get metrics for resource ${resource}: ${message(e)}`);
    }
    const { timestampMs } = result;
    const metrics: PodMetricsInfo = new Map(Object.entries(result.metrics).map(([k, v]) => [k, { ...v }]));
    const pods = await listPods(namespace, selector);

    const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(
      pods, metrics, resource, cpuInitializationPeriodMs, delayOfInitialReadinessStatusMs, opts.clock.now(),
    );
    removeMetricsForPods(metrics, ignoredPods);
    removeMetricsForPods(metrics, unreadyPods);
    if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');

    const requests = calculatePodRequests(pods, container, resource);
    const { usageRatio, utilization, rawUtilization } = getResourceUtilizationRatio(metrics, requests, targetUtilization);
    const keep = { replicas: currentReplicas, utilization, rawUtilization, timestampMs };

    const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
    if (!scaleUpWithUnready && missingPods.size === 0) {
      if (Math.abs(1.0 - usageRatio) <= tolerance) return keep;
      return { ...keep, replicas: Math.ceil(usageRatio * readyPodCount) };
    }

    if (missingPods.size > 0) {
      // Assume the worst for the direction: a missing pod is busy on a scale-down, idle on a scale-up.
      // Above a 100 % target, "busy" means the target itself, else it would pull the ratio down.
      const fallbackUtilization = Math.max(100, targetUtilization);
      for (const name of missingPods) {
        if (usageRatio < 1.0) {
          metrics.set(name, { value: Math.trunc(((requests.get(name) ?? 0) * fallbackUtilization) / 100), timestampMs: 0, windowMs: 0 });
        } else if (usageRatio > 1.0) {
          metrics.set(name, { value: 0, timestampMs: 0, windowMs: 0 });
        }
      }
    }
    if (scaleUpWithUnready) {
      for (const name of unreadyPods) metrics.set(name, { value: 0, timestampMs: 0, windowMs: 0 });
    }

    const { usageRatio: newUsageRatio } = getResourceUtilizationRatio(metrics, requests, targetUtilization);
    if (
      Math.abs(1.0 - newUsageRatio) <= tolerance ||
      (usageRatio < 1.0 && newUsageRatio > 1.0) ||
      (usageRatio > 1.0 && newUsageRatio < 1.0)
    ) {
      return keep;
    }
    const newReplicas = Math.ceil(newUsageRatio * metrics.size);
    // More pods counted than before can turn a scale-down into growth (and back): hold then.
    if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
      return keep;
    }
    return { ...keep, replicas: newReplicas };
  }

  /**
   * The plain-value twin of the resource path: mean usage against a per-pod target; a missing pod on
   * a scale-down counts as exactly the target. Upstream: replica_calculator.go (calcPlainMetricReplicas)
   */
  async function calcPlainMetricReplicas(
    metrics: PodMetricsInfo,
    currentReplicas: number,
    targetUsage: number,
    namespace: string,
    selector: unknown,
    resource: string,
  ): Promise<{ replicas: number; usage: number }> {
    const pods = await listPods(namespace, selector);
    const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(
      pods, metrics, resource, cpuInitializationPeriodMs, delayOfInitialReadinessStatusMs, opts.clock.now(),
    );
    removeMetricsForPods(metrics, ignoredPods);
    removeMetricsForPods(metrics, unreadyPods);
    if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');

    const { usageRatio, usage } = getMetricUsageRatio(metrics, targetUsage);
    const keep = { replicas: currentReplicas, usage };
    const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
    if (!scaleUpWithUnready && missingPods.size === 0) {
      if (Math.abs(1.0 - usageRatio) <= tolerance) return keep;
      return { usage, replicas: Math.ceil(usageRatio * readyPodCount) };
    }
    for (const name of missingPods) {
      if (usageRatio < 1.0) metrics.set(name, { value: targetUsage, timestampMs: 0, windowMs: 0 });
      else if (usageRatio > 1.0) metrics.set(name, { value: 0, timestampMs: 0, windowMs: 0 });
    }
    if (scaleUpWithUnready) for (const name of unreadyPods) metrics.set(name, { value: 0, timestampMs: 0, windowMs: 0 });

    const { usageRatio: newUsageRatio } = getMetricUsageRatio(metrics, targetUsage);
    if (
      Math.abs(1.0 - newUsageRatio) <= tolerance ||
      (usageRatio < 1.0 && newUsageRatio > 1.0) ||
      (usageRatio > 1.0 && newUsageRatio < 1.0)
    ) {
      return keep;
    }
    const newReplicas = Math.ceil(newUsageRatio * metrics.size);
    if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
      return keep;
    }
    return { usage, replicas: newReplicas };
  }

  /** Upstream: replica_calculator.go (ReplicaCalculator.GetMetricReplicas) */
  async function getMetricReplicas(
    currentReplicas: number,
    targetUsage: number,
    metricName: string,
    namespace: string,
    selector: unknown,
    metricSelector: unknown,
  ): Promise<MetricReplicas> {
    let result: PodMetricsResult;
    try {
      result = await required(opts.metricsClient.getRawMetric, 'getRawMetric').call(opts.metricsClient, metricName, namespace, selector, metricSelector);
    } catch (e) {
      throw new Error(`unable to get metric ${metricName}: ${message(e)}`);
    }
    const metrics: PodMetricsInfo = new Map(Object.entries(result.metrics).map(([k, v]) => [k, { ...v }]));
    const r = await calcPlainMetricReplicas(metrics, currentReplicas, targetUsage, namespace, selector, '');
    return { ...r, timestampMs: result.timestampMs };
  }

  /**
   * Desired replicas for an average-value target on a resource (`target.averageValue`): the plain
   * path over the resource's samples. Upstream: replica_calculator.go (ReplicaCalculator.GetRawResourceReplicas)
   */
  async function getRawResourceReplicas(
    currentReplicas: number,
    targetUsage: number,
    resource: string,
    namespace: string,
    selector: unknown,
    container = '',
  ): Promise<MetricReplicas> {
    let result: PodMetricsResult;
    try {
      result = await opts.metricsClient.getResourceMetric(resource, namespace, selector, container);
    } catch (e) {
      throw new Error(`unable to get metrics for resource ${resource}: ${message(e)}`);
    }
    const metrics: PodMetricsInfo = new Map(Object.entries(result.metrics).map(([k, v]) => [k, { ...v }]));
    const r = await calcPlainMetricReplicas(metrics, currentReplicas, targetUsage, namespace, selector, resource);
    return { ...r, timestampMs: result.timestampMs };
  }

  /**
   * With current replicas, scale the Ready pods by the ratio (inside the tolerance: keep); from zero,
   * ceil(ratio) alone, which is how an object or external metric scales up from nothing.
   * Upstream: replica_calculator.go (getUsageRatioReplicaCount)
   */
  async function getUsageRatioReplicaCount(currentReplicas: number, usageRatio: number, namespace: string, selector: unknown): Promise<number> {
    if (currentReplicas === 0) return Math.ceil(usageRatio);
    if (Math.abs(1.0 - usageRatio) <= tolerance) return currentReplicas;
    let ready: number;
    try {
      ready = countReadyPods(await listPods(namespace, selector));
    } catch (e) {
      throw new Error(`unable to calculate ready pods: ${message(e)}`);
    }
    return Math.ceil(usageRatio * ready);
  }

  async function objectMetric(metricName: string, namespace: string, objectRef: ObjectRef, metricSelector: unknown) {
    try {
      return await required(opts.metricsClient.getObjectMetric, 'getObjectMetric').call(opts.metricsClient, metricName, namespace, objectRef, metricSelector);
    } catch (e) {
      // Upstream's format puts the kind right after the metric name and the error last.
      throw new Error(`unable to get metric ${metricName}: ${objectRef.kind} on ${namespace} ${objectRef.name}/${message(e)}`);
    }
  }

  /**
   * Upstream: replica_calculator.go (ReplicaCalculator.GetObjectMetricReplicas). Upstream drops the
   * metric's timestamp here and returns the zero time; so does this model (timestampMs 0).
   */
  async function getObjectMetricReplicas(
    currentReplicas: number,
    targetUsage: number,
    metricName: string,
    namespace: string,
    objectRef: ObjectRef,
    selector: unknown,
    metricSelector: unknown,
  ): Promise<MetricReplicas> {
    const { value: usage } = await objectMetric(metricName, namespace, objectRef, metricSelector);
    const replicas = await getUsageRatioReplicaCount(currentReplicas, usage / targetUsage, namespace, selector);
    return { replicas, usage, timestampMs: 0 };
  }

  /** Upstream: replica_calculator.go (ReplicaCalculator.GetObjectPerPodMetricReplicas) */
  async function getObjectPerPodMetricReplicas(
    statusReplicas: number,
    targetAverageUsage: number,
    metricName: string,
    namespace: string,
    objectRef: ObjectRef,
    metricSelector: unknown,
  ): Promise<MetricReplicas> {
    const { value, timestampMs } = await objectMetric(metricName, namespace, objectRef, metricSelector);
    return { ...perPod(statusReplicas, value, targetAverageUsage), timestampMs };
  }

  // Total against target x replicas; outside the tolerance the answer is ceil(total / target).
  function perPod(statusReplicas: number, total: number, targetPerPod: number): { replicas: number; usage: number } {
    let replicas = statusReplicas;
    const usageRatio = total / (targetPerPod * statusReplicas);
    if (Math.abs(1.0 - usageRatio) > tolerance) replicas = Math.ceil(total / targetPerPod);
    return { replicas, usage: Math.ceil(total / statusReplicas) };
  }

  async function externalTotal(metricName: string, namespace: string, metricSelector: unknown) {
    try {
      const r = await required(opts.metricsClient.getExternalMetric, 'getExternalMetric').call(opts.metricsClient, metricName, namespace, metricSelector);
      return { total: r.values.reduce((a, b) => a + b, 0), timestampMs: r.timestampMs };
    } catch (e) {
      // Go's `%+v` of a nil selector is `<nil>`.
      const sel = metricSelector === undefined || metricSelector === null ? '<nil>' : JSON.stringify(metricSelector);
      throw new Error(`unable to get external metric ${namespace}/${metricName}/${sel}: ${message(e)}`);
    }
  }

  /** Upstream: replica_calculator.go (ReplicaCalculator.GetExternalMetricReplicas); zero timestamp as upstream. */
  async function getExternalMetricReplicas(
    currentReplicas: number,
    targetUsage: number,
    metricName: string,
    namespace: string,
    metricSelector: unknown,
    podSelector: unknown,
  ): Promise<MetricReplicas> {
    const { total } = await externalTotal(metricName, namespace, metricSelector);
    const replicas = await getUsageRatioReplicaCount(currentReplicas, total / targetUsage, namespace, podSelector);
    return { replicas, usage: total, timestampMs: 0 };
  }

  /** Upstream: replica_calculator.go (ReplicaCalculator.GetExternalPerPodMetricReplicas) */
  async function getExternalPerPodMetricReplicas(
    statusReplicas: number,
    targetUsagePerPod: number,
    metricName: string,
    namespace: string,
    metricSelector: unknown,
  ): Promise<MetricReplicas> {
    const { total, timestampMs } = await externalTotal(metricName, namespace, metricSelector);
    return { ...perPod(statusReplicas, total, targetUsagePerPod), timestampMs };
  }

  return {
    getResourceReplicas,
    getRawResourceReplicas,
    getMetricReplicas,
    getObjectMetricReplicas,
    getObjectPerPodMetricReplicas,
    getExternalMetricReplicas,
    getExternalPerPodMetricReplicas,
    tolerance,
    cpuInitializationPeriodMs,
    delayOfInitialReadinessStatusMs,
  };
}

export type ReplicaCalculator = ReturnType<typeof newReplicaCalculator>;
