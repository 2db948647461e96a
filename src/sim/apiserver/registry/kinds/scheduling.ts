/**
 * scheduling.k8s.io/v1 PriorityClass: validation (the reserved `system-` prefix, the highest user
 * value, the preemption policy), immutable value and preemptionPolicy, v1 defaulting, and the two
 * system classes kube-apiserver creates at start.
 * Upstream: kubernetes pkg/registry/scheduling/priorityclass/strategy.go and storage/storage.go
 * (REST.Delete), pkg/apis/scheduling/validation/validation.go (ValidatePriorityClass,
 * ValidatePriorityClassUpdate), pkg/apis/scheduling/types.go (HighestUserDefinablePriority,
 * SystemCriticalPriority, SystemPriorityClassPrefix), pkg/apis/scheduling/v1/helpers.go
 * (SystemPriorityClasses, IsKnownSystemPriorityClass), pkg/apis/scheduling/v1/defaults.go,
 * pkg/apis/core/validation/validation.go (ValidatePreemptionPolicy)
 */
import type { KubeObject } from '../../../core/object';
import { newForbidden } from '../../../apimachinery/errors';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { kindNames, type ResourceDef } from '../resource';
import * as schema from '../schema';
import { strategy } from './common';

export const HighestUserDefinablePriority = 1000000000;
export const SystemCriticalPriority = 2 * HighestUserDefinablePriority;
export const SystemPriorityClassPrefix = 'system-';
export const SystemClusterCritical = 'system-cluster-critical';
export const SystemNodeCritical = 'system-node-critical';

/** The classes kube-apiserver's scheduling post-start hook creates. */
export const SYSTEM_PRIORITY_CLASSES: ReadonlyArray<{ name: string; value: number; description: string }> = [
  { name: SystemNodeCritical, value: SystemCriticalPriority + 1000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: SystemClusterCritical, value: SystemCriticalPriority, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

/** The system classes as PriorityClass objects (what the post-start hook posts). */
// Upstream: pkg/registry/scheduling/rest/storage_scheduling.go (AddSystemPriorityClasses)
export function systemPriorityClassObjects(): KubeObject[] {
  return SYSTEM_PRIORITY_CLASSES.map((c) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: c.name }, value: c.value, description: c.description }));
}

// Upstream: scheduling/v1/helpers.go (IsKnownSystemPriorityClass)
function knownSystemPriorityClass(name: string, value: number, globalDefault: boolean): string | undefined {
  const spc = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!spc) return `${name} is not a known system priority class`;
  if (spc.value !== value) return `value of ${name} PriorityClass must be ${spc.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

// Upstream: core/validation (ValidatePreemptionPolicy)
export function validatePreemptionPolicy(policy: unknown, p: Path): FieldError[] {
  if (policy === 'PreemptLowerPriority' || policy === 'Never') return [];
  if (policy === '') return [field.required(p, '')];
  return [field.notSupported(p, policy, ['PreemptLowerPriority', 'Never'])];
}

const valueOf = (pc: KubeObject): number => (typeof pc.value === 'number' ? pc.value : 0);

// Upstream: scheduling/validation (ValidatePriorityClass, after ValidateObjectMeta)
export function validatePriorityClass(pc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata.name ?? '';
  if (name.startsWith(SystemPriorityClassPrefix)) {
    const err = knownSystemPriorityClass(name, valueOf(pc), pc.globalDefault === true);
    if (err) errs.push(field.forbidden(field.newPath('metadata', 'name'), `priority class names with '${SystemPriorityClassPrefix}' prefix are reserved for system use only. error: ${err}`));
  } else if (valueOf(pc) > HighestUserDefinablePriority) {
    errs.push(field.forbidden(field.newPath('value'), `maximum allowed value of a user defined priority is ${HighestUserDefinablePriority}`));
  }
  if (pc.preemptionPolicy !== undefined && pc.preemptionPolicy !== null) errs.push(...validatePreemptionPolicy(pc.preemptionPolicy, field.newPath('preemptionPolicy')));
  return errs;
}

// Upstream: scheduling/validation (ValidatePriorityClassUpdate)
export function validatePriorityClassUpdate(pc: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (valueOf(pc) !== valueOf(old)) errs.push(field.forbidden(field.newPath('value'), 'may not be changed in an update.'));
  if ((pc.preemptionPolicy ?? null) !== (old.preemptionPolicy ?? null)) errs.push(field.invalid(field.newPath('preemptionPolicy'), pc.preemptionPolicy ?? null, 'field is immutable'));
  return errs;
}

/** Deleting a system class is forbidden (Go: the priorityclass REST's Delete). */
// Upstream: pkg/registry/scheduling/priorityclass/storage/storage.go (REST.Delete)
export function checkPriorityClassDelete(name: string): void {
  if (SYSTEM_PRIORITY_CLASSES.some((c) => c.name === name)) {
    throw newForbidden({ group: 'scheduling.k8s.io', resource: 'priorityclasses' }, name, new Error('this is a system priority class and cannot be deleted'));
  }
}

export const priorityClassDef: ResourceDef = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  resource: 'priorityclasses',
  kind: 'PriorityClass',
  ...kindNames('scheduling.k8s.io', 'PriorityClass'),
  storagePrefix: 'priorityclasses',
  typeName: '*scheduling.PriorityClass',
  // Upstream: pkg/registry/scheduling/priorityclass/strategy.go (priorityClassStrategy)
  strategy: strategy({
    namespaced: false,
    validate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
    prepareForCreate(obj) {
      obj.metadata.generation = 1;
    },
  }),
  watchCache: true,
  // Upstream: pkg/apis/scheduling/v1/defaults.go (SetDefaults_PriorityClass)
  defaults(obj) {
    if (obj.preemptionPolicy === undefined || obj.preemptionPolicy === null) obj.preemptionPolicy = 'PreemptLowerPriority';
  },
  schema: schema.PriorityClass,
};
