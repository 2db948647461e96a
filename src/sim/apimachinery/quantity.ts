/**
 * resource.Quantity, after apimachinery pkg/api/resource (v0.34.0): fixed-point quantities in the
 * real notation (`100m`, `128Mi`, `1.5Gi`, `2e3`), parsed by upstream's scanner with its error
 * texts, kept exactly (BigInt, never a float), rounded up to nanounits, and printed in canonical
 * form (`1.5` -> `1500m`, `1.5Gi` -> `1536Mi`, `1024Ki` -> `1Mi`). Like upstream, a quantity holds
 * either an int64 amount (`value * 10^scale`) or an arbitrary decimal (inf.Dec); the two differ in
 * a few rounding corners (`ScaledValue` of a negative fraction), which this model keeps.
 * Upstream: apimachinery pkg/api/resource/quantity.go, amount.go, suffix.go, math.go, scale_int.go
 */
import { UsageError } from '../core/errors';

/** The three notations (Go: `resource.Format`). */
export type Format = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';
export const DecimalExponent: Format = 'DecimalExponent';
export const BinarySI: Format = 'BinarySI';
export const DecimalSI: Format = 'DecimalSI';

/** Base-10 scales (Go: `resource.Scale`): `Milli` is -3, so `scaledValue(Milli)` is the milli-value. */
export const Nano = -9;
export const Micro = -6;
export const Milli = -3;
export const Kilo = 3;
export const Mega = 6;
export const Giga = 9;
export const Tera = 12;
export const Peta = 15;
export const Exa = 18;

const splitREString = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`. Upstream: quantity.go (ErrFormatWrong) */
export const ErrFormatWrong = `quantities must match the regular expression '${splitREString}'`;
/** `unable to parse numeric part of quantity`. Upstream: quantity.go (ErrNumeric) */
export const ErrNumeric = 'unable to parse numeric part of quantity';
/** `unable to parse quantity's suffix`. Upstream: quantity.go (ErrSuffix) */
export const ErrSuffix = "unable to parse quantity's suffix";

const maxInt64Factors = 18;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
/** The largest exponent this model accepts; upstream has none (Go would allocate 10^N). */
const MAX_EXPONENT = 100_000;

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);
const inInt64 = (v: bigint): boolean => v >= MIN_INT64 && v <= MAX_INT64;
/** Go's int64 wrap-around (and big.Int.Int64's low bits). */
const wrap64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** int64Amount: `value * 10^scale`, value within int64. */
interface Int64Amount {
  value: bigint;
  scale: number;
}

/** inf.Dec: `unscaled * 10^-scale` (inf's scale is upside down). */
interface InfDec {
  unscaled: bigint;
  scale: number;
}

