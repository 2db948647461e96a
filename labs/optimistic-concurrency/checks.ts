/**
 * Checks of the optimistic-concurrency lab. Each check takes its own copy of the lab's cluster
 * (etcd + API server models), creates its own ConfigMaps and drives the cluster's virtual clock.
 * Conflicts are real: an update carrying a stale resourceVersion answered 409 by the API server
 * model. Writers race through a network of their own with seeded latency, so the interleavings
 * change with the seed. The learner's retryOnConflict is compared with kubelab's, the model of
 * client-go's retry.RetryOnConflict (util/retry/util.go, apimachinery wait/backoff.go at v0.34.0).
 */
import { check, exportedFunction } from '../../src/lab/checks';
import {
  MergePatchType,
  isConflict,
  newClientset,
  newConflict,
  newNotFound,
  retryOnConflict as clientGoRetryOnConflict,
  rngFromSeed,
  runUntilIdle,
  type Backoff,
  type FakeClock,
  type KubeObject,
  type LabCluster,
  type ResourceClient,
  type RestTransport,
  type Rng,
} from '../../src/sim/index';

type RetryOnConflict = (backoff: Backoff, clock: FakeClock, fn: () => Promise<void>, jitter?: () => number) => Promise<void>;
type IncrementCounter = (configMaps: ResourceClient, name: string, clock: FakeClock, backoff?: Backoff) => Promise<void>;

interface Predictions {
  naiveFinalCount?: unknown;
  naiveConflicts?: unknown;
  mergePatchFinalCount?: unknown;
}

/** How a promise the check started ended, once the clock has run as far as it will. */
type Outcome = { state: 'resolved' } | { state: 'rejected'; error: unknown } | { state: 'pending' };

/** Runs `start()` and the cluster's clock until the promise settles (or `forMs` of virtual time pass). */
async function drive(clock: FakeClock, start: () => Promise<unknown>, forMs = 10 * 60_000): Promise<Outcome> {
  let outcome: Outcome = { state: 'pending' };
  Promise.resolve()
    .then(start)
    .then(
      () => (outcome = { state: 'resolved' }),
      (error: unknown) => (outcome = { state: 'rejected', error }),
    );
  await runUntilIdle(clock, { forMs, until: () => outcome.state !== 'pending' });
  return outcome;
}

function describeError(e: unknown): string {
  const status = (e as { status?: { code?: number; reason?: string } })?.status;
  const text = (e as Error)?.message ?? String(e);
  return status?.code ? `${status.code} ${status.reason}: ${text}` : text;
}

function describeOutcome(o: Outcome): string {
  if (o.state === 'resolved') return 'resolved';
  if (o.state === 'pending') return 'still pending (it waited on the clock for more than 10 minutes, or never settled)';
  return `rejected with ${describeError(o.error)}`;
}

function describeBackoff(b: Backoff): string {
  return `{ steps: ${b.steps}, durationMs: ${b.durationMs}, factor: ${b.factor}, jitter: ${b.jitter} }`;
}

const ms = (n: number) => Math.round(n * 1e6) / 1e6;

/** A client that talks straight to the cluster, unthrottled: the check's own hands. */
function adminConfigMaps(cluster: LabCluster): ResourceClient {
  return cluster.clientset({ qps: -1, userAgent: 'lab-check' }).coreV1().configMaps('default');
}

async function createCounter(cluster: LabCluster, name: string, count = '0'): Promise<KubeObject> {
  return adminConfigMaps(cluster).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { count } });
}

/** A ConfigMap copy whose resourceVersion is out of date: updating it answers a real 409. */
async function staleCopy(cluster: LabCluster, name: string): Promise<KubeObject> {
  const cms = adminConfigMaps(cluster);
  const stale = await cms.get(name);
  const fresh = await cms.get(name);
  fresh.data = { ...(fresh.data as Record<string, string>), touchedBy: 'someone-else' };
  await cms.update(fresh);
  return stale;
}

// ---- Step 1 --------------------------------------------------------------------------------

