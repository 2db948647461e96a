/**
 * client-go's REST client over a `RestTransport`: a Request builder (verb, namespace, resource,
 * name, subresource, params, body), the client-side rate limiter every request waits on (QPS 5,
 * burst 10 by default) with client-go v0.34.0's throttling log lines, retries after a
 * Retry-After, and answers turned into objects or `StatusError`s carrying the server's
 * `metav1.Status`.
 * Upstream: client-go rest/client.go (RESTClient, NewRESTClient), rest/request.go (Request,
 * URL, tryThrottleWithInfo, throttledLogger, Do, Watch, transformResponse), rest/with_retry.go
 * (IsNextRetry, getRetryReason), rest/config.go (DefaultQPS, DefaultBurst),
 * util/flowcontrol/throttle.go (NewTokenBucketRateLimiterWithClock)
 */
import type { FakeClock } from '../core/clock';
import { resolveEnv, type SimEnv } from '../core/env';
import { StatusError, UsageError } from '../core/errors';
import { EventEmitter } from '../core/events';
import type { Logger } from '../core/log';
import type { KubeObject } from '../core/object';
import type { Rng } from '../core/rng';
import type { TraceRecorder } from '../core/trace';
import type { WatchEvent, WatchInterface } from '../cache/listwatch';
import { klogStructured } from '../cache/go_strings';
import { newBucketRateLimiter } from '../workqueue/default_rate_limiters';
import type { RateLimiter } from '../workqueue/types';
import { clientEvents, type ClientEventMap } from '../apiserver/events';
import { newGenericServerResponse, type Status } from '../apimachinery/errors';
import type { HttpVerb, RestRequest, RestResponse, RestTransport, WatchEventJson } from './transport';
import { transportClock } from '../apiserver/apiserver';

/** Go: `rest.DefaultQPS`, `rest.DefaultBurst`. */
export const DefaultQPS = 5;
export const DefaultBurst = 10;
/** Go: `longThrottleLatency`, `extraLongThrottleLatency`. */
export const longThrottleLatencyMs = 50;
export const extraLongThrottleLatencyMs = 1000;
/** Go: the default `maxRetries` of a Request. */
export const defaultMaxRetries = 10;
/** The server a client talks to, in URLs and logs (kubeadm's control-plane endpoint). */
export const defaultHost = 'https://10.0.0.1:6443';

/** rest.Config, the fields the models read. */
export interface RestConfig {
  /** Go: `QPS` (0: DefaultQPS; negative: no client-side rate limiting). */
  qps?: number;
  /** Go: `Burst` (0: DefaultBurst). */
  burst?: number;
  /** Go: `UserAgent` (shown in the apiserver's httplog). */
  userAgent?: string;
  /** Go: `Host`. */
  host?: string;
  /** A shared rate limiter (Go: `RateLimiter`); omitted: a token bucket of qps / burst. */
  rateLimiter?: RateLimiter<unknown>;
  env?: SimEnv;
  clock?: FakeClock;
  rng?: Rng;
  trace?: TraceRecorder;
  /** The client's name in trace events (default: the user agent's first word). */
  name?: string;
}

/** Everything requests of one client share: transport, limiter, environment, trace. */
export class ClientBase {
  readonly transport: RestTransport;
  readonly host: string;
  readonly userAgent: string;
  readonly env: SimEnv;
  readonly limiter: RateLimiter<unknown> | undefined;
  readonly events: EventEmitter<ClientEventMap, { client: string }>;
  // (a ClientBase is never reachable from a client's properties: RESTClient keeps it in a WeakMap)

  constructor(transport: RestTransport, cfg: RestConfig = {}) {
    if (!transport || typeof transport.request !== 'function' || typeof transport.watch !== 'function') {
      throw new UsageError('a client needs a RestTransport (an API server, or kubectl\'s transport)');
    }
    this.transport = transport;
    const clock = cfg.clock ?? cfg.env?.clock ?? transportClock(transport);
    this.env = resolveEnv({ ...cfg, clock });
    this.host = (cfg.host ?? defaultHost).replace(/\/+$/, '');
    this.userAgent = cfg.userAgent ?? 'kubelab/v1.34.0 (linux/amd64) kubernetes/v1.34.0';
    const qps = cfg.qps === undefined || cfg.qps === 0 ? DefaultQPS : cfg.qps;
    const burst = cfg.burst === undefined || cfg.burst === 0 ? DefaultBurst : cfg.burst;
    this.limiter = cfg.rateLimiter ?? (qps > 0 ? newBucketRateLimiter(Math.fround(qps), burst, this.env.clock) : undefined);
    this.events = new EventEmitter(clientEvents, this.env, { client: cfg.name ?? this.userAgent.split('/')[0] });
  }
}

