/**
 * The linearizability checker against Porcupine v1.3.0's tests (porcupine_test.go): its register
 * examples, a sample of its Jepsen etcd logs and its kv logs (copied into
 * src/sim/check/testdata/porcupine, MIT, with the expected answer upstream asserts), and
 * properties: histories cut from a sequential run are Ok, a read of a value never written is
 * Illegal, small random histories agree with a brute-force oracle, and the budget makes Unknown
 * deterministic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkEvents,
  checkOperations,
  describeOperations,
  isLinearization,
  type HistoryEvent,
  type Model,
  type Operation,
} from '../../src/sim/check/linearizability';
import { parseJepsenLog, parseKvLog } from './check-porcupine-logs';
import { kvModel, newRegisterModel, registerModel, type KvInput, type KvOutput, type RegisterInput, type RegisterOutput } from '../../src/sim/check/models';

const DATA = join(__dirname, '../../src/sim/check/testdata/porcupine');

type RegOp = Operation<RegisterInput<number>, RegisterOutput<number>>;
const put = (clientId: number, value: number, call: number, ret: number): RegOp => ({ clientId, input: { op: 'put', value }, call, output: undefined, return: ret });
const get = (clientId: number, output: number, call: number, ret: number): RegOp => ({ clientId, input: { op: 'get' }, call, output, return: ret });

describe('register histories (porcupine_test.go)', () => {
  const cases: Array<{ name: string; ref: string; ops: RegOp[]; want: 'Ok' | 'Illegal' }> = [
    {
      name: 'a read overlapping the write may see either value',
      ref: 'TestRegisterModel (6.824 2017 quiz 2, VII, first history)',
      ops: [put(0, 100, 0, 100), get(1, 100, 25, 75), get(2, 0, 30, 60)],
      want: 'Ok',
    },
    {
      name: 'a read after another read saw the new value cannot see the old one',
      ref: 'TestRegisterModel (6.824 2017 quiz 2, VII, second history)',
      ops: [put(0, 200, 0, 100), get(1, 200, 10, 30), get(2, 0, 40, 90)],
      want: 'Illegal',
    },
    {
      name: 'zero-length reads at the same instant (closed intervals)',
      ref: 'TestZeroDuration (first history)',
      ops: [put(0, 100, 0, 100), get(1, 100, 25, 75), get(2, 0, 30, 30), get(3, 0, 30, 30)],
      want: 'Ok',
    },
    {
      name: 'zero-length reads of the new value, then a read of the old',
      ref: 'TestZeroDuration (second history)',
      ops: [put(0, 200, 0, 100), get(1, 200, 10, 10), get(2, 200, 10, 10), get(3, 0, 40, 90)],
      want: 'Illegal',
    },
    {
      name: 'operations that touch at one instant are concurrent',
      ref: 'model.go (Operation: [Call, Return] is a closed interval)',
      ops: [put(0, 1, 10, 20), get(1, 0, 20, 30)],
      want: 'Ok',
    },
    {
      name: 'an empty history',
      ref: 'TestCheckNoPartitions',
      ops: [],
      want: 'Ok',
    },
  ];
  for (const c of cases) {
    it(`${c.name} [${c.ref}]`, () => {
      const res = checkOperations(registerModel, c.ops);
      expect(res.result).toBe(c.want);
      if (c.want === 'Ok') expect(isLinearization(registerModel, c.ops, res.linearization!)).toBe(true);
    });
  }

  it('the same history as events [TestRegisterModel, CheckEvents]', () => {
    const ok: Array<HistoryEvent<RegisterInput<number>, RegisterOutput<number>>> = [
      { clientId: 0, kind: 'call', value: { op: 'put', value: 100 }, id: 0 },
      { clientId: 1, kind: 'call', value: { op: 'get' }, id: 1 },
      { clientId: 2, kind: 'call', value: { op: 'get' }, id: 2 },
      { clientId: 2, kind: 'return', value: 0, id: 2 },
      { clientId: 1, kind: 'return', value: 100, id: 1 },
      { clientId: 0, kind: 'return', value: 0, id: 0 },
    ];
    expect(checkEvents(registerModel, ok).result).toBe('Ok');
    const bad: Array<HistoryEvent<RegisterInput<number>, RegisterOutput<number>>> = [
      { clientId: 0, kind: 'call', value: { op: 'put', value: 200 }, id: 0 },
      { clientId: 1, kind: 'call', value: { op: 'get' }, id: 1 },
      { clientId: 1, kind: 'return', value: 200, id: 1 },
      { clientId: 2, kind: 'call', value: { op: 'get' }, id: 2 },
      { clientId: 2, kind: 'return', value: 0, id: 2 },
      { clientId: 0, kind: 'return', value: 0, id: 0 },
    ];
    expect(checkEvents(registerModel, bad).result).toBe('Illegal');
  });

  it('an illegal history reports its longest partial linearization and the operation that could not be placed', () => {
    const ops = [put(0, 200, 0, 100), get(1, 200, 10, 30), get(2, 0, 40, 90)];
    const res = checkOperations(registerModel, ops);
    expect(res.result).toBe('Illegal');
    expect(res.info.longest).toEqual([0, 1]);
    expect(res.info.unplaced).toBe(2);
    expect(describeOperations(registerModel, ops, [...res.info.longest!, res.info.unplaced!])).toEqual([
      '#0 client 0 [0, 100] put(200)',
      '#1 client 1 [10, 30] get() -> 200',
      '#2 client 2 [40, 90] get() -> 0',
    ]);
    expect(res.info.partitions[0].partialLinearizations).toContainEqual([0, 1]);
  });

  it('an operation that never returned may take effect late, or never', () => {
    // put(1) timed out: a later read may see 1 ...
    const seen: RegOp[] = [{ ...put(0, 1, 0, Infinity), output: 'garbage' as unknown as number }, get(1, 1, 50, 60)];
    expect(checkOperations(registerModel, seen).result).toBe('Ok');
    // ... or not see it, even after the client gave up.
    const unseen: RegOp[] = [put(0, 1, 0, Infinity), get(1, 0, 50, 60), get(1, 0, 70, 80)];
    expect(checkOperations(registerModel, unseen).result).toBe('Ok');
    // But once seen, it cannot be unseen.
    const flicker: RegOp[] = [put(0, 1, 0, Infinity), get(1, 1, 50, 60), get(1, 0, 70, 80)];
    expect(checkOperations(registerModel, flicker).result).toBe('Illegal');
  });

  it('a model without stepUnknown refuses a history with an operation that never returned', () => {
    const { stepUnknown: _, ...strict } = registerModel;
    expect(() => checkOperations(strict, [put(0, 1, 0, Infinity)])).toThrow(/never returned.*stepUnknown/);
  });

  it('refuses malformed operations with the index and the field', () => {
    expect(() => checkOperations(registerModel, [put(0, 1, 10, 5)])).toThrow('history[0] returns at 5, before its call at 10');
    expect(() => checkOperations(registerModel, [put(0, 1, NaN, 5)])).toThrow('history[0].call must be a finite number');
  });
});

describe('Jepsen etcd logs (porcupine_test.go TestEtcdJepsenNNN)', () => {
  const etcdModel = newRegisterModel<number | null>(null);
  const logs: Array<[string, boolean]> = [
    ['000', false],
    ['001', false],
    ['002', true],
    ['003', false],
    ['004', false],
    ['005', true],
    ['007', true],
    ['018', true],
  ];
  for (const [n, linearizable] of logs) {
    it(`etcd_${n}.log is ${linearizable ? '' : 'not '}linearizable [TestEtcdJepsen${n}]`, () => {
      const ops = parseJepsenLog(readFileSync(join(DATA, `etcd_${n}.log`), 'utf8'));
      const res = checkOperations(etcdModel, ops, { budget: Infinity });
      expect(res.result).toBe(linearizable ? 'Ok' : 'Illegal');
      if (linearizable) expect(isLinearization(etcdModel, ops, res.linearization!)).toBe(true);
      else expect(res.info.unplaced).toBeTypeOf('number');
    });
  }
});

describe('kv logs (porcupine_test.go TestKv*)', () => {
  const logs: Array<[string, string, boolean]> = [
    ['c01-ok', 'TestKv1ClientOk', true],
    ['c01-bad', 'TestKv1ClientBad', false],
    ['c10-ok', 'TestKv10ClientsOk', true],
    ['c10-bad', 'TestKv10ClientsBad', false],
  ];
  for (const [file, ref, linearizable] of logs) {
    it(`${file} [${ref}]`, () => {
      const ops = parseKvLog(readFileSync(join(DATA, `${file}.txt`), 'utf8'));
      expect(ops.length).toBeGreaterThan(30);
      const res = checkOperations(kvModel, ops, { budget: Infinity });
      expect(res.result).toBe(linearizable ? 'Ok' : 'Illegal');
      if (linearizable) expect(isLinearization(kvModel, ops, res.linearization!)).toBe(true);
    });
  }
});

describe('kv model: delete and cas (etcd txn style)', () => {
  type KvOp = Operation<KvInput, KvOutput>;
  const op = (clientId: number, input: KvInput, output: KvOutput, call: number, ret: number): KvOp => ({ clientId, input, output, call, return: ret });
  const cases: Array<{ name: string; ops: KvOp[]; want: 'Ok' | 'Illegal' }> = [
    {
      name: 'create-if-absent succeeds once',
      ops: [op(0, { op: 'cas', key: 'a', expected: null, value: '1' }, { ok: true }, 0, 10), op(1, { op: 'cas', key: 'a', expected: null, value: '2' }, { ok: true }, 5, 15)],
      want: 'Illegal',
    },
    {
      name: 'concurrent creates: one wins, one fails',
      ops: [op(0, { op: 'cas', key: 'a', expected: null, value: '1' }, { ok: true }, 0, 10), op(1, { op: 'cas', key: 'a', expected: null, value: '2' }, { ok: false }, 5, 15), op(2, { op: 'get', key: 'a' }, { value: '1' }, 20, 30)],
      want: 'Ok',
    },
    {
      name: 'a read after a delete returns nothing',
      ops: [op(0, { op: 'put', key: 'a', value: '1' }, {}, 0, 10), op(0, { op: 'delete', key: 'a' }, { deleted: true }, 20, 30), op(1, { op: 'get', key: 'a' }, { value: '1' }, 40, 50)],
      want: 'Illegal',
    },
    {
      name: 'delete reports whether the key existed',
      ops: [op(0, { op: 'delete', key: 'a' }, { deleted: true }, 0, 10)],
      want: 'Illegal',
    },
    {
      name: 'keys are independent (partitioned)',
      ops: [op(0, { op: 'put', key: 'a', value: '1' }, {}, 0, 10), op(1, { op: 'get', key: 'b' }, { value: null }, 20, 30), op(1, { op: 'get', key: 'a' }, { value: '1' }, 40, 50)],
      want: 'Ok',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const res = checkOperations(kvModel, c.ops);
      expect(res.result).toBe(c.want);
      if (c.want === 'Ok') expect(isLinearization(kvModel, c.ops, res.linearization!)).toBe(true);
    });
  }

  it('reports per key, with history indices', () => {
    const ops = [op(0, { op: 'put', key: 'b', value: 'x' }, {}, 0, 10), op(0, { op: 'put', key: 'a', value: '1' }, {}, 0, 10), op(1, { op: 'get', key: 'a' }, { value: '2' }, 20, 30)];
    const res = checkOperations(kvModel, ops);
    expect(res.result).toBe('Illegal');
    expect(res.info.partitions.map((p) => [p.operations, p.result])).toEqual([
      [[1, 2], 'Illegal'],
      [[0], 'Unknown'], // the check stopped at the first illegal part
    ]);
    expect(res.info.longest).toEqual([1]);
    expect(res.info.unplaced).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.

/** A random sequential run of kv operations, cut into overlapping intervals around its points. */
const kvRun = fc
  .record({
    steps: fc.array(
      fc.record({
        kind: fc.constantFrom('get', 'put', 'append', 'delete', 'cas'),
        key: fc.constantFrom('a', 'b', 'c'),
        value: fc.constantFrom('1', '2', '3'),
        expectPresent: fc.boolean(),
        before: fc.integer({ min: 0, max: 40 }),
        after: fc.integer({ min: 0, max: 40 }),
        client: fc.integer({ min: 0, max: 4 }),
        lost: fc.constantFrom('no', 'no', 'no', 'took-effect', 'never-applied'),
      }),
      { maxLength: 40 },
    ),
  })
  .map(({ steps }) => {
    const store = new Map<string, string>();
    const ops: Array<Operation<KvInput, KvOutput>> = [];
    steps.forEach((s, i) => {
      const point = i * 10;
      let input: KvInput;
      const current = store.get(s.key) ?? null;
      switch (s.kind) {
        case 'get':
          input = { op: 'get', key: s.key };
          break;
        case 'put':
          input = { op: 'put', key: s.key, value: s.value };
          break;
        case 'append':
          input = { op: 'append', key: s.key, value: s.value };
          break;
        case 'delete':
          input = { op: 'delete', key: s.key };
          break;
        default:
          input = { op: 'cas', key: s.key, expected: s.expectPresent ? s.value : null, value: s.value + s.value };
      }
      if (s.lost === 'never-applied') {
        // The request was lost before it took effect; its client gave up.
        ops.push({ clientId: s.client, input, output: { value: 'garbage' }, call: point - s.before, return: Infinity });
        return;
      }
      let output: KvOutput = {};
      switch (input.op) {
        case 'get':
          output = { value: current };
          break;
        case 'put':
          store.set(s.key, input.value);
          break;
        case 'append':
          store.set(s.key, (current ?? '') + input.value);
          break;
        case 'delete':
          output = { deleted: current !== null };
          store.delete(s.key);
          break;
        case 'cas':
          output = { ok: current === input.expected };
          if (output.ok) store.set(s.key, input.value);
      }
      ops.push({ clientId: s.client, input, output, call: point - s.before, return: s.lost === 'took-effect' ? Infinity : point + s.after });
    });
    return ops;
  });

