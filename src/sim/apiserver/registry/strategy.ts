/**
 * What a kind's registry decides (its strategy) and the steps every create, update and delete goes
 * through around it: system fields, namespace checks, PrepareForCreate / PrepareForUpdate (status
 * reset, generation), validation with field paths, then ObjectMeta validation; graceful deletion.
 * Upstream: apiserver pkg/registry/rest/create.go (RESTCreateStrategy, BeforeCreate,
 * CheckGeneratedNameError), update.go (RESTUpdateStrategy, BeforeUpdate, validateCommonFields),
 * delete.go (BeforeDelete), meta.go (FillObjectMetaSystemFields, WipeObjectMetaSystemFields,
 * EnsureObjectNamespaceMatchesRequestNamespace, ExpectedNamespaceForScope),
 * storage/names/generate.go (SimpleNameGenerator)
 */
import type { KubeObject } from '../../core/object';
import {
  isAlreadyExists,
  newBadRequest,
  newConflict,
  newGenerateNameConflict,
  newInternalError,
  newInvalid,
  type GroupResource,
} from '../../apimachinery/errors';
import { invalid, newPath, notSupported, type FieldError } from '../../apimachinery/field';
import { validateObjectMeta, validateObjectMetaUpdate, type ValidateNameFunc } from '../../apimachinery/validation';
import { validatePathSegmentName } from './path_name';

/** Go: `rest.GarbageCollectionPolicy`. */
export type GarbageCollectionPolicy = 'DeleteDependents' | 'OrphanDependents' | 'Unsupported';

/** metav1.DeleteOptions, the fields the registry reads. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
  orphanDependents?: boolean;
  dryRun?: string[];
}

/** A kind's create / update / delete behaviour (Go: the RESTCreateStrategy, RESTUpdateStrategy, RESTDeleteStrategy it implements). */
export interface Strategy {
  /** Go: `NamespaceScoped()`. */
  namespaced: boolean;
  /** Go: `AllowCreateOnUpdate()` (PUT may create). */
  allowCreateOnUpdate: boolean;
  /** Go: `AllowUnconditionalUpdate()` (PUT without a resourceVersion overwrites). */
  allowUnconditionalUpdate: boolean;
  /** How names are validated (Go: the nameFn of ValidateObjectMeta in the kind's validation). */
  validateName: ValidateNameFunc;
  /** Go: `PrepareForCreate`: clear what users may not set (status), set the generation. */
  prepareForCreate(obj: KubeObject): void;
  /** Go: `PrepareForUpdate`: keep what this endpoint may not change (status or spec), bump the generation. */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** Go: `Validate` (field errors, without ObjectMeta's common ones). */
  validate(obj: KubeObject): FieldError[];
  /** Go: `ValidateUpdate`. */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Go: `WarningsOnCreate`. */
  warningsOnCreate?(obj: KubeObject): string[];
  /** Go: `Canonicalize`. */
  canonicalize?(obj: KubeObject): void;
  /** Go: `RESTGracefulDeleteStrategy.CheckGracefulDelete` (undefined: no graceful deletion). */
  checkGracefulDelete?(obj: KubeObject, options: DeleteOptions): boolean;
  /** Go: `GarbageCollectionDeleteStrategy.DefaultGarbageCollectionPolicy`. */
  defaultGarbageCollectionPolicy?: GarbageCollectionPolicy;
}

/** metav1.Time's JSON: RFC 3339 at second precision, UTC. */
export function rfc3339(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000); // allow-nondeterminism: formats virtual time, reads no clock
  return d.toISOString().replace('.000Z', 'Z');
}

export function parseRfc3339(s: string): number {
  return Date.parse(s);
}

// Upstream: meta.go (WipeObjectMetaSystemFields)
export function wipeObjectMetaSystemFields(obj: KubeObject): void {
  const m = obj.metadata;
  delete m.creationTimestamp;
  delete m.uid;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
}