/** The race of main.ts: three controllers, own clients (QPS 20 / burst 30), 4 increments each, at once. */
async function race(cluster: LabCluster, increment: (cms: ResourceClient) => Promise<void>): Promise<{ count: number; failures: unknown[] }> {
  const admin = cluster.clientset({ userAgent: 'kubectl' }).coreV1().configMaps('default');
  const start = await admin.get('counter');
  start.data = { ...(start.data as Record<string, string>), count: '0' };
  await admin.update(start);
  const failures: unknown[] = [];
  const controllers = ['alpha', 'beta', 'gamma'].map((who) => cluster.clientset({ userAgent: `${who}-controller`, qps: 20, burst: 30 }).coreV1().configMaps('default'));
  const outcome = await drive(cluster.clock, () =>
    Promise.all(
      controllers.map(async (cms) => {
        for (let i = 1; i <= 4; i++) {
          try {
            await increment(cms);
          } catch (err) {
            failures.push(err);
          }
        }
      }),
    ),
  );
  if (outcome.state !== 'resolved') throw new Error(`the check's own race did not finish: ${describeOutcome(outcome)}`);
  const end = await admin.get('counter');
  return { count: Number((end.data as Record<string, string>).count), failures };
}

export const predictsTheRace = check(
  'Predicts how the naive update and the merge patch end when three controllers race',
  async ({ learner, expect, newCluster }) => {
    const p = (learner.predictions ?? {}) as Predictions;
    expect(learner.predictions, 'main.ts must export `predictions`').to.be.an('object');
    const cluster = await newCluster();
    // The session's counter may have been edited or deleted in the terminal: start from a fresh one.
    await adminConfigMaps(cluster).delete('counter').catch(() => undefined);
    await createCounter(cluster, 'counter');
    const naive = await race(cluster, async (cms) => {
      const cm = await cms.get('counter');
      cm.data = { ...(cm.data as Record<string, string>), count: String(Number((cm.data as Record<string, string>).count) + 1) };
      await cms.update(cm);
    });
    const conflicts = naive.failures.filter(isConflict).length;
    const patched = await race(cluster, async (cms) => {
      const cm = await cms.get('counter');
      await cms.patch('counter', MergePatchType, { data: { count: String(Number((cm.data as Record<string, string>).count) + 1) } });
    });
    expect(p.naiveFinalCount, `predictions.naiveFinalCount (count after the naive race, in which ${conflicts} of 12 updates answered 409 Conflict)`).to.equal(naive.count);
    expect(p.naiveConflicts, 'predictions.naiveConflicts (updates that failed with 409 Conflict)').to.equal(conflicts);
    expect(p.mergePatchFinalCount, `predictions.mergePatchFinalCount (count after the merge-patch race, in which ${patched.failures.length} requests failed)`).to.equal(patched.count);
  },
  { hint: 'Run the starter: its first two lines are the naive race and the merge-patch race. Then work out why — every controller read the same resourceVersion.' },
);

// ---- Steps 2 and 3 -------------------------------------------------------------------------

/** What the learner's retryOnConflict did with one scripted fn. */
interface Trial {
  outcome: Outcome;
  /** Virtual time at which each attempt started, and at which it settled. */
  starts: number[];
  ends: number[];
  /** What each attempt threw (undefined: it resolved). */
  thrown: unknown[];
  endMs: number;
}

/**
 * Runs `retry(backoff, clock, fn)` where attempt n (from 1) does `attempt(n)`, on the cluster's
 * clock, recording when each attempt ran.
 */
async function trial(cluster: LabCluster, retry: RetryOnConflict, backoff: Backoff, attempt: (n: number) => Promise<void>, jitter?: () => number): Promise<Trial> {
  const clock = cluster.clock;
  const t: Trial = { outcome: { state: 'pending' }, starts: [], ends: [], thrown: [], endMs: 0 };
  const t0 = clock.now();
  const fn = async () => {
    t.starts.push(clock.now() - t0);
    try {
      await attempt(t.starts.length);
      t.thrown.push(undefined);
    } catch (e) {
      t.thrown.push(e);
      throw e;
    } finally {
      t.ends.push(clock.now() - t0);
    }
  };
  t.outcome = await drive(clock, () => (jitter ? retry(backoff, clock, fn, jitter) : retry(backoff, clock, fn)));
  t.endMs = clock.now() - t0;
  return t;
}

/** The waits between attempts, as the learner's loop slept them. */
function waits(t: Trial): number[] {
  return t.starts.slice(1).map((s, i) => ms(s - t.ends[i]));
}

