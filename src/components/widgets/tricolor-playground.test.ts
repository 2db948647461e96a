import { describe, expect, it } from 'vitest';
import { SCENARIOS, TriColorSim } from './tricolor-playground';
import { runCycle, type BarrierKind } from '../../sim/index';

const run = (scenario: string, barrier: BarrierKind) => {
  const sim = new TriColorSim(scenario, barrier);
  sim.runToEnd();
  return sim.view();
};

// What the gc lessons say about each program, checked on the widget's own runs.
describe('TriColorPlayground', () => {
  it.each([
    ['black-takes-white', 'none', ['global[1] -> A.f[0] -> C']],
    ['black-takes-white', 'dijkstra', []],
    ['black-takes-white', 'yuasa', []],
    ['black-takes-white', 'hybrid', []],
    ['heap-to-stack', 'none', ['g0.stack[1] -> C']],
    ['heap-to-stack', 'dijkstra', []],
    ['heap-to-stack', 'hybrid', []],
    ['stack-to-heap', 'none', ['global[0] -> A.f[0] -> C']],
    ['stack-to-heap', 'hybrid', []],
  ] as const)('%s with %s loses %j', (scenario, barrier, lost) => {
    const v = run(scenario, barrier);
    expect(v.done).toBe(true);
    expect(v.lost).toEqual(lost);
    expect(v.objects.find((o) => o.label === 'C')!.freed).toBe(lost.length > 0);
  });

  it('steps one turn at a time: gcStart, the root jobs, then the goroutine', () => {
    const sim = new TriColorSim('black-takes-white', 'hybrid');
    expect(sim.view().next).toBe('gcStart: phase mark, write barrier on');
    sim.step();
    expect(sim.view().next).toBe('marker: markroot globals');
    sim.step();
    sim.step();
    expect(sim.view().stacks[0].scanned).toBe(true);
    sim.step(); // scan A
    expect(sim.view().objects.map((o) => `${o.label}:${o.color}`)).toEqual(['A:black', 'B:grey', 'C:white']);
    expect(sim.view().next).toBe('g0 runs: s2 = s1.f[0]');
  });

  it('the barrier lines name the objects by their letters', () => {
    const v = run('black-takes-white', 'hybrid');
    expect(v.lines.filter((l) => l.kind === 'barrier').map((l) => l.text)).toEqual(['step 6: g0 hybrid barrier A.f[0]: nil -> C', 'step 7: g0 hybrid barrier B.f[0]: C -> nil shaded C']);
  });

  it('the first scenario matches runCycle with the same schedule', () => {
    const s = SCENARIOS[0];
    for (const barrier of ['none', 'dijkstra', 'yuasa', 'hybrid'] as const) {
      const r = runCycle({ world: s.world(), barrier, schedule: s.turns.map((t) => (t === 'M*' ? 'M' : t)) });
      expect(run(s.id, barrier).lost.length).toBe(r.lost.length);
    }
  });

  it('after sweep, a pointer to a freed object says so (the dangling pointer a lost object leaves)', () => {
    const v = run('black-takes-white', 'none');
    expect(v.objects.find((o) => o.label === 'A')!.fields).toEqual(['C (freed)']);
    expect(v.lines.filter((l) => l.kind === 'bad').map((l) => l.text)).toContain('step 10: free C (class 1, span 0)');
  });

  it('rejects an unknown scenario with the ones it knows', () => {
    expect(() => new TriColorSim('nope', 'none')).toThrow(/black-takes-white, heap-to-stack, stack-to-heap/);
  });
});
