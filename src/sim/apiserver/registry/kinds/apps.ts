/**
 * apps/v1 Deployment and ReplicaSet, discovery.k8s.io/v1 EndpointSlice and coordination.k8s.io/v1
 * Lease: strategies (generation: Deployments count spec and annotation changes, ReplicaSets and
 * EndpointSlices their content), validation with upstream field paths and wording, defaulting.
 * Upstream: kubernetes pkg/registry/apps/{deployment,replicaset}/strategy.go,
 * pkg/apis/apps/validation/validation.go (ValidateDeployment, ValidateDeploymentSpec,
 * ValidateReplicaSet), pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment, SetDefaults_ReplicaSet),
 * pkg/registry/discovery/endpointslice/strategy.go, pkg/apis/discovery/validation,
 * pkg/registry/coordination/lease/strategy.go, pkg/apis/coordination/validation
 */
import type { KubeObject } from '../../../core/object';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { isValidPercent, validateNonnegativeField } from '../../../apimachinery/validation';
import { kindNames, type ResourceDef } from '../resource';
import * as schema from '../schema';
import {
  asList,
  asObj,
  bumpGenerationIf,
  defaultPodSpec,
  jsonEqual,
  selectorMatches,
  specOf,
  statusStrategy,
  strategy,
  validateLabelSelector,
  validatePodSpec,
  type Obj,
} from './common';

// Upstream: apimachinery api/validation (ValidateNonnegativeField), over a decoded JSON value
const nonNegative = (p: Path, v: unknown): FieldError[] => (typeof v === 'number' ? validateNonnegativeField(v, p) : []);

/** A workload's selector and template (Go: the shared part of ValidateDeploymentSpec / ValidateReplicaSetSpec). */
function validateSelectorAndTemplate(spec: Obj, sp: Path, what: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...nonNegative(sp.child('replicas'), spec.replicas));
  const selector = spec.selector === undefined || spec.selector === null ? undefined : asObj(spec.selector);
  if (!selector) errs.push(field.required(sp.child('selector'), ''));
  else {
    errs.push(...validateLabelSelector(selector, sp.child('selector')));
    if (Object.keys(asObj(selector.matchLabels)).length === 0 && asList(selector.matchExpressions).length === 0) {
      errs.push(field.invalid(sp.child('selector'), selector, `empty selector is invalid for ${what}`));
    }
  }
  const template = spec.template === undefined ? undefined : asObj(spec.template);
  const tp = sp.child('template');
  if (!template) errs.push(field.required(tp, ''));
  else {
    const labels = asObj(asObj(template.metadata).labels) as Record<string, string>;
    if (selector && (Object.keys(asObj(selector.matchLabels)).length > 0 || asList(selector.matchExpressions).length > 0) && !selectorMatches(selector, labels)) {
      errs.push(field.invalid(tp.child('metadata', 'labels'), labels, '`selector` does not match template `labels`'));
    }
    const podSpec = asObj(template.spec);
    errs.push(...validatePodSpec(podSpec, tp.child('spec')));
    if (podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== 'Always') errs.push(field.notSupported(tp.child('spec', 'restartPolicy'), podSpec.restartPolicy, ['Always']));
    if (typeof podSpec.activeDeadlineSeconds === 'number') errs.push(field.invalid(tp.child('spec', 'activeDeadlineSeconds'), podSpec.activeDeadlineSeconds, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  errs.push(...nonNegative(sp.child('minReadySeconds'), spec.minReadySeconds));
  return errs;
}

/** A non-negative int or a valid percent (Go: `ValidatePositiveIntOrPercent`). */
// Upstream: apps/validation (ValidatePositiveIntOrPercent)
function positiveIntOrPercent(v: unknown, p: Path): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => field.invalid(p, v, m));
  return typeof v === 'number' ? validateNonnegativeField(v, p) : [];
}

/** A percent as its number, an int string or int as itself, anything else 0 (Go: `getIntOrPercentValue`). */
const intOrPercentValue = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+%?$/.test(v) ? Number.parseInt(v, 10) : 0);

