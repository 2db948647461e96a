import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { rngFromSeed } from '../core/rng';
import { TraceRecorder } from '../core/trace';
import type { WorldSpec } from './collector';
import { gogcEvents } from './events';
import { GreenTea, objectsPerSpanScan, scanLocality, usesSpanInlineMarkBits } from './greentea';
import { Heap } from './heap';
import { randomWorld } from './mutator';
import { runCycle } from './sim';
import type { MarkerKind } from './types';

/**
 * `chains` lists hanging off the globals; node d of each list has 2 pointer fields (class 2,
 * 16 bytes) when d is even and 3 (class 3, 24 bytes) when odd, so a list alternates between two
 * spans. The classic marker follows one list to its end (LIFO) and changes span on every scan;
 * Green Tea scans the heads of every list in one span scan, then every second node, and so on.
 */
function chainsWorld(chains: number, depth: number): WorldSpec {
  const objects = Array.from({ length: chains * depth }, (_, i) => {
    const d = i % depth;
    const fields: Array<number | null> = new Array<number | null>(d % 2 === 0 ? 2 : 3).fill(null);
    if (d + 1 < depth) fields[0] = i + 1;
    return { fields };
  });
  return { objects, globals: Array.from({ length: chains }, (_, c) => c * depth), goroutines: [] };
}

function runChains(marker: MarkerKind) {
  const trace = new TraceRecorder();
  const r = runCycle({ world: chainsWorld(4, 4), barrier: 'hybrid', marker, env: newEnv({ trace }) });
  return { ...r, trace };
}

describe('which objects Green Tea marks per span', () => {
  it('spans of 16 to 512-byte objects carry inline mark bits; the 8-byte class does not', () => {
    // ref: 'gcUsesSpanInlineMarkBits' (heapBitsInSpan(size) && size >= 16)
    expect([1, 2, 3, 10].map(usesSpanInlineMarkBits)).toEqual([false, true, true, true]);
  });
});

describe('the span queue and the inline mark bits', () => {
  const heap = new Heap();
  const [a, b, c] = [heap.alloc(2, 'white'), heap.alloc(2, 'white'), heap.alloc(3, 'white')];

  it('queues a span once however many of its objects are marked (tryAcquire), FIFO across spans', () => {
    const gt = new GreenTea();
    expect([gt.mark(a), gt.mark(b), gt.mark(c)]).toEqual([true, false, true]);
    expect(gt.spanq).toEqual([
      { spanId: a.spanId, objIndex: a.objIndex },
      { spanId: c.spanId, objIndex: c.objIndex },
    ]);
    expect(gt.bitsOf(a.spanId).owned).toBe('manyMark');
    expect(gt.bitsOf(c.spanId).owned).toBe('oneMark');
    // The first span out scans both marked objects at once; the second takes the one-mark path.
    expect(gt.nextSpan()).toEqual({ ref: { spanId: a.spanId, objIndex: 0 }, slots: [0, 1], oneMark: false });
    expect(gt.nextSpan()).toEqual({ ref: { spanId: c.spanId, objIndex: 0 }, slots: [0], oneMark: true });
    expect(gt.nextSpan()).toBeUndefined();
  });

  it('releases the span before scanning: a mark set afterwards queues it again, and scanned objects are not scanned twice', () => {
    const gt = new GreenTea();
    gt.mark(a);
    expect(gt.nextSpan()?.slots).toEqual([0]);
    expect(gt.bitsOf(a.spanId)).toMatchObject({ owned: 'unowned', scans: new Set([0]) });
    gt.mark(b);
    gt.mark(a); // already scanned: the mark bit is set again, nothing new to scan for it
    expect(gt.nextSpan()).toMatchObject({ slots: [1], oneMark: false });
  });

  it('an object allocated while marking is marked and scanned at once (black), so no span scan visits it', () => {
    const gt = new GreenTea();
    gt.allocBlack(a);
    expect(gt.spanq).toEqual([]);
    expect(gt.bitsOf(a.spanId)).toMatchObject({ marks: new Set([0]), scans: new Set([0]) });
  });
});

