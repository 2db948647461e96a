/**
 * Decoding request bodies and query parameters as kube-apiserver does: the object's apiVersion
 * and kind against the endpoint's (defaulted when absent), unknown fields per `fieldValidation`
 * (Strict: `400 BadRequest` "strict decoding error: unknown field ..."; Warn, the default: a
 * warning; Ignore: dropped silently), JSON type errors, then the kind's defaulting; and the
 * ListOptions / DeleteOptions query parameters with their validation.
 * Upstream: apiserver pkg/endpoints/handlers/create.go (createHandler's decode and
 * AcceptsGroupVersion check), rest.go (transformDecodeError, fieldValidation),
 * apimachinery pkg/runtime/serializer/json (strict decoding), pkg/apis/meta/internalversion
 * (SetListOptionsDefaults, validation.ValidateListOptions), get.go (ListResource's field selector
 * transform), pkg/runtime (DefaultMetaV1FieldSelectorConversion)
 */
import { deepCopy, type KubeObject } from '../../core/object';
import { newBadRequest, newInvalid } from '../../apimachinery/errors';
import { field, type FieldError } from '../../apimachinery/field';
import { parseSelector as parseFieldSelector, type FieldSelector } from '../../apimachinery/fields';
import { parse as parseLabelSelector, type Selector as LabelSelector } from '../../apimachinery/labels';
import { crdschema } from '../../apimachinery/schema';
import { apiVersionOf, fieldLabelConversionOf, type ResourceDef } from '../registry/resource';
import { decodeAgainst, ObjectMeta, type DecodeIssues } from '../registry/schema';

/**
 * Unknown fields (removed from `obj`) and the first JSON type error: against the Go types of a
 * built-in kind, or, for a custom resource, ObjectMeta's types and the CRD's schema (pruning).
 */
// Upstream: apimachinery serializer/json (strict decoding); apiextensions-apiserver customresource_handler.go (pruning with the structural schema)
export function checkFields(obj: KubeObject, def: ResourceDef): DecodeIssues {
  if (def.custom) {
    const meta = { metadata: obj.metadata };
    const issues = decodeAgainst(meta as unknown as Record<string, unknown>, { goName: 'Unstructured', fields: { metadata: ObjectMeta } });
    obj.metadata = meta.metadata;
    issues.unknown.push(...crdschema.prune(obj, def.customSchema, true));
    return issues;
  }
  if (def.schema) return decodeAgainst(obj as unknown as Record<string, unknown>, def.schema);
  return { unknown: [] };
}
import type { DeleteOptions } from '../registry/strategy';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

// Upstream: handlers/rest.go (fieldValidation)
export function fieldValidationOf(q: Record<string, string>): FieldValidation {
  const d = q.fieldValidation;
  if (d === undefined || d === '') return 'Warn';
  if (d === 'Ignore' || d === 'Warn' || d === 'Strict') return d;
  throw newInvalid({ group: 'meta.k8s.io', kind: 'CreateOptions' }, '', [field.notSupported(field.newPath('fieldValidation'), d, ['Ignore', 'Warn', 'Strict'])]);
}

/** The internal package of a kind (Go: the package of its internal type, `core`, `apps`). */
function internalPackage(def: ResourceDef): string {
  const m = /^\*(\w+)\./.exec(def.typeName);
  return m ? m[1] : def.group.split('.')[0] || 'core';
}

function schemeName(def: ResourceDef): string {
  return def.custom ? 'k8s.io/apiextensions-apiserver/pkg/apiserver/apiserver.go' : 'pkg/api/legacyscheme/scheme.go:30';
}

/**
 * The object a create / update body stands for, checked against the endpoint and defaulted;
 * throws the 400 kube-apiserver answers. `warnings` receives unknown-field warnings (Warn).
 */
