import { describe, expect, it } from 'vitest';
import { TraceRecorder, runGcWorkload, type GcWorkload } from '../../../sim/index';
import { pacerMarkup, pacerRuns, pacerSvg } from './pacer-view';

const MiB = 2 ** 20;
const workload = (o: Partial<GcWorkload> = {}): GcWorkload => ({ allocBytesPerSec: 400 * MiB, liveHeapBytes: 8 * MiB, gomaxprocs: 4, durationMs: 500, ...o });

function traced(...ws: GcWorkload[]) {
  const trace = new TraceRecorder();
  const results = ws.map((w) => runGcWorkload({ ...w, trace }));
  return { events: trace.events, results };
}

describe('gcpacer view', () => {
  it('the driver emits a start, one event per cycle with its heap, trigger and goal, and an end', () => {
    const { events, results } = traced(workload());
    const cycles = events.filter((e) => e.type === 'gogc.pacer.cycle');
    expect(cycles.length).toBe(results[0].cycles.length);
    expect(cycles.length).toBeGreaterThan(3);
    expect(cycles.map((e) => e.gctrace)).toEqual(results[0].gctrace);
    // Times on the trace are the driver's ns as ms, in order.
    expect(cycles.map((e) => e.t)).toEqual(results[0].cycles.map((c) => c.tEnd / 1e6));
    expect(events[0]).toMatchObject({ type: 'gogc.pacer.start', gcPercent: 100, gomaxprocs: 4 });
    expect(events.at(-1)).toMatchObject({ type: 'gogc.pacer.end', cycles: cycles.length });
    for (const c of cycles) expect(Number(c.heap0)).toBeGreaterThanOrEqual(Number(c.trigger) - 1);
  });

  it('charts the cycles up to the cursor: heap line, goal steps, trigger, a CPU bar per mark phase', () => {
    const { events } = traced(workload());
    const runs = pacerRuns(events);
    const full = pacerSvg(runs[0], events.length);
    const n = runs[0].cycles.length;
    expect(full.match(/class="kl-gcp-cpu/g)).toHaveLength(n);
    expect(full.match(/class="kl-gcp-trigger"/g)).toHaveLength(n);
    expect(full).toContain('class="kl-gcp-goal"');
    const live = /class="kl-gcp-live" points="([^"]+)"/.exec(full)![1].split(' ');
    expect(live).toHaveLength(1 + 3 * n);
    // Two cycles in: two bars, and the axes did not change.
    const two = pacerSvg(runs[0], runs[0].cycles[1].index + 1);
    expect(two.match(/class="kl-gcp-cpu/g)).toHaveLength(2);
    expect(two.match(/kl-gcp-tick/g)).toEqual(full.match(/kl-gcp-tick/g));
    expect(pacerMarkup(events, runs, events.length)).toMatch(/GOGC=<b>100<\/b> · GOMEMLIMIT <b>none<\/b>/);
  });

  it('draws GOMEMLIMIT, and separates two workloads (GOGC=100, then GOGC=off with a limit)', () => {
    const { events } = traced(workload(), workload({ GOGC: 'off', GOMEMLIMIT: '24MiB' }));
    const runs = pacerRuns(events);
    expect(runs.map((r) => r.gcPercent)).toEqual([100, -1]);
    const html = pacerMarkup(events, runs, events.length);
    expect(html).toMatch(/workload 2 of 2 · GOGC=<b>off<\/b> · GOMEMLIMIT <b>24 MiB<\/b>/);
    expect(html).toContain('class="kl-gcp-limit"');
    expect(pacerMarkup(events, runs, runs[0].end)).toMatch(/workload 1 of 2/);
  });

  it('says so without a workload', () => {
    expect(pacerMarkup([], [], 0)).toMatch(/Run your code/);
  });
});

describe('gcpacer view on the Go session (goproc.* events)', () => {
  it('charts ./app runs from goproc.start / goproc.cycle / goproc.exit, the CPU share read from gctrace', () => {
    const trace = new TraceRecorder();
    const { results } = traced(workload());
    const run = results[0];
    trace.emit(0, 'goproc', 'goproc.start', { run: 1, GOGC: '50', GOMEMLIMIT: null, gcPercent: 50, memoryLimit: 2 ** 63, gomaxprocs: 4, allocBytesPerSec: 400 * MiB, liveHeapBytes: 8 * MiB, durationMs: 500, gctrace: 1 });
    for (const c of run.cycles) trace.emit(0, 'goproc', 'goproc.cycle', { run: 1, n: c.n, kind: c.kind, trigger: c.trigger, goal: c.goal, heap0: c.heap0, heap1: c.heap1, heap2: c.heap2, tSweepTerm: c.tSweepTerm, tMark: c.tMark, tMarkTerm: c.tMarkTerm, tEnd: c.tEnd, markUtilization: c.markUtilization, assistTime: c.assistTime, limited: c.limited, gctrace: c.gctrace });
    trace.emit(0, 'goproc', 'goproc.exit', { run: 1, status: 0, numgc: run.cycles.length, heapLive: run.heapLive, peakHeapLive: run.peakHeapLive });
    const runs = pacerRuns(trace.events);
    expect(runs).toHaveLength(1);
    expect(runs[0].cycles).toHaveLength(run.cycles.length);
    expect(runs[0].endNs).toBe(500e6);
    const pct = Number(/@[\d.]+s (\d+)%/.exec(run.gctrace.at(-1)!)![1]);
    expect(runs[0].cycles.at(-1)!.gcCpuFraction).toBe(pct / 100);
    expect(pacerMarkup(trace.events, runs, trace.events.length)).toMatch(new RegExp(`GOGC=<b>50</b>.*GC CPU <b>${pct}\\.0%</b>`));
  });
});
