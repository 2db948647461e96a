import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder, type TraceEvent } from '../core/trace';
import { Collector, type WorldSpec } from './collector';
import * as cost from './cost';
import { gogcEvents } from './events';
import { randomWorld } from './mutator';
import { phaseWallNs, runCycle, type CycleOptions } from './sim';
import type { BarrierKind, GcPhase } from './types';

const traced = (o: CycleOptions) => {
  const trace = new TraceRecorder();
  const r = runCycle({ ...o, env: newEnv({ trace }) });
  return { ...r, events: trace.events };
};
const ofType = (events: TraceEvent[], type: string) => events.filter((e) => e.type === type);

/** A full binary tree of `n` objects under global 0, plus `garbage` unreachable objects. */
function tree(n: number, garbage = 0): WorldSpec {
  const objects = Array.from({ length: n + garbage }, (_, i) => ({ fields: i < n ? [2 * i + 1, 2 * i + 2].map((c) => (c < n ? c : null)) : [null] }));
  return { objects, globals: [0], goroutines: [] };
}

/** STW pause with nothing to do inside but the bookkeeping. */
const EMPTY_PAUSE_NS = cost.STOP_THE_WORLD_NS + cost.STW_BOOKKEEPING_NS + cost.START_THE_WORLD_NS;

describe('a cycle in time (mgc.go: gcStart, gcMarkDone, gcMarkTermination, gcSweep)', () => {
  it('goes off -> sweep termination -> mark -> mark termination -> sweep -> off, with two pauses named after stwReason', () => {
    const r = traced({ world: tree(7, 3), barrier: 'hybrid' });
    expect(ofType(r.events, 'gogc.phase').map((e) => e.phase as GcPhase)).toEqual(['sweeptermination', 'mark', 'marktermination', 'sweep', 'off']);
    expect(r.pauses.map((p) => [p.reason, p.pauseNs])).toEqual([
      ['GC sweep termination', EMPTY_PAUSE_NS],
      ['GC mark termination', EMPTY_PAUSE_NS],
    ]);
    expect(ofType(r.events, 'gogc.stw').map((e) => gogcEvents.text(e))).toEqual([
      'step 1: stop the world (GC sweep termination)',
      'step 1: start the world (GC sweep termination, paused 17µs)',
      `step ${r.pauses[1].step}: stop the world (GC mark termination)`,
      `step ${r.pauses[1].step}: start the world (GC mark termination, paused 17µs)`,
    ]);
    expect(gogcEvents.source(ofType(r.events, 'gogc.stw')[0])?.label).toBe('stopTheWorldWithSema');
  });

  it('prices each unit of work (cost.ts) and stamps every event with `at` (ns) and the clock (`t`, ms)', () => {
    const r = traced({ world: tree(7, 3), barrier: 'hybrid' });
    // Roots: the globals (1 word); 7 objects of 2 words scanned; 2 spans swept (7 live + 3 garbage objects).
    const mark = cost.MARKROOT_NS + cost.ROOT_WORD_NS * 1 + 7 * (cost.SCANOBJECT_NS + 2 * cost.SCAN_WORD_NS);
    expect(r.cpu.idleNs).toBe(mark); // no goroutine could run: the idle worker did it all
    expect(r.cpu.backgroundNs).toBe(0);
    expect(r.cpu.pauseNs).toBe(2 * EMPTY_PAUSE_NS);
    const spans = r.collector.heap.spans;
    expect(r.cpu.sweepNs).toBe(spans.reduce((ns, s) => ns + cost.SWEEP_SPAN_NS, 0) + 10 * cost.SWEEP_OBJECT_NS);
    const total = Object.values(r.cpu).reduce((a, b) => a + b, 0);
    expect(total).toBe(r.durationNs);
    for (const e of r.events) expect(e.t).toBeCloseTo((e.at as number) / 1e6, 12);
    expect(r.times).toEqual({
      tSweepTerm: 0,
      tMark: EMPTY_PAUSE_NS,
      tMarkTerm: EMPTY_PAUSE_NS + mark,
      tEnd: 2 * EMPTY_PAUSE_NS + mark,
      tSweepDone: r.durationNs,
    });
    expect(phaseWallNs(r.times)).toEqual({ sweepTermination: EMPTY_PAUSE_NS, mark, markTermination: EMPTY_PAUSE_NS, sweep: r.cpu.sweepNs });
  });

  it('charges marker turns to the background worker while a goroutine can run, to the idle worker when none can', () => {
    const world = randomWorld(rngFromSeed(3), { opsPerGoroutine: 40 });
    const r = runCycle({ world, barrier: 'hybrid', rng: rngFromSeed(3) });
    expect(r.cpu.backgroundNs).toBeGreaterThan(0);
    expect(r.cpu.mutatorNs).toBe(r.collector.goroutines.reduce((n, g) => n + g.pc, 0) * cost.MUTATOR_OP_NS);
  });
});

