/**
 * autoscaling/v1 HorizontalPodAutoscaler, served over the autoscaling/v2 storage by converting each
 * request and response: v1 knows only `targetCPUUtilizationPercentage`; everything else v2 says
 * travels in the `autoscaling.alpha.kubernetes.io/*` annotations, so a v1 client (an old
 * `kubectl autoscale`, a v1 manifest) round-trips a v2 object without losing its metrics.
 * Upstream (kubernetes, unpinned copies): pkg/apis/autoscaling/v1/conversion.go
 * (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler and back, the Spec and
 * Status conversions), pkg/apis/autoscaling/v1/defaults.go (SetDefaults_HorizontalPodAutoscaler),
 * pkg/apis/autoscaling/annotations.go; k8s.io/api v0.34.0 autoscaling/v1/types.go for the v1 shapes.
 */
import type { RestRequest, RestResponse } from '../../../client/transport';
import { deepCopy, type KubeObject } from '../../../core/object';
import { newGenericServerResponse } from '../../../apimachinery/errors';
import { applyPatch, BUILTIN_PATCH_TYPES } from '../../../apimachinery/patch';
import type { ServedResource } from '../../endpoints/discovery';
import type { RequestInfo } from '../../endpoints/request_info';
import { horizontalPodAutoscalerDef, DefaultCPUUtilization } from './autoscaling';
import { asList, asObj, type Obj } from './common';

/** Upstream: pkg/apis/autoscaling/annotations.go */
export const MetricSpecsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
export const MetricStatusesAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const HorizontalPodAutoscalerConditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
export const BehaviorSpecsAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';

const has = (v: unknown): boolean => v !== undefined && v !== null;
const pick = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => has(v)));
const isCPUUtilization = (m: Obj): boolean => m.type === 'Resource' && asObj(m.resource).name === 'cpu' && has(asObj(asObj(m.resource).target).averageUtilization);

// ---- metric shapes: v2 (target / current) <-> v1 (the v2beta1-style fields) ---------------------

function specToV1(m: Obj): Obj {
  const src = (k: string) => asObj(m[k]);
  const t = (k: string) => asObj(src(k).target);
  switch (m.type) {
    case 'Resource':
      return { type: m.type, resource: pick({ name: src('resource').name, targetAverageUtilization: t('resource').averageUtilization, targetAverageValue: t('resource').averageValue }) };
    case 'ContainerResource':
      return { type: m.type, containerResource: pick({ name: src('containerResource').name, targetAverageUtilization: t('containerResource').averageUtilization, targetAverageValue: t('containerResource').averageValue, container: src('containerResource').container }) };
    case 'Pods':
      return { type: m.type, pods: pick({ metricName: asObj(src('pods').metric).name, targetAverageValue: t('pods').averageValue, selector: asObj(src('pods').metric).selector }) };
    case 'Object':
      return { type: m.type, object: pick({ target: src('object').describedObject, metricName: asObj(src('object').metric).name, targetValue: t('object').value, selector: asObj(src('object').metric).selector, averageValue: t('object').averageValue }) };
    case 'External':
      return { type: m.type, external: pick({ metricName: asObj(src('external').metric).name, metricSelector: asObj(src('external').metric).selector, targetValue: t('external').value, targetAverageValue: t('external').averageValue }) };
    default:
      return deepCopy(m);
  }
}

function specFromV1(m: Obj): Obj {
  const s = (k: string) => asObj(m[k]);
  const metric = (name: unknown, selector: unknown) => pick({ name, selector });
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const k = m.type === 'Resource' ? 'resource' : 'containerResource';
      const r = s(k);
      const target = has(r.targetAverageUtilization) ? { type: 'Utilization', averageUtilization: r.targetAverageUtilization } : pick({ type: 'AverageValue', averageValue: r.targetAverageValue });
      return { type: m.type, [k]: pick({ name: r.name, target, container: r.container }) };
    }
    case 'Pods':
      return { type: m.type, pods: { metric: metric(s('pods').metricName, s('pods').selector), target: pick({ type: 'AverageValue', averageValue: s('pods').targetAverageValue }) } };
    case 'Object': {
      const o = s('object');
      const target = has(o.averageValue) ? { type: 'AverageValue', averageValue: o.averageValue } : pick({ type: 'Value', value: o.targetValue });
      return { type: m.type, object: { describedObject: o.target, metric: metric(o.metricName, o.selector), target } };
    }
    case 'External': {
      const x = s('external');
      const target = has(x.targetAverageValue) ? { type: 'AverageValue', averageValue: x.targetAverageValue } : pick({ type: 'Value', value: x.targetValue });
      return { type: m.type, external: { metric: metric(x.metricName, x.metricSelector), target } };
    }
    default:
      return deepCopy(m);
  }
}

