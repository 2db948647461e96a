// Properties of the DeltaFIFO model over random operation sequences (fast-check prints the seed
// and the shrunk sequence on failure; rerun with `fc.assert(..., { seed, path })`):
// 1. the invariants hold after every operation: no key queued twice, no empty Deltas, no two
//    Deleted deltas in a row (duplicate deletions collapse);
// 2. the model agrees with a naive oracle written here from the upstream semantics: the same
//    Deltas pop in the same order with the same isInInitialList, hasSynced agrees throughout;
// 3. with the consumer's store as known objects (the informer set-up), popping everything and
//    applying each Deltas to the store leaves it equal to the last state the producer reported;
// 4. the same operations give byte-identical traces, and every event survives JSON.
// Imports come from the model's files until src/sim/index.ts exports the cache package.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceRecorder } from '../../src/sim/core/trace';
import { settle } from '../../src/sim/core/drive';
import { DeletedFinalStateUnknown, DeltaType, ErrFIFOClosed, newDeltaFIFO, type DeltaFIFO, type Deltas, type KeyListerGetter } from '../../src/sim/index';

const NAMES = ['a', 'b', 'c', 'd'] as const;

interface Obj {
  name: string;
  /** A serial number unique per operation, so every object can be told apart. */
  v: number;
}

type Op =
  | { kind: 'add' | 'update' | 'delete'; name: string }
  | { kind: 'replace'; names: string[] }
  | { kind: 'resync' }
  | { kind: 'pop' }
  | { kind: 'close' };

const name = fc.constantFrom(...NAMES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), name }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('update' as const), name }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), name }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), names: fc.subarray([...NAMES]) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resync' as const) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const) }) },
);
const configArb = fc.record({ known: fc.boolean(), emitDeltaTypeReplaced: fc.boolean() });
const opsArb = fc.array(opArb, { maxLength: 50 });

const keyFunc = (obj: unknown): string => (obj as Obj).name;

/** The key a consumer deletes for a Deleted delta (DeletionHandlingMetaNamespaceKeyFunc's job). */
function deletionKey(obj: unknown): string {
  return obj instanceof DeletedFinalStateUnknown ? obj.key : (obj as Obj).name;
}

function show(deltas: Deltas): string {
  return deltas
    .map((d) => {
      const o = d.object;
      if (o instanceof DeletedFinalStateUnknown) return `${d.type}:DFSU(${o.key},${o.obj === undefined ? '-' : (o.obj as Obj).v})`;
      return `${d.type}:${(o as Obj).name}@${(o as Obj).v}`;
    })
    .join(' ');
}

/** A Map-backed KeyListerGetter: the informer's store that the consumer keeps. */
function mapStore(map: Map<string, Obj>): KeyListerGetter {
  return { listKeys: () => [...map.keys()], getByKey: (key) => map.get(key) };
}

/**
 * The oracle: DeltaFIFO's semantics written as plainly as possible (an array of entries, linear
 * scans), from delta_fifo.go's comments rather than from the model's code.
 */
class Oracle {
  entries: Array<{ key: string; deltas: Deltas }> = [];
  populated = false;
  initial = 0;
  closed = false;
  waiters = 0;
  rejected = 0;
  log: string[] = [];

  constructor(
    readonly known: Map<string, Obj> | undefined,
    readonly emitReplaced: boolean,
    readonly consume: (deltas: Deltas) => void,
  ) {}

  private entry(key: string) {
    return this.entries.find((e) => e.key === key);
  }

  private append(type: DeltaType, obj: unknown): void {
    const key = obj instanceof DeletedFinalStateUnknown ? obj.key : keyFunc(obj);
    const e = this.entry(key);
    if (!e) {
      this.entries.push({ key, deltas: [{ type, object: obj }] });
      return;
    }
    const last = e.deltas[e.deltas.length - 1];
    if (type === 'Deleted' && last.type === 'Deleted') {
      // Keep the deletion with the most information: the older one unless it is a tombstone.
      if (last.object instanceof DeletedFinalStateUnknown) e.deltas[e.deltas.length - 1] = { type, object: obj };
      return;
    }
    e.deltas.push({ type, object: obj });
  }

