/**
 * Label selectors, after apimachinery pkg/labels (v0.34.0): the string syntax
 * `a=b,c!=d,e in (x,y),f notin (z),g,!h,i>1` parsed by upstream's lexer and parser (same tokens,
 * same error texts), requirements kept sorted by key, `matches` over a label set, `everything()`
 * and `nothing()`, `selectorFromSet`, and metav1's `labelSelectorAsSelector` for
 * `{ matchLabels, matchExpressions }`.
 * Upstream: apimachinery pkg/labels/selector.go, labels.go; pkg/selection/operator.go;
 * pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector, LabelSelectorAsMap, ParseToLabelSelector).
 */
import { invalid, newPath, notSupported, toAggregate, type ErrorList, type FieldError, type Path } from './field';
import { compareGoStrings, goQuote } from './go';
import { isQualifiedName, isValidLabelValue, type LabelSelector, type LabelSelectorRequirement } from './validation';

/** selection.Operator values. */
export type Operator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

/** Upstream: selection/operator.go */
export const DoesNotExist: Operator = '!';
export const Equals: Operator = '=';
export const DoubleEquals: Operator = '==';
export const In: Operator = 'in';
export const NotEquals: Operator = '!=';
export const NotIn: Operator = 'notin';
export const Exists: Operator = 'exists';
export const GreaterThan: Operator = 'gt';
export const LessThan: Operator = 'lt';

const unaryOperators: Operator[] = [Exists, DoesNotExist];
const binaryOperators: Operator[] = [In, NotIn, Equals, DoubleEquals, NotEquals, GreaterThan, LessThan];
const validRequirementOperators: Operator[] = [...binaryOperators, ...unaryOperators];

/** A label set (Go: `labels.Set`, `map[string]string`). */
export type LabelSet = Readonly<Record<string, string>>;

/** `a=b,c=d` with keys sorted (Go: `Set.String`). Upstream: labels.go (Set.String) */
export function setString(ls: LabelSet): string {
  return Object.entries(ls)
    .map(([k, v]) => `${k}=${v}`)
    .sort(compareGoStrings)
    .join(',');
}

const has = (ls: LabelSet, key: string): boolean => Object.prototype.hasOwnProperty.call(ls, key);

/** Go's strconv.ParseInt(s, 10, 64), or undefined. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v >= -(1n << 63n) && v < 1n << 63n ? v : undefined;
}

/**
 * One requirement: a key, an operator and values (Go: `labels.Requirement`). Build it with
 * `newRequirement`, which validates it.
 */
export class Requirement {
  readonly #key: string;
  readonly #operator: Operator;
  readonly #values: readonly string[];

  constructor(key: string, operator: Operator, values: readonly string[]) {
    this.#key = key;
    this.#operator = operator;
    this.#values = [...values];
  }

  key(): string {
    return this.#key;
  }

  operator(): Operator {
    return this.#operator;
  }

