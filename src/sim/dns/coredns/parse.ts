/**
 * How the kubernetes plugin reads a query name under its zone.
 * Upstream: coredns v1.12.1 plugin/kubernetes/parse.go (parseRequest, stripUnderscore)
 */
import { splitDomainName } from '../message';

export const Svc = 'svc';
export const Pod = 'pod';

/** The parts of `[_port._protocol.|endpoint.]service.namespace.(svc|pod).<zone>`; absent parts are `''`. */
export interface RecordRequest {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  /** `svc`, `pod`, or `''` for the zone apex and the bare `svc.` / `pod.` names (NODATA). */
  podOrSvc: string;
}

export class NameError extends Error {}
/** Upstream: kubernetes.go (errNoItems, errNsNotExposed, errInvalidRequest) */
export const errNoItems = new NameError('no items found');
export const errNsNotExposed = new NameError('namespace is not exposed');
export const errInvalidRequest = new NameError('invalid query name');

/** `name` without `zone` (Go: `dnsutil.TrimZone`); both fully qualified. */
export function trimZone(name: string, zone: string): string {
  if (name.length === zone.length) return '';
  return name.slice(0, name.length - zone.length - 1);
}

/** Upstream: parse.go (parseRequest) */
export function parseRequest(name: string, zone: string): RecordRequest {
  const r: RecordRequest = { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' };
  const base = trimZone(name, zone);
  if (base === '' || base.toLowerCase() === Svc || base.toLowerCase() === Pod) return r;
  const segs = splitDomainName(base);
  let last = segs.length - 1;
  r.podOrSvc = segs[last];
  if (r.podOrSvc !== Pod && r.podOrSvc !== Svc) throw errInvalidRequest;
  last--;
  if (last < 0) return r;
  r.namespace = segs[last];
  last--;
  if (last < 0) return r;
  r.service = segs[last];
  last--;
  if (last < 0) return r;
  if (last === 0) r.endpoint = segs[last];
  else if (last === 1) {
    r.protocol = stripUnderscore(segs[last]);
    r.port = stripUnderscore(segs[last - 1]);
  } else throw errInvalidRequest;
  return r;
}

/** Upstream: parse.go (stripUnderscore) */
export function stripUnderscore(s: string): string {
  return s.startsWith('_') ? s.slice(1) : s;
}