/** What client-go waits before attempts 2..n (jitter 0). */
function expectedWaits(b: Backoff, n: number): number[] {
  const out: number[] = [];
  let d = b.durationMs;
  for (let i = 1; i < Math.min(n, b.steps); i++) {
    out.push(d);
    d = b.factor === 0 ? d : d * b.factor;
  }
  return out;
}

export const retriesConflicts = check(
  'retryOnConflict retries fn after a 409 Conflict, waiting durationMs × factorⁿ on the clock, until it succeeds',
  async ({ learner, seeds, expect, newCluster }) => {
    const retry = exportedFunction<RetryOnConflict>(learner, 'retryOnConflict');
    const cluster = await newCluster();
    const cms = adminConfigMaps(cluster);
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const name = `retry-${seed}`;
      await createCounter(cluster, name);
      const stale = await staleCopy(cluster, name);
      const backoff: Backoff = { steps: 3 + rng.int(5), durationMs: 5 + rng.int(30), factor: rng.pick([1, 2, 3, 5]), jitter: 0 };
      const conflicts = 1 + rng.int(backoff.steps - 1);
      // Attempts 1..conflicts send the stale copy (409 from the API server); the next one succeeds.
      const t = await trial(cluster, retry, backoff, async (n) => {
        if (n <= conflicts) await cms.update(stale);
        else await cms.patch(name, MergePatchType, { data: { count: String(n) } });
      });
      const story = `(seed ${seed}: backoff ${describeBackoff(backoff)}, fn answers 409 Conflict ${conflicts}× and then succeeds)`;
      expect(describeOutcome(t.outcome), `how retryOnConflict ended ${story}`).to.equal('resolved');
      expect(t.starts.length, `attempts ${story}`).to.equal(conflicts + 1);
      expect(waits(t), `waits between attempts, in virtual ms ${story}`).to.deep.equal(expectedWaits(backoff, conflicts + 1));
    }
  },
  { hint: 'After a conflict, await clock.sleep(wait) and try again. The first wait is backoff.durationMs; multiply by backoff.factor for the next.' },
);

export const givesUpProperly = check(
  'retryOnConflict returns any other error at once, and the last conflict after backoff.steps attempts',
  async ({ learner, seeds, expect, newCluster }) => {
    const retry = exportedFunction<RetryOnConflict>(learner, 'retryOnConflict');
    const cluster = await newCluster();
    const cms = adminConfigMaps(cluster);
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const name = `give-up-${seed}`;
      await createCounter(cluster, name);
      const stale = await staleCopy(cluster, name);
      const backoff: Backoff = { steps: 2 + rng.int(5), durationMs: 5 + rng.int(20), factor: rng.pick([1, 2]), jitter: 0 };

      // A 404 is returned at once: the object is not there, and retrying will not make it be.
      const missing = `missing-${seed}`;
      let t = await trial(cluster, retry, backoff, async () => void (await cms.get(missing)));
      let story = `(seed ${seed}: fn GETs ConfigMap ${missing}, which does not exist)`;
      expect(describeOutcome(t.outcome), `how retryOnConflict ended ${story}`).to.match(/^rejected with 404 NotFound/);
      expect(t.outcome.state === 'rejected' && t.outcome.error === t.thrown[0], `rejected with the very error fn threw ${story}`).to.equal(true);
      expect(t.starts.length, `attempts ${story}`).to.equal(1);
      expect(t.endMs, `virtual ms spent ${story}`).to.equal(0);

      // Conflicts, then a 422: the 422 ends it, after the waits of the conflicts only.
      const conflicts = rng.int(backoff.steps - 1);
      t = await trial(cluster, retry, backoff, async (n) => {
        if (n <= conflicts) await cms.update(stale);
        else await cms.update({ ...(await cms.get(name)), data: { 'not a valid key!': 'x' } });
      });
      story = `(seed ${seed}: backoff ${describeBackoff(backoff)}, fn answers 409 Conflict ${conflicts}×, then 422 Invalid)`;
      expect(describeOutcome(t.outcome), `how retryOnConflict ended ${story}`).to.match(/^rejected with 422 Invalid/);
      expect(t.starts.length, `attempts ${story}`).to.equal(conflicts + 1);

      // Not an API error at all: a connection refused is not a conflict either.
      const refused = new Error('Put "https://10.96.0.1:443/api/v1/namespaces/default/configmaps/' + name + '": dial tcp 10.96.0.1:443: connect: connection refused');
      t = await trial(cluster, retry, backoff, async () => {
        throw refused;
      });
      story = `(seed ${seed}: fn fails with a network error)`;
      expect(t.outcome.state === 'rejected' && t.outcome.error === refused, `rejected at once with the network error ${story}; it ${describeOutcome(t.outcome)}`).to.equal(true);
      expect(t.starts.length, `attempts ${story}`).to.equal(1);

      // Conflicts forever: exactly steps attempts, no sleep after the last, the last conflict returned.
      t = await trial(cluster, retry, backoff, async () => void (await cms.update(stale)));
      story = `(seed ${seed}: backoff ${describeBackoff(backoff)}, fn answers 409 Conflict every time)`;
      expect(t.starts.length, `attempts ${story}`).to.equal(backoff.steps);
      expect(describeOutcome(t.outcome), `how retryOnConflict ended ${story}`).to.match(/^rejected with 409 Conflict/);
      expect(t.outcome.state === 'rejected' && t.outcome.error === t.thrown.at(-1), `rejected with the last attempt's conflict (not the first, not a new error) ${story}`).to.equal(true);
      expect(waits(t), `waits between attempts ${story}`).to.deep.equal(expectedWaits(backoff, backoff.steps));
      expect(ms(t.endMs - (t.ends.at(-1) ?? 0)), `virtual ms waited after the last attempt failed ${story}`).to.equal(0);
    }
  },
  { hint: 'Only isConflict(err) is worth another try; anything else leaves the loop unchanged. backoff.steps counts attempts: steps 5 means 1 try and 4 retries, and 4 sleeps.' },
);

