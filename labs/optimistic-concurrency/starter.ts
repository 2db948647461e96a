import {
  DefaultRetry,
  MergePatchType,
  isConflict,
  isNotFound,
  labCluster,
  labFile,
  parseManifests,
  runUntilIdle,
  type Backoff,
  type FakeClock,
  type ResourceClient,
} from 'kubelab';

// Step 1: what the naive read-modify-write (naiveIncrement, below) ends with. Predict, then Run.
export const predictions = {
  /** Three controllers each call naiveIncrement 4 times, all at once: what is count at the end? */
  naiveFinalCount: 0,
  /** How many of those 12 updates fail with 409 Conflict? */
  naiveConflicts: 0,
  /** The same race with mergePatchIncrement (a merge patch without resourceVersion): count at the end? */
  mergePatchFinalCount: 0,
};

/**
 * Runs fn until it succeeds. Retries only when it fails with 409 Conflict, at most
 * backoff.steps attempts in all, sleeping on clock between attempts: durationMs first, then
 * multiplied by factor each time, each wait plus up to `jitter` of itself (jitter() returns a
 * number in [0, 1), as Go's rand.Float64()). Rejects with the last conflict once the steps run
 * out, and at once with any other error.
 */
export async function retryOnConflict(backoff: Backoff, clock: FakeClock, fn: () => Promise<void>, jitter: () => number = () => 0): Promise<void> {
  // TODO (steps 2, 3 and 5): this tries once.
  await fn();
}

/**
 * Adds one to data.count of ConfigMap `name`, without losing the increment when another writer
 * updates the ConfigMap at the same time.
 */
export async function incrementCounter(configMaps: ResourceClient, name: string, clock: FakeClock, backoff: Backoff = DefaultRetry): Promise<void> {
  // TODO (step 4): this is naiveIncrement.
  const cm = await configMaps.get(name);
  cm.data = { ...(cm.data as Record<string, string>), count: String(Number((cm.data as Record<string, string>).count) + 1) };
  await configMaps.update(cm);
}

// ---- The naive versions, for step 1 (leave them as they are) ----

/** Read, add one, write back: the update carries the resourceVersion it read. */
export async function naiveIncrement(configMaps: ResourceClient, name: string): Promise<void> {
  const cm = await configMaps.get(name);
  cm.data = { ...(cm.data as Record<string, string>), count: String(Number((cm.data as Record<string, string>).count) + 1) };
  await configMaps.update(cm);
}

/** Read, add one, merge-patch data.count: the patch names no resourceVersion. */
export async function mergePatchIncrement(configMaps: ResourceClient, name: string): Promise<void> {
  const cm = await configMaps.get(name);
  const next = String(Number((cm.data as Record<string, string>).count) + 1);
  await configMaps.patch(name, MergePatchType, { data: { count: next } });
}

// ---- Run me: three controllers, four increments each, all at once ----
const cluster = labCluster();
const clock = cluster.clock;
// Each controller is its own process with its own client (and its own user agent in the API
// server's log), at kube-controller-manager's default client QPS 20 / burst 30.
const controllers = () =>
  ['alpha', 'beta', 'gamma'].map((who) => ({
    who,
    configMaps: cluster.clientset({ userAgent: `${who}-controller`, qps: 20, burst: 30 }).coreV1().configMaps('default'),
  }));

async function race(title: string, increment: (configMaps: ResourceClient) => Promise<void>): Promise<void> {
  const admin = cluster.clientset({ userAgent: 'kubectl' }).coreV1().configMaps('default');
  // Start from count 0 (and from counter.yaml, if the counter was deleted in the terminal).
  const start = await admin.get('counter').catch(async (err) => {
    if (!isNotFound(err)) throw err;
    return admin.create(parseManifests(labFile('counter.yaml'), 'counter.yaml')[0]);
  });
  start.data = { ...(start.data as Record<string, string>), count: '0' };
  await admin.update(start);
  let finished = false;
  const errors: string[] = [];
  const all = Promise.all(
    controllers().map(async ({ who, configMaps }) => {
      for (let i = 1; i <= 4; i++) {
        try {
          await increment(configMaps);
        } catch (err) {
          errors.push(`  ${who} increment ${i}: ${(err as Error).message}`);
        }
      }
    }),
  ).finally(() => (finished = true));
  await runUntilIdle(clock, { until: () => finished });
  await all;
  const end = await admin.get('counter');
  console.log(`${title}: count = ${(end.data as Record<string, string>).count} after 12 increments, ${errors.length} failed (rv ${end.metadata.resourceVersion}, t=${clock.now()} ms)`);
  for (const line of errors) console.log(line);
}

await race('naiveIncrement', (cms) => naiveIncrement(cms, 'counter'));
await race('mergePatchIncrement', (cms) => mergePatchIncrement(cms, 'counter'));
await race('your incrementCounter', (cms) => incrementCounter(cms, 'counter', clock));
console.log(`\nyou predicted: naive ${predictions.naiveFinalCount} with ${predictions.naiveConflicts} conflicts, merge patch ${predictions.mergePatchFinalCount}`);
