import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT, heapPath, niceMax, pacerChart } from './pacer-playground';
import { runGcWorkload } from '../../sim/index';

const MiB = 2 ** 20;

// The chart is the pacer model's run, redrawn: the same cycles, goals and gctrace lines.
describe('PacerPlayground chart', () => {
  it('draws the cycles runGcWorkload runs, with their goals and gctrace lines', () => {
    const chart = pacerChart({ ...DEFAULT_INPUT, GOGC: 'off', limitMiB: 120 });
    const run = runGcWorkload({ allocBytesPerSec: 200 * MiB, liveHeapBytes: 64 * MiB, gomaxprocs: 4, durationMs: 3000, GOGC: 'off', GOMEMLIMIT: '120MiB' });
    expect(chart.gctrace).toEqual(run.gctrace);
    expect(chart.cycles.map((c) => c.goalMiB)).toEqual(run.cycles.map((c) => c.goal / MiB));
    expect(chart.peakMiB).toBe(run.peakHeapLive / MiB);
    // Three points per cycle (start, mark termination, end), plus the origin and the end of the run.
    expect(chart.heap).toHaveLength(run.cycles.length * 3 + 2);
    expect(chart.gcCpuPercent).toBe(Number(/ (\d+)%:/.exec(run.gctrace.at(-1)!)![1]));
  });

  it('the defaults overshoot a 128 MiB pod; a limit with headroom keeps the heap under it', () => {
    expect(pacerChart(DEFAULT_INPUT).peakMiB).toBeGreaterThan(128);
    const limited = pacerChart({ ...DEFAULT_INPUT, limitMiB: 120 });
    expect(limited.peakMiB).toBeLessThan(128);
    expect(Math.max(...limited.cycles.map((c) => c.goalMiB))).toBeLessThan(120);
  });

  it('a live heap above the limit: cycles back to back, the heap past the limit, and on one P the CPU limiter', () => {
    const fits = pacerChart({ ...DEFAULT_INPUT, GOGC: 'off', limitMiB: 120 });
    const spiral = pacerChart({ ...DEFAULT_INPUT, GOGC: 'off', limitMiB: 100, liveMiB: 160 });
    expect(spiral.peakMiB).toBeGreaterThan(160);
    expect(spiral.cycles.length).toBeGreaterThan(2 * fits.cycles.length);
    expect(spiral.gcCpuPercent).toBeGreaterThan(4 * fits.gcCpuPercent);
    // With GOMAXPROCS=1 the GC would take more than half the CPU: the limiter's bucket fills.
    const oneP = pacerChart({ ...DEFAULT_INPUT, GOGC: 'off', limitMiB: 100, liveMiB: 160, gomaxprocs: 1, durationMs: 10_000 });
    expect(oneP.cycles.some((c) => c.limited)).toBe(true);
  });

  it('a GOMEMLIMIT the runtime cannot parse is the runtime\'s fatal error, not a chart', () => {
    const chart = pacerChart({ ...DEFAULT_INPUT, limitMiB: -1 });
    expect(chart.fatal).toEqual(['GOMEMLIMIT=-1MiB', 'fatal error: malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`']);
    expect(chart.cycles).toEqual([]);
  });

  it('is a pure function of its input: the same sliders draw the same path', () => {
    const a = heapPath(pacerChart(DEFAULT_INPUT), 3000);
    const b = heapPath(pacerChart(DEFAULT_INPUT), 3000);
    expect(a).toEqual(b);
    expect(a.d.startsWith('M44.0 190.0')).toBe(true);
    expect(a.maxMiB).toBe(200);
  });

  it('scales the axis to 1, 2 or 5 times a power of ten', () => {
    expect([0.7, 1, 3, 120, 149, 201].map(niceMax)).toEqual([1, 1, 5, 200, 200, 500]);
  });
});