function statusToV1(m: Obj): Obj {
  const src = (k: string) => asObj(m[k]);
  const c = (k: string) => asObj(src(k).current);
  switch (m.type) {
    case 'Resource':
      return { type: m.type, resource: pick({ name: src('resource').name, currentAverageUtilization: c('resource').averageUtilization, currentAverageValue: c('resource').averageValue ?? '0' }) };
    case 'ContainerResource':
      return { type: m.type, containerResource: pick({ name: src('containerResource').name, currentAverageUtilization: c('containerResource').averageUtilization, currentAverageValue: c('containerResource').averageValue ?? '0', container: src('containerResource').container }) };
    case 'Pods':
      return { type: m.type, pods: pick({ metricName: asObj(src('pods').metric).name, currentAverageValue: c('pods').averageValue ?? '0', selector: asObj(src('pods').metric).selector }) };
    case 'Object':
      return { type: m.type, object: pick({ target: src('object').describedObject ?? { kind: '', name: '' }, metricName: asObj(src('object').metric).name, currentValue: c('object').value ?? '0', selector: asObj(src('object').metric).selector, averageValue: c('object').averageValue }) };
    case 'External':
      return { type: m.type, external: pick({ metricName: asObj(src('external').metric).name, metricSelector: asObj(src('external').metric).selector, currentValue: c('external').value ?? '0', currentAverageValue: c('external').averageValue }) };
    default:
      return deepCopy(m);
  }
}

function statusFromV1(m: Obj): Obj {
  const s = (k: string) => asObj(m[k]);
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const k = m.type === 'Resource' ? 'resource' : 'containerResource';
      const r = s(k);
      return { type: m.type, [k]: pick({ name: r.name, current: pick({ averageValue: r.currentAverageValue, averageUtilization: r.currentAverageUtilization }), container: r.container }) };
    }
    case 'Pods':
      return { type: m.type, pods: { metric: pick({ name: s('pods').metricName, selector: s('pods').selector }), current: pick({ averageValue: s('pods').currentAverageValue }) } };
    case 'Object':
      return { type: m.type, object: { metric: pick({ name: s('object').metricName, selector: s('object').selector }), current: pick({ value: s('object').currentValue, averageValue: s('object').averageValue }), describedObject: s('object').target } };
    case 'External':
      return { type: m.type, external: { metric: pick({ name: s('external').metricName, selector: s('external').metricSelector }), current: pick({ value: s('external').currentValue, averageValue: s('external').currentAverageValue }) } };
    default:
      return deepCopy(m);
  }
}

// The behavior annotation is Go's JSON of the internal type: field names, no json tags.
const rulesToGo = (r: unknown): unknown =>
  has(r) ? { StabilizationWindowSeconds: asObj(r).stabilizationWindowSeconds ?? null, SelectPolicy: asObj(r).selectPolicy ?? null, Policies: asList(asObj(r).policies).map((p) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) } : null;
const rulesFromGo = (r: unknown): Obj | undefined =>
  has(r) ? pick({ stabilizationWindowSeconds: asObj(r).StabilizationWindowSeconds, selectPolicy: asObj(r).SelectPolicy, policies: asList(asObj(r).Policies).map((p) => ({ type: p.Type, value: p.Value, periodSeconds: p.PeriodSeconds })) }) : undefined;

/** A stored (v2) HPA as autoscaling/v1 shows it. */
// Upstream: v1/conversion.go (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler and the Spec / Status conversions)
export function hpaV2ToV1(v2: KubeObject): KubeObject {
  const out = deepCopy(v2);
  const spec = asObj(v2.spec);
  const status = asObj(v2.status);
  const metrics = asList(spec.metrics);
  const cpu = metrics.find((m) => m.type === 'Resource' && asObj(m.resource).name === 'cpu');
  const targetCPU = cpu && isCPUUtilization(cpu) ? asObj(asObj(cpu.resource).target).averageUtilization : undefined;
  const annotations: Record<string, string> = { ...(v2.metadata.annotations ?? {}) };
  const others = metrics.filter((m) => !isCPUUtilization(m));
  if (others.length > 0) annotations[MetricSpecsAnnotation] = JSON.stringify(others.map(specToV1));
  if (has(spec.behavior)) annotations[BehaviorSpecsAnnotation] = JSON.stringify({ ScaleUp: rulesToGo(asObj(spec.behavior).scaleUp), ScaleDown: rulesToGo(asObj(spec.behavior).scaleDown) });
  const current = asList(status.currentMetrics);
  if (current.length > 0) annotations[MetricStatusesAnnotation] = JSON.stringify(current.map(statusToV1));
  const conditions = asList(status.conditions);
  if (conditions.length > 0) annotations[HorizontalPodAutoscalerConditionsAnnotation] = JSON.stringify(conditions);
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  out.apiVersion = 'autoscaling/v1';
  out.spec = pick({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas ?? 0, targetCPUUtilizationPercentage: targetCPU });
  const cpuStatus = current.find((m) => m.type === 'Resource' && asObj(m.resource).name === 'cpu');
  out.status = pick({
    observedGeneration: status.observedGeneration,
    lastScaleTime: status.lastScaleTime,
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas ?? 0,
    currentCPUUtilizationPercentage: cpuStatus ? asObj(asObj(cpuStatus.resource).current).averageUtilization : undefined,
  });
  return out;
}

