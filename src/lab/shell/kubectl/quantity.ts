/**
 * describe's resource sums (`cpu 350m (17%)`) over apimachinery's resource.Quantity
 * (src/sim/apimachinery/quantity.ts): parse, add in milli-units, print in the canonical form.
 */
import { resource } from '../../../sim/apimachinery/index';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in thousandths of the base unit (milli-units), rounded up as Kubernetes rounds. */
  milli: bigint;
  format: QuantityFormat;
}

/** Parses `100m`, `0.5`, `128Mi`, `1e3`; undefined when it is not a quantity. */
export function parseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number') input = String(input);
  if (typeof input !== 'string') return undefined;
  try {
    const q = resource.parseQuantity(input.trim());
    return { milli: q.scaledValueBigInt(-3), format: q.format as QuantityFormat };
  } catch {
    return undefined;
  }
}

export const zeroQuantity = (format: QuantityFormat = 'DecimalSI'): Quantity => ({ milli: 0n, format });

export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli + b.milli, format: a.format };
}

/** The value in whole base units, rounded up (Go: `Quantity.Value`). */
export function quantityValue(q: Quantity): bigint {
  return resource.newMilliQuantity(q.milli, q.format).scaledValueBigInt(0);
}

/** The canonical form (Go: `Quantity.String`). */
export function formatQuantity(q: Quantity): string {
  return resource.newMilliQuantity(q.milli, q.format).toString();
}
