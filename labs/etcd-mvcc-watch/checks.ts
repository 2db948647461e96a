/**
 * Checks of the etcd-mvcc-watch lab. Predictions are compared with the etcd model (src/sim/etcd,
 * after etcd v3.6.0's mvcc store). The learner's PrefixMirror runs against fresh etcds over
 * several seeds: random writes inside and outside its prefix, disconnects and compactions; its
 * copy must equal etcd's range at the end, with exactly the lists and events needed.
 */
import { AssertionError } from 'chai';
import { check } from '../../src/lab/checks';
import { newEtcd, rngFromSeed, runUntilIdle, type Etcd, type Rng } from '../../src/sim/index';

interface Mirror {
  items: Map<string, string>;
  revision: number;
  lists: number;
  applied: number;
  start(): Promise<void>;
  stop(): void;
  resume(): Promise<void>;
}
type MirrorClass = new (etcd: Etcd, prefix: string) => Mirror;

const PREFIX = '/config/';
const KEYS = ['/config/mode', '/config/size', '/config/zone', '/config/owner', '/other/x', '/other/y', '/configx'];

function mirrorClass(learner: Record<string, unknown>): MirrorClass {
  const C = learner.PrefixMirror;
  if (typeof C !== 'function') throw new AssertionError('main.ts must export the class PrefixMirror');
  return C as MirrorClass;
}

/** Random writes: puts and deletes of keys inside and outside the prefix, sometimes in a txn. */
async function churn(etcd: Etcd, rng: Rng, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const key = rng.pick(KEYS);
    const roll = rng.int(10);
    if (roll < 6) await etcd.put(key, `v${rng.int(100)}`);
    else if (roll < 9) await etcd.delete(key);
    else {
      const [a, b] = rng.shuffle(KEYS);
      await etcd.txn({ compare: [], success: [{ put: { key: a, value: `t${i}` } }, { delete: { key: b } }], failure: [] });
    }
  }
}

/** The changes under the prefix after `after` (one per key per revision, as a watch delivers them). */
async function changesSince(etcd: Etcd, after: number): Promise<number> {
  let n = 0;
  const cancel = etcd.watch(PREFIX, { prefix: true, startRevision: after + 1 }, (resp) => {
    n += resp.events.length;
  });
  await runUntilIdle(etcd.clock);
  cancel();
  return n;
}

/** The revision of the newest change under the prefix, followed by a watch of the check's own. */
const lastChange = new WeakMap<Etcd, { rev: number }>();

function newTrackedEtcd(): Etcd {
  const etcd = newEtcd();
  const last = { rev: 1 };
  lastChange.set(etcd, last);
  etcd.watch(PREFIX, { prefix: true }, (resp) => {
    for (const ev of resp.events) last.rev = Math.max(last.rev, ev.kv.modRevision);
  });
  return etcd;
}

async function expectInStep(m: Mirror, etcd: Etcd, when: string): Promise<void> {
  await runUntilIdle(etcd.clock);
  const resp = await etcd.get(PREFIX, { prefix: true });
  const want = new Map(resp.kvs.map((kv) => [kv.key, kv.value]));
  const got = m.items instanceof Map ? m.items : new Map();
  const problems: string[] = [];
  for (const [k, v] of want) if (got.get(k) !== v) problems.push(got.has(k) ? `${k} is ${JSON.stringify(got.get(k))} in the mirror, ${JSON.stringify(v)} in etcd` : `${k} (${JSON.stringify(v)} in etcd) is missing`);
  for (const k of got.keys()) if (!want.has(k)) problems.push(`${k} is in the mirror but not in etcd${k.startsWith(PREFIX) ? ' (deleted?)' : ' (outside the prefix)'}`);
  const last = lastChange.get(etcd)?.rev ?? 0;
  if (!(m.revision >= last && m.revision <= etcd.revision)) problems.push(`mirror.revision is ${m.revision}: it should be at least ${last} (the newest change under ${PREFIX}) and at most etcd's ${etcd.revision}`);
  if (problems.length) throw new AssertionError(`${when}:\n  - ${problems.join('\n  - ')}`);
}

