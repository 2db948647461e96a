import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TraceRecorder, gcCycle, newEnv, randomWorld, rngFromSeed, runCycle, type BarrierKind, type TraceEvent, type Turn, type WorldSpec } from '../../../sim/index';
import { heapRuns, heapStateAt, type WorldSnapshot } from './heap-state';
import { useEnv } from '../../../sim/core/env';
import { Logger } from '../../../sim/core/log';
import { heapMarkup, heapModel } from './heap-view';

/** The lost-object interleaving (src/sim/gogc/classic.test.ts): black A takes white C, grey B drops it. */
const world = (): WorldSpec => ({
  objects: [{ fields: [null] }, { fields: [2] }, { fields: [] }],
  globals: [1, 0],
  goroutines: [{ slots: [0, 1, null, null], program: [
    { op: 'load', dst: 2, obj: 1, field: 0 },
    { op: 'store', obj: 0, field: 0, src: 2 },
    { op: 'store', obj: 1, field: 0, src: 3 },
    { op: 'drop', dst: 2 },
  ] }],
});
const SCHEDULE: Turn[] = ['M', 'M', 'M', 0, 0, 0, 0];

/** The runs' trace; without `snapshot`, the collectors' `gogc.world` events are dropped (the view then infers pointers). */
function traceOf(barriers: BarrierKind[], snapshot = false): TraceEvent[] {
  const trace = new TraceRecorder();
  for (const barrier of barriers) runCycle({ world: world(), barrier, schedule: [...SCHEDULE], env: newEnv({ trace }) });
  return snapshot ? trace.events : trace.events.filter((e) => e.type !== 'gogc.world');
}

const idx = (events: TraceEvent[], from: number, pred: (e: TraceEvent) => boolean) => events.findIndex((e, i) => i >= from && pred(e));