/** The suffix of a base and exponent in a format, or undefined (Go: `suffixer.construct`). Upstream: suffix.go */
function constructSuffix(base: number, exponent: number, format: Format): string | undefined {
  switch (format) {
    case DecimalSI:
      if (base === 2 && exponent === 0) return '';
      if (base !== 10) return undefined;
      return ({ [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' } as Record<number, string>)[exponent];
    case BinarySI:
      if (base !== 2) return undefined;
      return ({ 10: 'Ki', 20: 'Mi', 30: 'Gi', 40: 'Ti', 50: 'Pi', 60: 'Ei' } as Record<number, string>)[exponent];
    case DecimalExponent:
      if (base !== 10) return undefined;
      return exponent === 0 ? '' : `e${exponent}`;
  }
}

/** A suffix's base, exponent and format (Go: `suffixer.interpret`). Upstream: suffix.go (fastLookup.interpret, suffixHandler.interpret) */
function interpretSuffix(s: string): { base: number; exponent: number; format: Format } | undefined {
  const dec: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  if (s in dec) return { base: 10, exponent: dec[s], format: DecimalSI };
  const bin: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
  if (s in bin) return { base: 2, exponent: bin[s], format: BinarySI };
  if (s.length > 1 && (s[0] === 'E' || s[0] === 'e')) {
    const rest = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(rest)) return undefined;
    const parsed = BigInt(rest);
    if (!inInt64(parsed)) return undefined;
    // Go converts with int32(parsed): it wraps.
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: DecimalExponent };
  }
  return undefined;
}

interface Scanned {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** The fast scanner. Upstream: quantity.go (parseQuantityString) */
function parseQuantityString(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  // strip leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] === '0') pos++;
    else break;
  }
  const isDigit = (c: string) => c >= '0' && c <= '9';
  let num = '';
  let i = pos;
  for (; ; i++) {
    if (i >= end) return { positive, value: str.slice(0, end), num: str.slice(pos, end), denom: '', suffix: '' };
    if (!isDigit(str[i])) {
      num = str.slice(pos, i);
      pos = i;
      break;
    }
  }
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    for (i = pos; ; i++) {
      if (i >= end) return { positive, value: str.slice(0, end), num, denom: str.slice(pos, end), suffix: '' };
      if (!isDigit(str[i])) {
        denom = str.slice(pos, i);
        pos = i;
        break;
      }
    }
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  for (i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart, end) };
    if (!'eEinumkKMGTP'.includes(str[i])) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  for (i = pos; ; i++) {
    if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart, end) };
    if (!isDigit(str[i])) break;
  }
  throw new Error(ErrFormatWrong);
}

/** inf.Dec.SetString of the numeric part (optional sign, digits, optional point and digits). */
function parseDec(value: string): InfDec | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(value);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = `${m[2]}${m[3] ?? ''}` || '0';
  const unscaled = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  return { unscaled, scale: (m[3] ?? '').length };
}

/** Removes factors of `factor` while divisible: `(result, times)`. Upstream: math.go (removeBigIntFactors) */
function removeFactors(d: bigint, factor: bigint): { result: bigint; times: number } {
  let times = 0;
  while (d !== 0n && d % factor === 0n) {
    d /= factor;
    times++;
  }
  return { result: d, times };
}

/** Rounds a decimal away from zero to at most `scale` fractional digits (inf RoundUp). */
function roundUpDec(d: InfDec, scale: number): InfDec {
  if (d.scale <= scale) return d;
  const shift = d.scale - scale;
  const a = abs(d.unscaled);
  // Far below one unit of the target scale: the result is one unit, away from zero.
  if (shift > a.toString().length + 1) return { unscaled: d.unscaled === 0n ? 0n : d.unscaled < 0n ? -1n : 1n, scale };
  const div = pow10(shift);
  let q = a / div;
  if (a % div !== 0n) q += 1n;
  return { unscaled: d.unscaled < 0n ? -q : q, scale };
}

/** Exact comparison of two decimals. */
function cmpDec(a: InfDec, b: InfDec): number {
  const s = Math.max(a.scale, b.scale);
  const x = a.unscaled * pow10(s - a.scale);
  const y = b.unscaled * pow10(s - b.scale);
  return x === y ? 0 : x < y ? -1 : 1;
}

const intToDec = (a: Int64Amount): InfDec => ({ unscaled: a.value, scale: -a.scale });

/**
 * Go's negativeScaleInt64: divides by 10^scale, rounding away from zero; `exact` when nothing was
 * lost. Upstream: math.go (negativeScaleInt64)
 */
function negativeScaleInt64(base: bigint, scale: number): { result: bigint; exact: boolean } {
  if (scale === 0) return { result: base, exact: true };
  let value = base;
  let fraction = false;
  for (let i = 0; i < scale; i++) {
    if (!fraction && value % 10n !== 0n) fraction = true;
    value /= 10n;
    if (value === 0n) {
      if (fraction) return { result: base > 0n ? 1n : -1n, exact: false };
      return { result: 0n, exact: true };
    }
  }
  if (fraction) value += base > 0n ? 1n : -1n;
  return { result: value, exact: !fraction };
}

