/**
 * A client's connection to the API server named in its kubeconfig, over the machines' network:
 * every request dials `host:port` first. Nothing there: the request fails as client-go reports it,
 * `Post "https://10.0.0.10:6443/api/v1/nodes": dial tcp 10.0.0.10:6443: connect: connection
 * refused` (an ECONNREFUSED the reflector treats as retriable). An API server model there: the
 * request is its. Only a health-serving process there (kube-apiserver before the API server model
 * is connected): its HTTP answer, a `404 page not found` for API paths.
 */
import { ConnectionRefusedError } from '../cache/reflector';
import type { RestRequest, RestResponse, RestTransport, WatchStream } from '../client/transport';
import type { Network, NetTarget } from './network';

/** `https://10.0.0.10:6443` -> host and port (443 when absent). */
export function parseServer(server: string): { host: string; port: number } {
  const m = /^https?:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?/.exec(server.trim());
  if (!m) throw new Error(`invalid server URL ${JSON.stringify(server)}`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2] ?? 443) };
}

/** Go's url.Values.Encode: keys sorted, QueryEscape'd values (a space is `+`). No DOM URLSearchParams in src/sim. */
function encodeQuery(q: Record<string, unknown>): string {
  const esc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.keys(q)
    .sort()
    .map((k) => `${esc(k)}=${esc(String(q[k]))}`)
    .join('&');
}

/** Go's `url.Error` text: the method capitalised as net/http prints it, then the quoted URL. */
export function urlError(server: string, req: RestRequest, cause: string): string {
  const query = req.query && Object.keys(req.query).length ? `?${encodeQuery(req.query)}` : '';
  const verb = req.verb.charAt(0) + req.verb.slice(1).toLowerCase();
  return `${verb} "${server.replace(/\/+$/, '')}${req.path}${query}": ${cause}`;
}

export interface DialTransportOptions {
  network: Network;
  /** The kubeconfig's `server:`. */
  server: string;
  /** The dialing machine's address: `127.0.0.1` / `localhost` reach it. */
  localIp?: string;
}

// Upstream: client-go rest/request.go (request: the transport's error wrapped in *url.Error)
export function newDialTransport(o: DialTransportOptions): RestTransport {
  const parsed = parseServer(o.server);
  const host = o.localIp && (parsed.host === '127.0.0.1' || parsed.host === 'localhost') ? o.localIp : parsed.host;
  const port = parsed.port;
  const dial = (req: RestRequest): NetTarget => {
    try {
      return o.network.dial(host, port);
    } catch (e) {
      throw e instanceof ConnectionRefusedError ? new ConnectionRefusedError(urlError(o.server, req, e.message)) : new Error(urlError(o.server, req, (e as Error).message));
    }
  };
  const viaHttp = (t: NetTarget, req: RestRequest): RestResponse => {
    const res = t.http?.({ method: req.verb, path: req.path, headers: {}, remoteIp: host }) ?? { statusCode: 404, body: '404 page not found\n' };
    return { code: res.statusCode, body: res.body };
  };
  return {
    async request(req) {
      const t = dial(req);
      return t.api ? t.api.request(req) : viaHttp(t, req);
    },
    async watch(req): Promise<RestResponse & { stream?: WatchStream }> {
      const t = dial(req);
      return t.api ? t.api.watch(req) : viaHttp(t, req);
    },
  };
}
