/**
 * apps/v1 StatefulSet and ControllerRevision: strategies (a StatefulSet's generation counts spec
 * changes; status is reset on create and kept on update; a ControllerRevision's data is
 * immutable), validation with upstream's field paths and wording, defaulting, the scale
 * subresource.
 * Upstream: kubernetes pkg/registry/apps/statefulset/strategy.go (statefulSetStrategy,
 * statefulSetStatusStrategy), pkg/registry/apps/controllerrevision/strategy.go,
 * pkg/apis/apps/validation/validation.go (ValidateStatefulSet, ValidateStatefulSetSpec,
 * ValidateStatefulSetUpdate, ValidateStatefulSetStatus, ValidateControllerRevision,
 * ValidateControllerRevisionUpdate), pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet),
 * pkg/apis/core/v1/defaults.go (SetDefaults_PersistentVolumeClaim for volumeClaimTemplates)
 */
import type { KubeObject } from '../../../core/object';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { labelSelectorAsSelector } from '../../../apimachinery/labels';
import { isValidPercent, nameIsDNSLabel, nameIsDNSSubdomain, validateNonnegativeField, type LabelSelector } from '../../../apimachinery/validation';
import { ALL_VERBS, type ResourceDef } from '../resource';
import * as schema from '../schema';
import type { FieldType, TypeSchema } from '../schema';
import { asList, asObj, bumpGenerationIf, defaultPodSpec, jsonEqual, selectorMatches, specOf, statusStrategy, strategy, validateLabelSelector, type Obj } from './common';

// Upstream: apimachinery api/validation (ValidateNonnegativeField), over a decoded JSON value
const nonNegative = (p: Path, v: unknown): FieldError[] => (typeof v === 'number' ? validateNonnegativeField(v, p) : []);
const has = (v: unknown) => v !== undefined && v !== null;

const POD_MANAGEMENT_POLICIES = ['OrderedReady', 'Parallel'];
const RETENTION_POLICIES = ['Retain', 'Delete'];

// Upstream: apps/validation (validateRollingUpdateStatefulSet)
function validateRollingUpdate(ru: Obj, p: Path): FieldError[] {
  const errs = nonNegative(p.child('partition'), ru.partition);
  const mu = ru.maxUnavailable;
  if (typeof mu === 'string') {
    errs.push(...isValidPercent(mu).map((m) => field.invalid(p.child('maxUnavailable'), mu, m)));
    if (isValidPercent(mu).length === 0 && Number(mu.slice(0, -1)) === 0) errs.push(field.invalid(p.child('maxUnavailable'), mu, 'must be greater than 0'));
  } else if (typeof mu === 'number') {
    errs.push(...validateNonnegativeField(mu, p.child('maxUnavailable')));
    if (mu === 0) errs.push(field.invalid(p.child('maxUnavailable'), mu, 'must be greater than 0'));
  }
  return errs;
}

