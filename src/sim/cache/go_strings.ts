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
