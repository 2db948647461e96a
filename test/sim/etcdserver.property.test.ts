// The replicated etcd under a nemesis: random partitions, crashes, pauses, skew and loss drawn from
// a seed while three clients put, get, delete and compare-and-swap two keys through any member.
// The history (failed writes as indeterminate, failed reads dropped) must be linearizable
// (src/sim/check, after Porcupine), including a final read of every key once the faults are over,
// so no acknowledged write is lost; and the members converge on the same store. One seed in four
// snapshots and compacts often, so lagging members rebuild their store from MsgSnap; one in
// three has slow disks, so crashes land mid-fsync.
// `npm run fuzz -- --seeds N etcdserver` runs N seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkOperations,
  describeOperations,
  drawSchedule,
  formatSchedule,
  kvModel,
  newEnv,
  newEtcdCluster,
  runUntilIdle,
  scheduleOn,
  type EtcdClusterClient,
  type KvInput,
  type KvOutput,
  type Operation,
} from '../../src/sim/index';
import { runs } from './fuzz';

const KEYS = ['x', 'y'];
const FAULTS_MS = 6000;

async function call(cli: EtcdClusterClient, input: KvInput): Promise<KvOutput> {
  switch (input.op) {
    case 'get': {
      const r = await cli.get(input.key);
      return { value: r.kvs[0]?.value ?? null };
    }
    case 'put':
      await cli.put(input.key, input.value);
      return {};
    case 'delete': {
      const r = await cli.delete(input.key);
      return { deleted: r.deleted > 0 };
    }
    case 'cas': {
      const cmp = input.expected === null ? { key: input.key, target: 'CREATE' as const, result: '=' as const, value: 0 } : { key: input.key, target: 'VALUE' as const, result: '=' as const, value: input.expected };
      const r = await cli.txn({ compare: [cmp], success: [{ put: { key: input.key, value: input.value } }], failure: [] });
      return { ok: r.succeeded };
    }
    default:
      throw new Error(`unexpected op ${input.op}`);
  }
}

describe('etcdserver property', () => {
  it('under a nemesis: client histories are linearizable and the members converge (50 seeds in npm test)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(3, 5), async (seed, size) => {
        const env = newEnv({ seed });
        const snaps = seed % 4 === 0 ? { snapshotCount: 10, memorySnapshotCount: 4, snapshotCatchUpEntries: 2 } : {};
        const disk = seed % 3 === 1 ? { fsyncMs: { min: 10, max: 100 } } : {};
        const c = newEtcdCluster({ size, env, preVote: seed % 2 === 0, checkQuorum: seed % 3 === 0, onViolation: 'record', ...snaps, ...disk });
        const schedule = drawSchedule(env.rng.fork('nemesis'), { members: c.members(), durationMs: FAULTS_MS });
        scheduleOn(c.clock, schedule, (a) => c.raft.apply(a));
        const rng = env.rng.fork('clients');
        const history: Array<Operation<KvInput, KvOutput>> = [];
        let n = 0;
        const record = async (clientId: number, cli: EtcdClusterClient, input: KvInput) => {
          const op: Operation<KvInput, KvOutput> = { clientId, input, call: c.clock.now(), output: {}, return: Infinity };
          try {
            op.output = await call(cli, input);
            op.return = c.clock.now();
            history.push(op);
          } catch {
            if (input.op !== 'get') history.push(op); // a write may or may not have happened
          }
        };
        const client = async (clientId: number) => {
          const cli = c.client({ maxRetries: 2 });
          while (c.clock.now() < FAULTS_MS) {
            const key = rng.pick(KEYS);
            const r = rng.int(10);
            const value = `v${n++}`;
            const input: KvInput = r < 4 ? { op: 'get', key } : r < 7 ? { op: 'put', key, value } : r < 8 ? { op: 'delete', key } : { op: 'cas', key, expected: rng.pick([null, `v${rng.int(n)}`]), value };
            await record(clientId, cli, input);
            await c.clock.sleep(rng.int(100));
          }
        };
        let done = 0;
        const clients = [1, 2, 3].map((id) => client(id).then(() => void done++));
        await runUntilIdle(c.clock, { forMs: FAULTS_MS + 30_000, until: () => done === clients.length });
        // Every fault is over: a leader every member follows, then a final read of each key.
        const why = `seed ${seed} size ${size}\n${formatSchedule(schedule)}`;
        expect(c.raft.runUntil(() => c.leader() !== undefined && c.members().every((id) => c.member(id)?.lead === c.leader()), 30_000), why).toBe(true);
        let finals = 0;
        for (const key of KEYS) void record(9, c.client({ endpoint: c.leader()! }), { op: 'get', key }).then(() => void finals++);
        await runUntilIdle(c.clock, { forMs: 30_000, until: () => finals === KEYS.length });
        expect(history.filter((op) => op.clientId === 9), why).toHaveLength(KEYS.length);
        expect(c.raft.violations, why).toEqual([]);
        const res = checkOperations(kvModel, history, { budget: 2_000_000 });
        const detail = res.result === 'Illegal' ? describeOperations(kvModel, history, [...res.info!.longest!, res.info!.unplaced!]).join('\n') : '';
        expect(res.result, `${why}\n${detail}`).toBe('Ok');
        // The members converge on one store.
        const lead = c.member(c.leader()!)!;
        expect(c.raft.runUntil(() => c.members().every((id) => c.member(id)!.appliedIndex === lead.appliedIndex), 10_000), why).toBe(true);
        for (const id of c.members()) expect(c.member(id)!.store.snapshot().kvs, `${why}\nmember ${id}`).toEqual(lead.store.snapshot().kvs);
      }),
      { numRuns: runs(50), seed: 42 },
    );
  }, 120_000);
});
