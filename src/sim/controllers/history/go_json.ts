/**
 * JSON as Go's encoding/json writes a decoded `map[string]interface{}`: object keys sorted, no
 * spaces, `<`, `>` and `&` (and U+2028, U+2029) escaped. A revision's data is such a marshal (the
 * controllers decode the encoded object into a map, then marshal it), so its bytes, and the hash
 * of them, can be reproduced from the plain data.
 * Upstream: Go encoding/json (Marshal: map keys sorted, HTMLEscape on by default)
 */

/** The bytes Go's json.Marshal writes for a decoded JSON value, as a string. */
export function marshalGoJSON(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(marshalGoJSON).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${goString(k)}:${marshalGoJSON(o[k])}`).join(',')}}`;
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
