/**
 * Checks of the delaying-queue-and-drain lab. Predictions are compared with what a real delaying
 * queue (src/sim, after client-go util/workqueue delaying_queue.go and queue.go at v0.34.0) does;
 * the debouncer and the stop routine run against fresh seeded queues and are compared with an
 * oracle (the debounce) or with the state the queue was in when stop() began.
 */
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import { FakeClock, newDelayingQueue, rngFromSeed, runUntilIdle, settle, type DelayingQueue, type Rng, type TraceRecorder } from '../../src/sim/index';

interface Debouncer {
  changed(key: string): void;
  deleted(key: string): void;
  due(key: string): boolean;
}
type NewDebouncer = (queue: DelayingQueue<string>, quietMs: number) => Debouncer;
type Stop = (queue: DelayingQueue<string>, workers: Array<Promise<void>>) => Promise<void>;

const KEYS = ['default/web', 'default/api', 'default/db', 'kube-system/dns', 'default/cache', 'monitoring/prom', 'default/auth', 'default/queue', 'default/cert'];
/** A worker loop that goes round this often without virtual time passing is spinning. */
const RUNAWAY = 5_000;

function predictionsOf(learner: Record<string, unknown>, expect: Expect, part: 'delaying' | 'drain'): Record<string, unknown> {
  const p = learner.predictions as Record<string, unknown> | undefined;
  expect(p, 'main.ts must export an object named `predictions`').to.be.an('object');
  expect(p![part], `predictions.${part}`).to.be.an('object');
  return p![part] as Record<string, unknown>;
}

/** When `key` entered the queue (its first `workqueue.add` that queued it), or null. */
function firstQueuedAt(trace: TraceRecorder, queue: string, key: string): number | null {
  const e = trace.events.find((x) => x.queue === queue && x.type === 'workqueue.add' && x.item === key && x.result === 'queued');
  return e ? e.t : null;
}

export const predictsDelaying = check(
  'Predicts the ready time after two addAfter calls, and what a plain add does to a scheduled key',
  async ({ learner, expect, trace }) => {
    const p = predictionsOf(learner, expect, 'delaying');
    const readyAt = async (name: string, first: number, second: number) => {
      const clock = new FakeClock();
      const q = newDelayingQueue<string>({ clock, name });
      q.addAfter('k', first);
      q.addAfter('k', second);
      await runUntilIdle(clock, { forMs: 60_000 });
      return firstQueuedAt(trace, name, 'k');
    };
    expect(p.laterCallReadyAtMs, 'predictions.delaying.laterCallReadyAtMs: addAfter(k, 2000), then addAfter(k, 10000)').to.equal(await readyAt('later', 2000, 10_000));
    expect(p.earlierCallReadyAtMs, 'predictions.delaying.earlierCallReadyAtMs: addAfter(k, 10000), then addAfter(k, 2000)').to.equal(await readyAt('earlier', 10_000, 2000));

    const clock = new FakeClock();
    const q = newDelayingQueue<string>({ clock, name: 'add-while-waiting' });
    q.addAfter('k', 1000);
    q.add('k');
    const handedOut: number[] = [];
    void (async () => {
      for (;;) {
        const { item, shutdown } = await q.get();
        if (shutdown) return;
        handedOut.push(clock.now());
        q.done(item);
      }
    })();
    await runUntilIdle(clock, { forMs: 5000 });
    q.shutDown();
    await settle();
    expect(p.handedOutAtMs, 'predictions.delaying.handedOutAtMs: addAfter(k, 1000), add(k), a worker taking k at once').to.deep.equal(handedOut);
  },
  { hint: 'Run the code and read the addAfter results: waiting, updated or kept. add() puts a key on the queue and never looks at the heap.' },
);

// ---- the debouncer ----

interface DebounceEvent {
  t: number;
  key: string;
  kind: 'change' | 'delete';
}

/**
 * Bursts of changes (and, with `deletes`, some deletes) for 1-3 keys. Times are multiples of
 * 100 ms and quiet periods end in 50, so no event ever coincides with a due time.
 */
