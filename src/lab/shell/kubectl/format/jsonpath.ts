/**
 * client-go's JSONPath templates as `kubectl get -o jsonpath=...` runs them: text outside `{}`
 * is printed as is; inside, `.field`, `['key']`, `[n]`, `[start:end:step]`, `[*]`, `..`, unions
 * `[a,b]`, filters `[?(@.x=="y")]`, `{range ...}{end}`, quoted text (`{"\n"}`). Results in one
 * action are joined by a space; maps and lists print as compact JSON.
 */
import { goJson } from './json';
import { formatFloat } from './yaml';

type Node =
  | { type: 'list'; nodes: Node[] }
  | { type: 'text'; text: string }
  | { type: 'field'; value: string }
  | { type: 'identifier'; name: string }
  | { type: 'array'; params: [Param, Param, Param] }
  | { type: 'filter'; left: Node & { type: 'list' }; right: Node & { type: 'list' }; operator: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; nodes: Array<Node & { type: 'list' }> };

interface Param {
  value: number;
  known: boolean;
  derived: boolean;
}

const newList = (): Node & { type: 'list' } => ({ type: 'list', nodes: [] });

/** A template that does not parse; the message is client-go's. */
export class JsonPathError extends Error {}

const DICT_KEY = /^'([^']*)'$/;
const SLICE = /^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$/;

// Upstream: client-go util/jsonpath/parser.go (Parser)
class Parser {
  root = newList();
  input = '';
  pos = 0;
  start = 0;
  width = 0;

  parse(text: string): void {
    this.input = text;
    this.root = newList();
    this.pos = 0;
    this.parseText(this.root);
  }

  consumeText(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  next(): string | undefined {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return undefined;
    }
    const cp = this.input.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.width = ch.length;
    this.pos += this.width;
    return ch;
  }

  peek(): string | undefined {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    this.pos -= this.width;
  }

  parseText(cur: Node & { type: 'list' }): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
        return this.parseLeftDelim(cur);
      }
      if (this.next() === undefined) break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
  }

  parseLeftDelim(cur: Node & { type: 'list' }): void {
    this.pos += 1;
    this.consumeText();
    const node = newList();
    cur.nodes.push(node);
    this.parseInsideAction(node);
  }

  parseInsideAction(cur: Node & { type: 'list' }): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) return this.parseRightDelim();
      if (rest.startsWith('[?(')) return this.parseFilter(cur);
      if (rest.startsWith('..')) return this.parseRecursive(cur);
      const r = this.next();
      if (r === undefined || r === '\r' || r === '\n') throw new JsonPathError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') {
        this.consumeText();
        continue;
      }
      if (r === '[') return this.parseArray(cur);
      if (r === '"' || r === "'") return this.parseQuote(cur, r);
      if (r === '.') return this.parseField(cur);
      if (r === '+' || r === '-' || isDigit(r)) {
        this.backup();
        return this.parseNumber(cur);
      }
      if (isAlphaNumeric(r)) {
        this.backup();
        return this.parseIdentifier(cur);
      }
      throw new JsonPathError(`unrecognized character in action: U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${r}'`);
    }
  }

  parseRightDelim(): void {
    this.pos += 1;
    this.consumeText();
    this.parseText(this.root);
  }

  parseIdentifier(cur: Node & { type: 'list' }): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
    this.parseInsideAction(cur);
  }

  parseRecursive(cur: Node & { type: 'list' }): void {
    if (cur.nodes.at(-1)?.type === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    const r = this.peek();
    if (r !== undefined && isAlphaNumeric(r)) return this.parseField(cur);
    this.parseInsideAction(cur);
  }

  parseNumber(cur: Node & { type: 'list' }): void {
    const r = this.peek();
    if (r === '+' || r === '-') this.next();
    for (;;) {
      const c = this.next();
      if (c !== '.' && !(c !== undefined && isDigit(c))) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[-+]?\d+$/.test(value)) cur.nodes.push({ type: 'int', value: Number(value) });
    else if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ type: 'float', value: Number(value) });
    else throw new JsonPathError(`cannot parse number ${value}`);
    this.parseInsideAction(cur);
  }

  parseArray(cur: Node & { type: 'list' }): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === '*') text = ':';
    const strs = text.split(',');
    if (strs.length > 1) {
      const union = strs.map((s) => parseAction('union', `[${s.trim()}]`));
      cur.nodes.push({ type: 'union', nodes: union });
      return this.parseInsideAction(cur);
    }
    const dict = DICT_KEY.exec(text);
    if (dict) {
      for (const n of parseAction('arraydict', `.${dict[1]}`).nodes) cur.nodes.push(n);
      return this.parseInsideAction(cur);
    }
    const m = SLICE.exec(text);
    if (!m) throw new JsonPathError(`invalid array index ${text}`);
    const value = m.slice(1);
    const params: [Param, Param, Param] = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let v = value[i];
      if (v !== undefined && v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params[i].known = false;
        else {
          if (!/^-?\d+$/.test(v)) throw new JsonPathError(`array index ${v} is not a number`);
          params[i].known = true;
          params[i].value = Number(v);
        }
      } else if (i === 1) {
        params[i].known = true;
        params[i].value = params[0].value + 1;
        params[i].derived = true;
      }
    }
    cur.nodes.push({ type: 'array', params });
    this.parseInsideAction(cur);
  }

  parseFilter(cur: Node & { type: 'list' }): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]');
    let text = this.consumeText();
    text = text.slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) cur.nodes.push({ type: 'filter', left: parseAction('text', text), right: newList(), operator: 'exists' });
    else cur.nodes.push({ type: 'filter', left: parseAction('left', m[1]), right: parseAction('right', m[3]), operator: m[2] });
    this.parseInsideAction(cur);
  }

  parseQuote(cur: Node & { type: 'list' }, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    cur.nodes.push({ type: 'text', text: unquoteExtend(value) });
    this.parseInsideAction(cur);
  }

  parseField(cur: Node & { type: 'list' }): void {
    this.consumeText();
    while (this.advance());
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ type: 'wildcard' });
    else cur.nodes.push({ type: 'field', value: value.replace(/\\/g, '') });
    this.parseInsideAction(cur);
  }

  advance(): boolean {
    const r = this.next();
    if (r === '\\') this.next();
    else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

function parseAction(_name: string, text: string): Node & { type: 'list' } {
  const p = new Parser();
  p.parse(`{${text}}`);
  return p.root.nodes[0] as Node & { type: 'list' };
}

const isDigit = (r: string) => /^\p{Nd}$/u.test(r);
const isAlphaNumeric = (r: string) => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
function isTerminator(r: string | undefined): boolean {
  return r === undefined || ' \t\r\n.,[]$@{}'.includes(r);
}

/** Go's strconv-style unquoting of '...' or "..." (client-go UnquoteExtend). */
function unquoteExtend(s: string): string {
  const quote = s[0];
  if (s.length < 2 || quote !== s[s.length - 1] || (quote !== '"' && quote !== "'")) throw new JsonPathError('invalid syntax');
  const body = s.slice(1, -1);
  if (!body.includes('\\')) return body;
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    if (n === 'u' || n === 'x' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + len), 16));
      i += len;
    } else if (n in map) out += map[n];
    else throw new JsonPathError(`unquote string ${s} error invalid syntax`);
  }
  return out;
}

