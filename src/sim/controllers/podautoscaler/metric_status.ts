/**
 * One metric spec -> a replica proposal and the metric's status, through the replica calculator;
 * a failure carries the ScalingActive=False condition upstream proposes (and its event is recorded).
 * Upstream: horizontal.go (computeReplicasForMetric, computeStatusForObjectMetric,
 * computeStatusForPodsMetric, computeStatusForResourceMetricGeneric, computeStatusForResourceMetric,
 * computeStatusForContainerResourceMetric, computeStatusForExternalMetric,
 * getUnableComputeReplicaCountCondition)
 */
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import { DecimalSI, newMilliQuantity, parseQuantity } from '../../apimachinery/quantity';
import type { ProposedCondition } from './conditions';
import type { ReplicaCalculator } from './replica_calculator';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus, MetricTarget, Quantity } from './types';

export interface MetricProposal {
  replicas: number;
  metricName: string;
  timestampMs: number;
  status: MetricStatus;
  /** For the chart: the current value and the target (a percentage for utilization, else milli-units). */
  value: number;
  target: number;
}

/** A metric that could not be computed, with the condition upstream would set if all fail. */
export class MetricComputationError extends Error {
  constructor(
    message: string,
    readonly condition: ProposedCondition,
  ) {
    super(message);
  }
}

export type RecordWarning = (reason: string, message: string) => void;

const milli = (q: Quantity | undefined): number => parseQuantity(String(q)).milliValue();
const q = (m: number): string => newMilliQuantity(m, DecimalSI).toString();
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
// Go's `%+v` of a *metav1.LabelSelector, close enough for a metric name: `nil` or the JSON.
const goSelector = (s: unknown): string => (s === undefined || s === null ? '<nil>' : `&${JSON.stringify(s)}`);