// Upstream: apps/validation (ValidateRollingUpdateDeployment, IsNotMoreThan100Percent): maxSurge may exceed 100 %, maxUnavailable not.
function validateRollingUpdateDeployment(ru: Obj, p: Path): FieldError[] {
  const errs = positiveIntOrPercent(ru.maxUnavailable, p.child('maxUnavailable'));
  errs.push(...positiveIntOrPercent(ru.maxSurge, p.child('maxSurge')));
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(field.invalid(p.child('maxUnavailable'), ru.maxUnavailable as string | number, 'may not be 0 when `maxSurge` is 0'));
  }
  if (typeof ru.maxUnavailable === 'string' && isValidPercent(ru.maxUnavailable).length === 0 && Number.parseInt(ru.maxUnavailable, 10) > 100) {
    errs.push(field.invalid(p.child('maxUnavailable'), ru.maxUnavailable, 'must not be greater than 100%'));
  }
  return errs;
}

// Upstream: apps/validation (ValidateDeploymentSpec, ValidateDeploymentStrategy, ValidateRollingUpdateDeployment)
function validateDeployment(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const sp = field.newPath('spec');
  const errs = validateSelectorAndTemplate(spec, sp, 'deployment');
  const strat = asObj(spec.strategy);
  const type = strat.type ?? 'RollingUpdate';
  if (type !== 'Recreate' && type !== 'RollingUpdate') errs.push(field.notSupported(sp.child('strategy', 'type'), type, ['Recreate', 'RollingUpdate']));
  if (type === 'Recreate' && strat.rollingUpdate !== undefined) errs.push(field.invalid(sp.child('strategy', 'rollingUpdate'), strat.rollingUpdate, 'may not be specified when strategy `type` is \'Recreate\''));
  if (type === 'RollingUpdate' && strat.rollingUpdate !== undefined) errs.push(...validateRollingUpdateDeployment(asObj(strat.rollingUpdate), sp.child('strategy', 'rollingUpdate')));
  errs.push(...nonNegative(sp.child('revisionHistoryLimit'), spec.revisionHistoryLimit));
  if (typeof spec.progressDeadlineSeconds === 'number' && typeof spec.minReadySeconds === 'number' && spec.progressDeadlineSeconds <= spec.minReadySeconds) {
    errs.push(field.invalid(sp.child('progressDeadlineSeconds'), spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

function selectorImmutable(obj: KubeObject, old: KubeObject): FieldError[] {
  const s = specOf(obj).selector;
  const o = specOf(old).selector;
  return jsonEqual(s, o) ? [] : [field.invalid(field.newPath('spec', 'selector'), s ?? null, 'field is immutable')];
}

// Upstream: pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment)
function defaultDeployment(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  if (spec.replicas === undefined) spec.replicas = 1;
  const strat = asObj(spec.strategy);
  if (strat.type === undefined) strat.type = 'RollingUpdate';
  if (strat.type === 'RollingUpdate') {
    const ru = asObj(strat.rollingUpdate);
    if (ru.maxUnavailable === undefined) ru.maxUnavailable = '25%';
    if (ru.maxSurge === undefined) ru.maxSurge = '25%';
    strat.rollingUpdate = ru;
  }
  spec.strategy = strat;
  if (spec.revisionHistoryLimit === undefined) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined) spec.progressDeadlineSeconds = 600;
  defaultTemplate(spec);
  obj.spec = spec;
}

function defaultTemplate(spec: Obj): void {
  if (spec.template === undefined) return;
  const template = asObj(spec.template);
  const podSpec = asObj(template.spec);
  defaultPodSpec(podSpec);
  template.spec = podSpec;
  spec.template = template;
}

// Upstream: pkg/registry/apps/deployment/strategy.go (deploymentStrategy)
const deploymentStrategy = strategy({
  defaultGarbageCollectionPolicy: 'DeleteDependents',
  validate: validateDeployment,
  prepareForCreate(obj) {
    obj.status = {};
    obj.metadata.generation = 1;
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    // Spec updates bump the generation so that we can distinguish between resource updates and
    // status updates; annotations too (they carry the rollback request).
    bumpGenerationIf(obj, old, !jsonEqual(obj.spec, old.spec) || !jsonEqual(obj.metadata.annotations, old.metadata.annotations));
  },
  validateUpdate: (obj, old) => [...validateDeployment(obj), ...selectorImmutable(obj, old)],
});

export const deploymentDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  ...kindNames('apps', 'Deployment'),
  storagePrefix: 'deployments',
  typeName: '*apps.Deployment',
  strategy: deploymentStrategy,
  // Upstream: deployment/strategy.go (deploymentStatusStrategy.PrepareForUpdate keeps spec and labels only):
  // the controller writes the revision annotations with UpdateStatus.
  statusStrategy: statusStrategy(deploymentStrategy, { writableMetadata: ['annotations'] }),
  watchCache: true,
  defaults: defaultDeployment,
  schema: schema.Deployment,
};

// Upstream: pkg/registry/apps/replicaset/strategy.go (rsStrategy)
const replicaSetStrategy = strategy({
  defaultGarbageCollectionPolicy: 'DeleteDependents',
  validate: (obj) => validateSelectorAndTemplate(specOf(obj), field.newPath('spec'), 'deployment'),
  prepareForCreate(obj) {
    obj.status = {};
    obj.metadata.generation = 1;
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    bumpGenerationIf(obj, old, !jsonEqual(obj.spec, old.spec));
  },
  validateUpdate: (obj, old) => [...validateSelectorAndTemplate(specOf(obj), field.newPath('spec'), 'deployment'), ...selectorImmutable(obj, old)],
});

export const replicaSetDef: ResourceDef = {
  ...deploymentDef,
  resource: 'replicasets',
  kind: 'ReplicaSet',
  ...kindNames('apps', 'ReplicaSet'),
  storagePrefix: 'replicasets',
  typeName: '*apps.ReplicaSet',
  strategy: replicaSetStrategy,
  statusStrategy: statusStrategy(replicaSetStrategy),
  defaults(obj) {
    const spec = asObj(obj.spec);
    if (spec.replicas === undefined) spec.replicas = 1;
    defaultTemplate(spec);
    obj.spec = spec;
  },
  schema: schema.ReplicaSet,
};

// ---- EndpointSlice -------------------------------------------------------------------------------

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

// Upstream: pkg/apis/discovery/validation (ValidateEndpointSlice)
function validateEndpointSlice(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!obj.addressType) errs.push(field.required(field.newPath('addressType'), ''));
  else if (!ADDRESS_TYPES.includes(String(obj.addressType))) errs.push(field.notSupported(field.newPath('addressType'), obj.addressType, ADDRESS_TYPES));
  const endpoints = asList(obj.endpoints);
  if (endpoints.length > 1000) errs.push(field.invalid(field.newPath('endpoints'), endpoints.length, 'must have at most 1000 items'));
  endpoints.forEach((ep, i) => {
    const p = field.newPath('endpoints').index(i);
    const addresses = asList(ep.addresses);
    if (addresses.length === 0) errs.push(field.required(p.child('addresses'), 'must contain at least 1 address'));
    if (addresses.length > 100) errs.push(field.invalid(p.child('addresses'), addresses.length, 'must have at most 100 items'));
  });
  return errs;
}

// Upstream: pkg/registry/discovery/endpointslice/strategy.go (endpointSliceStrategy)
const endpointSliceStrategy = strategy({
  validate: validateEndpointSlice,
  prepareForCreate(obj) {
    obj.metadata.generation = 1;
  },
  prepareForUpdate(obj, old) {
    const { metadata: _a, ...rest } = obj;
    const { metadata: _b, ...oldRest } = old;
    bumpGenerationIf(obj, old, !jsonEqual(rest, oldRest));
  },
  validateUpdate: (obj, old) => {
    const errs = validateEndpointSlice(obj);
    if (obj.addressType !== old.addressType) errs.push(field.invalid(field.newPath('addressType'), obj.addressType ?? '', 'field is immutable'));
    return errs;
  },
});

export const endpointSliceDef: ResourceDef = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  kind: 'EndpointSlice',
  ...kindNames('discovery.k8s.io', 'EndpointSlice'),
  storagePrefix: 'endpointslices',
  typeName: '*discovery.EndpointSlice',
  strategy: endpointSliceStrategy,
  watchCache: true,
  defaults(obj) {
    for (const p of asList(obj.ports)) if (p.protocol === undefined) p.protocol = 'TCP';
  },
  schema: schema.EndpointSlice,
};

// ---- Lease -------------------------------------------------------------------------------------

// Upstream: pkg/apis/coordination/validation (ValidateLeaseSpec)
function validateLease(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) errs.push(field.invalid(field.newPath('spec', 'leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) errs.push(field.invalid(field.newPath('spec', 'leaseTransitions'), spec.leaseTransitions, 'must be greater than or equal to 0'));
  return errs;
}

export const leaseDef: ResourceDef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  ...kindNames('coordination.k8s.io', 'Lease'),
  storagePrefix: 'leases',
  typeName: '*coordination.Lease',
  strategy: strategy({ validate: validateLease }),
  watchCache: true,
  schema: schema.Lease,
};
