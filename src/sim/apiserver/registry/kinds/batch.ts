/**
 * batch/v1 Job: strategy (the generated selector and labels, generation on spec change, status
 * reset), validation with upstream's field paths and wording, defaulting.
 * Upstream (kubernetes, stored copies, not pinned to v1.34.0): pkg/registry/batch/job/strategy.go
 * (jobStrategy.PrepareForCreate, generateSelectorIfNeeded, generateSelector, PrepareForUpdate,
 * DefaultGarbageCollectionPolicy, JobToSelectableFields), pkg/apis/batch/validation/validation.go
 * (ValidateJob, validateJobSpec, ValidateGeneratedSelector, ValidateJobSpecUpdate),
 * pkg/apis/batch/v1/defaults.go (SetDefaults_Job); k8s.io/api v0.34.0 batch/v1/types.go for the
 * field names and label keys.
 */
import type { KubeObject } from '../../../core/object';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { isDNS1123Label, validateImmutableField, validateNonnegativeField } from '../../../apimachinery/validation';
import type { ResourceDef } from '../resource';
import { asObj, bumpGenerationIf, defaultPodSpec, jsonEqual, selectorMatches, specOf, statusStrategy, strategy, validateLabelSelector, validatePodSpec, type Obj } from './common';

/** The labels the strategy puts on a Job's pod template (k8s.io/api batch/v1 constants). */
export const JobNameLabel = 'batch.kubernetes.io/job-name';
export const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const LegacyJobNameLabel = 'job-name';
export const LegacyControllerUidLabel = 'controller-uid';

const nonNegative = (p: Path, v: unknown): FieldError[] => (typeof v === 'number' ? validateNonnegativeField(v, p) : []);

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];

