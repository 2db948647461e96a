/**
 * Checks of the workqueue-where-is-my-key lab. Each check builds incidents for real: a
 * Deployment-controller-shaped worker loop (processNextWorkItem + handleErr with maxRetries = 15,
 * as pkg/controller/deployment at v1.34.0) over a rate-limiting queue with
 * defaultControllerRateLimiter (src/sim, client-go util/workqueue at v0.34.0) and the 500 ms
 * unfinished-work ticker. Keys, worker counts, timings and failures vary with the seed. The
 * learner's answer is compared with the truth, which the check knows by construction.
 */
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import {
  FakeClock,
  TraceRecorder,
  defaultControllerRateLimiter,
  formatWorkqueueEvent,
  newRateLimitingQueue,
  rngFromSeed,
  runUntilIdle,
  settle,
  type QueueSnapshot,
  type RateLimitingQueue,
  type Rng,
  type TraceEvent,
} from '../../src/sim/index';

interface Evidence {
  nowMs: number;
  snapshot: QueueSnapshot;
  events: TraceEvent[];
}
type Diagnosis = { where: string } & Record<string, unknown>;
type WhereIsMyKey = (key: string, evidence: Evidence) => unknown;
type Triage = (metrics: TraceEvent[], workers: number) => unknown;

/** pkg/controller/deployment/deployment_controller.go at v1.34.0 */
const MAX_RETRIES = 15;
const WEBHOOK_REFUSED =
  'Internal error occurred: failed calling webhook "validate.policy.example.com": failed to call webhook: Post "https://policy.example.svc:443/validate?timeout=10s": dial tcp 10.96.0.42:443: connect: connection refused';
const WEBHOOK_TIMEOUT =
  'Internal error occurred: failed calling webhook "validate.policy.example.com": failed to call webhook: Post "https://policy.example.svc:443/validate?timeout=10s": context deadline exceeded';
const NAMESPACES = ['default', 'shop', 'payments', 'monitoring', 'platform'];
const NAMES = ['web', 'api', 'db', 'cache', 'auth', 'queue', 'search', 'cart', 'billing', 'mailer', 'gateway', 'worker'];

/** `n` distinct namespace/name keys. */
function pickKeys(rng: Rng, n: number): string[] {
  const all = NAMESPACES.flatMap((ns) => NAMES.map((name) => `${ns}/${name}`));
  return rng.shuffle(all).slice(0, n);
}

/** One sync of one key: how long it takes and how it ends. */
interface Sync {
  ms: number;
  fails?: boolean;
  slowFailure?: boolean;
  hangs?: boolean;
}
type Plan = (key: string, attempt: number) => Sync;

/**
 * A controller as the operator runs it: `workers` goroutines of processNextWorkItem over a
 * rate-limiting queue named `deployment`, recording to a trace of its own.
 */
class Incident {
  readonly clock = new FakeClock();
  readonly trace = new TraceRecorder();
  readonly queue: RateLimitingQueue<string>;
  /** Attempts per key so far. */
  readonly attempts = new Map<string, number>();
  /** When each sync started. */
  readonly syncs: Array<{ key: string; t: number }> = [];

