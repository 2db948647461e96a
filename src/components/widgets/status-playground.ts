/**
 * The live part of <StatusPlayground>: a failing request, the `metav1.Status` body kube-apiserver
 * answers with — built by apimachinery's own constructors in src/sim/apimachinery/errors.ts
 * (after apimachinery v0.34.0 pkg/api/errors/errors.go) — the `errors.Is…` predicates that hold
 * for it, and what client-go v0.34.0 does next.
 */
import {
  isAlreadyExists, isConflict, isForbidden, isGone, isInternalError, isInvalid, isNotFound, isResourceExpired,
  isServiceUnavailable, isTimeout, isTooManyRequests, isUnauthorized, isBadRequest, isMethodNotSupported,
  newAlreadyExists, newBadRequest, newConflict, newForbidden, newGenericServerResponse, newInternalError, newInvalid,
  newNotFound, newResourceExpired, newServiceUnavailable, newTimeoutError, newUnauthorized,
} from '../../sim/apimachinery/errors';
import { invalid, newPath, required } from '../../sim/apimachinery/field';
import type { StatusError } from '../../sim/core/errors';

export interface Scenario {
  id: string;
  label: string;
  request: string;
  error: () => StatusError;
  /** What client-go (and a well-behaved caller) does next. */
  next: string;
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'notfound', label: 'get a Pod that does not exist', request: 'GET /api/v1/namespaces/default/pods/web',
    error: () => newNotFound('pods', 'web'),
    next: 'No retry. errors.IsNotFound(err) is the normal way to learn that something is gone: a reconcile returns nil, a delete that finds nothing is done.',
  },
  {
    id: 'exists', label: 'create a Pod that exists', request: 'POST /api/v1/namespaces/default/pods  {"metadata":{"name":"web"}}',
    error: () => newAlreadyExists('pods', 'web'),
    next: 'No retry. A create that must be idempotent treats IsAlreadyExists as success (and then checks that the object is really its own).',
  },
  {
    id: 'conflict', label: 'update with a stale resourceVersion', request: 'PUT /apis/apps/v1/namespaces/default/deployments/web  (resourceVersion "41", current "42")',
    error: () => newConflict({ group: 'apps', resource: 'deployments' }, 'web'),
    next: 'No automatic retry. Read the latest object and apply the change again: retry.RetryOnConflict(retry.DefaultRetry, …), or in a controller return the error and let the workqueue requeue the key.',
  },
  {
    id: 'invalid', label: 'create an invalid Pod', request: 'POST /api/v1/namespaces/default/pods  {"metadata":{"name":"Web"},"spec":{}}',
    error: () =>
      newInvalid('Pod', 'Web', [
        invalid(newPath('metadata', 'name'), 'Web', "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        required(newPath('spec', 'containers'), ''),
      ]),
    next: 'No retry: the same request will fail the same way. Fix the object; details.causes lists every field path and reason.',
  },
  {
    id: 'badrequest', label: 'send a field the type does not have (fieldValidation=Strict)', request: 'POST …/pods?fieldValidation=Strict  {"spec":{"containerz":[]}}',
    error: () => newBadRequest('strict decoding error: unknown field "spec.containerz"'),
    next: 'No retry. With the default fieldValidation=Warn the server accepts the object, drops the field and sends a Warning header instead.',
  },
  {
    id: 'unauthorized', label: 'send a bad or expired token', request: 'GET /api/v1/pods  (Authorization: Bearer <expired>)',
    error: () => newUnauthorized('Unauthorized'),
    next: 'No retry. Credentials are wrong or expired: refresh the token or kubeconfig. (An exec credential plugin is re-run on 401.)',
  },
  {
    id: 'forbidden', label: 'list Pods without RBAC permission', request: 'GET /api/v1/pods  (as system:serviceaccount:shop:cart)',
    error: () => newForbidden('pods', '', new Error('User "system:serviceaccount:shop:cart" cannot list resource "pods" in API group "" at the cluster scope')),
    next: 'No retry. Authenticated but not allowed: grant the verb on the resource with a Role or ClusterRole binding.',
  },
  {
    id: 'method', label: 'call a verb the resource does not support', request: 'POST /api/v1/namespaces/default/pods/web/log',
    error: () => newGenericServerResponse(405, 'POST', { group: '', resource: 'pods' }, 'web', '', 0, true),
    next: 'No retry: pods/log only supports GET. The server answers in plain text; client-go builds this Status from the code. Check the verbs discovery lists for the resource.',
  },
  {
    id: 'expired', label: 'watch from a compacted resourceVersion', request: 'GET /api/v1/pods?watch=true&resourceVersion=1',
    error: () => newResourceExpired('too old resource version: 1 (4816)'),
    next: 'A Reflector relists (after its backoff) at its last resourceVersion: its isExpiredError accepts IsResourceExpired (reason Expired, as here) or IsGone (reason Gone).',
  },
  {
    id: 'toomany', label: 'overload the server (API Priority and Fairness)', request: 'GET /api/v1/pods  (the priority level\'s queues are full)',
    error: () => newGenericServerResponse(429, 'GET', { group: '', resource: 'pods' }, '', 'Too many requests, please try again later.', 1, true),
    next: 'APF answers in plain text with Retry-After; client-go builds this Status from the code and retries after Retry-After seconds, up to 10 times, taking a client-side token before each retry.',
  },
  {
    id: 'internal', label: 'hit a server-side failure', request: 'GET /api/v1/namespaces/default/pods/web',
    error: () => newInternalError(new Error('etcdserver: leader changed')),
    next: 'Retried by client-go only if the response carries Retry-After (any 5xx with Retry-After is retried up to 10 times). Otherwise returned to the caller, whose backoff (the workqueue) retries.',
  },
  {
    id: 'unavailable', label: 'call an aggregated API whose backend is down', request: 'GET /apis/metrics.k8s.io/v1beta1/pods',
    error: () => newServiceUnavailable('the server is currently unable to handle the request'),
    next: 'Retried by client-go if Retry-After is set; otherwise returned. kubectl get apiservice shows which backend is unavailable.',
  },
  {
    id: 'timeout', label: 'list at a resourceVersion the cache has not reached', request: 'GET /api/v1/pods?resourceVersion=999999&resourceVersionMatch=NotOlderThan',
    error: () => newTimeoutError('Too large resource version: 999999, current: 4816', 1),
    next: 'A 504 with Retry-After 1: client-go retries it. A Reflector that still fails relists at "" (a consistent read).',
  },
];

