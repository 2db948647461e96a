/**
 * The detached JWS that binds cluster-info to a bootstrap token: an HS256 JWS (RFC 7515) over
 * the cluster-info kubeconfig, keyed by the token secret, with the token ID as `kid`, and its
 * payload left out ("detached", RFC 7515 appendix F): `<header>..<signature>`. A joining node
 * that knows the token recomputes it; a match proves the API server knows the secret too.
 * Upstream: staging/src/k8s.io/cluster-bootstrap/token/jws/jws.go (ComputeDetachedSignature,
 * stripContent, DetachedTokenIsValid), which signs with go-jose
 */
import { hmacSha256 } from '../../core/sha256';
import { base64RawUrlEncode, encodeByteString } from '../../apiserver/base64';

/** base64url without padding of raw bytes (Go: base64.RawURLEncoding.EncodeToString). */
export function base64RawUrlEncodeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return encodeByteString(s, 'rawurl');
}

/** `<base64url(header)>..<base64url(HMAC-SHA256)>`. Upstream: jws.go (ComputeDetachedSignature) */
export function computeDetachedSignature(content: string, tokenID: string, tokenSecret: string): string {
  // go-jose writes the protected header with its keys sorted: alg, then kid.
  const header = base64RawUrlEncode(JSON.stringify({ alg: 'HS256', kid: tokenID }));
  const payload = base64RawUrlEncode(content);
  const signature = base64RawUrlEncodeBytes(hmacSha256(tokenSecret, `${header}.${payload}`));
  return stripContent(`${header}.${payload}.${signature}`);
}

/** Drops the payload of a compact JWS. Upstream: jws.go (stripContent) */
function stripContent(fullSig: string): string {
  const parts = fullSig.split('.');
  if (parts.length !== 3) throw new Error('compact JWS format must have three parts');
  return `${parts[0]}..${parts[2]}`;
}

/** Whether `detachedToken` is the signature of `content` under the token. Upstream: jws.go (DetachedTokenIsValid) */
export function detachedTokenIsValid(detachedToken: string, content: string, tokenID: string, tokenSecret: string): boolean {
  return detachedToken === computeDetachedSignature(content, tokenID, tokenSecret);
}
