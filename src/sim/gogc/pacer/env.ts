// GOGC and GOMEMLIMIT as the runtime reads them at start-up.
import { maxInt64 } from './constants';

const maxInt32 = 2 ** 31 - 1;
const minInt32 = -(2 ** 31);

/**
 * Upstream: src/runtime/mgcpacer.go (readGOGC). "off" is -1; anything strconv.ParseInt(p, 10, 32)
 * accepts is taken as is (negative values later mean off, in setGCPercent); anything else,
 * including unset, empty, "50%" or an out-of-range number, is silently 100: the runtime prints
 * nothing for a bad GOGC.
 */
export function readGOGC(value: string | undefined): number {
  const p = value ?? '';
  if (p === 'off') return -1;
  const n = parseInt10(p, true);
  if (n !== undefined && n >= minInt32 && n <= maxInt32) return n;
  return 100;
}

/**
 * Upstream: src/runtime/string.go (parseByteCount). Accepts ^[0-9]+(([KMGT]i)?B)?$: a plain byte
 * count, a "B" suffix, or the binary KiB/MiB/GiB/TiB suffixes; no "KB"/"GB", no spaces, no
 * fractions. Returns undefined where the runtime returns ok=false (also on int64 overflow).
 */
export function parseByteCount(s: string): number | undefined {
  if (s === '') return undefined;
  const last = s[s.length - 1];
  if (isDigit(last)) return nonNegative(atoi64(s));
  if (last !== 'B' || s.length < 2) return undefined;
  const c = s[s.length - 2];
  if (isDigit(c)) return nonNegative(atoi64(s.slice(0, -1)));
  if (c !== 'i' || s.length < 4) return undefined;
  const power = { K: 1, M: 2, G: 3, T: 4 }[s[s.length - 3]];
  if (power === undefined) return undefined;
  const n = nonNegative(atoi64(s.slice(0, -3)));
  if (n === undefined) return undefined;
  const bytes = BigInt(n) * 1024n ** BigInt(power);
  if (bytes > 2n ** 63n - 1n) return undefined;
  return Number(bytes);
}

/** The runtime's output when GOMEMLIMIT is malformed: it prints the value, then throws. */
export class MalformedGOMEMLIMITError extends Error {
  /** What the process writes to stderr before the goroutine dump, line by line. */
  readonly stderr: string[];
  constructor(readonly value: string) {
    super('malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`');
    this.name = 'MalformedGOMEMLIMITError';
    this.stderr = [`GOMEMLIMIT=${value}`, `fatal error: ${this.message}`];
  }
}

/**
 * Upstream: src/runtime/mgcpacer.go (readGOMEMLIMIT). Unset, empty or "off" is math.MaxInt64
 * (no limit); a value parseByteCount rejects (e.g. "2GB", "-1", "1e9") is fatal at start-up.
 */
export function readGOMEMLIMIT(value: string | undefined): number {
  const p = value ?? '';
  if (p === '' || p === 'off') return maxInt64;
  const n = parseByteCount(p);
  if (n === undefined) throw new MalformedGOMEMLIMITError(p);
  return n;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function nonNegative(n: number | undefined): number | undefined {
  return n === undefined || n < 0 ? undefined : n;
}

/** Upstream: internal/runtime/strconv (Atoi64): an optional '-', then digits only; int64 range. */
function atoi64(s: string): number | undefined {
  const n = parseInt10(s, false);
  return n;
}

/**
 * Decimal digits with an optional sign ('+' only when strconv.ParseInt's rules apply), checked
 * against the int64 range with BigInt so that overflow is reported as the runtime reports it.
 */
function parseInt10(s: string, allowPlus: boolean): number | undefined {
  let digits = s;
  let neg = false;
  if (digits[0] === '-' || (allowPlus && digits[0] === '+')) {
    neg = digits[0] === '-';
    digits = digits.slice(1);
  }
  if (digits === '' || !/^[0-9]+$/.test(digits)) return undefined;
  const v = neg ? -BigInt(digits) : BigInt(digits);
  if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) return undefined;
  return Number(v);
}
