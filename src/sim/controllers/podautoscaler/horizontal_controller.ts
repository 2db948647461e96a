/**
 * The HorizontalPodAutoscaler controller of kube-controller-manager v1.34: informers on HPAs and
 * Pods, a queue that hands every HPA back one sync period (15 s) after it was last processed,
 * and `reconcileAutoscaler`: read the target's scale subresource, compute the replicas each metric
 * wants, normalize them (min/max and the legacy rate limit, or the behavior policies; the
 * stabilization windows), write the scale, then the HPA's status, conditions and events.
 * Upstream: pkg/controller/podautoscaler/horizontal.go (NewHorizontalController, Run, enqueueHPA,
 * updateHPA, deleteHPA, processNextWorkItem, reconcileKey, reconcileAutoscaler,
 * computeReplicasForMetrics, validateAndParseSelector, hpasControllingPodsUnderSelector,
 * recordInitialRecommendation, normalizeDesiredReplicas, normalizeDesiredReplicasWithBehaviors,
 * maybeInitScaleDownStabilizationWindow, storeScaleEvent, markScaleEventsOutdated,
 * getLongestPolicyPeriod, scaleForResourceMappings, setStatus, updateStatusIfNeeded, updateStatus)
 */
import type { Pod } from '../../api/core/v1';
import { parseGroupVersion } from '../../apimachinery/kinds';
import { matches, nothing, parse as parseLabels, type Selector } from '../../apimachinery/labels';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { newSharedInformerFactory, type SharedInformerFactory } from '../../cache/informer_factory';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import { newEventRecorder, type EventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import { resolveEnv } from '../../core/env';
import { EventEmitter } from '../../core/events';
import { deepCopy, type KubeObject } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { RateLimitingQueue } from '../../workqueue/types';
import { setConditionInList, type ProposedCondition } from './conditions';
import { hpaEvents, type HPAEventMap } from './events';
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  defaultScaleDownRules,
  defaultScaleUpRules,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  type HPAScalingRules,
  type TimestampedRecommendation,
  type TimestampedScaleEvent,
} from './horizontal';
import { computeReplicasForMetric, MetricComputationError, type MetricProposal } from './metric_status';
import { newRESTMetricsClient } from './metrics_client';
import { newDefaultHPARateLimiter } from './rate_limiters';
import { newReplicaCalculator, type MetricsClient, type ReplicaCalculator } from './replica_calculator';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, MetricStatus, Scale } from './types';

