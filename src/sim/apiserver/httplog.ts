/**
 * The apiserver's request log: one line per request when it is done (a watch when it ends), as
 * klog's structured text prints it at V(3):
 * `"HTTP" verb="LIST" URI="/api/v1/pods?limit=500" latency="1.2ms" userAgent="kubectl/v1.34.0" audit-ID="..." srcIP="10.0.0.1:50000" resp=200`.
 * Upstream: apiserver pkg/server/httplog/httplog.go (respLogger.Log, withLoggingLevel = 3)
 */
import { klogStructured } from '../cache/go_strings';

/** Go: `withLoggingLevel`. */
export const withLoggingLevel = 3;

/** The RequestURI of a request: the path and its query as the client encoded it. */
export function requestURI(path: string, query: Record<string, string> | undefined): string {
  const q = Object.entries(query ?? {});
  if (q.length === 0) return path;
  return `${path}?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

export interface HttpLogEntry {
  verb: string;
  uri: string;
  latencyMs: number;
  userAgent: string;
  auditID: string;
  srcIP: string;
  code: number;
}

// Upstream: httplog.go (respLogger.Log)
export function httpLogLine(e: HttpLogEntry): string {
  return klogStructured('HTTP', {
    verb: e.verb,
    URI: e.uri,
    latency: { duration: e.latencyMs },
    userAgent: e.userAgent,
    'audit-ID': e.auditID,
    srcIP: e.srcIP,
    resp: e.code,
  });
}
