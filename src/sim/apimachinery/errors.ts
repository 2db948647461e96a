/**
 * The API errors of apimachinery pkg/api/errors (v0.34.0): constructors that build the
 * `metav1.Status` body kube-apiserver returns (code, reason, details, and upstream's exact
 * message), and the predicates clients decide on. An error is classified by its Status reason or,
 * when the reason is not one apimachinery knows, by its HTTP code. Errors are `StatusError`s
 * (core/errors.ts) whose `status` is the body; wrapping (`new Error(msg, { cause })`) is looked
 * through like Go's `errors.As`.
 * Upstream: apimachinery pkg/api/errors/errors.go; apiserver pkg/endpoints/handlers/responsewriters/status.go
 * (ErrorToAPIStatus) and handlers/negotiation/errors.go.
 */
import { StatusError, type Status, type StatusCause, type StatusDetails } from '../core/errors';
import { describe } from '../core/trace';
import { toAggregate, type FieldError } from './field';
import { goQuote } from './go';

export { StatusError, type Status, type StatusCause, type StatusDetails };

/** A StatusError (kept as a name for cache code: Go's `*StatusError` with `ErrStatus.Details`). */
export type APIStatusError = StatusError;

/** schema.GroupResource: `pods` (core) or `deployments` in `apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** schema.GroupKind: `Pod` (core) or `Deployment` in `apps`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** `pods`, `deployments.apps` (Go: `GroupResource.String`), or a string taken as already printed. */
function grString(gr: GroupResource): string {
  return gr.group.length === 0 ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** `Pod`, `Deployment.apps` (Go: `GroupKind.String`). */
function gkString(gk: GroupKind): string {
  return gk.group.length === 0 ? gk.kind : `${gk.kind}.${gk.group}`;
}

/** A GroupResource from `pods` or `deployments.apps` (Go: `schema.ParseGroupResource`). */
export function parseGroupResource(gr: string): GroupResource {
  const i = gr.indexOf('.');
  return i >= 0 ? { group: gr.slice(i + 1), resource: gr.slice(0, i) } : { group: '', resource: gr };
}

/** A GroupKind from `Pod` or `Deployment.apps` (Go: `schema.ParseGroupKind`). */
export function parseGroupKind(gk: string): GroupKind {
  const i = gk.indexOf('.');
  return i >= 0 ? { group: gk.slice(i + 1), kind: gk.slice(0, i) } : { group: '', kind: gk };
}

const toGR = (gr: GroupResource | string): GroupResource => (typeof gr === 'string' ? parseGroupResource(gr) : gr);
const toGK = (gk: GroupKind | string): GroupKind => (typeof gk === 'string' ? parseGroupKind(gk) : gk);

/** metav1.StatusReason values apimachinery knows (`knownReasons`; the empty reason is "unknown"). */
const KNOWN_REASONS = new Set([
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Invalid',
  'ServerTimeout',
  'StoreReadError',
  'Timeout',
  'TooManyRequests',
  'BadRequest',
  'MethodNotAllowed',
  'NotAcceptable',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'InternalError',
  'Expired',
  'ServiceUnavailable',
]);

/** metav1.CauseType values (the `reason` of a StatusCause). Upstream: apis/meta/v1/types.go */
export const CauseTypeFieldValueNotFound = 'FieldValueNotFound';
export const CauseTypeFieldValueRequired = 'FieldValueRequired';
export const CauseTypeFieldValueDuplicate = 'FieldValueDuplicate';
export const CauseTypeFieldValueInvalid = 'FieldValueInvalid';
export const CauseTypeFieldValueNotSupported = 'FieldValueNotSupported';
export const CauseTypeForbidden = 'FieldValueForbidden';
export const CauseTypeTooLong = 'FieldValueTooLong';
export const CauseTypeTooMany = 'FieldValueTooMany';
export const CauseTypeInternal = 'InternalError';
export const CauseTypeTypeInvalid = 'FieldValueTypeInvalid';
export const CauseTypeUnexpectedServerResponse = 'UnexpectedServerResponse';
export const CauseTypeFieldManagerConflict = 'FieldManagerConflict';
export const CauseTypeResourceVersionTooLarge = 'ResourceVersionTooLarge';

/** Details with Go's `omitempty`: empty strings, zero numbers and empty cause lists are left out. */
function details(d: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number }): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.causes && d.causes.length > 0) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = Math.trunc(d.retryAfterSeconds);
  return out;
}

