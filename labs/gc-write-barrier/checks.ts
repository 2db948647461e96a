/**
 * Checks of the gc-write-barrier lab. The learner's barriers run inside the Go collector model
 * (src/sim/gogc, after go1.26.0's mgcmark.go and the barrier comment of mbarrier.go) in place of
 * the built-in kinds: on the classic lost-object interleaving, then through checkBarrier over
 * thousands of seeded random worlds and interleavings, with the invariant the barrier claims
 * checked after every step and lost objects found by the model's reachability oracle.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction } from '../../src/lab/checks';
import { BarrierError, checkBarrier, gcCycle, type BarrierCheckResult, type BarrierKind, type GcWorld, type WriteBarrierFn } from '../../src/sim/index';

/** Seeds per fuzzing check: thousands fit the run's budget (about 2,000 interleavings a second). */
export const DIJKSTRA_SEEDS = 2_000;
export const YUASA_SEEDS = 500;

/** The classic lost object: black A takes white C from grey B, which then drops it. */
export function classicWorld(): GcWorld {
  return {
    objects: { A: [null], B: ['C'], C: [] },
    globals: ['B', 'A'],
    goroutines: [{ slots: ['A', 'B', null, null], program: ['s2 = s1.f[0]', 's0.f[0] = s2', 's1.f[0] = s3', 's2 = nil'] }],
  };
}

/** The roots (globals, g0's stack), then A scanned (black), then g0's four ops. */
const CLASSIC_SCHEDULE = ['M', 'M', 'M', 0, 0, 0, 0] as const;

/** The learner's barrier, and the fuzzer run over it; a barrier error reads as a check failure. */
function fuzz(fn: WriteBarrierFn, claims: BarrierKind, seeds: number, firstSeed: number, rescanStacks?: boolean): BarrierCheckResult {
  return checkBarrier(fn, { claims, seeds, firstSeed, rescanStacks });
}

/** The failure, printed the way the learner replays it: the interleaving, then one paragraph. */
function explain(r: BarrierCheckResult, name: string, claims: BarrierKind, log: (...a: unknown[]) => void): string {
  const f = r.failure!;
  log(`seed ${f.seed}, the interleaving (world: ${f.world.goroutines.length} goroutines, ${(f.world.objects as unknown[]).length} objects):`);
  log(f.trace.join('\n'));
  const replay = `checkBarrier(${name}, { claims: '${claims}', firstSeed: ${f.seed}, seeds: 1 })`;
  return `${f.message} (after ${r.interleavings} interleavings; the trace is printed above; ${replay} replays it)`;
}

export const dijkstraKeepsClassic = check(
  "dijkstraBarrier keeps C in the classic lost-object interleaving, and no black heap object ever points to a white one",
  ({ learner, log }) => {
    const fn = exportedFunction<WriteBarrierFn>(learner, 'dijkstraBarrier');
    let r;
    try {
      r = gcCycle({ world: classicWorld(), barrier: fn, claims: 'dijkstra', schedule: [...CLASSIC_SCHEDULE] });
    } catch (e) {
      if (e instanceof BarrierError) {
        log(e.trace.join('\n'));
        throw new AssertionError(e.message);
      }
      throw e;
    }
    const broken = r.violations.find((v) => v.invariant === 'strongHeap');
    if (!r.lost.length && !broken) return;
    log(r.trace.join('\n'));
    if (r.lost.length) throw new AssertionError(`sweep freed ${r.lost.map((l) => `${l.name}, reachable through ${l.path.join(' -> ')}`).join('; ')} (the cycle is printed above; the stacks were rescanned at mark termination, as Go 1.5-1.7 did)`);
    throw new AssertionError(`C was kept, but at step ${broken!.step} black ${broken!.path[0]} pointed to white ${broken!.path[1]}: Dijkstra's barrier promises that never happens on the heap (C survived only because another pointer happened to be shaded)`);
  },
  { hint: 'At `A.f[0] = s2` A is already black. Which of the two pointers in the store would a black object end up holding?' },
);

export const dijkstraSurvivesFuzz = check(
  `dijkstraBarrier, with the stack rescan, survives 2,000 seeded interleavings: nothing reachable freed, strong invariant on the heap`,
  ({ learner, seed, log }) => {
    const fn = exportedFunction<WriteBarrierFn>(learner, 'dijkstraBarrier');
    const r = fuzz(fn, 'dijkstra', DIJKSTRA_SEEDS, seed);
    if (r.ok) {
      log(`${r.interleavings} interleavings (seeds ${seed}..${seed + r.interleavings - 1}): nothing lost`);
      return;
    }
    throw new AssertionError(explain(r, 'dijkstraBarrier', 'dijkstra', log));
  },
  { hint: 'The random worlds store nil, store into slots that were nil, and store from goroutines whose stacks are black or grey. Does your barrier shade the new pointer in every one of those cases?' },
);

export const predictsRescan = check(
  'Predicts whether a correct Dijkstra barrier survives without the stack rescan',
  ({ learner, seed, log }) => {
    const said = learner.survivesWithoutRescan;
    if (typeof said !== 'boolean') throw new AssertionError(`main.ts must export \`survivesWithoutRescan\`, true or false; got ${JSON.stringify(said)}`);
    const fn = exportedFunction<WriteBarrierFn>(learner, 'dijkstraBarrier');
    const classic = gcCycle({ world: classicWorld(), barrier: fn, claims: 'dijkstra', schedule: [...CLASSIC_SCHEDULE], trace: false });
    if (classic.lost.length || classic.violations.some((v) => v.invariant === 'strongHeap')) throw new AssertionError('first make dijkstraBarrier keep C (step 1): this prediction is about a correct barrier');
    const r = fuzz(fn, 'dijkstra', DIJKSTRA_SEEDS, seed, false);
    const survives = r.failure?.kind !== 'lost' && r.failure?.kind !== 'barrier';
    if (said === survives) {
      if (!r.ok) log(`without the rescan: ${r.failure!.message}`);
      return;
    }
    if (survives) throw new AssertionError(`you predicted it loses an object, but ${DIJKSTRA_SEEDS} interleavings without the rescan lost none`);
    throw new AssertionError(`you predicted it survives; without the rescan: ${explain(r, 'dijkstraBarrier', 'dijkstra', log)}. Look in the trace for the goroutine whose stack was scanned before it loaded that object.`);
  },
  { hint: 'Which writes run the barrier: heap stores only, or also the loads into a goroutine\'s stack slots?' },
);

export const yuasaSurvivesFuzz = check(
  `yuasaBarrier, with every stack scanned at the start, survives 500 seeded interleavings: nothing reachable freed, weak invariant kept`,
  ({ learner, seed, log }) => {
    const fn = exportedFunction<WriteBarrierFn>(learner, 'yuasaBarrier');
    const r = fuzz(fn, 'yuasa', YUASA_SEEDS, seed);
    if (r.ok) {
      log(`${r.interleavings} interleavings (seeds ${seed}..${seed + r.interleavings - 1}): nothing lost`);
      return;
    }
    throw new AssertionError(explain(r, 'yuasaBarrier', 'yuasa', log));
  },
  { hint: 'A snapshot-at-the-beginning collector must mark everything that was reachable when marking started. Which store destroys a path that existed then?' },
);