describe('mark assists (mgcmark.go: gcAssistAlloc; malloc.go: deductAssistCredit)', () => {
  // A tree to mark, and g0 allocating 8 two-word objects straight away while marking.
  const allocWorld = (): WorldSpec => ({
    ...tree(31),
    goroutines: [{ slots: [null, null], program: Array.from({ length: 8 }, () => ({ op: 'alloc' as const, dst: 0, nfields: 2 })) }],
  });

  it('a goroutine allocating while marking goes into debt and pays it with scan work (assist CPU, not background)', () => {
    const r = traced({ world: allocWorld(), barrier: 'hybrid', schedule: [0, 0, 0, 0] });
    const assists = ofType(r.events, 'gogc.assist');
    expect(assists.length).toBeGreaterThan(0);
    const first = assists[0];
    // 16 bytes allocated at a ratio of about 1 work/byte, raised to the over-assist minimum (64 B).
    expect(first).toMatchObject({ g: 0, debtBytes: 16, stolen: 0 });
    expect(first.scanWork).toBeGreaterThanOrEqual(64);
    expect(first.workDone).toBeGreaterThanOrEqual(first.scanWork as number);
    expect(first.assistBytes).toBeGreaterThanOrEqual(0);
    expect(r.cpu.assistNs).toBeGreaterThan(0);
    expect(gogcEvents.text(first)).toMatch(/^step 2: g0 assist: owes \d+ B of scan work for 16 B allocated, stole 0, scanned \d+, balance \d+ B$/);
    expect(r.lost).toEqual([]);
  });

  it('steals the background workers credit before scanning itself (bgScanCredit)', () => {
    // The marker scans first (credit), then g0 allocates.
    const r = traced({ world: allocWorld(), barrier: 'hybrid', schedule: ['M', 'M', 'M', 'M', 0] });
    const first = ofType(r.events, 'gogc.assist')[0];
    expect(first.stolen).toBeGreaterThan(0);
  });

  it('with assists off, allocation never scans', () => {
    const r = traced({ world: allocWorld(), barrier: 'hybrid', schedule: [0, 0, 0, 0], assists: false });
    expect(ofType(r.events, 'gogc.assist')).toEqual([]);
    expect(r.cpu.assistNs).toBe(0);
  });
});

describe('a timed trace (golden)', () => {
  it('shows every event with its virtual time: the pauses, an assist, the lazy and background sweep', async () => {
    // A 7-object tree and 2 garbage objects; g0 drops its root copy, allocates during mark (assist)
    // and again during sweep (lazy sweep of class 2's span).
    const world: WorldSpec = {
      ...tree(7, 2),
      goroutines: [{ slots: [0, null], program: [{ op: 'alloc', dst: 1, nfields: 2 }, { op: 'drop', dst: 0 }, { op: 'alloc', dst: 1, nfields: 2 }] }],
    };
    const schedule = [0, 'M', 'M', 'M', 'M', 'M', 0, 0] as const;
    const r = traced({ world, barrier: 'hybrid', schedule: [...schedule] });
    const text = r.events.map((e) => `${String(e.at).padStart(7)} ns  ${gogcEvents.text(e)}`).join('\n') + '\n';
    await expect(text).toMatchFileSnapshot('testdata/phases-timed.txt');
    expect(ofType(r.events, 'gogc.assist')).toHaveLength(1);
    expect(ofType(r.events, 'gogc.sweep').map((e) => e.by)).toContain('alloc');
  });
});