/** The StatefulSetSpec's errors, in upstream's order. */
// Upstream: apps/validation (ValidateStatefulSetSpec, ValidatePodTemplateSpecForStatefulSet, ValidatePersistentVolumeClaimRetentionPolicy)
export function validateStatefulSetSpec(spec: Obj, sp: Path): FieldError[] {
  const errs: FieldError[] = [];
  const policy = spec.podManagementPolicy;
  if (!policy) errs.push(field.required(sp.child('podManagementPolicy'), ''));
  else if (!POD_MANAGEMENT_POLICIES.includes(String(policy))) errs.push(field.invalid(sp.child('podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'"));

  const us = asObj(spec.updateStrategy);
  if (!us.type) errs.push(field.required(sp.child('updateStrategy'), ''));
  else if (us.type === 'OnDelete') {
    if (has(us.rollingUpdate)) errs.push(field.invalid(sp.child('updateStrategy', 'rollingUpdate'), us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (us.type === 'RollingUpdate') {
    if (has(us.rollingUpdate)) errs.push(...validateRollingUpdate(asObj(us.rollingUpdate), sp.child('updateStrategy', 'rollingUpdate')));
  } else errs.push(field.invalid(sp.child('updateStrategy'), us, "must be 'RollingUpdate' or 'OnDelete'"));

  if (has(spec.persistentVolumeClaimRetentionPolicy)) {
    const rp = asObj(spec.persistentVolumeClaimRetentionPolicy);
    const pp = sp.child('persistentVolumeClaimRetentionPolicy');
    for (const k of ['whenDeleted', 'whenScaled']) if (!RETENTION_POLICIES.includes(String(rp[k] ?? ''))) errs.push(field.notSupported(pp.child(k), rp[k] ?? '', RETENTION_POLICIES));
  }
  errs.push(...nonNegative(sp.child('replicas'), spec.replicas));
  errs.push(...nonNegative(sp.child('minReadySeconds'), spec.minReadySeconds));
  // Go builds the path with Child("ordinals.start"): one segment with a dot in it.
  if (has(spec.ordinals)) errs.push(...nonNegative(sp.child('ordinals.start'), asObj(spec.ordinals).start ?? 0));

  const selector = has(spec.selector) ? asObj(spec.selector) : undefined;
  const empty = !selector || (Object.keys(asObj(selector.matchLabels)).length === 0 && asList(selector.matchExpressions).length === 0);
  if (!selector) errs.push(field.required(sp.child('selector'), ''));
  else {
    errs.push(...validateLabelSelector(selector, sp.child('selector')));
    if (empty) errs.push(field.invalid(sp.child('selector'), selector, 'empty selector is invalid for statefulset'));
  }
  const template = asObj(spec.template);
  const labels = asObj(asObj(template.metadata).labels) as Record<string, string>;
  let converts = true;
  try {
    labelSelectorAsSelector(selector as LabelSelector | undefined);
  } catch {
    converts = false;
    errs.push(field.invalid(sp.child('selector'), selector, ''));
  }
  // A nil selector converts to labels.Nothing(), which is not Empty(): nothing matches it.
  if (converts && (!selector || !empty) && !selectorMatches(selector, labels)) {
    errs.push(field.invalid(sp.child('template', 'metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  }
  const podSpec = asObj(template.spec);
  if (podSpec.restartPolicy !== 'Always') errs.push(field.notSupported(sp.child('template', 'spec', 'restartPolicy'), podSpec.restartPolicy ?? '', ['Always']));
  if (has(podSpec.activeDeadlineSeconds)) errs.push(field.forbidden(sp.child('template', 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  return errs;
}

const validateStatefulSet = (obj: KubeObject) => validateStatefulSetSpec(specOf(obj), field.newPath('spec'));

/** The fields an update may change; any other spec change is one Forbidden error. */
const UPDATABLE = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'];

// Upstream: apps/validation (ValidateStatefulSetUpdate)
export function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateStatefulSet(obj);
  const clone: Obj = { ...specOf(obj) };
  const oldSpec = specOf(old);
  for (const k of UPDATABLE) {
    if (oldSpec[k] === undefined) delete clone[k];
    else clone[k] = oldSpec[k];
  }
  if (!jsonEqual(clone, oldSpec)) {
    errs.push(field.forbidden(field.newPath('spec'), "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return errs;
}

// Upstream: apps/validation (ValidateStatefulSetStatus, ValidateStatefulSetStatusUpdate)
function validateStatefulSetStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const s = asObj(obj.status);
  const p = field.newPath('status');
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
  const errs: FieldError[] = [];
  for (const k of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount']) errs.push(...nonNegative(p.child(k), s[k]));
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if (n(k) > n('replicas')) errs.push(field.invalid(p.child(k), n(k), 'cannot be greater than status.replicas'));
  }
  if (n('availableReplicas') > n('readyReplicas')) errs.push(field.invalid(p.child('availableReplicas'), n('availableReplicas'), 'cannot be greater than status.readyReplicas'));
  const oldCount = asObj(old.status).collisionCount;
  if (typeof oldCount === 'number' && (typeof s.collisionCount !== 'number' || s.collisionCount < oldCount)) {
    errs.push(field.invalid(p.child('collisionCount'), typeof s.collisionCount === 'number' ? s.collisionCount : 0, 'cannot be decremented'));
  }
  return errs;
}

// Upstream: pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet); core/v1 defaults (SetDefaults_PersistentVolumeClaim)
export function defaultStatefulSet(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const us = asObj(spec.updateStrategy);
  if (!us.type) {
    us.type = 'RollingUpdate';
    if (!has(us.rollingUpdate)) us.rollingUpdate = {};
  }
  if (us.type === 'RollingUpdate' && has(us.rollingUpdate)) {
    const ru = asObj(us.rollingUpdate);
    if (!has(ru.partition)) ru.partition = 0;
    us.rollingUpdate = ru;
  }
  spec.updateStrategy = us;
  const rp = asObj(spec.persistentVolumeClaimRetentionPolicy);
  if (!rp.whenDeleted) rp.whenDeleted = 'Retain';
  if (!rp.whenScaled) rp.whenScaled = 'Retain';
  spec.persistentVolumeClaimRetentionPolicy = rp;
  if (!has(spec.replicas)) spec.replicas = 1;
  if (!has(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (spec.template !== undefined) {
    const template = asObj(spec.template);
    const podSpec = asObj(template.spec);
    defaultPodSpec(podSpec);
    template.spec = podSpec;
    spec.template = template;
  }
  for (const claim of asList(spec.volumeClaimTemplates)) {
    const cs = asObj(claim.spec);
    if (cs.volumeMode === undefined) cs.volumeMode = 'Filesystem';
    claim.spec = cs;
    const st = asObj(claim.status);
    if (!st.phase) st.phase = 'Pending';
    claim.status = st;
  }
  obj.spec = spec;
}

// Upstream: pkg/registry/apps/statefulset/strategy.go (statefulSetStrategy)
const statefulSetStrategy = strategy({
  defaultGarbageCollectionPolicy: 'DeleteDependents',
  validateName: nameIsDNSLabel,
  validate: validateStatefulSet,
  prepareForCreate(obj) {
    obj.status = {};
    obj.metadata.generation = 1;
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    // Any spec change is a new generation; status-only writes are not.
    bumpGenerationIf(obj, old, !jsonEqual(obj.spec, old.spec));
  },
  validateUpdate: validateStatefulSetUpdate,
});

const S: FieldType = 'string';
const I32: FieldType = 'int32';
const I64: FieldType = 'int64';
const type = (goName: string, fields: Record<string, FieldType>): TypeSchema => ({ goName, fields });

/** The apps/v1 StatefulSet's known fields. Upstream: k8s.io/api apps/v1 types.go (StatefulSet) */
export const StatefulSetSchema = type('StatefulSet', {
  apiVersion: S,
  kind: S,
  metadata: schema.ObjectMeta,
  spec: type('StatefulSetSpec', {
    replicas: I32,
    selector: schema.LabelSelector,
    template: type('PodTemplateSpec', { metadata: schema.ObjectMeta, spec: schema.PodSpec }),
    volumeClaimTemplates: { list: schema.PersistentVolumeClaim },
    serviceName: S,
    podManagementPolicy: S,
    updateStrategy: type('StatefulSetUpdateStrategy', { type: S, rollingUpdate: type('RollingUpdateStatefulSetStrategy', { partition: I32, maxUnavailable: 'IntOrString' }) }),
    revisionHistoryLimit: I32,
    minReadySeconds: I32,
    persistentVolumeClaimRetentionPolicy: type('StatefulSetPersistentVolumeClaimRetentionPolicy', { whenDeleted: S, whenScaled: S }),
    ordinals: type('StatefulSetOrdinals', { start: I32 }),
  }),
  status: type('StatefulSetStatus', {
    observedGeneration: I64,
    replicas: I32,
    readyReplicas: I32,
    currentReplicas: I32,
    updatedReplicas: I32,
    currentRevision: S,
    updateRevision: S,
    collisionCount: I32,
    conditions: { list: type('StatefulSetCondition', { type: S, status: S, lastTransitionTime: 'Time', reason: S, message: S }) },
    availableReplicas: I32,
  }),
});

export const statefulSetDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  resource: 'statefulsets',
  kind: 'StatefulSet',
  singularName: 'statefulset',
  shortNames: ['sts'],
  categories: ['all'],
  namespaced: true,
  verbs: [...ALL_VERBS],
  storagePrefix: 'statefulsets',
  typeName: '*apps.StatefulSet',
  strategy: statefulSetStrategy,
  statusStrategy: statusStrategy(statefulSetStrategy, { validateUpdate: validateStatefulSetStatusUpdate }),
  watchCache: true,
  scaleSubresource: true,
  defaults: defaultStatefulSet,
  schema: StatefulSetSchema,
};

// ---- ControllerRevision ------------------------------------------------------------------------

// Upstream: apps/validation (ValidateControllerRevision)
function validateControllerRevision(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!has(obj.data)) errs.push(field.required(field.newPath('data'), 'data is mandatory'));
  errs.push(...nonNegative(field.newPath('revision'), obj.revision));
  return errs;
}

// Upstream: pkg/registry/apps/controllerrevision/strategy.go (Strategy); apps/validation (ValidateControllerRevisionUpdate)
const controllerRevisionStrategy = strategy({
  validateName: nameIsDNSSubdomain,
  validate: validateControllerRevision,
  validateUpdate(obj, old) {
    const errs = validateControllerRevision(obj);
    if (!jsonEqual(obj.data, old.data)) errs.push(field.invalid(field.newPath('data'), obj.data ?? null, 'field is immutable'));
    return errs;
  },
});

export const controllerRevisionDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  resource: 'controllerrevisions',
  kind: 'ControllerRevision',
  singularName: 'controllerrevision',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: [...ALL_VERBS],
  storagePrefix: 'controllerrevisions',
  typeName: '*apps.ControllerRevision',
  strategy: controllerRevisionStrategy,
  watchCache: true,
  schema: type('ControllerRevision', { apiVersion: S, kind: S, metadata: schema.ObjectMeta, data: 'any', revision: I64 }),
};