/** A cause with Go's `omitempty`. A legacy `type` field (the Go field name) is read as `reason`. */
function cause(c: StatusCause & { type?: string }): StatusCause {
  const out: StatusCause = {};
  const reason = c.reason ?? c.type;
  if (reason) out.reason = reason;
  if (c.message) out.message = c.message;
  if (c.field) out.field = c.field;
  return out;
}

function failure(code: number, reason: string, message: string, d?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (d) status.details = d;
  return new StatusError(status);
}

/**
 * A StatusError with the given fields (and details, when given). Causes may name their type
 * `reason` (the wire name) or `type` (the Go field name).
 */
export function newStatusError(
  code: number,
  reason: string,
  message: string,
  d?: Omit<StatusDetails, 'causes'> & { causes?: Array<StatusCause & { type?: string }> },
): StatusError {
  if (!d) return failure(code, reason, message);
  const { causes, ...rest } = d;
  const out: StatusDetails = { ...rest };
  if (causes) out.causes = causes.map(cause);
  return failure(code, reason, message, out);
}

/** `404 NotFound`: `pods "web" not found`. Upstream: errors.go (NewNotFound) */
export function newNotFound(qualifiedResource: GroupResource | string, name: string): StatusError {
  const gr = toGR(qualifiedResource);
  return failure(404, 'NotFound', `${grString(gr)} ${goQuote(name)} not found`, details({ group: gr.group, kind: gr.resource, name }));
}

/** `409 AlreadyExists`: `pods "web" already exists`. Upstream: errors.go (NewAlreadyExists) */
export function newAlreadyExists(qualifiedResource: GroupResource | string, name: string): StatusError {
  const gr = toGR(qualifiedResource);
  return failure(409, 'AlreadyExists', `${grString(gr)} ${goQuote(name)} already exists`, details({ group: gr.group, kind: gr.resource, name }));
}

/** `409 AlreadyExists` for a generated name that collided. Upstream: errors.go (NewGenerateNameConflict) */
export function newGenerateNameConflict(qualifiedResource: GroupResource | string, name: string, retryAfterSeconds: number): StatusError {
  const gr = toGR(qualifiedResource);
  return failure(
    409,
    'AlreadyExists',
    `${grString(gr)} ${goQuote(name)} already exists, the server was not able to generate a unique name for the object`,
    details({ group: gr.group, kind: gr.resource, name, retryAfterSeconds }),
  );
}

/** `401 Unauthorized` (`not authorized` when no reason is given). Upstream: errors.go (NewUnauthorized) */
export function newUnauthorized(reason: string): StatusError {
  return failure(401, 'Unauthorized', reason.length === 0 ? 'not authorized' : reason);
}

/** `403 Forbidden`: `pods "web" is forbidden: <err>`. Upstream: errors.go (NewForbidden) */
export function newForbidden(qualifiedResource: GroupResource | string, name: string, err: Error): StatusError {
  const gr = toGR(qualifiedResource);
  let message: string;
  if (gr.group === '' && gr.resource === '') message = `forbidden: ${err.message}`;
  else if (name === '') message = `${grString(gr)} is forbidden: ${err.message}`;
  else message = `${grString(gr)} ${goQuote(name)} is forbidden: ${err.message}`;
  return failure(403, 'Forbidden', message, details({ group: gr.group, kind: gr.resource, name }));
}

/** The error text optimistic concurrency reports (Go: `registry.OptimisticLockErrorMsg`). Upstream: apiserver pkg/registry/generic/registry/store.go */
export const OptimisticLockErrorMsg = 'the object has been modified; please apply your changes to the latest version and try again';

