// Upstream: apimachinery pkg/util/intstr/intstr.go (GetValueFromIntOrPercent, getIntOrPercentValue)
import type { IntOrString } from './types';

/**
 * The integer an IntOrString stands for against `total`: a number as is, a string as a percentage
 * of total rounded up or down. Throws upstream's error text for a string that is not a number.
 */
export function getValueFromIntOrPercent(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) throw new Error('nil value for IntOrString');
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value !== 'string') throw new Error('invalid value for IntOrString: invalid type: neither int nor percentage');
  // Upstream strips every '%' (not only a trailing one) and parses the rest with strconv.Atoi.
  const digits = value.split('%').join('');
  const percent = atoi(digits, value);
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
