/**
 * Go durations as metav1.Duration reads and writes them: `time.ParseDuration` ("24h", "1h30m",
 * "1.5s", "300ms") on the way in, `Duration.String` ("24h0m0s", "4m0s", "500ms") on the way out.
 * Values are milliseconds of virtual time; sub-millisecond parts are kept as fractions.
 * Upstream: Go's time/format.go (ParseDuration), time/time.go (Duration.String)
 */

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration; throws `time: invalid duration "x"` (or `missing unit`, `unknown unit`) as Go does. */
// Upstream: time/format.go (ParseDuration)
export function parseGoDuration(s: string): number {
  const quoted = JSON.stringify(s);
  let rest = s;
  let neg = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new Error(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest !== '') {
    const num = /^(\d*)(\.\d*)?/.exec(rest)!;
    if (num[0] === '' || num[0] === '.') throw new Error(`time: invalid duration ${quoted}`);
    rest = rest.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === '') throw new Error(`time: missing unit in duration ${quoted}`);
    const scale = UNIT_MS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    rest = rest.slice(unit.length);
    total += Number(num[0].startsWith('.') ? `0${num[0]}` : num[0]) * scale;
  }
  return neg ? -total : total;
}

/** Go's Duration.String for a duration in milliseconds: `24h0m0s`, `1m30s`, `1.5s`, `500ms`, `0s`. */
// Upstream: time/time.go (Duration.String)
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let ns = Math.round(Math.abs(ms) * 1e6);
  if (ns < 1e9) {
    if (ns < 1e3) return `${sign}${ns}ns`;
    if (ns < 1e6) return `${sign}${trimFraction(ns / 1e3)}µs`;
    return `${sign}${trimFraction(ns / 1e6)}ms`;
  }
  const h = Math.floor(ns / 3.6e12);
  ns -= h * 3.6e12;
  const m = Math.floor(ns / 6e10);
  ns -= m * 6e10;
  const s = trimFraction(ns / 1e9);
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

function trimFraction(v: number): string {
  return String(Number(v.toFixed(9)));
}

/** Normalizes a duration string to Go's form ("24h" -> "24h0m0s"); throws ParseDuration's error. */
export function canonicalDuration(s: string): string {
  return formatGoDuration(parseGoDuration(s));
}
