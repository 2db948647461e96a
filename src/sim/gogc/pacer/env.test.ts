import { describe, expect, it } from 'vitest';
import { maxInt64 } from './constants';
import { MalformedGOMEMLIMITError, parseByteCount, readGOGC, readGOMEMLIMIT } from './env';

// ref: src/runtime/mgcpacer.go (readGOGC): strconv.ParseInt(p, 10, 32), else 100, "off" is -1.
describe('readGOGC', () => {
  const cases: [string | undefined, number][] = [
    [undefined, 100],
    ['', 100],
    ['off', -1],
    ['100', 100],
    ['50', 50],
    ['0', 0],
    ['+200', 200], // ParseInt takes a sign
    ['-1', -1],
    ['-50', -50], // setGCPercent turns any negative into off
    ['OFF', 100], // only lower-case "off"
    ['50%', 100],
    ['1e3', 100],
    [' 100', 100],
    ['2147483647', 2147483647],
    ['2147483648', 100], // out of int32 range: ParseInt errors, the default wins
  ];
  for (const [value, want] of cases) {
    it(`GOGC=${JSON.stringify(value)} reads as ${want}`, () => expect(readGOGC(value)).toBe(want));
  }
});

// ref: src/runtime/string.go (parseByteCount): ^[0-9]+(([KMGT]i)?B)?$
describe('parseByteCount', () => {
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['1024', 1024],
    ['1024B', 1024],
    ['1KiB', 1024],
    ['10MiB', 10 << 20],
    ['2GiB', 2 * 2 ** 30],
    ['1TiB', 2 ** 40],
    ['', undefined],
    ['B', undefined],
    ['KiB', undefined],
    ['2GB', undefined], // decimal-looking SI suffixes are not accepted
    ['2G', undefined],
    ['2gib', undefined],
    ['1PiB', undefined], // T is the largest unit
    ['-1', undefined],
    ['-1MiB', undefined],
    ['+1', undefined], // the runtime's atoi64 takes '-' only
    ['1.5GiB', undefined],
    ['1e9', undefined],
    ['1 GiB', undefined],
    ['9223372036854775807', 9223372036854775807],
    ['9223372036854775808', undefined],
    ['8388608TiB', undefined], // 2^63 bytes overflows int64
    ['8388607TiB', 8388607 * 2 ** 40],
  ];
  for (const [s, want] of cases) {
    it(`${JSON.stringify(s)} -> ${want ?? 'not ok'}`, () => expect(parseByteCount(s)).toBe(want));
  }
});

// ref: src/runtime/mgcpacer.go (readGOMEMLIMIT): print("GOMEMLIMIT=", p, "\n"); throw(...)
describe('readGOMEMLIMIT', () => {
  it('is math.MaxInt64 when unset, empty or off', () => {
    expect(readGOMEMLIMIT(undefined)).toBe(maxInt64);
    expect(readGOMEMLIMIT('')).toBe(maxInt64);
    expect(readGOMEMLIMIT('off')).toBe(maxInt64);
  });
  it('reads byte counts', () => expect(readGOMEMLIMIT('512MiB')).toBe(512 << 20));
  for (const bad of ['2GB', '-1', '1e9', 'OFF', '100M']) {
    it(`dies at start-up on GOMEMLIMIT=${bad} with the runtime's text`, () => {
      let err: unknown;
      try {
        readGOMEMLIMIT(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MalformedGOMEMLIMITError);
      const e = err as MalformedGOMEMLIMITError;
      expect(e.message).toBe('malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`');
      expect(e.stderr).toEqual([
        `GOMEMLIMIT=${bad}`,
        'fatal error: malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`',
      ]);
    });
  }
});