// Upstream: create.go / update.go (decoder.Decode, transformDecodeError, AcceptsGroupVersion)
export function decodeObject(body: unknown, def: ResourceDef, fv: FieldValidation, warnings: string[], kindOverride?: { apiVersion: string; kind: string }): KubeObject {
  const want = kindOverride ?? { apiVersion: apiVersionOf(def), kind: def.kind };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const kind = Array.isArray(body) ? 'array' : body === null ? 'null' : typeof body === 'string' ? 'string' : typeof body;
    throw newBadRequest(`the object provided is unrecognized (must be of type ${want.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${kind} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const obj = deepCopy(body) as KubeObject;
  const apiVersion = typeof obj.apiVersion === 'string' && obj.apiVersion ? obj.apiVersion : want.apiVersion;
  const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : want.kind;
  const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const wantGroup = want.apiVersion.includes('/') ? want.apiVersion.split('/')[0] : '';
  if (kind !== want.kind) {
    if (group === wantGroup) {
      throw newBadRequest(`${kind} in version "${version}" cannot be handled as a ${want.kind}: no kind "${kind}" is registered for version "${apiVersion}" in scheme "${schemeName(def)}"`);
    }
    throw newBadRequest(`${kind} in version "${version}" cannot be handled as a ${want.kind}: converting (${version}.${kind}) to (${internalPackage(def)}.${want.kind}): unknown conversion`);
  }
  if (apiVersion !== want.apiVersion) {
    throw newBadRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${want.apiVersion})`);
  }
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  {
    const issues = checkFields(obj, def);
    if (issues.typeError) throw newBadRequest(`${kind} in version "${version}" cannot be handled as a ${want.kind}: ${issues.typeError}`);
    if (issues.unknown.length > 0) {
      const msgs = issues.unknown.map((f) => `unknown field "${f}"`);
      if (fv === 'Strict') throw newBadRequest(`${kind} in version "${version}" cannot be handled as a ${want.kind}: strict decoding error: ${msgs.join(', ')}`);
      if (fv === 'Warn') warnings.push(...msgs);
    }
  }
  obj.apiVersion = want.apiVersion;
  obj.kind = want.kind;
  def.defaults?.(obj);
  return obj;
}

/** Go's strconv errors for query parameters. */
function parseInt64(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  void name;
  return Number(v);
}

function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw newBadRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** metainternalversion.ListOptions, parsed. */
export interface ParsedListOptions {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  watch: boolean;
  allowWatchBookmarks: boolean;
  resourceVersion: string;
  resourceVersionMatch: string;
  timeoutSeconds?: number;
  limit: number;
  continue: string;
  sendInitialEvents?: boolean;
}

/** Parses, defaults and validates the ListOptions of a list or watch (Go: ListResource's first steps). */
// Upstream: get.go (ListResource), internalversion (SetListOptionsDefaults), validation (ValidateListOptions, validateWatchOptions)
export function parseListOptions(q: Record<string, string>, def: ResourceDef, forceWatch: boolean, watchList = true): ParsedListOptions {
  let labelSelector: LabelSelector;
  let fieldSelector: FieldSelector;
  try {
    labelSelector = parseLabelSelector(q.labelSelector ?? '');
  } catch (e) {
    throw newBadRequest((e as Error).message);
  }
  try {
    fieldSelector = parseFieldSelector(q.fieldSelector ?? '');
  } catch (e) {
    throw newBadRequest((e as Error).message);
  }
  const opts: ParsedListOptions = {
    labelSelector,
    fieldSelector,
    watch: forceWatch || (parseBool(q.watch) ?? false),
    allowWatchBookmarks: parseBool(q.allowWatchBookmarks) ?? false,
    resourceVersion: q.resourceVersion ?? '',
    resourceVersionMatch: q.resourceVersionMatch ?? '',
    limit: parseInt64('limit', q.limit) ?? 0,
    continue: q.continue ?? '',
  };
  const timeout = parseInt64('timeoutSeconds', q.timeoutSeconds);
  if (timeout !== undefined) opts.timeoutSeconds = timeout;
  const sie = parseBool(q.sendInitialEvents);
  if (sie !== undefined) opts.sendInitialEvents = sie;
  // Upstream: SetListOptionsDefaults (the WatchList gate is on at v1.34)
  if (watchList && opts.sendInitialEvents === undefined && opts.resourceVersionMatch === '' && opts.watch && (opts.resourceVersion === '' || opts.resourceVersion === '0')) {
    opts.sendInitialEvents = true;
    opts.resourceVersionMatch = 'NotOlderThan';
  }
  const errs = validateListOptions(opts, watchList);
  if (errs.length > 0) throw newInvalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
  // Upstream: get.go (ListResource: opts.FieldSelector.Transform(scope.Convertor.ConvertFieldLabel))
  try {
    opts.fieldSelector = opts.fieldSelector.transform(fieldLabelConversionOf(def));
  } catch (e) {
    throw newBadRequest((e as Error).message);
  }
  return opts;
}