// Upstream: batch/validation (validateJobSpec)
function validateJobSpec(spec: Obj, sp: Path): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...nonNegative(sp.child('parallelism'), spec.parallelism));
  errs.push(...nonNegative(sp.child('completions'), spec.completions));
  errs.push(...nonNegative(sp.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds));
  errs.push(...nonNegative(sp.child('backoffLimit'), spec.backoffLimit));
  errs.push(...nonNegative(sp.child('ttlSecondsAfterFinished'), spec.ttlSecondsAfterFinished));
  if (spec.completionMode !== undefined && !COMPLETION_MODES.includes(String(spec.completionMode))) {
    errs.push(field.notSupported(sp.child('completionMode'), spec.completionMode, COMPLETION_MODES));
  }
  if (spec.completionMode === 'Indexed') {
    if (spec.completions === undefined || spec.completions === null) errs.push(field.required(sp.child('completions'), 'when completion mode is Indexed'));
    if (typeof spec.parallelism === 'number' && spec.parallelism > 100000) errs.push(field.invalid(sp.child('parallelism'), spec.parallelism, 'must be less than or equal to 100000 when completion mode is Indexed'));
  }
  if (spec.podReplacementPolicy !== undefined && !POD_REPLACEMENT_POLICIES.includes(String(spec.podReplacementPolicy))) {
    errs.push(field.notSupported(sp.child('podReplacementPolicy'), spec.podReplacementPolicy, POD_REPLACEMENT_POLICIES));
  }
  const tp = sp.child('template');
  const podSpec = asObj(asObj(spec.template).spec);
  errs.push(...validatePodSpec(podSpec, tp.child('spec')));
  // A Job's pods run to completion: Always (also what the pod defaults fill in) would never end.
  const rp = podSpec.restartPolicy;
  if (rp === 'Always' || rp === undefined || rp === '') errs.push(field.required(tp.child('spec', 'restartPolicy'), 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(field.notSupported(tp.child('spec', 'restartPolicy'), rp, ['OnFailure', 'Never']));
  return errs;
}

// Upstream: batch/validation (ValidateGeneratedSelector)
function validateGeneratedSelector(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  if (spec.manualSelector === true || spec.selector === undefined) return [];
  const errs: FieldError[] = [];
  if (!obj.metadata.uid) errs.push(field.required(field.newPath('metadata', 'uid'), ''));
  const mp = field.newPath('spec', 'template', 'metadata');
  const labels = asObj(asObj(asObj(spec.template).metadata).labels);
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  for (const [key, want] of [[LegacyControllerUidLabel, uid], [LegacyJobNameLabel, name], [ControllerUidLabel, uid], [JobNameLabel, name]] as const) {
    // Go: apivalidation.ValidateHasLabel (Required carries the expected value; Invalid shows all the labels).
    if (labels[key] === undefined) errs.push(field.required(mp.child('labels').key(key), want));
    else if (labels[key] !== want) errs.push(field.invalid(mp.child('labels').key(key), labels as never, `must be '${want}'`));
  }
  if (!selectorMatches(asObj(spec.selector), { [ControllerUidLabel]: uid, [JobNameLabel]: name, [LegacyControllerUidLabel]: uid, [LegacyJobNameLabel]: name })) {
    errs.push(field.invalid(field.newPath('spec', 'selector'), asObj(spec.selector), '`selector` not auto-generated'));
  }
  return errs;
}

// Upstream: batch/validation (ValidateJob, ValidateJobSpec)
function validateJob(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const sp = field.newPath('spec');
  const errs = validateGeneratedSelector(obj);
  errs.push(...validateJobSpec(spec, sp));
  // The last index's hostname `<job>-<completions-1>` must be a DNS label.
  if (spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    const hostname = `${obj.metadata.name ?? ''}-${spec.completions - 1}`;
    if (isDNS1123Label(hostname).length) errs.push(field.invalid(field.newPath('metadata', 'name'), obj.metadata.name ?? '', `will not able to create pod with invalid DNS label: ${hostname}`));
  }
  const selector = spec.selector === undefined || spec.selector === null ? undefined : asObj(spec.selector);
  if (!selector) errs.push(field.required(sp.child('selector'), ''));
  else {
    errs.push(...validateLabelSelector(selector, sp.child('selector')));
    const labels = asObj(asObj(asObj(spec.template).metadata).labels) as Record<string, string>;
    if (!selectorMatches(selector, labels)) errs.push(field.invalid(sp.child('template', 'metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  }
  return errs;
}

// Upstream: batch/validation (ValidateJobSpecUpdate: completions, selector and template are immutable)
function validateJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const oldSpec = specOf(old);
  const sp = field.newPath('spec');
  const errs = validateJob(obj);
  // An Indexed Job may change completions together with parallelism (elastic Indexed Jobs).
  const elastic = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism && oldSpec.completions === oldSpec.parallelism;
  if (!elastic) errs.push(...validateImmutableField(spec.completions, oldSpec.completions, sp.child('completions')));
  errs.push(...validateImmutableField(spec.selector, oldSpec.selector, sp.child('selector')));
  errs.push(...validateImmutableField(spec.template, oldSpec.template, sp.child('template')));
  errs.push(...validateImmutableField(spec.completionMode, oldSpec.completionMode, sp.child('completionMode')));
  return errs;
}

// Upstream: pkg/registry/batch/job/strategy.go (generateSelector)
function generateSelector(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  const template = asObj(spec.template);
  const meta = asObj(template.metadata);
  const labels = asObj(meta.labels);
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  // A label the user set is kept: if it conflicts, validation says so.
  for (const [key, value] of [[LegacyJobNameLabel, name], [JobNameLabel, name], [LegacyControllerUidLabel, uid], [ControllerUidLabel, uid]]) {
    if (labels[key] === undefined) labels[key] = value;
  }
  const selector = asObj(spec.selector);
  const matchLabels = asObj(selector.matchLabels);
  if (matchLabels[ControllerUidLabel] === undefined) matchLabels[ControllerUidLabel] = uid;
  selector.matchLabels = matchLabels;
  spec.selector = selector;
  meta.labels = labels;
  template.metadata = meta;
  spec.template = template;
  obj.spec = spec;
}

// Upstream: pkg/apis/batch/v1/defaults.go (SetDefaults_Job)
export function defaultJob(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  // Neither set: one pod, run once. Only parallelism set: a work queue (completions stays unset).
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (spec.parallelism === undefined) spec.parallelism = 1;
  if (spec.backoffLimit === undefined) spec.backoffLimit = spec.backoffLimitPerIndex === undefined ? 6 : 2147483647;
  const template = asObj(spec.template);
  const tl = asObj(asObj(template.metadata).labels);
  if (Object.keys(tl).length > 0 && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...(tl as Record<string, string>) };
  if (spec.completionMode === undefined) spec.completionMode = 'NonIndexed';
  if (spec.suspend === undefined) spec.suspend = false;
  // Unset means false (the strategy reads it as a plain bool): the selector is generated.
  if (spec.manualSelector === undefined) spec.manualSelector = false;
  if (spec.podReplacementPolicy === undefined) spec.podReplacementPolicy = spec.podFailurePolicy === undefined ? 'TerminatingOrFailed' : 'Failed';
  if (spec.template !== undefined) {
    const podSpec = asObj(template.spec);
    // SetDefaults_PodSpec fills restartPolicy Always here too; validation then asks for OnFailure or Never.
    defaultPodSpec(podSpec);
    template.spec = podSpec;
    spec.template = template;
  }
  obj.spec = spec;
}

// Upstream: pkg/registry/batch/job/strategy.go (jobStrategy)
const jobStrategy = strategy({
  // batch/v1 keeps the legacy default: deleting a Job orphans its pods unless told otherwise.
  defaultGarbageCollectionPolicy: 'OrphanDependents',
  validate: validateJob,
  prepareForCreate(obj) {
    // generateSelectorIfNeeded: the uid is already set (FillObjectMetaSystemFields runs first).
    if (specOf(obj).manualSelector !== true) generateSelector(obj);
    obj.status = {};
    obj.metadata.generation = 1;
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    bumpGenerationIf(obj, old, !jsonEqual(obj.spec, old.spec));
  },
  validateUpdate: validateJobUpdate,
});

export const jobDef: ResourceDef = {
  group: 'batch',
  version: 'v1',
  resource: 'jobs',
  kind: 'Job',
  // Names as discovery reports them (pkg/registry/batch/job/storage: Categories all, no short name).
  singularName: 'job',
  shortNames: [],
  categories: ['all'],
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  storagePrefix: 'jobs',
  typeName: '*batch.Job',
  strategy: jobStrategy,
  statusStrategy: statusStrategy(jobStrategy),
  watchCache: true,
  defaults: defaultJob,
};