describe('properties', () => {
  it('a history cut from a sequential run is linearizable, and the linearization given checks out', () => {
    fc.assert(
      fc.property(kvRun, (ops) => {
        const res = checkOperations(kvModel, ops, { budget: Infinity });
        expect(res.result).toBe('Ok');
        expect(isLinearization(kvModel, ops, res.linearization!)).toBe(true);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('a read of a value never written makes it illegal', () => {
    fc.assert(
      fc.property(kvRun, fc.nat(), fc.integer({ min: -50, max: 500 }), (ops, at, call) => {
        const bad: Operation<KvInput, KvOutput> = { clientId: 9, input: { op: 'get', key: 'a' }, output: { value: 'never-written' }, call, return: call + 5 };
        const history = [...ops];
        history.splice(at % (history.length + 1), 0, bad);
        const res = checkOperations(kvModel, history, { budget: Infinity });
        expect(res.result).toBe('Illegal');
        expect(history[res.info.unplaced!].input.key).toBe('a');
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  /** Brute force: tries every order. */
  function bruteForce<S, I, O>(model: Model<S, I, O>, ops: Array<Operation<I, O>>): boolean {
    const used = new Array(ops.length).fill(false);
    const order: number[] = [];
    const go = (): boolean => {
      if (order.length === ops.length) return isLinearization(model, ops, order);
      for (let i = 0; i < ops.length; i++) {
        if (used[i]) continue;
        used[i] = true;
        order.push(i);
        if (go()) return true;
        order.pop();
        used[i] = false;
      }
      return false;
    };
    return go();
  }

  it('agrees with a brute-force search on small random register histories (the oracle)', () => {
    const reg = newRegisterModel<number>(0);
    const opArb = fc.record({
      kind: fc.constantFrom('put', 'get', 'cas'),
      a: fc.integer({ min: 0, max: 2 }),
      b: fc.integer({ min: 0, max: 2 }),
      flag: fc.boolean(),
      call: fc.integer({ min: 0, max: 30 }),
      len: fc.integer({ min: 0, max: 15 }),
      lost: fc.integer({ min: 0, max: 7 }),
    });
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 6 }), (specs) => {
        const ops = specs.map((s, i): Operation<RegisterInput<number>, RegisterOutput<number>> => {
          const input: RegisterInput<number> = s.kind === 'put' ? { op: 'put', value: s.a } : s.kind === 'get' ? { op: 'get' } : { op: 'cas', from: s.a, to: s.b };
          const output = s.kind === 'get' ? s.b : s.kind === 'cas' ? s.flag : undefined;
          return { clientId: i, input, output, call: s.call, return: s.lost === 0 ? Infinity : s.call + s.len };
        });
        const res = checkOperations(reg, ops, { budget: Infinity });
        expect(res.result).toBe(bruteForce(reg, ops) ? 'Ok' : 'Illegal');
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});

describe('budget', () => {
  /** 16 concurrent writes of distinct values, then a read of a value nobody wrote. */
  function ambiguous(): RegOp[] {
    const ops: RegOp[] = [];
    for (let i = 0; i < 16; i++) ops.push(put(i, i + 1, 0, 100));
    ops.push(get(99, 1000, 200, 300));
    return ops;
  }

  it('a large ambiguous history returns Unknown within the budget, the same way every time', () => {
    const a = checkOperations(registerModel, ambiguous(), { budget: 20_000 });
    const b = checkOperations(registerModel, ambiguous(), { budget: 20_000 });
    expect(a.result).toBe('Unknown');
    expect(a.steps).toBe(20_000);
    expect(b).toEqual(a);
  });

  it('with enough budget the same kind of history is found illegal', () => {
    const ops = ambiguous().slice(10); // 6 writes and the read
    const res = checkOperations(registerModel, ops, { budget: Infinity });
    expect(res.result).toBe('Illegal');
    expect(checkOperations(registerModel, ops, { budget: res.steps }).result).toBe('Illegal');
    expect(checkOperations(registerModel, ops, { budget: res.steps - 1 }).result).toBe('Unknown');
  });

  it('the check stops at the first illegal part, with or without computeInfo', () => {
    const ops: Array<Operation<KvInput, KvOutput>> = [
      { clientId: 0, input: { op: 'get', key: 'a' }, output: { value: 'x' }, call: 0, return: 1 },
      { clientId: 0, input: { op: 'get', key: 'b' }, output: { value: null }, call: 2, return: 3 },
    ];
    for (const computeInfo of [false, true]) {
      const res = checkOperations(kvModel, ops, { computeInfo });
      expect(res.result).toBe('Illegal');
      expect(res.info.partitions.map((p) => p.result)).toEqual(['Illegal', 'Unknown']);
    }
  });

  it('parts take turns: a hard part does not hide an illegal one behind it [checkParallel]', () => {
    // Key "a": 16 concurrent writes and an impossible read (a long search); key "b": illegal at once.
    const ops: Array<Operation<KvInput, KvOutput>> = [];
    for (let i = 0; i < 16; i++) ops.push({ clientId: i, input: { op: 'put', key: 'a', value: String(i) }, output: {}, call: 0, return: 100 });
    ops.push({ clientId: 20, input: { op: 'get', key: 'a' }, output: { value: 'nope' }, call: 200, return: 300 });
    ops.push({ clientId: 21, input: { op: 'get', key: 'b' }, output: { value: 'x' }, call: 0, return: 1 });
    const res = checkOperations(kvModel, ops, { budget: 100_000 });
    expect(res.result).toBe('Illegal');
    expect(res.info.partitions.map((p) => [p.result, p.steps])).toEqual([
      ['Unknown', 1000],
      ['Illegal', 2],
    ]);
    expect(res.info.unplaced).toBe(17);
  });
});