/** Go's positiveScaleInt64: multiplies by 10^scale, or `ok: false` on int64 overflow. Upstream: math.go (positiveScaleInt64) */
function positiveScaleInt64(base: bigint, scale: number): { result: bigint; ok: boolean } {
  const r = base * pow10(scale);
  return inInt64(r) ? { result: r, ok: true } : { result: 0n, ok: false };
}

/**
 * A fixed-point quantity (Go: `resource.Quantity`). Mutable like Go's (`add`, `sub`, `neg`,
 * `roundUp` change it); `deepCopy()` copies. `toString()` / `toJSON()` give the canonical form.
 */
export class Quantity {
  #i: Int64Amount | undefined;
  #d: InfDec | undefined;
  /** The cached string (the original when it was already canonical). */
  #s = '';
  /** The notation this quantity prints in. */
  format: Format;

  /** @internal Use parseQuantity, newQuantity, newMilliQuantity or newScaledQuantity. */
  constructor(init: { i?: Int64Amount; d?: InfDec; format: Format; s?: string }) {
    this.#i = init.i ?? (init.d ? undefined : { value: 0n, scale: 0 });
    this.#d = init.d;
    this.#s = init.s ?? '';
    this.format = init.format;
  }

  /** The value as an exact decimal. */
  #dec(): InfDec {
    return this.#d ?? intToDec(this.#i!);
  }

  /** Upstream: quantity.go (Quantity.IsZero) */
  isZero(): boolean {
    return this.#d ? this.#d.unscaled === 0n : this.#i!.value === 0n;
  }

  /** -1, 0 or 1. Upstream: quantity.go (Quantity.Sign) */
  sign(): number {
    const v = this.#d ? this.#d.unscaled : this.#i!.value;
    return v === 0n ? 0 : v > 0n ? 1 : -1;
  }

  /** -1, 0 or 1 comparing with `y`. Upstream: quantity.go (Quantity.Cmp) */
  cmp(y: Quantity): number {
    return cmpDec(this.#dec(), y.#dec());
  }

  /** Compared with an integer. Upstream: quantity.go (Quantity.CmpInt64) */
  cmpInt64(y: number | bigint): number {
    return cmpDec(this.#dec(), { unscaled: BigInt(y), scale: 0 });
  }

  /** Upstream: quantity.go (Quantity.Equal) */
  equal(v: Quantity): boolean {
    return this.cmp(v) === 0;
  }

  /**
   * `ceil(q / 10^scale)` as an integer (rounding as upstream's two representations do; overflow
   * wraps like Go's int64). Exact as a JS number below 2^53. Upstream: quantity.go (Quantity.ScaledValue), scale_int.go (scaledValue)
   */
  scaledValue(scale: number): number {
    return Number(this.scaledValueBigInt(scale));
  }

  /** scaledValue as a BigInt (int64). */
  scaledValueBigInt(scale: number): bigint {
    if (!this.#d) {
      const a = this.#i!;
      if (a.scale < scale) return negativeScaleInt64(a.value, scale - a.scale).result;
      return positiveScaleInt64(a.value, a.scale - scale).result;
    }
    const { unscaled } = this.#d;
    const dif = this.#d.scale - -scale;
    if (dif === 0) return wrap64(unscaled);
    if (dif < 0) return wrap64(wrap64(unscaled) * wrap64(pow10(-dif)));
    if (unscaled < MAX_INT64 && dif < 19) {
      const u = wrap64(unscaled);
      const divide = pow10(dif);
      const result = u / divide; // truncates toward zero, like Go
      return u % divide !== 0n ? result + 1n : result;
    }
    // big.Int.DivMod is Euclidean: the remainder is never negative.
    const divisor = pow10(dif);
    let q = unscaled / divisor;
    let r = unscaled % divisor;
    if (r < 0n) {
      r += divisor;
      q -= 1n;
    }
    return r !== 0n ? wrap64(q) + 1n : wrap64(q);
  }

  /** The value rounded up to an integer, away from zero. Upstream: quantity.go (Quantity.Value) */
  value(): number {
    return this.scaledValue(0);
  }

  /** `ceil(q * 1000)`: `100m` -> 100, `1` -> 1000. Upstream: quantity.go (Quantity.MilliValue) */
  milliValue(): number {
    return this.scaledValue(Milli);
  }

  /** The int64 value when it is one exactly and held as int64 (Go: `AsInt64`). Upstream: amount.go (int64Amount.AsInt64) */
  asInt64(): { value: number; ok: boolean } {
    if (this.#d) return { value: 0, ok: false };
    const a = this.#i!;
    if (a.scale === 0) return { value: Number(a.value), ok: true };
    if (a.scale < 0) return { value: 0, ok: false };
    const r = positiveScaleInt64(a.value, a.scale);
    return { value: Number(r.result), ok: r.ok };
  }

  /** A float approximation. Upstream: quantity.go (Quantity.AsApproximateFloat64) */
  asApproximateFloat64(): number {
    const d = this.#dec();
    const base = Number(d.unscaled);
    const exponent = -d.scale;
    return exponent === 0 ? base : base * 10 ** exponent;
  }

  /** Adds `y`; a zero quantity takes `y`'s format. Upstream: quantity.go (Quantity.Add) */
  add(y: Quantity): void {
    this.#s = '';
    if (!this.#d && !y.#d) {
      if (this.#i!.value === 0n) this.format = y.format;
      const sum = addInt64(this.#i!, y.#i!);
      if (sum) {
        this.#i = sum;
        return;
      }
    } else if (this.isZero()) {
      this.format = y.format;
    }
    this.#d = addDec(this.#dec(), y.#dec());
    this.#i = undefined;
  }

  /** Subtracts `y`; a zero quantity takes `y`'s format. Upstream: quantity.go (Quantity.Sub) */
  sub(y: Quantity): void {
    this.#s = '';
    if (this.isZero()) this.format = y.format;
    if (!this.#d && !y.#d) {
      const diff = addInt64(this.#i!, { value: -y.#i!.value, scale: y.#i!.scale });
      if (diff) {
        this.#i = diff;
        return;
      }
    }
    this.#d = addDec(this.#dec(), { unscaled: -y.#dec().unscaled, scale: y.#dec().scale });
    this.#i = undefined;
  }

  /** Negates. Upstream: quantity.go (Quantity.Neg) */
  neg(): void {
    this.#s = '';
    if (this.#d) this.#d = { unscaled: -this.#d.unscaled, scale: this.#d.scale };
    else this.#i = { value: -this.#i!.value, scale: this.#i!.scale };
  }

  /** Rounds up to the scale (away from zero); false when precision was lost. Upstream: quantity.go (Quantity.RoundUp) */
  roundUp(scale: number): boolean {
    if (this.#d) {
      this.#s = '';
      const r = roundUpDec(this.#d, -scale);
      const exact = cmpDec(r, this.#d) === 0;
      this.#d = r;
      return exact;
    }
    const a = this.#i!;
    if (a.scale >= scale) return true;
    this.#s = '';
    const r = negativeScaleInt64(a.value, scale - a.scale);
    this.#i = { value: r.result, scale };
    return r.exact;
  }

  /** An independent copy. Upstream: quantity.go (Quantity.DeepCopy) */
  deepCopy(): Quantity {
    return new Quantity({ i: this.#i && { ...this.#i }, d: this.#d && { ...this.#d }, format: this.format, s: this.#s });
  }

  /** The canonical string (cached). Upstream: quantity.go (Quantity.String, CanonicalizeBytes) */
  toString(): string {
    if (this.#s.length === 0) {
      const { number, suffix } = this.#canonicalize();
      this.#s = number + suffix;
    }
    return this.#s;
  }

  /** JSON is the canonical string, as Go's MarshalJSON writes it. */
  toJSON(): string {
    return this.toString();
  }

  /** Upstream: quantity.go (Quantity.CanonicalizeBytes) */
  #canonicalize(): { number: string; suffix: string } {
    if (this.isZero()) return { number: '0', suffix: '' };
    let format = this.format;
    let rounded: InfDec | undefined;
    switch (format) {
      case DecimalExponent:
      case DecimalSI:
        break;
      case BinarySI:
        if (this.cmpInt64(-1024) > 0 && this.cmpInt64(1024) < 0) format = DecimalSI;
        else {
          rounded = roundUpDec(this.#dec(), 0);
          if (cmpDec(rounded, this.#dec()) !== 0) format = DecimalSI;
        }
        break;
      default:
        format = DecimalExponent;
    }
    if (format === DecimalExponent || format === DecimalSI) {
      const d = this.#dec();
      const { result, times } = removeFactors(d.unscaled, 10n);
      let amount = result;
      let exponent = -d.scale + times;
      while (exponent % 3 !== 0) {
        amount *= 10n;
        exponent--;
      }
      return { number: amount.toString(), suffix: constructSuffix(10, exponent, format) ?? '' };
    }
    const r = rounded!;
    const whole = r.unscaled * pow10(Math.max(0, -r.scale));
    const { result, times } = removeFactors(whole, 1024n);
    return { number: result.toString(), suffix: constructSuffix(2, times * 10, BinarySI) ?? '' };
  }
}

/** int64Amount.Add: undefined on overflow. Upstream: amount.go (int64Amount.Add) */
function addInt64(a: Int64Amount, b: Int64Amount): Int64Amount | undefined {
  if (b.value === 0n) return { ...a };
  if (a.value === 0n) return { ...b };
  if (a.scale === b.scale) {
    const c = a.value + b.value;
    return inInt64(c) ? { value: c, scale: a.scale } : undefined;
  }
  if (a.scale > b.scale) {
    const s = positiveScaleInt64(a.value, a.scale - b.scale);
    if (!s.ok) return undefined;
    const c = s.result + b.value;
    return inInt64(c) ? { value: c, scale: b.scale } : undefined;
  }
  const s = positiveScaleInt64(b.value, b.scale - a.scale);
  if (!s.ok) return undefined;
  const c = a.value + s.result;
  return inInt64(c) ? { value: c, scale: a.scale } : undefined;
}

function addDec(a: InfDec, b: InfDec): InfDec {
  const s = Math.max(a.scale, b.scale);
  return { unscaled: a.unscaled * pow10(s - a.scale) + b.unscaled * pow10(s - b.scale), scale: s };
}

/**
 * Parses a quantity; throws an Error with upstream's text (`quantities must match the regular
 * expression '...'`, `unable to parse numeric part of quantity`, `unable to parse quantity's suffix`).
 * Upstream: quantity.go (ParseQuantity)
 */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new Error(ErrFormatWrong);
  if (str === '0') return new Quantity({ format: DecimalSI, s: str });
  const { positive, value, num, denom, suffix } = parseQuantityString(str);
  const suf = interpretSuffix(suffix);
  if (!suf) throw new Error(ErrSuffix);
  const { base, exponent } = suf;
  let { format } = suf;
  if (Math.abs(exponent) > MAX_EXPONENT) throw new Error(ErrNumeric);

  let precision = 0;
  let scale = 0;
  let mantissa = 1n;
  switch (format) {
    case DecimalExponent:
    case DecimalSI:
      scale = exponent;
      precision = maxInt64Factors - (num.length + denom.length);
      break;
    case BinarySI:
      scale = 0;
      if (exponent >= 0 && denom.length === 0) {
        mantissa = 1n << BigInt(exponent);
        precision = 15 - num.length - Math.trunc(Math.fround((Math.fround(exponent) * 3) / 10)) - 1;
      } else precision = -1;
      break;
  }

  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= Nano) {
      const shifted = num + denom;
      const v = BigInt(shifted);
      if (!inInt64(v)) throw new Error(ErrNumeric);
      let result = v * mantissa;
      if (inInt64(result)) {
        if (!positive) result = -result;
        // Keep the original string when it is already canonical.
        let canonical: boolean;
        if (format === BinarySI) canonical = exponent % 10 === 0 && (v & 7n) !== 0n;
        else canonical = scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return new Quantity({ i: { value: result, scale }, format, s: canonical ? str : '' });
      }
    }
  }

  const amount = parseDec(value);
  if (!amount) throw new Error(ErrNumeric);
  let d: InfDec;
  if (base === 10) d = { unscaled: amount.unscaled, scale: amount.scale - exponent };
  else d = { unscaled: amount.unscaled * (1n << BigInt(exponent)), scale: amount.scale };
  const negative = d.unscaled < 0n;
  if (negative) d = { unscaled: -d.unscaled, scale: d.scale };
  // Non-zero values round up to the smallest representable value (1n): asking for some
  // resources gets some.
  if (d.unscaled !== 0n) d = roundUpDec(d, -Nano);
  if (format === BinarySI && cmpDec(d, { unscaled: MAX_INT64, scale: 0 }) > 0) d = { unscaled: MAX_INT64, scale: 0 };
  if (format === BinarySI && cmpDec(d, { unscaled: 1n, scale: 0 }) < 0 && d.unscaled > 0n) format = DecimalSI;
  if (negative) d = { unscaled: -d.unscaled, scale: d.scale };
  return new Quantity({ d, format });
}

/** parseQuantity that throws a UsageError naming the input (Go: `MustParse` panics). Upstream: quantity.go (MustParse) */
export function mustParse(str: string): Quantity {
  try {
    return parseQuantity(str);
  } catch (e) {
    throw new UsageError(`cannot parse '${str}': ${(e as Error).message}`);
  }
}

/** `value` in the given format. Upstream: quantity.go (NewQuantity) */
export function newQuantity(value: number | bigint, format: Format): Quantity {
  return new Quantity({ i: { value: BigInt(value), scale: 0 }, format });
}

/** `value / 1000` in the given format. Upstream: quantity.go (NewMilliQuantity) */
export function newMilliQuantity(value: number | bigint, format: Format): Quantity {
  return new Quantity({ i: { value: BigInt(value), scale: -3 }, format });
}

/**
 * `value * 10^exponent` held as an arbitrary decimal, in the given format (Go:
 * `NewDecimalQuantity(inf.Dec, format)`; upstream's tests build quantities this way).
 * Upstream: quantity.go (NewDecimalQuantity)
 */
export function newDecimalQuantity(value: number | bigint, exponent: number, format: Format): Quantity {
  return new Quantity({ d: { unscaled: BigInt(value), scale: -exponent }, format });
}

/** `value * 10^scale` in DecimalSI. Upstream: quantity.go (NewScaledQuantity) */
export function newScaledQuantity(value: number | bigint, scale: number): Quantity {
  return new Quantity({ i: { value: BigInt(value), scale }, format: DecimalSI });
}

/** Go's package `resource` (k8s.io/apimachinery/pkg/api/resource), for `import { resource } from 'kubelab'`. */
export const resource = {
  parseQuantity,
  mustParse,
  newQuantity,
  newMilliQuantity,
  newScaledQuantity,
  newDecimalQuantity,
  Quantity,
  DecimalExponent,
  BinarySI,
  DecimalSI,
  Nano,
  Micro,
  Milli,
  Kilo,
  Mega,
  Giga,
  Tera,
  Peta,
  Exa,
  ErrFormatWrong,
  ErrNumeric,
  ErrSuffix,
} as const;
