/**
 * autoscaling/v2 HorizontalPodAutoscaler: strategy (status cleared on create and kept on update;
 * like upstream, no metadata.generation), validation with upstream's paths and wording, and the v2
 * defaults (minReplicas 1, the 80 % CPU metric, behavior rules filled in when a behavior is given).
 * Upstream (kubernetes, unpinned copies, see controllers/podautoscaler/README.md):
 * pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go (autoscalerStrategy,
 * autoscalerStatusStrategy, validationOptionsForHorizontalPodAutoscaler),
 * pkg/apis/autoscaling/validation/validation.go (validateHorizontalPodAutoscalerSpec,
 * ValidateCrossVersionObjectReference, validateMetrics, validateMetricSpec, validate*Source,
 * validateMetricTarget, validateMetricIdentifier, validateBehavior, validateScalingRules,
 * validateScalingPolicy, ValidateHorizontalPodAutoscalerStatusUpdate),
 * pkg/apis/autoscaling/v2/defaults.go (SetDefaults_HorizontalPodAutoscaler, GenerateHPAScaleUpRules,
 * GenerateHPAScaleDownRules), pkg/apis/autoscaling/annotations.go (DefaultCPUUtilization)
 */
import { deepCopy, type KubeObject } from '../../../core/object';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { parseQuantity } from '../../../apimachinery/quantity';
import { isDNS1123Label, validateNonnegativeField } from '../../../apimachinery/validation';
import { isValidPathSegmentName } from '../path_name';
import { ALL_VERBS, type ResourceDef } from '../resource';
import { asList, asObj, specOf, statusStrategy, strategy, validateLabelSelector, type Obj } from './common';

/** The CPU utilization target of an HPA that names no metric. Upstream: pkg/apis/autoscaling/annotations.go (DefaultCPUUtilization) */
export const DefaultCPUUtilization = 80;
/** Upstream: validation.go (MaxPeriodSeconds, MaxStabilizationWindowSeconds) */
export const MaxPeriodSeconds = 1800;
export const MaxStabilizationWindowSeconds = 3600;

const has = (v: unknown): boolean => v !== undefined && v !== null;

// A quantity's sign, or NaN when it does not parse (decoding would have refused it upstream).
function sign(v: unknown): number {
  try {
    return parseQuantity(String(v)).sign();
  } catch {
    return NaN;
  }
}

// Upstream: validation.go (ValidateCrossVersionObjectReference), without the apiVersion check (see README)
export function validateCrossVersionObjectReference(ref: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['kind', 'name'] as const) {
    const v = typeof ref[k] === 'string' ? (ref[k] as string) : '';
    if (v.length === 0) errs.push(field.required(p.child(k), ''));
    else for (const m of isValidPathSegmentName(v)) errs.push(field.invalid(p.child(k), v, m));
  }
  return errs;
}

