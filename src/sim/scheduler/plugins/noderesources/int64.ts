/**
 * Go's int64 `a * b / c` for the scorers: exact while a * b stays a safe integer, through BigInt
 * beyond (petabyte memory times 100 would lose digits as a double). Truncates toward zero.
 */
export function mulDiv(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return Math.trunc(product / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}
