// resource.Quantity against the tables of apimachinery pkg/api/resource/quantity_test.go (v0.34.0).
import { describe, expect, it } from 'vitest';
import {
  BinarySI,
  DecimalExponent,
  DecimalSI,
  ErrFormatWrong,
  ErrNumeric,
  ErrSuffix,
  Micro,
  Milli,
  Nano,
  mustParse,
  newDecimalQuantity,
  newMilliQuantity,
  newQuantity,
  newScaledQuantity,
  parseQuantity,
  type Format,
} from '../../src/sim/apimachinery/quantity';

const dec = newDecimalQuantity;
const MAX = (1n << 63n) - 1n;

describe('parseQuantity', () => {
  const table: Array<[string, bigint | number, number, Format]> = [
    ['0', 0, 0, DecimalSI],
    ['0n', 0, 0, DecimalSI],
    ['0Ki', 0, 0, BinarySI],
    ['0Ti', 0, 0, BinarySI],
    ['1', 1, 0, DecimalSI],
    ['1Ki', 1024, 0, BinarySI],
    ['7Mi', 7 * 1024 * 1024, 0, BinarySI],
    ['5Ti', 5n * 1024n ** 4n, 0, BinarySI],
    ['4Pi', 4n * 1024n ** 5n, 0, BinarySI],
    ['3Ei', 3n * 1024n ** 6n, 0, BinarySI],
    ['100Ti', 100n * 1024n ** 4n, 0, BinarySI],
    ['5n', 5, -9, DecimalSI],
    ['4u', 4, -6, DecimalSI],
    ['3m', 3, -3, DecimalSI],
    ['50k', 5, 4, DecimalSI],
    ['300T', 3, 14, DecimalSI],
    ['1E', 1, 18, DecimalSI],
    ['1E-3', 1, -3, DecimalExponent],
    ['1e3', 1, 3, DecimalExponent],
    ['1E18', 1, 18, DecimalExponent],
    ['100.035k', 100035, 0, DecimalSI],
    ['0.001', 1, -3, DecimalSI],
    ['0.0005k', 5, -1, DecimalSI],
    ['0.50000', 5, -1, DecimalSI],
    ['0.5e-2', 5, -3, DecimalExponent],
    ['10.035M', 10035, 3, DecimalSI],
    ['1.3E+6', 13, 5, DecimalExponent],
    ['1.7E18', 17, 17, DecimalExponent],
    ['6.987654321G', 6987654321, 0, DecimalSI],
    ['1.01E', 101, 16, DecimalSI],
    ['3.001n', 4, -9, DecimalSI],
    ['1.1E-9', 2, -9, DecimalExponent],
    ['0.0000000001', 1, -9, DecimalSI],
    ['0.5e-9', 1, -9, DecimalExponent],
    ['0.00000012345', 124, -9, DecimalSI],
    ['9Ei', MAX, 0, BinarySI],
    ['9223372036854775807Ki', MAX, 0, BinarySI],
    ['12E', 12, 18, DecimalSI],
    ['100.035Ki', 10243584, -2, BinarySI],
    ['0.5Mi', 512 * 1024, 0, BinarySI],
    ['0.05Gi', 536870912, -1, BinarySI],
    ['0.000000000001Ki', 2, -9, DecimalSI],
    ['.001', 1, -3, DecimalSI],
    ['.0001k', 100, -3, DecimalSI],
    ['1.', 1, 0, DecimalSI],
    ['1.G', 1, 9, DecimalSI],
  ];
  it.each(table)('%s (TestQuantityParse)', (input, value, exponent, format) => {
    const q = parseQuantity(input);
    expect(q.cmp(dec(value, exponent, format))).toBe(0);
    expect(q.format).toBe(format);
    const neg = parseQuantity(`-${input}`);
    const want = dec(value, exponent, format);
    want.neg();
    expect(neg.cmp(want)).toBe(0);
    expect(parseQuantity(`+${input}`).cmp(dec(value, exponent, format))).toBe(0);
  });

  it.each(['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', ''])('rejects %j (TestQuantityParse invalid)', (input) => {
    expect(() => parseQuantity(input)).toThrow();
  });

  it('reports upstream error texts (ErrFormatWrong, ErrSuffix)', () => {
    expect(() => parseQuantity('1Kb')).toThrow(ErrFormatWrong);
    expect(ErrFormatWrong).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(() => parseQuantity('1ki')).toThrow(ErrSuffix);
    expect(() => parseQuantity('')).toThrow(ErrFormatWrong);
    expect(ErrNumeric).toBe('unable to parse numeric part of quantity');
    expect(() => mustParse('abc')).toThrow(`cannot parse 'abc': ${ErrFormatWrong}`);
  });
});

