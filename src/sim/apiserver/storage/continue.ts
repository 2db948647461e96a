/**
 * List continuation tokens, encoded exactly as kube-apiserver encodes them: base64url (no
 * padding) of `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key after the prefix>"}`.
 * Upstream: apiserver pkg/storage/continue.go (EncodeContinue, DecodeContinue, PrepareContinueToken)
 */

import { base64RawUrlDecode, base64RawUrlEncode } from '../base64';

export { base64RawUrlDecode, base64RawUrlEncode };

export const ErrInvalidStartRV = 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
export const ErrEmptyStartKey = 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)';
export const ErrGenericInvalidKey = 'continue key is not valid';
export const ErrUnrecognizedEncodedVersion = 'continue key is not valid: server does not recognize this encoded version';

/** path.Clean for the absolute keys a token carries. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/') + (p.length > 1 && p.endsWith('/') && out.length > 0 ? '' : '');
}

/** encoding/json's syntax error for text that does not parse, as far as the first bad character. */
// Upstream: Go encoding/json scanner.go (quoteChar, the "looking for beginning of value" errors)
export function goJSONSyntaxError(text: string): string {
  const t = text.trimStart();
  if (t.length === 0) return 'unexpected end of JSON input';
  const c = t[0];
  if (!'{["-0123456789tfn'.includes(c)) {
    const code = c.charCodeAt(0);
    const q = c === "'" ? "'\\''" : c === '"' ? `'"'` : code < 0x20 || code >= 0x7f ? `'\\x${code.toString(16).padStart(2, '0')}'` : `'${c}'`;
    return `invalid character ${q} looking for beginning of value`;
  }
  return 'unexpected end of JSON input';
}

// Upstream: pkg/storage/continue.go (EncodeContinue)
export function encodeContinue(key: string, keyPrefix: string, resourceVersion: number): string {
  if (!key.startsWith(keyPrefix)) throw new Error('unable to encode next field: the key and key prefix do not match');
  const nextKey = key.slice(keyPrefix.length);
  return base64RawUrlEncode(JSON.stringify({ v: 'meta.k8s.io/v1', rv: resourceVersion, start: nextKey }));
}

/** The key to continue from (fully qualified) and the revision; throws with upstream's texts. */
// Upstream: pkg/storage/continue.go (DecodeContinue)
export function decodeContinue(continueValue: string, keyPrefix: string): { fromKey: string; rv: number } {
  let data: string;
  try {
    data = base64RawUrlDecode(continueValue);
  } catch (e) {
    throw new Error(`${ErrGenericInvalidKey}: ${(e as Error).message}`);
  }
  let c: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    c = JSON.parse(data) as typeof c;
  } catch {
    throw new Error(`${ErrGenericInvalidKey}: ${goJSONSyntaxError(data)}`);
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) {
    throw new Error(`${ErrGenericInvalidKey}: json: cannot unmarshal ${Array.isArray(c) ? 'array' : c === null ? 'null' : typeof c} into Go value of type storage.continueToken`);
  }
  if (c.v !== 'meta.k8s.io/v1') throw new Error(`${ErrUnrecognizedEncodedVersion} ${String(c.v ?? '')}`);
  const rv = typeof c.rv === 'number' ? c.rv : 0;
  if (rv === 0) throw new Error(ErrInvalidStartRV);
  const start = typeof c.start === 'string' ? c.start : '';
  if (start.length === 0) throw new Error(ErrEmptyStartKey);
  const key = start.startsWith('/') ? start : '/' + start;
  const cleaned = cleanPath(key);
  // path.Clean keeps a trailing NUL byte of "key\x00", and drops nothing else for a clean key.
  if (cleaned !== key) throw new Error(`${ErrGenericInvalidKey}: ${start}`);
  return { fromKey: keyPrefix + cleaned.slice(1), rv };
}

/** The continue token and remainingItemCount of a page (Go: `PrepareContinueToken`). */
export function prepareContinueToken(keyLastItem: string, keyPrefix: string, resourceVersion: number, itemsCount: number, hasMore: boolean, limit: number, predicateEmpty: boolean): { continue: string; remainingItemCount?: number } {
  if (!hasMore) return { continue: '' };
  const token = encodeContinue(keyLastItem + '\x00', keyPrefix, resourceVersion);
  return predicateEmpty ? { continue: token, remainingItemCount: itemsCount - limit } : { continue: token };
}