export interface HorizontalControllerOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  /** `--horizontal-pod-autoscaler-sync-period` (15 s): how often each HPA is reconciled. */
  syncPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-tolerance` (0.1). */
  tolerance?: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization` (5 min). */
  downscaleStabilisationWindowMs?: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period` (5 min). */
  cpuInitializationPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s). */
  delayOfInitialReadinessStatusMs?: number;
  /** Where metrics come from (default: metrics.k8s.io, custom.metrics.k8s.io and external.metrics.k8s.io through `client`). */
  metricsClient?: MetricsClient;
  /** `--concurrent-horizontal-pod-autoscaler-syncs` (5). */
  workers?: number;
}

const componentName = 'horizontal-pod-autoscaler';

// The scalable built-in kinds by group (Go: the RESTMapper's mappings); other groups' kinds map to a lower-case plural.
const BUILTIN_SCALABLE: Record<string, Record<string, string>> = {
  '': { ReplicationController: 'replicationcontrollers' },
  apps: { Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets' },
};

/** The resource of a scale target's kind; throws the RESTMapper's NoKindMatchError text for an unknown built-in kind. */
// Upstream: apimachinery pkg/api/meta (DefaultRESTMapper.RESTMappings, NoKindMatchError)
function resourceFor(group: string, kind: string): string {
  const builtin = BUILTIN_SCALABLE[group];
  if (builtin) {
    if (!builtin[kind]) throw new Error(`no matches for kind "${kind}" in group "${group}"`);
    return builtin[kind];
  }
  return `${kind.toLowerCase()}s`;
}

/** Builds the controller (Go: `NewHorizontalController`); `run()` starts it. */
export function newHorizontalController(o: HorizontalControllerOptions): HorizontalController {
  return new HorizontalController(o);
}

/** An error of the reconcile, as upstream's `utilruntime.HandleError` would log it. */
export interface ReconcileError {
  key: string;
  message: string;
}

// Upstream: horizontal.go (HorizontalController)
export class HorizontalController {
  readonly syncPeriodMs: number;
  readonly downscaleStabilisationWindowMs: number;
  readonly queue: RateLimitingQueue<string>;
  readonly replicaCalc: ReplicaCalculator;
  /** Latest unstabilized recommendations per HPA key (Go: `recommendations`). */
  readonly recommendations = new Map<string, TimestampedRecommendation[]>();
  /** Latest scale events per HPA key (Go: `scaleUpEvents`, `scaleDownEvents`); changes are absolute values. */
  readonly scaleUpEvents = new Map<string, TimestampedScaleEvent[]>();
  readonly scaleDownEvents = new Map<string, TimestampedScaleEvent[]>();
  /** Errors reconciles returned, newest last (Go: logged by HandleError). */
  readonly errors: ReconcileError[] = [];
  readonly #o: HorizontalControllerOptions;
  readonly #record: EventRecorder;
  readonly #events: EventEmitter<HPAEventMap, Record<string, never>>;
  /** The selector of each HPA (Go: `hpaSelectors`, a BiMultimap; Nothing until the first reconcile). */
  readonly #hpaSelectors = new Map<string, Selector>();
  #factory?: SharedInformerFactory;
  #stopped = false;
  #loops: Promise<void>[] = [];

  constructor(o: HorizontalControllerOptions) {
    this.#o = o;
    this.syncPeriodMs = o.syncPeriodMs ?? 15_000;
    this.downscaleStabilisationWindowMs = o.downscaleStabilisationWindowMs ?? 300_000;
    this.queue = newRateLimitingQueue<string>(newDefaultHPARateLimiter<string>(this.syncPeriodMs), { clock: o.clock, name: 'horizontalpodautoscaler', trace: o.trace });
    this.#record = newEventRecorder(o.client, o.clock, { component: componentName });
    this.#events = new EventEmitter(hpaEvents, resolveEnv({ clock: o.clock, rng: o.rng, trace: o.trace }), {});
    this.replicaCalc = newReplicaCalculator({
      metricsClient: o.metricsClient ?? newRESTMetricsClient(o.client),
      podLister: { list: (namespace, selector) => this.#listPods(namespace, parseLabels(String(selector ?? ''))) },
      tolerance: o.tolerance,
      cpuInitializationPeriodMs: o.cpuInitializationPeriodMs,
      delayOfInitialReadinessStatusMs: o.delayOfInitialReadinessStatusMs,
      clock: o.clock,
    });
  }

  #listPods(namespace: string, selector: Selector): Pod[] {
    const pods = (this.#factory?.forResource('pods').informer().getStore().list() ?? []) as unknown as Pod[];
    return pods.filter((p) => (p.metadata.namespace ?? '') === namespace && matches(selector, p.metadata.labels ?? {}));
  }

  /** Starts the informers, waits for their caches, then the workers (Go: `Run`). Resolves once the workers run. */
  // Upstream: horizontal.go (HorizontalController.Run, NewHorizontalController's event handlers)
  async run(): Promise<void> {
    const o = this.#o;
    const f = (this.#factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') }));
    f.forResource('horizontalpodautoscalers').informer().addEventHandler({
      onAdd: (obj) => this.#enqueueHPA(obj as KubeObject),
      onUpdate: (_old, cur) => this.#enqueueHPA(cur as KubeObject),
      onDelete: (obj) => this.#deleteHPA(obj as KubeObject),
    });
    f.forResource('pods').informer();
    f.start();
    const synced = await f.waitForCacheSync();
    if (this.#stopped || !Object.values(synced).every(Boolean)) return;
    for (let i = 0; i < (o.workers ?? 5); i++) this.#loops.push(this.#worker());
  }

  stop(): void {
    this.#stopped = true;
    this.queue.shutDown();
    this.#factory?.shutdown();
  }

  #keyOf(obj: KubeObject): string {
    const m = ((obj as { obj?: KubeObject }).obj ?? obj).metadata ?? {};
    return m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? '');
  }

  // Every add waits a sync period: a new HPA is first reconciled 15 s after it appears.
  // Upstream: horizontal.go (enqueueHPA)
  #enqueueHPA(obj: KubeObject): void {
    const key = this.#keyOf(obj);
    this.queue.addRateLimited(key);
    if (!this.#hpaSelectors.has(key)) this.#hpaSelectors.set(key, nothing());
  }

  // Upstream: horizontal.go (deleteHPA)
  #deleteHPA(obj: KubeObject): void {
    const key = this.#keyOf(obj);
    this.queue.forget(key);
    this.#hpaSelectors.delete(key);
  }

  // Upstream: horizontal.go (worker, processNextWorkItem)
  async #worker(): Promise<void> {
    for (;;) {
      const { item: key, shutdown } = await this.queue.get();
      if (shutdown) return;
      let deleted = false;
      try {
        deleted = await this.reconcileKey(key);
      } catch (e) {
        this.errors.push({ key, message: (e as Error).message });
      } finally {
        // Added back with the sync period's delay, in case the last add was consumed by this run.
        if (!deleted && !this.#stopped) this.queue.addRateLimited(key);
        this.queue.done(key);
      }
    }
  }

  /** Reconciles one HPA by key; resolves true when it no longer exists. */
  // Upstream: horizontal.go (reconcileKey)
  async reconcileKey(key: string): Promise<boolean> {
    const hpa = this.#factory?.forResource('horizontalpodautoscalers').informer().getStore().getByKey(key) as HorizontalPodAutoscaler | undefined;
    if (!hpa) {
      this.recommendations.delete(key);
      this.scaleUpEvents.delete(key);
      this.scaleDownEvents.delete(key);
      return true;
    }
    await this.reconcileAutoscaler(hpa, key);
    return false;
  }

  #warn(hpa: HorizontalPodAutoscaler, reason: string, message: string): void {
    void this.#record.event(hpa, 'Warning', reason, message);
  }

  #setCondition(hpa: HorizontalPodAutoscaler, c: ProposedCondition): void {
    const status = hpa.status as HorizontalPodAutoscalerStatus;
    status.conditions = setConditionInList(status.conditions ?? [], c, this.#o.clock.now());
  }

  /** One reconcile of one HPA; throws what upstream returns as the reconcile's error. */
  // Upstream: horizontal.go (reconcileAutoscaler)
  async reconcileAutoscaler(hpaShared: HorizontalPodAutoscaler, key: string): Promise<void> {
    const hpa = deepCopy(hpaShared);
    hpa.apiVersion = 'autoscaling/v2';
    hpa.kind = 'HorizontalPodAutoscaler';
    hpa.status = hpa.status ?? { desiredReplicas: 0, currentMetrics: null };
    const statusOriginal = deepCopy(hpa.status);
    const ns = hpa.metadata.namespace ?? '';
    const ref = hpa.spec.scaleTargetRef;
    const reference = `${ref.kind}/${ns}/${ref.name}`;
    const trace = { metric: '', value: null as number | null, target: null as number | null, currentReplicas: 0, desiredReplicas: -1, minReplicas: hpa.spec.minReplicas ?? 1, maxReplicas: hpa.spec.maxReplicas };
    const fail = async (reason: string, err: string, returned: string): Promise<never> => {
      this.#warn(hpa, reason, err);
      this.#setCondition(hpa, { type: 'AbleToScale', status: 'False', reason, message: `the HPA controller was unable to get the target's current scale: ${err}` });
      await this.#updateStatusIfNeededQuietly(statusOriginal, hpa);
      this.#trace(key, trace, trace.currentReplicas, false, '', returned);
      throw new Error(returned);
    };

    let group: string;
    let version: string;
    try {
      ({ group, version } = parseGroupVersion(ref.apiVersion ?? ''));
    } catch (e) {
      return fail('FailedGetScale', (e as Error).message, `invalid API version in scale target reference: ${(e as Error).message}`);
    }
    let resource: string;
    try {
      resource = resourceFor(group, ref.kind);
    } catch (e) {
      return fail('FailedGetScale', (e as Error).message, `unable to determine resource for scale target reference: ${(e as Error).message}`);
    }
    let scale: Scale;
    try {
      scale = (await this.#o.client.restClient(group, version).get().namespace(ns).resource(resource).name(ref.name).subResource('scale').do()) as Scale;
    } catch (e) {
      return fail('FailedGetScale', (e as Error).message, `failed to query scale subresource for ${reference}: ${(e as Error).message}`);
    }
    this.#setCondition(hpa, { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
    const currentReplicas = scale.spec.replicas ?? 0;
    trace.currentReplicas = currentReplicas;
    this.#recordInitialRecommendation(currentReplicas, key);

    let metricStatuses: MetricStatus[] | null = null;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let retErr: Error | undefined;
    const minReplicas = hpa.spec.minReplicas ?? 1;
    let rescale = true;
    let limitReason = '';

    if (currentReplicas === 0 && minReplicas !== 0) {
      // Autoscaling is disabled for this resource.
      desiredReplicas = 0;
      rescale = false;
      this.#setCondition(hpa, { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    } else if (currentReplicas > hpa.spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = trace.desiredReplicas = hpa.spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = trace.desiredReplicas = minReplicas;
    } else {
      const r = await this.computeReplicasForMetrics(hpa, scale);
      metricStatuses = r.statuses;
      Object.assign(trace, { metric: r.metric, value: r.value, target: r.target, desiredReplicas: r.replicas });
      if (r.error && r.replicas === -1) {
        this.#setCurrentReplicasAndMetricsInStatus(hpa, currentReplicas, metricStatuses);
        await this.#updateStatusIfNeededQuietly(statusOriginal, hpa);
        this.#warn(hpa, 'FailedComputeMetricsReplicas', r.error.message);
        const message = `failed to compute desired number of replicas based on listed metrics for ${reference}: ${r.error.message}`;
        this.#trace(key, trace, currentReplicas, false, '', message);
        throw new Error(message);
      }
      // Some metrics failed but others scale up: act on them, report the error afterwards.
      if (r.error) retErr = r.error;
      let rescaleMetric = '';
      if (r.replicas > desiredReplicas) {
        desiredReplicas = r.replicas;
        rescaleMetric = r.metric;
      }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const n = hpa.spec.behavior
        ? this.#normalizeDesiredReplicasWithBehaviors(hpa, key, currentReplicas, desiredReplicas, minReplicas)
        : this.#normalizeDesiredReplicas(hpa, key, currentReplicas, desiredReplicas, minReplicas);
      desiredReplicas = n.replicas;
      limitReason = n.reason;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await this.#o.client.restClient(group, version).put().namespace(ns).resource(resource).name(ref.name).subResource('scale').body({ ...scale, spec: { ...scale.spec, replicas: desiredReplicas } }).do();
      } catch (e) {
        const err = (e as Error).message;
        this.#warn(hpa, 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${err}`);
        this.#setCondition(hpa, { type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${err}` });
        this.#setCurrentReplicasAndMetricsInStatus(hpa, currentReplicas, metricStatuses);
        await this.#updateStatusIfNeededQuietly(statusOriginal, hpa);
        const message = `failed to rescale ${reference}: ${err}`;
        this.#trace(key, trace, currentReplicas, false, rescaleReason, message);
        throw new Error(message);
      }
      this.#setCondition(hpa, { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desiredReplicas}` });
      void this.#record.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      this.#storeScaleEvent(hpa.spec.behavior, key, currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
    }

    this.#setStatus(hpa, currentReplicas, desiredReplicas, metricStatuses, rescale);
    this.#trace(key, trace, desiredReplicas, rescale, rescale ? rescaleReason : limitReason, retErr?.message ?? '');
    await this.#updateStatusIfNeeded(statusOriginal, hpa);
    if (retErr) throw retErr;
  }

  #trace(key: string, t: { metric: string; value: number | null; target: number | null; currentReplicas: number; desiredReplicas: number; minReplicas: number; maxReplicas: number }, finalReplicas: number, rescaled: boolean, reason: string, error: string): void {
    this.#events.emit('hpa.reconcile', { hpa: key, ...t, finalReplicas, rescaled, reason, error });
  }

  /**
   * The largest proposal over the metric specs, the statuses of all, and the first failure. Returns
   * -1 replicas (with the error) when every metric failed, or when some failed and the rest would
   * scale down: never scale down on partial information.
   */
  // Upstream: horizontal.go (computeReplicasForMetrics)
  async computeReplicasForMetrics(
    hpa: HorizontalPodAutoscaler,
    scale: Scale,
  ): Promise<{ replicas: number; metric: string; statuses: MetricStatus[] | null; timestampMs: number; error?: Error; value: number | null; target: number | null }> {
    const none = { replicas: -1, metric: '', statuses: null, timestampMs: 0, value: null, target: null };
    let selector: string;
    try {
      selector = this.#validateAndParseSelector(hpa, scale.status?.selector ?? '');
    } catch (e) {
      return { ...none, error: e as Error };
    }
    const specs = hpa.spec.metrics ?? [];
    const specReplicas = scale.spec.replicas ?? 0;
    const statuses: MetricStatus[] = specs.map(() => ({ type: '' }));
    let replicas = 0;
    let metric = '';
    let timestampMs = 0;
    let invalid = 0;
    let firstError: MetricComputationError | undefined;
    let chart: { value: number | null; target: number | null } = { value: null, target: null };
    const ctx = { calc: this.replicaCalc, hpa, specReplicas, statusReplicas: scale.status?.replicas ?? 0, selector, record: (reason: string, message: string) => this.#warn(hpa, reason, message) };
    for (const [i, spec] of specs.entries()) {
      let p: MetricProposal;
      try {
        p = await computeReplicasForMetric(ctx, spec);
      } catch (e) {
        if (!(e instanceof MetricComputationError)) throw e;
        if (invalid === 0) firstError = e;
        invalid++;
        continue;
      }
      statuses[i] = p.status;
      if (i === 0 || chart.value === null) chart = { value: p.value, target: p.target };
      if (replicas === 0 || p.replicas > replicas) {
        timestampMs = p.timestampMs;
        replicas = p.replicas;
        metric = p.metricName;
      }
    }
    const error = firstError ? new Error(`invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError.message}`) : undefined;
    if (invalid >= specs.length || (invalid > 0 && replicas < specReplicas)) {
      if (firstError) this.#setCondition(hpa, firstError.condition);
      return { ...none, statuses, error, ...chart };
    }
    this.#setCondition(hpa, { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metric}` });
    return { replicas, metric, statuses, timestampMs, error, ...chart };
  }

  /**
   * The scale's selector, which must be set, parse, and select pods no other HPA selects.
   * Upstream: horizontal.go (validateAndParseSelector, hpasControllingPodsUnderSelector)
   */
  #validateAndParseSelector(hpa: HorizontalPodAutoscaler, selector: string): string {
    const fail = (reason: string, event: string, message: string): never => {
      this.#warn(hpa, reason, event);
      this.#setCondition(hpa, { type: 'ScalingActive', status: 'False', reason: reason === 'SelectorRequired' ? 'InvalidSelector' : reason, message });
      throw new Error(event);
    };
    if (selector === '') return fail('SelectorRequired', 'selector is required', "the HPA target's scale is missing a selector");
    let parsed: Selector;
    try {
      parsed = parseLabels(selector);
    } catch (e) {
      const msg = `couldn't convert selector into a corresponding internal selector object: ${(e as Error).message}`;
      return fail('InvalidSelector', msg, msg);
    }
    const key = this.#keyOf(hpa);
    if (this.#hpaSelectors.has(key)) this.#hpaSelectors.set(key, parsed);
    const pods = this.#listPods(hpa.metadata.namespace ?? '', parsed);
    const controlling = new Set<string>();
    for (const pod of pods) {
      for (const [hpaKey, sel] of this.#hpaSelectors) {
        if (hpaKey.split('/')[0] === (pod.metadata.namespace ?? '') && matches(sel, pod.metadata.labels ?? {})) controlling.add(hpaKey);
      }
    }
    if (controlling.size > 1) {
      // Go prints a map's keys in any order; sorted here.
      const msg = `pods by selector ${selector} are controlled by multiple HPAs: [${[...controlling].sort().join(' ')}]`;
      return fail('AmbiguousSelector', msg, msg);
    }
    return selector;
  }

  // Upstream: horizontal.go (recordInitialRecommendation)
  #recordInitialRecommendation(currentReplicas: number, key: string): void {
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ recommendation: currentReplicas, timestampMs: this.#o.clock.now() }]);
  }

  // Upstream: horizontal.go (normalizeDesiredReplicas)
  #normalizeDesiredReplicas(hpa: HorizontalPodAutoscaler, key: string, currentReplicas: number, prenormalized: number, minReplicas: number): { replicas: number; reason: string } {
    const s = stabilizeRecommendation(this.recommendations.get(key) ?? [], prenormalized, this.downscaleStabilisationWindowMs, this.#o.clock.now());
    this.recommendations.set(key, s.recommendations);
    const stabilized = s.replicas;
    if (stabilized !== prenormalized) {
      this.#setCondition(hpa, { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    } else {
      this.#setCondition(hpa, { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    }
    const r = convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, hpa.spec.maxReplicas);
    this.#setCondition(hpa, { type: 'ScalingLimited', status: r.replicas === stabilized ? 'False' : 'True', reason: r.condition, message: r.reason });
    return { replicas: r.replicas, reason: stabilized !== prenormalized ? 'ScaleDownStabilized' : r.replicas !== stabilized ? r.condition : '' };
  }

  // Upstream: horizontal.go (normalizeDesiredReplicasWithBehaviors, maybeInitScaleDownStabilizationWindow)
  #normalizeDesiredReplicasWithBehaviors(hpa: HorizontalPodAutoscaler, key: string, currentReplicas: number, prenormalized: number, minReplicas: number): { replicas: number; reason: string } {
    const behavior = hpa.spec.behavior ?? {};
    const scaleUpBehavior: HPAScalingRules = behavior.scaleUp ?? defaultScaleUpRules;
    const scaleDownBehavior: HPAScalingRules = { ...(behavior.scaleDown ?? defaultScaleDownRules) };
    // An unset scale-down window is the controller flag's.
    if (scaleDownBehavior.stabilizationWindowSeconds === undefined) scaleDownBehavior.stabilizationWindowSeconds = Math.trunc(this.downscaleStabilisationWindowMs / 1000);
    const nowMs = this.#o.clock.now();
    const arg = { scaleUpBehavior, scaleDownBehavior, minReplicas, maxReplicas: hpa.spec.maxReplicas, currentReplicas, desiredReplicas: prenormalized };
    const s = stabilizeRecommendationWithBehaviors({ ...arg, recommendations: this.recommendations.get(key) ?? [], nowMs });
    this.recommendations.set(key, s.recommendations);
    if (s.replicas !== prenormalized) this.#setCondition(hpa, { type: 'AbleToScale', status: 'True', reason: s.reason, message: s.message });
    else this.#setCondition(hpa, { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    const r = convertDesiredReplicasWithBehaviorRate({ ...arg, desiredReplicas: s.replicas, scaleUpEvents: this.scaleUpEvents.get(key) ?? [], scaleDownEvents: this.scaleDownEvents.get(key) ?? [], nowMs });
    this.#setCondition(hpa, { type: 'ScalingLimited', status: r.replicas === s.replicas ? 'False' : 'True', reason: r.reason, message: r.message });
    return { replicas: r.replicas, reason: s.replicas !== prenormalized ? s.reason : r.replicas !== s.replicas ? r.reason : '' };
  }

  /** Adds the change to the history, reusing a slot that aged out of the longest policy period. */
  // Upstream: horizontal.go (storeScaleEvent, markScaleEventsOutdated, getLongestPolicyPeriod)
  #storeScaleEvent(behavior: HorizontalPodAutoscaler['spec']['behavior'], key: string, prevReplicas: number, newReplicas: number): void {
    if (!behavior) return;
    const up = newReplicas > prevReplicas;
    const rules = (up ? behavior.scaleUp : behavior.scaleDown) ?? (up ? defaultScaleUpRules : defaultScaleDownRules);
    const longestPeriodSeconds = Math.max(0, ...(rules.policies ?? []).map((p) => p.periodSeconds));
    const map = up ? this.scaleUpEvents : this.scaleDownEvents;
    const nowMs = this.#o.clock.now();
    const events = (map.get(key) ?? []).map((e) => (e.timestampMs < nowMs - longestPeriodSeconds * 1000 ? { ...e, outdated: true } : e));
    const event = { replicaChange: Math.abs(newReplicas - prevReplicas), timestampMs: nowMs, outdated: false };
    let oldIndex = -1;
    events.forEach((e, i) => {
      if (e.outdated) oldIndex = i;
    });
    if (oldIndex >= 0) events[oldIndex] = event;
    else events.push(event);
    map.set(key, events);
  }

  // Upstream: horizontal.go (setCurrentReplicasAndMetricsInStatus)
  #setCurrentReplicasAndMetricsInStatus(hpa: HorizontalPodAutoscaler, currentReplicas: number, statuses: MetricStatus[] | null): void {
    this.#setStatus(hpa, currentReplicas, hpa.status?.desiredReplicas ?? 0, statuses, false);
  }

  /** The status rebuilt as Go serializes it (currentReplicas omitted at 0; currentMetrics null when none). */
  // Upstream: horizontal.go (setStatus)
  #setStatus(hpa: HorizontalPodAutoscaler, currentReplicas: number, desiredReplicas: number, statuses: MetricStatus[] | null, rescale: boolean): void {
    const old = hpa.status as HorizontalPodAutoscalerStatus;
    const lastScaleTime = rescale ? rfc3339(this.#o.clock.now()) : old.lastScaleTime;
    const status: HorizontalPodAutoscalerStatus = { desiredReplicas, currentMetrics: statuses };
    hpa.status = {
      ...(lastScaleTime !== undefined ? { lastScaleTime } : {}),
      ...(currentReplicas !== 0 ? { currentReplicas } : {}),
      ...status,
      ...(old.conditions && old.conditions.length > 0 ? { conditions: old.conditions } : {}),
    };
  }

  async #updateStatusIfNeededQuietly(old: HorizontalPodAutoscalerStatus, hpa: HorizontalPodAutoscaler): Promise<void> {
    try {
      await this.#updateStatusIfNeeded(old, hpa);
    } catch (e) {
      this.errors.push({ key: this.#keyOf(hpa), message: (e as Error).message });
    }
  }

  // Upstream: horizontal.go (updateStatusIfNeeded, updateStatus)
  async #updateStatusIfNeeded(old: HorizontalPodAutoscalerStatus, hpa: HorizontalPodAutoscaler): Promise<void> {
    if (semanticEqual(old, hpa.status)) return;
    try {
      await this.#o.client.autoscalingV2().horizontalPodAutoscalers(hpa.metadata.namespace ?? '').updateStatus(hpa);
    } catch (e) {
      this.#warn(hpa, 'FailedUpdateStatus', (e as Error).message);
      throw new Error(`failed to update status for ${hpa.metadata.name}: ${(e as Error).message}`);
    }
  }
}

// Go: apiequality.Semantic.DeepEqual over decoded JSON (absent and undefined fields are the same).
function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => semanticEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
