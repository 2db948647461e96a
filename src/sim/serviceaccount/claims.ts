/**
 * The claims of a bound service account token, and how kube-apiserver checks them on every
 * request. A token names its account (`sub`, `kubernetes.io.serviceaccount`) and the object it
 * is bound to (a pod, with the pod's node), so deleting the pod revokes it long before `exp`.
 * Upstream: pkg/serviceaccount/claims.go (Claims, validator.Validate), apiserver
 * pkg/authentication/serviceaccount/util.go (MakeUsername),
 * pkg/registry/core/serviceaccount/storage/token.go (TokenREST.Create: audiences, the extension)
 */

/**
 * The expiration the admission plugin writes into every projected token (one hour and seven
 * seconds): the odd 7 tells the token endpoint the request came from the automatic volume.
 */
export const WarnOnlyBoundTokenExpirationSeconds = 60 * 60 + 7;
/** How long such a token really lives when `--service-account-extend-token-expiration` is on (its default): one year. */
export const ExpirationExtensionSeconds = 24 * 365 * 60 * 60;
/** go-jose's `jwt.DefaultLeeway`: clock skew forgiven on nbf, exp, iat and deletion times. */
export const DefaultLeewaySeconds = 60;
/** kubeadm's `--service-account-issuer` (and so the API audience). */
export const DefaultIssuer = 'https://kubernetes.default.svc.cluster.local';

const ServiceAccountUsernamePrefix = 'system:serviceaccount:';

/** The user a token authenticates as: `system:serviceaccount:<namespace>:<name>`. */
// Upstream: apiserver pkg/authentication/serviceaccount/util.go (MakeUsername)
export function makeUsername(namespace: string, name: string): string {
  return `${ServiceAccountUsernamePrefix}${namespace}:${name}`;
}

/** The groups every service account is in (RBAC can grant to them). */
// Upstream: apiserver pkg/authentication/serviceaccount/util.go (MakeGroupNames)
export function makeGroupNames(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

export interface ObjectRef {
  name: string;
  uid: string;
}

/** The `kubernetes.io` private claim (JSON keys in the order Go's encoder writes them: sorted). */
export interface KubernetesClaims {
  namespace: string;
  node?: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  serviceaccount: ObjectRef;
  /** After this time the API server still accepts the token but records it as stale. */
  warnafter?: number;
}

/** A token's payload, as `cat token | cut -d. -f2 | base64 -d` shows it. Times are Unix seconds. */
export interface TokenClaims {
  aud?: string[];
  exp: number;
  iat: number;
  iss?: string;
  jti?: string;
  'kubernetes.io': KubernetesClaims;
  nbf: number;
  sub: string;
}

export interface ClaimsInput {
  serviceAccount: { namespace: string; name: string; uid: string };
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  expirationSeconds: number;
  /** Seconds after issue when the token turns stale (0: none). */
  warnafter?: number;
  audience?: string[];
  nowSec: number;
  /** The token's `jti` (a UUID upstream; ServiceAccountTokenJTI is GA and on in v1.34). */
  jti?: string;
  /** Set by the issuer, not by `Claims`: kube-apiserver's `--service-account-issuer`. */
  issuer?: string;
}

/**
 * The public and private claims of a new token. A pod binding carries the pod's node too
 * (ServiceAccountTokenPodNodeInfo, GA in 1.32); a token may be bound to a secret or to a
 * pod/node, never both.
 */
// Upstream: pkg/serviceaccount/claims.go (Claims)
export function claims(c: ClaimsInput): TokenClaims {
  if (c.secret && (c.node || c.pod)) throw new Error('internal error, token can only be bound to one object type');
  const k: KubernetesClaims = { namespace: c.serviceAccount.namespace, serviceaccount: { name: c.serviceAccount.name, uid: c.serviceAccount.uid } };
  if (c.pod) {
    k.pod = { ...c.pod };
    if (c.node) k.node = { ...c.node };
  } else if (c.secret) k.secret = { ...c.secret };
  else if (c.node) k.node = { ...c.node };
  if (c.warnafter) k.warnafter = c.nowSec + c.warnafter;
  // Built in sorted key order so JSON.stringify writes what encoding/json writes for the map.
  const out: TokenClaims = {} as TokenClaims;
  if (c.audience && c.audience.length > 0) out.aud = [...c.audience];
  out.exp = c.nowSec + c.expirationSeconds;
  out.iat = c.nowSec;
  if (c.issuer) out.iss = c.issuer;
  if (c.jti) out.jti = c.jti;
  out['kubernetes.io'] = sortedKubernetes(k);
  out.nbf = c.nowSec;
  out.sub = makeUsername(c.serviceAccount.namespace, c.serviceAccount.name);
  return out;
}

function sortedKubernetes(k: KubernetesClaims): KubernetesClaims {
  const out = { namespace: k.namespace } as KubernetesClaims;
  if (k.node) out.node = k.node;
  if (k.pod) out.pod = k.pod;
  if (k.secret) out.secret = k.secret;
  out.serviceaccount = k.serviceaccount;
  if (k.warnafter) out.warnafter = k.warnafter;
  return out;
}

export interface TokenRequestOptions {
  /** The request's `spec.expirationSeconds` (the projection's: 3607 for the automatic volume). */
  expirationSeconds: number;
  /** The request's audiences; empty means the API server's own (`--api-audiences`, default the issuer). */
  audiences?: string[];
  apiAudiences?: string[];
  /** Bound to a pod (the kubelet's requests always are). */
  podBound: boolean;
  /** `--service-account-extend-token-expiration` (default true). */
  extendExpiration?: boolean;
}

/**
 * What the token endpoint puts in the token: a projected-volume request (exactly 3607 s, bound
 * to a pod, for the API server's own audience) gets a one-year `exp` and `warnafter` at 3607 s,
 * so a client that never re-reads the file keeps working and is only counted as stale. The
 * TokenRequest's status still says 3607 s, and the kubelet refreshes on that.
 */
// Upstream: pkg/registry/core/serviceaccount/storage/token.go (TokenREST.Create)
export function tokenRequestExpiry(o: TokenRequestOptions): { audiences: string[]; expirationSeconds: number; warnafter: number; statusExpirationSeconds: number } {
  const apiAudiences = o.apiAudiences ?? [DefaultIssuer];
  const audiences = o.audiences && o.audiences.length > 0 ? [...o.audiences] : [...apiAudiences];
  const isKubeAudiences = audiences.every((a) => apiAudiences.includes(a));
  if ((o.extendExpiration ?? true) && o.podBound && o.expirationSeconds === WarnOnlyBoundTokenExpirationSeconds && isKubeAudiences) {
    return { audiences, expirationSeconds: ExpirationExtensionSeconds, warnafter: o.expirationSeconds, statusExpirationSeconds: o.expirationSeconds };
  }
  return { audiences, expirationSeconds: o.expirationSeconds, warnafter: 0, statusExpirationSeconds: o.expirationSeconds };
}

/** What the validator looks up (informer-backed getters upstream); undefined means not found. */
export interface TokenGetter {
  getServiceAccount(namespace: string, name: string): { uid: string; deletionTimestampSec?: number } | undefined;
  getPod(namespace: string, name: string): { uid: string; deletionTimestampSec?: number } | undefined;
  getSecret?(namespace: string, name: string): { uid: string; deletionTimestampSec?: number } | undefined;
  getNode?(name: string): { uid: string; deletionTimestampSec?: number } | undefined;
}

/** Who the request is from, once the token is accepted. */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUID?: string;
  nodeName?: string;
  nodeUID?: string;
  /** `warnafter` has passed: accepted, and recorded with the `authentication.k8s.io/stale-token` audit annotation. */
  stale: boolean;
}

