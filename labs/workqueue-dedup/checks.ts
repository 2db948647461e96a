/**
 * Checks of the workqueue-dedup lab. Predictions are compared with what a real queue (src/sim,
 * mirroring client-go util/workqueue/queue.go at v0.34.0) does; processAll runs against fresh
 * queues over several seeds and is compared with a reference drain loop.
 */
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import { newQueue, rngFromSeed, type AddResult, type Queue, type Rng, type TraceRecorder } from '../../src/sim/index';

type ProcessAll = (queue: Queue<string>, handle: (item: string) => void | Promise<void>) => Promise<string[]>;
type Predictions = { lenAfterAdds?: unknown; firstAddWhileProcessing?: unknown; timesHandedOutAgain?: unknown };

const KEYS = ['default/web', 'default/api', 'default/db', 'kube-system/dns', 'default/cache', 'monitoring/prom'];

function predictionsOf(learner: Record<string, unknown>, expect: Expect): Predictions {
  expect(learner.predictions, 'main.ts must export an object named `predictions`').to.be.an('object');
  return learner.predictions as Predictions;
}

export const predictsDedup = check(
  'Predicts len() after adding default/web, default/api, default/web',
  ({ learner, expect }) => {
    const q = newQueue<string>({ name: 'check' });
    for (const key of ['default/web', 'default/api', 'default/web']) q.add(key);
    expect(predictionsOf(learner, expect).lenAfterAdds, 'predictions.lenAfterAdds').to.equal(q.len());
  },
  { hint: 'Run the code and read the add results: what did the second add of default/web do?' },
);

export const predictsProcessing = check(
  'Predicts what add does while the item is being processed, and what done does next',
  async ({ learner, expect, trace }) => {
    const q = newQueue<string>({ name: 'check' });
    q.add('default/web');
    await q.get();
    const firstAdd = trace.events.length;
    q.add('default/web');
    q.add('default/web');
    const result = trace.events.slice(firstAdd).find((e) => e.type === 'workqueue.add')?.result as AddResult;
    q.done('default/web');
    let handedOut = 0;
    while (q.len() > 0) {
      const { item } = await q.get();
      if (item === 'default/web') handedOut++;
      q.done(item!);
    }
    const p = predictionsOf(learner, expect);
    expect(p.firstAddWhileProcessing, 'predictions.firstAddWhileProcessing').to.equal(result);
    expect(p.timesHandedOutAgain, 'predictions.timesHandedOutAgain').to.equal(handedOut);
  },
  { hint: 'While default/web is processing it is not in the queue. Run the code: which sets does each add change?' },
);

export const processAllOncePerItem = check(
  'processAll hands out each distinct item once, in order, and leaves nothing processing',
  async ({ learner, seeds, expect, trace }) => {
    const processAll = exportedFunction<ProcessAll>(learner, 'processAll');
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const adds = Array.from({ length: 4 + rng.int(8) }, () => rng.pick(KEYS));
      const q = newQueue<string>({ name: `seed-${seed}` });
      for (const key of adds) q.add(key);
      const handled = await processAll(q, () => {});
      expect(handled, `processAll after adds ${adds.join(', ')}`).to.deep.equal([...new Set(adds)]);
      expectClean(q, trace, expect, `after adds ${adds.join(', ')}`);
    }
    // A failing handler: the error comes out of processAll, but the item must not stay processing.
    const q = newQueue<string>({ name: 'throws' });
    for (const key of ['default/web', 'default/api']) q.add(key);
    let error: unknown;
    try {
      await processAll(q, (key) => {
        if (key === 'default/web') throw new Error('reconcile failed');
      });
    } catch (e) {
      error = e;
    }
    expect(error, 'processAll should let the error of handle() propagate').to.be.an('error');
    expect(q.snapshot().processing, 'items still processing after handle() threw').to.deep.equal([]);
  },
  { hint: 'get() marks an item as processing; only done(item) ends that — also when handle() throws (try/finally).' },
);

export const processAllReprocesses = check(
  'An item added again while it is handled is handled again, after the current run',
  async ({ learner, seeds, expect, trace }) => {
    const processAll = exportedFunction<ProcessAll>(learner, 'processAll');
    for (const seed of seeds) {
      const scenario = makeScenario(rngFromSeed(seed));
      const expected = await referenceProcessAll(scenario);
      const q = newQueue<string>({ name: `seed-${seed}` });
      for (const key of scenario.adds) q.add(key);
      const handled = await processAll(q, scenario.handler(q));
      expect(handled, `processAll when ${scenario.describe}`).to.deep.equal(expected);
      expectClean(q, trace, expect, `when ${scenario.describe}`);
    }
  },
  { hint: 'An item added during processing waits in dirty, and done(item) puts it back at the end of the queue: keep looping while len() > 0.' },
);

/** The queue is empty, nothing is processing or dirty, and every get was matched by a done. */
function expectClean(q: Queue<string>, trace: TraceRecorder, expect: Expect, when: string) {
  const s = q.snapshot();
  expect(s.processing, `items still processing ${when} (get without done)`).to.deep.equal([]);
  expect(s.dirty, `items left dirty ${when}`).to.deep.equal([]);
  const ofQueue = trace.events.filter((e) => e.queue === q.name);
  const gets = ofQueue.filter((e) => e.type === 'workqueue.get').length;
  const dones = ofQueue.filter((e) => e.type === 'workqueue.done').length;
  expect(dones, `done() calls for ${gets} get() calls ${when}`).to.equal(gets);
}

interface Scenario {
  adds: string[];
  describe: string;
  handler(q: Queue<string>): (key: string) => void;
}

/** Adds some keys; handling some of them the first time adds them (and maybe a new key) again. */
function makeScenario(rng: Rng): Scenario {
  const adds = Array.from({ length: 3 + rng.int(5) }, () => rng.pick(KEYS));
  const distinct = [...new Set(adds)];
  const readd = new Set(rng.shuffle(distinct).slice(0, 1 + rng.int(Math.min(2, distinct.length))));
  const extra = rng.chance(0.5) ? rng.pick(KEYS) : undefined;
  const parts = [...readd].map((k) => `handling ${k} adds it again`);
  if (extra) parts.push(`the first re-add also adds ${extra}`);
  return {
    adds,
    describe: `adds ${adds.join(', ')} and ${parts.join(', ')}`,
    handler(q) {
      const seen = new Set<string>();
      let extraAdded = false;
      return (key) => {
        if (readd.has(key) && !seen.has(key)) {
          seen.add(key);
          q.add(key);
          q.add(key);
          if (extra && !extraAdded) {
            extraAdded = true;
            q.add(extra);
          }
        }
      };
    },
  };
}

/** The order a correct drain loop handles the scenario in, on a queue of its own. */
async function referenceProcessAll(s: Scenario): Promise<string[]> {
  const q = newQueue<string>({ name: 'reference' });
  for (const key of s.adds) q.add(key);
  const handle = s.handler(q);
  const order: string[] = [];
  while (q.len() > 0) {
    const { item } = await q.get();
    order.push(item!);
    try {
      handle(item!);
    } finally {
      q.done(item!);
    }
  }
  return order;
}