// Upstream: validation.go (validateMetricTarget)
function validateMetricTarget(mt: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const type = typeof mt.type === 'string' ? mt.type : '';
  if (type.length === 0) errs.push(field.required(p.child('type'), 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) errs.push(field.invalid(p.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  if (has(mt.value) && sign(mt.value) !== 1) errs.push(field.invalid(p.child('value'), mt.value as string, 'must be positive'));
  if (has(mt.averageValue) && sign(mt.averageValue) !== 1) errs.push(field.invalid(p.child('averageValue'), mt.averageValue as string, 'must be positive'));
  if (typeof mt.averageUtilization === 'number' && mt.averageUtilization < 1) errs.push(field.invalid(p.child('averageUtilization'), mt.averageUtilization, 'must be greater than 0'));
  return errs;
}

// Upstream: validation.go (validateMetricIdentifier)
function validateMetricIdentifier(id: Obj, p: Path): FieldError[] {
  const name = typeof id.name === 'string' ? id.name : '';
  if (name.length === 0) return [field.required(p.child('name'), 'must specify a metric name')];
  const errs = isValidPathSegmentName(name).map((m) => field.invalid(p.child('name'), name, m));
  if (has(id.selector)) errs.push(...validateLabelSelector(asObj(id.selector), p.child('selector')));
  return errs;
}

// Upstream: validation.go (validateObjectSource, validateExternalSource, validatePodsSource, validateResourceSource, validateContainerResourceSource)
const validateSource: Record<string, (src: Obj, p: Path) => FieldError[]> = {
  object(src, p) {
    const t = asObj(src.target);
    const errs = [...validateCrossVersionObjectReference(asObj(src.describedObject), p.child('describedObject')), ...validateMetricIdentifier(asObj(src.metric), p.child('metric')), ...validateMetricTarget(t, p.child('target'))];
    if (!has(t.value) && !has(t.averageValue)) errs.push(field.required(p.child('target', 'averageValue'), 'must set either a target value or averageValue'));
    return errs;
  },
  external(src, p) {
    const t = asObj(src.target);
    const errs = [...validateMetricIdentifier(asObj(src.metric), p.child('metric')), ...validateMetricTarget(t, p.child('target'))];
    if (!has(t.value) && !has(t.averageValue)) errs.push(field.required(p.child('target', 'averageValue'), 'must set either a target value for metric or a per-pod target'));
    if (has(t.value) && has(t.averageValue)) errs.push(field.forbidden(p.child('target', 'value'), 'may not set both a target value for metric and a per-pod target'));
    return errs;
  },
  pods(src, p) {
    const t = asObj(src.target);
    const errs = [...validateMetricIdentifier(asObj(src.metric), p.child('metric')), ...validateMetricTarget(t, p.child('target'))];
    if (!has(t.averageValue)) errs.push(field.required(p.child('target', 'averageValue'), 'must specify a positive target averageValue'));
    return errs;
  },
  resource: (src, p) => resourceSource(src, p),
  containerResource(src, p) {
    const errs = resourceSource(src, p);
    const container = typeof src.container === 'string' ? src.container : '';
    if (container.length === 0) errs.push(field.required(p.child('container'), 'must specify a container'));
    else for (const m of isDNS1123Label(container)) errs.push(field.invalid(p.child('container'), container, m));
    return errs;
  },
};

function resourceSource(src: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof src.name !== 'string' || src.name.length === 0) errs.push(field.required(p.child('name'), 'must specify a resource name'));
  const t = asObj(src.target);
  errs.push(...validateMetricTarget(t, p.child('target')));
  if (!has(t.averageUtilization) && !has(t.averageValue)) errs.push(field.required(p.child('target', 'averageUtilization'), 'must set either a target raw value or a target utilization'));
  if (has(t.averageUtilization) && has(t.averageValue)) errs.push(field.forbidden(p.child('target', 'averageValue'), 'may not set both a target raw value and a target utilization'));
  return errs;
}

const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
// The metric source field each type names (Go: the switch in validateMetricSpec).
const SOURCE_FIELD: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };

// Upstream: validation.go (validateMetricSpec)
function validateMetricSpec(spec: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const type = typeof spec.type === 'string' ? spec.type : '';
  if (type.length === 0) errs.push(field.required(p.child('type'), 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(field.notSupported(p.child('type'), type, METRIC_SOURCE_TYPES));
  // Only the first source present (in Go's order) is validated.
  const present: string[] = [];
  for (const f of ['object', 'external', 'pods', 'resource', 'containerResource']) {
    if (!has(spec[f])) continue;
    present.push(f);
    if (present.length === 1) errs.push(...validateSource[f](asObj(spec[f]), p.child(f)));
  }
  const expected = SOURCE_FIELD[type];
  if (expected && !present.includes(expected)) errs.push(field.required(p.child(expected), 'must populate information for the given metric source'));
  if (present.length !== 1) {
    // Go ranges over a set here; sorted, so runs repeat.
    for (const f of present.filter((x) => x !== expected).sort()) errs.push(field.forbidden(p.child(f), 'must populate the given metric source only'));
  }
  return errs;
}

// Upstream: validation.go (validateMetrics)
function validateMetrics(metrics: Obj[], p: Path, minReplicas: unknown): FieldError[] {
  const errs: FieldError[] = [];
  let objectOrExternal = false;
  metrics.forEach((m, i) => {
    errs.push(...validateMetricSpec(m, p.index(i)));
    if (m.type === 'Object' || m.type === 'External') objectOrExternal = true;
  });
  if (minReplicas === 0 && !objectOrExternal) errs.push(field.forbidden(p, 'must specify at least one Object or External metric to support scaling to zero replicas'));
  return errs;
}

const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

// Upstream: validation.go (validateScalingPolicy)
function validateScalingPolicy(policy: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (!POLICY_TYPES.includes(String(policy.type))) errs.push(field.notSupported(p.child('type'), policy.type ?? '', POLICY_TYPES));
  const value = typeof policy.value === 'number' ? policy.value : 0;
  if (value <= 0) errs.push(field.invalid(p.child('value'), value, 'must be greater than zero'));
  const period = typeof policy.periodSeconds === 'number' ? policy.periodSeconds : 0;
  if (period <= 0) errs.push(field.invalid(p.child('periodSeconds'), period, 'must be greater than zero'));
  if (period > MaxPeriodSeconds) errs.push(field.invalid(p.child('periodSeconds'), period, `must be less than or equal to ${MaxPeriodSeconds}`));
  return errs;
}

// Upstream: validation.go (validateScalingRules)
function validateScalingRules(rules: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (typeof w === 'number' && w < 0) errs.push(field.invalid(p.child('stabilizationWindowSeconds'), w, 'must be greater than or equal to zero'));
  if (typeof w === 'number' && w > MaxStabilizationWindowSeconds) errs.push(field.invalid(p.child('stabilizationWindowSeconds'), w, `must be less than or equal to ${MaxStabilizationWindowSeconds}`));
  if (has(rules.selectPolicy) && !SELECT_POLICIES.includes(String(rules.selectPolicy))) errs.push(field.notSupported(p.child('selectPolicy'), rules.selectPolicy, SELECT_POLICIES));
  const policies = asList(rules.policies);
  if (policies.length === 0) errs.push(field.required(p.child('policies'), 'must specify at least one Policy'));
  policies.forEach((pol, i) => errs.push(...validateScalingPolicy(pol, p.child('policies').index(i))));
  return errs;
}

// Upstream: validation.go (validateBehavior)
function validateBehavior(behavior: unknown, p: Path): FieldError[] {
  if (!has(behavior)) return [];
  const b = asObj(behavior);
  return (['scaleUp', 'scaleDown'] as const).flatMap((k) => (has(b[k]) ? validateScalingRules(asObj(b[k]), p.child(k)) : []));
}

/** The spec's errors; `minReplicasLowerBound` is 1 (0 only with the HPAScaleToZero gate, off in v1.34). */
// Upstream: validation.go (validateHorizontalPodAutoscalerSpec)
export function validateHorizontalPodAutoscalerSpec(spec: Obj, p: Path, minReplicasLowerBound = 1): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec.minReplicas;
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
  if (typeof min === 'number' && min < minReplicasLowerBound) errs.push(field.invalid(p.child('minReplicas'), min, `must be greater than or equal to ${minReplicasLowerBound}`));
  if (max < 1) errs.push(field.invalid(p.child('maxReplicas'), max, 'must be greater than 0'));
  if (typeof min === 'number' && max < min) errs.push(field.invalid(p.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(asObj(spec.scaleTargetRef), p.child('scaleTargetRef')));
  errs.push(...validateMetrics(asList(spec.metrics), p.child('metrics'), min));
  errs.push(...validateBehavior(spec.behavior, p.child('behavior')));
  return errs;
}

// An update keeps 0 allowed once stored (Go: validationOptionsForHorizontalPodAutoscaler, oldHasZeroMinReplicas).
const lowerBound = (old?: KubeObject): number => (old && specOf(old).minReplicas === 0 ? 0 : 1);

/** Fills unset rule fields from `defaults` (Go: copyHPAScalingRules onto a deep copy of the defaults). */
function generateRules(from: unknown, defaults: Obj): Obj {
  const to = deepCopy(defaults);
  if (!has(from)) return to;
  const f = asObj(from);
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) if (has(f[k])) to[k] = f[k];
  return to;
}

// Upstream: pkg/apis/autoscaling/v2/defaults.go (defaultHPAScaleUpRules, defaultHPAScaleDownRules): the scale-down
// window stays unset, so the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
const defaultScaleUp: Obj = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
const defaultScaleDown: Obj = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** Upstream: v2/defaults.go (SetDefaults_HorizontalPodAutoscaler, SetDefaults_HorizontalPodAutoscalerBehavior) */
export function setDefaultsHorizontalPodAutoscaler(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  if (!has(spec.minReplicas)) spec.minReplicas = 1;
  if (asList(spec.metrics).length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DefaultCPUUtilization } } }];
  }
  if (has(spec.behavior)) {
    const b = asObj(spec.behavior);
    b.scaleUp = generateRules(b.scaleUp, defaultScaleUp);
    b.scaleDown = generateRules(b.scaleDown, defaultScaleDown);
    spec.behavior = b;
  }
  obj.spec = spec;
}