interface ThrottleSetting {
  logLevel: number;
  minLogIntervalMs: number;
  lastLogTimeMs: number;
}

/** Go's `globalThrottledLogger`: one per process; here one per simulation (its clock). */
const throttledLoggers = new WeakMap<FakeClock, ThrottleSetting[]>();

// Upstream: rest/request.go (throttledLogger.attemptToLog)
function attemptToLog(log: Logger, clock: FakeClock): number | undefined {
  const nowMs = clock.now();
  let settings = throttledLoggers.get(clock);
  if (!settings) {
    settings = [
      { logLevel: 2, minLogIntervalMs: 1000, lastLogTimeMs: -Infinity },
      { logLevel: 0, minLogIntervalMs: 10_000, lastLogTimeMs: -Infinity },
    ];
    throttledLoggers.set(clock, settings);
  }
  for (const s of settings) {
    if (log.verbosity >= s.logLevel) {
      if (nowMs - s.lastLogTimeMs >= s.minLogIntervalMs) {
        s.lastLogTimeMs = nowMs;
        return s.logLevel;
      }
      return undefined;
    }
  }
  return undefined;
}

/** A list or get result's error: the server's Status as a StatusError. */
// Upstream: rest/request.go (transformResponse, newUnstructuredResponseError), apimachinery api/errors (FromObject)
export function errorOf(res: RestResponse, verb: string, resourceLabel: string, name: string): StatusError {
  const body = res.body as Partial<Status> | undefined;
  if (body && typeof body === 'object' && body.kind === 'Status') {
    // FromObject keeps the whole Status, its ListMeta too (a 410's continue token)
    const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: { ...(body.metadata ?? {}) }, status: 'Failure', message: body.message ?? '', reason: body.reason ?? '', code: body.code ?? res.code };
    if (body.details) status.details = JSON.parse(JSON.stringify(body.details)) as Status['details'];
    return new StatusError(status);
  }
  // Upstream: rest/request.go (newUnstructuredResponseError): NewGenericServerResponse with the text body
  const text = typeof res.body === 'string' ? res.body.trim() : '';
  return newGenericServerResponse(res.code, verb, resourceLabel, name, text, 0, true);
}

/**
 * One request (Go: `rest.Request`): built with `verb(...)`, `namespace(...)`, `resource(...)`,
 * `name(...)`, `subResource(...)`, `param(...)`, `body(...)`, then sent with `do()` or `watch()`.
 */
// Upstream: rest/request.go (Request)
export class Request {
  readonly #c: ClientBase;
  readonly #versionedAPIPath: string;
  readonly #verb: HttpVerb;
  #namespace = '';
  #namespaceSet = false;
  #resource = '';
  #name = '';
  #subresource: string[] = [];
  #params: Record<string, string> = {};
  #body: unknown;
  #contentType: string | undefined;
  #accept: string | undefined;
  #absPath: string | undefined;

  constructor(c: ClientBase, verb: HttpVerb, versionedAPIPath: string) {
    this.#c = c;
    this.#verb = verb;
    this.#versionedAPIPath = versionedAPIPath;
  }

  namespace(ns: string): this {
    this.#namespaceSet = true;
    this.#namespace = ns;
    return this;
  }

  resource(r: string): this {
    this.#resource = r;
    return this;
  }

  name(n: string): this {
    if (!n) throw new UsageError('resource name may not be empty');
    this.#name = n;
    return this;
  }

  subResource(...parts: string[]): this {
    this.#subresource = parts.filter((p) => p !== '');
    return this;
  }

  /** A query parameter (Go: `Param`). */
  param(k: string, v: string): this {
    this.#params[k] = v;
    return this;
  }