const PREDICATES: Array<[string, (e: unknown) => boolean]> = [
  ['IsNotFound', isNotFound], ['IsAlreadyExists', isAlreadyExists], ['IsConflict', isConflict], ['IsInvalid', isInvalid],
  ['IsBadRequest', isBadRequest], ['IsUnauthorized', isUnauthorized], ['IsForbidden', isForbidden], ['IsMethodNotSupported', isMethodNotSupported],
  ['IsGone', isGone], ['IsResourceExpired', isResourceExpired], ['IsTooManyRequests', isTooManyRequests], ['IsInternalError', isInternalError],
  ['IsServiceUnavailable', isServiceUnavailable], ['IsTimeout', isTimeout],
];

const TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function describeScenario(id: string): { request: string; statusLine: string; body: string; predicates: string[]; next: string } {
  const s = SCENARIOS.find((x) => x.id === id) ?? SCENARIOS[0];
  const err = s.error();
  const code = err.status.code ?? 500;
  return {
    request: s.request,
    statusLine: `HTTP/2 ${code} ${TEXT[code] ?? ''}`.trim(),
    body: JSON.stringify(err.status, null, 2),
    predicates: PREDICATES.filter(([, f]) => f(err)).map(([n]) => `errors.${n}(err)`),
    next: s.next,
  };
}

export function mount(root: HTMLElement): void {
  const select = root.querySelector<HTMLSelectElement>('select[data-scenario]')!;
  const render = () => {
    const d = describeScenario(select.value);
    root.querySelector('[data-request]')!.textContent = d.request;
    root.querySelector('[data-response]')!.textContent = `${d.statusLine}\n${d.body}`;
    root.querySelector('[data-predicates]')!.textContent = d.predicates.join('   ') || '—';
    root.querySelector('[data-next]')!.textContent = d.next;
    const live = root.querySelector('[data-live]');
    if (live) live.textContent = `${d.statusLine}. ${d.next}`;
  };
  select.addEventListener('change', render);
  select.disabled = false;
  root.querySelector('[data-status]')!.textContent = 'Live: apimachinery\'s error constructors from src/sim.';
  root.dataset.ready = 'true';
  render();
}
