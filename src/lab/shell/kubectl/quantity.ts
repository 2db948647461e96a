/**
 * A small resource.Quantity for describe's resource sums (`cpu 350m (17%)`): parse, add, and print
 * in the canonical form. Exact for the values labs use (integers of milli-units and bytes).
 * Seam: the apimachinery package's quantity parser can replace this module.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in thousandths of the base unit (milli-units), an integer. */
  milli: bigint;
  format: QuantityFormat;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** Parses `100m`, `0.5`, `128Mi`, `1e3`; undefined when it is not a quantity. */
// Upstream: apimachinery pkg/api/resource/quantity.go (ParseQuantity)
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number') input = String(input);
  if (typeof input !== 'string') return undefined;
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(input.trim());
  if (!m) return undefined;
  const [, sign, num, exp, suffix = ''] = m;
  const [intPart, fracPart = ''] = num.split('.');
  let digits = BigInt((intPart || '0') + fracPart);
  let scale = -fracPart.length; // value = digits * 10^scale (base units)
  let format: QuantityFormat = 'DecimalSI';
  let mult = 1n;
  if (exp) {
    scale += Number(exp.slice(1));
    format = 'DecimalExponent';
  } else if (suffix in BINARY) {
    mult = BINARY[suffix];
    format = 'BinarySI';
  } else scale += DECIMAL_EXP[suffix];
  digits *= mult;
  // To milli-units: value * 1000, rounded up as Kubernetes rounds sub-milli values.
  let milli: bigint;
  const shift = scale + 3;
  if (shift >= 0) milli = digits * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    milli = digits / div + (digits % div === 0n ? 0n : 1n);
  }
  return { milli: sign === '-' ? -milli : milli, format };
}

export const zeroQuantity = (format: QuantityFormat = 'DecimalSI'): Quantity => ({ milli: 0n, format });

export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli + b.milli, format: a.milli === 0n && a.format === 'DecimalSI' ? b.format : a.format };
}

/** The value in whole base units, rounded up (Quantity.Value). */
export function quantityValue(q: Quantity): bigint {
  const v = q.milli / 1000n;
  return q.milli % 1000n > 0n ? v + 1n : v;
}

/** The canonical text (Quantity.String): `350m`, `2`, `1536Mi`, `1500M`. */
// Upstream: apimachinery pkg/api/resource/quantity.go (CanonicalizeBytes)
export function formatQuantity(q: Quantity): string {
  if (q.milli === 0n) return '0';
  const neg = q.milli < 0n;
  const abs = neg ? -q.milli : q.milli;
  const sign = neg ? '-' : '';
  if (q.format === 'BinarySI' && abs % 1000n === 0n) {
    const bytes = abs / 1000n;
    if (bytes >= 1024n) {
      let suffix = '';
      let value = bytes;
      for (const s of ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']) {
        if (value % 1024n !== 0n) break;
        value /= 1024n;
        suffix = s;
      }
      if (suffix) return `${sign}${value}${suffix}`;
    }
  }
  // Decimal: the largest multiple-of-3 exponent that keeps an integer mantissa.
  let exp = -3;
  let mant = abs;
  while (mant % 1000n === 0n && exp < 18) {
    mant /= 1000n;
    exp += 3;
  }
  const suffix = { '-3': 'm', '0': '', '3': 'k', '6': 'M', '9': 'G', '12': 'T', '15': 'P', '18': 'E' }[String(exp)] ?? '';
  return `${sign}${mant}${suffix}`;
}
