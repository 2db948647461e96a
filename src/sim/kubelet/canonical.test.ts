/** canonicalEqual against its oracle, canonicalJSON text equality (a model-only helper: no upstream test). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEqual, canonicalJSON } from './canonical';

const leaf = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer({ min: -2, max: 2 }), fc.constantFrom(0.5, -0, Number.NaN, Number.POSITIVE_INFINITY), fc.constantFrom('', 'a', 'b', 'null', '{}'));
const key = fc.constantFrom('a', 'b', 'c', 'constructor', 'toString', '__proto__x');
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 })),
}));

describe('canonicalEqual', () => {
  it('says what comparing the canonicalJSON texts says (property, oracle: canonicalJSON)', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(canonicalEqual(a, b)).toBe(canonicalJSON(a) === canonicalJSON(b));
        expect(canonicalEqual(a, structuredClone(a))).toBe(true);
        // Near misses: JSON's round trip drops undefined fields and turns NaN and -0 into null and 0.
        const trip = JSON.parse(JSON.stringify(a) ?? 'null') as unknown;
        expect(canonicalEqual(a, trip)).toBe(canonicalJSON(a) === canonicalJSON(trip));
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  const cases: Array<{ name: string; a: unknown; b: unknown; want: boolean }> = [
    { name: 'key order does not matter', a: { a: 1, b: [1, { c: 2, d: 3 }] }, b: { b: [1, { d: 3, c: 2 }], a: 1 }, want: true },
    { name: 'an undefined field is an absent one', a: { a: 1, b: undefined }, b: { a: 1 }, want: true },
    { name: 'undefined in an array is null', a: [undefined], b: [null], want: true },
    { name: 'an inherited name is not an own field', a: { constructor: null }, b: { z: 1 }, want: false },
    { name: 'an array is not an object', a: [], b: {}, want: false },
    { name: 'a changed leaf deep down', a: { s: { c: [{ ready: true }] } }, b: { s: { c: [{ ready: false }] } }, want: false },
  ];
  it.each(cases)('$name', ({ a, b, want }) => {
    expect(canonicalEqual(a, b)).toBe(want);
    expect(canonicalJSON(a) === canonicalJSON(b)).toBe(want);
  });
});