function makeEvents(rng: Rng, quietMs: number, deletes: boolean): DebounceEvent[] {
  const events: DebounceEvent[] = [];
  const keys = rng.shuffle(KEYS).slice(0, 1 + rng.int(3));
  const maxGap = Math.floor(quietMs / 100);
  keys.forEach((key, k) => {
    let t = 100 * rng.int(6);
    const bursts = 1 + rng.int(3);
    for (let b = 0; b < bursts; b++) {
      const n = 1 + rng.int(4);
      const kinds: Array<'change' | 'delete'> = Array.from({ length: n }, () => 'change');
      // The first key's first burst always has a delete right after a change: the case a
      // plain add() gets wrong.
      if (deletes && k === 0 && b === 0) kinds.splice(1, 0, 'delete');
      else if (deletes && rng.chance(0.5)) kinds[rng.int(n)] = 'delete';
      for (let i = 0; i < kinds.length; i++) {
        if (i > 0) t += 100 * (1 + rng.int(maxGap));
        events.push({ t, key, kind: kinds[i] });
      }
      t += 100 * (Math.ceil(quietMs / 100) + 1 + rng.int(8));
    }
  });
  return events.sort((a, b) => a.t - b.t || a.key.localeCompare(b.key));
}

/** What a debounce should do: per key, reconcile times (quietMs after the last change of a burst; at once for a delete). */
function expectedReconciles(events: DebounceEvent[], quietMs: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const pending = new Map<string, number>();
  for (const e of events) {
    out[e.key] ??= [];
    const due = pending.get(e.key);
    if (due !== undefined && due < e.t) {
      out[e.key].push(due);
      pending.delete(e.key);
    }
    if (e.kind === 'change') pending.set(e.key, e.t + quietMs);
    else {
      out[e.key].push(e.t);
      pending.delete(e.key);
    }
  }
  for (const [key, due] of pending) out[key].push(due);
  for (const key of Object.keys(out)) out[key].sort((a, b) => a - b);
  return out;
}

function describeEvents(events: DebounceEvent[]): string {
  const byKey = new Map<string, string[]>();
  for (const e of events) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e.kind === 'change' ? `${e.t}` : `${e.t} (delete)`]);
  return [...byKey].map(([key, ts]) => `${key} at ${ts.join(', ')}`).join('; ');
}

/** Runs the learner's debouncer with one worker (reconciles take no time); returns reconcile times per key. */
async function runDebouncer(newDebouncer: NewDebouncer, name: string, quietMs: number, events: DebounceEvent[]) {
  const clock = new FakeClock();
  const queue = newDelayingQueue<string>({ clock, name });
  const debouncer = newDebouncer(queue, quietMs);
  const got: Record<string, number[]> = {};
  for (const e of events) got[e.key] = [];
  let loopError: unknown;
  for (const e of events) {
    clock.afterFunc(e.t, () => {
      try {
        if (e.kind === 'change') debouncer.changed(e.key);
        else debouncer.deleted(e.key);
      } catch (err) {
        loopError ??= err;
      }
    });
  }
  const worker = (async () => {
    let rounds = 0;
    let lastT = -1;
    for (;;) {
      const { item, shutdown } = await queue.get();
      if (shutdown) return;
      rounds = clock.now() === lastT ? rounds + 1 : 0;
      lastT = clock.now();
      if (rounds > RUNAWAY) throw new Error(`the worker got ${item} ${RUNAWAY} times at t=${lastT} ms without time passing: is due() adding the key back at once?`);
      try {
        if (debouncer.due(item)) (got[item] ??= []).push(clock.now());
      } finally {
        queue.done(item);
      }
    }
  })();
  worker.catch((err) => (loopError ??= err));
  await runUntilIdle(clock, { forMs: 120_000 });
  queue.shutDown();
  await settle();
  return { got, loopError };
}

function expectNoError(err: unknown, expect: Expect, what: string) {
  expect(err === undefined ? undefined : String((err as Error)?.message ?? err), what).to.equal(undefined);
}

