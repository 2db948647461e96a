// Properties of the RealFIFO model over random operation sequences (fast-check prints the seed
// and the shrunk sequence on failure; rerun with `fc.assert(..., { seed, path })`):
// 1. the invariants hold after every operation: every queued item is one Delta with a key, in the
//    order it was queued; every pop hands `process` exactly one Delta;
// 2. the model agrees with a naive oracle written here from the_real_fifo.go: the same items are
//    queued, the same Delta pops with the same isInInitialList, hasSynced agrees throughout
//    (including inside `process`, where it is false for the last initial item), and the waiter
//    and rejection counts match;
// 3. with the consumer's store as known objects (the informer set-up), popping everything and
//    applying each Delta to the store leaves it equal to the last state the producer reported;
// 4. the same operations give byte-identical traces, and every event survives JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settle } from '../../src/sim/core/drive';
import { TraceRecorder } from '../../src/sim/core/trace';
import { DeletedFinalStateUnknown, ErrFIFOClosed, newRealFIFO, type Delta, type DeltaType, type KeyListerGetter, type RealFIFO } from '../../src/sim/index';
import { runs } from './fuzz';

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
/** Known objects: the consumer's store (the informer set-up), or a fixed set the test made up. */
const configArb = fc.record({ knownIsStore: fc.boolean(), fixedKnown: fc.subarray([...NAMES]) });
const opsArb = fc.array(opArb, { maxLength: 50 });

const keyFunc = (obj: unknown): string => (obj as Obj).name;
const keyOf = (obj: unknown): string => (obj instanceof DeletedFinalStateUnknown ? obj.key : keyFunc(obj));

function show(d: Delta): string {
  const o = d.object;
  if (o instanceof DeletedFinalStateUnknown) return `${d.type}:DFSU(${o.key},${o.obj === undefined ? '-' : (o.obj as Obj).v})`;
  return `${d.type}:${(o as Obj).name}@${(o as Obj).v}`;
}

/** A Map-backed KeyListerGetter. */
function mapStore(map: Map<string, Obj>): KeyListerGetter {
  return { listKeys: () => [...map.keys()], getByKey: (key) => map.get(key) };
}

/**
 * The oracle: the_real_fifo.go's semantics written as plainly as possible (one array of Deltas,
 * linear scans), from the upstream code and comments rather than from the model.
 */
class Oracle {
  items: Delta[] = [];
  populated = false;
  initial = 0;
  closed = false;
  waiters = 0;
  rejected = 0;
  log: string[] = [];

  constructor(
    readonly known: Map<string, Obj>,
    readonly consume: (d: Delta) => void,
  ) {}

  private push(type: DeltaType, object: unknown): void {
    this.items.push({ type, object });
  }

  change(type: 'Added' | 'Updated' | 'Deleted', obj: Obj): void {
    this.populated = true;
    this.push(type, obj);
    this.serve();
  }

  replace(list: Obj[]): void {
    const listed = new Set(list.map((o) => o.name));
    const keys: string[] = [];
    const last = new Map<string, Delta>();
    for (const d of this.items) {
      const k = keyOf(d.object);
      if (!last.has(k)) keys.push(k);
      last.set(k, d);
    }
    for (const k of keys) {
      if (listed.has(k) || last.get(k)!.type === 'Deleted') continue;
      this.push('Deleted', new DeletedFinalStateUnknown(k, last.get(k)!.object));
    }
    for (const [k, o] of this.known) {
      if (listed.has(k) || last.has(k)) continue;
      this.push('Deleted', new DeletedFinalStateUnknown(k, o));
    }
    for (const o of list) this.push('Replaced', o);
    if (!this.populated) {
      this.populated = true;
      this.initial = this.items.length;
    }
    this.serve();
  }

