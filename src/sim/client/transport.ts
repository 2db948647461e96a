/**
 * The HTTP boundary between clients and the API server, as plain data: what client-go's
 * `rest.Interface` sends over the wire and what kube-apiserver answers. kubectl, the REST client,
 * the typed and dynamic clients, `kubectl get --raw` and `-v=8` all go through one `RestTransport`;
 * the API server model implements it. Bodies are JSON values (objects, or a `metav1.Status` on
 * failure), never strings, except where the real API serves text.
 */
import type { KubeObject } from '../core/object';

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  verb: HttpVerb;
  /** Path without query, e.g. `/api/v1/namespaces/default/pods/web`, `/apis/apps/v1/deployments`. */
  path: string;
  /** Query parameters as the URL carries them (`labelSelector`, `fieldSelector`, `limit`, `continue`, `resourceVersion`, `resourceVersionMatch`, `watch`, `allowWatchBookmarks`, `sendInitialEvents`, `timeoutSeconds`, `dryRun`, `fieldManager`, `propagationPolicy`, `gracePeriodSeconds`...). */
  query?: Record<string, string>;
  /** JSON body for POST / PUT / PATCH (and DELETE options). */
  body?: unknown;
  /**
   * `Content-Type` of a PATCH: `application/merge-patch+json`, `application/strategic-merge-patch+json`,
   * `application/json-patch+json` (or `application/apply-patch+yaml`).
   */
  contentType?: string;
  /** `User-Agent`, as kubectl and client-go send it (shown in the API server's request log). */
  userAgent?: string;
  /**
   * `Accept`, when not plain JSON: `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`
   * asks `/api` and `/apis` for aggregated discovery. (Optional; added by the API server model.)
   */
  accept?: string;
}

export interface RestResponse {
  /** HTTP status code. */
  code: number;
  /** The JSON body: the object, a list, a `metav1.Status`, discovery documents... */
  body: unknown;
  /**
   * The `Warning: 299 - "..."` headers' texts, e.g. `unknown field "spec.foo"` under the default
   * `fieldValidation=Warn`. (Optional; added by the API server model.)
   */
  warnings?: string[];
}

/** One event of a watch stream (`metav1.WatchEvent`): ADDED, MODIFIED, DELETED, BOOKMARK, ERROR. */
export interface WatchEventJson {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject | Record<string, unknown>;
}

/** An open watch: events arrive in order; `next()` resolves undefined once the server ends it. */
export interface WatchStream {
  next(): Promise<WatchEventJson | undefined>;
  /** Closes it from the client side (the server stops sending). */
  close(): void;
}

export interface RestTransport {
  /** A request that answers once (everything but `?watch=true`). */
  request(req: RestRequest): Promise<RestResponse>;
  /**
   * `GET ...?watch=true`: the server answers 200 with a stream, or an error code with a Status
   * body (and no stream).
   */
  watch(req: RestRequest): Promise<RestResponse & { stream?: WatchStream }>;
}
