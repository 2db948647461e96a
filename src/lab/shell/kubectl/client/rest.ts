/**
 * kubectl's REST client over the lab's RestTransport: every request goes through here, so `-v=6`
 * and up print what client-go's debugging round tripper and request body logger print at v0.34.0
 * (klog text format, virtual time), and a failure becomes the server's Status as an error.
 */
import type { HttpVerb, RestRequest, RestTransport, WatchStream } from '../../../../sim/client/transport';
import { klogTime, formatRFC1123Z, formatRFC3339 } from '../format/duration';
import { goJson } from '../format/json';
import { HTTP_STATUS_TEXT, errorFromResponse } from './errors';

/** What a kubectl request carries besides the transport's fields. */
export interface KubectlRequest {
  verb: HttpVerb;
  path: string;
  query?: Record<string, string>;
  /** A JSON value (encoded by Go's json with sorted keys and a final newline) or raw bytes as text. */
  body?: unknown;
  /** The body is already encoded (a PATCH document): sent as is, logged as is. */
  rawBody?: string;
  contentType?: string;
  /** The Accept header kubectl sends (shown at -v=7 and up). */
  accept?: string;
}

export interface RestClientOptions {
  transport: RestTransport;
  now: () => number;
  /** `https://127.0.0.1:6443`: only shown in logs. */
  server: string;
  userAgent: string;
  /** klog's pid column. */
  pid: number;
  /** Writes one log line (already formatted, may contain newlines). */
  log: (line: string) => void;
  /** Headers kubectl adds to every request (`Kubectl-Command`, `Kubectl-Session`). */
  extraHeaders?: () => Record<string, string>;
}

/** Go's url.Values.Encode: keys sorted, QueryEscape'd (`labelSelector=app%3Dweb`). */
// Upstream: go src/net/url/url.go (Values.Encode, QueryEscape)
export function encodeQuery(query: Record<string, string> | undefined): string {
  if (!query) return '';
  return Object.keys(query)
    .sort()
    .map((k) => `${queryEscape(k)}=${queryEscape(query[k])}`)
    .join('&');
}