  resync(): void {
    const queued = new Set(this.items.map((d) => keyOf(d.object)));
    for (const [k, o] of this.known) if (!queued.has(k)) this.push('Sync', o);
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
    while (this.waiters > 0 && this.items.length > 0) {
      this.waiters--;
      const isInInitialList = !(this.populated && this.initial === 0);
      const d = this.items.shift()!;
      if (this.initial > 0) this.initial--;
      // Inside process, HasSynced waits for the lock: false for an initial item.
      const syncedInside = !isInInitialList && this.hasSynced();
      this.log.push(`${show(d)} initial=${isInInitialList} synced=${syncedInside}`);
      this.consume(d);
    }
    if (this.closed && this.items.length === 0) {
      this.rejected += this.waiters;
      this.waiters = 0;
    }
  }

  hasSynced(): boolean {
    return this.populated && this.initial === 0;
  }
}

/** Applies one popped Delta to a store the way processDeltas does. */
function applyTo(store: Map<string, Obj>): (d: Delta) => void {
  return (d) => {
    if (d.type === 'Deleted') store.delete(keyOf(d.object));
    else store.set((d.object as Obj).name, d.object as Obj);
  };
}

interface RunResult {
  trace: TraceRecorder;
  store: Map<string, Obj>;
  truth: Map<string, Obj>;
}

/** Runs `ops` against a fresh model and oracle, checking invariants and agreement after each op. */
async function run(cfg: { knownIsStore: boolean; fixedKnown: string[] }, ops: Op[], drain: boolean): Promise<RunResult> {
  const trace = new TraceRecorder();
  const store = new Map<string, Obj>();
  const oracleStore = new Map<string, Obj>();
  const fixed = new Map(cfg.fixedKnown.map((n) => [n, { name: n, v: 0 }] as const));
  const fifo: RealFIFO<Obj> = newRealFIFO<Obj>(keyFunc, mapStore(cfg.knownIsStore ? store : fixed), undefined, { trace, name: 'prop' });
  const oracle = new Oracle(cfg.knownIsStore ? oracleStore : fixed, applyTo(oracleStore));
  const consume = applyTo(store);
  /** The state the producer last reported, as an apiserver would hold it. */
  const truth = new Map<string, Obj>();
  const log: string[] = [];
  let rejected = 0;
  let v = 0;
  const doPop = () => {
    fifo
      .pop((deltas, isInInitialList) => {
        expect(deltas, 'one Delta per pop').toHaveLength(1);
        log.push(`${show(deltas[0])} initial=${isInInitialList} synced=${fifo.hasSynced()}`);
        consume(deltas[0]);
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
      case 'update':
      case 'delete': {
        const obj = { name: op.name, v };
        fifo[op.kind](obj);
        oracle.change(op.kind === 'add' ? 'Added' : op.kind === 'update' ? 'Updated' : 'Deleted', obj);
        if (op.kind === 'delete') truth.delete(op.name);
        else truth.set(op.name, obj);
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
    expect(log).toEqual(oracle.log);
    expect(fifo.hasSynced()).toBe(oracle.hasSynced());
    expect(fifo.getItems().map(show)).toEqual(oracle.items.map(show));
    const snap = fifo.snapshot();
    expect(snap.waiters).toBe(oracle.waiters);
    expect(snap.items.map((i) => i.key)).toEqual(oracle.items.map((d) => keyOf(d.object)));
  }
  if (drain) {
    // Pop until empty (a closed queue still drains what it holds).
    while (fifo.getItems().length > 0) {
      doPop();
      oracle.pop();
    }
    expect(log).toEqual(oracle.log);
  }
  await settle();
  expect(rejected).toBe(oracle.rejected);
  return { trace, store, truth };
}

describe('RealFIFO properties', () => {
  it('keeps its invariants and agrees with the naive oracle', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, opsArb, async (cfg, ops) => {
        await run(cfg, ops, true);
      }),
      { numRuns: runs(400) },
    );
  });

  it('with the consumer store as known objects, draining converges on the last reported state', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const { store, truth } = await run({ knownIsStore: true, fixedKnown: [] }, ops, true);
        expect([...store.entries()].sort()).toEqual([...truth.entries()].sort());
      }),
      { numRuns: runs(400) },
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
        for (const e of first.trace.events) expect(e.component).toBe('realFIFO');
      }),
      { numRuns: runs(200) },
    );
  });
});