// Upstream: apimachinery pkg/apis/meta/internalversion/validation (ValidateListOptions, validateWatchOptions)
function validateListOptions(o: ParsedListOptions, watchList: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.watch) {
    if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
      errs.push(field.forbidden(field.newPath('resourceVersionMatch'), 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    }
    if (o.sendInitialEvents !== undefined && !watchList) errs.push(field.forbidden(field.newPath('sendInitialEvents'), 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled'));
    if (match) {
      if (o.sendInitialEvents === undefined) errs.push(field.forbidden(field.newPath('resourceVersionMatch'), 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') errs.push(field.notSupported(field.newPath('resourceVersionMatch'), match, ['NotOlderThan']));
      if (o.continue) errs.push(field.forbidden(field.newPath('resourceVersionMatch'), 'resourceVersionMatch is forbidden when continue is provided'));
    }
    return errs;
  }
  if (match) {
    if (!o.resourceVersion) errs.push(field.forbidden(field.newPath('resourceVersionMatch'), 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (o.continue) errs.push(field.forbidden(field.newPath('resourceVersionMatch'), 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(field.notSupported(field.newPath('resourceVersionMatch'), match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && o.resourceVersion === '0') errs.push(field.forbidden(field.newPath('resourceVersionMatch'), 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (o.sendInitialEvents !== undefined) errs.push(field.forbidden(field.newPath('sendInitialEvents'), 'sendInitialEvents is forbidden for list'));
  return errs;
}

/** DeleteOptions from the body, or from the query when there is no body (Go: DeleteResource). */
// Upstream: handlers/delete.go (DeleteResource)
export function parseDeleteOptions(body: unknown, q: Record<string, string>): DeleteOptions {
  if (body !== undefined && body !== null && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (b.kind !== undefined && b.kind !== 'DeleteOptions') throw new Error('decoded object cannot be converted to DeleteOptions');
    const o: DeleteOptions = {};
    if (typeof b.gracePeriodSeconds === 'number') o.gracePeriodSeconds = b.gracePeriodSeconds;
    if (typeof b.propagationPolicy === 'string') o.propagationPolicy = b.propagationPolicy;
    if (typeof b.orphanDependents === 'boolean') o.orphanDependents = b.orphanDependents;
    if (b.preconditions && typeof b.preconditions === 'object') o.preconditions = { ...(b.preconditions as object) };
    if (Array.isArray(b.dryRun)) o.dryRun = b.dryRun as string[];
    return o;
  }
  const o: DeleteOptions = {};
  const g = parseInt64('gracePeriodSeconds', q.gracePeriodSeconds);
  if (g !== undefined) o.gracePeriodSeconds = g;
  if (q.propagationPolicy !== undefined) o.propagationPolicy = q.propagationPolicy;
  const orphan = parseBool(q.orphanDependents);
  if (orphan !== undefined) o.orphanDependents = orphan;
  if (q.dryRun !== undefined) o.dryRun = [q.dryRun];
  return o;
}

/** `dryRun=All` (anything else is 422, as ValidateDryRun says). */
// Upstream: apimachinery apis/meta/v1/validation (ValidateDryRun)
export function isDryRun(q: Record<string, string>, kind = 'CreateOptions'): boolean {
  const d = q.dryRun;
  if (d === undefined || d === '') return false;
  if (d === 'All') return true;
  throw newInvalid({ group: 'meta.k8s.io', kind }, '', [field.notSupported(field.newPath('dryRun'), [d], ['All'])]);
}

