/**
 * Errors as kubectl reports them: an API error keeps the server's metav1.Status and prints as
 * `Error from server (NotFound): pods "web" not found`; an Invalid status prints its causes; a
 * resource type the server does not serve prints `the server doesn't have a resource type "x"`;
 * anything else is `error: <message>`.
 */

/** metav1.Status as the server sends it on failure. */
export interface Status {
  kind?: 'Status';
  apiVersion?: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
    retryAfterSeconds?: number;
  };
  metadata?: Record<string, unknown>;
}

/** An error answered by the API server (apimachinery's errors.StatusError). */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? '');
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code ?? 0;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** meta.NoResourceMatchError: a resource type discovery does not list. */
export class NoResourceMatchError extends Error {
  constructor(readonly resource: string, readonly group = '', readonly version = '') {
    super(`no matches for ${[group, version, resource].filter(Boolean).join('/')}`);
    this.name = 'NoResourceMatchError';
  }
}

/** meta.NoKindMatchError: a manifest's kind that no served resource has. */
export class NoKindMatchError extends Error {
  constructor(readonly kind: string, readonly group: string, readonly versions: string[]) {
    const gv = group ? `${group}/${versions[0] ?? ''}` : versions[0] ?? '';
    super(`no matches for kind "${kind}" in version "${gv}"`);
    this.name = 'NoKindMatchError';
  }
}

/** A client-side error; printed as `error: <message>` (kubectl's checkErr default). */
export class KubectlError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'KubectlError';
  }
}

/** Several errors printed one per line (kubectl's utilerrors.Aggregate). */
export class AggregateError extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.map((e) => e.message).join(', '));
    this.name = 'AggregateError';
  }
}

/** The HTTP reason phrases Go's net/http uses (`404 Not Found`). */
export const HTTP_STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The error for a non-2xx answer: the Status the server sent, or one client-go makes up for a
 * body that is not a Status (apimachinery errors.NewGenericServerResponse wording).
 */
// Upstream: client-go rest/request.go (transformResponse, newUnstructuredResponseError)
export function errorFromResponse(code: number, body: unknown, verb: string): StatusError {
  if (isStatus(body) && body.status === 'Failure') {
    return new StatusError({ ...body, code: body.code ?? code });
  }
  const [reason, message] = genericReason(code, verb);
  return new StatusError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code });
}

function isStatus(body: unknown): body is Status {
  return typeof body === 'object' && body !== null && (body as Status).kind === 'Status';
}

// Upstream: apimachinery pkg/api/errors/errors.go (NewGenericServerResponse)
function genericReason(code: number, verb: string): [string, string] {
  switch (code) {
    case 409:
      return ['Conflict', 'the server reported a conflict'];
    case 404:
      return ['NotFound', 'the server could not find the requested resource'];
    case 400:
      return ['BadRequest', 'the server rejected our request for an unknown reason'];
    case 401:
      return ['Unauthorized', 'the server has asked for the client to provide credentials'];
    case 403:
      return ['Forbidden', 'the server does not allow access to the requested resource'];
    case 405:
      return ['MethodNotAllowed', 'the server does not allow this method on the requested resource'];
    case 406:
      return ['NotAcceptable', 'the server was unable to respond with a content type that the client supports'];
    case 410:
      return ['Gone', 'the server no longer has the requested resource'];
    case 415:
      return ['UnsupportedMediaType', 'the server was unable to respond with a content type that the client supports'];
    case 422:
      return ['Invalid', 'the server rejected our request due to an error in our request'];
    case 429:
      return ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'];
    case 500:
      return ['InternalError', 'an error on the server ("") has prevented the request from succeeding'];
    case 503:
      return ['ServiceUnavailable', 'the server is currently unable to handle the request'];
    case 504:
      return ['Timeout', `the server was unable to return a response in the time allotted, but may still be processing the request (${verb.toLowerCase()})`];
    default:
      return ['', `an error on the server ("unknown") has prevented the request from succeeding (${verb.toLowerCase()})`];
  }
}

/** Adds kubectl's "error when creating \"web.yaml\": " to a server error's message. */
// Upstream: kubectl pkg/cmd/util/helpers.go (AddSourceToErr)
export function addSourceToErr(verb: string, source: string, err: unknown): Error {
  if (!source) return err as Error;
  if (err instanceof StatusError) {
    return new StatusError({ ...err.status, message: `error when ${verb} "${source}": ${err.status.message ?? ''}` });
  }
  return new KubectlError(`error when ${verb} "${source}": ${err instanceof Error ? err.message : String(err)}`);
}

/** The text kubectl prints to stderr for an error (without the final newline). */
// Upstream: kubectl pkg/cmd/util/helpers.go (checkErr, StandardErrorMessage, MultilineError)
export function formatError(err: unknown): string {
  if (err instanceof AggregateError) {
    if (err.errors.length === 1) return formatError(err.errors[0]);
    return err.errors.map((e) => messageForError(e)).join('\n');
  }
  if (err instanceof StatusError && err.status.reason === 'Invalid') {
    const status = err.status;
    const details = status.details;
    let s = 'The request is invalid';
    if (!details) return status.message ? `${s}: ${status.message}` : s;
    if (details.kind || details.name) s = `The ${details.kind ?? ''} "${details.name ?? ''}" is invalid`;
    else if (status.message && !(details.causes ?? []).length) s += `: ${status.message}`;
    const causes: string[] = [];
    for (const c of details.causes ?? []) {
      const msg = `${c.field ?? ''}: ${c.message ?? ''}`;
      if (!causes.includes(msg)) causes.push(msg);
    }
    if (causes.length === 0) return s;
    if (causes.length === 1) return `${s}: ${causes[0]}`;
    return `${s}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
  }
  if (err instanceof NoResourceMatchError) {
    if (err.group && err.version) return `error: the server doesn't have a resource type "${err.resource}" in group "${err.group}" and version "${err.version}"`;
    if (err.group) return `error: the server doesn't have a resource type "${err.resource}" in group "${err.group}"`;
    if (err.version) return `error: the server doesn't have a resource type "${err.resource}" in version "${err.version}"`;
    return `error: the server doesn't have a resource type "${err.resource}"`;
  }
  return messageForError(err, true);
}

function messageForError(err: unknown, prefix = false): string {
  if (err instanceof StatusError) {
    const s = err.status;
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message ?? ''})`;
    if (s.reason) return `Error from server (${s.reason}): ${s.message ?? ''}`;
    return `Error from server: ${s.message ?? ''}`;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return prefix && !msg.startsWith('error: ') ? `error: ${msg}` : msg;
}
