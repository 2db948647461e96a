/**
 * What a container finds in its projected volume, and when the kubelet rewrites the token. The
 * kubelet asks the API server for a token bound to the pod (a TokenRequest with the
 * projection's expirationSeconds), keeps it, and asks again once 80% of that lifetime has passed
 * (or 24 h, whichever is first); the files are swapped atomically under `..data`.
 * Upstream: pkg/kubelet/token/token_manager.go (Manager.requiresRefresh, maxTTL),
 * pkg/volume/projected/projected.go (collectData), pkg/volume/downwardapi (field paths)
 */
import type { Pod } from '../api/core/v1';
import type { Rng } from '../core/rng';
import { apiAccessVolume, projectedOf } from './admission';
import { claims, DefaultIssuer, tokenRequestExpiry, type TokenClaims } from './claims';
import { encodeToken } from './jwt';

/** The kubelet refreshes a token older than this whatever its lifetime (`maxTTL`). */
export const MaxTTLSeconds = 24 * 60 * 60;

/**
 * A token issued at `iatSec` for `ttlSec` needs refreshing at `nowSec`: past 80% of its life
 * (the remaining 20% computed in integer seconds, as upstream) or older than 24 h. Upstream
 * subtracts a random jitter of up to 10 s from both limits; the model uses none.
 */
// Upstream: pkg/kubelet/token/token_manager.go (Manager.requiresRefresh)
export function requiresRefresh(iatSec: number, ttlSec: number, nowSec: number): boolean {
  const exp = iatSec + ttlSec;
  if (nowSec > iatSec + MaxTTLSeconds) return true;
  return nowSec > exp - Math.trunc((ttlSec * 20) / 100);
}

/** When the token in the volume at `nowSec` was issued, for a pod whose volume was set up at `startSec`. */
export function tokenIssuedAt(startSec: number, ttlSec: number, nowSec: number): number {
  let iat = startSec;
  const period = Math.min(ttlSec - Math.trunc((ttlSec * 20) / 100), MaxTTLSeconds);
  // Each refresh happens at the first check after the limit: one second later in whole seconds.
  while (requiresRefresh(iat, ttlSec, nowSec)) iat += period + 1;
  return iat;
}

export interface ProjectedFilesOptions {
  /** The admitted pod (with its `kube-api-access-*` volume, or one of its own at the token path). */
  pod: Pod;
  serviceAccountUID: string;
  /** The pod's node's UID (the token's `kubernetes.io.node`). */
  nodeUID?: string;
  /** When the kubelet set the volume up (the pod's start), virtual ms. */
  startMs: number;
  nowMs: number;
  /** `ca.crt` of the namespace's `kube-root-ca.crt` (undefined: the ConfigMap is missing). */
  rootCA?: string;
  issuer?: string;
  /** The signing key's id, as `kid` in the header. */
  keyID?: string;
  /** Draws each token's `jti` (forked per issue time, so a token reads the same every time). */
  rng: Rng;
}

export interface ProjectedFiles {
  /** File name in the volume -> content. */
  files: Map<string, string>;
  /** The token's claims, when the volume has a token. */
  claims?: TokenClaims;
  /** Why the kubelet could not build the volume (the pod would stay ContainerCreating). */
  error?: string;
}

/** The files of the volume mounted at /var/run/secrets/kubernetes.io/serviceaccount (undefined: no such mount). */
// Upstream: pkg/volume/projected/projected.go (projectedVolumeMounter.collectData)
export function projectedFiles(o: ProjectedFilesOptions): ProjectedFiles | undefined {
  const access = apiAccessVolume(o.pod);
  const source = access?.volume && projectedOf(access.volume);
  if (!access || !source) return undefined;
  const files = new Map<string, string>();
  const ns = o.pod.metadata.namespace ?? 'default';
  let tokenClaims: TokenClaims | undefined;
  for (const s of source.sources) {
    if (s.serviceAccountToken) {
      const ttl = s.serviceAccountToken.expirationSeconds ?? 3600;
      const iat = tokenIssuedAt(Math.floor(o.startMs / 1000), ttl, Math.floor(o.nowMs / 1000));
      const req = tokenRequestExpiry({ expirationSeconds: ttl, audiences: s.serviceAccountToken.audience ? [s.serviceAccountToken.audience] : [], podBound: true });
      const nodeName = o.pod.spec.nodeName;
      tokenClaims = claims({
        serviceAccount: { namespace: ns, name: (o.pod.spec.serviceAccountName as string | undefined) ?? 'default', uid: o.serviceAccountUID },
        pod: { name: o.pod.metadata.name ?? '', uid: o.pod.metadata.uid ?? '' },
        node: nodeName ? { name: nodeName, uid: o.nodeUID ?? '' } : undefined,
        expirationSeconds: req.expirationSeconds,
        warnafter: req.warnafter,
        audience: req.audiences,
        nowSec: iat,
        jti: uuid(o.rng.fork(`jti/${iat}`)),
        issuer: o.issuer ?? DefaultIssuer,
      });
      files.set(s.serviceAccountToken.path, encodeToken(tokenClaims, o.keyID ?? 'kubelab-placeholder-key-id'));
    } else if (s.configMap) {
      if (o.rootCA === undefined) return { files, error: `configmap "${s.configMap.name}" not found` };
      for (const item of s.configMap.items ?? [{ key: 'ca.crt', path: 'ca.crt' }]) files.set(item.path, o.rootCA);
    } else if (s.downwardAPI) {
      for (const item of s.downwardAPI.items) {
        const f = item.fieldRef?.fieldPath;
        const value = f === 'metadata.namespace' ? ns : f === 'metadata.name' ? (o.pod.metadata.name ?? '') : f === 'metadata.uid' ? (o.pod.metadata.uid ?? '') : undefined;
        if (value !== undefined) files.set(item.path, value);
      }
    }
  }
  return { files, claims: tokenClaims };
}

/** A version-4 UUID from the injected RNG (upstream: google/uuid from crypto/rand). */
export function uuid(rng: Rng): string {
  const b: number[] = [];
  for (let i = 0; i < 16; i++) b.push(rng.int(256));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