  constructor(
    readonly workers: number,
    private readonly plan: Plan,
  ) {
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), {
      clock: this.clock,
      trace: this.trace,
      name: 'deployment',
      unfinishedWorkUpdatePeriodMs: 500,
    });
    for (let i = 0; i < workers; i++) void this.runWorker();
  }

  at(ms: number, fn: () => void): void {
    this.clock.afterFunc(ms - this.clock.now(), fn);
  }

  addAt(ms: number, key: string): void {
    this.at(ms, () => this.queue.add(key));
  }

  /** Runs until `until()` holds (checked between clock moves) or `forMs` passed. */
  async runUntil(until: () => boolean, forMs = 10 * 60_000): Promise<void> {
    await runUntilIdle(this.clock, { forMs, until });
  }

  /** Runs until `ms` has fully happened, then returns what an operator can see (copies). */
  async observeAt(ms: number): Promise<Evidence> {
    if (ms > this.clock.now()) await runUntilIdle(this.clock, { forMs: ms - this.clock.now() });
    this.clock.setTime(ms);
    await settle();
    return structuredClone({ nowMs: ms, snapshot: this.queue.snapshot(), events: this.trace.events });
  }

  /** The first event matching `pred`, if any. */
  find(pred: (e: TraceEvent) => boolean): TraceEvent | undefined {
    return this.trace.events.find(pred);
  }

  private async runWorker(): Promise<void> {
    while (await this.processNextWorkItem()) {
      // next key
    }
  }

  // Upstream: pkg/controller/deployment/deployment_controller.go (processNextWorkItem, handleErr)
  private async processNextWorkItem(): Promise<boolean> {
    const { item: key, shutdown } = await this.queue.get();
    if (shutdown) return false;
    try {
      let err: Error | undefined;
      try {
        await this.sync(key);
      } catch (e) {
        err = e as Error;
      }
      this.handleErr(err, key);
    } finally {
      this.queue.done(key);
    }
    return true;
  }

  private async sync(key: string): Promise<void> {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    this.syncs.push({ key, t: this.clock.now() });
    const s = this.plan(key, attempt);
    if (s.hangs) await new Promise(() => {}); // a call without a timeout that never answers
    await this.clock.sleep(s.ms);
    if (s.fails) throw new Error(s.slowFailure ? WEBHOOK_TIMEOUT : WEBHOOK_REFUSED);
  }

  private handleErr(err: Error | undefined, key: string): void {
    if (!err) {
      this.queue.forget(key);
      return;
    }
    if (this.queue.numRequeues(key) < MAX_RETRIES) {
      this.log('info', 2, 'Error syncing deployment', key, err);
      this.queue.addRateLimited(key);
      return;
    }
    this.log('error', 0, 'Unhandled Error', undefined, err);
    this.log('info', 2, 'Dropping deployment out of the queue', key, err);
    this.queue.forget(key);
  }

  private log(level: 'info' | 'error', v: number, msg: string, key: string | undefined, err: Error): void {
    const kv = key === undefined ? ` err=${JSON.stringify(err.message)} logger="UnhandledError"` : ` deployment=${JSON.stringify(key)} err=${JSON.stringify(err.message)}`;
    this.trace.emit(this.clock.now(), 'deployment-controller', 'deployment-controller.log', {
      controller: 'deployment',
      level,
      v,
      source: 'deployment_controller.go',
      message: JSON.stringify(msg) + kv,
      ...(key === undefined ? {} : { deployment: key }),
    });
  }
}

function workersText(n: number): string {
  return `${n} worker${n === 1 ? '' : 's'}`;
}

/** A built incident: the key asked about, what the operator sees, and the truth. */
interface Case {
  key: string;
  evidence: Evidence;
  truth: Diagnosis;
  /** How the incident was set up, in a few words (for the failure message). */
  setup: string;
}

const isFailure = (key: string) => (e: TraceEvent) => e.type === 'workqueue.addRateLimited' && e.item === key;
const isDrop = (key: string) => (e: TraceEvent) => e.deployment === key && String(e.message).includes('Dropping deployment out of the queue');

/** Background keys, each added once at a random time in [fromMs, toMs). */
function background(c: Incident, rng: Rng, keys: string[], fromMs: number, toMs: number): void {
  for (const key of keys) c.addAt(fromMs + rng.int(Math.max(1, toMs - fromMs)), key);
}

// ---- the incidents, one builder per place a key can be ----

async function neverAdded(rng: Rng, index: number): Promise<Case> {
  const [key, ...others] = pickKeys(rng, 4 + rng.int(4));
  const c = new Incident(1 + rng.int(3), (k) => ({ ms: 10 + rng.fork(k).int(190) }));
  const [ns, name] = key.split('/');
  const hash = rng.shuffle([...'bcdfghjklmnpqrstvwxz2456789']).slice(0, 10).join('');
  // The usual bugs: the handler enqueued the ReplicaSet's key, the bare name, or another namespace's.
  const variant = index % 3;
  const nearMiss = variant === 0 ? `${key}-${hash.slice(0, 9)}` : variant === 1 ? name : `${rng.pick(NAMESPACES.filter((n) => n !== ns))}/${name}`;
  background(c, rng, [...others, nearMiss], 0, 2000);
  const evidence = await c.observeAt(3000 + rng.int(5000));
  return { key, evidence, truth: { where: 'never-added' }, setup: `${workersText(c.workers)}; the handler enqueued ${nearMiss} and ${others.length} other keys` };
}

