// The pod-template-hash: names the new ReplicaSet `<deployment>-<hash>` and labels its pods.
// Upstream: pkg/controller/controller_utils.go (ComputeHash), apimachinery util/rand (SafeEncodeString)
import { utf8Encode } from '../../core/utf8';
import type { PodTemplateSpec } from './types';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

function fnv32a(bytes: Iterable<number>, h = FNV32_OFFSET): number {
  for (const b of bytes) h = Math.imul(h ^ b, FNV32_PRIME) >>> 0;
  return h >>> 0;
}

/** JSON with sorted keys: the same template always prints the same bytes. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Consonants and digits only, so a hash never spells a word. */
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** Upstream: apimachinery pkg/util/rand (SafeEncodeString) */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

/**
 * fnv32a over the template, then over collisionCount as 8 little-endian bytes when it is set (a
 * bumped count gives a new name after a hash collision), printed in decimal and safe-encoded.
 * Divergence: upstream hashes Go's spew dump of the typed struct; we hash sorted-key JSON, so the
 * values differ from a real cluster's (same length range, same alphabet, same role).
 * Upstream: controller_utils.go (ComputeHash)
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  const text = utf8Encode(canonical(template));
  let h = fnv32a(text);
  if (collisionCount !== undefined) {
    const c = collisionCount >>> 0;
    h = fnv32a([c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, (c >>> 24) & 0xff, 0, 0, 0, 0], h);
  }
  return safeEncodeString(String(h));
}