/**
 * `409 Conflict`: `Operation cannot be fulfilled on pods "web": <err>` — with `err` omitted, the
 * optimistic-lock text kube-apiserver uses for a stale resourceVersion.
 * Upstream: errors.go (NewConflict)
 */
export function newConflict(qualifiedResource: GroupResource | string, name: string, err: Error = new Error(OptimisticLockErrorMsg)): StatusError {
  const gr = toGR(qualifiedResource);
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${grString(gr)} ${goQuote(name)}: ${err.message}`, details({ group: gr.group, kind: gr.resource, name }));
}

/** `409 Conflict` with the given causes (server-side apply). Upstream: errors.go (NewApplyConflict) */
export function newApplyConflict(causes: StatusCause[], message: string): StatusError {
  return failure(409, 'Conflict', message, details({ causes: causes.map(cause) }));
}

/** `410 Gone` (deprecated upstream in favour of NewResourceExpired). Upstream: errors.go (NewGone) */
export function newGone(message: string): StatusError {
  return failure(410, 'Gone', message);
}

/**
 * `410 Expired`, e.g. `too old resource version: 5 (10)` (see `tooOldResourceVersionMessage`).
 * Upstream: errors.go (NewResourceExpired)
 */
export function newResourceExpired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

/**
 * The message of the 410 the watch cache returns for a watch from a resourceVersion older than
 * the oldest event it keeps: `too old resource version: <requested> (<oldest kept - 1>)`, or
 * without the parenthesis for a list (`oldest` omitted).
 * Upstream: apiserver pkg/storage/cacher/watch_cache.go (getAllEventsSinceLocked, waitUntilFreshAndList paths)
 */
export function tooOldResourceVersionMessage(requested: number | string, oldest?: number | string): string {
  return oldest === undefined ? `too old resource version: ${requested}` : `too old resource version: ${requested} (${oldest})`;
}

/**
 * `422 Invalid`: `Pod "web" is invalid: [metadata.name: Invalid value: ..., spec.containers: Required value]`,
 * each field error also a cause `{ reason, message, field }`. Upstream: errors.go (NewInvalid)
 */
export function newInvalid(qualifiedKind: GroupKind | string, name: string, errs: readonly FieldError[]): StatusError {
  const gk = toGK(qualifiedKind);
  const causes = errs.map((e) => cause({ reason: e.type, message: e.errorBody(), field: e.field }));
  const agg = toAggregate(errs);
  const message = agg ? `${gkString(gk)} ${goQuote(name)} is invalid: ${agg.message}` : `${gkString(gk)} ${goQuote(name)} is invalid`;
  return failure(422, 'Invalid', message, details({ group: gk.group, kind: gk.kind, name, causes }));
}

/** `400 BadRequest` with the message as given. Upstream: errors.go (NewBadRequest) */
export function newBadRequest(reason: string): StatusError {
  return failure(400, 'BadRequest', reason);
}

/** `429 TooManyRequests` with the message as given and `retryAfterSeconds`. Upstream: errors.go (NewTooManyRequests) */
export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return failure(429, 'TooManyRequests', message, details({ retryAfterSeconds }));
}

/** `503 ServiceUnavailable`. Upstream: errors.go (NewServiceUnavailable) */
export function newServiceUnavailable(reason: string): StatusError {
  return failure(503, 'ServiceUnavailable', reason);
}

/** `405 MethodNotAllowed`: `watch is not supported on resources of kind "pods"`. Upstream: errors.go (NewMethodNotSupported) */
export function newMethodNotSupported(qualifiedResource: GroupResource | string, action: string): StatusError {
  const gr = toGR(qualifiedResource);
  return failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind ${goQuote(grString(gr))}`, details({ group: gr.group, kind: gr.resource }));
}

/** `500 ServerTimeout`: `The <op> operation against <resource> could not be completed at this time, please try again.` Upstream: errors.go (NewServerTimeout) */
export function newServerTimeout(qualifiedResource: GroupResource | string, operation: string, retryAfterSeconds: number): StatusError {
  const gr = toGR(qualifiedResource);
  return failure(
    500,
    'ServerTimeout',
    `The ${operation} operation against ${grString(gr)} could not be completed at this time, please try again.`,
    details({ group: gr.group, kind: gr.resource, name: operation, retryAfterSeconds }),
  );
}