/** The key queued behind others, added once more (`dedup`) or (`!dedup`, every other seed) handled before. */
async function inLine(rng: Rng, index: number, dedup: boolean): Promise<Case> {
  const workers = 1 + rng.int(2);
  const before = workers + 1 + rng.int(3);
  const after = rng.int(3);
  const [key, ...others] = pickKeys(rng, 1 + before + after);
  const earlier = !dedup && index % 2 === 0;
  const T0 = 1000;
  const c = new Incident(workers, (k, attempt) => {
    // Before T0 (only when `earlier`): the key and `workers` others each synced once, quickly.
    if (earlier && attempt === 1 && (k === key || others.slice(0, workers).includes(k))) return { ms: k === key ? 20 : 50 };
    return { ms: 300 + rng.fork(`${k}#${attempt}`).int(600) };
  });
  if (earlier) {
    // Workers busy: the key waits in line, a second add is deduplicated, then it is handled.
    for (const k of others.slice(0, workers)) c.addAt(0, k);
    c.addAt(1, key);
    c.addAt(2, key);
  }
  others.slice(0, before).forEach((k, i) => c.addAt(T0 + i, k));
  c.addAt(T0 + 10, key);
  others.slice(before).forEach((k, i) => c.addAt(T0 + 20 + i, k));
  const extra = dedup ? 1 + rng.int(3) : 0;
  for (let j = 0; j < extra; j++) c.addAt(T0 + 30 + 40 * j, key);
  const evidence = await c.observeAt(T0 + 160 + rng.int(100));
  const ahead = evidence.snapshot.queue.indexOf(key);
  if (ahead < 0) throw new Error(`KubeLab bug: ${key} should be queued in this incident`);
  const setup = `${workersText(workers)} busy with syncs of 300-900 ms; ${key} added at ${T0 + 10} ms${extra ? ` and ${extra} more time${extra === 1 ? '' : 's'} after` : ''}${earlier ? ', and once before, at 1 ms' : ''}`;
  return { key, evidence, truth: { where: dedup ? 'deduplicated' : 'queued', ahead }, setup };
}

async function processing(rng: Rng, index: number): Promise<Case> {
  const [key, ...others] = pickKeys(rng, 5 + rng.int(4));
  const c = new Incident(2 + rng.int(3), (k) => ({ ms: 10 + rng.fork(k).int(190), hangs: k === key }));
  const addedAt = 200 + rng.int(3000);
  const obsAt = addedAt + 5000 + rng.int(55_000);
  for (let t = rng.int(300); t < obsAt; t += 100 + rng.int(300)) c.addAt(t, rng.pick(others));
  c.addAt(addedAt, key);
  const updated = index % 2 === 0;
  if (updated) c.addAt(addedAt + 1000, key); // an update while it hangs: deferred
  const evidence = await c.observeAt(obsAt);
  const started = c.syncs.filter((s) => s.key === key).at(-1)!;
  return {
    key,
    evidence,
    truth: { where: 'processing', forMs: obsAt - started.t },
    setup: `${workersText(c.workers)}; ${key} added at ${addedAt} ms${updated ? ' and updated 1 s later' : ''}; other keys every 100-400 ms`,
  };
}

async function waiting(rng: Rng): Promise<Case> {
  const [key, ...others] = pickKeys(rng, 3 + rng.int(4));
  const c = new Incident(1 + rng.int(3), (k) => ({ ms: 10 + rng.fork(k).int(30), fails: k === key }));
  const failures = 3 + rng.int(11);
  c.addAt(rng.int(500), key);
  background(c, rng, others, 0, 3000);
  await c.runUntil(() => c.trace.events.filter(isFailure(key)).length >= failures);
  const failed = c.trace.events.filter(isFailure(key)).at(-1)!;
  const delayMs = Number(failed.delayMs);
  const evidence = await c.observeAt(failed.t + 1 + rng.int(delayMs - 1));
  const readyAtMs = failed.t + delayMs;
  const entry = evidence.snapshot.waiting.find((w) => w.item === key);
  if (entry?.readyAtMs !== readyAtMs) throw new Error(`KubeLab bug: ${key} should wait until ${readyAtMs} ms`);
  return { key, evidence, truth: { where: 'waiting', readyAtMs }, setup: `${workersText(c.workers)}; every sync of ${key} fails (${failures} failures so far)` };
}

