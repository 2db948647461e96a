/**
 * Tokens as text: `header.payload.signature`, each part base64url without padding, the first
 * two JSON. kube-apiserver signs with RS256 under the key of `--service-account-signing-key-file`
 * and names it in `kid`; this model signs nothing. Its third part is a fixed, readable
 * placeholder, so a token from the model decodes like a real one and can never pass for one.
 * Upstream: pkg/serviceaccount/jwt.go (jwtTokenGenerator.GenerateToken, keyIDFromPublicKey)
 */
import { base64RawUrlDecode, base64RawUrlEncode } from '../apiserver/base64';
import type { TokenClaims } from './claims';

/** Not a signature: the model's marker in the signature's place (base64url characters only). */
export const PlaceholderSignature = 'kubelab-placeholder-signature-not-RS256-not-verifiable';

export interface JwtHeader {
  alg: string;
  kid: string;
}

/** A token from claims (the issuer's `iss` already in them). */
// Upstream: pkg/serviceaccount/jwt.go (jwtTokenGenerator.GenerateToken)
export function encodeToken(claims: TokenClaims, kid: string): string {
  const header: JwtHeader = { alg: 'RS256', kid };
  return `${base64RawUrlEncode(JSON.stringify(header))}.${base64RawUrlEncode(JSON.stringify(claims))}.${PlaceholderSignature}`;
}

/** The header and claims of a token (what jwt.io or `cut -d. -f2 | base64 -d` shows); throws on a malformed one. */
export function decodeToken(token: string): { header: JwtHeader; claims: TokenClaims; signature: string } {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error('square/go-jose: compact JWS format must have three parts');
  return { header: JSON.parse(base64RawUrlDecode(parts[0])) as JwtHeader, claims: JSON.parse(base64RawUrlDecode(parts[1])) as TokenClaims, signature: parts[2] };
}