async function checkDebounce(learner: Record<string, unknown>, seeds: readonly number[], expect: Expect, deletes: boolean) {
  const newDebouncer = exportedFunction<NewDebouncer>(learner, 'newDebouncer');
  for (const seed of seeds) {
    const rng = rngFromSeed(seed).fork(deletes ? 'deletes' : 'changes');
    const quietMs = rng.pick([250, 450, 650, 850]);
    const events = makeEvents(rng, quietMs, deletes);
    const { got, loopError } = await runDebouncer(newDebouncer, `debounce-${seed}`, quietMs, events);
    expectNoError(loopError, expect, `an error in newDebouncer's functions (quietMs = ${quietMs}; events: ${describeEvents(events)})`);
    expect(got, `reconcile times with quietMs = ${quietMs}; events: ${describeEvents(events)}`).to.deep.equal(expectedReconciles(events, quietMs));
  }
}

export const debouncesChanges = check(
  'Each key is reconciled once per burst of changes, quietMs after the last change',
  async ({ learner, seeds, expect }) => checkDebounce(learner, seeds, expect, false),
  { hint: 'addAfter keeps the earliest ready time: a later change cannot postpone the heap entry, so the key can come back before it is due. What must due() know to tell — and what can it do about an early arrival?' },
);

export const deleteReconcilesOnce = check(
  'A delete is reconciled at once, and the changes before it are not reconciled again',
  async ({ learner, seeds, expect }) => checkDebounce(learner, seeds, expect, true),
  { hint: 'add() does not cancel the key’s entry in the heap: it still fires later. due() must tell a key with nothing pending from one that is due.' },
);

// ---- the drain ----

export const predictsDrain = check(
  'Predicts when shutDownWithDrain returns, what is still queued then, and what happens to the heap',
  async ({ learner, expect, trace }) => {
    const p = predictionsOf(learner, expect, 'drain');
    const clock = new FakeClock();
    const q = newDelayingQueue<string>({ clock, name: 'drain' });
    for (const key of ['default/web', 'default/api', 'default/db']) q.add(key);
    const { item } = await q.get();
    q.add('default/web');
    q.addAfter('default/cert', 1000);
    let returnsAtMs: number | null = null;
    let queued: string[] = [];
    void q.shutDownWithDrain().then(() => {
      returnsAtMs = clock.now();
      queued = q.snapshot().queue;
    });
    clock.afterFunc(300, () => q.done(item!));
    await runUntilIdle(clock, { forMs: 10_000 });
    expect(p.returnsAtMs, 'predictions.drain.returnsAtMs').to.equal(returnsAtMs);
    expect(p.queuedWhenItReturns, 'predictions.drain.queuedWhenItReturns').to.deep.equal(queued);
    expect(p.certAddedAtMs, 'predictions.drain.certAddedAtMs').to.equal(firstQueuedAt(trace, 'drain', 'default/cert'));
  },
  { hint: 'ShutDownWithDrain waits while processing is not empty — only that. And a key that was dirty when done() ran goes back on the queue.' },
);

interface Reconcile {
  key: string;
  startMs: number;
  endMs?: number;
}

/**
 * A controller with 1-3 workers (get -> reconcile for 20-140 ms -> done, until shutdown), keys
 * added at t=0, some updated while they are reconciled, some waiting in the heap; the learner's
 * stop() is called at 30-70 ms, while keys are queued and in flight.
 */