/** NewServerTimeout with a kind in the resource's place. Upstream: errors.go (NewServerTimeoutForKind) */
export function newServerTimeoutForKind(qualifiedKind: GroupKind | string, operation: string, retryAfterSeconds: number): StatusError {
  const gk = toGK(qualifiedKind);
  return newServerTimeout({ group: gk.group, resource: gk.kind }, operation, retryAfterSeconds);
}

/** `500 InternalError`: `Internal error occurred: <err>`, the error also a cause. Upstream: errors.go (NewInternalError) */
export function newInternalError(err: Error): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${err.message}`, details({ causes: [cause({ message: err.message })] }));
}

/** `504 Timeout`: `Timeout: <message>`. Upstream: errors.go (NewTimeoutError) */
export function newTimeoutError(message: string, retryAfterSeconds: number): StatusError {
  return failure(504, 'Timeout', `Timeout: ${message}`, details({ retryAfterSeconds }));
}

/** `429 TooManyRequests`: `Too many requests: <message>` (no retry delay). Upstream: errors.go (NewTooManyRequestsError) */
export function newTooManyRequestsError(message: string): StatusError {
  return failure(429, 'TooManyRequests', `Too many requests: ${message}`);
}

/** `413 RequestEntityTooLarge`: `Request entity too large: <message>`. Upstream: errors.go (NewRequestEntityTooLargeError) */
export function newRequestEntityTooLargeError(message: string): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/**
 * A Status for a response that is not in a recognizable form; kube-apiserver also uses it for a
 * JSON patch that does not apply (code 422). Upstream: errors.go (NewGenericServerResponse)
 */
export function newGenericServerResponse(
  code: number,
  verb: string,
  qualifiedResource: GroupResource | string,
  name: string,
  serverMessage: string,
  retryAfterSeconds: number,
  isUnexpectedResponse: boolean,
): StatusError {
  const gr = toGR(qualifiedResource);
  let reason = '';
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = verb === 'POST' ? 'AlreadyExists' : 'Conflict';
      message = 'the server reported a conflict';
      break;
    case 404:
      reason = 'NotFound';
      message = 'the server could not find the requested resource';
      break;
    case 400:
      reason = 'BadRequest';
      message = 'the server rejected our request for an unknown reason';
      break;
    case 401:
      reason = 'Unauthorized';
      message = 'the server has asked for the client to provide credentials';
      break;
    case 403:
      reason = 'Forbidden';
      message = serverMessage;
      break;
    case 406:
      reason = 'NotAcceptable';
      message = serverMessage.length === 0 || serverMessage === 'unknown' ? 'the server was unable to respond with a content type that the client supports' : serverMessage;
      break;
    case 415:
      reason = 'UnsupportedMediaType';
      message = serverMessage;
      break;
    case 405:
      reason = 'MethodNotAllowed';
      message = 'the server does not allow this method on the requested resource';
      break;
    case 422:
      reason = 'Invalid';
      message = 'the server rejected our request due to an error in our request';
      break;
    case 503:
      reason = 'ServiceUnavailable';
      message = 'the server is currently unable to handle the request';
      break;
    case 504:
      reason = 'Timeout';
      message = 'the server was unable to return a response in the time allotted, but may still be processing the request';
      break;
    case 429:
      reason = 'TooManyRequests';
      message = 'the server has received too many requests and has asked us to try again later';
      break;
    default:
      if (code >= 500) {
        reason = 'InternalError';
        message = `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  const empty = gr.group === '' && gr.resource === '';
  if (!empty && name.length > 0) message = `${message} (${verb.toLowerCase()} ${grString(gr)} ${name})`;
  else if (!empty) message = `${message} (${verb.toLowerCase()} ${grString(gr)})`;
  const causes = isUnexpectedResponse ? [cause({ reason: CauseTypeUnexpectedServerResponse, message: serverMessage })] : undefined;
  return failure(code, reason, message, details({ group: gr.group, kind: gr.resource, name, causes, retryAfterSeconds }));
}