// Upstream: horizontal.go (getUnableComputeReplicaCountCondition): records the event, proposes the condition.
function unable(record: RecordWarning, reason: string, err: unknown): ProposedCondition {
  record(reason, message(err));
  return { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${message(err)}` };
}

export interface MetricContext {
  calc: ReplicaCalculator;
  hpa: HorizontalPodAutoscaler;
  specReplicas: number;
  statusReplicas: number;
  selector: string;
  record: RecordWarning;
}

/** Upstream: horizontal.go (computeReplicasForMetric) */
export async function computeReplicasForMetric(ctx: MetricContext, spec: MetricSpec): Promise<MetricProposal> {
  switch (spec.type) {
    case 'Object':
      return wrap(() => objectMetric(ctx, spec), 'failed to get object metric value: ');
    case 'Pods':
      return wrap(() => podsMetric(ctx, spec), 'failed to get pods metric value: ');
    case 'Resource':
      return wrap(() => resourceMetric(ctx, spec, false), `failed to get ${spec.resource?.name} resource metric value: `);
    case 'ContainerResource':
      return wrap(() => resourceMetric(ctx, spec, true), `failed to get ${spec.containerResource?.container} container metric value: `);
    case 'External':
      return wrap(() => externalMetric(ctx, spec), `failed to get ${spec.external?.metric.name} external metric value: `);
    default: {
      const err = new Error(`unknown metric source type "${spec.type}"`);
      throw new MetricComputationError(err.message, unable(ctx.record, 'InvalidMetricSourceType', err));
    }
  }
}

async function wrap(fn: () => Promise<MetricProposal>, prefix: string): Promise<MetricProposal> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof MetricComputationError) throw new MetricComputationError(prefix + e.message, e.condition);
    throw e;
  }
}

/**
 * Runs a calculator call; a failure records `reason` and becomes a MetricComputationError. Upstream
 * words the event and condition with `conditionPrefix` and the returned error with `errPrefix`
 * (they differ for object and external per-pod targets).
 */
async function attempt<T>(ctx: MetricContext, reason: string, fn: () => Promise<T>, errPrefix = '', conditionPrefix = ''): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const condition = unable(ctx.record, reason, new Error(conditionPrefix + message(e)));
    throw new MetricComputationError(errPrefix + message(e), condition);
  }
}

function metricSelector(ctx: MetricContext, reason: string, sel: unknown): string {
  try {
    return labelSelectorAsSelector(sel as never).toString();
  } catch (e) {
    throw new MetricComputationError(message(e), unable(ctx.record, reason, e));
  }
}

// Upstream: horizontal.go (computeStatusForObjectMetric)
async function objectMetric(ctx: MetricContext, spec: MetricSpec): Promise<MetricProposal> {
  const o = spec.object!;
  const ns = ctx.hpa.metadata.namespace ?? '';
  const msel = metricSelector(ctx, 'FailedGetObjectMetric', o.metric.selector);
  const metric = { name: o.metric.name, ...(o.metric.selector ? { selector: o.metric.selector } : {}) };
  if (o.target.type === 'Value' && o.target.value !== undefined) {
    const target = milli(o.target.value);
    const r = await attempt(ctx, 'FailedGetObjectMetric', () => ctx.calc.getObjectMetricReplicas(ctx.specReplicas, target, o.metric.name, ns, o.describedObject, ctx.selector, msel));
    return { replicas: r.replicas, timestampMs: r.timestampMs, metricName: `${o.describedObject.kind} metric ${o.metric.name}`, status: { type: 'Object', object: { describedObject: o.describedObject, metric, current: { value: q(r.usage) } } }, value: r.usage, target };
  }
  if (o.target.type === 'AverageValue' && o.target.averageValue !== undefined) {
    const target = milli(o.target.averageValue);
    const r = await attempt(ctx, 'FailedGetObjectMetric', () => ctx.calc.getObjectPerPodMetricReplicas(ctx.statusReplicas, target, o.metric.name, ns, o.describedObject, msel), `failed to get ${o.metric.name} object metric: `);
    return { replicas: r.replicas, timestampMs: r.timestampMs, metricName: `external metric ${o.metric.name}(${goSelector(o.metric.selector)})`, status: { type: 'Object', object: { metric, current: { averageValue: q(r.usage) } } }, value: r.usage, target };
  }
  const err = new Error('invalid object metric source: neither a value target nor an average value target was set');
  throw new MetricComputationError(err.message, unable(ctx.record, 'FailedGetObjectMetric', err));
}

// Upstream: horizontal.go (computeStatusForPodsMetric)
async function podsMetric(ctx: MetricContext, spec: MetricSpec): Promise<MetricProposal> {
  const p = spec.pods!;
  const msel = metricSelector(ctx, 'FailedGetPodsMetric', p.metric.selector);
  const target = milli(p.target.averageValue);
  const r = await attempt(ctx, 'FailedGetPodsMetric', () => ctx.calc.getMetricReplicas(ctx.specReplicas, target, p.metric.name, ctx.hpa.metadata.namespace ?? '', ctx.selector, msel));
  const metric = { name: p.metric.name, ...(p.metric.selector ? { selector: p.metric.selector } : {}) };
  return { replicas: r.replicas, timestampMs: r.timestampMs, metricName: `pods metric ${p.metric.name}`, status: { type: 'Pods', pods: { metric, current: { averageValue: q(r.usage) } } }, value: r.usage, target };
}

// Upstream: horizontal.go (computeStatusForResourceMetricGeneric, computeStatusForResourceMetric, computeStatusForContainerResourceMetric)
async function resourceMetric(ctx: MetricContext, spec: MetricSpec, isContainer: boolean): Promise<MetricProposal> {
  const src = isContainer ? spec.containerResource! : spec.resource!;
  const container = isContainer ? spec.containerResource!.container : '';
  const reason = isContainer ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
  const target: MetricTarget = src.target;
  const ns = ctx.hpa.metadata.namespace ?? '';
  const status = (current: MetricStatus['resource'] extends infer R ? (R extends { current: infer C } ? C : never) : never): MetricStatus =>
    isContainer ? { type: 'ContainerResource', containerResource: { name: src.name, container, current } } : { type: 'Resource', resource: { name: src.name, current } };
  if (target.averageValue !== undefined && target.averageValue !== null) {
    const t = milli(target.averageValue);
    const r = await attempt(ctx, reason, () => ctx.calc.getRawResourceReplicas(ctx.specReplicas, t, src.name, ns, ctx.selector, container), `failed to get ${src.name} usage: `, `failed to get ${src.name} usage: `);
    return { replicas: r.replicas, timestampMs: r.timestampMs, metricName: `${src.name} resource`, status: status({ averageValue: q(r.usage) }), value: r.usage, target: t };
  }
  if (target.averageUtilization === undefined || target.averageUtilization === null) {
    const err = new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    throw new MetricComputationError(err.message, unable(ctx.record, reason, err));
  }
  const t = target.averageUtilization;
  const r = await attempt(ctx, reason, () => ctx.calc.getResourceReplicas(ctx.specReplicas, t, src.name, ns, ctx.selector, container), `failed to get ${src.name} utilization: `, `failed to get ${src.name} utilization: `);
  const metricName = isContainer ? `${src.name} container resource utilization (percentage of request)` : `${src.name} resource utilization (percentage of request)`;
  return { replicas: r.replicas, timestampMs: r.timestampMs, metricName, status: status({ averageValue: q(r.rawUtilization), averageUtilization: r.utilization }), value: r.utilization, target: t };
}

// Upstream: horizontal.go (computeStatusForExternalMetric)
async function externalMetric(ctx: MetricContext, spec: MetricSpec): Promise<MetricProposal> {
  const x = spec.external!;
  const ns = ctx.hpa.metadata.namespace ?? '';
  const metric = { name: x.metric.name, ...(x.metric.selector ? { selector: x.metric.selector } : {}) };
  const metricName = `external metric ${x.metric.name}(${goSelector(x.metric.selector)})`;
  if (x.target.averageValue !== undefined && x.target.averageValue !== null) {
    const target = milli(x.target.averageValue);
    const r = await attempt(ctx, 'FailedGetExternalMetric', () => ctx.calc.getExternalPerPodMetricReplicas(ctx.statusReplicas, target, x.metric.name, ns, x.metric.selector), `failed to get ${x.metric.name} external metric: `);
    return { replicas: r.replicas, timestampMs: r.timestampMs, metricName, status: { type: 'External', external: { metric, current: { averageValue: q(r.usage) } } }, value: r.usage, target };
  }
  if (x.target.value !== undefined && x.target.value !== null) {
    const target = milli(x.target.value);
    const r = await attempt(ctx, 'FailedGetExternalMetric', () => ctx.calc.getExternalMetricReplicas(ctx.specReplicas, target, x.metric.name, ns, x.metric.selector, ctx.selector), `failed to get external metric ${x.metric.name}: `);
    return { replicas: r.replicas, timestampMs: r.timestampMs, metricName, status: { type: 'External', external: { metric, current: { value: q(r.usage) } } }, value: r.usage, target };
  }
  const err = new Error('invalid external metric source: neither a value target nor an average value target was set');
  throw new MetricComputationError(err.message, unable(ctx.record, 'FailedGetExternalMetric', err));
}
