/**
 * The few predicates and constructors of apimachinery pkg/api/errors (v0.34.0) that the Reflector
 * and its pager decide on: an error is classified by its Status reason, or, when the reason is not
 * one apimachinery knows, by its HTTP code. Errors are `StatusError`s (core/errors.ts), optionally
 * carrying Status details; wrapping (`new Error(msg, { cause })`) is looked through like Go's
 * `errors.As`.
 * Upstream: apimachinery pkg/api/errors/errors.go (IsGone, IsResourceExpired, IsTooManyRequests,
 * IsInternalError, IsTimeout, HasStatusCause, FromObject, NewResourceExpired, ...).
 */
import { StatusError } from '../core/errors';
import { describe } from '../core/trace';
import type { Status, StatusDetails } from './listwatch';

/** A StatusError that may carry the Status details (Go: `*StatusError{ErrStatus}`). */
export type APIStatusError = StatusError & { readonly details?: StatusDetails };

/** metav1.StatusReason values apimachinery knows (`knownReasons`). */
const KNOWN_REASONS = new Set([
  '',
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

/** metav1.CauseTypeResourceVersionTooLarge. */
export const CauseTypeResourceVersionTooLarge = 'ResourceVersionTooLarge';

/** A StatusError with the given fields (and details, when given). */
export function newStatusError(code: number, reason: string, message: string, details?: StatusDetails): APIStatusError {
  const err = new StatusError(code, reason, message) as StatusError & { details?: StatusDetails };
  if (details) err.details = details;
  return err;
}

/** `410 Expired` (Go: `NewResourceExpired(message)`). */
export function newResourceExpired(message: string): APIStatusError {
  return newStatusError(410, 'Expired', message);
}

/** `429 TooManyRequests` (Go: `NewTooManyRequests(message, retryAfterSeconds)`). */
export function newTooManyRequests(message: string, retryAfterSeconds: number): APIStatusError {
  return newStatusError(429, 'TooManyRequests', `Too many requests: ${message}`, { retryAfterSeconds });
}

/** `500 InternalError` (Go: `NewInternalError(err)`). */
export function newInternalError(err: Error): APIStatusError {
  return newStatusError(500, 'InternalError', `Internal error occurred: ${err.message}`, { causes: [{ message: err.message }] });
}

/** `504 Timeout` (Go: `NewTimeoutError(message, retryAfterSeconds)`). */
export function newTimeoutError(message: string, retryAfterSeconds: number): APIStatusError {
  return newStatusError(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds });
}

/** The Status of an API error, as an ERROR watch event would carry it (Go: `err.Status()`). */
export function statusOf(err: APIStatusError): Status {
  const status: Status = { apiVersion: 'v1', kind: 'Status', status: 'Failure', message: err.message, reason: err.reason, code: err.code };
  if (err.details) status.details = err.details;
  return status;
}

/**
 * The error an ERROR watch event stands for (Go: `FromObject`): a StatusError for a Status, or
 * "unexpected object: ..." for anything else.
 */
export function fromObject(obj: unknown): Error {
  const s = obj as Partial<Status> | null;
  if (s && typeof s === 'object' && s.kind === 'Status' && typeof s.code === 'number') {
    return newStatusError(s.code, s.reason ?? '', s.message ?? '', s.details);
  }
  return new Error(`unexpected object: ${describe(obj)}`);
}

/** The first StatusError in `err`'s cause chain (Go: `errors.As(err, &APIStatus)`). */
export function asStatusError(err: unknown): APIStatusError | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 32; depth++) {
    if (e instanceof StatusError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function reasonAndCode(err: unknown): { reason: string; code: number } {
  const s = asStatusError(err);
  return s ? { reason: s.reason, code: s.code } : { reason: '', code: 0 };
}

/** The reason, or an unknown reason with the code (Go's `reasonAndCodeForError` checks). */
function is(err: unknown, reason: string, code: number): boolean {
  const rc = reasonAndCode(err);
  if (rc.reason === reason) return rc.reason !== '';
  return !KNOWN_REASONS.has(rc.reason) && rc.code === code;
}

/** Go: `IsResourceExpired` (reason `Expired` only). */
export function isResourceExpired(err: unknown): boolean {
  return asStatusError(err)?.reason === 'Expired';
}

/** Go: `IsGone`. */
export function isGone(err: unknown): boolean {
  return is(err, 'Gone', 410);
}

/** Go: `IsTooManyRequests`. */
export function isTooManyRequests(err: unknown): boolean {
  return is(err, 'TooManyRequests', 429);
}

/** Go: `IsInternalError`. */
export function isInternalError(err: unknown): boolean {
  return is(err, 'InternalError', 500);
}

/** Go: `IsTimeout`. */
export function isTimeout(err: unknown): boolean {
  return is(err, 'Timeout', 504);
}

/** Go: `HasStatusCause` (a type assertion upstream: a wrapped error does not count). */
export function hasStatusCause(err: unknown, causeType: string): boolean {
  if (!(err instanceof StatusError)) return false;
  const causes = (err as APIStatusError).details?.causes ?? [];
  return causes.some((c) => c.type === causeType);
}
