/**
 * etcd's errors as a client sees them: a gRPC status code and etcd's own text, word for word
 * (api/v3/v3rpc/rpctypes/error.go at v3.6.0). The model rejects with an `EtcdError` whose
 * `message` is the text clientv3's `err.Error()` prints and whose `code` is the gRPC code name.
 * The mvcc and lease layers use their own, shorter errors (`mvcc: required revision has been
 * compacted`, `lease not found`); the server maps them as v3rpc's `togRPCError` does.
 */

/** gRPC status codes (google.golang.org/grpc/codes), by name. */
export const GRPC_CODES = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;

export type GrpcCode = keyof typeof GRPC_CODES;

/** One of etcd's client-facing errors: its gRPC code and its text. */
export interface EtcdErrorSpec {
  readonly code: GrpcCode;
  readonly message: string;
}

const spec = (code: GrpcCode, message: string): EtcdErrorSpec => Object.freeze({ code, message });

/**
 * The errors the model returns, named as in clientv3's `rpctypes` (`rpctypes.ErrCompacted`).
 * Compare with `isEtcdError(err, rpctypes.ErrCompacted)` or by `message`.
 */
// Upstream: api/v3/v3rpc/rpctypes/error.go (ErrGRPC*, and the client-side Err* built from them)
export const rpctypes = Object.freeze({
  ErrEmptyKey: spec('InvalidArgument', 'etcdserver: key is not provided'),
  ErrKeyNotFound: spec('InvalidArgument', 'etcdserver: key not found'),
  ErrValueProvided: spec('InvalidArgument', 'etcdserver: value is provided'),
  ErrLeaseProvided: spec('InvalidArgument', 'etcdserver: lease is provided'),
  ErrTooManyOps: spec('InvalidArgument', 'etcdserver: too many operations in txn request'),
  ErrDuplicateKey: spec('InvalidArgument', 'etcdserver: duplicate key given in txn request'),
  ErrInvalidSortOption: spec('InvalidArgument', 'etcdserver: invalid sort option'),
  ErrCompacted: spec('OutOfRange', 'etcdserver: mvcc: required revision has been compacted'),
  ErrFutureRev: spec('OutOfRange', 'etcdserver: mvcc: required revision is a future revision'),
  ErrLeaseNotFound: spec('NotFound', 'etcdserver: requested lease not found'),
  ErrLeaseExist: spec('FailedPrecondition', 'etcdserver: lease already exists'),
  ErrLeaseTTLTooLarge: spec('OutOfRange', 'etcdserver: too large lease TTL'),
  ErrRequestTooLarge: spec('InvalidArgument', 'etcdserver: request is too large'),
  ErrWatchCanceled: spec('Canceled', 'etcdserver: watch canceled'),
});

export type RpcErrorName = keyof typeof rpctypes;

/** An error etcd returned: `code` is the gRPC status code's name, `message` etcd's text. */
export class EtcdError extends Error {
  readonly code: GrpcCode;

  constructor(s: EtcdErrorSpec) {
    super(s.message);
    this.name = 'EtcdError';
    this.code = s.code;
  }

  /** The numeric gRPC status code (e.g. 11 for OutOfRange). */
  get grpcCode(): number {
    return GRPC_CODES[this.code];
  }
}

/** Whether `err` is an etcd error, and (given `which`) that one. */
export function isEtcdError(err: unknown, which?: EtcdErrorSpec): err is EtcdError {
  if (!(err instanceof EtcdError)) return false;
  return which === undefined || (err.message === which.message && err.code === which.code);
}

/** Errors of the mvcc layer (server/storage/mvcc), before the server maps them. */
// Upstream: server/storage/mvcc/kvstore.go (ErrCompacted, ErrFutureRev), watcher.go
export const mvccErrors = Object.freeze({
  ErrCompacted: 'mvcc: required revision has been compacted',
  ErrFutureRev: 'mvcc: required revision is a future revision',
  ErrEmptyWatcherRange: 'mvcc: watcher range is empty',
  ErrWatcherNotExist: 'mvcc: watcher does not exist',
  ErrWatcherDuplicateID: 'mvcc: duplicate watch ID provided on the WatchStream',
});

/** An error of the mvcc layer (its text is one of `mvccErrors`). */
export class MvccError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MvccError';
  }
}

/** Errors of the lessor (server/lease/lessor.go). */
export const leaseErrors = Object.freeze({
  ErrNotPrimary: 'not a primary lessor',
  ErrLeaseNotFound: 'lease not found',
  ErrLeaseExists: 'lease already exists',
  ErrLeaseTTLTooLarge: 'too large lease TTL',
});

/** An error of the lessor (its text is one of `leaseErrors`). */
export class LeaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseError';
  }
}

/** The client-facing error for an mvcc, lease or server error. */
// Upstream: server/etcdserver/api/v3rpc/util.go (togRPCError)
export function togRPCError(err: unknown): unknown {
  if (err instanceof MvccError) {
    if (err.message === mvccErrors.ErrCompacted) return new EtcdError(rpctypes.ErrCompacted);
    if (err.message === mvccErrors.ErrFutureRev) return new EtcdError(rpctypes.ErrFutureRev);
  }
  if (err instanceof LeaseError) {
    if (err.message === leaseErrors.ErrLeaseNotFound) return new EtcdError(rpctypes.ErrLeaseNotFound);
    if (err.message === leaseErrors.ErrLeaseExists) return new EtcdError(rpctypes.ErrLeaseExist);
    if (err.message === leaseErrors.ErrLeaseTTLTooLarge) return new EtcdError(rpctypes.ErrLeaseTTLTooLarge);
  }
  return err;
}
