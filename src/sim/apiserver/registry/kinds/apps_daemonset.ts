/**
 * apps/v1 DaemonSet: strategy (generation on spec change, status reset), validation with
 * upstream's field paths and wording, defaulting.
 * Upstream (kubernetes, stored copies, not pinned to v1.34.0): pkg/registry/apps/daemonset/strategy.go
 * (daemonSetStrategy, daemonSetStatusStrategy), pkg/apis/apps/validation/validation.go
 * (ValidateDaemonSet, ValidateDaemonSetSpec, ValidateDaemonSetUpdateStrategy,
 * ValidateRollingUpdateDaemonSet, ValidateDaemonSetUpdate), pkg/apis/apps/v1/defaults.go
 * (SetDefaults_DaemonSet); k8s.io/api v0.34.0 apps/v1/types.go for the field names.
 */
import type { KubeObject } from '../../../core/object';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { isValidPercent, validateImmutableField, validateNonnegativeField } from '../../../apimachinery/validation';
import type { ResourceDef } from '../resource';
import { asList, asObj, bumpGenerationIf, defaultPodSpec, jsonEqual, selectorMatches, specOf, statusStrategy, strategy, validateLabelSelector, validatePodSpec, type Obj } from './common';

const nonNegative = (p: Path, v: unknown): FieldError[] => (typeof v === 'number' ? validateNonnegativeField(v, p) : []);

/** An IntOrString that must be a non-negative int or a percent (Go: `ValidatePositiveIntOrPercent`). */
// Upstream: apps/validation (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent)
export function validatePositiveIntOrPercent(v: unknown, p: Path): FieldError[] {
  if (typeof v === 'string') {
    const errs = isValidPercent(v).map((m) => field.invalid(p, v, m));
    if (errs.length === 0 && Number.parseInt(v, 10) > 100) errs.push(field.invalid(p, v, 'must not be greater than 100%'));
    return errs;
  }
  return nonNegative(p, v);
}

/** The number an IntOrString holds, a percent as its number, anything else 0 (Go: `getIntOrPercentValue`). */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isValidPercent(v).length === 0) return Number.parseInt(v, 10);
  return 0;
}