// ---- Step 4 --------------------------------------------------------------------------------

interface Exchange {
  who: string;
  verb: string;
  path: string;
  sentMs: number;
  answeredMs: number;
  code: number;
}

/** A network between one writer and the API server: each request and each answer takes 0..maxMs of virtual time. */
function slowNetwork(server: RestTransport, clock: FakeClock, rng: Rng, maxMs: number, who: string, log: Exchange[]): RestTransport {
  return {
    async request(req) {
      const sentMs = clock.now();
      await clock.sleep(rng.int(maxMs + 1));
      const res = await server.request(req);
      await clock.sleep(rng.int(maxMs + 1));
      log.push({ who, verb: req.verb, path: req.path, sentMs, answeredMs: clock.now(), code: res.code });
      return res;
    },
    watch: (req) => server.watch(req),
  };
}

export const noLostUpdates = check(
  'incrementCounter loses no increment: 3–5 writers over a slow network end with count = the number of increments',
  async ({ learner, seeds, expect, newCluster }) => {
    const increment = exportedFunction<IncrementCounter>(learner, 'incrementCounter');
    const cluster = await newCluster();
    const { clock } = cluster;
    const backoff: Backoff = { steps: 40, durationMs: 10, factor: 1, jitter: 0.1 };
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const name = `counter-${seed}`;
      await createCounter(cluster, name);
      const writers = 3 + rng.int(3);
      const each = 2 + rng.int(3);
      const latencyMs = 1 + rng.int(15);
      const log: Exchange[] = [];
      const failures: string[] = [];
      const clients = Array.from({ length: writers }, (_, i) => {
        const who = `writer-${i + 1}`;
        return { who, cms: newClientset(slowNetwork(cluster.apiServer, clock, rng.fork(who), latencyMs, who, log), { clock, qps: -1, userAgent: who }).coreV1().configMaps('default') };
      });
      const outcome = await drive(clock, () =>
        Promise.all(
          clients.map(async ({ who, cms }) => {
            for (let i = 1; i <= each; i++) {
              try {
                await increment(cms, name, clock, backoff);
              } catch (err) {
                failures.push(`${who} increment ${i}: ${describeError(err)}`);
              }
            }
          }),
        ),
      );
      const story = `(seed ${seed}: ${writers} writers × ${each} increments, up to ${latencyMs} ms of latency each way, backoff ${describeBackoff(backoff)})`;
      expect(describeOutcome(outcome), `the writers ${story}`).to.equal('resolved');
      expect(failures, `increments that rejected — each call got the backoff as its 4th argument, ${backoff.steps} attempts to land ${story}`).to.deep.equal([]);
      const count = Number(((await adminConfigMaps(cluster).get(name)).data as Record<string, string>).count);
      const conflicts = log.filter((x) => x.code === 409).length;
      expect(count, `count at the end ${story}; ${conflicts} updates answered 409 Conflict on the way`).to.equal(writers * each);
      // After a 409 the writer waits (at least durationMs) before it asks again.
      for (const { who } of clients) {
        const mine = log.filter((x) => x.who === who).sort((a, b) => a.sentMs - b.sentMs);
        for (let i = 0; i + 1 < mine.length; i++) {
          if (mine[i].code !== 409) continue;
          const gap = mine[i + 1].sentMs - mine[i].answeredMs;
          expect(gap >= backoff.durationMs, `${who} sent ${mine[i + 1].verb} ${gap} ms after its ${mine[i].verb} was answered 409 Conflict; it should wait backoff.durationMs (${backoff.durationMs} ms) or more ${story}`).to.equal(true);
        }
      }
      // A counter that does not exist: 404 at once, one request.
      const lone = clients[0];
      const before = log.length;
      const missing = await drive(clock, () => increment(lone.cms, `no-such-counter-${seed}`, clock, backoff));
      const sent = log.slice(before).map((x) => `${x.verb} → ${x.code}`);
      expect(describeOutcome(missing), `incrementCounter on a ConfigMap that does not exist (seed ${seed})`).to.match(/^rejected with 404 NotFound/);
      expect(sent, `requests sent for a ConfigMap that does not exist (seed ${seed})`).to.deep.equal(['GET → 404']);
    }
  },
  { hint: 'Pass a function to your retryOnConflict that does the whole read-modify-write: a retry that resends the object it already holds carries the same stale resourceVersion.' },
);