/** A parsed template, executed against JSON data. */
// Upstream: client-go util/jsonpath/jsonpath.go (JSONPath)
export class JsonPath {
  #root: Node & { type: 'list' };
  #beginRange = 0;
  #inRange = 0;
  #endRange = 0;
  #lastEndNode: Node | undefined;
  allowMissingKeys = false;

  constructor(template: string) {
    const p = new Parser();
    p.parse(template);
    this.#root = p.root;
  }

  /** The text the template produces for `data`. */
  execute(data: unknown): string {
    this.#beginRange = this.#inRange = this.#endRange = 0;
    let out = '';
    for (const results of this.#findResults(data, this.#root.nodes)) out += printResults(results);
    return out;
  }

  /** `jsonpath-as-json`: each action's results as one indented JSON array (EnableJSONOutput). */
  executeJson(data: unknown): string {
    this.#beginRange = this.#inRange = this.#endRange = 0;
    let out = '';
    for (const results of this.#findResults(data, this.#root.nodes)) out += goJson(results.map(scalarOf), '    ') + '\n';
    return out;
  }

  #findResults(data: unknown, nodes: Node[]): unknown[][] {
    let cur: unknown[] = [data];
    const full: unknown[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const results = this.#walk(cur, node);
      if (this.#endRange > 0 && this.#endRange <= this.#inRange) {
        this.#endRange--;
        this.#lastEndNode = nodes[i];
        break;
      }
      if (this.#beginRange > 0) {
        this.#beginRange--;
        this.#inRange++;
        if (results.length > 0) {
          for (const value of results) full.push(...this.#findResults(value, nodes.slice(i + 1)));
        } else {
          this.#findResults(null, nodes.slice(i + 1));
        }
        this.#inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === this.#lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
      cur = [data];
    }
    return full;
  }

  #walk(input: unknown[], node: Node): unknown[] {
    switch (node.type) {
      case 'list': {
        let cur = input;
        for (const n of node.nodes) cur = this.#walk(cur, n);
        return cur;
      }
      case 'text':
        return [node.text];
      case 'field':
        return this.#evalField(input, node.value);
      case 'array':
        return this.#evalArray(input, node.params);
      case 'filter':
        return this.#evalFilter(input, node);
      case 'int':
      case 'float':
      case 'bool':
        return input.map(() => (node.type === 'float' ? { float: node.value } : node.value));
      case 'wildcard':
        return input.flatMap((v) => children(v));
      case 'recursive':
        return this.#evalRecursive(input);
      case 'union':
        return node.nodes.flatMap((l) => this.#walk(input, l));
      case 'identifier':
        if (node.name === 'range') {
          this.#beginRange++;
          return input;
        }
        if (node.name === 'end') {
          if (this.#inRange > 0) {
            this.#endRange++;
            return [];
          }
          throw new JsonPathError('not in range, nothing to end');
        }
        throw new JsonPathError(`unrecognized identifier ${node.name}`);
    }
  }

  #evalField(input: unknown[], name: string): unknown[] {
    const results: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, name)) {
        results.push((v as Record<string, unknown>)[name]);
      }
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathError(`${name} is not found`);
    return results;
  }