async function runStop(stop: Stop, seed: number, index: number) {
  const rng = rngFromSeed(seed).fork('stop');
  const clock = new FakeClock();
  const queue = newDelayingQueue<string>({ clock, name: `controller-${seed}` });
  const keys = rng.shuffle(KEYS).slice(0, 6 + rng.int(3));
  const heapKeys = keys.splice(0, 1 + rng.int(2));
  const updated = new Set(rng.shuffle(keys).slice(0, 1 + rng.int(2)));
  // 1, 2, 3, 1, 2 workers over the seeds: one worker is where a drain ends between two keys.
  const workers = 1 + (index % 3);
  const reconciles: Reconcile[] = [];
  const exited = Array.from({ length: workers }, () => false);
  const errors: unknown[] = [];

  const worker = async (w: number) => {
    for (;;) {
      const { item, shutdown } = await queue.get();
      if (shutdown) {
        exited[w] = true;
        return;
      }
      const r: Reconcile = { key: item, startMs: clock.now() };
      const attempt = reconciles.filter((x) => x.key === item).length;
      reconciles.push(r);
      // An update of the object arrives just after a worker took it (only the first time).
      if (attempt === 0 && updated.has(item)) queue.add(item);
      await clock.sleep(20 + rng.fork(`${item}#${attempt}`).int(121));
      r.endMs = clock.now();
      queue.done(item);
    }
  };
  for (const key of keys) queue.add(key);
  for (const key of heapKeys) queue.addAfter(key, 300 + rng.int(3000));
  const loops = Array.from({ length: workers }, (_, w) => worker(w));
  for (const l of loops) l.catch((e) => errors.push(e));

  const stopAtMs = 30 + rng.int(41);
  let state = queue.snapshot();
  let resolvedAtMs: number | undefined;
  let exitedWhenResolved: boolean[] = [];
  let shuttingDownWhenResolved = false;
  clock.afterFunc(stopAtMs, () => {
    state = queue.snapshot();
    Promise.resolve()
      .then(() => stop(queue, loops))
      .then(
        () => {
          resolvedAtMs = clock.now();
          exitedWhenResolved = [...exited];
          shuttingDownWhenResolved = queue.shuttingDown();
        },
        (e) => errors.push(e),
      );
  });
  await runUntilIdle(clock, { forMs: 10 * 60_000, until: () => resolvedAtMs !== undefined || errors.length > 0 });
  const describe =
    `seed ${seed}: ${workers} worker${workers === 1 ? '' : 's'}; stop() at t=${stopAtMs} ms with queue=[${state.queue.join(', ')}], ` +
    `processing={${state.processing.join(', ')}}, dirty={${state.dirty.join(', ')}}, waiting=[${state.waiting.map((w) => w.item).join(', ')}]`;
  return { stopAtMs, state, resolvedAtMs, exitedWhenResolved, shuttingDownWhenResolved, reconciles, errors, describe };
}

export const stopFinishesQueuedWork = check(
  'stop() resolves once every queued, in-flight and re-added key is reconciled and every worker has returned',
  async ({ learner, seeds, expect }) => {
    const stop = exportedFunction<Stop>(learner, 'stop');
    for (const [index, seed] of seeds.entries()) {
      const r = await runStop(stop, seed, index);
      expectNoError(r.errors[0], expect, `stop() failed (${r.describe})`);
      expect(r.resolvedAtMs !== undefined, `stop() resolved within 10 minutes of virtual time (${r.describe})`).to.equal(true);
      const at = r.resolvedAtMs!;
      const reconciledAfterStop = (key: string) => r.reconciles.some((x) => x.key === key && x.startMs >= r.stopAtMs && x.endMs !== undefined && x.endMs <= at);
      // dirty = queued, plus in flight and updated meanwhile (done() puts those back).
      const owed = r.state.dirty.filter((key) => !reconciledAfterStop(key));
      expect(owed, `keys queued or re-added when stop() began but not reconciled when it resolved at t=${at} ms (${r.describe})`).to.deep.equal([]);
      const cutOff = r.state.processing.filter((key) => r.reconciles.some((x) => x.key === key && x.startMs < r.stopAtMs && (x.endMs === undefined || x.endMs > at)));
      expect(cutOff, `keys in flight when stop() began, still being reconciled when it resolved at t=${at} ms (${r.describe})`).to.deep.equal([]);
      expect(r.shuttingDownWhenResolved, `queue.shuttingDown() when stop() resolved (${r.describe})`).to.equal(true);
      expect(r.exitedWhenResolved, `workers that had returned when stop() resolved (${r.describe})`).to.deep.equal(r.exitedWhenResolved.map(() => true));
    }
  },
  {
    hint: 'shutDownWithDrain() waits for the keys being processed, not for the queued ones, and the workers keep taking those after it returns. What tells you that a worker has seen the end of the queue?',
  },
);
