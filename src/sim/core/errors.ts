/**
 * metav1.StatusCause: one cause of a failure. On the wire the cause type is the JSON field
 * `reason` (Go: `Type CauseType json:"reason"`), e.g. `FieldValueRequired`.
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** metav1.StatusDetails. `kind` holds the resource (`pods`) or the kind (`Pod`), as upstream's constructors fill it. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/**
 * metav1.Status as kube-apiserver writes it for a failure:
 * `{ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details?, code }`.
 */
export interface Status {
  kind: 'Status';
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/**
 * An error the way the Kubernetes API returns one: HTTP code, reason and upstream wording
 * (`404 NotFound`, `409 Conflict`, `410 Gone`, `422 Invalid`, `429 TooManyRequests`), carrying
 * the `metav1.Status` body in `status` (Go: `StatusError{ErrStatus}`).
 * `new StatusError(code, reason, message, details?)` or `new StatusError(status)`.
 * Upstream: apimachinery pkg/api/errors/errors.go (StatusError)
 */
export class StatusError extends Error {
  /** The `metav1.Status` body; `message`, `reason` and `code` mirror its fields. */
  readonly status: Status;

  constructor(status: Status);
  constructor(code: number, reason: string, message: string, details?: StatusDetails);
  constructor(codeOrStatus: number | Status, reason?: string, message?: string, details?: StatusDetails) {
    const status: Status =
      typeof codeOrStatus === 'object'
        ? { ...codeOrStatus }
        : { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: message ?? '', reason: reason ?? '', code: codeOrStatus };
    if (typeof codeOrStatus !== 'object' && details) status.details = details;
    super(status.message);
    this.name = 'StatusError';
    this.status = status;
  }

  /** The HTTP code (Go: `ErrStatus.Code`). */
  get code(): number {
    return this.status.code;
  }

  /** The machine-readable reason, `''` when unknown (Go: `ErrStatus.Reason`). */
  get reason(): string {
    return this.status.reason;
  }

  /** The Status details, when there are any (Go: `ErrStatus.Details`). */
  get details(): StatusDetails | undefined {
    return this.status.details;
  }
}

/** A misuse of a model's API by the caller (bad argument, illegal transition). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