/** Keys that fail a few times and then succeed: forgotten after failures, like a dropped key. */
function flaky(rng: Rng, keys: string[]): Map<string, number> {
  return new Map(keys.map((k) => [k, 1 + rng.int(5)]));
}

async function dropped(rng: Rng): Promise<Case> {
  const [key, ...others] = pickKeys(rng, 4 + rng.int(4));
  const recovers = flaky(rng, others.slice(0, 2));
  const c = new Incident(1 + rng.int(3), (k, attempt) => ({ ms: 10 + rng.fork(k).int(30), fails: k === key || attempt <= (recovers.get(k) ?? 0) }));
  c.addAt(rng.int(2000), key);
  background(c, rng, others, 0, 5000);
  await c.runUntil(() => c.find(isDrop(key)) !== undefined);
  const drop = c.find(isDrop(key))!;
  const evidence = await c.observeAt(drop.t + 1000 + rng.int(20_000));
  return { key, evidence, truth: { where: 'dropped' }, setup: `${workersText(c.workers)}; every sync of ${key} fails; ${[...recovers.keys()].join(' and ')} fail a few times, then succeed` };
}

async function done(rng: Rng, index: number): Promise<Case> {
  const [key, other, ...rest] = pickKeys(rng, 4 + rng.int(4));
  // Every other seed, the key failed first, and another key is dropped meanwhile (a "Dropping"
  // line that is not about this key). On the others, the controller is shutting down by the time
  // you look: that says nothing about a key that was done before.
  const failures = index % 2 === 0 ? 1 + rng.int(5) : 0;
  const otherDropped = index % 2 === 0;
  const stopping = index % 2 === 1;
  const c = new Incident(1 + rng.int(3), (k, attempt) => ({
    ms: 10 + rng.fork(k).int(30),
    fails: (k === key && attempt <= failures) || (otherDropped && k === other),
  }));
  c.addAt(rng.int(2000), key);
  background(c, rng, otherDropped ? [other, ...rest] : rest, 0, 5000);
  await c.runUntil(() => c.find((e) => e.type === 'workqueue.forget' && e.item === key) !== undefined && (!otherDropped || c.find(isDrop(other)) !== undefined));
  const stopAt = c.clock.now() + 100 + rng.int(1000);
  if (stopping) c.at(stopAt, () => c.queue.shutDown());
  const evidence = await c.observeAt(stopAt + 500 + rng.int(10_000));
  const setup =
    `${workersText(c.workers)}; ${key} failed ${failures} time${failures === 1 ? '' : 's'} before it synced` +
    `${otherDropped ? `; every sync of ${other} fails` : ''}${stopping ? `; the queue shut down at ${stopAt} ms` : ''}`;
  return { key, evidence, truth: { where: 'done' }, setup };
}

async function shutOut(rng: Rng, index: number): Promise<Case> {
  const [key, ...others] = pickKeys(rng, 3 + rng.int(4));
  const inHeap = index % 2 === 0;
  const c = new Incident(1 + rng.int(3), (k) => ({ ms: 10 + rng.fork(k).int(30), fails: inHeap && k === key }));
  background(c, rng, others, 0, 1000);
  let setup: string;
  let quietAfterMs: number;
  if (inHeap) {
    // The controller stops while the key waits for its backoff.
    const failures = 1 + rng.int(6);
    c.addAt(rng.int(500), key);
    await c.runUntil(() => c.trace.events.filter(isFailure(key)).length >= failures);
    const failed = c.trace.events.filter(isFailure(key)).at(-1)!;
    const stopAt = failed.t + 1 + rng.int(Number(failed.delayMs) - 1);
    c.at(stopAt, () => (rng.chance(0.5) ? c.queue.shutDown() : void c.queue.shutDownWithDrain()));
    quietAfterMs = stopAt;
    setup = `${workersText(c.workers)}; ${key} failed ${failures} time${failures === 1 ? '' : 's'}, and the queue shut down at ${stopAt} ms`;
  } else {
    // The controller stops; an informer event for the key still arrives.
    const stopAt = 1500 + rng.int(2000);
    if (rng.chance(0.5)) c.addAt(rng.int(1000), key);
    c.at(stopAt, () => c.queue.shutDown());
    c.addAt(stopAt + 1 + rng.int(1000), key);
    quietAfterMs = stopAt + 1000;
    setup = `${workersText(c.workers)}; the queue shut down at ${stopAt} ms, and an event for ${key} arrived after`;
  }
  const evidence = await c.observeAt(quietAfterMs + 1 + rng.int(5000));
  return { key, evidence, truth: { where: 'shutting-down' }, setup };
}

