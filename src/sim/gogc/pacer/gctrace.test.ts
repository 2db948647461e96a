import { describe, expect, it } from 'vitest';
import { fmtNSAsMS, formatGctrace, itoaDiv } from './gctrace';

// ref: src/runtime/mgc.go (itoaDiv, fmtNSAsMS)
describe('fmtNSAsMS', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [999, '0'],
    [3_000, '0.003'],
    [15_000, '0.015'],
    [60_000, '0.060'],
    [120_000, '0.12'],
    [360_000, '0.36'],
    [1_000_000, '1.0'],
    [4_150_000, '4.1'],
    [9_999_999, '9.9'],
    [10_000_000, '10'],
    [123_456_789, '123'],
  ];
  for (const [ns, want] of cases) it(`${ns} ns -> ${want}`, () => expect(fmtNSAsMS(ns)).toBe(want));
  it('itoaDiv pads to the decimals', () => {
    expect(itoaDiv(19, 3)).toBe('0.019');
    expect(itoaDiv(12345, 3)).toBe('12.345');
    expect(itoaDiv(7, 0)).toBe('7');
  });
});

// ref: src/runtime/mgc.go (gcMarkTermination, debug.gctrace > 0), and the example line in the
// runtime package docs (GODEBUG gctrace=1).
describe('formatGctrace', () => {
  const base = {
    numgc: 1,
    sinceStartNs: 19_400_000,
    gcCpuFraction: 0.004,
    tSweepTerm: 0,
    tMark: 15_000,
    tMarkTerm: 375_000,
    tEnd: 378_000,
    stwprocs: 4,
    assistTime: 120_000,
    backgroundMarkTime: 300_000,
    idleMarkTime: 100_000,
    heap0: 4 << 20,
    heap1: (4 << 20) + 5,
    heap2: 300 << 10,
    lastHeapGoal: 4 << 20,
    lastStackScan: 8 << 10,
    globalsScan: 32 << 10,
    maxprocs: 4,
    userForced: false,
  };
  it('prints every field in upstream order', () => {
    expect(formatGctrace(base)).toBe(
      'gc 1 @0.019s 0%: 0.015+0.36+0.003 ms clock, 0.060+0.12/0.30/0.10+0.012 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P',
    );
  });
  it('appends (forced) for runtime.GC() only', () => {
    expect(formatGctrace({ ...base, userForced: true })).toMatch(/, 4 P \(forced\)$/);
  });
  it('truncates the CPU percentage and the MB counts', () => {
    const line = formatGctrace({ ...base, numgc: 12, gcCpuFraction: 0.0799, heap0: (10 << 20) - 1, sinceStartNs: 1_234_567_890 });
    expect(line.startsWith('gc 12 @1.234s 7%: ')).toBe(true);
    expect(line).toContain(' 9->4->0 MB,');
  });
});