describe('gcheap state', () => {
  it('splits a trace into one run per collector and shows the cursor run', () => {
    const events = traceOf(['none', 'hybrid']);
    const runs = heapRuns(events);
    expect(runs.map((r) => r.barrier)).toEqual(['none', 'hybrid']);
    expect(runs[0].end).toBe(runs[1].start);
    expect(runs.map((r) => r.objectIds)).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(runs[0].roots).toEqual(['globals', 'g0']);
    expect(heapStateAt(events, runs, runs[1].start + 1).runIndex).toBe(1);
  });

  it('none: obj3 is freed while reachable, red, with its root path', () => {
    const events = traceOf(['none']);
    const runs = heapRuns(events);
    const end = heapStateAt(events, runs, events.length);
    expect(end.objects.get(3)).toMatchObject({ freed: true, lost: true });
    expect(end.lostPath).toEqual(['global[1]', 'obj1.f[0]', 'obj3']);
    // Mid-mark, after A's scan: A black, B grey, C white.
    const afterScan = idx(events, 0, (e) => e.type === 'gogc.scan') + 1;
    const mid = heapStateAt(events, runs, afterScan);
    expect([1, 2, 3].map((id) => mid.objects.get(id)?.color ?? 'white')).toEqual(['black', 'grey', 'white']);
    const html = heapMarkup(heapModel(events), events.length);
    expect(html).toMatch(/data-obj="3" data-color="white"/);
    expect(html).toContain('kl-gc-obj is-white is-freed is-lost');
    expect(html).toMatch(/Lost: <b>obj3<\/b> freed while reachable along <code>global\[1\] → obj1\.f\[0\] → obj3<\/code>/);
    expect(html).toContain('kl-gc-edge is-lost');
  });

  it('hybrid: the barrier on obj2.f[0] shades obj3 at its event, and nothing is lost', () => {
    const events = traceOf(['hybrid']);
    const runs = heapRuns(events);
    const at = idx(events, 0, (e) => e.type === 'gogc.barrier' && (e.shaded as number[]).length > 0) + 1;
    const s = heapStateAt(events, runs, at);
    expect(s.barrierAt).toMatchObject({ slot: 'obj2.f[0]', old: 3, new: null, shaded: [3], barrier: 'hybrid' });
    expect(s.objects.get(3)?.color).toBe('grey');
    // Before any write, B's field is known from the barrier's `old`: obj2 -> obj3.
    const start = heapStateAt(events, runs, 1);
    expect([...start.edges.values()].some((e) => e.from === 'obj2' && e.to === 3)).toBe(true);
    const html = heapMarkup(heapModel(events), at);
    expect(html).toContain('kl-gc-obj is-grey is-caught');
    expect(html).toMatch(/hybrid write barrier on <code>obj2\.f\[0\]<\/code> \(obj3 → nil\): <b>shaded obj3<\/b>/);
    // The next event: the ring is gone, the colour stays.
    expect(heapStateAt(events, runs, at + 1).barrierAt).toBeUndefined();
    const end = heapStateAt(events, runs, events.length);
    expect([...end.objects.values()].some((o) => o.lost || o.freed)).toBe(false);
  });

  it('with a gogc.world snapshot, replays the ops: every pointer is exact at every cursor', () => {
    const events = traceOf(['none'], true);
    const runs = heapRuns(events);
    expect(runs).toHaveLength(1);
    expect(runs[0].exact).toBe(true);
    const edges = (c: number) => [...heapStateAt(events, runs, c).edges.values()].map((e) => `${e.from}.${e.label}->${e.to}`).sort();
    expect(edges(1)).toEqual(['g0.stack[0]->1', 'g0.stack[1]->2', 'globals.global[0]->2', 'globals.global[1]->1', 'obj2.f[0]->3']);
    const afterOps = idx(events, 0, (e) => e.type === 'gogc.op' && e.text === 's2 = nil') + 1;
    expect(edges(afterOps)).toEqual(['g0.stack[0]->1', 'g0.stack[1]->2', 'globals.global[0]->2', 'globals.global[1]->1', 'obj1.f[0]->3']);
  });

  it('draws every object once with a colour at any cursor of random cycles (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.constantFrom<BarrierKind>('none', 'hybrid', 'dijkstra'), fc.nat(400), (seed, barrier, c) => {
        const trace = new TraceRecorder();
        const rng = rngFromSeed(seed);
        runCycle({ world: randomWorld(rng.fork('world')), barrier, rng, env: newEnv({ trace }) });
        const events = trace.events;
        const cursor = c % (events.length + 1);
        const html = heapMarkup(heapModel(events), cursor);
        const ids = [...html.matchAll(/data-obj="(\d+)" data-color="(white|grey|black)"/g)].map((m) => Number(m[1]));
        expect(new Set(ids).size).toBe(ids.length);
        // Colours agree with the events: an object scanned before the cursor (and not reset) is black.
        const s = heapStateAt(events, heapRuns(events), cursor);
        for (const e of events.slice(0, cursor)) if (e.type === 'gogc.scan' && s.phase === 'mark') expect(s.objects.get(e.id as number)?.color).toBe('black');
      }),
      { numRuns: 60 },
    );
  });

  it('says so for a trace without the collector', () => {
    expect(heapMarkup(heapModel([]), 0)).toMatch(/Run your code/);
  });
});

describe('gcheap phase strip', () => {
  it('draws stop-the-world pauses and assists when the trace has them, on a time axis when times differ', () => {
    const trace = new TraceRecorder();
    const ev = (t: number, type: string, fields: Record<string, unknown>) => trace.emit(t, 'gogc', type, fields as never);
    ev(0, 'gogc.stw', { step: 1, reason: 'GC sweep termination', pauseNs: 20_000 });
    ev(0.02, 'gogc.phase', { step: 1, phase: 'mark', barrier: 'hybrid' });
    ev(0.5, 'gogc.assist', { step: 4, g: 0, assistNs: 3_000 });
    ev(1, 'gogc.stw', { step: 9, reason: 'GC mark termination', pauseNs: 40_000 });
    ev(1, 'gogc.phase', { step: 9, phase: 'marktermination', barrier: 'hybrid' });
    ev(1.04, 'gogc.phase', { step: 9, phase: 'off', barrier: 'hybrid' });
    const html = heapMarkup(heapModel(trace.events), trace.events.length);
    expect(html.match(/class="kl-gc-pause kl-gc-stw"/g)).toHaveLength(2);
    expect(html).toContain('<title>stop the world: GC mark termination (40 µs)</title>');
    expect(html).toContain('<title>assist by g0 (3 µs)</title>');
    expect(html).toMatch(/virtual time · 2 stop-the-world pauses \(marks above\) · 1 assist \(marks below\)/);
  });
  it('draws each of the model\'s stop ... start pauses once, from the stop to the start, not across the mark', () => {
    const events = traceOf(['none'], true);
    const html = heapMarkup(heapModel(events), events.length);
    expect(html).toMatch(/virtual time · 2 stop-the-world pauses/);
    const rects = [...html.matchAll(/class="kl-gc-pause kl-gc-stw"><title>([^<]*)<\/title><rect x="([\d.]+)" y="\d+" width="([\d.]+)"/g)].map((m) => ({ title: m[1], x0: Number(m[2]), x1: Number(m[2]) + Number(m[3]) }));
    expect(rects.map((r) => r.title)).toEqual(['stop the world: GC sweep termination (17 µs)', 'stop the world: GC mark termination (17 µs)']);
    const band = (phase: string) => {
      const m = new RegExp(`kl-gc-ph-${phase}"><title>[^<]*</title><rect x="([\\d.]+)" y="\\d+" width="([\\d.]+)"`).exec(html)!;
      return { x0: Number(m[1]), x1: Number(m[1]) + Number(m[2]) };
    };
    // As in gcStart and gcMarkDone, the world stops before a phase change and starts after it:
    // each pause covers its termination phase and ends inside the strip, never across the mark.
    const mark = band('mark');
    expect(rects[0].x0).toBeLessThanOrEqual(band('sweeptermination').x0);
    expect(rects[0].x1).toBeLessThan(mark.x1);
    expect(rects[1].x0).toBeGreaterThan(mark.x0);
    expect(rects[1].x1).toBeLessThanOrEqual(band('off').x0);
  });
});