export const predictsRevisions = check(
  'Predicts the revision of each write, and each key’s createRevision, modRevision and version',
  async ({ learner, expect }) => {
    const p = learner.predictions as { revisions?: unknown; mode?: unknown; size?: unknown } | undefined;
    expect(p, 'main.ts must export an object named `predictions`').to.be.an('object');
    const etcd = newEtcd();
    const revisions = [
      (await etcd.put('/config/mode', 'fast')).header.revision,
      (await etcd.put('/config/size', '3')).header.revision,
      (await etcd.put('/config/mode', 'safe')).header.revision,
      (await etcd.txn({ compare: [{ key: '/config/size', target: 'VALUE', result: '=', value: '3' }], success: [{ put: { key: '/config/size', value: '4' } }, { delete: { key: '/config/mode' } }], failure: [] })).header.revision,
      (await etcd.put('/config/mode', 'fast')).header.revision,
    ];
    const meta = async (key: string) => {
      const kv = (await etcd.get(key)).kvs[0];
      return { createRevision: kv.createRevision, modRevision: kv.modRevision, version: kv.version };
    };
    expect(p!.revisions, 'predictions.revisions (the header revision of each response)').to.deep.equal(revisions);
    expect(p!.mode, 'predictions.mode').to.deep.equal(await meta('/config/mode'));
    expect(p!.size, 'predictions.size').to.deep.equal(await meta('/config/size'));
  },
  { hint: 'A txn is one revision, however many keys it changes. A deleted key that is put again starts over: new createRevision, version 1.' },
);

export const mirrorFollows = check(
  'The mirror lists, then follows puts and deletes under its prefix (and only there)',
  async ({ learner, seeds }) => {
    const Mirror = mirrorClass(learner);
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const etcd = newTrackedEtcd();
      await churn(etcd, rng, 8);
      const m = new Mirror(etcd, PREFIX);
      await m.start();
      await churn(etcd, rng, 20);
      await expectInStep(m, etcd, `seed ${seed}: after 8 writes, start(), and 20 more writes`);
    }
  },
  { hint: 'A DELETE event carries the key (and, as its modRevision, the revision of the delete). What else must the mirror remember after each event?' },
);

export const resumesWithoutGaps = check(
  'After a disconnect, resume() gets every change it missed, once, without listing again',
  async ({ learner, seeds }) => {
    const Mirror = mirrorClass(learner);
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const etcd = newTrackedEtcd();
      await churn(etcd, rng, 5);
      const m = new Mirror(etcd, PREFIX);
      await m.start();
      const listedAt = etcd.revision;
      for (let round = 1; round <= 3; round++) {
        await churn(etcd, rng, 4);
        await runUntilIdle(etcd.clock);
        m.stop();
        await churn(etcd, rng, 6);
        await m.resume();
      }
      await churn(etcd, rng, 4);
      const when = `seed ${seed}: start(), then three times: writes, stop(), writes while disconnected, resume()`;
      await expectInStep(m, etcd, when);
      const want = await changesSince(etcd, listedAt);
      if (m.lists !== 1) throw new AssertionError(`${when}: the mirror listed ${m.lists} times; one list at start() is enough`);
      if (m.applied !== want) throw new AssertionError(`${when}: the mirror applied ${m.applied} events, but ${want} changes happened under ${PREFIX} after its list${m.applied > want ? ' (some twice?)' : ''}`);
    }
  },
  { hint: 'etcd keeps every revision until it is compacted. From which revision must the new watch start so that nothing is missed and nothing comes twice?' },
);

export const survivesCompaction = check(
  'When the revisions it needs were compacted, the mirror lists again and goes on; when they were not, it does not',
  async ({ learner, seeds }) => {
    const Mirror = mirrorClass(learner);
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const etcd = newTrackedEtcd();
      const m = new Mirror(etcd, PREFIX);
      await m.start();
      await churn(etcd, rng, 6);
      await runUntilIdle(etcd.clock);
      // Compacted at the mirror's own revision: what it needs next is still there.
      m.stop();
      await etcd.compact(m.revision);
      await churn(etcd, rng, 4);
      await m.resume();
      await expectInStep(m, etcd, `seed ${seed}: compacted at the mirror's revision while it was disconnected`);
      const lists = (): number => m.lists;
      if (lists() !== 1) throw new AssertionError(`seed ${seed}: the mirror listed again after a compaction at its own revision ${m.revision}: its watch could start after it`);
      // Compacted past it: the watch is cancelled with ErrCompacted.
      m.stop();
      await etcd.put('/config/mode', `gone-${seed}`);
      await churn(etcd, rng, 5);
      await etcd.compact(etcd.revision);
      await m.resume();
      await churn(etcd, rng, 5);
      await expectInStep(m, etcd, `seed ${seed}: compacted past the mirror's revision while it was disconnected, then 5 more writes`);
      if (lists() !== 2) throw new AssertionError(`seed ${seed}: the mirror listed ${lists()} times in all; after its watch was cancelled for compaction it should list once more (2)`);
    }
  },
  { hint: 'A watch whose start revision was compacted gets one response: canceled, with compactRevision set (clientv3: ErrCompacted). An informer answers that with a new LIST.' },
);
