import {
  FakeClock,
  activeTrace,
  defaultControllerRateLimiter,
  formatWorkqueueEvent,
  newRateLimitingQueue,
  runUntilIdle,
  setLogVerbosity,
  settle,
  type QueueSnapshot,
  type RateLimitingQueue,
  type TraceEvent,
} from 'kubelab';

/** What an operator can look at when a key seems lost. */
export interface Evidence {
  /** The virtual time of the observation, in ms. */
  nowMs: number;
  /** The controller's queue as a debugger would show it. */
  snapshot: QueueSnapshot;
  /**
   * Everything the queue traced (`workqueue.*`, metrics included) and the controller's log lines
   * (`deployment-controller.log`, with the key in `deployment`), oldest first.
   */
  events: TraceEvent[];
}

/** Where a key is, with the one detail an operator asks next. */
export type Diagnosis =
  /** No add of this exact key ever reached the queue. */
  | { where: 'never-added' }
  /** Queued, and its newest add found it already queued: merged into that entry. `ahead`: keys in front of it. */
  | { where: 'deduplicated'; ahead: number }
  /** Queued, waiting for a worker behind `ahead` keys. */
  | { where: 'queued'; ahead: number }
  /** A worker has held it for `forMs`. */
  | { where: 'processing'; forMs: number }
  /** In the delay heap (a backoff) until `readyAtMs`. */
  | { where: 'waiting'; readyAtMs: number }
  /** The controller gave up after maxRetries and forgot it; only a new event brings it back. */
  | { where: 'dropped' }
  /** Asked for, but the queue is shutting down: the add was ignored or the heap entry dropped. */
  | { where: 'shutting-down' }
  /** Reconciled successfully; nothing pending. The queue is not where the problem is. */
  | { where: 'done' };

/** Events that ask for the key to be processed (now or later). */
const REQUESTS = new Set(['workqueue.add', 'workqueue.addAfter', 'workqueue.addRateLimited']);

/** Steps 2-4: where `key` is, from the evidence alone. */
export function whereIsMyKey(key: string, { nowMs, snapshot, events }: Evidence): Diagnosis {
  // The queue's events name the key in `item`; the controller's log lines in `deployment`.
  const mine = events.filter((e) => e.item === key && e.type.startsWith('workqueue.'));
  // 1. Somewhere in the queue's three places.
  if (snapshot.processing.includes(key)) {
    const got = mine.filter((e) => e.type === 'workqueue.get').at(-1)!;
    return { where: 'processing', forMs: nowMs - got.t };
  }
  const ahead = snapshot.queue.indexOf(key);
  if (ahead >= 0) {
    // An add that finds the key dirty changes nothing: not its place in line, not its
    // queue_duration (metrics.go keeps the first add time). Only the newest add matters: an
    // older dedup says nothing about the entry queued now.
    const lastAdd = mine.filter((e) => e.type === 'workqueue.add').at(-1);
    return { where: lastAdd?.result === 'deduped' ? 'deduplicated' : 'queued', ahead };
  }
  const waiting = snapshot.waiting.find((w) => w.item === key);
  if (waiting) return { where: 'waiting', readyAtMs: waiting.readyAtMs };

  // 2. Nowhere. Every add, addAfter or addRateLimited ends in the queue, the heap or a worker —
  // unless the queue is shutting down: Add ignores the key, and the waiting loop returns without
  // adding what is in its heap.
  if (mine.length === 0) return { where: 'never-added' };
  const lastGet = mine.map((e) => e.type).lastIndexOf('workqueue.get');
  if (mine.slice(lastGet + 1).some((e) => REQUESTS.has(e.type))) return { where: 'shutting-down' };
  // The queue never drops a key by itself; a controller does, and says so in its log. Forget
  // alone proves nothing: handleErr forgets on success too.
  const gaveUp = events.some((e) => e.deployment === key && String(e.message).includes('Dropping deployment out of the queue'));
  return gaveUp ? { where: 'dropped' } : { where: 'done' };
}

/** Why a controller falls behind, as the queue's metrics show it. */
export type Cause = 'too-few-workers' | 'stuck-worker' | 'failing-with-backoff';

/**
 * Step 5: the cause, from the queue's `workqueue.metric` events alone (what Prometheus scrapes),
 * and the number of workers the controller runs. Durations are in ms.
 */