export function queryEscape(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export class RestClient {
  /** The verbosity (`-v`): 0 logs nothing, 6 URLs and codes, 7 headers, 8 bodies, 9 curl. */
  verbosity = 0;
  #requests = 0;

  constructor(readonly opts: RestClientOptions) {}

  url(path: string, query?: Record<string, string>): string {
    const q = encodeQuery(query);
    return `${this.opts.server}${path}${q ? `?${q}` : ''}`;
  }

  /** Sends a request; resolves to the body of a 2xx answer, rejects with a StatusError otherwise. */
  async do<T = unknown>(req: KubectlRequest): Promise<T> {
    const { code, body } = await this.send(req);
    if (code < 200 || code > 299) throw errorFromResponse(code, body, req.verb);
    return body as T;
  }

  /** Sends a request and returns the code and body whatever the code. */
  async send(req: KubectlRequest): Promise<{ code: number; body: unknown }> {
    const start = this.opts.now();
    const wire = this.#wire(req);
    this.#logRequest(req, wire);
    const res = await this.opts.transport.request(wire);
    this.#logResponse(req, res.code, this.opts.now() - start);
    this.#logBody('Response Body', responseText(res.body));
    return res;
  }

  /** Opens a watch; rejects with a StatusError when the server refuses it. */
  async watch(req: KubectlRequest): Promise<WatchStream> {
    const start = this.opts.now();
    const wire = this.#wire(req);
    this.#logRequest(req, wire);
    const res = await this.opts.transport.watch(wire);
    this.#logResponse(req, res.code, this.opts.now() - start);
    if (res.code !== 200 || !res.stream) {
      this.#logBody('Response Body', responseText(res.body));
      throw errorFromResponse(res.code, res.body, req.verb);
    }
    return res.stream;
  }

  #wire(req: KubectlRequest): RestRequest {
    const wire: RestRequest = { verb: req.verb, path: req.path, userAgent: this.opts.userAgent };
    if (req.query && Object.keys(req.query).length) wire.query = { ...req.query };
    if (req.rawBody !== undefined) wire.body = JSON.parse(req.rawBody);
    else if (req.body !== undefined) wire.body = req.body;
    if (req.contentType) wire.contentType = req.contentType;
    return wire;
  }

  #headers(req: KubectlRequest): Record<string, string> {
    const h: Record<string, string> = { Accept: req.accept ?? 'application/json' };
    if (req.body !== undefined || req.rawBody !== undefined) h['Content-Type'] = req.contentType ?? 'application/json';
    Object.assign(h, this.opts.extraHeaders?.() ?? {});
    h['User-Agent'] = this.opts.userAgent;
    return h;
  }

  #line(file: string, msg: string, kvs: Array<[string, string | number]>): string {
    const pid = String(this.opts.pid).padStart(7, ' ');
    let text = `I${klogTime(this.opts.now())} ${pid} ${file}] ${JSON.stringify(msg)}`;
    for (const [k, v] of kvs) text += ` ${k}${typeof v === 'number' ? `=${v}` : klogString(v)}`;
    return text;
  }

  #logRequest(req: KubectlRequest, wire: RestRequest): void {
    const v = this.verbosity;
    if (v < 6) return;
    this.#requests++;
    // The request body is logged (v8) before the request is sent.
    if (req.rawBody !== undefined) this.#logBody('Request Body', req.rawBody);
    else if (req.body !== undefined) this.#logBody('Request Body', goJson(req.body) + '\n');
    const url = this.url(wire.path, wire.query);
    const headers = this.#headers(req);
    const kvs: Array<[string, string | number]> = [];
    if (v === 7 || v === 8) kvs.push(['verb', req.verb], ['url', url]);
    if (v >= 9) kvs.push(['curlCommand', toCurl(req.verb, url, headers)]);
    if (v === 7 || v === 8) kvs.push(['headers', headerText(headers)]);
    if (kvs.length) this.opts.log(this.#line('round_trippers.go:527', 'Request', kvs));
  }

  #logResponse(req: KubectlRequest, code: number, ms: number): void {
    const v = this.verbosity;
    if (v < 6) return;
    const status = `${code} ${HTTP_STATUS_TEXT[code] ?? ''}`.trim();
    const kvs: Array<[string, string | number]> = [];
    if (v === 6 || v >= 9) kvs.push(['verb', req.verb], ['url', this.url(req.path, req.query && Object.keys(req.query).length ? req.query : undefined)]);
    kvs.push(['status', status]);
    if (v >= 8) {
      kvs.push([
        'headers',
        headerText({
          'Cache-Control': 'no-cache, private',
          'Content-Type': 'application/json',
          Date: formatRFC1123Z(formatRFC3339(this.opts.now())).replace('+0000', 'GMT'),
        }),
      ]);
    }
    kvs.push(['milliseconds', Math.max(0, Math.round(ms))]);
    if (v >= 9) kvs.push(['getConnectionMilliseconds', 0]);
    this.opts.log(this.#line('round_trippers.go:632', 'Response', kvs));
  }

  #logBody(prefix: string, text: string | undefined): void {
    const v = this.verbosity;
    if (v < 8 || text === undefined) return;
    const max = v >= 10 ? Infinity : v >= 9 ? 10240 : 1024;
    const body = text.length <= max ? text : `${text.slice(0, max)} [truncated ${text.length - max} chars]`;
    this.opts.log(this.#line(prefix === 'Request Body' ? 'request.go:1132' : 'request.go:1206', prefix, [['body', body]]));
  }
}

/** How the API server's JSON serializer writes a body: compact, then a newline. */
function responseText(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return body;
  return JSON.stringify(body) + '\n';
}

/**
 * klog's text format for a string value: `="quoted"` on one line, or `=<` then each line
 * indented by a tab and ` >` for text with line breaks.
 */
// Upstream: k8s.io/klog/v2 internal/serialize/keyvalues.go (writeStringValue)
export function klogString(v: string): string {
  const i = v.indexOf('\n');
  if (i === -1) return `=${goQuote(v)}`;
  let out = '=<\n';
  let data = v;
  let idx = i;
  while (idx !== -1) {
    out += '\t' + data.slice(0, idx + 1);
    data = data.slice(idx + 1);
    idx = data.indexOf('\n');
  }
  if (data.length === 0) out += ' >';
  else out += '\t' + data + '\n >';
  return out;
}

/** Go's strconv.Quote for printable text. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch.codePointAt(0)! < 0x20) out += `\\x${ch.codePointAt(0)!.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** client-go's headersMap.String: sorted keys, `Key: value` lines. */
function headerText(h: Record<string, string>): string {
  return Object.keys(h)
    .sort()
    .map((k) => `${k}: ${h[k]}\n`)
    .join('');
}

/** client-go requestInfo.toCurl (header order: Go map order; sorted here for determinism). */
// Upstream: client-go transport/round_trippers.go (toCurl)
function toCurl(verb: string, url: string, headers: Record<string, string>): string {
  let hs = '';
  for (const k of Object.keys(headers).sort()) hs += ` -H ${goQuote(`${k}: ${headers[k]}`)}`;
  return `curl -v -X${verb} ${hs} '${url}'\n`;
}
