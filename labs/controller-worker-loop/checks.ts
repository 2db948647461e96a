/**
 * Checks of the controller-worker-loop lab: the learner's processNextWorkItem drives three
 * workers over a rate-limiting queue with defaultControllerRateLimiter (as client-go's
 * sample-controller does), against a seeded reconcile that fails some keys a few times and
 * receives updates while it runs. Assertions read the reconcile's instrumentation and the
 * queue's trace.
 */
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import {
  FakeClock,
  defaultControllerRateLimiter,
  newRateLimitingQueue,
  rngFromSeed,
  runUntilIdle,
  settle,
  type RateLimitingQueue,
  type TraceEvent,
  type TraceRecorder,
} from '../../src/sim/index';

type Reconcile = (key: string) => Promise<void>;
type ProcessNextWorkItem = (queue: RateLimitingQueue<string>, reconcile: Reconcile) => Promise<boolean>;

const KEYS = ['default/web', 'default/api', 'default/db', 'kube-system/dns', 'default/cache', 'monitoring/prom', 'default/auth', 'default/queue'];
const WORKERS = 3;
/** A worker loop that goes round this often without the queue ever blocking it is stuck. */
const RUNAWAY = 5_000;
/** defaultControllerRateLimiter's per-item base delay (client-go: 5 ms, doubling, 1000 s cap). */
const BASE_DELAY_MS = 5;

interface Harness {
  queue: RateLimitingQueue<string>;
  clock: FakeClock;
  /** Failures planned per key before it succeeds. */
  plan: Map<string, number>;
  attempts: Map<string, number>;
  succeeded: Set<string>;
  /** Keys whose next reconcile fails once more (used after the first run). */
  failNext: Set<string>;
  /** Keys that received an update while being reconciled. */
  updated: Set<string>;
  /** Keys a second worker started to reconcile while another was still on them. */
  overlaps: string[];
  /** Per worker: did its loop end (processNextWorkItem returned false)? */
  exited: boolean[];
  /** Errors that ended a worker loop (a runaway loop, or processNextWorkItem rejecting). */
  loopErrors: unknown[];
  events(type: string): TraceEvent[];
  queueEvents(): TraceEvent[];
}

/** Starts WORKERS workers on a fresh queue with every key added; runs until nothing is pending. */
async function runController(learner: Record<string, unknown>, seed: number, trace: TraceRecorder): Promise<Harness> {
  const processNextWorkItem = exportedFunction<ProcessNextWorkItem>(learner, 'processNextWorkItem');
  const rng = rngFromSeed(seed);
  const clock = new FakeClock();
  const name = `controller-${seed}`;
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, name });
  const keys = rng.shuffle(KEYS).slice(0, 5 + rng.int(4));
  const plan = new Map(keys.map((k) => [k, rng.int(4)]));
  const updateDuring = new Set(rng.shuffle(keys).slice(0, 2));
  const h: Harness = {
    queue,
    clock,
    plan,
    attempts: new Map(),
    succeeded: new Set(),
    updated: new Set(),
    failNext: new Set(),
    overlaps: [],
    exited: Array.from({ length: WORKERS }, () => false),
    loopErrors: [],
    events: (type) => trace.events.filter((e) => e.queue === name && e.type === type),
    queueEvents: () => trace.events.filter((e) => e.queue === name && e.type !== 'workqueue.metric'),
  };
  const active = new Set<string>();
  const reconcile: Reconcile = async (key) => {
    if (active.has(key)) h.overlaps.push(key);
    active.add(key);
    try {
      const attempt = (h.attempts.get(key) ?? 0) + 1;
      h.attempts.set(key, attempt);
      // Work takes virtual time (decided by key and attempt, not by which worker runs it).
      await clock.sleep(1 + rng.fork(`${key}#${attempt}`).int(20));
      if (attempt === 1 && updateDuring.has(key)) {
        h.updated.add(key);
        queue.add(key); // an informer event for this key arrives mid-reconcile
      }
      if (attempt <= (plan.get(key) ?? 0) || h.failNext.delete(key)) throw new Error(`409 Conflict on ${key} (attempt ${attempt})`);
      h.succeeded.add(key);
    } finally {
      active.delete(key);
    }
  };
  for (const key of keys) queue.add(key);
  for (let w = 0; w < WORKERS; w++) {
    (async () => {
      let rounds = 0;
      while (await processNextWorkItem(queue, reconcile)) {
        if (++rounds > RUNAWAY) throw new Error(`a worker went round ${RUNAWAY} times without waiting: processNextWorkItem keeps returning true`);
      }
      h.exited[w] = true;
    })().catch((e) => h.loopErrors.push(e));
  }
  await runUntilIdle(clock, { forMs: 10 * 60_000 });
  return h;
}

function describePlan(h: Harness): string {
  return [...h.plan].map(([k, n]) => `${k} fails ${n}×`).join(', ');
}

function expectNoLoopErrors(h: Harness, expect: Expect) {
  const first = h.loopErrors[0];
  expect(first === undefined ? undefined : String((first as Error)?.message ?? first), 'a worker loop ended with an error').to.equal(undefined);
}

