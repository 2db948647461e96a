/**
 * The few pieces of Go's text output that apimachinery's messages are made of: `strconv.Quote`
 * (`%q`), `encoding/json.Marshal` (field.Error's rendering of a composite bad value), `%v` of a
 * float64 and of the JSON values a patch holds (`map[a:1 b:[x y]]`), and Go's string order.
 * Upstream: Go's strconv/quote.go (Quote), encoding/json/encode.go (Marshal), fmt/print.go (%v).
 */

const QUOTE_ESCAPES: Record<string, string> = {
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

/** Whether Go's `unicode.IsPrint` holds for a code point (approximated: controls, separators and unpaired surrogates are not printable). */
function isPrint(code: number): boolean {
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return false;
  if (code === 0xad) return false;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  if (code === 0x2028 || code === 0x2029 || code === 0xfeff) return false;
  if (code >= 0x200b && code <= 0x200f) return false;
  return true;
}

/** `fmt.Sprintf("%q", s)` (strconv.Quote): Go's double-quoted string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    const esc = QUOTE_ESCAPES[ch];
    if (esc) out += esc;
    else if (isPrint(code)) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Compares two strings as Go's `<` does: by UTF-8 bytes, i.e. by code points. */
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

/** The length of a string in UTF-8 bytes, which is what Go's `len(s)` counts. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * `strconv.FormatFloat(f, 'g', -1, 64)`, which is what `%v` prints for a float64: the shortest
 * digits that round-trip, in %e form (two-digit exponent at least) when the exponent is below -4
 * or at least 6 ("if precision was the shortest possible, use precision 6 for this decision").
 * Upstream: Go's strconv/ftoa.go (formatDigits)
 */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // JavaScript's shortest round-trip digits are the same as Go's; only the layout differs.
  const [mantissa, e] = f.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  // Plain notation; JavaScript's toString is plain for exponents from -6 to 20.
  return String(f);
}

const JSON_HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** A JSON string literal as encoding/json writes it (HTML-safe: `<`, `>`, `&` escaped). */
function goJSONString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => JSON_HTML_ESCAPES[c]);
}

/** Marks an object as a Go struct: its JSON keeps the field order instead of sorting keys like a map. */
const GO_STRUCT = Symbol('goStruct');

/** The object, marked as a Go struct whose fields are in this order (see goJSONMarshal). */
export function goStruct<T extends object>(obj: T): T {
  Object.defineProperty(obj, GO_STRUCT, { value: true, enumerable: false });
  return obj;
}

/**
 * `json.Marshal(v)` of a JSON-shaped value: map keys sorted, strings HTML-escaped, integers in
 * full and other numbers as Go's float64 encoder writes them. `undefined` is treated as null.
 */
export function goJSONMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJSONString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goJSONNumber(v);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(goJSONMarshal).join(',')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    if (!(GO_STRUCT in (v as object))) keys.sort(compareGoStrings);
    return `{${keys.map((k) => `${goJSONString(k)}:${goJSONMarshal((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return 'null';
}

/** encoding/json's float64 encoding: like 'g' but exponents only below 1e-6 and from 1e21 (ES number formatting). */
function goJSONNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs < 1e-6 || abs >= 1e21) {
    // Go: strconv 'e' format, then "e-07" is cleaned to "e-7".
    return n.toExponential().replace('e+', 'e+').replace(/e([+-])0*(\d)/, 'e$1$2');
  }
  return String(n);
}

/**
 * `fmt.Sprintf("%v", v)` for JSON-shaped values as kube-apiserver holds them after decoding
 * (integers as int64, other numbers as float64): `map[a:1 b:x]` (sorted keys), `[1 2]`, `<nil>`.
 */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort(compareGoStrings);
    return `map[${keys.map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** The Go type a decoded JSON value has in kube-apiserver (ints preserved as int64), as reflect.TypeOf prints it. */
export function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** A plain JSON object (not an array, not null). */
export function isJSONObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values (Go's reflect.DeepEqual on decoded JSON). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJSONObject(a)) {
    if (!isJSONObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A deep copy of a JSON value. */
export function jsonClone<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => jsonClone(x)) as T;
  if (isJSONObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonClone(x);
    return out as T;
  }
  return v;
}

/**
 * A text/tabwriter as kubectl's printers configure it (`printers.GetNewTabWriter`: minwidth 6,
 * tabwidth 4, padding 3, padchar ' ', no flags): tab-separated cells become left-aligned columns;
 * text after the last tab of a line is not a column and is not padded.
 * Upstream: Go's text/tabwriter, k8s.io/cli-runtime pkg/printers/tabwriter.go (GetNewTabWriter)
 */
export function tabwriter(lines: readonly string[], minWidth = 6, padding = 3): string {
  const rows = lines.map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const cells of rows) {
    for (let c = 0; c < cells.length - 1; c++) widths[c] = Math.max(widths[c] ?? 0, [...cells[c]].length);
  }
  return rows
    .map((cells) =>
      cells
        .map((cell, c) => (c < cells.length - 1 ? cell.padEnd(Math.max(minWidth, widths[c] + padding) - ([...cell].length - cell.length)) : cell))
        .join(''),
    )
    .map((l) => `${l}\n`)
    .join('');
}

/**
 * Go's sort.SliceStable: insertion sort in blocks of 20, then SymMerge. The exact algorithm
 * matters where upstream's less function is not a strict weak order (strategicpatch's
 * normalizeSliceOrder, meta's resourceByPreferredGroupVersion); for fewer than 12 items it is
 * also what sort.Sort does (pdqsort falls back to the same insertion sort).
 * Upstream: Go's sort/zsortfunc.go (stable_func, insertionSort_func, symMerge_func, rotate_func)
 */
export function sliceStable<T>(data: T[], less: (a: T, b: T) => boolean): void {
  const n = data.length;
  const l = (i: number, j: number) => less(data[i], data[j]);
  const swap = (i: number, j: number) => {
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  };
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && l(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, m: number) => {
    for (let i = 0; i < m; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (l(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!l(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const nn = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = nn - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = nn - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!l(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = nn - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}