  /** The values, sorted (Go returns a `sets.String`). */
  values(): string[] {
    return [...new Set(this.#values)].sort(compareGoStrings);
  }

  /** The values as given. Upstream: selector.go (Requirement.ValuesUnsorted) */
  valuesUnsorted(): string[] {
    return [...this.#values];
  }

  /** Upstream: selector.go (Requirement.Matches) */
  matches(ls: LabelSet): boolean {
    switch (this.#operator) {
      case In:
      case Equals:
      case DoubleEquals:
        return has(ls, this.#key) && this.#values.includes(ls[this.#key]);
      case NotIn:
      case NotEquals:
        return !has(ls, this.#key) || !this.#values.includes(ls[this.#key]);
      case Exists:
        return has(ls, this.#key);
      case DoesNotExist:
        return !has(ls, this.#key);
      case GreaterThan:
      case LessThan: {
        if (!has(ls, this.#key)) return false;
        const lsValue = parseInt64(ls[this.#key]);
        if (lsValue === undefined || this.#values.length !== 1) return false;
        const rValue = parseInt64(this.#values[0]);
        if (rValue === undefined) return false;
        return (this.#operator === GreaterThan && lsValue > rValue) || (this.#operator === LessThan && lsValue < rValue);
      }
      default:
        return false;
    }
  }

  /** Upstream: selector.go (Requirement.Equal) */
  equal(x: Requirement): boolean {
    return this.#key === x.#key && this.#operator === x.#operator && this.#values.length === x.#values.length && this.#values.every((v, i) => v === x.#values[i]);
  }

  /** `!a`, `a`, `a=b`, `a in (x,y)` (values sorted). Upstream: selector.go (Requirement.String) */
  toString(): string {
    let s = this.#operator === DoesNotExist ? '!' : '';
    s += this.#key;
    switch (this.#operator) {
      case Equals:
        s += '=';
        break;
      case DoubleEquals:
        s += '==';
        break;
      case NotEquals:
        s += '!=';
        break;
      case In:
        s += ' in ';
        break;
      case NotIn:
        s += ' notin ';
        break;
      case GreaterThan:
        s += '>';
        break;
      case LessThan:
        s += '<';
        break;
      case Exists:
      case DoesNotExist:
        return s;
    }
    const paren = this.#operator === In || this.#operator === NotIn;
    if (paren) s += '(';
    s += this.#values.length === 1 ? this.#values[0] : [...this.#values].sort(compareGoStrings).join(',');
    if (paren) s += ')';
    return s;
  }
}

function validateLabelKey(k: string, path: Path | null): FieldError | undefined {
  const errs = isQualifiedName(k);
  return errs.length ? invalid(path, k, errs.join('; ')) : undefined;
}

function validateLabelValue(k: string, v: string, path: Path): FieldError | undefined {
  const errs = isValidLabelValue(v);
  return errs.length ? invalid(path.key(k), v, errs.join('; ')) : undefined;
}

/** Go's `path.Child(name)` works on a nil path too, starting a new one. */
const childOf = (path: Path | null, name: string): Path => (path ? path.child(name) : newPath(name));

/**
 * A validated requirement (Go: `labels.NewRequirement`): throws the aggregate of the field errors
 * (`values: Invalid value: ...`) when the key, operator or values are not valid.
 * Upstream: selector.go (NewRequirement)
 */
export function newRequirement(key: string, op: Operator | string, vals: readonly string[], path: Path | null = null): Requirement {
  const errs: ErrorList = [];
  const keyErr = validateLabelKey(key, childOf(path, 'key'));
  if (keyErr) errs.push(keyErr);
  const valuePath = childOf(path, 'values');
  switch (op) {
    case In:
    case NotIn:
      if (vals.length === 0) errs.push(invalid(valuePath, vals, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case Equals:
    case DoubleEquals:
    case NotEquals:
      if (vals.length !== 1) errs.push(invalid(valuePath, vals, 'exact-match compatibility requires one single value'));
      break;
    case Exists:
    case DoesNotExist:
      if (vals.length !== 0) errs.push(invalid(valuePath, vals, 'values set must be empty for exists and does not exist'));
      break;
    case GreaterThan:
    case LessThan:
      if (vals.length !== 1) errs.push(invalid(valuePath, vals, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(notSupported(childOf(path, 'operator'), op, validRequirementOperators));
  }
  vals.forEach((v, i) => {
    const e = validateLabelValue(key, v, valuePath.index(i));
    if (e) errs.push(e);
  });
  const agg = toAggregate(errs);
  if (agg) throw agg;
  return new Requirement(key, op as Operator, vals);
}

/** A label selector (Go: `labels.Selector`). */
export interface Selector {
  /** Whether the labels satisfy every requirement. */
  matches(ls: LabelSet): boolean;
  /** True when the selector does not restrict the selection (Everything). */
  empty(): boolean;
  /** The selector in the string syntax, requirements sorted by key. */
  toString(): string;
  /** A new selector with the requirements added (sorted by key). */
  add(...reqs: Requirement[]): Selector;
  /** The requirements, and whether the selector can select anything (false for Nothing). */
  requirements(): { requirements: Requirement[]; selectable: boolean };
  /** The value a selector requires for a label, when it requires exactly one. */
  requiresExactMatch(label: string): { value: string; found: boolean };
}

/** Requirements ANDed, sorted by key (Go: `internalSelector`). */
class InternalSelector implements Selector {
  readonly #reqs: readonly Requirement[];

  constructor(reqs: readonly Requirement[]) {
    this.#reqs = reqs;
  }

  matches(ls: LabelSet): boolean {
    return this.#reqs.every((r) => r.matches(ls));
  }

  empty(): boolean {
    return this.#reqs.length === 0;
  }

  toString(): string {
    return this.#reqs.map((r) => r.toString()).join(',');
  }

  add(...reqs: Requirement[]): Selector {
    return new InternalSelector(sortByKey([...this.#reqs, ...reqs]));
  }

  requirements(): { requirements: Requirement[]; selectable: boolean } {
    return { requirements: [...this.#reqs], selectable: true };
  }

  requiresExactMatch(label: string): { value: string; found: boolean } {
    for (const r of this.#reqs) {
      if (r.key() !== label) continue;
      const op = r.operator();
      const vals = r.valuesUnsorted();
      if ((op === Equals || op === DoubleEquals || op === In) && vals.length === 1) return { value: vals[0], found: true };
      return { value: '', found: false };
    }
    return { value: '', found: false };
  }
}

/** Matches nothing (Go: `nothingSelector`). */
class NothingSelector implements Selector {
  matches(): boolean {
    return false;
  }

  empty(): boolean {
    return false;
  }

  toString(): string {
    return '';
  }

  add(): Selector {
    return this;
  }

  requirements(): { requirements: Requirement[]; selectable: boolean } {
    return { requirements: [], selectable: false };
  }

  requiresExactMatch(): { value: string; found: boolean } {
    return { value: '', found: false };
  }
}

/** Stable sort by key (Go's `sort.Sort(ByKey)`; its insertion sort is stable for short lists). */
function sortByKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => compareGoStrings(a.key(), b.key()));
}

const sharedEverything = new InternalSelector([]);
const sharedNothing = new NothingSelector();

/** A selector that matches all labels. Upstream: selector.go (Everything) */
export function everything(): Selector {
  return sharedEverything;
}

/** A selector that matches no labels. Upstream: selector.go (Nothing) */
export function nothing(): Selector {
  return sharedNothing;
}

/** Only the Nothing selector. Upstream: selector.go (MatchesNothing) */
export function matchesNothing(selector: Selector): boolean {
  return selector === sharedNothing;
}

/** An empty selector to `add` to (Go: `NewSelector`). */
export function newSelector(): Selector {
  return new InternalSelector([]);
}

/** `key=value` for each label, unvalidated; an empty set selects everything. Upstream: selector.go (SelectorFromSet) */
export function selectorFromSet(ls: LabelSet | null | undefined): Selector {
  if (!ls || Object.keys(ls).length === 0) return new InternalSelector([]);
  return new InternalSelector(sortByKey(Object.entries(ls).map(([k, v]) => new Requirement(k, Equals, [v]))));
}

/** Like selectorFromSet, validating each pair (throws). Upstream: selector.go (ValidatedSelectorFromSet) */
export function validatedSelectorFromSet(ls: LabelSet | null | undefined): Selector {
  if (!ls || Object.keys(ls).length === 0) return new InternalSelector([]);
  return new InternalSelector(sortByKey(Object.entries(ls).map(([k, v]) => newRequirement(k, Equals, [v]))));
}

/** Whether `selector` (a string or a Selector) matches the labels: a convenience over parse + matches. */
export function matches(selector: Selector | string, ls: LabelSet | undefined): boolean {
  const sel = typeof selector === 'string' ? parse(selector) : selector;
  return sel.matches(ls ?? {});
}

// ---------------------------------------------------------------------------------------------
// The lexer and parser of selector.go.

type Token =
  | 'ErrorToken'
  | 'EndOfStringToken'
  | 'ClosedParToken'
  | 'CommaToken'
  | 'DoesNotExistToken'
  | 'DoubleEqualsToken'
  | 'EqualsToken'
  | 'GreaterThanToken'
  | 'IdentifierToken'
  | 'InToken'
  | 'LessThanToken'
  | 'NotEqualsToken'
  | 'NotInToken'
  | 'OpenParToken';

const string2token: Record<string, Token> = {
  ')': 'ClosedParToken',
  ',': 'CommaToken',
  '!': 'DoesNotExistToken',
  '==': 'DoubleEqualsToken',
  '=': 'EqualsToken',
  '>': 'GreaterThanToken',
  in: 'InToken',
  '<': 'LessThanToken',
  '!=': 'NotEqualsToken',
  notin: 'NotInToken',
  '(': 'OpenParToken',
};

interface ScannedItem {
  tok: Token;
  literal: string;
}

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch) && ch !== '';

/** Upstream: selector.go (Lexer) */
class Lexer {
  readonly #s: string;
  #pos = 0;

  constructor(s: string) {
    this.#s = s;
  }

  #read(): string {
    if (this.#pos < this.#s.length) return this.#s[this.#pos++];
    this.#pos++;
    return '';
  }

  #unread(): void {
    this.#pos--;
  }

  #scanIDOrKeyword(): ScannedItem {
    let buffer = '';
    for (;;) {
      const ch = this.#read();
      if (ch === '') break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.#unread();
        break;
      }
      buffer += ch;
    }
    const tok = string2token[buffer];
    return tok ? { tok, literal: buffer } : { tok: 'IdentifierToken', literal: buffer };
  }

  #scanSpecialSymbol(): ScannedItem {
    let last: ScannedItem | undefined;
    let buffer = '';
    for (;;) {
      const ch = this.#read();
      if (ch === '') break;
      if (isSpecialSymbol(ch)) {
        buffer += ch;
        const tok = string2token[buffer];
        if (tok) last = { tok, literal: buffer };
        else if (last) {
          this.#unread();
          break;
        }
      } else {
        this.#unread();
        break;
      }
    }
    if (!last) return { tok: 'ErrorToken', literal: `error expected: keyword found '${buffer}'` };
    return last;
  }

  lex(): ScannedItem {
    let ch = this.#read();
    while (isWhitespace(ch)) ch = this.#read();
    if (ch === '') return { tok: 'EndOfStringToken', literal: '' };
    this.#unread();
    return isSpecialSymbol(ch) ? this.#scanSpecialSymbol() : this.#scanIDOrKeyword();
  }
}

type ParserContext = 'KeyAndOperator' | 'Values';

/** Upstream: selector.go (Parser) */
class Parser {
  readonly #l: Lexer;
  readonly #items: ScannedItem[] = [];
  #position = 0;
  readonly #path: Path | null;

  constructor(selector: string, path: Path | null) {
    this.#l = new Lexer(selector);
    this.#path = path;
  }

  #lookahead(context: ParserContext): ScannedItem {
    const { tok, literal } = this.#items[this.#position];
    return { tok: context === 'Values' && (tok === 'InToken' || tok === 'NotInToken') ? 'IdentifierToken' : tok, literal };
  }

  #consume(context: ParserContext): ScannedItem {
    const item = this.#lookahead(context);
    this.#position++;
    return item;
  }

  parse(): Requirement[] {
    for (;;) {
      const item = this.#l.lex();
      this.#items.push(item);
      if (item.tok === 'EndOfStringToken') break;
    }
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, literal } = this.#lookahead('Values');
      switch (tok) {
        case 'IdentifierToken':
        case 'DoesNotExistToken': {
          let r: Requirement;
          try {
            r = this.#parseRequirement();
          } catch (e) {
            throw new Error(`unable to parse requirement: ${(e as Error).message}`);
          }
          requirements.push(r);
          const t = this.#consume('Values');
          switch (t.tok) {
            case 'EndOfStringToken':
              return requirements;
            case 'CommaToken': {
              const t2 = this.#lookahead('Values');
              if (t2.tok !== 'IdentifierToken' && t2.tok !== 'DoesNotExistToken') throw new Error(`found '${t2.literal}', expected: identifier after ','`);
              break;
            }
            default:
              throw new Error(`found '${t.literal}', expected: ',' or 'end of string'`);
          }
          break;
        }
        case 'EndOfStringToken':
          return requirements;
        default:
          throw new Error(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  #parseRequirement(): Requirement {
    const { key, operator } = this.#parseKeyAndInferOperator();
    if (operator === Exists || operator === DoesNotExist) return newRequirement(key, operator, [], this.#path);
    const op = this.#parseOperator();
    let values: string[];
    if (op === In || op === NotIn) values = this.#parseValues();
    else values = this.#parseExactValue();
    return newRequirement(key, op, [...new Set(values)].sort(compareGoStrings), this.#path);
  }

  #parseKeyAndInferOperator(): { key: string; operator: Operator | '' } {
    let operator: Operator | '' = '';
    let { tok, literal } = this.#consume('Values');
    if (tok === 'DoesNotExistToken') {
      operator = DoesNotExist;
      ({ tok, literal } = this.#consume('Values'));
    }
    if (tok !== 'IdentifierToken') throw new Error(`found '${literal}', expected: identifier`);
    const keyErr = validateLabelKey(literal, this.#path);
    if (keyErr) throw keyErr;
    const t = this.#lookahead('Values').tok;
    if ((t === 'EndOfStringToken' || t === 'CommaToken') && operator !== DoesNotExist) operator = Exists;
    return { key: literal, operator };
  }

  #parseOperator(): Operator {
    const { tok, literal } = this.#consume('KeyAndOperator');
    switch (tok) {
      case 'InToken':
        return In;
      case 'EqualsToken':
        return Equals;
      case 'DoubleEqualsToken':
        return DoubleEquals;
      case 'GreaterThanToken':
        return GreaterThan;
      case 'LessThanToken':
        return LessThan;
      case 'NotInToken':
        return NotIn;
      case 'NotEqualsToken':
        return NotEquals;
      default:
        throw new Error(`found '${literal}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  #parseValues(): string[] {
    const open = this.#consume('Values');
    if (open.tok !== 'OpenParToken') throw new Error(`found '${open.literal}' expected: '('`);
    const { tok, literal } = this.#lookahead('Values');
    switch (tok) {
      case 'IdentifierToken':
      case 'CommaToken': {
        const s = this.#parseIdentifiersList();
        if (this.#consume('Values').tok !== 'ClosedParToken') throw new Error(`found '${literal}', expected: ')'`);
        return s;
      }
      case 'ClosedParToken':
        this.#consume('Values');
        return [''];
      default:
        throw new Error(`found '${literal}', expected: ',', ')' or identifier`);
    }
  }

  #parseIdentifiersList(): string[] {
    const s = new Set<string>();
    for (;;) {
      const { tok, literal } = this.#consume('Values');
      switch (tok) {
        case 'IdentifierToken': {
          s.add(literal);
          const t2 = this.#lookahead('Values');
          if (t2.tok === 'CommaToken') continue;
          if (t2.tok === 'ClosedParToken') return [...s];
          throw new Error(`found '${t2.literal}', expected: ',' or ')'`);
        }
        case 'CommaToken': {
          if (s.size === 0) s.add('');
          const t2 = this.#lookahead('Values').tok;
          if (t2 === 'ClosedParToken') {
            s.add('');
            return [...s];
          }
          if (t2 === 'CommaToken') {
            this.#consume('Values');
            s.add('');
          }
          break;
        }
        default:
          throw new Error(`found '${literal}', expected: ',', or identifier`);
      }
    }
  }

  #parseExactValue(): string[] {
    const t = this.#lookahead('Values').tok;
    if (t === 'EndOfStringToken' || t === 'CommaToken') return [''];
    const { tok, literal } = this.#consume('Values');
    if (tok === 'IdentifierToken') return [literal];
    throw new Error(`found '${literal}', expected: identifier`);
  }
}

/**
 * Parses the string syntax (Go: `labels.Parse`): throws upstream's error
 * (`unable to parse requirement: ...`, `found ',', expected: ...`).
 * Upstream: selector.go (Parse, parse)
 */
export function parse(selector: string, path: Path | null = null): Selector {
  return new InternalSelector(sortByKey(new Parser(selector, path).parse()));
}

/** The requirements of a selector string, sorted by key. Upstream: selector.go (ParseToRequirements) */
export function parseToRequirements(selector: string, path: Path | null = null): Requirement[] {
  return sortByKey(new Parser(selector, path).parse());
}

// ---------------------------------------------------------------------------------------------
// metav1 helpers.go

/**
 * `{ matchLabels, matchExpressions }` as a Selector: null/undefined selects nothing, an empty
 * selector everything; throws for an invalid requirement or `"X" is not a valid label selector operator`.
 * Upstream: apis/meta/v1/helpers.go (LabelSelectorAsSelector)
 */
export function labelSelectorAsSelector(ps: LabelSelector | null | undefined): Selector {
  if (!ps) return nothing();
  const matchLabels = ps.matchLabels ?? {};
  const matchExpressions = ps.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + matchExpressions.length === 0) return everything();
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) reqs.push(newRequirement(k, Equals, [v]));
  for (const expr of matchExpressions) {
    let op: Operator;
    switch (expr.operator) {
      case 'In':
        op = In;
        break;
      case 'NotIn':
        op = NotIn;
        break;
      case 'Exists':
        op = Exists;
        break;
      case 'DoesNotExist':
        op = DoesNotExist;
        break;
      default:
        throw new Error(`${goQuote(String(expr.operator))} is not a valid label selector operator`);
    }
    reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
  }
  return newSelector().add(...reqs);
}

/**
 * A LabelSelector as a plain map; operators other than `In` with one value throw.
 * Upstream: apis/meta/v1/helpers.go (LabelSelectorAsMap)
 */
export function labelSelectorAsMap(ps: LabelSelector | null | undefined): Record<string, string> | undefined {
  if (!ps) return undefined;
  const selector: Record<string, string> = { ...(ps.matchLabels ?? {}) };
  for (const expr of ps.matchExpressions ?? []) {
    switch (expr.operator) {
      case 'In':
        if ((expr.values ?? []).length !== 1) throw new Error(`operator ${goQuote(expr.operator)} without a single value cannot be converted into the old label selector format`);
        selector[expr.key] = expr.values![0];
        break;
      case 'NotIn':
      case 'Exists':
      case 'DoesNotExist':
        throw new Error(`operator ${goQuote(expr.operator)} cannot be converted into the old label selector format`);
      default:
        throw new Error(`${goQuote(String(expr.operator))} is not a valid selector operator`);
    }
  }
  return selector;
}

/**
 * The string syntax as a LabelSelector (`=`/`==` to matchLabels, the rest to matchExpressions).
 * Upstream: apis/meta/v1/helpers.go (ParseToLabelSelector)
 */
export function parseToLabelSelector(selector: string): LabelSelector {
  let reqs: Requirement[];
  try {
    reqs = parseToRequirements(selector);
  } catch (e) {
    throw new Error(`couldn't parse the selector string "${selector}": ${(e as Error).message}`);
  }
  const out: { matchLabels: Record<string, string>; matchExpressions: LabelSelectorRequirement[] } = { matchLabels: {}, matchExpressions: [] };
  for (const r of reqs) {
    let op: string;
    switch (r.operator()) {
      case Equals:
      case DoubleEquals: {
        const vals = r.values();
        if (vals.length !== 1) throw new Error('equals operator must have exactly one value');
        out.matchLabels[r.key()] = vals[0];
        continue;
      }
      case In:
        op = 'In';
        break;
      case NotIn:
        op = 'NotIn';
        break;
      case Exists:
        op = 'Exists';
        break;
      case DoesNotExist:
        op = 'DoesNotExist';
        break;
      case GreaterThan:
      case LessThan:
        throw new Error(`${goQuote(r.operator())} isn't supported in label selectors`);
      default:
        throw new Error(`${goQuote(r.operator())} is not a valid label selector operator`);
    }
    out.matchExpressions.push({ key: r.key(), operator: op, values: r.values() });
  }
  return out;
}

/** Go's package `labels` (k8s.io/apimachinery/pkg/labels) and metav1's selector helpers, for `import { labels } from 'kubelab'`. */
export const labels = {
  parse,
  parseToRequirements,
  everything,
  nothing,
  matchesNothing,
  newSelector,
  newRequirement,
  selectorFromSet,
  validatedSelectorFromSet,
  matches,
  setString,
  labelSelectorAsSelector,
  labelSelectorAsMap,
  parseToLabelSelector,
  Requirement,
} as const;
