/**
 * JSON as Go's encoding/json writes it for kubectl's unstructured objects: map keys sorted, `<`,
 * `>`, `&`, U+2028 and U+2029 escaped, `json.MarshalIndent(obj, "", "    ")` for `-o json`, compact
 * for request bodies and the last-applied annotation.
 */

/** Go's json.Marshal (compact) or json.MarshalIndent(v, "", indent). Keys sorted at every level. */
// Upstream: go src/encoding/json/encode.go (mapEncoder sorts keys; HTMLEscape is on by default)
export function goJson(value: unknown, indent = ''): string {
  return encode(value, indent, '');
}

function encode(v: unknown, indent: string, prefix: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') return Number.isFinite(v) ? formatNumber(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  const inner = prefix + indent;
  const nl = indent ? '\n' : '';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => inner + encode(x, indent, inner)).join(',' + nl)}${nl}${prefix}]`;
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort(compareUtf16AsBytes);
    if (keys.length === 0) return '{}';
    const sep = indent ? ': ' : ':';
    return `{${nl}${keys.map((k) => inner + quote(k) + sep + encode((v as Record<string, unknown>)[k], indent, inner)).join(',' + nl)}${nl}${prefix}}`;
  }
  return 'null';
}

/** Go sorts map keys as byte strings; for the keys objects carry this is code-unit order. */
export function compareUtf16AsBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's float64 encoding: shortest repr, exponent below 1e-6 and from 1e21 (`1e-7`, `1e+21`). */
function formatNumber(n: number): string {
  return JSON.stringify(n);
}

/** A JSON string literal as Go writes it (HTML-safe). */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '<':
      case '>':
      case '&':
      case '\u2028':
      case '\u2029':
        out += `\\u${c.toString(16).padStart(4, '0')}`;
        break;
      default:
        out += c < 0x20 ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
    }
  }
  return out + '"';
}

/** A deep copy of JSON data with object keys in sorted order (what json.Marshal then Unmarshal gives). */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort(compareUtf16AsBytes)) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeysDeep(v);
    }
    return out as T;
  }
  return value;
}
