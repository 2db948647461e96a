// Upstream: apimachinery pkg/util/intstr/intstr.go (GetScaledValueFromIntOrPercent, getIntOrPercentValueSafely)
import type { IntOrString } from './types';

/**
 * The integer an IntOrString stands for against `total`: a number as is, a "N%" string as N% of
 * total rounded up or down. Throws upstream's error texts for anything else (a string without a
 * trailing %, or whose digits do not parse).
 */
export function getScaledValueFromIntOrPercent(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) throw new Error('nil value for IntOrString');
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value !== 'string') throw new Error('invalid value for IntOrString: invalid type: neither int nor percentage');
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const percent = atoi(value.slice(0, -1), value);
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** strconv.Atoi's accepted syntax: optional sign, decimal digits. */
function atoi(s: string, original: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) {
    throw new Error(`invalid value for IntOrString: invalid value ${goQuote(original)}: strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  }
  return Number.parseInt(s, 10);
}

/** Go's %q for plain strings (enough for manifest values). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