describe('concurrent sweep (mgcsweep.go: bgsweep; mcentral.go: cacheSpan)', () => {
  it('an allocation during sweep sweeps its class first (lazy), the rest is the background sweeper', () => {
    const world: WorldSpec = { ...tree(3, 2), goroutines: [{ slots: [null], program: [{ op: 'drop', dst: 0 }, { op: 'alloc', dst: 0, nfields: 1 }] }] };
    // Mark alone (M turns) until the sweep phase, then g0 runs its two ops.
    const trace = new TraceRecorder();
    const c = new Collector(world, { barrier: 'hybrid' }, newEnv({ trace }));
    c.start();
    while (c.phase !== 'sweep') c.stepMarker();
    c.stepMutator(c.goroutines[0]);
    c.stepMutator(c.goroutines[0]);
    while (!c.done) c.stepMarker();
    const sweeps = ofType(trace.events, 'gogc.sweep').map((e) => [e.sizeclass, e.by]);
    expect(sweeps).toEqual([
      [1, 'alloc'],
      [2, 'bgsweep'],
    ]);
    expect(c.cpu.lazySweepNs).toBeGreaterThan(0);
    // The new object went into the swept span, white: the next cycle's colour.
    expect([...c.heap.objects.values()].every((o) => o.color === 'white')).toBe(true);
  });
});

describe("sweep termination finishes the last cycle's sweep (mgc.go gcStart: finishsweep_m)", () => {
  it('a cycle started while spans are unswept sweeps them inside its first pause; starting while marking is refused', () => {
    const trace = new TraceRecorder();
    const c = new Collector(tree(3, 40), { barrier: 'hybrid' }, newEnv({ trace }));
    c.start();
    expect(() => c.start()).toThrow('gcStart: a cycle is already in mark');
    while (c.phase !== 'sweep') c.stepMarker();
    const unswept = [...c.unswept];
    expect(unswept.length).toBe(2);
    c.start();
    const swept = ofType(trace.events, 'gogc.sweep').map((e) => [e.spanId, e.by]);
    expect(swept).toEqual(unswept.map((id) => [id, 'finishsweep']));
    expect(c.pauses[2]).toMatchObject({ reason: 'GC sweep termination' });
    expect(c.pauses[2].pauseNs).toBeGreaterThan(EMPTY_PAUSE_NS);
    expect(c.freed).toHaveLength(40);
  });
});

describe("sweep: 'synchronous' (mgc.go gcSweep outside gcBackgroundMode)", () => {
  it('sweeps every span inside mark termination\'s pause: the cycle ends with the marker\'s last step', () => {
    const trace = new TraceRecorder();
    const c = new Collector(tree(7, 3), { barrier: 'hybrid', sweep: 'synchronous' }, newEnv({ trace }));
    c.start();
    while (c.marking) c.stepMarker();
    expect(c.done).toBe(true);
    expect(c.freed).toHaveLength(3);
    expect(ofType(trace.events, 'gogc.sweep').every((e) => e.by === 'stw')).toBe(true);
    const sweepNs = c.cpu.pauseNs - 2 * EMPTY_PAUSE_NS;
    expect(sweepNs).toBe(2 * cost.SWEEP_SPAN_NS + 10 * cost.SWEEP_OBJECT_NS);
    expect(c.pauses[1].pauseNs).toBe(EMPTY_PAUSE_NS + sweepNs);
    expect(c.times.tSweepDone).toBe(c.times.tEnd);
  });
});