  add(obj: Obj, type: 'Added' | 'Updated'): void {
    this.populated = true;
    this.append(type, obj);
    this.serve();
  }

  delete(obj: Obj): void {
    this.populated = true;
    const knownHas = this.known?.has(obj.name) ?? false;
    if (knownHas || this.entry(obj.name)) this.append('Deleted', obj);
    this.serve();
  }

  replace(list: Obj[]): void {
    const listed = new Set(list.map((o) => o.name));
    for (const o of list) this.append(this.emitReplaced ? 'Replaced' : 'Sync', o);
    let deletions = 0;
    for (const e of [...this.entries]) {
      if (listed.has(e.key)) continue;
      let last = e.deltas[e.deltas.length - 1].object;
      if (last instanceof DeletedFinalStateUnknown) last = last.obj;
      this.append('Deleted', new DeletedFinalStateUnknown(e.key, last));
      deletions++;
    }
    for (const [k, o] of this.known ?? []) {
      if (listed.has(k) || this.entry(k)) continue;
      this.append('Deleted', new DeletedFinalStateUnknown(k, o));
      deletions++;
    }
    if (!this.populated) {
      this.populated = true;
      this.initial = listed.size + deletions;
    }
    this.serve();
  }

  resync(): void {
    for (const [k, o] of this.known ?? []) if (!this.entry(k)) this.append('Sync', o);
    this.serve();
  }

  pop(): void {
    this.waiters++;
    this.serve();
  }

  close(): void {
    this.closed = true;
    this.serve();
  }

  private serve(): void {
    while (this.waiters > 0 && this.entries.length > 0) {
      this.waiters--;
      const isInInitialList = !(this.populated && this.initial === 0);
      const e = this.entries.shift()!;
      if (this.initial > 0) this.initial--;
      this.log.push(`${e.key} [${show(e.deltas)}] initial=${isInInitialList}`);
      this.consume(e.deltas);
    }
    if (this.closed && this.entries.length === 0) {
      this.rejected += this.waiters;
      this.waiters = 0;
    }
  }

  hasSynced(): boolean {
    return this.populated && this.initial === 0;
  }
}

/** Applies popped Deltas to a store the way processDeltas does (oldest to newest). */
function applyTo(store: Map<string, Obj>): (deltas: Deltas) => void {
  return (deltas) => {
    for (const d of deltas) {
      if (d.type === 'Deleted') store.delete(deletionKey(d.object));
      else store.set((d.object as Obj).name, d.object as Obj);
    }
  };
}

interface RunResult {
  trace: TraceRecorder;
  log: string[];
  oracle: Oracle;
  store: Map<string, Obj>;
  truth: Map<string, Obj>;
  rejected: number;
  fifo: DeltaFIFO<Obj>;
}