export function triage(metrics: TraceEvent[], workers: number): Cause {
  const values = (name: string) => metrics.filter((m) => m.name === name).map((m) => Number(m.value));
  const last = (name: string) => values(name).at(-1) ?? 0;
  // A processor that has been running far longer than any reconcile ever took: stuck (a call
  // without a timeout, a deadlock, a missing Done). Its age grows one second per second, and
  // it holds a worker, so depth may grow too — depth alone would blame the worker count.
  const slowestFinished = Math.max(0, ...values('work_duration'));
  if (last('longest_running_processor') > 10 * Math.max(slowestFinished, 100)) return 'stuck-worker';
  // Every AddRateLimited is an AddAfter, which counts a retry; its add counts again when the
  // backoff ends. When retries are a large share of adds, the queue is mostly replaying failures.
  if (last('retries') > 0.25 * last('adds')) return 'failing-with-backoff';
  // Nothing stuck, little failing, yet keys wait: the workers are busy all the time.
  return 'too-few-workers';
}

// ---- Run me: six incidents in a Deployment controller ----
const MAX_RETRIES = 15; // pkg/controller/deployment/deployment_controller.go at v1.34.0
const WEBHOOK_DOWN = 'Internal error occurred: failed calling webhook "validate.policy.example.com": failed to call webhook: Post "https://policy.example.svc:443/validate?timeout=10s": dial tcp 10.96.0.42:443: connect: connection refused';

/** A sync: how long it takes and how it ends, per key and attempt. */
type Plan = (key: string, attempt: number) => { ms: number; fails?: boolean; hangs?: boolean };

/** The Deployment controller's worker loop and handleErr over a named rate-limiting queue. */
class Controller {
  readonly clock = new FakeClock();
  readonly queue: RateLimitingQueue<string>;
  private readonly attempts = new Map<string, number>();