describe('the historic stop-the-world collector (Go <= 1.4, collector: "stw")', () => {
  it('stops the world once for the whole mark and sweep; the concurrent collector pauses far less on the same heap', () => {
    const world = tree(255, 100);
    const stw = traced({ world, barrier: 'none', collector: 'stw' });
    const conc = traced({ world, barrier: 'hybrid' });
    expect(stw.pauses).toHaveLength(1);
    expect(stw.pauses[0]).toMatchObject({ reason: 'stop-the-world GC', pauseNs: stw.durationNs });
    expect([...stw.freed].sort((a, b) => a - b)).toEqual([...conc.freed].sort((a, b) => a - b));
    expect(stw.lost).toEqual([]);
    const concMax = Math.max(...conc.pauses.map((p) => p.pauseNs));
    expect(concMax).toBe(EMPTY_PAUSE_NS);
    // The same mark and sweep work, all of it inside the one pause (plus both bookkeepings).
    const work = conc.cpu.idleNs + conc.cpu.sweepNs;
    expect(stw.pauses[0].pauseNs).toBe(cost.STOP_THE_WORLD_NS + 2 * cost.STW_BOOKKEEPING_NS + cost.START_THE_WORLD_NS + work);
    expect(stw.pauses[0].pauseNs).toBeGreaterThan(2 * concMax);
    expect(ofType(stw.events, 'gogc.phase').map((e) => e.phase)).toEqual(['sweeptermination', 'mark', 'marktermination', 'sweep', 'off']);
  });
});

// Properties over random worlds and schedules, both collectors and every barrier.
const seeds = fc.integer({ min: 0, max: 1_000_000 });
const barriers = fc.constantFrom<BarrierKind>('hybrid', 'dijkstra', 'yuasa', 'none');

describe('properties of time, pauses, assists and sweep', () => {
  it('time never goes back; no mutator op runs inside a pause; every assist pays its debt unless mark work ran out', () => {
    fc.assert(
      fc.property(seeds, barriers, fc.constantFrom('concurrent' as const, 'stw' as const), (seed, barrier, collector) => {
        const rng = rngFromSeed(seed);
        const r = traced({ world: randomWorld(rng.fork('world'), { opsPerGoroutine: 30 }), barrier, rng, collector });
        let last = 0;
        let stopped = false;
        for (const e of r.events) {
          expect(e.at as number, `seed ${seed}`).toBeGreaterThanOrEqual(last);
          last = e.at as number;
          if (e.type === 'gogc.stw') stopped = e.world === 'stop';
          if (e.type === 'gogc.op') expect(stopped, `seed ${seed}: op inside a pause`).toBe(false);
          if (e.type === 'gogc.assist') {
            const paid = (e.assistBytes as number) >= 0;
            const ranOut = (e.workDone as number) + (e.stolen as number) < (e.scanWork as number);
            expect(paid || ranOut, `seed ${seed}: ${gogcEvents.text(e)}`).toBe(true);
          }
        }
        expect(stopped).toBe(false);
        const pauses = r.pauses.reduce((n, p) => n + p.pauseNs, 0);
        expect(pauses).toBe(r.cpu.pauseNs);
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('sweep frees exactly the objects still white at mark termination', () => {
    fc.assert(
      fc.property(seeds, barriers, (seed, barrier) => {
        const rng = rngFromSeed(seed);
        const c = new Collector(randomWorld(rng.fork('world'), { opsPerGoroutine: 30 }), { barrier }, newEnv());
        const sched = rng.fork('turns');
        let white: number[] | undefined;
        c.start();
        while (!c.done) {
          const runnable = c.goroutines.filter((g) => c.runnable(g));
          if (runnable.length && sched.int(3) > 0) c.stepMutator(runnable[sched.int(runnable.length)]);
          else c.stepMarker(false, runnable.length === 0);
          if (c.phase === 'sweep' && !white) white = [...c.heap.objects.values()].filter((o) => o.color === 'white').map((o) => o.id);
        }
        expect([...c.freed].sort((a, b) => a - b), `seed ${seed}`).toEqual(white!.sort((a, b) => a - b));
      }),
      { numRuns: 150, seed: 12 },
    );
  });
});

describe('incremental invariant checks (README "Hot spot")', () => {
  it('report exactly what the whole-heap checks after every step report (oracle), on every barrier and both markers', () => {
    fc.assert(
      fc.property(seeds, barriers, fc.constantFrom('classic' as const, 'greentea' as const), (seed, barrier, marker) => {
        const run = (checkEveryStep: boolean) => {
          const rng = rngFromSeed(seed);
          return runCycle({ world: randomWorld(rng.fork('world')), barrier, marker, rng, checkEveryStep }).violations;
        };
        expect(run(false), `seed ${seed}`).toEqual(run(true));
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});
