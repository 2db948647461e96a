/**
 * Field paths and field-level validation errors, after apimachinery pkg/util/validation/field
 * (v0.34.0): `field.NewPath("spec").Child("containers").Index(0).Child("image")` prints
 * `spec.containers[0].image`; each error prints `<field>: <Type string>[: <value>][: <detail>]`,
 * and a list aggregates as one message, or `[a, b]` for several distinct ones.
 * Upstream: apimachinery pkg/util/validation/field/path.go, errors.go; pkg/util/errors/errors.go
 */
import { goFloat, goJSONMarshal, goQuote } from './go';

/**
 * A path from some root to a field (Go: `*field.Path`). Immutable: `child`, `index` and `key`
 * return new paths that share their parent.
 */
export class Path {
  /** The field name, or `''` when this element is a subscript. */
  readonly #name: string;
  /** The subscript (an index or a map key) of the parent, when the name is `''`. */
  readonly #subscript: string;
  readonly #parent: Path | null;

  constructor(name: string, subscript: string, parent: Path | null) {
    this.#name = name;
    this.#subscript = subscript;
    this.#parent = parent;
  }

  /** The root element of this path. Upstream: path.go (Path.Root) */
  root(): Path {
    let p: Path = this;
    while (p.#parent) p = p.#parent;
    return p;
  }

  /** A child path: `spec` -> `spec.containers`. Upstream: path.go (Path.Child) */
  child(name: string, ...moreNames: string[]): Path {
    let r = new Path(name, '', this);
    for (const n of moreNames) r = new Path(n, '', r);
    return r;
  }

  /** Subscripted by an int: `containers[0]`. Upstream: path.go (Path.Index) */
  index(i: number): Path {
    return new Path('', String(i), this);
  }

  /** Subscripted by a string: `labels[app]`. Upstream: path.go (Path.Key) */
  key(k: string): Path {
    return new Path('', k, this);
  }

  /** `spec.containers[0].image`. Upstream: path.go (Path.String) */
  toString(): string {
    const elems: Path[] = [];
    for (let p: Path | null = this; p; p = p.#parent) elems.push(p);
    let out = '';
    for (let i = elems.length - 1; i >= 0; i--) {
      const p = elems[i];
      if (p.#parent && p.#name.length > 0) out += '.';
      out += p.#name.length > 0 ? p.#name : `[${p.#subscript}]`;
    }
    return out;
  }
}

/** A root path (Go: `field.NewPath("metadata")`, `field.NewPath("spec", "template")`). Upstream: path.go (NewPath) */
export function newPath(name: string, ...moreNames: string[]): Path {
  let r = new Path(name, '', null);
  for (const n of moreNames) r = new Path(n, '', r);
  return r;
}

/** The text of a possibly-nil path: Go prints a nil `*Path` as `<nil>`. */
export function pathString(p: Path | null | undefined): string {
  return p ? p.toString() : '<nil>';
}

/** field.ErrorType: the machine-readable type, which is also the Status cause `reason`. */
export type ErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

/** Upstream: errors.go (ErrorType* constants) */
export const ErrorTypeNotFound: ErrorType = 'FieldValueNotFound';
export const ErrorTypeRequired: ErrorType = 'FieldValueRequired';
export const ErrorTypeDuplicate: ErrorType = 'FieldValueDuplicate';
export const ErrorTypeInvalid: ErrorType = 'FieldValueInvalid';
export const ErrorTypeNotSupported: ErrorType = 'FieldValueNotSupported';
export const ErrorTypeForbidden: ErrorType = 'FieldValueForbidden';
export const ErrorTypeTooLong: ErrorType = 'FieldValueTooLong';
export const ErrorTypeTooMany: ErrorType = 'FieldValueTooMany';
export const ErrorTypeInternal: ErrorType = 'InternalError';
export const ErrorTypeTypeInvalid: ErrorType = 'FieldValueTypeInvalid';

/** The canonical text of an error type (`Required value`, `Invalid value`, ...). Upstream: errors.go (ErrorType.String) */
export function errorTypeString(t: string): string {
  switch (t) {
    case ErrorTypeNotFound:
      return 'Not found';
    case ErrorTypeRequired:
      return 'Required value';
    case ErrorTypeDuplicate:
      return 'Duplicate value';
    case ErrorTypeInvalid:
      return 'Invalid value';
    case ErrorTypeNotSupported:
      return 'Unsupported value';
    case ErrorTypeForbidden:
      return 'Forbidden';
    case ErrorTypeTooLong:
      return 'Too long';
    case ErrorTypeTooMany:
      return 'Too many';
    case ErrorTypeInternal:
      return 'Internal error';
    case ErrorTypeTypeInvalid:
      return 'Invalid value';
    default:
      return `<unknown error ${goQuote(t)}>`;
  }
}

/** Marks a bad value that is not printed (Go: `field.omitValue`). */
export const OMIT_VALUE: unique symbol = Symbol('omitValue');

/**
 * A bad value as Go typed it, for the few places where the Go type changes the text: a JSON
 * number that Go holds as int64 prints `5`, as float64 prints `5` too but `1e+06` for a million.
 * Plain JS numbers print as Go's int64 when they are integers, as float64 otherwise.
 */
export type BadValue = unknown;

/**
 * A field-level validation error (Go: `*field.Error`). `message` is `Error()`:
 * `<field>: <body>`. Upstream: errors.go (Error)
 */
export class FieldError extends Error {
  readonly type: ErrorType;
  readonly field: string;
  readonly badValue: BadValue;
  readonly detail: string;
  /** Where the error came from (`minimum`, `format=dns-label`), for tests; not part of the text. */
  origin: string;

  constructor(type: ErrorType, field: string, badValue: BadValue, detail: string, origin = '') {
    super('');
    this.name = 'FieldError';
    this.type = type;
    this.field = field;
    this.badValue = badValue;
    this.detail = detail;
    this.origin = origin;
    this.message = `${field}: ${this.errorBody()}`;
  }

  /** The message without the field name (Go: `ErrorBody`). Upstream: errors.go (Error.ErrorBody) */
  errorBody(): string {
    let s: string;
    switch (this.type) {
      case ErrorTypeRequired:
      case ErrorTypeForbidden:
      case ErrorTypeTooLong:
      case ErrorTypeInternal:
        s = errorTypeString(this.type);
        break;
      case ErrorTypeInvalid:
      case ErrorTypeTypeInvalid:
      case ErrorTypeNotSupported:
      case ErrorTypeNotFound:
      case ErrorTypeDuplicate:
      case ErrorTypeTooMany:
        if (this.badValue === OMIT_VALUE) {
          s = errorTypeString(this.type);
          break;
        }
        s = `${errorTypeString(this.type)}: ${formatBadValue(this.badValue)}`;
        break;
      default:
        s = internalError(null, new Error(`unhandled error code: ${this.type}: please report this`)).errorBody();
    }
    if (this.detail.length !== 0) s += `: ${this.detail}`;
    return s;
  }

  /** Sets the origin and returns the error (Go: `WithOrigin`). */
  withOrigin(o: string): FieldError {
    this.origin = o;
    return this;
  }
}

/**
 * A Go `uint64` as a bad value: ErrorBody's type switch has no case for unsigned integers, so
 * it prints them with `%#v`, in hex (`0x0` for the resourceVersion store.go parses).
 */
export class GoUint64 {
  constructor(readonly value: number) {}
}

/** How ErrorBody prints a bad value: scalars with `%v` / `%q`, a uint64 with `%#v`, anything else as JSON. */
// Upstream: apimachinery pkg/util/validation/field/errors.go (ErrorBody)
function formatBadValue(v: BadValue): string {
  if (v instanceof GoUint64) return `0x${v.value.toString(16)}`;
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'bigint') return v.toString();
  return goJSONMarshal(v);
}

/** field.ErrorList. */
export type ErrorList = FieldError[];

/** "type is invalid" (Go: `field.TypeInvalid`). Upstream: errors.go (TypeInvalid) */
export function typeInvalid(path: Path | null, value: BadValue, detail: string): FieldError {
  return new FieldError(ErrorTypeTypeInvalid, pathString(path), value, detail);
}

/** "value not found" (Go: `field.NotFound`). Upstream: errors.go (NotFound) */
export function notFound(path: Path | null, value: BadValue): FieldError {
  return new FieldError(ErrorTypeNotFound, pathString(path), value, '');
}

/** `Required value[: detail]` (Go: `field.Required`). Upstream: errors.go (Required) */
export function required(path: Path | null, detail: string): FieldError {
  return new FieldError(ErrorTypeRequired, pathString(path), '', detail);
}

/** `Duplicate value: <value>` (Go: `field.Duplicate`). Upstream: errors.go (Duplicate) */
export function duplicate(path: Path | null, value: BadValue): FieldError {
  return new FieldError(ErrorTypeDuplicate, pathString(path), value, '');
}

/** `Invalid value: <value>: <detail>` (Go: `field.Invalid`). Upstream: errors.go (Invalid) */
export function invalid(path: Path | null, value: BadValue, detail: string): FieldError {
  return new FieldError(ErrorTypeInvalid, pathString(path), value, detail);
}

/** `Unsupported value: <value>: supported values: "a", "b"` (Go: `field.NotSupported`). Upstream: errors.go (NotSupported) */
export function notSupported(path: Path | null, value: BadValue, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? `supported values: ${validValues.map((v) => goQuote(String(v))).join(', ')}` : '';
  return new FieldError(ErrorTypeNotSupported, pathString(path), value, detail);
}

/** `Forbidden: <detail>` (Go: `field.Forbidden`). Upstream: errors.go (Forbidden) */
export function forbidden(path: Path | null, detail: string): FieldError {
  return new FieldError(ErrorTypeForbidden, pathString(path), '', detail);
}

/** `Too long: may not be more than N bytes` (Go: `field.TooLong`; the value is never printed). Upstream: errors.go (TooLong) */
export function tooLong(path: Path | null, _value: BadValue, maxLength: number): FieldError {
  const msg = maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long';
  return new FieldError(ErrorTypeTooLong, pathString(path), '<value omitted>', msg);
}

/** `Too many: <actual>: must have at most N items` (Go: `field.TooMany`). Upstream: errors.go (TooMany) */
export function tooMany(path: Path | null, actualQuantity: number, maxQuantity: number): FieldError {
  const msg = maxQuantity >= 0 ? `must have at most ${maxQuantity} ${maxQuantity === 1 ? 'item' : 'items'}` : 'has too many items';
  const actual = actualQuantity >= 0 ? actualQuantity : OMIT_VALUE;
  return new FieldError(ErrorTypeTooMany, pathString(path), actual, msg);
}

/** `Internal error: <err>` (Go: `field.InternalError`). Upstream: errors.go (InternalError) */
export function internalError(path: Path | null, err: Error): FieldError {
  return new FieldError(ErrorTypeInternal, pathString(path), null, err.message);
}

/**
 * An aggregate of errors (Go: `utilerrors.Aggregate`): its message is the single message, or
 * `[a, b, c]` over the distinct messages. Upstream: pkg/util/errors/errors.go (aggregate.Error)
 */
export class Aggregate extends Error {
  readonly errors: readonly Error[];

  constructor(errors: readonly Error[]) {
    super(aggregateMessage(errors));
    this.name = 'Aggregate';
    this.errors = errors;
  }
}

function aggregateMessage(errs: readonly Error[]): string {
  if (errs.length === 0) return '';
  if (errs.length === 1) return errs[0].message;
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of flatten(errs)) {
    if (seen.has(e.message)) continue;
    seen.add(e.message);
    msgs.push(e.message);
  }
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

function flatten(errs: readonly Error[]): Error[] {
  const out: Error[] = [];
  for (const e of errs) {
    if (e instanceof Aggregate) out.push(...flatten(e.errors));
    else out.push(e);
  }
  return out;
}

/** `utilerrors.NewAggregate`: undefined for no errors. Upstream: pkg/util/errors/errors.go (NewAggregate) */
export function newAggregate(errs: readonly (Error | null | undefined)[]): Aggregate | undefined {
  const list = errs.filter((e): e is Error => e !== null && e !== undefined);
  return list.length === 0 ? undefined : new Aggregate(list);
}

/**
 * The list as one error, its duplicates (by message) dropped; undefined when empty
 * (Go: `ErrorList.ToAggregate`). Upstream: errors.go (ErrorList.ToAggregate)
 */
export function toAggregate(list: readonly FieldError[]): Aggregate | undefined {
  if (list.length === 0) return undefined;
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  for (const e of list) {
    if (seen.has(e.message)) continue;
    seen.add(e.message);
    errs.push(e);
  }
  return newAggregate(errs);
}

/** Go's package `field` (k8s.io/apimachinery/pkg/util/validation/field), for `import { field } from 'kubelab'`. */
export const field = {
  newPath,
  Path,
  FieldError,
  Aggregate,
  required,
  invalid,
  notSupported,
  duplicate,
  notFound,
  forbidden,
  tooLong,
  tooMany,
  typeInvalid,
  internalError,
  toAggregate,
  newAggregate,
  errorTypeString,
  OMIT_VALUE,
  GoUint64,
} as const;
