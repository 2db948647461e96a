/**
 * kubeadm's CA certificate hash, the `--discovery-token-ca-cert-hash sha256:<hex>` a joining node
 * checks: SHA-256 over the CA certificate's DER-encoded SubjectPublicKeyInfo (not over the whole
 * certificate), so it survives re-issuing the CA with the same key.
 * Upstream: cmd/kubeadm/app/util/pubkeypin/pubkeypin.go (Hash, Set.CheckAny)
 */
import { hexEncode, sha256 } from '../core/sha256';
import { goQuote } from '../apimachinery/go';
import type { Certificate } from './x509';

export const HASH_FORMAT_PREFIX = 'sha256:';

/** `sha256:` + hex SHA-256 of the certificate's SubjectPublicKeyInfo. */
// Upstream: pubkeypin.go (Hash)
export function caCertHash(cert: Certificate): string {
  return HASH_FORMAT_PREFIX + hexEncode(sha256(cert.rawSubjectPublicKeyInfo));
}

/**
 * Parses pins as Set.Allow does (`format:hex`, format sha256 in any case, 32 bytes of hex), then
 * checks that one of `certs` is pinned (Set.CheckAny). Returns Go's error text, or undefined.
 */
// Upstream: pubkeypin.go (Set.Allow, Set.allowSHA256, Set.CheckAny)
export function checkAnyPin(pins: readonly string[], certs: readonly Certificate[]): string | undefined {
  const allowed = new Set<string>();
  for (const pin of pins) {
    const parts = pin.split(':');
    if (parts.length !== 2) return 'invalid hash, expected "format:hex-value". Known format(s) are: sha256';
    const [format, value] = parts;
    if (format.toLowerCase() !== 'sha256') return `unknown hash format ${goQuote(format)}. Known format(s) are: sha256`;
    const decodedLen = Math.floor(value.length / 2);
    if (decodedLen !== 32) return `invalid hash ${goQuote(pin)}, expected a 32 byte SHA-256 hash, found ${decodedLen} bytes`;
    if (!/^[0-9a-fA-F]*$/.test(value)) return `invalid hash ${goQuote(pin)}, could not decode SHA-256 from hex: encoding/hex: invalid byte`;
    allowed.add(value.toLowerCase());
  }
  const hashes: string[] = [];
  for (const c of certs) {
    const h = caCertHash(c);
    if (allowed.has(h.slice(HASH_FORMAT_PREFIX.length))) return undefined;
    hashes.push(h);
  }
  return `none of the public keys ${goQuote(hashes.join(':'))} are pinned`;
}