/** Sets creationTimestamp and uid (Go: `FillObjectMetaSystemFields`). */
// Upstream: meta.go (FillObjectMetaSystemFields)
export function fillObjectMetaSystemFields(obj: KubeObject, nowMs: number, uid: string): void {
  obj.metadata.creationTimestamp = rfc3339(nowMs);
  obj.metadata.uid = uid;
}

// Upstream: meta.go (EnsureObjectNamespaceMatchesRequestNamespace)
export function ensureObjectNamespaceMatchesRequestNamespace(requestNamespace: string, obj: KubeObject): void {
  const objNamespace = obj.metadata.namespace ?? '';
  if (objNamespace === requestNamespace) return;
  if (objNamespace === '') {
    obj.metadata.namespace = requestNamespace;
    if (requestNamespace === '') delete obj.metadata.namespace;
    return;
  }
  if (requestNamespace === '') {
    delete obj.metadata.namespace;
    return;
  }
  throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
}

// Upstream: meta.go (ExpectedNamespaceForScope)
export function expectedNamespaceForScope(requestNamespace: string, namespaced: boolean): string {
  return namespaced ? requestNamespace : '';
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A generateName suffix: 5 characters without vowels (Go: `SimpleNameGenerator` over `utilrand.String(5)`). */
// Upstream: storage/names/generate.go (simpleNameGenerator.GenerateName), apimachinery util/rand (String)
export function generateName(base: string, randInt: (n: number) => number): string {
  if (base.length > 58) base = base.slice(0, 58);
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHANUMS[randInt(ALPHANUMS.length)];
  return base + s;
}

export interface KindInfo {
  group: string;
  kind: string;
}

// Upstream: rest/create.go (BeforeCreate)
export function beforeCreate(strategy: Strategy, kind: KindInfo, requestNamespace: string, obj: KubeObject): string[] {
  const m = obj.metadata;
  if (!m.uid || !m.creationTimestamp) throw newInternalError(new Error('system metadata was not initialized'));
  if (m.generateName && !m.name) throw newInternalError(new Error('metadata.name was not generated'));
  ensureObjectNamespaceMatchesRequestNamespace(expectedNamespaceForScope(requestNamespace, strategy.namespaced), obj);
  strategy.prepareForCreate(obj);
  const errs = strategy.validate(obj);
  if (errs.length > 0) throw newInvalid(kind, m.name ?? '', errs);
  // Upstream runs the common ObjectMeta checks after the kind's, with the path-segment name rule.
  const metaErrs = validateObjectMeta(obj.metadata, strategy.namespaced, validatePathSegmentName, newPath('metadata'));
  if (metaErrs.length > 0) throw newInvalid(kind, m.name ?? '', metaErrs);
  const warnings = strategy.warningsOnCreate?.(obj) ?? [];
  strategy.canonicalize?.(obj);
  return warnings;
}

// Upstream: rest/create.go (CheckGeneratedNameError)
export function checkGeneratedNameError(gr: GroupResource, err: unknown, obj: KubeObject): unknown {
  if (!isAlreadyExists(err)) return err;
  if (!obj.metadata.generateName) return err;
  return newGenerateNameConflict(gr, obj.metadata.name ?? '', 1);
}

// Upstream: rest/update.go (BeforeUpdate, validateCommonFields)
export function beforeUpdate(strategy: Strategy, kind: KindInfo, requestNamespace: string, obj: KubeObject, old: KubeObject): void {
  ensureObjectNamespaceMatchesRequestNamespace(expectedNamespaceForScope(requestNamespace, strategy.namespaced), obj);
  // Ensure requests cannot update generation
  if (old.metadata.generation !== undefined) obj.metadata.generation = old.metadata.generation;
  else delete obj.metadata.generation;
  strategy.prepareForUpdate(obj, old);
  if (!obj.metadata.uid && old.metadata.uid) obj.metadata.uid = old.metadata.uid;
  if (old.metadata.creationTimestamp) obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
  if (old.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
  if (old.metadata.deletionGracePeriodSeconds !== undefined && obj.metadata.deletionGracePeriodSeconds === undefined) {
    obj.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  }
  const errs = [
    ...validateObjectMeta(obj.metadata, strategy.namespaced, validatePathSegmentName, newPath('metadata')),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata, newPath('metadata')),
    ...strategy.validateUpdate(obj, old),
  ];
  if (errs.length > 0) throw newInvalid(kind, obj.metadata.name ?? '', errs);
  strategy.canonicalize?.(obj);
}

/** What BeforeDelete decided (Go: `graceful, gracefulPending, err`). */
export interface BeforeDeleteResult {
  graceful: boolean;
  gracefulPending: boolean;
}

// Upstream: rest/delete.go (BeforeDelete), apimachinery apis/meta/v1/validation (ValidateDeleteOptions)
export function beforeDelete(strategy: Strategy, kind: KindInfo, obj: KubeObject, options: DeleteOptions, nowMs: number): BeforeDeleteResult {
  const errs: FieldError[] = [];
  if (options.orphanDependents !== undefined && options.propagationPolicy !== undefined) {
    errs.push(invalid(newPath('propagationPolicy'), options.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (options.propagationPolicy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(options.propagationPolicy)) {
    errs.push(notSupported(newPath('propagationPolicy'), options.propagationPolicy, ['Foreground', 'Background', 'Orphan', 'nil']));
  }
  if (errs.length > 0) throw newInvalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errs);
  const m = obj.metadata;
  const gr = { group: kind.group, resource: kind.kind };
  if (options.preconditions) {
    const p = options.preconditions;
    if (p.uid !== undefined && p.uid !== (m.uid ?? '')) {
      throw newConflict(gr, m.name ?? '', new Error(`the UID in the precondition (${p.uid}) does not match the UID in record (${m.uid ?? ''}). The object might have been deleted and then recreated`));
    }
    if (p.resourceVersion !== undefined && p.resourceVersion !== (m.resourceVersion ?? '')) {
      throw newConflict(gr, m.name ?? '', new Error(`the ResourceVersion in the precondition (${p.resourceVersion}) does not match the ResourceVersion in record (${m.resourceVersion ?? ''}). The object might have been modified`));
    }
  }
  // Negative values will be treated as the value `1s` on the delete path.
  if (options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds < 0) options.gracePeriodSeconds = 1;
  if (typeof m.deletionGracePeriodSeconds === 'number' && m.deletionGracePeriodSeconds < 0) m.deletionGracePeriodSeconds = 1;
  if (!strategy.checkGracefulDelete) return { graceful: false, gracefulPending: false };
  if (m.deletionTimestamp) {
    const existing = m.deletionGracePeriodSeconds as number | undefined;
    if (existing === undefined || existing === 0) return { graceful: false, gracefulPending: false };
    if (options.gracePeriodSeconds !== undefined) {
      let period = options.gracePeriodSeconds;
      if (period >= existing) return { graceful: false, gracefulPending: true };
      let newTs = parseRfc3339(m.deletionTimestamp) - existing * 1000 + options.gracePeriodSeconds * 1000;
      if (newTs < Math.floor(nowMs / 1000) * 1000) {
        newTs = nowMs;
        if (period !== 0) period = 1;
      }
      m.deletionTimestamp = rfc3339(newTs);
      m.deletionGracePeriodSeconds = period;
      return { graceful: true, gracefulPending: false };
    }
    options.gracePeriodSeconds = existing;
    return { graceful: false, gracefulPending: true };
  }
  if (!strategy.checkGracefulDelete(obj, options)) return { graceful: false, gracefulPending: false };
  if (options.gracePeriodSeconds === undefined) throw newInternalError(new Error('options.GracePeriodSeconds should not be nil'));
  m.deletionTimestamp = rfc3339(nowMs + options.gracePeriodSeconds * 1000);
  m.deletionGracePeriodSeconds = options.gracePeriodSeconds;
  if (typeof m.generation === 'number' && m.generation > 0) m.generation = m.generation + 1;
  return { graceful: true, gracefulPending: false };
}