// Upstream: apps/validation (ValidateRollingUpdateDaemonSet): exactly one of the two is non-zero
function validateRollingUpdateDaemonSet(ru: Obj, p: Path): FieldError[] {
  const errs = validatePositiveIntOrPercent(ru.maxUnavailable, p.child('maxUnavailable'));
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, p.child('maxSurge')));
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(field.invalid(p.child('maxSurge'), ru.maxSurge as number | string, 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(field.required(p.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return errs;
}

const UPDATE_STRATEGIES = ['RollingUpdate', 'OnDelete'];

// Upstream: apps/validation (ValidateDaemonSetUpdateStrategy): an unknown type is reported on the whole strategy
function validateDaemonSetUpdateStrategy(s: Obj, p: Path): FieldError[] {
  if (s.type === 'OnDelete') return [];
  if (s.type !== 'RollingUpdate') return [field.notSupported(p, s as never, UPDATE_STRATEGIES)];
  if (s.rollingUpdate === undefined || s.rollingUpdate === null) return [field.required(p.child('rollingUpdate'), '')];
  return validateRollingUpdateDaemonSet(asObj(s.rollingUpdate), p.child('rollingUpdate'));
}

// Upstream: apps/validation (ValidateDaemonSetSpec)
export function validateDaemonSetSpec(spec: Obj, sp: Path): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec.selector === undefined || spec.selector === null ? undefined : asObj(spec.selector);
  if (!selector) errs.push(field.required(sp.child('selector'), ''));
  else {
    errs.push(...validateLabelSelector(selector, sp.child('selector')));
    if (Object.keys(asObj(selector.matchLabels)).length === 0 && asList(selector.matchExpressions).length === 0) {
      errs.push(field.invalid(sp.child('selector'), selector, 'empty selector is invalid for daemonset'));
    }
  }
  const tp = sp.child('template');
  const template = asObj(spec.template);
  const labels = asObj(asObj(template.metadata).labels) as Record<string, string>;
  if (selector && !selectorMatches(selector, labels)) errs.push(field.invalid(tp.child('metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  const podSpec = asObj(template.spec);
  errs.push(...validatePodSpec(podSpec, tp.child('spec')));
  if (podSpec.restartPolicy !== 'Always') errs.push(field.notSupported(tp.child('spec', 'restartPolicy'), podSpec.restartPolicy ?? '', ['Always']));
  if (typeof podSpec.activeDeadlineSeconds === 'number') {
    errs.push(field.forbidden(tp.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...nonNegative(sp.child('minReadySeconds'), spec.minReadySeconds));
  errs.push(...nonNegative(sp.child('templateGeneration'), spec.templateGeneration));
  errs.push(...validateDaemonSetUpdateStrategy(asObj(spec.updateStrategy), sp.child('updateStrategy')));
  errs.push(...nonNegative(sp.child('revisionHistoryLimit'), spec.revisionHistoryLimit));
  return errs;
}

const validateDaemonSet = (obj: KubeObject) => validateDaemonSetSpec(specOf(obj), field.newPath('spec'));

// Upstream: apps/validation (ValidateDaemonSetUpdate, ValidateDaemonSetSpecUpdate: the selector is immutable)
function validateDaemonSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [...validateDaemonSet(obj), ...validateImmutableField(specOf(obj).selector, specOf(old).selector, field.newPath('spec', 'selector'))];
}

// Upstream: pkg/apis/apps/v1/defaults.go (SetDefaults_DaemonSet)
export function defaultDaemonSet(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  const us = asObj(spec.updateStrategy);
  if (us.type === undefined || us.type === '') us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = asObj(us.rollingUpdate);
    if (ru.maxUnavailable === undefined) ru.maxUnavailable = 1;
    if (ru.maxSurge === undefined) ru.maxSurge = 0;
    us.rollingUpdate = ru;
  }
  spec.updateStrategy = us;
  if (spec.revisionHistoryLimit === undefined) spec.revisionHistoryLimit = 10;
  if (spec.template !== undefined) {
    const template = asObj(spec.template);
    const podSpec = asObj(template.spec);
    defaultPodSpec(podSpec);
    template.spec = podSpec;
    spec.template = template;
  }
  obj.spec = spec;
}

/**
 * apps/v1 has no spec.templateGeneration: the internal field travels as the annotation
 * `deprecated.daemonset.template.generation`, which the DaemonSet controller copies to its pods as
 * the `pod-template-generation` label.
 */
// Upstream: pkg/apis/apps/v1/conversion.go (Convert_apps_DaemonSet_To_v1_DaemonSet, Convert_v1_DaemonSet_To_apps_DaemonSet)
const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';
const templateGeneration = (obj: { metadata: { annotations?: Record<string, string> } }): number => {
  const n = Number.parseInt(obj.metadata.annotations?.[TEMPLATE_GENERATION] ?? '', 10);
  return Number.isFinite(n) ? n : 0;
};
const setTemplateGeneration = (obj: { metadata: { annotations?: Record<string, string> } }, n: number): void => {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(n) };
};

// Upstream: pkg/registry/apps/daemonset/strategy.go (daemonSetStrategy: PrepareForCreate, PrepareForUpdate)
const daemonSetStrategy = strategy({
  defaultGarbageCollectionPolicy: 'DeleteDependents',
  validate: validateDaemonSet,
  prepareForCreate(obj) {
    obj.status = {};
    obj.metadata.generation = 1;
    setTemplateGeneration(obj, Math.max(1, templateGeneration(obj)));
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    // The template generation is the server's: a client's value is ignored, a template change adds one.
    const templateChanged = !jsonEqual(asObj(obj.spec).template, asObj(old.spec).template);
    setTemplateGeneration(obj, templateGeneration(old) + (templateChanged ? 1 : 0));
    // Any spec change (the template above all) is a new generation: status.observedGeneration
    // tells whether the controller has acted on it.
    bumpGenerationIf(obj, old, !jsonEqual(obj.spec, old.spec));
  },
  validateUpdate: validateDaemonSetUpdate,
});

export const daemonSetDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  resource: 'daemonsets',
  kind: 'DaemonSet',
  // Names as discovery reports them (pkg/registry/apps/daemonset/storage: ShortNames ds, Categories all).
  singularName: 'daemonset',
  shortNames: ['ds'],
  categories: ['all'],
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  storagePrefix: 'daemonsets',
  typeName: '*apps.DaemonSet',
  strategy: daemonSetStrategy,
  statusStrategy: statusStrategy(daemonSetStrategy),
  watchCache: true,
  defaults: defaultDaemonSet,
};