  constructor(readonly name: string, readonly workers: number, private readonly plan: Plan) {
    this.queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock: this.clock, name, unfinishedWorkUpdatePeriodMs: 500 });
    for (let i = 0; i < workers; i++) void this.runWorker();
  }

  addAt(ms: number, key: string) {
    this.clock.afterFunc(ms, () => this.queue.add(key));
  }

  /** Runs until `ms`, then returns what an operator can see. */
  async observeAt(ms: number): Promise<Evidence> {
    await runUntilIdle(this.clock, { forMs: ms - this.clock.now() });
    this.clock.setTime(ms);
    await settle();
    const events = (activeTrace()?.events ?? []).filter((e) => e.queue === this.name || e.controller === this.name);
    return { nowMs: ms, snapshot: this.queue.snapshot(), events };
  }

  private async runWorker() {
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

  private async sync(key: string) {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const { ms, fails, hangs } = this.plan(key, attempt);
    if (hangs) await new Promise(() => {}); // a call without a timeout that never answers
    await this.clock.sleep(ms);
    if (fails) throw new Error(WEBHOOK_DOWN);
  }

  private handleErr(err: Error | undefined, key: string) {
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

  /** A structured klog line, as the controller writes it. */
  private log(level: 'info' | 'error', v: number, msg: string, key: string | undefined, err: Error) {
    const kv = key === undefined ? ` err=${JSON.stringify(err.message)} logger="UnhandledError"` : ` deployment=${JSON.stringify(key)} err=${JSON.stringify(err.message)}`;
    activeTrace()?.emit(this.clock.now(), 'deployment-controller', 'deployment-controller.log', {
      controller: this.name,
      level,
      v,
      source: 'deployment_controller.go',
      message: JSON.stringify(msg) + kv,
      ...(key === undefined ? {} : { deployment: key }),
    });
  }
}

/** What an operator would look at for `key`: the queue now, the key's history, the gauges. */
function report(title: string, key: string, ev: Evidence) {
  const s = ev.snapshot;
  console.log(`\n== ${title} (t=${ev.nowMs} ms)`);
  console.log(`   queue=[${s.queue.join(', ')}] processing={${s.processing.join(', ')}} waiting=[${s.waiting.map((w) => `${w.item}@${w.readyAtMs}`).join(', ')}]${s.shuttingDown ? ' shutting down' : ''}`);
  const history = ev.events.filter((e) => e.item === key || e.deployment === key);
  const shown = history.slice(-5);
  const older = history.length - shown.length;
  if (older > 0) console.log(`   … ${older} older event${older === 1 ? '' : 's'} of ${key}`);
  for (const e of shown) {
    // Log lines are long (klog quotes the whole error): show the message and the key.
    const line = e.type.startsWith('workqueue.') ? formatWorkqueueEvent(e) : `${`t=${e.t}ms`.padEnd(10)} ${e.controller}  log ${String(e.message).split(' err=')[0]}`;
    console.log(`   ${line}`);
  }
  if (history.length === 0) console.log(`   (no event names ${key})`);
  const metrics = ev.events.filter((e) => e.type === 'workqueue.metric');
  const gauge = (name: string) => metrics.filter((m) => m.name === name).at(-1)?.value ?? 0;
  console.log(`   metrics: depth=${gauge('depth')} adds=${gauge('adds')} retries=${gauge('retries')} longest_running_processor=${gauge('longest_running_processor')}ms`);
  console.log(`   whereIsMyKey('${key}') -> ${JSON.stringify(whereIsMyKey(key, ev))}`);
}

{
  // 1. One worker, slow syncs; default/web is updated three times while it waits.
  const c = new Controller('web-updates', 1, () => ({ ms: 800 }));
  for (const key of ['default/api', 'default/db', 'default/cache']) c.addAt(0, key);
  for (const t of [10, 200, 400]) c.addAt(t, 'default/web');
  c.addAt(500, 'default/auth');
  report('1. "I updated default/web three times and nothing happened"', 'default/web', await c.observeAt(600));
}
{
  // 2. Three workers; default/api's sync calls a webhook without a timeout.
  const c = new Controller('api-stuck', 3, (key) => ({ ms: 50, hangs: key === 'default/api' }));
  for (const [t, key] of [[0, 'default/web'], [100, 'default/api'], [200, 'default/db']] as const) c.addAt(t, key);
  report('2. "default/api has not converged for a minute"', 'default/api', await c.observeAt(60_000));
}
{
  // 3. The admission webhook is down: every sync of default/db fails.
  const c = new Controller('db-backoff', 2, (key) => ({ ms: 20, fails: key === 'default/db' }));
  c.addAt(0, 'default/db');
  report('3. "default/db: Error syncing deployment, over and over"', 'default/db', await c.observeAt(3_000));
}
{
  // 4. The same, for longer.
  const c = new Controller('cache-dropped', 2, (key) => ({ ms: 20, fails: key === 'default/cache' }));
  c.addAt(0, 'default/cache');
  report('4. "default/cache stopped retrying"', 'default/cache', await c.observeAt(200_000));
}
{
  // 5. The event handler enqueues a ReplicaSet's key instead of its Deployment's.
  const c = new Controller('wrong-key', 2, () => ({ ms: 30 }));
  c.addAt(0, 'default/web-5d4f8b7c9');
  c.addAt(50, 'default/db');
  report('5. "default/web never reconciles"', 'default/web', await c.observeAt(1_000));
}
{
  // 6. The queue shuts down while default/auth waits for its backoff.
  const c = new Controller('shutdown', 2, (key, attempt) => ({ ms: 20, fails: key === 'default/auth' && attempt === 1 }));
  c.addAt(0, 'default/auth');
  c.clock.afterFunc(22, () => c.queue.shutDown()); // the controller is stopping
  report('6. "default/auth was retried, then nothing"', 'default/auth', await c.observeAt(1_000));
}

// Step 5: what the metrics say about three slow controllers. Operators read dashboards here,
// not logs: print only klog's V(0) lines from now on.
setLogVerbosity(0);
console.log('');
for (const [title, c] of [
  ['too few workers', new Controller('busy', 1, () => ({ ms: 400 }))],
  ['a stuck worker', new Controller('stuck', 2, (key) => ({ ms: 300, hangs: key === 'default/app-3' }))],
  ['failing with backoff', new Controller('failing', 2, (key) => ({ ms: 20, fails: key.endsWith('0') }))],
] as const) {
  for (let i = 0; i < 40; i++) c.addAt(i * 250, `default/app-${i}`);
  const ev = await c.observeAt(10_000);
  const metrics = ev.events.filter((e) => e.type === 'workqueue.metric');
  const gauge = (name: string) => metrics.filter((m) => m.name === name).at(-1)?.value ?? 0;
  console.log(
    `${title.padEnd(21)} depth=${gauge('depth')} adds=${gauge('adds')} retries=${gauge('retries')} ` +
      `longest_running_processor=${gauge('longest_running_processor')}ms -> triage: ${triage(metrics, c.workers)}`,
  );
}
