import { describe, expect, it } from 'vitest';
import { TraceRecorder } from '../core/trace';
import { newEnv } from '../core/env';
import { runCycle, type Turn } from './sim';
import type { WorldSpec } from './collector';
import type { BarrierKind } from './types';
import { gogcEvents } from './events';

/**
 * The lost-object interleaving of the GC literature (Dijkstra et al. 1978; Go proposal 17503):
 * black A takes a pointer to white C while grey B, the only other holder of C, drops it.
 * Objects: A (obj1), B (obj2), C (obj3). Globals [B, A]; g0's stack [A, B, nil, nil].
 */
const world = (): WorldSpec => ({
  objects: [{ fields: [null] }, { fields: [2] }, { fields: [] }],
  globals: [1, 0],
  goroutines: [
    {
      slots: [0, 1, null, null],
      program: [
        { op: 'load', dst: 2, obj: 1, field: 0 }, // s2 = B.f[0]   (C, on the stack: no barrier)
        { op: 'store', obj: 0, field: 0, src: 2 }, // A.f[0] = s2   (black -> white)
        { op: 'store', obj: 1, field: 0, src: 3 }, // B.f[0] = nil  (grey B drops C)
        { op: 'drop', dst: 2 }, //                    s2 = nil       (C only in A now)
      ],
    },
  ],
});
// The roots (globals, then g0's stack), then scan A (popped first: LIFO), then the four mutator
// ops, then the marker finishes. Yuasa scans every root in the starting step, so it needs one M.
const schedule = (barrier: BarrierKind): Turn[] => [...(barrier === 'yuasa' ? ['M' as const] : ['M' as const, 'M' as const, 'M' as const]), 0, 0, 0, 0];

function run(barrier: BarrierKind) {
  const trace = new TraceRecorder();
  const result = runCycle({ world: world(), barrier, schedule: schedule(barrier), env: newEnv({ trace }) });
  return { ...result, trace };
}

describe('the classic lost object (black A takes white C, grey B drops it)', () => {
  it('is lost with no barrier, and every checker reports it with its step and path', () => {
    const r = run('none');
    expect(r.lost.map((b) => b.id)).toEqual([3]);
    expect(r.freed).toEqual([3]);
    const byName = Object.fromEntries(r.violations.map((v) => [v.invariant, v]));
    // Steps: 1 gcStart, 2-4 marker, 5 load (black stack -> white C), 6 store, 7 B drops C.
    expect(byName.strong).toMatchObject({ step: 5, id: 3, path: ['g0.stack[2]', 'obj3'] });
    expect(byName.strongHeap).toMatchObject({ step: 6, id: 3, path: ['obj1.f[0]', 'obj3'] });
    expect(byName.weak).toMatchObject({ step: 7, id: 3, path: ['g0.stack[2]', 'obj3'] });
    expect(byName.lostObject).toMatchObject({ id: 3, path: ['global[1]', 'obj1.f[0]', 'obj3'] });
    const lines = r.trace.events.filter((e) => e.type === 'gogc.violation').map((e) => gogcEvents.text(e));
    expect(lines).toContain('step 7: weak invariant broken at obj3: g0.stack[2] -> obj3');
  });

  it('prints the same trace as the golden file', async () => {
    const text = run('none').trace.events.map((e) => gogcEvents.text(e)).join('\n') + '\n';
    await expect(text).toMatchFileSnapshot('testdata/classic-none.txt');
  });

  for (const barrier of ['dijkstra', 'yuasa', 'hybrid'] as const) {
    it(`is kept alive by the ${barrier} barrier`, () => {
      const r = run(barrier);
      expect(r.lost).toEqual([]);
      expect(r.freed).toEqual([]);
      expect(r.violations.filter((v) => v.invariant === 'weak' || v.invariant === 'markComplete')).toEqual([]);
      expect(r.trace.events.some((e) => e.type === 'gogc.shade' && e.id === 3 && e.cause === 'barrier')).toBe(true);
    });
  }

  it('dijkstra shades the new pointer, yuasa and hybrid (stack black) the old one', () => {
    const shaded = (b: BarrierKind) => run(b).trace.events.filter((e) => e.type === 'gogc.barrier').map((e) => gogcEvents.text(e));
    expect(shaded('dijkstra')).toEqual(['step 6: g0 dijkstra barrier obj1.f[0]: nil -> obj3 shaded obj3', 'step 7: g0 dijkstra barrier obj2.f[0]: obj3 -> nil']);
    expect(shaded('hybrid')).toEqual(['step 6: g0 hybrid barrier obj1.f[0]: nil -> obj3', 'step 7: g0 hybrid barrier obj2.f[0]: obj3 -> nil shaded obj3']);
    expect(shaded('yuasa')).toEqual(['step 4: g0 yuasa barrier obj1.f[0]: nil -> obj3', 'step 5: g0 yuasa barrier obj2.f[0]: obj3 -> nil shaded obj3']);
  });
});
