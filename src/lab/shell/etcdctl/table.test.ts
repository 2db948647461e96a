import { describe, expect, it } from 'vitest';
import { goDuration, humanizeBytes, renderTable } from './table';

describe("etcdctl's Go formatting", () => {
  it('go-humanize Bytes: SI units, a decimal under 10, ties to even as Go formats them', () => {
    const cases: Array<[number, string]> = [
      [5, '5 B'],
      [20480, '20 kB'], // 20.5 -> "20" (%.0f rounds the tie to even)
      [24576, '25 kB'],
      [2147483648, '2.1 GB'],
      [1_500_000, '1.5 MB'],
    ];
    for (const [n, want] of cases) expect(humanizeBytes(n), String(n)).toBe(want);
  });

  it('time.Duration.String', () => {
    const cases: Array<[number, string]> = [
      [0, '0s'],
      [0.85, '850µs'],
      [2.5, '2.5ms'],
      [1200, '1.2s'],
      [65_000, '1m5s'],
      [5000, '5s'],
    ];
    for (const [ms, want] of cases) expect(goDuration(ms), String(ms)).toBe(want);
  });

  it("tablewriter's box: headers upper-cased and centred (odd gap: the extra space right), cells right-aligned", () => {
    expect(renderTable(['a', 'Is Learner'], [['xyz', 'false']])).toBe(
      ['+-----+------------+', '|  A  | IS LEARNER |', '+-----+------------+', '| xyz |      false |', '+-----+------------+'].join('\n'),
    );
    expect(renderTable(['Status'], [['started']]).split('\n')[1]).toBe('| STATUS  |');
  });
});