/** add() calls for `key` made by code (not by the delaying queue when a delay ran out). */
function directAdds(h: Harness, key: string): number {
  let count = 0;
  let previous: TraceEvent | undefined;
  for (const e of h.queueEvents()) {
    if (e.type === 'workqueue.add' && e.item === key && !(previous?.type === 'workqueue.ready' && previous.item === key)) count++;
    previous = e;
  }
  return count;
}

export const everyKeyReconciled = check(
  'Every key is reconciled until it succeeds, one worker at a time, and the queue ends empty',
  async ({ learner, seeds, expect, trace }) => {
    for (const seed of seeds) {
      const h = await runController(learner, seed, trace);
      expectNoLoopErrors(h, expect);
      const when = `(seed ${seed}: ${describePlan(h)})`;
      expect(h.overlaps, `keys reconciled by two workers at once ${when}`).to.deep.equal([]);
      expect([...h.plan.keys()].filter((k) => !h.succeeded.has(k)), `keys never reconciled successfully ${when}`).to.deep.equal([]);
      const s = h.queue.snapshot();
      expect(s.processing, `keys still processing at the end ${when}`).to.deep.equal([]);
      expect(s.queue, `keys still queued at the end ${when}`).to.deep.equal([]);
      expect(h.events('workqueue.done').length, `done() calls for ${h.events('workqueue.get').length} get() calls ${when}`).to.equal(
        h.events('workqueue.get').length,
      );
      // A key updated during its reconcile must be reconciled again afterwards.
      for (const key of h.updated) {
        expect(h.attempts.get(key), `reconciles of ${key}, updated during its first reconcile ${when}`).to.be.greaterThan(1);
      }
    }
  },
  { hint: 'done(key) must run after every reconcile — also a failed one — and not before the reconcile has finished: try/finally around the await.' },
);

export const failuresBackOff = check(
  'A failed key is retried with addRateLimited, after delays that double: 5 ms, 10 ms, 20 ms…',
  async ({ learner, seeds, expect, trace }) => {
    for (const seed of seeds) {
      const h = await runController(learner, seed, trace);
      expectNoLoopErrors(h, expect);
      for (const [key, failures] of h.plan) {
        const delays = h.events('workqueue.addRateLimited').filter((e) => e.item === key).map((e) => e.delayMs);
        const expected = Array.from({ length: failures }, (_, i) => BASE_DELAY_MS * 2 ** i);
        expect(delays, `addRateLimited delays of ${key}, which failed ${failures}× (seed ${seed})`).to.deep.equal(expected);
        const immediate = directAdds(h, key) - 1 - (h.updated.has(key) ? 1 : 0);
        expect(immediate, `immediate re-adds of ${key} after a failure (seed ${seed})`).to.equal(0);
      }
    }
  },
  { hint: 'On error, call queue.addRateLimited(key) — not add(key): the rate limiter decides how long the key waits.' },
);

export const successForgets = check(
  'A key that succeeds is forgotten: numRequeues is 0 and its next failure waits 5 ms again',
  async ({ learner, seeds, expect, trace }) => {
    for (const seed of seeds) {
      const h = await runController(learner, seed, trace);
      expectNoLoopErrors(h, expect);
      for (const key of h.succeeded) {
        expect(h.queue.numRequeues(key), `numRequeues(${key}) after it succeeded (it failed ${h.plan.get(key)}× first; seed ${seed})`).to.equal(0);
      }
      const forgotten = new Set(h.events('workqueue.forget').map((e) => e.item));
      expect([...h.succeeded].filter((k) => !forgotten.has(k)), `keys that succeeded but were never forgotten (seed ${seed})`).to.deep.equal([]);
      // Later, a key that had failed before fails once more: its backoff starts over.
      const key = [...h.plan].sort((a, b) => b[1] - a[1])[0][0];
      h.failNext.add(key);
      h.queue.add(key);
      await runUntilIdle(h.clock, { forMs: 10 * 60_000 });
      const last = h.events('workqueue.addRateLimited').filter((e) => e.item === key).at(-1);
      expect(last?.delayMs, `delay of ${key}'s next failure, after it had failed ${h.plan.get(key)}× and then succeeded (seed ${seed})`).to.equal(BASE_DELAY_MS);
    }
  },
  { hint: 'After a successful reconcile call queue.forget(key): the rate limiter keeps counting failures until told otherwise.' },
);

export const workersExitOnShutdown = check(
  'Every worker returns once the queue shuts down',
  async ({ learner, seeds, expect, trace }) => {
    for (const seed of seeds.slice(0, 2)) {
      const h = await runController(learner, seed, trace);
      h.queue.shutDown();
      await settle(256);
      expectNoLoopErrors(h, expect);
      expect(h.exited, `workers that returned after shutDown() (seed ${seed})`).to.deep.equal(h.exited.map(() => true));
    }
  },
  { hint: 'get() resolves { shutdown: true } once the queue shuts down: return false then, so the worker loop ends.' },
);
