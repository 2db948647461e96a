/**
 * YAML as `kubectl get -o yaml` prints it: sigs.k8s.io/yaml.Marshal, i.e. the object as JSON, then
 * go-yaml v2's emitter. What that means for the text: keys in go-yaml's natural order, block style,
 * sequences not indented under their key, strings plain when they read back as the same string,
 * double-quoted when they would read as another type (`"80"`, `"true"`, timestamps), single-quoted
 * when an indicator forbids plain, literal blocks (`|`, `|-`) for multi-line text, and long plain
 * or quoted text folded at a space once a line passes 80 columns.
 */

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

/** go-yaml v2's Marshal of JSON data (objects, arrays, strings, numbers, booleans, null). */
// Upstream: sigs.k8s.io/yaml yaml.go (Marshal, JSONToYAML); gopkg.in/yaml.v2 encode.go, emitterc.go, sorter.go
export function toYaml(value: unknown): string {
  const e = new Emitter();
  if (isNonEmptyMap(value)) e.mapping(value, 0, false);
  else if (isNonEmptyList(value)) e.sequence(value, 0, false);
  else e.scalarOrEmpty(value, 2);
  return e.out.endsWith('\n') ? e.out : e.out + '\n';
}

const isNonEmptyMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).some((x) => x !== undefined);
const isNonEmptyList = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

class Emitter {
  out = '';
  /** Column of the next character (0-based), as libyaml's emitter.column. */
  column = 0;
  /** True after whitespace (a space or a line start), as libyaml's emitter.whitespace. */
  whitespace = true;

  write(s: string): void {
    for (const ch of s) {
      if (ch === '\n') {
        this.out += '\n';
        this.column = 0;
        this.whitespace = true;
      } else {
        this.out += ch;
        this.column++;
        this.whitespace = ch === ' ';
      }
    }
  }

  /** Starts a new line at `indent` (no line break before the first line of the document). */
  newline(indent: number): void {
    if (this.out !== '') this.write('\n');
    this.write(' '.repeat(indent));
  }

  /**
   * A block mapping whose keys sit at column `indent`. `inline`: the first key continues the
   * current line (right after a sequence item's "- ").
   */
  mapping(m: Record<string, unknown>, indent: number, inline: boolean): void {
    const keys = Object.keys(m).filter((k) => m[k] !== undefined).sort(naturalLess);
    keys.forEach((k, i) => {
      if (!(inline && i === 0)) this.newline(indent);
      this.scalar(k, indent, true);
      this.write(':');
      const v = m[k];
      if (isNonEmptyMap(v)) this.mapping(v, indent + BEST_INDENT, false);
      else if (isNonEmptyList(v)) this.sequence(v, indent, false); // go-yaml: no indent under the key
      else this.scalarOrEmpty(v, indent + BEST_INDENT);
    });
  }

  /** A block sequence whose dashes sit at column `indent`; `inline` as for mappings. */
  sequence(items: unknown[], indent: number, inline: boolean): void {
    items.forEach((item, i) => {
      if (!(inline && i === 0)) this.newline(indent);
      this.write('-');
      if (isNonEmptyMap(item)) {
        this.write(' ');
        this.mapping(item, indent + BEST_INDENT, true);
      } else if (isNonEmptyList(item)) {
        this.write(' ');
        this.sequence(item, indent + BEST_INDENT, true);
      } else this.scalarOrEmpty(item, indent + BEST_INDENT);
    });
  }

  /** A scalar, `{}` or `[]` after a key's colon or an item's dash; folded lines continue at `indent`. */
  scalarOrEmpty(v: unknown, indent: number): void {
    if (Array.isArray(v) || (v !== null && typeof v === 'object')) {
      if (!this.whitespace) this.write(' ');
      this.write(Array.isArray(v) ? '[]' : '{}');
      return;
    }
    this.scalar(v, indent, false);
  }

  /** A scalar; `indent` is where folded lines continue. Keys are simple keys (never folded). */
  scalar(v: unknown, indent: number, simpleKey: boolean): void {
    if (!simpleKey && !this.whitespace) this.write(' ');
    if (v === null || v === undefined) return this.write('null');
    if (typeof v === 'boolean') return this.write(v ? 'true' : 'false');
    if (typeof v === 'number') return this.write(formatFloat(v));
    const s = String(v);
    const a = analyze(s);
    // encode.go stringv: literal for multi-line text, plain when it resolves to a string, else double quotes.
    let style: 'plain' | 'single' | 'double' | 'literal';
    if (s.includes('\n')) style = 'literal';
    else if (resolvesToString(s)) style = 'plain';
    else style = 'double';
    // emitterc.go yaml_emitter_select_scalar_style
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlainAllowed) style = 'single';
      if (s.length === 0 && simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
    const allowBreaks = !simpleKey;
    switch (style) {
      case 'plain':
        return this.writePlain(s, indent, allowBreaks);
      case 'single':
        return this.writeSingle(s, indent, allowBreaks);
      case 'double':
        return this.writeDouble(s, indent, allowBreaks);
      case 'literal':
        return this.writeLiteral(s, indent);
    }
  }