// ---- comparing answers ----

/** The learner's answer, reduced to the fields the truth has (extra fields are fine). */
function comparable(answer: unknown, truth: Diagnosis): unknown {
  if (typeof answer !== 'object' || answer === null) return answer;
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(truth)) out[field] = (answer as Record<string, unknown>)[field];
  return out;
}

/** The key's last few lines of history, as the learner's own report would show them. */
function history(c: Case): string {
  const lines = c.evidence.events
    .filter((e) => e.item === c.key || e.deployment === c.key)
    .map((e) => (e.type.startsWith('workqueue.') ? formatWorkqueueEvent(e).replace(/\s+/g, ' ') : `t=${e.t}ms log ${String(e.message).split('"')[1]}`));
  if (lines.length === 0) return `no event names ${c.key}`;
  return (lines.length > 4 ? '…; ' : '') + lines.slice(-4).join('; ');
}

async function expectDiagnoses(
  learner: Record<string, unknown>,
  seeds: readonly number[],
  expect: Expect,
  builders: Record<string, (rng: Rng, index: number) => Promise<Case>>,
) {
  const whereIsMyKey = exportedFunction<WhereIsMyKey>(learner, 'whereIsMyKey');
  // Builders alternate their variants with the seed's index, so every run sees each of them.
  for (const [index, seed] of seeds.entries()) {
    for (const [name, build] of Object.entries(builders)) {
      const c = await build(rngFromSeed(seed).fork(name), index);
      const answer = whereIsMyKey(c.key, structuredClone(c.evidence));
      expect(comparable(answer, c.truth), `whereIsMyKey('${c.key}') at t=${c.evidence.nowMs} ms (seed ${seed}: ${c.setup}). Its history: ${history(c)}`).to.deep.equal(c.truth);
    }
  }
}

export const findsKeysInTheQueue = check(
  'Finds a key that is queued (and how many are ahead), being processed (for how long) or waiting in the heap (until when)',
  async ({ learner, seeds, expect }) => expectDiagnoses(learner, seeds, expect, { queued: (rng, i) => inLine(rng, i, false), processing, waiting }),
  { hint: 'The snapshot holds the three places: queue (in order), processing, waiting (with readyAtMs). How long a worker has held a key starts at its last get.' },
);

export const tellsMergedFromQueued = check(
  'Tells a key whose newest add was merged into its queued entry from one that joined the line',
  async ({ learner, seeds, expect }) => expectDiagnoses(learner, seeds, expect, { deduplicated: (rng, i) => inLine(rng, i, true), queued: (rng, i) => inLine(rng, i, false) }),
  { hint: 'Both are in the queue at the same place. What did the newest workqueue.add of the key report — and does an older add tell you anything about the entry queued now?' },
);

export const explainsMissingKeys = check(
  'Explains a key that is nowhere in the queue: never added, reconciled, dropped by the controller, or shut out',
  async ({ learner, seeds, expect }) => expectDiagnoses(learner, seeds, expect, { 'never-added': neverAdded, done, dropped, 'shutting-down': shutOut }),
  {
    hint: 'Compare keys exactly. Every add, addAfter or addRateLimited ends in the queue, the heap or a worker, unless the queue is shutting down. And the queue never drops a key on its own: the controller does, and logs it.',
  },
);

// ---- the metrics ----

interface Slowdown {
  cause: 'too-few-workers' | 'stuck-worker' | 'failing-with-backoff';
  metrics: TraceEvent[];
  workers: number;
  nowMs: number;
}

/** Distinct keys `default/app-<i>` arriving every `everyMs` (± a little) until `untilMs`. */
function arrivals(c: Incident, rng: Rng, everyMs: number, untilMs: number): void {
  let i = 0;
  for (let t = rng.int(everyMs); t < untilMs; t += Math.round(everyMs * (0.8 + 0.4 * rng.float()))) c.addAt(t, `default/app-${i++}`);
}

async function slowdown(c: Incident, cause: Slowdown['cause'], nowMs: number): Promise<Slowdown> {
  const ev = await c.observeAt(nowMs);
  return { cause, metrics: ev.events.filter((e) => e.type === 'workqueue.metric'), workers: c.workers, nowMs };
}