describe('gcheap on the Go session (goproc.heap snapshots)', () => {
  it('takes colours, pointers and scanned stacks from the snapshot, then follows the gogc steps after it', () => {
    const trace = new TraceRecorder();
    const snap = {
      step: 3,
      phase: 'mark',
      objects: [
        { id: 1, sizeclass: 1, spanId: 0, objIndex: 0, color: 'black', fields: [null] },
        { id: 2, sizeclass: 1, spanId: 0, objIndex: 1, color: 'grey', fields: [3] },
        { id: 3, sizeclass: 1, spanId: 0, objIndex: 2, color: 'white', fields: [] },
      ],
      globals: [2, 1],
      stacks: [{ g: 0, slots: [1, 2, null, null], scanned: true, pc: 0, ops: 4 }],
      work: [2],
    };
    trace.emit(0, 'goproc', 'goproc.heap', snap as never);
    trace.emit(0, 'gogc', 'gogc.op', { step: 4, g: 0, pc: 0, text: 's2 = s1.f[0]' });
    trace.emit(0, 'gogc', 'gogc.op', { step: 5, g: 0, pc: 1, text: 's0.f[0] = s2' });
    const events = trace.events;
    const runs = heapRuns(events);
    expect(runs).toHaveLength(1);
    expect(runs[0].exact).toBe(true);
    const s = heapStateAt(events, runs, events.length);
    expect([1, 2, 3].map((id) => s.objects.get(id)!.color)).toEqual(['black', 'grey', 'white']);
    expect(s.roots.get('g0')!.scanned).toBe(true);
    expect(s.roots.get('globals')!.scanned).toBe(true);
    expect(s.phase).toBe('mark');
    // The op replay: g0's slot 2 took obj3, then obj1's field 0 took it (black -> white).
    expect([...s.edges.values()].map((e) => `${e.from}.${e.label}->${e.to}`).sort()).toEqual(['g0.stack[0]->1', 'g0.stack[1]->2', 'g0.stack[2]->3', 'globals.global[0]->2', 'globals.global[1]->1', 'obj1.f[0]->3', 'obj2.f[0]->3']);
    expect(heapMarkup(heapModel(events), events.length)).toContain('span 0 · class 1');
  });
});

describe('a lab world with names', () => {
  it('labels each object with its name in the graph and its title', () => {
    const trace = new TraceRecorder();
    const restore = useEnv({ trace, log: new Logger() });
    try {
      const r = gcCycle({ world: { objects: { a: ['c'], b: ['c'], c: [null] }, globals: ['a', 'b'], goroutines: [] }, barrier: 'hybrid', seed: 3 });
      expect(r.freed).toEqual([]);
    } finally {
      restore();
    }
    const events = trace.events;
    const model = heapModel(events);
    const html = heapMarkup(model, events.length);
    // After sweep every survivor is white again, for the next cycle.
    expect(html).toContain('<title>a (obj1): white</title>');
    expect(html).toMatch(/>c<\/text>/);
  });
});