// ---- Step 5 --------------------------------------------------------------------------------

type Answer = 'ok' | 'conflict' | 'notFound' | 'network';

export const matchesClientGo = check(
  "retryOnConflict makes the same attempts at the same times as client-go's, jitter included",
  async ({ learner, seeds, expect, newCluster }) => {
    const retry = exportedFunction<RetryOnConflict>(learner, 'retryOnConflict');
    const cluster = await newCluster();
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      for (let round = 0; round < 6; round++) {
        const backoff: Backoff =
          round === 0
            ? { steps: 5, durationMs: 10, factor: 1, jitter: 0.1 }
            : { steps: 1 + rng.int(7), durationMs: 1 + rng.int(50), factor: rng.pick([1, 1.5, 2, 5]), jitter: rng.pick([0, 0.1, 0.5, 1]) };
        const script: Answer[] = Array.from({ length: 1 + rng.int(8) }, () => rng.pick<Answer>(['conflict', 'conflict', 'conflict', 'ok', 'notFound', 'network']));
        const jitterSeed = rng.int(1_000_000);
        const answer = (n: number): Promise<void> => {
          const a = script[n - 1] ?? 'ok';
          if (a === 'conflict') return Promise.reject(newConflict({ group: '', resource: 'configmaps' }, 'counter'));
          if (a === 'notFound') return Promise.reject(newNotFound({ group: '', resource: 'configmaps' }, 'counter'));
          if (a === 'network') return Promise.reject(new Error('http2: client connection lost'));
          return Promise.resolve();
        };
        const summarize = (t: Trial) => ({
          attemptsAt: t.starts.map(ms),
          outcome: t.outcome.state === 'rejected' ? `rejected with attempt ${t.thrown.indexOf(t.outcome.error) + 1}'s error` : t.outcome.state,
          endMs: ms(t.endMs),
        });
        const jitterFrom = (s: number) => {
          const r = rngFromSeed(s);
          return () => r.float();
        };
        const theirs = summarize(await trial(cluster, clientGoRetryOnConflict, backoff, answer, jitterFrom(jitterSeed)));
        const yours = summarize(await trial(cluster, retry, backoff, answer, jitterFrom(jitterSeed)));
        expect(yours, `your retryOnConflict vs client-go's (seed ${seed}: backoff ${describeBackoff(backoff)}, fn answers ${script.join(', ')}, then ok)`).to.deep.equal(theirs);
      }
    }
  },
  { hint: 'Call jitter() once per wait, and only when backoff.jitter > 0. It stretches this wait alone: the next one grows from the plain duration × factor.' },
);
