/**
 * The storage layer's errors and how the registry turns them into API errors.
 * Upstream: apiserver pkg/storage/errors.go (StorageError, NewKeyNotFoundError, ...,
 * NewTooLargeResourceVersionError), pkg/storage/errors/storage.go (Interpret*Error)
 */
import {
  hasStatusCause,
  newAlreadyExists,
  newConflict,
  newInternalError,
  newNotFound,
  newStatusError,
  isTimeout,
  CauseTypeResourceVersionTooLarge,
  type GroupResource,
  type StatusError,
} from '../../apimachinery/errors';
import { invalid, newPath, toAggregate, type FieldError } from '../../apimachinery/field';

export const ErrCodeKeyNotFound = 1;
export const ErrCodeKeyExists = 2;
export const ErrCodeResourceVersionConflicts = 3;
export const ErrCodeInvalidObj = 4;

const CODE_TEXT: Record<number, string> = {
  1: 'key not found',
  2: 'key exists',
  3: 'resource version conflicts',
  4: 'invalid object',
  5: 'server unreachable',
  6: 'request timeout',
  7: 'corrupt object',
};

/** storage.StorageError. */
// Upstream: pkg/storage/errors.go (StorageError.Error)
export class StorageError extends Error {
  constructor(
    readonly code: number,
    readonly key: string,
    readonly resourceVersion: number,
    readonly additional?: string,
  ) {
    super(`StorageError: ${CODE_TEXT[code]}, Code: ${code}, Key: ${key}, ResourceVersion: ${resourceVersion}, AdditionalErrorMsg: ${additional ?? '<nil>'}`);
    this.name = 'StorageError';
  }
}

export const newKeyNotFoundError = (key: string, rv: number) => new StorageError(ErrCodeKeyNotFound, key, rv);
export const newKeyExistsError = (key: string, rv: number) => new StorageError(ErrCodeKeyExists, key, rv);
export const newInvalidObjError = (key: string, msg: string) => new StorageError(ErrCodeInvalidObj, key, 0, msg);

const isCode = (err: unknown, code: number) => err instanceof StorageError && err.code === code;
export const isStorageNotFound = (err: unknown) => isCode(err, ErrCodeKeyNotFound);
export const isStorageExist = (err: unknown) => isCode(err, ErrCodeKeyExists);
export const isStorageConflict = (err: unknown) => isCode(err, ErrCodeResourceVersionConflicts);
export const isStorageInvalidObj = (err: unknown) => isCode(err, ErrCodeInvalidObj);

/** storage.InvalidError: a field.ErrorList from the storage layer (e.g. an unparsable resourceVersion). */
export class StorageInvalidError extends Error {
  constructor(readonly errs: FieldError[]) {
    super(toAggregate(errs)?.message ?? '');
    this.name = 'InvalidError';
  }
}

/** storage.InternalError: a failure inside the storage package (not etcd's). */
export class StorageInternalError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InternalError';
  }
}

/** A "too large resource version" Timeout (504) with the ResourceVersionTooLarge cause. */
// Upstream: pkg/storage/errors.go (NewTooLargeResourceVersionError)
export function newTooLargeResourceVersionError(minimumResourceVersion: number, currentRevision: number, retrySeconds: number): StatusError {
  return newStatusError(504, 'Timeout', `Timeout: Too large resource version: ${minimumResourceVersion}, current: ${currentRevision}`, {
    causes: [{ reason: CauseTypeResourceVersionTooLarge, message: 'Too large resource version' }],
    retryAfterSeconds: retrySeconds,
  });
}

/** Go: `storage.IsTooLargeResourceVersion`. */
export function isTooLargeResourceVersion(err: unknown): boolean {
  return isTimeout(err) && hasStatusCause(err, CauseTypeResourceVersionTooLarge);
}

/** The error of an unparsable resourceVersion (Go: `APIObjectVersioner.ParseResourceVersion`). */
export function invalidResourceVersion(rv: string): StorageInvalidError {
  return new StorageInvalidError([invalid(newPath('resourceVersion'), rv, `strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`)]);
}

function passThrough(err: unknown): unknown {
  if (err instanceof StorageInternalError) return newInternalError(err);
  return err;
}

// Upstream: pkg/storage/errors/storage.go (InterpretListError)
export function interpretListError(err: unknown, gr: GroupResource): unknown {
  if (isStorageNotFound(err)) return newNotFound(gr, '');
  return passThrough(err);
}

// Upstream: pkg/storage/errors/storage.go (InterpretGetError)
export function interpretGetError(err: unknown, gr: GroupResource, name: string): unknown {
  if (isStorageNotFound(err)) return newNotFound(gr, name);
  return passThrough(err);
}

// Upstream: pkg/storage/errors/storage.go (InterpretCreateError)
export function interpretCreateError(err: unknown, gr: GroupResource, name: string): unknown {
  if (isStorageExist(err)) return newAlreadyExists(gr, name);
  return passThrough(err);
}

// Upstream: pkg/storage/errors/storage.go (InterpretUpdateError)
export function interpretUpdateError(err: unknown, gr: GroupResource, name: string): unknown {
  if (isStorageConflict(err) || isStorageExist(err) || isStorageInvalidObj(err)) return newConflict(gr, name, err as Error);
  if (isStorageNotFound(err)) return newNotFound(gr, name);
  return passThrough(err);
}

// Upstream: pkg/storage/errors/storage.go (InterpretDeleteError)
export function interpretDeleteError(err: unknown, gr: GroupResource, name: string): unknown {
  if (isStorageNotFound(err)) return newNotFound(gr, name);
  if (isStorageConflict(err) || isStorageExist(err) || isStorageInvalidObj(err)) return newConflict(gr, name, err as Error);
  return passThrough(err);
}