  #evalArray(input: unknown[], p: [Param, Param, Param]): unknown[] {
    const result: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v)) throw new JsonPathError(`${typeName(v)} is not array or slice`);
      const len = v.length;
      let start = p[0].known ? p[0].value : 0;
      if (start < 0) start += len;
      let end = p[1].known ? p[1].value : len;
      if (end < 0 || (end === 0 && p[1].derived)) end += len;
      if (end === start) return result;
      if (start >= len || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${len}`);
      if (end > len || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${len}`);
      if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
      let step = 1;
      if (p[2].known) {
        if (p[2].value <= 0) throw new JsonPathError('step must be > 0');
        step = p[2].value;
      }
      const slice = v.slice(start, end);
      for (let i = 0; i < slice.length; i += step) result.push(slice[i]);
    }
    return result;
  }

  #evalRecursive(input: unknown[]): unknown[] {
    const result: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      const kids = children(v);
      if (kids.length) {
        result.push(v);
        result.push(...this.#evalRecursive(kids));
      }
    }
    return result;
  }

  #evalFilter(input: unknown[], node: Node & { type: 'filter' }): unknown[] {
    const results: unknown[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw new JsonPathError(`${goValue(v)} is not array or slice and cannot be filtered`);
      for (const item of v) {
        let lefts: unknown[];
        try {
          lefts = this.#walk([item], node.left);
        } catch (err) {
          if (node.operator === 'exists') continue;
          throw err;
        }
        if (node.operator === 'exists') {
          if (lefts.length > 0) results.push(item);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
        const rights = this.#walk([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (compare(lefts[0], rights[0], node.operator)) results.push(item);
      }
    }
    return results;
  }
}

/**
 * What `*` and `..` walk into: list items, map values (sorted by key: Go's map order is random),
 * and a string's bytes (reflect indexes a string as uint8 values, which have no children).
 */
function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...new TextEncoder().encode(v)];
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.keys(o).sort().map((k) => o[k]);
  }
  return [];
}

function scalarOf(v: unknown): unknown {
  return v !== null && typeof v === 'object' && 'float' in (v as object) ? (v as { float: number }).float : v;
}

/** The forked text/template comparisons: same basic kind only (numbers with numbers...). */
function compare(a0: unknown, b0: unknown, op: string): boolean {
  const a = scalarOf(a0);
  const b = scalarOf(b0);
  const kind = (x: unknown) => (typeof x === 'number' ? 'number' : typeof x === 'string' ? 'string' : typeof x === 'boolean' ? 'bool' : 'other');
  if (op === '==' || op === '!=') {
    if (kind(a) !== kind(b) || kind(a) === 'other') {
      if (kind(a) === 'other' || kind(b) === 'other') throw new JsonPathError('invalid type for comparison');
      throw new JsonPathError('incompatible types for comparison');
    }
    return op === '==' ? a === b : a !== b;
  }
  if (kind(a) !== kind(b) || kind(a) === 'bool' || kind(a) === 'other') {
    throw new JsonPathError(kind(a) === kind(b) ? 'invalid type for comparison' : 'incompatible types for comparison');
  }
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
  throw new JsonPathError(`unrecognized filter operator ${op}`);
}

function printResults(results: unknown[]): string {
  return results
    .map((r0, i) => {
      const r = scalarOf(r0);
      let text: string;
      if (r !== null && typeof r === 'object') text = goJson(r);
      else text = toText(r);
      return i !== results.length - 1 ? text + ' ' : text;
    })
    .join('');
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return formatFloat(v);
  return String(v);
}

function typeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'map[string]interface {}';
}

function goValue(v: unknown): string {
  return v !== null && typeof v === 'object' ? goJson(v) : String(v);
}
