/**
 * The pieces together, on two toy replicated registers (no raft): clients on the seeded network
 * record a history on the virtual clock, a nemesis drawn from the seed injects faults, and the
 * linearizability checker judges the history. A single server stays linearizable under every
 * fault; replicas that answer from their own copy do not, and the failing seed prints its
 * schedule and history and replays byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { newEnv } from '../../src/sim/core/env';
import { checkOperations, describeOperations, type Operation } from '../../src/sim/check/linearizability';
import { kvModel, type KvInput, type KvOutput } from '../../src/sim/check/models';
import { applyAction, drawSchedule, formatSchedule, scheduleOn } from '../../src/sim/check/nemesis';
import { newNetwork } from '../../src/sim/raftnet/network';

type Msg =
  | { from: number; to: number; type: 'Req'; reqId: number; input: KvInput }
  | { from: number; to: number; type: 'Resp'; reqId: number; output: KvOutput }
  | { from: number; to: number; type: 'Sync'; key: string; value: string | null; version: number };

const REPLICAS = [1, 2, 3];
const CLIENTS = [11, 12, 13];
const TIMEOUT_MS = 300;

/** Runs one seed; `design` picks the system. Returns the history, the schedule text and the trace. */
function run(seed: number, design: 'single' | 'local') {
  const env = newEnv({ seed });
  const net = newNetwork<Msg>({ env, latencyMs: { min: 1, max: 40 }, reorder: true });
  const rng = env.rng.fork('clients');
  const schedule = drawSchedule(env.rng.fork('nemesis'), {
    members: REPLICAS,
    durationMs: 8000,
    faults: ['partition', 'crash', 'pause', 'loss'],
    gapMs: { min: 200, max: 800 },
    faultMs: { min: 200, max: 1500 },
  });
  scheduleOn(env.clock, schedule, (a) => applyAction(net, a));

  // Replicas: a value and a version per key (state survives a crash, as if on disk).
  const stores = new Map(REPLICAS.map((id) => [id, new Map<string, { value: string | null; version: number }>()]));
  for (const id of REPLICAS) {
    net.register(id, (m) => {
      const store = stores.get(id)!;
      if (m.type === 'Sync') {
        const cur = store.get(m.key);
        if (!cur || cur.version < m.version) store.set(m.key, { value: m.value, version: m.version });
        return;
      }
      if (m.type !== 'Req') return;
      const cur = store.get(m.input.key) ?? { value: null, version: 0 };
      let output: KvOutput = {};
      let next: string | null | undefined;
      switch (m.input.op) {
        case 'get':
          output = { value: cur.value };
          break;
        case 'put':
          next = m.input.value;
          break;
        case 'cas':
          output = { ok: cur.value === m.input.expected };
          if (output.ok) next = m.input.value;
          break;
        default:
          throw new Error('not used');
      }
      if (next !== undefined) {
        const version = cur.version + 1;
        store.set(m.input.key, { value: next, version });
        if (design === 'local') for (const peer of REPLICAS) if (peer !== id) net.send({ from: id, to: peer, type: 'Sync', key: m.input.key, value: next, version });
      }
      net.send({ from: id, to: m.from, type: 'Resp', reqId: m.reqId, output });
    });
  }

  // Clients: one request at a time; no answer in TIMEOUT_MS -> the operation never returned.
  const history: Array<Operation<KvInput, KvOutput>> = [];
  const waiting = new Map<number, { index: number; timer: { stop(): boolean } }>();
  let nextReq = 1;
  let nextValue = 1;
  const issue = (client: number) => {
    if (env.clock.now() > 7000) return;
    const r = rng.int(3);
    const input: KvInput =
      r === 0 ? { op: 'get', key: 'x' } : r === 1 ? { op: 'put', key: 'x', value: `v${nextValue++}` } : { op: 'cas', key: 'x', expected: `v${Math.max(1, nextValue - 1 - rng.int(2))}`, value: `v${nextValue++}` };
    const reqId = nextReq++;
    const index = history.push({ clientId: client, input, call: env.clock.now(), output: {}, return: Infinity }) - 1;
    const server = design === 'single' ? 1 : rng.pick(REPLICAS);
    const timer = env.clock.afterFunc(TIMEOUT_MS, () => {
      waiting.delete(reqId);
      issue(client);
    });
    waiting.set(reqId, { index, timer });
    net.send({ from: client, to: server, type: 'Req', reqId, input });
  };
  for (const client of CLIENTS) {
    net.register(client, (m) => {
      if (m.type !== 'Resp') return;
      const w = waiting.get(m.reqId);
      if (!w) return; // a late or duplicate answer: the client gave up on it
      waiting.delete(m.reqId);
      w.timer.stop();
      history[w.index].output = m.output;
      history[w.index].return = env.clock.now();
      env.clock.afterFunc(rng.int(20), () => issue(client));
    });
    issue(client);
  }
  env.clock.step(10_000);
  return { history, schedule: formatSchedule(schedule) };
}

describe('clients, network, nemesis and the checker together', () => {
  it('a single server is linearizable under every schedule', () => {
    for (let seed = 1; seed <= 15; seed++) {
      const { history, schedule } = run(seed, 'single');
      expect(history.length).toBeGreaterThan(50);
      expect(history.some((op) => op.return === Infinity)).toBe(true);
      const res = checkOperations(kvModel, history, { budget: 5_000_000 });
      expect(res.result, `seed ${seed}\n${schedule}`).toBe('Ok');
    }
  });

  it('replicas answering from their own copy are caught; the failing seed prints and replays byte for byte', () => {
    let failing: number | undefined;
    for (let seed = 1; seed <= 15 && failing === undefined; seed++) {
      if (checkOperations(kvModel, run(seed, 'local').history).result === 'Illegal') failing = seed;
    }
    expect(failing).toBeDefined();
    const first = run(failing!, 'local');
    const again = run(failing!, 'local');
    expect(JSON.stringify(again.history)).toBe(JSON.stringify(first.history));
    expect(again.schedule).toBe(first.schedule);
    const res = checkOperations(kvModel, first.history);
    const report = [`seed ${failing}`, first.schedule, ...describeOperations(kvModel, first.history, [...res.info.longest!, res.info.unplaced!]).slice(-4)].join('\n');
    expect(report).toMatch(/^seed \d+\n/);
    expect(report).toMatch(/#\d+ client 1\d \[\d+, (\d+|∞)\] /);
  });
});