  /** Options as query parameters (Go: `VersionedParams`): undefined, empty and zero values are left out. */
  // Upstream: rest/request.go (VersionedParams), runtime parameter codec (omitempty)
  params(opts: object | undefined): this {
    for (const [k, v] of Object.entries(opts ?? {})) {
      if (v === undefined || v === null || v === '' || v === false || v === 0) continue;
      this.#params[k] = Array.isArray(v) ? v.join(',') : String(v);
    }
    return this;
  }

  body(b: unknown): this {
    this.#body = b;
    return this;
  }

  setHeader(name: string, value: string): this {
    if (name.toLowerCase() === 'content-type') this.#contentType = value;
    if (name.toLowerCase() === 'accept') this.#accept = value;
    return this;
  }

  /** An absolute path instead of the resource path (Go: `AbsPath`). */
  absPath(p: string): this {
    this.#absPath = p;
    return this;
  }

  /** The request path (Go: `URL().Path`). */
  // Upstream: rest/request.go (URL)
  path(): string {
    if (this.#absPath !== undefined) return this.#absPath;
    let p = this.#versionedAPIPath;
    if (this.#namespaceSet && this.#namespace) p += `/namespaces/${this.#namespace}`;
    if (this.#resource) p += `/${this.#resource.toLowerCase()}`;
    if (this.#name || this.#subresource.length > 0) p += `/${this.#name}`;
    for (const s of this.#subresource) p += `/${s}`;
    return p.replace(/\/+$/, '') || '/';
  }

  /** The full URL, as logs print it. */
  url(query = this.#params): string {
    const q = Object.entries(query);
    return `${this.#c.host}${this.path()}${q.length > 0 ? '?' + q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') : ''}`;
  }

  #restRequest(extra: Record<string, string> = {}): RestRequest {
    const req: RestRequest = { verb: this.#verb, path: this.path(), userAgent: this.#c.userAgent };
    const query = { ...this.#params, ...extra };
    if (Object.keys(query).length > 0) req.query = query;
    if (this.#body !== undefined) req.body = this.#body;
    if (this.#contentType !== undefined) req.contentType = this.#contentType;
    if (this.#accept !== undefined) req.accept = this.#accept;
    return req;
  }

  /** Waits for the rate limiter and logs long waits as client-go does. */
  // Upstream: rest/request.go (tryThrottleWithInfo)
  async #tryThrottle(retryInfo = '', query = this.#params): Promise<void> {
    const limiter = this.#c.limiter;
    if (!limiter) return;
    const clock = this.#c.env.clock;
    const start = clock.now();
    const delayMs = limiter.when(undefined);
    if (delayMs > 0) await clock.sleep(delayMs);
    const latencyMs = clock.now() - start;
    if (latencyMs <= longThrottleLatencyMs) return;
    const reason = retryInfo || 'client-side throttling, not priority and fairness';
    const url = this.url(query);
    this.#c.events.emit('client.throttle', { verb: this.#verb, url, delayMs: latencyMs });
    const message = klogStructured('Waited before sending request', { delay: { duration: latencyMs }, reason, verb: this.#verb, URL: url });
    this.#c.events.emit('client.log', { level: 'info', source: 'request.go', v: 3, message });
    if (latencyMs > extraLongThrottleLatencyMs) {
      const level = attemptToLog(this.#c.env.log, clock);
      if (level !== undefined) this.#c.events.emit('client.log', { level: 'info', source: 'request.go', v: level, message });
    }
  }

  /** Sends the request; resolves the answer's body, or rejects with a StatusError (Go: `Do(ctx).Into`). */
  // Upstream: rest/request.go (Do, request, transformResponse), with_retry.go (IsNextRetry, getRetryReason)
  async do(): Promise<unknown> {
    const res = await this.doRaw();
    if (res.code < 200 || res.code > 206) throw errorOf(res, this.#verb, this.#resource + (this.#subresource.length > 0 ? `/${this.#subresource.join('/')}` : ''), this.#name);
    return res.body;
  }

  /** Sends the request and resolves the raw answer, errors included (Go: `Do(ctx)` before `Error()`). */
  async doRaw(): Promise<RestResponse> {
    let retryInfo = '';
    for (let attempt = 0; ; attempt++) {
      await this.#tryThrottle(retryInfo);
      const clock = this.#c.env.clock;
      const start = clock.now();
      const res = await this.#c.transport.request(this.#restRequest());
      this.#c.events.emit('client.request', { verb: this.#verb, url: this.url(), code: res.code, latencyMs: clock.now() - start });
      this.#handleWarnings(res);
      const retryAfter = (res.body as { details?: { retryAfterSeconds?: number } } | undefined)?.details?.retryAfterSeconds ?? 0;
      const retryable = (res.code === 429 || (res.code >= 500 && res.code < 600)) && retryAfter > 0;
      if (!retryable || attempt >= defaultMaxRetries) return res;
      retryInfo =
        res.code === 429
          ? `retries: ${attempt + 1}, retry-after: ${retryAfter}s - retry-reason: due to server-side throttling, FlowSchema UID: ""`
          : `retries: ${attempt + 1}, retry-after: ${retryAfter}s - retry-reason: ${res.code}`;
      this.#c.events.emit('client.log', { level: 'info', source: 'with_retry.go', v: 4, message: klogStructured('Got a Retry-After response', { delay: { duration: retryAfter * 1000 }, attempt: attempt + 1, url: this.url() }) });
      await clock.sleep(retryAfter * 1000);
    }
  }

  /** Each `Warning: 299` header logged as client-go's default handler does (Go: `WarningLogger`, at V(0)). */
  // Upstream: rest/warnings.go (handleWarnings, WarningLogger.HandleWarningHeaderWithContext)
  #handleWarnings(res: RestResponse): void {
    for (const w of res.warnings ?? []) {
      if (w.length > 0) this.#c.events.emit('client.log', { level: 'info', source: 'warnings.go', v: 0, message: klogStructured(`Warning: ${w}`, {}) });
    }
  }

  /** Starts a watch (Go: `Watch(ctx)`): resolves a watch.Interface, or rejects with the server's error. */
  // Upstream: rest/request.go (Request.Watch, newStreamWatcher)
  async watch(): Promise<WatchInterface<KubeObject>> {
    const query = { ...this.#params, watch: 'true' };
    await this.#tryThrottle('', query);
    const clock = this.#c.env.clock;
    const start = clock.now();
    const res = await this.#c.transport.watch(this.#restRequest({ watch: 'true' }));
    this.#c.events.emit('client.request', { verb: this.#verb, url: this.url(query), code: res.code, latencyMs: clock.now() - start });
    if (res.code !== 200 || !res.stream) throw errorOf(res, this.#verb, this.#resource, this.#name);
    return streamWatcher(res.stream);
  }
}

/** A watch.Interface over a transport stream (Go: `watch.StreamWatcher`). */
// Upstream: apimachinery pkg/watch/streamwatcher.go (StreamWatcher)
export function streamWatcher(stream: { next(): Promise<WatchEventJson | undefined>; close(): void }): WatchInterface<KubeObject> {
  let stopped = false;
  return {
    async next(): Promise<WatchEvent<KubeObject> | undefined> {
      if (stopped) return undefined;
      const e = await stream.next();
      if (stopped || !e) return undefined;
      return e as unknown as WatchEvent<KubeObject>;
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      stream.close();
    },
  };
}

/** The shared state of each REST client (not a property: code holding a client cannot reach its emitter or limiter). */
const bases = new WeakMap<RESTClient, ClientBase>();

/** A REST client for one group version (Go: `rest.RESTClient`). */
// Upstream: rest/client.go (RESTClient: Verb, Get, Post, Put, Patch, Delete)
export class RESTClient {
  /** `/api/v1`, `/apis/apps/v1`. */
  readonly versionedAPIPath: string;

  constructor(base: ClientBase, versionedAPIPath: string) {
    bases.set(this, base);
    this.versionedAPIPath = versionedAPIPath;
  }

  verb(v: HttpVerb): Request {
    return new Request(bases.get(this) as ClientBase, v, this.versionedAPIPath);
  }
  get(): Request {
    return this.verb('GET');
  }
  post(): Request {
    return this.verb('POST');
  }
  put(): Request {
    return this.verb('PUT');
  }
  patch(contentType: string): Request {
    return this.verb('PATCH').setHeader('Content-Type', contentType);
  }
  delete(): Request {
    return this.verb('DELETE');
  }
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function versionedAPIPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** A REST client for a group version (Go: `rest.RESTClientFor`). */
export function newRESTClient(transport: RestTransport, group: string, version: string, cfg: RestConfig = {}): RESTClient {
  return new RESTClient(new ClientBase(transport, cfg), versionedAPIPath(group, version));
}
