/**
 * An error the way the Kubernetes API returns one: HTTP code, reason and upstream wording
 * (`404 NotFound`, `409 Conflict`, `410 Gone`, `422 Invalid`, `429 TooManyRequests`).
 */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'StatusError';
  }
}

/** A misuse of a model's API by the caller (bad argument, illegal transition). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
