/**
 * What a request path and method ask for: API group and version, namespace, resource, name,
 * subresource and verb (get, list, watch, create, update, patch, delete, deletecollection).
 * Upstream: apiserver pkg/endpoints/request/requestinfo.go (RequestInfoFactory.NewRequestInfo),
 * pkg/endpoints/metrics/metrics.go (NormalizedVerb, CleanScope, CanonicalVerb, CleanVerb)
 */
import type { HttpVerb } from '../../client/transport';
import { parseSelector as parseFieldSelector } from '../../apimachinery/fields';
import { isValidPathSegmentName } from '../registry/path_name';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const namespaceSubresources = new Set(['status', 'finalize']);

// Upstream: requestinfo.go (NewRequestInfo)
export function newRequestInfo(method: HttpVerb, path: string, query: Record<string, string>): RequestInfo {
  const info: RequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] };
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  let parts = trimmed === '' ? [] : trimmed.split('/');
  if (parts.length < 3) return info; // non-resource (discovery, /version, /healthz) or too short
  if (parts[0] !== 'api' && parts[0] !== 'apis') return info;
  info.apiPrefix = parts[0];
  parts = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (parts.length < 3) return info; // /apis/<group>/<version> is discovery
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  switch (method) {
    case 'POST':
      info.verb = 'create';
      break;
    case 'GET':
      info.verb = 'get';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = 'delete';
      break;
  }
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !namespaceSubresources.has(parts[2])) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];
  if (!info.name && info.verb === 'get') {
    info.verb = query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
    if (query.fieldSelector) {
      try {
        const m = parseFieldSelector(query.fieldSelector).requiresExactMatch('metadata.name');
        if (m.found && isValidPathSegmentName(m.value).length === 0) info.name = m.value;
      } catch {
        // an unparsable selector is reported by the handler
      }
    }
  }
  if (!info.name && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}

/** The verb the httplog and metrics report: GET of a collection is LIST, a watch is WATCH. */
// Upstream: metrics.go (NormalizedVerb, CleanScope, CanonicalVerb, CleanVerb)
export function normalizedVerb(method: HttpVerb, info: RequestInfo | undefined, query: Record<string, string>, contentType?: string): string {
  let verb: string = method;
  if (info) {
    let scope = '';
    if (info.name !== '' || info.verb === 'create') scope = 'resource';
    else if (info.namespace !== '') scope = 'namespace';
    else if (info.isResourceRequest) scope = 'cluster';
    if (verb === 'GET' && scope !== 'resource' && scope !== '') verb = 'LIST';
  }
  if (query.watch === 'true' || query.watch === '1') verb = 'WATCH';
  if (method === 'PATCH' && contentType === 'application/apply-patch+yaml') verb = 'APPLY';
  return verb;
}
