/**
 * The few pieces of Go's string handling that the store and indexer make visible: the order of
 * `sets.String.List()` (sorted bytewise, as `sort.Strings` does) and the `fmt` verbs that build
 * upstream's error texts (`%v` of a `[]string` and of a `sets.String`, `%q`).
 * Upstream: apimachinery pkg/util/sets (String.List, Intersection), Go's fmt and strconv.Quote.
 */

/**
 * Compares two strings the way Go's `<` does: by their UTF-8 bytes, which is code point order.
 * JavaScript's default sort compares UTF-16 code units instead, which puts U+E000..U+FFFF after
 * every astral character; this keeps Go's order.
 */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

/** The members of a string set in Go's sorted order (Go: `sets.String.List()`). */
export function sortedList(set: Iterable<string> | undefined): string[] {
  return set ? [...set].sort(compareGoStrings) : [];
}

/** `fmt.Sprintf("%v", []string{...})`: `[a b c]`. */
export function formatGoSlice(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

/** `fmt.Sprintf("%v", sets.String{...})`: a `map[string]Empty` printed with sorted keys, `map[a:{} b:{}]`. */
export function formatGoStringSet(set: Iterable<string>): string {
  return `map[${sortedList(set)
    .map((k) => `${k}:{}`)
    .join(' ')}]`;
}

const GO_ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u000b': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** `fmt.Sprintf("%q", s)` for the strings keys and index names hold (strconv.Quote). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The text Go's `%v` prints for an error value (`err.Error()`). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/*
 * Two pieces of Go's text output that log lines show: `time.Duration.String()` (`500ms`, `1s`,
 * `1m0s`, `12h0m0s`) and klog's structured text format (`"message" key="value" n=3`).
 * Upstream: Go's time/time.go (Duration.String), k8s.io/klog/v2 internal/serialize (KVListFormat).
 */
const NS_PER_MS = 1_000_000;

/**
 * `time.Duration(ms * 1e6).String()`: whole units down to the nanosecond, trailing zeros of the
 * fraction dropped. Under a second the unit is ns, µs or ms (`1.5ms`); from a second on it is
 * `[<h>h][<m>m]<s>s`, where minutes appear once there are hours (`1h0m0s`). Zero is `0s`.
 * Exact for durations up to about 104 days (2^53 ns).
 */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  let ns = Math.round(ms * NS_PER_MS);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  ns = Math.abs(ns);
  if (ns < 1_000) return `${sign}${ns}ns`;
  if (ns < 1_000_000) return `${sign}${fraction(ns, 1_000, 3)}µs`;
  if (ns < 1_000_000_000) return `${sign}${fraction(ns, 1_000_000, 6)}ms`;
  const hours = Math.floor(ns / 3_600_000_000_000);
  ns -= hours * 3_600_000_000_000;
  const minutes = Math.floor(ns / 60_000_000_000);
  ns -= minutes * 60_000_000_000;
  const h = hours > 0 ? `${hours}h` : '';
  const m = hours > 0 || minutes > 0 ? `${minutes}m` : '';
  return `${sign}${h}${m}${fraction(ns, 1_000_000_000, 9)}s`;
}

/** `value / unit` with up to `digits` fractional digits, trailing zeros dropped (Go's fmtFrac). */
function fraction(value: number, unit: number, digits: number): string {
  const whole = Math.floor(value / unit);
  const rest = value - whole * unit;
  if (rest === 0) return String(whole);
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** A value in a klog key/value list: strings (and Stringers, like durations) quoted, numbers bare. */
export type KlogValue = string | number | boolean | { duration: number };

/**
 * One structured log line as klog's text format writes it: the message quoted, then
 * `key=value` pairs, a string value quoted (`%q`), a duration as its quoted `String()`.
 */
export function klogStructured(message: string, keysAndValues: Record<string, KlogValue> = {}): string {
  const parts = [goQuote(message)];
  for (const [key, value] of Object.entries(keysAndValues)) {
    let text: string;
    if (typeof value === 'string') text = goQuote(value);
    else if (typeof value === 'object') text = goQuote(formatGoDuration(value.duration));
    else text = String(value);
    parts.push(`${key}=${text}`);
  }
  return parts.join(' ');
}
