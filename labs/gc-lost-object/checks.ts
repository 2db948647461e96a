/**
 * Checks of the gc-lost-object lab. The judge is the Go collector model (src/sim/gogc, after
 * go1.26.0's mgc.go / mgcmark.go / mbarrier.go): every check runs the lab's own world with the
 * learner's schedule and barrier through gcCycle, and what was lost is what the model's
 * reachability oracle (reachableFromRoots at sweep) says, never what the learner claims.
 */
import { AssertionError } from 'chai';
import { check } from '../../src/lab/checks';
import { gcCycle, type BarrierKind, type GcCycleReport, type GcWorld, type Turn } from '../../src/sim/index';

/** The world of main.ts, built fresh for every use (the learner's copy is not trusted). */
export function labWorld(): GcWorld {
  return {
    objects: { cache: ['a', null], a: ['b'], b: [], old: ['b'] },
    globals: ['cache'],
    goroutines: [{ slots: [null, null, null, null], program: ['s0 = global[0]', 's1 = s0.f[0]', 's2 = s1.f[0]', 's0.f[1] = s2', 's1.f[0] = s3', 's2 = nil'] }],
  };
}

/** The starter's schedule: g0 runs its six ops, then the marker alone. */
export const STARTER_SCHEDULE: Turn[] = [0, 0, 0, 0, 0, 0];

const BARRIERS: BarrierKind[] = ['none', 'dijkstra', 'yuasa', 'hybrid'];
const MAX_TURNS = 200;

/** The learner's schedule, checked to be a list of turns; fails like an assertion otherwise. */
function learnerSchedule(learner: Record<string, unknown>): Turn[] {
  const s = learner.schedule;
  if (!Array.isArray(s)) throw new AssertionError(`main.ts must export \`schedule\`, a list of turns such as ['M', 0, 0]; got ${JSON.stringify(s)}`);
  if (s.length > MAX_TURNS) throw new AssertionError(`schedule has ${s.length} turns; the whole cycle takes fewer than 20 (at most ${MAX_TURNS})`);
  const bad = s.findIndex((t) => t !== 'M' && t !== 0);
  if (bad >= 0) throw new AssertionError(`schedule[${bad}] is ${JSON.stringify(s[bad])}: a turn is 'M' (the marker) or 0 (goroutine g0, the only one)`);
  return s as Turn[];
}

function cycle(barrier: BarrierKind, schedule: Turn[]): GcCycleReport {
  return gcCycle({ world: labWorld(), barrier, schedule: [...schedule] });
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export const predictsFreed = check(
  "Predicts which objects sweep frees when g0 runs first and the marker after (no barrier)",
  ({ learner, log }) => {
    const predicted = learner.predictedFreed;
    if (!Array.isArray(predicted) || predicted.some((n) => typeof n !== 'string')) {
      throw new AssertionError(`main.ts must export \`predictedFreed\`, a list of object names (cache, a, b, old); got ${JSON.stringify(predicted)}`);
    }
    const r = cycle('none', STARTER_SCHEDULE);
    if (sameSet(predicted as string[], r.freed)) return;
    log(r.trace.join('\n'));
    const unknown = (predicted as string[]).filter((n) => !['cache', 'a', 'b', 'old'].includes(n));
    if (unknown.length) throw new AssertionError(`${JSON.stringify(unknown)}: the world's objects are cache, a, b and old`);
    throw new AssertionError(
      `you predicted ${JSON.stringify(predicted)}; sweep freed ${JSON.stringify(r.freed)} (the cycle is printed above). g0 finished its move before the marker ran its first root job, so marking saw the heap after the move: b hangs off cache.f[1].`,
    );
  },
  { hint: 'Marking starts from the roots and follows pointers forward. Being pointed to by garbage does not keep anything alive, and pointing to a live object does not keep garbage alive.' },
);

export const scheduleLosesObject = check(
  'With no write barrier, your schedule makes sweep free an object the program can still reach',
  ({ learner, log }) => {
    const schedule = learnerSchedule(learner);
    const r = cycle('none', schedule);
    if (r.lost.length) {
      for (const l of r.lost) log(`lost ${l.name}: still reachable through ${l.path.join(' -> ')} when sweep freed it`);
      return;
    }
    log(r.trace.join('\n'));
    const blackToWhite = r.violations.find((v) => v.invariant === 'strongHeap');
    throw new AssertionError(
      `with your schedule sweep freed ${JSON.stringify(r.freed)}, all of it unreachable: nothing live was lost (the cycle is printed above).${blackToWhite ? ` A black object did point to a white one (${blackToWhite.path.join(' -> ')}, step ${blackToWhite.step}), but a grey path to it survived until the marker got there.` : ''}`,
    );
  },
  { hint: 'Three things must happen before g0 hides b: g0\'s stack scanned (so loading b onto it shades nothing), cache scanned (black, so storing b into it is not seen), and a not yet scanned when a.f[0] is cut. The marker takes root jobs first: the globals, then g0\'s stack.' },
);

export const hybridKeepsIt = check(
  'With the hybrid barrier, your losing schedule keeps every reachable object',
  ({ learner, log }) => {
    const schedule = learnerSchedule(learner);
    const barrier = learner.barrier as BarrierKind;
    if (!BARRIERS.includes(barrier)) throw new AssertionError(`main.ts must export \`barrier\`, one of ${BARRIERS.join(', ')}; got ${JSON.stringify(barrier)}`);
    const without = cycle('none', schedule);
    if (!without.lost.length) throw new AssertionError('first make your schedule lose an object with no barrier (the previous step): there is nothing for a barrier to save yet');
    const r = cycle(barrier, schedule);
    if (r.lost.length) {
      log(r.trace.join('\n'));
      throw new AssertionError(`with barrier '${barrier}' sweep still freed ${r.lost.map((l) => `${l.name} (reachable through ${l.path.join(' -> ')})`).join(', ')}`);
    }
    if (barrier !== 'hybrid') {
      throw new AssertionError(`'${barrier}' keeps it too, but Go has compiled the hybrid barrier since 1.8: set barrier to 'hybrid'${barrier === 'dijkstra' ? " (Dijkstra's needs a stop-the-world stack rescan at the end of every cycle)" : ''}`);
    }
    const lost = without.lost.map((l) => l.name);
    const saved = r.trace.filter((line) => lost.some((n) => new RegExp(` barrier .* shaded (\\S+,)?${n}(,|$)`).test(line)));
    log(`with no barrier sweep freed ${lost.join(', ')}; with the hybrid barrier:`);
    for (const line of saved) log(`  ${line}`);
  },
  { hint: 'Set `barrier` to the barrier Go compiles since 1.8 and keep your schedule.' },
);
