/**
 * INTERIM: the pieces of apimachinery the API server needs, kept here only until the
 * apimachinery model (src/sim/apimachinery) is merged; then every import of this file moves to
 * that model and this file is deleted. Each function keeps its upstream name and wording:
 * api/errors (NewNotFound, NewAlreadyExists, NewConflict, NewInvalid, ...), util/validation/field
 * (Path, Error, ErrorList.ToAggregate), util/validation (IsDNS1123Subdomain, IsDNS1123Label,
 * IsDNS1035Label, IsQualifiedName, IsValidLabelValue), api/validation (ValidateObjectMetaAccessor,
 * ValidateObjectMetaAccessorUpdate), labels and fields selectors, and JSON (merge) patches.
 * Upstream: k8s.io/apimachinery v0.34.0.
 */
import { StatusError } from '../core/errors';

// ---------------------------------------------------------------------------------------------
// metav1.Status and api/errors
// ---------------------------------------------------------------------------------------------

/** metav1.StatusCause. */
export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

/** metav1.StatusDetails. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** metav1.Status, as kube-apiserver writes it. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string; resourceVersion?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A StatusError carrying its `metav1.Status` body (DESIGN.md: `StatusError.status`). */
export type ApiStatusError = StatusError & { readonly status: Status; readonly details?: StatusDetails };

/** schema.GroupResource. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** `GroupResource.String()`: `pods`, `deployments.apps`. */
export function groupResourceString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** `GroupKind.String()`: `Pod`, `Deployment.apps`. */
export function groupKindString(gk: { group: string; kind: string }): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

/** Wraps a Failure Status into a StatusError (Go: `&StatusError{ErrStatus: status}`). */
export function errorFromStatus(status: Omit<Status, 'kind' | 'apiVersion' | 'metadata' | 'status'> & { metadata?: Status['metadata'] }): ApiStatusError {
  const full: Status = { kind: 'Status', apiVersion: 'v1', metadata: status.metadata ?? {}, status: 'Failure', message: status.message, reason: status.reason, code: status.code };
  if (status.details) full.details = status.details;
  const err = new StatusError(status.code, status.reason ?? '', status.message ?? '') as StatusError & { status: Status; details?: StatusDetails };
  Object.defineProperty(err, 'status', { value: full, enumerable: true });
  if (status.details) Object.defineProperty(err, 'details', { value: status.details, enumerable: true });
  return err as ApiStatusError;
}

