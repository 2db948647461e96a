// The Go collector model in node (figures, not pass/fail). Run alone with
// `node --import tsx bench/gogc.ts` (add `--json` for the line npm run bench reads).
// Two shapes: one mark phase over a 100,000-object heap (the marker's own cost, then the same
// steps with the invariant checks: the incremental default, and the whole-heap checks after every
// step, checkEveryStep), and the fuzzer's shape:
// runCycle over the small random worlds of the property tests, one seed per cycle, hybrid
// against no barrier.
import { pathToFileURL } from 'node:url';
import { Collector, randomWorld, runCycle, type BarrierKind, type WorldSpec } from '../src/sim/gogc';
import { newEnv } from '../src/sim/core/env';
import { rngFromSeed } from '../src/sim/core/rng';
import type { BenchRow } from './workqueue';

const HEAP = 100_000;
/** Steps measured on the big heap with checkEveryStep: each one walks the whole heap three times. */
const CHECKED_STEPS = 30;
const FUZZ_SEEDS = 2_000;

const k = (n: number) => n.toLocaleString('en-US');

/**
 * `n` live objects: a 4-ary tree under global 0 (object i hangs off field (i-1)%4 of object
 * (i-1)/4), so a mark phase reaches every one; four stacks of 8 slots point into it at random.
 * (randomWorld's trees leave most objects unattached at this size: too little to mark.)
 */
function bigWorld(n: number): WorldSpec {
  const rng = rngFromSeed(1);
  const objects = Array.from({ length: n }, (_, i) => ({ fields: [1, 2, 3, 4].map((f) => (4 * i + f < n ? 4 * i + f : null)) }));
  const goroutines = Array.from({ length: 4 }, () => ({ slots: Array.from({ length: 8 }, () => rng.int(n)), program: [] }));
  return { objects, globals: [0], goroutines };
}

function markBench(): BenchRow[] {
  const world = bigWorld(HEAP);
  let t0 = performance.now();
  const c = new Collector(world, { barrier: 'hybrid' }, newEnv());
  const buildMs = performance.now() - t0;
  c.start(); // gcStart (one whole-heap check, not timed)
  // The marker alone: the loop stepMarker runs (root jobs, then scanobject until the queue is
  // empty), driven through the public steps so no invariant check runs between them.
  t0 = performance.now();
  let steps = 0;
  while (c.rootJobs.length) (c.markroot(c.rootJobs.shift()!, false), steps++);
  while (c.work.length) (c.scanobject(c.work.pop()!), steps++);
  const markMs = performance.now() - t0;
  const black = [...c.heap.objects.values()].filter((o) => o.color === 'black').length;

  // The same heap through stepMarker with the default, incremental checks: a whole mark phase,
  // mark termination's reachability check and the concurrent sweep included.
  const incremental = new Collector(world, { barrier: 'hybrid' }, newEnv());
  t0 = performance.now();
  incremental.start();
  while (!incremental.done) incremental.stepMarker();
  const cycleMs = performance.now() - t0;
  const cycleSteps = incremental.step;

  // The same heap with checkEveryStep: every step checks strong, strongHeap and weak.
  const checked = new Collector(world, { barrier: 'hybrid', checkEveryStep: true }, newEnv());
  t0 = performance.now();
  checked.start();
  for (let i = 1; i < CHECKED_STEPS; i++) checked.stepMarker();
  const checkedMs = performance.now() - t0;
  const perStepMs = checkedMs / CHECKED_STEPS;
  return [
    {
      name: `gogc: a whole cycle over ${k(HEAP)} objects through stepMarker, incremental checks (${k(cycleSteps)} steps: marking, mark termination, sweep)`,
      value: Math.round(cycleMs),
      unit: 'ms',
    },
    { name: `gogc: build a ${k(HEAP)}-object heap (Collector: alloc into spans by size class)`, value: Math.round(buildMs), unit: 'ms' },
    { name: `gogc: one mark phase over ${k(HEAP)} objects, marker alone (${k(steps)} steps, ${k(black)} objects reached)`, value: Math.round(markMs), unit: 'ms' },
    { name: `gogc: mark steps per second, ${k(HEAP)}-object heap, marker alone`, value: Math.round(steps / (markMs / 1000)), unit: 'steps/s' },
    { name: `gogc: mark steps per second, ${k(HEAP)}-object heap, checkEveryStep (first ${CHECKED_STEPS})`, value: Math.round((CHECKED_STEPS / (checkedMs / 1000)) * 10) / 10, unit: 'steps/s' },
    { name: `gogc: that whole mark phase with checkEveryStep, extrapolated (${k(steps)} steps)`, value: Math.round((steps * perStepMs) / 1000 / 60), unit: 'min' },
  ];
}

/** runCycle over the property tests' worlds, one seed per cycle, as the fuzz target runs them. */
function fuzzRows(barrier: BarrierKind): BenchRow[] {
  const cycle = (seed: number) => {
    const rng = rngFromSeed(seed);
    return runCycle({ world: randomWorld(rng.fork('world')), barrier, rng });
  };
  for (let s = 0; s < 100; s++) cycle(1_000_000 + s); // warm-up
  let steps = 0;
  let lost = 0;
  const t0 = performance.now();
  for (let seed = 0; seed < FUZZ_SEEDS; seed++) {
    const r = cycle(seed);
    steps += r.steps;
    if (r.lost.length) lost++;
  }
  const s = (performance.now() - t0) / 1000;
  return [
    { name: `gogc fuzz: interleavings per second, ${barrier} (runCycle, seeds 0..${k(FUZZ_SEEDS - 1)}, ${lost} lose an object)`, value: Math.round(FUZZ_SEEDS / s), unit: 'cycles/s' },
    { name: `gogc fuzz: steps per second, ${barrier} (${Math.round(steps / FUZZ_SEEDS)} steps a cycle, incremental invariant checks)`, value: Math.round(steps / s), unit: 'steps/s' },
  ];
}

export function gogcBench(): BenchRow[] {
  return [...fuzzRows('hybrid'), ...fuzzRows('none'), ...markBench()];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = gogcBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else for (const r of rows) console.log(`${r.name.padEnd(110)} ${r.value.toLocaleString('en-US').padStart(12)} ${r.unit}`);
}
