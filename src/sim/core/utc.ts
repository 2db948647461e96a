/**
 * The UTC calendar fields of a virtual time: the one place src/sim turns milliseconds into a date.
 * It reads no clock and no time zone (UTC getters only), so formatting stays deterministic.
 */
export interface UtcParts {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export function utcParts(ms: number): UtcParts {
  const d = new Date(ms); // allow-nondeterminism: formats virtual time, reads no clock
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}