/** The Status of any error, as the API server answers it (Go: `ErrorToAPIStatus`). */
export function statusOfError(err: unknown): Status {
  const s = (err as { status?: Status } | null)?.status;
  if (err instanceof StatusError && s && s.kind === 'Status') return s;
  if (err instanceof StatusError) {
    const d = (err as { details?: StatusDetails }).details;
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, ...(d ? { details: d } : {}), code: err.code };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

// Upstream: api/errors/errors.go (NewNotFound)
export function newNotFound(gr: GroupResource, name: string): ApiStatusError {
  return errorFromStatus({ code: 404, reason: 'NotFound', details: { name, group: gr.group, kind: gr.resource }, message: `${groupResourceString(gr)} "${name}" not found` });
}

// Upstream: api/errors/errors.go (NewAlreadyExists)
export function newAlreadyExists(gr: GroupResource, name: string): ApiStatusError {
  return errorFromStatus({ code: 409, reason: 'AlreadyExists', details: { name, group: gr.group, kind: gr.resource }, message: `${groupResourceString(gr)} "${name}" already exists` });
}

// Upstream: api/errors/errors.go (NewGenerateNameConflict)
export function newGenerateNameConflict(gr: GroupResource, name: string, retryAfterSeconds: number): ApiStatusError {
  return errorFromStatus({
    code: 409,
    reason: 'AlreadyExists',
    details: { name, group: gr.group, kind: gr.resource, retryAfterSeconds },
    message: `${groupResourceString(gr)} "${name}" already exists, the server was not able to generate a unique name for the object`,
  });
}

// Upstream: api/errors/errors.go (NewConflict)
export function newConflict(gr: GroupResource, name: string, err: string): ApiStatusError {
  return errorFromStatus({ code: 409, reason: 'Conflict', details: { name, group: gr.group, kind: gr.resource }, message: `Operation cannot be fulfilled on ${groupResourceString(gr)} "${name}": ${err}` });
}

// Upstream: api/errors/errors.go (NewGone)
export function newGone(message: string): ApiStatusError {
  return errorFromStatus({ code: 410, reason: 'Gone', message });
}

// Upstream: api/errors/errors.go (NewResourceExpired)
export function newResourceExpired(message: string): ApiStatusError {
  return errorFromStatus({ code: 410, reason: 'Expired', message });
}

// Upstream: api/errors/errors.go (NewInvalid)
export function newInvalid(gk: { group: string; kind: string }, name: string, errs: FieldError[]): ApiStatusError {
  const causes = errs.map((e) => ({ type: e.type, message: errorBody(e), field: e.field }));
  const agg = aggregateMessage(errs);
  return errorFromStatus({
    code: 422,
    reason: 'Invalid',
    details: { name, group: gk.group, kind: gk.kind, causes },
    message: agg === undefined ? `${groupKindString(gk)} "${name}" is invalid` : `${groupKindString(gk)} "${name}" is invalid: ${agg}`,
  });
}

// Upstream: api/errors/errors.go (NewBadRequest)
export function newBadRequest(reason: string): ApiStatusError {
  return errorFromStatus({ code: 400, reason: 'BadRequest', message: reason });
}

// Upstream: api/errors/errors.go (NewTooManyRequests)
export function newTooManyRequests(message: string, retryAfterSeconds: number): ApiStatusError {
  return errorFromStatus({ code: 429, reason: 'TooManyRequests', message, details: { retryAfterSeconds } });
}

// Upstream: api/errors/errors.go (NewServiceUnavailable)
export function newServiceUnavailable(reason: string): ApiStatusError {
  return errorFromStatus({ code: 503, reason: 'ServiceUnavailable', message: reason });
}

// Upstream: api/errors/errors.go (NewMethodNotSupported)
export function newMethodNotSupported(gr: GroupResource, action: string): ApiStatusError {
  return errorFromStatus({ code: 405, reason: 'MethodNotAllowed', details: { group: gr.group, kind: gr.resource }, message: `${action} is not supported on resources of kind "${groupResourceString(gr)}"` });
}

// Upstream: api/errors/errors.go (NewInternalError)
export function newInternalError(err: Error | string): ApiStatusError {
  const message = typeof err === 'string' ? err : err.message;
  return errorFromStatus({ code: 500, reason: 'InternalError', details: { causes: [{ message }] }, message: `Internal error occurred: ${message}` });
}

// Upstream: api/errors/errors.go (NewTimeoutError)
export function newTimeoutError(message: string, retryAfterSeconds: number): ApiStatusError {
  return errorFromStatus({ code: 504, reason: 'Timeout', details: { retryAfterSeconds }, message: `Timeout: ${message}` });
}

// Upstream: api/errors/errors.go (NewUnsupportedMediaType)
export function newUnsupportedMediaType(contentType: string): ApiStatusError {
  return errorFromStatus({ code: 415, reason: 'UnsupportedMediaType', message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got ${JSON.stringify(contentType)}` });
}

/** The generic 404 for a path nothing serves (Go: `responsewriters.NotFound` / NewGenericServerResponse). */
export function newPathNotFound(): ApiStatusError {
  return errorFromStatus({ code: 404, reason: 'NotFound', details: {}, message: 'the server could not find the requested resource' });
}

export function reasonOf(err: unknown): string {
  return statusOfError(err).reason ?? '';
}

export const isNotFound = (err: unknown): boolean => err instanceof StatusError && err.reason === 'NotFound';
export const isAlreadyExists = (err: unknown): boolean => err instanceof StatusError && err.reason === 'AlreadyExists';
export const isConflict = (err: unknown): boolean => err instanceof StatusError && err.reason === 'Conflict';

// ---------------------------------------------------------------------------------------------
// util/validation/field
// ---------------------------------------------------------------------------------------------

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

/** field.Error. */
export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue: unknown;
  detail: string;
}

const OMIT = Symbol('omitValue');

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** field.Path: `metadata.labels[app]`, `spec.containers[0].image`. */
export class FieldPath {
  constructor(
    readonly parent: FieldPath | undefined,
    readonly name: string,
    readonly index?: string,
  ) {}
  static of(name: string, ...more: string[]): FieldPath {
    let p = new FieldPath(undefined, name);
    for (const m of more) p = p.child(m);
    return p;
  }
  child(name: string, ...more: string[]): FieldPath {
    let p = new FieldPath(this, name);
    for (const m of more) p = p.child(m);
    return p;
  }
  index_(i: number): FieldPath {
    return new FieldPath(this, '', String(i));
  }
  key(k: string): FieldPath {
    return new FieldPath(this, '', k);
  }
  toString(): string {
    const parts: FieldPath[] = [];
    for (let p: FieldPath | undefined = this; p; p = p.parent) parts.unshift(p);
    let s = '';
    for (const p of parts) {
      if (p.index !== undefined) s += `[${p.index}]`;
      else s += s.length > 0 ? `.${p.name}` : p.name;
    }
    return s;
  }
}

const fe = (type: FieldErrorType, path: FieldPath | string, badValue: unknown, detail: string): FieldError => ({ type, field: String(path), badValue, detail });
export const fieldRequired = (p: FieldPath | string, detail: string) => fe('FieldValueRequired', p, '', detail);
export const fieldInvalid = (p: FieldPath | string, v: unknown, detail: string) => fe('FieldValueInvalid', p, v, detail);
export const fieldForbidden = (p: FieldPath | string, detail: string) => fe('FieldValueForbidden', p, '', detail);
export const fieldDuplicate = (p: FieldPath | string, v: unknown) => fe('FieldValueDuplicate', p, v, '');
export const fieldNotFound = (p: FieldPath | string, v: unknown) => fe('FieldValueNotFound', p, v, '');
export const fieldTypeInvalid = (p: FieldPath | string, v: unknown, detail: string) => fe('FieldValueTypeInvalid', p, v, detail);
export function fieldNotSupported(p: FieldPath | string, v: unknown, valid: readonly string[]): FieldError {
  return fe('FieldValueNotSupported', p, v, valid.length > 0 ? 'supported values: ' + valid.map((x) => JSON.stringify(x)).join(', ') : '');
}
export function fieldTooLong(p: FieldPath | string, maxLength: number): FieldError {
  return fe('FieldValueTooLong', p, '<value omitted>', maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long');
}
export function fieldTooMany(p: FieldPath | string, actual: number, max: number): FieldError {
  return fe('FieldValueTooMany', p, actual >= 0 ? actual : OMIT, max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items');
}

/** Go's `%v` of a simple value, `%q` of a string, JSON of anything else. */
function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return 'null';
  return JSON.stringify(v);
}

// Upstream: field/errors.go (Error.ErrorBody)
export function errorBody(e: FieldError): string {
  let s: string;
  switch (e.type) {
    case 'FieldValueRequired':
    case 'FieldValueForbidden':
    case 'FieldValueTooLong':
    case 'InternalError':
      s = TYPE_TEXT[e.type];
      break;
    default:
      s = e.badValue === OMIT ? TYPE_TEXT[e.type] : `${TYPE_TEXT[e.type]}: ${goValue(e.badValue)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

// Upstream: field/errors.go (Error.Error)
export function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** ErrorList.ToAggregate().Error(): one message as is, several as `[a, b]` (duplicates dropped). */
// Upstream: field/errors.go (ErrorList.ToAggregate), util/errors (aggregate.Error)
export function aggregateMessage(errs: FieldError[]): string | undefined {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errs) {
    const m = fieldErrorText(e);
    if (seen.has(m)) continue;
    seen.add(m);
    msgs.push(m);
  }
  if (msgs.length === 0) return undefined;
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// util/validation and api/validation
// ---------------------------------------------------------------------------------------------

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);

// Upstream: util/validation/validation.go (RegexError)
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}'`).join(' or ')}, regex used for validation is '${fmt}')`;
}

const maxLenError = (n: number) => `must be no more than ${n} characters`;
/** Go's len() of a string counts UTF-8 bytes. */
const byteLen = (s: string) => new TextEncoder().encode(s).length;

// Upstream: util/validation/validation.go (IsDNS1123Subdomain)
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

// Upstream: util/validation/validation.go (IsDNS1123Label)
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

// Upstream: util/validation/validation.go (IsDNS1035Label)
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

// Upstream: util/validation/validation.go (IsQualifiedName)
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else {
    return [
      'a qualified name ' +
        regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLen(name) > 63) errs.push('name part ' + maxLenError(63));
  if (!qualifiedNameRe.test(name)) errs.push('name part ' + regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc'));
  return errs;
}

// Upstream: util/validation/validation.go (IsValidLabelValue)
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLen(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** api/validation's ValidateNameFunc: messages for `name` (or, with `prefix`, a generateName). */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name;
}

// Upstream: api/validation/generic.go (NameIsDNSSubdomain, NameIsDNSLabel, NameIsDNS1035Label)
export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
export const validateNamespaceName = nameIsDNSLabel;

// Upstream: api/validation/path/name.go (IsValidPathSegmentName, ValidatePathSegmentName)
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of ['.', '..']) if (name === illegal) return [`may not be '${illegal}'`];
  const errs: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

export const validatePathSegmentName: ValidateNameFunc = (name, prefix) => {
  if (prefix) {
    const errs: string[] = [];
    for (const illegal of ['/', '%']) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
    return errs;
  }
  return isValidPathSegmentName(name);
};

type Meta = Record<string, unknown> & {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  generation?: number;
};

// Upstream: apis/meta/v1/validation/validation.go (ValidateLabels)
export function validateLabels(labels: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(fieldInvalid(p, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(fieldInvalid(p, v, m));
  }
  return errs;
}

// Upstream: api/validation/objectmeta.go (ValidateAnnotations)
function validateAnnotations(annotations: Record<string, string> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldInvalid(p, k, m));
    total += byteLen(k) + byteLen(String(v));
  }
  if (total > 256 * 1024) errs.push(fieldTooLong(p, 256 * 1024));
  return errs;
}

// Upstream: api/validation/objectmeta.go (ValidateOwnerReferences)
function validateOwnerReferences(refs: Array<Record<string, unknown>> | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = String(ref.apiVersion ?? '');
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    if (!version) errs.push(fieldInvalid(p.child('apiVersion'), apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(fieldInvalid(p.child('kind'), ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(fieldInvalid(p.child('name'), ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(fieldInvalid(p.child('uid'), ref.uid ?? '', 'must not be empty'));
    if (apiVersion === 'v1' && ref.kind === 'Event') errs.push(fieldInvalid(p, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller === true) {
      const cur = `${String(ref.kind)}/${String(ref.name)}`;
      if (firstController) errs.push(fieldInvalid(p, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      else firstController = cur;
    }
  }
  return errs;
}

// Upstream: api/validation/objectmeta.go (ValidateFinalizers)
function validateFinalizers(finalizers: string[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) for (const m of isQualifiedName(f)) errs.push(fieldInvalid(p, f, m));
  const list = finalizers ?? [];
  if (list.includes('orphan') && list.includes('foregroundDeletion')) errs.push(fieldInvalid(p, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return errs;
}

// Upstream: api/validation/objectmeta.go (ValidateObjectMetaAccessor)
export function validateObjectMeta(meta: Meta, requiresNamespace: boolean, nameFn: ValidateNameFunc, p = FieldPath.of('metadata')): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) for (const m of nameFn(meta.generateName, true)) errs.push(fieldInvalid(p.child('generateName'), meta.generateName, m));
  if (!meta.name) errs.push(fieldRequired(p.child('name'), 'name or generateName is required'));
  else for (const m of nameFn(meta.name, false)) errs.push(fieldInvalid(p.child('name'), meta.name, m));
  if (requiresNamespace) {
    if (!meta.namespace) errs.push(fieldRequired(p.child('namespace'), ''));
    else for (const m of validateNamespaceName(meta.namespace, false)) errs.push(fieldInvalid(p.child('namespace'), meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(fieldForbidden(p.child('namespace'), 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) errs.push(fieldInvalid(p.child('generation'), meta.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, p.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, p.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, p.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, p.child('finalizers')));
  return errs;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// Upstream: api/validation/objectmeta.go (ValidateObjectMetaAccessorUpdate)
export function validateObjectMetaUpdate(meta: Meta, old: Meta, p = FieldPath.of('metadata')): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const oldSet = new Set(old.finalizers ?? []);
    const extra = [...new Set(meta.finalizers ?? [])].filter((f) => !oldSet.has(f)).sort();
    if (extra.length > 0) errs.push(fieldForbidden(p.child('finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`));
  }
  if (!meta.resourceVersion) errs.push(fieldInvalid(p.child('resourceVersion'), meta.resourceVersion ?? '', 'must be specified for an update'));
  if ((meta.generation ?? 0) < (old.generation ?? 0)) errs.push(fieldInvalid(p.child('generation'), meta.generation ?? 0, 'must not be decremented'));
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    if (!same(meta[f], old[f])) errs.push(fieldInvalid(p.child(f), meta[f] ?? (f === 'deletionGracePeriodSeconds' || f === 'deletionTimestamp' ? null : ''), 'field is immutable'));
  }
  errs.push(...validateLabels(meta.labels, p.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, p.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, p.child('ownerReferences')));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// labels and fields selectors
// ---------------------------------------------------------------------------------------------

/** One requirement of a label selector (labels.Requirement). */
export interface LabelRequirement {
  key: string;
  operator: 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';
  values: string[];
}

/** A parsed label selector: every requirement must hold (labels.Selector). */
export interface LabelSelector {
  requirements: LabelRequirement[];
  matches(labels: Record<string, string> | undefined): boolean;
  empty(): boolean;
  toString(): string;
}

function labelSelectorOf(requirements: LabelRequirement[]): LabelSelector {
  return {
    requirements,
    empty: () => requirements.length === 0,
    matches(labels) {
      const l = labels ?? {};
      return requirements.every((r) => {
        const has = Object.prototype.hasOwnProperty.call(l, r.key);
        const v = has ? l[r.key] : undefined;
        switch (r.operator) {
          case '=':
          case '==':
          case 'in':
            return has && r.values.includes(v as string);
          case '!=':
          case 'notin':
            return !has || !r.values.includes(v as string);
          case 'exists':
            return has;
          case '!':
            return !has;
          case 'gt':
          case 'lt': {
            if (!has || !/^-?\d+$/.test(v as string)) return false;
            const n = Number(v);
            return r.operator === 'gt' ? n > Number(r.values[0]) : n < Number(r.values[0]);
          }
        }
        return false;
      });
    },
    toString() {
      return requirements
        .map((r) => {
          switch (r.operator) {
            case 'exists':
              return r.key;
            case '!':
              return `!${r.key}`;
            case 'in':
            case 'notin':
              return `${r.key} ${r.operator} (${r.values.join(',')})`;
            case 'gt':
              return `${r.key}>${r.values[0]}`;
            case 'lt':
              return `${r.key}<${r.values[0]}`;
            default:
              return `${r.key}${r.operator}${r.values[0]}`;
          }
        })
        .join(',');
    },
  };
}

export const everythingLabels = (): LabelSelector => labelSelectorOf([]);

/** labels.Parse: `app=web,tier!=db,env in (a,b),!canary,version`. Throws an Error as upstream's parser words it. */
// Upstream: apimachinery pkg/labels/selector.go (Parse)
export function parseLabelSelector(selector: string): LabelSelector {
  const s = selector.trim();
  if (s === '') return labelSelectorOf([]);
  const reqs: LabelRequirement[] = [];
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const ident = (): string => {
    ws();
    const start = i;
    while (i < s.length && !/[\s,=!()<>]/.test(s[i])) i++;
    return s.slice(start, i);
  };
  const fail = (msg: string): never => {
    throw new Error(msg);
  };
  for (;;) {
    ws();
    let key: string;
    if (s[i] === '!') {
      i++;
      key = ident();
      reqs.push(checkReq({ key, operator: '!', values: [] }));
    } else {
      key = ident();
      if (!key) fail(`found '${s[i] ?? ''}', expected: !, identifier, or 'end of string'`);
      ws();
      const rest = s.slice(i);
      let m: RegExpMatchArray | null;
      if (i >= s.length || s[i] === ',') {
        reqs.push(checkReq({ key, operator: 'exists', values: [] }));
      } else if ((m = rest.match(/^(==|!=|=|>|<)/))) {
        i += m[0].length;
        const value = ident();
        const op = m[0] === '>' ? 'gt' : m[0] === '<' ? 'lt' : (m[0] as '=' | '==' | '!=');
        reqs.push(checkReq({ key, operator: op, values: [value] }));
      } else if ((m = rest.match(/^(notin|in)\s*\(/))) {
        i += m[0].length;
        const values: string[] = [];
        for (;;) {
          const v = ident();
          values.push(v);
          ws();
          if (s[i] === ',') {
            i++;
            continue;
          }
          if (s[i] === ')') {
            i++;
            break;
          }
          fail(`found '${s[i] ?? ''}', expected: ',' or ')'`);
        }
        reqs.push(checkReq({ key, operator: m[1] as 'in' | 'notin', values }));
      } else {
        fail(`found '${rest.split(/[\s,]/)[0]}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    ws();
    if (i >= s.length) break;
    if (s[i] !== ',') fail(`found '${s[i]}', expected: ',' or 'end of string'`);
    i++;
  }
  return labelSelectorOf(reqs);
}

function checkReq(r: LabelRequirement): LabelRequirement {
  const keyErrs = isQualifiedName(r.key);
  if (keyErrs.length > 0) throw new Error(`unable to parse requirement: ${fieldErrorText(fieldInvalid('key', r.key, keyErrs.join('; ')))}`);
  for (let j = 0; j < r.values.length; j++) {
    const v = r.values[j];
    if (r.operator === 'gt' || r.operator === 'lt') {
      if (!/^-?\d+$/.test(v)) throw new Error(`unable to parse requirement: ${fieldErrorText(fieldInvalid(`values[${j}]`, v, 'for \'Gt\', \'Lt\' operators, the value must be an integer'))}`);
      continue;
    }
    const msgs = isValidLabelValue(v);
    if (msgs.length > 0) throw new Error(`unable to parse requirement: ${fieldErrorText(fieldInvalid(`values[${j}][${r.key}]`, v, msgs.join('; ')))}`);
  }
  return r;
}

/** metav1.LabelSelector (matchLabels / matchExpressions) as a labels.Selector. */
// Upstream: apimachinery pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector)
export function labelSelectorAsSelector(ls: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined | null): LabelSelector | 'nothing' {
  if (ls === undefined || ls === null) return 'nothing';
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key: k, operator: '=', values: [v] });
  for (const e of ls.matchExpressions ?? []) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }[e.operator] as LabelRequirement['operator'] | undefined;
    if (!op) throw new Error(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, operator: op, values: e.values ?? [] });
  }
  return labelSelectorOf(reqs);
}

/** One term of a field selector. */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** A parsed field selector (fields.Selector). */
export interface FieldSelector {
  requirements: FieldRequirement[];
  matches(fields: Record<string, string>): boolean;
  empty(): boolean;
  /** The value `field` must equal, if the selector pins it (Go: `RequiresExactMatch`). */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

function fieldSelectorOf(reqs: FieldRequirement[]): FieldSelector {
  return {
    requirements: reqs,
    empty: () => reqs.length === 0,
    matches: (f) => reqs.every((r) => (r.operator === '=' ? (f[r.field] ?? '') === r.value : (f[r.field] ?? '') !== r.value)),
    requiresExactMatch(field) {
      for (const r of reqs) if (r.field === field && r.operator === '=') return r.value;
      return undefined;
    },
    toString: () => reqs.map((r) => `${r.field}${r.operator}${r.value.replace(/([\\,=])/g, '\\$1')}`).join(','),
  };
}

export const everythingFields = (): FieldSelector => fieldSelectorOf([]);
export const oneTermEqualSelector = (field: string, value: string): FieldSelector => fieldSelectorOf([{ field, operator: '=', value }]);

/** fields.ParseSelector: `metadata.name=web,status.phase!=Running` (`\` escapes `,`, `=` and `\`). */
// Upstream: apimachinery pkg/fields/selector.go (ParseSelector, parseSelector)
export function parseFieldSelector(selector: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  if (selector.trim() === '') return fieldSelectorOf([]);
  // split on unescaped commas
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '\\' && i + 1 < selector.length) {
      cur += c + selector[++i];
    } else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  for (const part of parts) {
    if (part === '') continue;
    const m = /^((?:[^\\=!]|\\.)*?)(==|!=|=)(.*)$/.exec(part);
    if (!m) throw new Error(`invalid selector: '${selector}'; can't understand '${part}'`);
    const unescape = (v: string) => {
      let out = '';
      for (let i = 0; i < v.length; i++) {
        if (v[i] === '\\') {
          const n = v[i + 1];
          if (n === '\\' || n === ',' || n === '=') {
            out += n;
            i++;
            continue;
          }
          throw new Error(`invalid field selector: invalid escape sequence: \\${n ?? ''}`);
        }
        if (v[i] === ',' || v[i] === '=') throw new Error(`invalid field selector: unescaped ${v[i]}`);
        out += v[i];
      }
      return out;
    };
    reqs.push({ field: m[1].trim(), operator: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]) });
  }
  return fieldSelectorOf(reqs);
}

// ---------------------------------------------------------------------------------------------
// patches
// ---------------------------------------------------------------------------------------------

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch (Go: evanphx/json-patch `MergePatch`). */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return structuredCloneJson(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

function structuredCloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function unescapePointer(t: string): string {
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** RFC 6902 JSON patch (Go: evanphx/json-patch `DecodePatch(...).Apply`); throws on a failed op with its wording. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root = structuredCloneJson(doc);
  const parse = (path: unknown): string[] => {
    if (typeof path !== 'string') throw new Error('missing path');
    if (path === '') return [];
    if (!path.startsWith('/')) throw new Error(`invalid path ${path}`);
    return path.slice(1).split('/').map(unescapePointer);
  };
  const parentOf = (tokens: string[], op: string, path: string): { container: unknown; key: string } => {
    let c: unknown = root;
    for (const t of tokens.slice(0, -1)) {
      if (Array.isArray(c)) c = c[Number(t)];
      else if (isObj(c)) c = c[t];
      else c = undefined;
      if (c === undefined) throw new Error(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    }
    return { container: c, key: tokens[tokens.length - 1] };
  };
  const get = (tokens: string[]): unknown => {
    let c: unknown = root;
    for (const t of tokens) {
      if (Array.isArray(c)) c = c[Number(t)];
      else if (isObj(c)) c = c[t];
      else return undefined;
    }
    return c;
  };
  const add = (tokens: string[], value: unknown, path: string) => {
    if (tokens.length === 0) {
      root = value;
      return;
    }
    const { container, key } = parentOf(tokens, 'add', path);
    if (Array.isArray(container)) {
      const idx = key === '-' ? container.length : Number(key);
      if (!Number.isInteger(idx) || idx < 0 || idx > container.length) throw new Error(`add operation does not apply: doc is missing path: "${path}": missing value`);
      container.splice(idx, 0, value);
    } else if (isObj(container)) container[key] = value;
    else throw new Error(`add operation does not apply: doc is missing path: "${path}": missing value`);
  };
  const remove = (tokens: string[], path: string, op = 'remove'): unknown => {
    const { container, key } = parentOf(tokens, op, path);
    if (Array.isArray(container)) {
      const idx = Number(key);
      if (!Number.isInteger(idx) || idx < 0 || idx >= container.length) throw new Error(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
      return container.splice(idx, 1)[0];
    }
    if (isObj(container) && key in container) {
      const v = container[key];
      delete container[key];
      return v;
    }
    throw new Error(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  };
  for (const raw of ops) {
    const o = raw as { op?: string; path?: string; from?: string; value?: unknown };
    const path = String(o.path ?? '');
    const tokens = parse(o.path);
    switch (o.op) {
      case 'add':
        add(tokens, structuredCloneJson(o.value), path);
        break;
      case 'remove':
        remove(tokens, path);
        break;
      case 'replace':
        remove(tokens, path, 'replace');
        add(tokens, structuredCloneJson(o.value), path);
        break;
      case 'move': {
        const v = remove(parse(o.from), String(o.from), 'move');
        add(tokens, v, path);
        break;
      }
      case 'copy':
        add(tokens, structuredCloneJson(get(parse(o.from))), path);
        break;
      case 'test':
        if (JSON.stringify(get(tokens)) !== JSON.stringify(o.value)) throw new Error(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new Error(`Unexpected kind: ${String(o.op)}`);
    }
  }
  return root;
}

/**
 * The patch merge keys of the built-in kinds the labs use (the `patchStrategy:"merge"
 * patchMergeKey:"..."` tags of k8s.io/api), by field name; a list field not listed here is
 * replaced whole, as upstream does for lists without a strategy.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  conditions: 'type',
  addresses: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
};
/** Primitive lists with `patchStrategy:"merge"` (a union). */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

/**
 * Strategic merge patch for the built-in kinds: maps merge, lists with a merge key merge by it
 * (`$patch: delete` removes an element, `$patch: replace` replaces the list), other lists are
 * replaced; `null` deletes a field. Service ports merge by `port`.
 */
// Upstream: apimachinery pkg/util/strategicpatch/patch.go (StrategicMergePatch, mergeMap, mergeSlice)
export function strategicMergePatch(original: unknown, patch: unknown, kind?: string): unknown {
  return smpMap(original, patch, kind, []);
}

function smpMap(original: unknown, patch: unknown, kind: string | undefined, path: string[]): unknown {
  if (!isObj(patch)) return structuredCloneJson(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredCloneJson(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isObj(original) ? { ...original } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = (out[f] as unknown[]).filter((x) => !(v as unknown[]).includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const mergeKey = kind === 'Service' && k === 'ports' && path[path.length - 1] === 'spec' ? 'port' : MERGE_KEYS[k];
      if (mergeKey && Array.isArray(out[k]) && v.every(isObj)) out[k] = smpList(out[k] as unknown[], v as Array<Record<string, unknown>>, mergeKey, kind, [...path, k]);
      else if (MERGED_PRIMITIVE_LISTS.has(k) && Array.isArray(out[k])) out[k] = [...new Set([...(out[k] as unknown[]), ...v])];
      else out[k] = structuredCloneJson(v.filter((e) => !(isObj(e) && e.$patch === 'delete')));
      continue;
    }
    const merged = smpMap(out[k], v, kind, [...path, k]);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function smpList(original: unknown[], patch: Array<Record<string, unknown>>, mergeKey: string, kind: string | undefined, path: string[]): unknown[] {
  if (patch.some((e) => e.$patch === 'replace')) return structuredCloneJson(patch.filter((e) => e.$patch !== 'replace'));
  const out = original.map((e) => e);
  for (const p of patch) {
    const idx = out.findIndex((e) => isObj(e) && e[mergeKey] === p[mergeKey]);
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = smpMap(out[idx], p, kind, path);
    else out.push(smpMap(undefined, p, kind, path));
  }
  return out;
}
