/**
 * What `curl` from a pod gets from the API server on 6443: TLS first (curl checks the serving
 * certificate against a CA it trusts), then authentication (a bearer token or anonymous) and
 * authorization. The API server model itself admits every request, so the default RBAC policy
 * a kubeadm cluster has for these two users is applied here: `system:public-info-viewer`
 * (`/healthz`, `/livez`, `/readyz`, `/version` for everyone), `system:discovery` (the discovery
 * paths for authenticated users), and nothing else for a ServiceAccount no binding names.
 */
import type { ClusterNetwork } from './cluster_network';
import { decodeToken } from '../serviceaccount/jwt';
import { RootCAFile } from '../serviceaccount/in_cluster_config';

export interface APIServerRequest {
  scheme: 'http' | 'https';
  path: string;
  /** curl `-k` / `--insecure`. */
  insecure: boolean;
  /** curl `--cacert FILE`. */
  cacert?: string;
  /** The bearer token from `-H 'Authorization: Bearer ...'` or `--oauth2-bearer`. */
  bearer?: string;
}

export interface CurlAnswer {
  /** curl's exit code (0 when the server answered, whatever the HTTP status). */
  code: number;
  stdout: string;
  stderr: string;
}

// curl 8's text for a certificate it cannot verify (exit 60).
const untrusted = [
  'curl: (60) SSL certificate problem: unable to get local issuer certificate',
  'More details here: https://curl.se/docs/sslcerts.html',
  '',
  'curl failed to verify the legitimacy of the server and therefore could not',
  'establish a secure connection to it. To learn more about this situation and',
  'how to fix it, please visit the web page mentioned above.',
  '',
].join('\n');

// Upstream: plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (system:public-info-viewer, system:discovery)
const publicInfo = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);
const isDiscovery = (p: string) => /^\/(api|apis)(\/[^/]+){0,2}\/?$/.test(p) || p === '/openapi/v2' || p.startsWith('/openapi/v3');

/** The API server's answer to one curl, as curl prints it. */
export async function apiServerAnswer(net: ClusterNetwork, req: APIServerRequest): Promise<CurlAnswer> {
  // Go's net/http answers plain HTTP on a TLS port with a fixed 400.
  if (req.scheme === 'http') return { code: 0, stdout: 'Client sent an HTTP request to an HTTPS server.\n', stderr: '' };
  if (!req.insecure && req.cacert !== RootCAFile) {
    if (req.cacert !== undefined && !req.cacert.startsWith('/')) return { code: 77, stdout: '', stderr: `curl: (77) error setting certificate file: ${req.cacert}\n` };
    return { code: 60, stdout: '', stderr: untrusted };
  }
  const user = req.bearer === undefined ? 'system:anonymous' : serviceAccountUser(net, req.bearer);
  if (user === undefined) return status(401, 'Unauthorized', 'Unauthorized');
  const path = req.path.split('?')[0] || '/';
  const allowed = publicInfo.has(path) || (user !== 'system:anonymous' && isDiscovery(path));
  if (!allowed) return forbidden(user, path);
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return { code: 0, stdout: 'ok', stderr: '' };
  const r = await net.o.cluster.apiServer.request({ verb: 'GET', path: path.replace(/\/$/, '') || '/', userAgent: 'curl/8.5.0' });
  return { code: 0, stdout: `${JSON.stringify(r.body, null, 2)}\n`, stderr: '' };
}

/** The ServiceAccount a token names, or undefined when it does not authenticate (401). */
// Upstream: pkg/serviceaccount/jwt.go (Validate: the issuer, expiry and the private claims)
function serviceAccountUser(net: ClusterNetwork, token: string): string | undefined {
  try {
    const { claims } = decodeToken(token);
    const now = Math.floor(net.o.cluster.clock.now() / 1000);
    if (typeof claims.sub !== 'string' || !claims.sub.startsWith('system:serviceaccount:')) return undefined;
    if (typeof claims.exp === 'number' && claims.exp + 60 < now) return undefined;
    return claims.sub;
  } catch {
    return undefined;
  }
}

// Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go (Forbidden, forbiddenMessage)
function forbidden(user: string, path: string): CurlAnswer {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?\/?$/.exec(path);
  if (!m || (m[2] !== undefined && m[3] === undefined)) {
    return status(403, 'Forbidden', `forbidden: User "${user}" cannot get path "${path}"`, {});
  }
  const [, group = '', ns, resource, name, sub] = m;
  const verb = name === undefined ? 'list' : 'get';
  const res = sub ? `${resource}/${sub}` : resource;
  const scope = ns ? `in the namespace "${ns}"` : 'at the cluster scope';
  // The error names the GroupResource (`deployments.apps`, no subresource); the reason names what RBAC checked.
  const gr = group ? `${resource}.${group}` : resource;
  const subject = name === undefined ? gr : `${gr} "${name}"`;
  // metav1.StatusDetails field order: name, group, kind.
  const details: Record<string, string> = { ...(name === undefined ? {} : { name }), ...(group ? { group } : {}), kind: resource };
  return status(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${res}" in API group "${group}" ${scope}`, details);
}

function status(code: number, reason: string, message: string, details?: Record<string, string>): CurlAnswer {
  const body: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) body.details = details;
  body.code = code;
  return { code: 0, stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: '' };
}