describe('classic and Green Tea on the same heap', () => {
  it('classic follows each list down, changing span on every scan; Green Tea scans each span once per round', () => {
    const classic = runChains('classic').collector.stats;
    const greentea = runChains('greentea').collector.stats;
    expect(classic).toMatchObject({ objectsScanned: 16, objectScans: 16, spanScans: 0, sameSpanScans: 0 });
    expect(greentea).toMatchObject({ objectsScanned: 16, objectScans: 0, spanScans: 4, spanObjectsScanned: 16, oneMarkScans: 0, sameSpanScans: 12 });
    expect(objectsPerSpanScan(greentea)).toBe(4);
    expect([scanLocality(classic), scanLocality(greentea)]).toEqual([0, 12 / 15]);
  });

  it('both markers free the same garbage when no mutator runs', () => {
    const world = chainsWorld(3, 3);
    world.globals = [0]; // lists 1 and 2 are garbage
    // Sorted: sweep frees span by span (the lists' classes alternate between two spans).
    const freed = (marker: MarkerKind) => [...runCycle({ world, barrier: 'hybrid', marker }).freed].sort((x, y) => x - y);
    expect(freed('greentea')).toEqual(freed('classic'));
    expect(freed('greentea')).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('objects of the 8-byte class go one by one under Green Tea too', () => {
    const world: WorldSpec = { objects: [{ fields: [1] }, { fields: [2] }, { fields: [] }], globals: [0], goroutines: [] };
    const stats = runCycle({ world, barrier: 'hybrid', marker: 'greentea' }).collector.stats;
    expect(stats).toMatchObject({ objectsScanned: 3, objectScans: 3, spanScans: 0 });
  });

  it('prints the Green Tea trace of the lists as the golden file', async () => {
    const text = runChains('greentea').trace.events.map((e) => gogcEvents.text(e)).join('\n') + '\n';
    await expect(text).toMatchFileSnapshot('testdata/greentea-chains.txt');
  });

  it('replays a random world under Green Tea byte for byte, and links scanSpan at go1.26.0', () => {
    const traces = [new TraceRecorder(), new TraceRecorder()];
    for (const trace of traces) {
      const rng = rngFromSeed(11);
      runCycle({ world: randomWorld(rng.fork('world')), barrier: 'hybrid', rng, marker: 'greentea', env: newEnv({ trace }) });
    }
    expect(JSON.stringify(traces[1].events)).toBe(JSON.stringify(traces[0].events));
    const span = traces[0].events.find((e) => e.type === 'gogc.scanspan')!;
    expect(gogcEvents.source(span)?.href).toBe('https://github.com/golang/go/blob/go1.26.0/src/runtime/mgcmark_greenteagc.go');
  });
});

describe('the lost object under Green Tea (barriers work the same)', () => {
  // A (2 fields, span of class 2) and B (3 fields, span of class 3), C (class 2) only in B.
  // Globals [A, B] queue A's span then B's: FIFO scans A's span first, so A is black, B grey.
  // g0 then moves C from B into A and drops its stack copy (as in classic.test.ts).
  const world = (): WorldSpec => ({
    objects: [{ fields: [null, null] }, { fields: [2, null, null] }, { fields: [null, null] }],
    globals: [0, 1],
    goroutines: [
      {
        slots: [0, 1, null, null],
        program: [
          { op: 'load', dst: 2, obj: 1, field: 0 },
          { op: 'store', obj: 0, field: 0, src: 2 },
          { op: 'store', obj: 1, field: 0, src: 3 },
          { op: 'drop', dst: 2 },
        ],
      },
    ],
  });
  const run = (barrier: 'none' | 'hybrid') => {
    const trace = new TraceRecorder();
    const r = runCycle({ world: world(), barrier, marker: 'greentea', schedule: ['M', 'M', 'M', 0, 0, 0, 0], env: newEnv({ trace }) });
    return { ...r, lines: trace.events.map((e) => gogcEvents.text(e)) };
  };

  it('scans the span queued first (FIFO): A before B', () => {
    expect(run('none').lines).toContain('step 4: scanSpan span 0 (class 2, one mark): obj1');
  });

  it('is lost with no barrier and kept by the hybrid barrier', () => {
    expect(run('none').lost.map((b) => b.id)).toEqual([3]);
    const hybrid = run('hybrid');
    expect(hybrid.lost).toEqual([]);
    expect(hybrid.lines).toContain('step 7: g0 hybrid barrier obj2.f[0]: obj3 -> nil shaded obj3');
  });
});