  writePlain(s: string, indent: number, allowBreaks: boolean): void {
    const chars = [...s];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.foldTo(indent);
        else this.write(c);
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
  }

  writeSingle(s: string, indent: number, allowBreaks: boolean): void {
    this.write("'");
    const chars = [...s];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') this.foldTo(indent);
        else this.write(c);
        spaces = true;
      } else {
        this.write(c === "'" ? "''" : c);
        spaces = false;
      }
    }
    this.write("'");
  }

  writeDouble(s: string, indent: number, allowBreaks: boolean): void {
    this.write('"');
    const chars = [...s];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (!isPrintable(c) || c === '"' || c === '\\' || c === '\n') {
        this.write(escapeDouble(c));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.foldTo(indent);
          if (chars[i + 1] === ' ') this.write('\\');
        } else this.write(c);
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.write('"');
  }

  writeLiteral(s: string, indent: number): void {
    // Block scalar hints: an indentation indicator when the text starts with a space or break,
    // then chomping: "-" without a final break, "+" when the final break is kept with others.
    let hints = '';
    if (s.startsWith(' ') || s.startsWith('\n')) hints += String(BEST_INDENT);
    if (!s.endsWith('\n')) hints += '-';
    else if (s === '\n' || s.endsWith('\n\n')) hints += '+';
    this.write('|' + hints);
    const body = s.endsWith('\n') ? s.slice(0, -1) : s;
    for (const line of body.split('\n')) {
      this.write('\n');
      if (line !== '') this.write(' '.repeat(indent) + line);
    }
  }

  foldTo(indent: number): void {
    this.write('\n' + ' '.repeat(Math.max(0, indent)));
  }
}

/** The results of libyaml's yaml_emitter_analyze_scalar that decide the style. */
function analyze(value: string) {
  const chars = [...value];
  if (chars.length === 0) {
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let lineBreaks = false;
  let special = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':') && followedByWhitespace) blockIndicators = true;
      else if (c === '-' && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) blockIndicators = true;
    else if (c === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (c === '\n' || c === '\r') {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = c === ' ' || c === '\t' || c === '\n' || c === '\r';
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || special) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** libyaml's is_printable (with unicode output on): newline, printable ASCII, most of Unicode. */
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if (cp === 0x0a) return true;
  if (cp >= 0x20 && cp <= 0x7e) return true;
  if (cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff)) return true;
  if (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) return true;
  return cp >= 0x10000 && cp <= 0x10ffff;
}

function escapeDouble(c: string): string {
  switch (c) {
    case '\0':
      return '\\0';
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    case '\v':
      return '\\v';
    case '\f':
      return '\\f';
    case '\r':
      return '\\r';
    case '\x1b':
      return '\\e';
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\u0085':
      return '\\N';
    case '\u00a0':
      return '\\_';
    case '\u2028':
      return '\\L';
    case '\u2029':
      return '\\P';
  }
  const cp = c.codePointAt(0)!;
  if (cp <= 0xff) return `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
}

const BOOL_NULL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF',
  '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);

/**
 * Whether a plain scalar with this text reads back as the same string (go-yaml v2 resolve): not
 * empty, not a bool/null/number/timestamp, not base-60. Otherwise it must be double-quoted.
 */
// Upstream: gopkg.in/yaml.v2 resolve.go (resolve), encode.go (stringv, isBase60Float)
export function resolvesToString(s: string): boolean {
  if (s === '') return false;
  if (BOOL_NULL.has(s)) return false;
  const c = s[0];
  if ('+-.0123456789'.includes(c)) {
    if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return false; // float / int
    if (/^[-+]?0b[01_]+$/.test(s) || /^[-+]?0x[0-9a-fA-F_]+$/.test(s) || /^[-+]?[0-9_]+$/.test(s)) return false;
    if (/^[-+]?0[0-7_]+$/.test(s)) return false;
    if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return false; // base 60
    if (isTimestamp(s)) return false;
  }
  return true;
}

/** go-yaml v2 parseTimestamp: the layouts it accepts for an unquoted scalar. */
function isTimestamp(s: string): boolean {
  return (
    /^\d{4}-\d{1,2}-\d{1,2}$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d{1,9})?(Z|[-+]\d{2}:\d{2})$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d{1,9})?$/.test(s)
  );
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64) as yaml.v2 writes floats; integers as integers. */
export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 21) {
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/**
 * go-yaml v2's keyList.Less: letters after non-letters, digit runs compared as numbers, then
 * code points. (sorter.go)
 */
// Upstream: gopkg.in/yaml.v2 sorter.go (keyList.Less)
export function naturalLess(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i] ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i] < br[i] ? -1 : 1;
  }
  return ar.length - br.length;
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';