/**
 * `415 UnsupportedMediaType` for a patch type the resource does not accept (custom resources take
 * no strategic merge patch): `the body of the request was in an unknown format - accepted media types include: ...`.
 * Upstream: apiserver pkg/endpoints/handlers/negotiation/errors.go (NewUnsupportedMediaTypeError)
 */
export function newUnsupportedMediaTypeError(accepted: readonly string[]): StatusError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/** `406 NotAcceptable`. Upstream: apiserver pkg/endpoints/handlers/negotiation/errors.go (NewNotAcceptableError) */
export function newNotAcceptableError(accepted: readonly string[]): StatusError {
  return failure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

/**
 * The Status body kube-apiserver writes for any error: a StatusError's body (kind and apiVersion
 * set, code 500 when missing), or `500` with an unknown reason and the error's message.
 * Upstream: apiserver pkg/endpoints/handlers/responsewriters/status.go (ErrorToAPIStatus)
 */
export function errorToAPIStatus(err: unknown): Status {
  const s = asStatusError(err);
  if (s) {
    const status: Status = { ...s.status, kind: 'Status', apiVersion: 'v1' };
    if (!status.status) status.status = 'Failure';
    if (status.code === 0) status.code = status.status === 'Success' ? 200 : 500;
    if (!status.metadata) status.metadata = {};
    return status;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: '', code: 500 };
}

/**
 * The Status of an API error as an ERROR watch event carries it (Go: `err.Status()`), in the
 * shape the cache's fake source has always used: no `metadata`.
 */
export function statusOf(err: StatusError): Status {
  const status: Status = { apiVersion: 'v1', kind: 'Status', status: 'Failure', message: err.message, reason: err.reason, code: err.code };
  if (err.details) status.details = err.details;
  return status;
}

/**
 * The error an ERROR watch event stands for (Go: `FromObject`): a StatusError for a Status, or
 * `unexpected object: ...` for anything else. Upstream: errors.go (FromObject)
 */
export function fromObject(obj: unknown): Error {
  const s = obj as Partial<Status> | null;
  if (s && typeof s === 'object' && s.kind === 'Status' && typeof s.code === 'number') {
    return newStatusError(s.code, s.reason ?? '', s.message ?? '', s.details);
  }
  return new Error(`unexpected object: ${describe(obj)}`);
}

/** The first StatusError in `err`'s cause chain (Go: `errors.As(err, &APIStatus)`). */
export function asStatusError(err: unknown): StatusError | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 32; depth++) {
    if (e instanceof StatusError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The Status reason, `''` for an error without a Status. Upstream: errors.go (ReasonForError) */
export function reasonForError(err: unknown): string {
  return asStatusError(err)?.reason ?? '';
}

function reasonAndCode(err: unknown): { reason: string; code: number } {
  const s = asStatusError(err);
  return s ? { reason: s.reason, code: s.code } : { reason: '', code: 0 };
}

/** The reason matches, or the reason is unknown and the code matches (the shared shape of the Is* predicates). */
function is(err: unknown, reason: string, code: number): boolean {
  const rc = reasonAndCode(err);
  if (rc.reason === reason) return true;
  return !KNOWN_REASONS.has(rc.reason) && rc.code === code;
}

/** Upstream: errors.go (IsNotFound) */
export function isNotFound(err: unknown): boolean {
  return is(err, 'NotFound', 404);
}

/** Reason `AlreadyExists` only. Upstream: errors.go (IsAlreadyExists) */
export function isAlreadyExists(err: unknown): boolean {
  return reasonForError(err) === 'AlreadyExists';
}

/** Upstream: errors.go (IsConflict) */
export function isConflict(err: unknown): boolean {
  return is(err, 'Conflict', 409);
}

/** Upstream: errors.go (IsInvalid) */
export function isInvalid(err: unknown): boolean {
  return is(err, 'Invalid', 422);
}

/** Upstream: errors.go (IsGone) */
export function isGone(err: unknown): boolean {
  return is(err, 'Gone', 410);
}

/** Reason `Expired` only. Upstream: errors.go (IsResourceExpired) */
export function isResourceExpired(err: unknown): boolean {
  return reasonForError(err) === 'Expired';
}

/** Upstream: errors.go (IsNotAcceptable) */
export function isNotAcceptable(err: unknown): boolean {
  return is(err, 'NotAcceptable', 406);
}

/** Upstream: errors.go (IsUnsupportedMediaType) */
export function isUnsupportedMediaType(err: unknown): boolean {
  return is(err, 'UnsupportedMediaType', 415);
}

/** Upstream: errors.go (IsMethodNotSupported) */
export function isMethodNotSupported(err: unknown): boolean {
  return is(err, 'MethodNotAllowed', 405);
}

/** Upstream: errors.go (IsServiceUnavailable) */
export function isServiceUnavailable(err: unknown): boolean {
  return is(err, 'ServiceUnavailable', 503);
}

/** Upstream: errors.go (IsBadRequest) */
export function isBadRequest(err: unknown): boolean {
  return is(err, 'BadRequest', 400);
}

/** Upstream: errors.go (IsUnauthorized) */
export function isUnauthorized(err: unknown): boolean {
  return is(err, 'Unauthorized', 401);
}

/** Upstream: errors.go (IsForbidden) */
export function isForbidden(err: unknown): boolean {
  return is(err, 'Forbidden', 403);
}

/** Upstream: errors.go (IsTimeout) */
export function isTimeout(err: unknown): boolean {
  return is(err, 'Timeout', 504);
}

/** Reason `ServerTimeout` only (no code is specific to it). Upstream: errors.go (IsServerTimeout) */
export function isServerTimeout(err: unknown): boolean {
  return reasonForError(err) === 'ServerTimeout';
}

/** Upstream: errors.go (IsInternalError) */
export function isInternalError(err: unknown): boolean {
  return is(err, 'InternalError', 500);
}

/** The reason, or code 429 whatever the reason (older than the other checks). Upstream: errors.go (IsTooManyRequests) */
export function isTooManyRequests(err: unknown): boolean {
  const rc = reasonAndCode(err);
  return rc.reason === 'TooManyRequests' || rc.code === 429;
}

/** The reason, or code 413 whatever the reason. Upstream: errors.go (IsRequestEntityTooLargeError) */
export function isRequestEntityTooLargeError(err: unknown): boolean {
  const rc = reasonAndCode(err);
  return rc.reason === 'RequestEntityTooLarge' || rc.code === 413;
}

/** Reason `StoreReadError` only. Upstream: errors.go (IsStoreReadError) */
export function isStoreReadError(err: unknown): boolean {
  return reasonForError(err) === 'StoreReadError';
}

/** A cause of type `UnexpectedServerResponse`. Upstream: errors.go (IsUnexpectedServerError) */
export function isUnexpectedServerError(err: unknown): boolean {
  return hasStatusCause(err, CauseTypeUnexpectedServerResponse);
}

/** The first cause of the given type (Go: `StatusCause`); supports wrapped errors. Upstream: errors.go (StatusCause) */
export function statusCause(err: unknown, causeType: string): StatusCause | undefined {
  const s = asStatusError(err);
  return s?.details?.causes?.find((c) => c.reason === causeType);
}

/** Whether the error has a cause of the given type; supports wrapped errors. Upstream: errors.go (HasStatusCause) */
export function hasStatusCause(err: unknown, causeType: string): boolean {
  return statusCause(err, causeType) !== undefined;
}

/**
 * The delay an error asks the client to wait, in seconds: `{ seconds, ok }` (Go returns `(int, bool)`).
 * Upstream: errors.go (SuggestsClientDelay)
 */
export function suggestsClientDelay(err: unknown): { seconds: number; ok: boolean } {
  const s = asStatusError(err);
  if (s?.details) {
    if (s.reason === 'ServerTimeout') return { seconds: s.details.retryAfterSeconds ?? 0, ok: true };
    if ((s.details.retryAfterSeconds ?? 0) > 0) return { seconds: s.details.retryAfterSeconds!, ok: true };
  }
  return { seconds: 0, ok: false };
}