/** An autoscaling/v1 HPA as stored (v2); the annotations carrying v2 fields are lifted out. */
// Upstream: v1/conversion.go (Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler and the Spec / Status conversions)
export function hpaV1ToV2(v1: KubeObject): KubeObject {
  const out = deepCopy(v1);
  const spec = asObj(v1.spec);
  const status = asObj(v1.status);
  const annotations: Record<string, string> = { ...(v1.metadata.annotations ?? {}) };
  const take = (k: string): unknown => {
    const raw = annotations[k];
    delete annotations[k];
    return raw === undefined ? undefined : JSON.parse(raw);
  };
  const metrics: Obj[] = has(spec.targetCPUUtilizationPercentage) ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }] : [];
  metrics.push(...asList(take(MetricSpecsAnnotation)).map(specFromV1));
  // v1's implicit default, applied here where the annotation's metrics are known.
  if (metrics.length === 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DefaultCPUUtilization } } });
  const behavior = asObj(take(BehaviorSpecsAnnotation));
  const currentAnnotation = take(MetricStatusesAnnotation);
  const conditions = take(HorizontalPodAutoscalerConditionsAnnotation);
  out.apiVersion = 'autoscaling/v2';
  out.metadata.annotations = Object.keys(annotations).length > 0 ? annotations : undefined;
  if (!out.metadata.annotations) delete out.metadata.annotations;
  const b = pick({ scaleUp: rulesFromGo(behavior.ScaleUp), scaleDown: rulesFromGo(behavior.ScaleDown) });
  out.spec = pick({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior: Object.keys(b).length > 0 ? b : undefined });
  const current = currentAnnotation !== undefined
    ? asList(currentAnnotation).map(statusFromV1)
    : has(status.currentCPUUtilizationPercentage) ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }] : null;
  // currentMetrics has no omitempty in v2: null when there is none.
  out.status = { ...pick({ observedGeneration: status.observedGeneration, lastScaleTime: status.lastScaleTime, currentReplicas: status.currentReplicas, desiredReplicas: status.desiredReplicas ?? 0 }), currentMetrics: current, ...pick({ conditions }) };
  return out;
}

/** Upstream: pkg/apis/autoscaling/v1/defaults.go (SetDefaults_HorizontalPodAutoscaler) */
function setDefaultsV1(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  if (!has(spec.minReplicas)) spec.minReplicas = 1;
  obj.spec = spec;
}

/** How the API server answers a request internally (no second httplog line). */
export type ServeInternal = (req: RestRequest) => Promise<RestResponse>;

/**
 * autoscaling/v1 over the v2 storage: each request is rewritten to v2 (bodies converted) and each
 * answer back to v1. Register with `apiServer.registerAPIService('autoscaling/v1', ...)`.
 */
export function autoscalingV1Service(serve: ServeInternal): { resources(): ServedResource[]; serve(req: RestRequest, info: RequestInfo): Promise<RestResponse> } {
  const def = { ...horizontalPodAutoscalerDef, version: 'v1' };
  const v2Path = (p: string) => p.replace('/apis/autoscaling/v1', '/apis/autoscaling/v2');
  const toV1 = (res: RestResponse): RestResponse => {
    const body = asObj(res.body);
    if (res.code >= 300 || body.kind === 'Status') return res;
    if (body.kind === 'HorizontalPodAutoscalerList') {
      return { ...res, body: { ...body, apiVersion: 'autoscaling/v1', items: asList(body.items).map((i) => { const o = hpaV2ToV1(i as unknown as KubeObject); delete o.apiVersion; return o; }) } };
    }
    return { ...res, body: hpaV2ToV1(body as unknown as KubeObject) };
  };
  const decode = (body: unknown): KubeObject => {
    const obj = deepCopy(asObj(body)) as unknown as KubeObject;
    obj.metadata = obj.metadata ?? {};
    setDefaultsV1(obj);
    return hpaV1ToV2(obj);
  };
  return {
    resources: () => [{ def, subresources: [{ name: 'status', kind: 'HorizontalPodAutoscaler', verbs: ['get', 'patch', 'update'] }] }],
    async serve(req, info) {
      // What kube-apiserver answers for a path nothing serves.
      if (info.resource !== 'horizontalpodautoscalers') throw newGenericServerResponse(404, '', { group: '', resource: '' }, '', '', 0, false);
      const path = v2Path(req.path);
      switch (req.verb) {
        case 'POST':
        case 'PUT':
          return toV1(await serve({ ...req, path, body: decode(req.body) }));
        case 'PATCH': {
          // Patch the v1 view, then write it back through v2 (Go: the patcher works on the request's version).
          const cur = await serve({ verb: 'GET', path, userAgent: req.userAgent });
          if (cur.code >= 300) return cur;
          const v1 = hpaV2ToV1(cur.body as KubeObject);
          const patched = applyPatch(req.contentType ?? '', v1, req.body, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', supportedTypes: BUILTIN_PATCH_TYPES });
          return toV1(await serve({ ...req, verb: 'PUT', path, contentType: undefined, body: decode(patched) }));
        }
        default:
          return toV1(await serve({ ...req, path }));
      }
    },
  };
}