/** More arrivals than the workers can sync; a few keys fail once (conflicts happen). */
async function tooFewWorkers(rng: Rng, slow: boolean): Promise<Slowdown> {
  const workers = slow ? 3 + rng.int(2) : 1 + rng.int(2);
  const conflicts = new Set(Array.from({ length: 1 + rng.int(2) }, () => `default/app-${rng.int(20)}`));
  const c = new Incident(workers, (k, attempt) => ({
    ms: slow ? 1000 + rng.fork(k).int(2000) : 150 + rng.fork(k).int(200),
    fails: attempt === 1 && conflicts.has(k),
  }));
  const everyMs = slow ? 100 + rng.int(100) : 40 + rng.int(40);
  const untilMs = (30 + rng.int(20)) * everyMs;
  arrivals(c, rng, everyMs, untilMs);
  return slowdown(c, 'too-few-workers', untilMs);
}

/** One sync hangs; the other workers keep up (light) or fall behind (heavy). */
async function stuckWorker(rng: Rng, heavy: boolean): Promise<Slowdown> {
  const workers = heavy ? 2 : 2 + rng.int(3);
  const stuck = `default/app-${5 + rng.int(10)}`;
  const c = new Incident(workers, (k) => ({ ms: heavy ? 90 + rng.fork(k).int(31) : 20 + rng.fork(k).int(130), hangs: k === stuck }));
  const nowMs = 16_000 + rng.int(14_000);
  arrivals(c, rng, heavy ? 40 + rng.int(21) : 200 + rng.int(200), nowMs);
  return slowdown(c, 'stuck-worker', nowMs);
}

/** Some keys fail on every sync, fast (connection refused) or slow (a 10 s webhook timeout). */
async function failingWithBackoff(rng: Rng, slow: boolean): Promise<Slowdown> {
  const failing = 2 + rng.int(3);
  const workers = slow ? failing + 1 + rng.int(2) : 1 + rng.int(4);
  const keys = Array.from({ length: failing + 3 + rng.int(6) }, (_, i) => `default/app-${i}`);
  const broken = new Set(rng.shuffle(keys).slice(0, failing));
  const c = new Incident(workers, (k) => (broken.has(k) ? { ms: slow ? 10_000 : 10 + rng.fork(k).int(30), fails: true, slowFailure: slow } : { ms: 20 + rng.fork(k).int(180) }));
  for (const k of keys) c.addAt(broken.has(k) ? rng.int(2000) : rng.int(5000), k);
  return slowdown(c, 'failing-with-backoff', (slow ? 40_000 : 20_000) + rng.int(80_000));
}

function summary(s: Slowdown): string {
  const values = (name: string) => s.metrics.filter((m) => m.name === name).map((m) => Number(m.value));
  const last = (name: string) => values(name).at(-1) ?? 0;
  return (
    `depth=${last('depth')} adds=${last('adds')} retries=${last('retries')} longest_running_processor=${last('longest_running_processor')}ms ` +
    `unfinished_work=${last('unfinished_work')}ms, slowest work_duration=${Math.max(0, ...values('work_duration'))}ms`
  );
}

export const triagesFromMetrics = check(
  'Tells too few workers, a stuck worker and a failing reconcile apart from the metrics alone',
  async ({ learner, seeds, expect }) => {
    const triage = exportedFunction<Triage>(learner, 'triage');
    for (const [index, seed] of seeds.entries()) {
      const rng = rngFromSeed(seed);
      // Variants alternate over the seeds, so every run sees each of them.
      const cases = [
        await tooFewWorkers(rng.fork('too-few'), index % 2 === 1),
        await stuckWorker(rng.fork('stuck'), index % 2 === 0),
        await failingWithBackoff(rng.fork('failing'), index % 2 === 1),
      ];
      for (const s of cases) {
        const answer = triage(structuredClone(s.metrics), s.workers);
        expect(answer, `triage at t=${s.nowMs} ms with ${workersText(s.workers)} (seed ${seed}): ${summary(s)}`).to.equal(s.cause);
      }
    }
  },
  {
    hint: 'Depth says keys wait, not why. Which metric grows only while a worker holds a key, and what is a normal value for it next to work_duration? Which counter moves with every backoff, and what do you compare it with?',
  },
);