/** Runs `ops` against a fresh model and oracle, checking invariants and agreement after each op. */
async function run(cfg: { known: boolean; emitDeltaTypeReplaced: boolean }, ops: Op[], drain: boolean): Promise<RunResult> {
  const trace = new TraceRecorder();
  const store = new Map<string, Obj>();
  const oracleStore = new Map<string, Obj>();
  const fifo = newDeltaFIFO<Obj>({
    keyFunction: keyFunc,
    knownObjects: cfg.known ? mapStore(store) : undefined,
    emitDeltaTypeReplaced: cfg.emitDeltaTypeReplaced,
    trace,
    name: 'prop',
  });
  const oracle = new Oracle(cfg.known ? oracleStore : undefined, cfg.emitDeltaTypeReplaced, applyTo(oracleStore));
  const consume = applyTo(store);
  /** The state the producer last reported, as an apiserver would hold it. */
  const truth = new Map<string, Obj>();
  const log: string[] = [];
  let rejected = 0;
  let v = 0;
  const doPop = () => {
    fifo
      .pop((deltas, isInInitialList) => {
        log.push(`${fifo.keyOf(deltas)} [${show(deltas)}] initial=${isInInitialList}`);
        consume(deltas);
      })
      .catch((err: unknown) => {
        expect(err).toBe(ErrFIFOClosed);
        rejected++;
      });
  };

  for (const op of ops) {
    v++;
    switch (op.kind) {
      case 'add':
      case 'update': {
        const obj = { name: op.name, v };
        fifo[op.kind](obj);
        oracle.add(obj, op.kind === 'add' ? 'Added' : 'Updated');
        truth.set(op.name, obj);
        break;
      }
      case 'delete': {
        const obj = { name: op.name, v };
        fifo.delete(obj);
        oracle.delete(obj);
        truth.delete(op.name);
        break;
      }
      case 'replace': {
        const list = op.names.map((n) => ({ name: n, v }));
        fifo.replace(list, String(v));
        oracle.replace(list);
        truth.clear();
        for (const o of list) truth.set(o.name, o);
        break;
      }
      case 'resync':
        fifo.resync();
        oracle.resync();
        break;
      case 'pop':
        doPop();
        oracle.pop();
        break;
      case 'close':
        fifo.close();
        oracle.close();
        break;
    }
    checkInvariants(fifo);
    expect(log).toEqual(oracle.log);
    expect(fifo.hasSynced()).toBe(oracle.hasSynced());
    expect(fifo.listKeys()).toEqual(oracle.entries.map((e) => e.key));
    expect(fifo.snapshot().waiters).toBe(oracle.waiters);
  }
  if (drain) {
    // Pop until empty (a closed queue still drains what it holds).
    while (fifo.listKeys().length > 0) {
      doPop();
      oracle.pop();
    }
    expect(log).toEqual(oracle.log);
  }
  await settle();
  expect(rejected).toBe(oracle.rejected);
  return { trace, log, oracle, store, truth, rejected, fifo };
}

function checkInvariants(fifo: DeltaFIFO<Obj>): void {
  const keys = fifo.listKeys();
  expect(new Set(keys).size, `a key is queued twice: ${keys.join(',')}`).toBe(keys.length);
  for (const key of keys) {
    const deltas = fifo.getByKey(key)!;
    expect(deltas.length, `empty Deltas for ${key}`).toBeGreaterThan(0);
    expect(fifo.keyOf(deltas)).toBe(key);
    for (let i = 1; i < deltas.length; i++) {
      expect(deltas[i - 1].type === 'Deleted' && deltas[i].type === 'Deleted', `two deletions in a row for ${key}: ${show(deltas)}`).toBe(false);
    }
  }
}

describe('DeltaFIFO properties', () => {
  it('keeps its invariants and agrees with the naive oracle', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, opsArb, async (cfg, ops) => {
        await run(cfg, ops, true);
      }),
      { numRuns: 400 },
    );
  });

  it('with the consumer store as known objects, draining converges on the last reported state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), opsArb, async (emitDeltaTypeReplaced, ops) => {
        const { store, truth } = await run({ known: true, emitDeltaTypeReplaced }, ops, true);
        expect([...store.entries()].sort()).toEqual([...truth.entries()].sort());
      }),
      { numRuns: 400 },
    );
  });

  it('gives byte-identical, JSON-only traces for the same operations', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, opsArb, async (cfg, ops) => {
        const first = await run(cfg, ops, false);
        const second = await run(cfg, ops, false);
        const text = JSON.stringify(first.trace.events);
        expect(JSON.stringify(second.trace.events)).toBe(text);
        expect(JSON.parse(text)).toEqual(first.trace.events);
        for (const e of first.trace.events) expect(e.component).toBe('deltaFIFO');
      }),
      { numRuns: 200 },
    );
  });
});