describe('canonical form', () => {
  const table: Array<[ReturnType<typeof dec>, string, string]> = [
    [dec(1024 * 1024 * 1024, 0, BinarySI), '1Gi', '1024Mi'],
    [dec(300 * 1024 * 1024, 0, BinarySI), '300Mi', '307200Ki'],
    [dec(6 * 1024, 0, BinarySI), '6Ki', ''],
    [dec(1001n * 1024n ** 3n, 0, BinarySI), '1001Gi', '1025024Mi'],
    [dec(5, 0, BinarySI), '5', '5000m'],
    [dec(500, -3, BinarySI), '500m', '0.5'],
    [dec(1, 9, DecimalSI), '1G', '1000M'],
    [dec(1000, 6, DecimalSI), '1G', '0.001T'],
    [dec(1, -3, DecimalSI), '1m', '1000u'],
    [dec(1080, -3, DecimalSI), '1080m', '1.08'],
    [dec(108, -2, DecimalSI), '1080m', '1080000000n'],
    [dec(10800, -4, DecimalSI), '1080m', ''],
    [dec(1234567, 6, DecimalSI), '1234567M', ''],
    [dec(1234567, -3, BinarySI), '1234567m', ''],
    [dec(1025, 0, BinarySI), '1025', ''],
    [dec(0, 0, BinarySI), '0', ''],
    [dec(1, 9, DecimalExponent), '1e9', '.001e12'],
    [dec(1, -3, DecimalExponent), '1e-3', '0.001e0'],
    [dec(1, -9, DecimalExponent), '1e-9', '1000e-12'],
    [dec(80, -3, DecimalExponent), '80e-3', ''],
    [dec(300, 6, DecimalExponent), '300e6', ''],
    [dec(0, 0, DecimalExponent), '0', '00'],
    [dec(10800, -10, DecimalSI), '1080n', ''],
    [dec(1080, -6, DecimalSI), '1080u', ''],
  ];
  it.each(table)('%s prints %s (TestQuantityString)', (q, want, alternate) => {
    expect(q.toString()).toBe(want);
    expect(parseQuantity(want).toString()).toBe(want);
    if (alternate) expect(parseQuantity(alternate).toString()).toBe(want);
    if (!q.isZero()) {
      const n = q.deepCopy();
      n.neg();
      expect(n.toString()).toBe(`-${want}`);
    }
  });

  it.each([
    ['1Ki', '1Ki'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['1.5Gi', '1536Mi'],
    ['1.5', '1500m'],
    ['128Mi', '128Mi'],
    ['2e3', '2e3'],
    ['100m', '100m'],
  ])('%s emits %s (TestQuantityParseEmit)', (input, want) => {
    expect(parseQuantity(input).toString()).toBe(want);
    expect(parseQuantity(`-${input}`).toString()).toBe(`-${want}`);
    expect(JSON.stringify({ q: parseQuantity(input) })).toBe(`{"q":"${want}"}`);
  });

  it('keeps an already canonical original string, as upstream caches it (quirk: "+1" stays "+1")', () => {
    expect(parseQuantity('+1').toString()).toBe('+1');
    expect(parseQuantity('01').toString()).toBe('01');
    expect(parseQuantity('1000m').toString()).toBe('1');
  });
});

describe('values and arithmetic', () => {
  it.each([
    [Nano, Nano, 1],
    [Nano, Micro, 1],
    [Nano, 0, 1],
    [Micro, Nano, 1000],
    [Milli, Micro, 1000],
    [0, Nano, 1_000_000_000],
    [0, Milli, 1000],
    [2, -2, 10000],
  ])('newScaledQuantity(1, %i).scaledValue(%i) = %i (TestScaledValue)', (from, to, want) => {
    expect(newScaledQuantity(1, from).scaledValue(to)).toBe(want);
  });

  it('milliValue and value round up (TestQuantityRoundUp, MilliValue)', () => {
    expect(parseQuantity('100m').milliValue()).toBe(100);
    expect(parseQuantity('1.5').milliValue()).toBe(1500);
    expect(parseQuantity('1.5').value()).toBe(2);
    expect(parseQuantity('128Mi').value()).toBe(134217728);
    expect(parseQuantity('1n').milliValue()).toBe(1);
    expect(parseQuantity('-1.5').value()).toBe(-2); // int64 amount: away from zero
    expect(parseQuantity('-0.0000000001').value()).toBe(1); // inf.Dec: truncated division, then +1
  });

  it('compares across formats and scales (TestQuantityCmp)', () => {
    expect(parseQuantity('1Gi').cmp(parseQuantity('1073741824'))).toBe(0);
    expect(parseQuantity('1G').cmp(parseQuantity('1Gi'))).toBe(-1);
    expect(parseQuantity('500m').cmp(parseQuantity('0.5'))).toBe(0);
    expect(parseQuantity('2').cmpInt64(1)).toBe(1);
    expect(parseQuantity('100m').equal(parseQuantity('0.1'))).toBe(true);
  });

  it('adds and subtracts; a zero quantity takes the other format (TestAdd, TestSub, TestQuantityAddZeroPreservesSuffix)', () => {
    const q = newQuantity(0, DecimalSI);
    q.add(parseQuantity('1Mi'));
    expect(q.toString()).toBe('1Mi');
    const r = parseQuantity('100m');
    r.add(parseQuantity('250m'));
    expect(r.toString()).toBe('350m');
    r.sub(parseQuantity('1'));
    expect(r.toString()).toBe('-650m');
    const m = newMilliQuantity(1500, DecimalSI);
    expect(m.toString()).toBe('1500m');
    expect(newQuantity(1024 * 1024, BinarySI).toString()).toBe('1Mi');
    const big = parseQuantity('9223372036854775807');
    big.add(parseQuantity('1'));
    expect(big.toString()).toBe('9223372036854775808');
  });

  it('asApproximateFloat64 (TestQuantityAsApproximateFloat64)', () => {
    expect(parseQuantity('1.5Gi').asApproximateFloat64()).toBe(1610612736);
    expect(parseQuantity('100m').asApproximateFloat64()).toBeCloseTo(0.1);
  });
});