/**
 * Checks a token's time claims (with a minute of leeway) and that the objects it names still
 * exist with the same UIDs. Returns the caller's identity or an Error with upstream's text; the
 * API server answers such a request 401 Unauthorized and logs
 * `"Unable to authenticate the request" err="[invalid bearer token, <text>]"`.
 */
// Upstream: pkg/serviceaccount/claims.go (validator.Validate); go-jose jwt.Claims.ValidateWithLeeway
export function validateClaims(t: Pick<TokenClaims, 'exp' | 'nbf' | 'sub' | 'kubernetes.io'> & { iat?: number }, nowSec: number, getter: TokenGetter): ServiceAccountInfo | Error {
  const leeway = DefaultLeewaySeconds;
  if (nowSec + leeway < t.nbf) return new Error('service account token is not valid yet');
  if (nowSec - leeway > t.exp) return new Error('service account token has expired');
  if (t.iat !== undefined && nowSec + leeway < t.iat) return new Error('service account token is issued in the future');
  const deletedBefore = nowSec - leeway;
  const gone = (o: { deletionTimestampSec?: number }) => o.deletionTimestampSec !== undefined && o.deletionTimestampSec < deletedBefore;
  const k = t['kubernetes.io'];
  const ns = k.namespace;
  const sa = getter.getServiceAccount(ns, k.serviceaccount.name);
  if (!sa) return new Error(`serviceaccounts "${k.serviceaccount.name}" not found`);
  if (sa.uid !== k.serviceaccount.uid) return new Error(`service account UID (${sa.uid}) does not match claim (${k.serviceaccount.uid})`);
  if (gone(sa)) return new Error(`service account ${ns}/${k.serviceaccount.name} has been deleted`);
  const invalidated = new Error('service account token has been invalidated');
  if (k.secret) {
    const s = getter.getSecret?.(ns, k.secret.name);
    if (!s) return invalidated;
    if (s.uid !== k.secret.uid) return new Error(`secret UID (${s.uid}) does not match service account secret ref claim (${k.secret.uid})`);
    if (gone(s)) return invalidated;
  }
  const info: ServiceAccountInfo = { namespace: ns, name: k.serviceaccount.name, uid: k.serviceaccount.uid, stale: false };
  if (k.pod) {
    const p = getter.getPod(ns, k.pod.name);
    if (!p) return invalidated;
    if (p.uid !== k.pod.uid) return new Error(`pod UID (${p.uid}) does not match service account pod ref claim (${k.pod.uid})`);
    if (gone(p)) return invalidated;
    info.podName = k.pod.name;
    info.podUID = k.pod.uid;
    if (k.node) {
      info.nodeName = k.node.name;
      info.nodeUID = k.node.uid;
    }
  } else if (k.node) {
    const n = getter.getNode?.(k.node.name);
    if (!n) return invalidated;
    if (n.uid !== k.node.uid) return new Error(`node UID (${n.uid}) does not match service account node ref claim (${k.node.uid})`);
    if (gone(n)) return invalidated;
    info.nodeName = k.node.name;
    info.nodeUID = k.node.uid;
  }
  if (k.warnafter && nowSec > k.warnafter) info.stale = true;
  return info;
}