// The v2 status as Go serializes an empty one (desiredReplicas and currentMetrics have no omitempty).
const emptyStatus = (): Obj => ({ desiredReplicas: 0, currentMetrics: null });

/** The rules' `tolerance` needs the HPAConfigurableTolerance gate (alpha, off): dropped unless already in use. */
// Upstream: strategy.go (dropDisabledFields, toleranceInUse)
function dropDisabledFields(obj: KubeObject, old?: KubeObject): void {
  const rules = (o?: KubeObject) => (['scaleUp', 'scaleDown'] as const).map((k) => asObj(asObj(specOf(o ?? ({} as KubeObject)).behavior)[k]));
  if (old && rules(old).some((r) => has(r.tolerance))) return;
  for (const r of rules(obj)) delete r.tolerance;
}

// Upstream: strategy.go (autoscalerStrategy): status cleared on create, kept on update; no generation.
const hpaStrategy = strategy({
  validate: (obj) => validateHorizontalPodAutoscalerSpec(specOf(obj), field.newPath('spec'), lowerBound()),
  validateUpdate: (obj, old) => validateHorizontalPodAutoscalerSpec(specOf(obj), field.newPath('spec'), lowerBound(old)),
  prepareForCreate(obj) {
    obj.status = emptyStatus();
    dropDisabledFields(obj);
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    dropDisabledFields(obj, old);
  },
});

// Upstream: validation.go (ValidateHorizontalPodAutoscalerStatusUpdate)
function validateStatusUpdate(obj: KubeObject): FieldError[] {
  const s = asObj(obj.status);
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return [
    ...validateNonnegativeField(num(s.currentReplicas), field.newPath('status', 'currentReplicas')),
    ...validateNonnegativeField(num(s.desiredReplicas), field.newPath('status', 'desiredReplicas')),
  ];
}

export const horizontalPodAutoscalerDef: ResourceDef = {
  group: 'autoscaling',
  version: 'v2',
  resource: 'horizontalpodautoscalers',
  kind: 'HorizontalPodAutoscaler',
  // Upstream: pkg/registry/autoscaling/horizontalpodautoscaler/storage/storage.go (ShortNames, Categories)
  singularName: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  verbs: [...ALL_VERBS],
  storagePrefix: 'horizontalpodautoscalers',
  typeName: '*autoscaling.HorizontalPodAutoscaler',
  strategy: hpaStrategy,
  statusStrategy: statusStrategy(hpaStrategy, { validateUpdate: validateStatusUpdate }),
  watchCache: true,
  defaults: setDefaultsHorizontalPodAutoscaler,
};
