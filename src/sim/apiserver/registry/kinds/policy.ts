/**
 * policy/v1 PodDisruptionBudget: strategy (status cleared on create, generation bumped on spec
 * change), validation of the spec with upstream's paths and wording.
 * Upstream: kubernetes pkg/registry/policy/poddisruptionbudget/strategy.go,
 * pkg/apis/policy/validation/validation.go (ValidatePodDisruptionBudget, ValidatePodDisruptionBudgetSpec),
 * pkg/apis/apps/validation/validation.go (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent)
 */
import type { KubeObject } from '../../../core/object';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { goStruct } from '../../../apimachinery/go';
import { isValidPercent, validateNonnegativeField } from '../../../apimachinery/validation';
import { kindNames, type ResourceDef } from '../resource';
import * as schema from '../schema';
import { asObj, bumpGenerationIf, jsonEqual, specOf, statusStrategy, strategy, validateLabelSelector, type Obj } from './common';

// Upstream: apps/validation (ValidatePositiveIntOrPercent)
function validatePositiveIntOrPercent(v: unknown, p: Path): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => field.invalid(p, v, m));
  if (typeof v === 'number') return validateNonnegativeField(v, p);
  return [field.invalid(p, v, "must be an integer or percentage (e.g '5%')")];
}

// Upstream: apps/validation (IsNotMoreThan100Percent)
function isNotMoreThan100Percent(v: unknown, p: Path): FieldError[] {
  if (typeof v !== 'string' || isValidPercent(v).length > 0) return [];
  return Number(v.slice(0, -1)) > 100 ? [field.invalid(p, v, 'must not be greater than 100%')] : [];
}

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** The internal PodDisruptionBudgetSpec as Go's JSON prints it in an error (no json tags: Go field names, declaration order). */
function internalSpecJSON(spec: Obj): Obj {
  const orNull = (v: unknown) => (v === undefined ? null : v);
  let selector: Obj | null = null;
  if (spec.selector !== undefined && spec.selector !== null) {
    const sel = asObj(spec.selector);
    selector = goStruct({});
    if (sel.matchLabels !== undefined && Object.keys(asObj(sel.matchLabels)).length > 0) selector.matchLabels = sel.matchLabels;
    if (Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0) selector.matchExpressions = sel.matchExpressions.map((e) => goStruct({ key: asObj(e).key, operator: asObj(e).operator, ...(asObj(e).values ? { values: asObj(e).values } : {}) }));
  }
  return goStruct({ MinAvailable: orNull(spec.minAvailable), Selector: selector, MaxUnavailable: orNull(spec.maxUnavailable), UnhealthyPodEvictionPolicy: orNull(spec.unhealthyPodEvictionPolicy) });
}

// Upstream: policy/validation (ValidatePodDisruptionBudgetSpec)
export function validatePodDisruptionBudgetSpec(spec: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const has = (v: unknown) => v !== undefined && v !== null;
  if (has(spec.minAvailable) && has(spec.maxUnavailable)) errs.push(field.invalid(p, internalSpecJSON(spec), 'minAvailable and maxUnavailable cannot be both set'));
  for (const k of ['minAvailable', 'maxUnavailable']) {
    if (!has(spec[k])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[k], p.child(k)));
    errs.push(...isNotMoreThan100Percent(spec[k], p.child(k)));
  }
  if (has(spec.selector)) errs.push(...validateLabelSelector(asObj(spec.selector), p.child('selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (has(policy) && !UNHEALTHY_POD_EVICTION_POLICIES.includes(String(policy))) errs.push(field.notSupported(p.child('unhealthyPodEvictionPolicy'), policy, UNHEALTHY_POD_EVICTION_POLICIES));
  return errs;
}

const validatePDB = (obj: KubeObject) => validatePodDisruptionBudgetSpec(specOf(obj), field.newPath('spec'));

// Upstream: pkg/registry/policy/poddisruptionbudget/strategy.go (podDisruptionBudgetStrategy)
const pdbStrategy = strategy({
  validate: validatePDB,
  prepareForCreate(obj) {
    // The v1 status's counters have no omitempty: a cleared status reads back as zeros.
    obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    obj.metadata.generation = 1;
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    bumpGenerationIf(obj, old, !jsonEqual(obj.spec, old.spec));
  },
});

// Upstream: policy/validation (ValidatePodDisruptionBudgetStatusUpdate)
function validatePDBStatus(obj: KubeObject): FieldError[] {
  const status = asObj(obj.status);
  const p = field.newPath('status');
  return ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap((k) => (typeof status[k] === 'number' ? validateNonnegativeField(status[k] as number, p.child(k)) : []));
}

export const podDisruptionBudgetDef: ResourceDef = {
  group: 'policy',
  version: 'v1',
  resource: 'poddisruptionbudgets',
  kind: 'PodDisruptionBudget',
  ...kindNames('policy', 'PodDisruptionBudget'),
  storagePrefix: 'poddisruptionbudgets',
  typeName: '*policy.PodDisruptionBudget',
  strategy: pdbStrategy,
  statusStrategy: statusStrategy(pdbStrategy, { validateUpdate: validatePDBStatus }),
  watchCache: true,
  schema: schema.PodDisruptionBudget,
};
