/**
 * A linearizability checker after Porcupine v1.3.0 (github.com/anishathalye/porcupine,
 * `checker.go`): the Wing & Gong search with Lowe's cache of (linearized set, state) pairs.
 *
 * A history is a list of operations, each with the virtual time its client called it and the time
 * the answer came back. It is linearizable when the operations can be put in one order that (a)
 * the sequential model accepts, each with the output the client saw, and (b) keeps every
 * operation that returned before another was called ahead of it. Intervals are closed, as
 * Porcupine reads them: `[10, 20]` and `[20, 30]` overlap.
 *
 * An operation whose client never heard back (it timed out, or its node crashed) has
 * `return: Infinity`; its output is not known. It may or may not have taken effect: the search
 * may place it anywhere after its call, including after everything else (where it changes
 * nothing anyone saw), and the model steps it with `stepUnknown`, which accepts any output. This
 * is how Porcupine's Jepsen tests treat `:info` operations (a return at the end of the history,
 * with an output that matches anything).
 *
 * The search is deterministic and counts its steps: `budget` bounds the number of steps (not
 * wall time, as Porcupine's timeout does), so the same history and budget give the same answer on
 * every machine, including `Unknown` when the budget runs out.
 */

/** One operation of a history. */
export interface Operation<I = unknown, O = unknown> {
  /** Which client issued it (for reports; the checker does not need it). */
  clientId: number;
  input: I;
  /** Virtual time of the call. */
  call: number;
  /** What the client saw; ignored (any output) when `return` is Infinity. */
  output: O;
  /** Virtual time of the answer; `Infinity` when it never came (indeterminate). */
  return: number;
}

/**
 * A sequential specification. Only `init` and `step` are required (and `stepUnknown` when a
 * history holds operations that never returned). States must be treated as immutable: `step`
 * returns a new state and never changes the one it was given.
 */
// Upstream: model.go (Model)
export interface Model<S, I, O> {
  /**
   * Splits a history into independent parts (e.g. by key), such that the history is
   * linearizable if and only if each part is. Must return the very operation objects it was
   * given. Omitted: one part.
   */
  partition?(history: ReadonlyArray<Operation<I, O>>): Array<Array<Operation<I, O>>>;
  /** The initial state (of one part, when the model partitions). */
  init(): S;
  /** Whether the operation could return `output` from `state`, and the state after it. */
  step(state: S, input: I, output: O): [boolean, S];
  /**
   * The state after an operation whose output is unknown (its client never heard back): it took
   * effect, with whatever output. Needed only for histories with `return: Infinity`.
   */
  stepUnknown?(state: S, input: I): S;
  /** Equality of states. Omitted: `===`. */
  equal?(a: S, b: S): boolean;
  /** A 32-bit hash of a state; equal states must hash alike. Omitted: every state hashes to 0. */
  hash?(state: S): number;
  /** An operation as text, e.g. `get("x") -> "1"` (output undefined: unknown). */
  describeOperation?(input: I, output: O | undefined): string;
  /** A state as text. */
  describeState?(state: S): string;
}

/** Porcupine's three answers: `Unknown` when the budget ran out before an answer. */
// Upstream: model.go (CheckResult: Ok, Illegal, Unknown)
export type CheckResultKind = 'Ok' | 'Illegal' | 'Unknown';

/** What the search found in one part of the history. */
export interface PartitionInfo {
  /** The part's operations, as indices into the history, in the order of the part. */
  operations: number[];
  result: CheckResultKind;
  /** Search steps spent on this part. */
  steps: number;
  /**
   * Porcupine's partial linearizations: for each operation, the longest linearizable prefix the
   * search found that includes it, without repeats (history indices). For an `Ok` part, the one
   * complete linearization.
   */
  partialLinearizations: number[][];
  /** The longest of them (the first found among equals). */
  longest: number[];
  /**
   * For an `Illegal` part: the operation that could not be placed after `longest` (its answer
   * came back before the search could fit it in), as a history index.
   */
  unplaced?: number;
}

export interface LinearizationInfo {
  partitions: PartitionInfo[];
  /** For `Illegal`: the first illegal part's longest partial linearization (history indices). */
  longest?: number[];
  /** For `Illegal`: the operation that could not be placed after `longest` (a history index). */
  unplaced?: number;
}

export interface CheckResult {
  result: CheckResultKind;
  /** For `Ok`: every operation, in an order that is a linearization of the whole history. */
  linearization?: number[];
  /** Search steps spent in all (at most the budget). */
  steps: number;
  info: LinearizationInfo;
}

export interface CheckOptions {
  /**
   * How many search steps the check may take, over all parts (default {@link DEFAULT_BUDGET};
   * `Infinity` for none). Each step tries one entry or undoes one; the count decides `Unknown`,
   * so the answer never depends on the machine.
   */
  budget?: number;
  /**
   * Keep, for each operation, the longest partial linearization that includes it (default true,
   * Porcupine's verbose mode). `longest` and `unplaced` are kept either way. The check stops at
   * the first illegal part in both modes; parts not finished by then are `Unknown`.
   */
  computeInfo?: boolean;
}

/** The default step budget: about a second of search in V8. */
export const DEFAULT_BUDGET = 2_000_000;

/** Steps each part searches in its turn before the next part's turn. */
export const SLICE_STEPS = 1000;

/**
 * Checks whether `history` is linearizable with respect to `model`.
 */
// Upstream: checker.go (checkOperations, checkParallel)
export function checkOperations<S, I, O>(model: Model<S, I, O>, history: ReadonlyArray<Operation<I, O>>, options: CheckOptions = {}): CheckResult {
  const budget = options.budget ?? DEFAULT_BUDGET;
  if (!(budget >= 0)) throw new RangeError(`checkOperations: budget must be a number >= 0, got ${String(budget)}`);
  const computeInfo = options.computeInfo ?? true;
  history.forEach((op, i) => validateOperation(op, i));

  const searches = partitionIndices(model, history).map((operations) => new PartitionSearch(model, history, operations, computeInfo));
  // The parts take turns, SLICE_STEPS at a time, as Porcupine's goroutines run side by side: a
  // hard part does not hide an illegal one behind it, and the turns are the same on every run.
  let steps = 0;
  let open = searches.filter((s) => s.result === undefined);
  search: while (open.length > 0 && steps < budget) {
    for (const s of open) {
      const before = s.steps;
      const result = s.run(Math.min(SLICE_STEPS, budget - steps));
      steps += s.steps - before;
      if (result === 'Illegal') break search;
      if (steps >= budget) break;
    }
    open = open.filter((s) => s.result === undefined);
  }
  const partitions = searches.map((s) => s.info());

  const illegal = partitions.find((p) => p.result === 'Illegal');
  const info: LinearizationInfo = { partitions };
  if (illegal) {
    info.longest = illegal.longest;
    info.unplaced = illegal.unplaced;
    return { result: 'Illegal', steps, info };
  }
  if (partitions.some((p) => p.result === 'Unknown')) return { result: 'Unknown', steps, info };
  return { result: 'Ok', linearization: mergeLinearizations(history, partitions), steps, info };
}

/** A history in Porcupine's other form: call and return events in order, matched by `id`. */
export interface HistoryEvent<I = unknown, O = unknown> {
  clientId: number;
  kind: 'call' | 'return';
  /** The input (call) or the output (return). */
  value: I | O;
  id: number;
}

/**
 * Checks a history given as ordered events: each event's position is its time (as Porcupine's
 * `convertEntries` does). A call without a return never returned (`return: Infinity`).
 * Operation `k` of the result (indices in `linearization` and `info`) is the k-th call.
 */
// Upstream: checker.go (checkEvents, renumber, convertEntries)
export function checkEvents<S, I, O>(model: Model<S, I, O>, events: ReadonlyArray<HistoryEvent<I, O>>, options: CheckOptions = {}): CheckResult {
  return checkOperations(model, eventsToOperations(events), options);
}

/** The operations of an event history, numbered in the order of their calls. */
export function eventsToOperations<I, O>(events: ReadonlyArray<HistoryEvent<I, O>>): Array<Operation<I, O>> {
  const ops: Array<Operation<I, O>> = [];
  const open = new Map<number, number>();
  events.forEach((e, t) => {
    if (e.kind === 'call') {
      if (open.has(e.id)) throw new Error(`checkEvents: event ${t} calls id ${e.id} again before it returned`);
      open.set(e.id, ops.length);
      ops.push({ clientId: e.clientId, input: e.value as I, call: t, output: undefined as O, return: Infinity });
    } else {
      const k = open.get(e.id);
      if (k === undefined) throw new Error(`checkEvents: event ${t} returns id ${e.id}, which has no open call`);
      open.delete(e.id);
      ops[k].output = e.value as O;
      ops[k].return = t;
    }
  });
  return ops;
}

/**
 * Whether `order` (history indices) is a linearization of `history`: every operation once, the
 * model accepts each in turn, and no operation comes after one that was called after it
 * returned. The oracle the tests hold the checker's answers to.
 */
export function isLinearization<S, I, O>(model: Model<S, I, O>, history: ReadonlyArray<Operation<I, O>>, order: readonly number[]): boolean {
  if (order.length !== history.length || new Set(order).size !== history.length) return false;
  if (order.some((i) => !Number.isInteger(i) || i < 0 || i >= history.length)) return false;
  // Real time: each operation's call must not come after the answer of any operation placed later.
  let minReturnAfter = Infinity;
  for (let k = order.length - 1; k >= 0; k--) {
    const op = history[order[k]];
    if (op.call > minReturnAfter) return false;
    minReturnAfter = Math.min(minReturnAfter, op.return);
  }
  // The model, part by part (a partitioned model's state is per part).
  for (const part of partitionIndices(model, history)) {
    const inPart = new Set(part);
    let state = model.init();
    for (const i of order) {
      if (!inPart.has(i)) continue;
      const next = stepOne(model, state, history[i], i);
      if (!next[0]) return false;
      state = next[1];
    }
  }
  return true;
}

/** One line per operation of `order`, with its text, interval and client: for failure reports. */
export function describeOperations<S, I, O>(model: Model<S, I, O>, history: ReadonlyArray<Operation<I, O>>, order: readonly number[]): string[] {
  return order.map((i) => {
    const op = history[i];
    const known = op.return !== Infinity;
    const text = model.describeOperation ? model.describeOperation(op.input, known ? op.output : undefined) : `${JSON.stringify(op.input)} -> ${known ? JSON.stringify(op.output) : '?'}`;
    return `#${i} client ${op.clientId} [${op.call}, ${known ? op.return : '∞'}] ${text}`;
  });
}

// ---------------------------------------------------------------------------------------------
// The search.

/**
 * An entry of the doubly linked list of calls and returns, in time order. A call entry points
 * at its return (`match`); a return entry has `match === null`. The head is a sentinel.
 */
interface Node {
  /** Position of the operation in its part (bit of the linearized set), -1 for the head. */
  id: number;
  match: Node | null;
  next: Node | null;
  prev: Node | null;
}

interface Entry {
  kind: 0 | 1; // 0 call, 1 return
  id: number;
  time: number;
  /** Position in the history, to break ties deterministically. */
  order: number;
}

// Upstream: checker.go (makeEntries, byTime.Less: by time, calls before returns at equal times)
function makeEntries(times: ReadonlyArray<{ call: number; return: number }>): Entry[] {
  const entries: Entry[] = [];
  times.forEach((op, id) => {
    entries.push({ kind: 0, id, time: op.call, order: id });
    entries.push({ kind: 1, id, time: op.return, order: id });
  });
  entries.sort((a, b) => a.time - b.time || a.kind - b.kind || a.order - b.order || 0);
  // Infinity - Infinity is NaN: the `|| ...` chain above treats it as a tie, as wanted.
  return entries;
}

// Upstream: checker.go (makeLinkedEntries)
function makeLinkedEntries(entries: Entry[]): Node | null {
  let root: Node | null = null;
  const match = new Map<number, Node>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    const node: Node = { id: e.id, match: e.kind === 1 ? null : (match.get(e.id) ?? null), next: null, prev: null };
    if (e.kind === 1) match.set(e.id, node);
    insertBefore(node, root);
    root = node;
  }
  return root;
}

// Upstream: checker.go (insertBefore)
function insertBefore(n: Node, mark: Node | null): Node {
  if (mark !== null) {
    const beforeMark = mark.prev;
    mark.prev = n;
    n.next = mark;
    if (beforeMark !== null) {
      n.prev = beforeMark;
      beforeMark.next = n;
    }
  }
  return n;
}

// Upstream: checker.go (lift): takes a call and its return out of the list.
function lift(entry: Node): void {
  entry.prev!.next = entry.next;
  entry.next!.prev = entry.prev;
  const match = entry.match!;
  match.prev!.next = match.next;
  if (match.next !== null) match.next.prev = match.prev;
}

// Upstream: checker.go (unlift): puts them back.
function unlift(entry: Node): void {
  const match = entry.match!;
  match.prev!.next = match;
  if (match.next !== null) match.next.prev = match;
  entry.prev!.next = entry;
  entry.next!.prev = entry;
}

/**
 * The set of linearized operations of a part, one bit per operation. The cache keeps it as a
 * string of 16-bit code units (a JS string is far smaller than a typed array per entry, and a
 * Map hashes and compares it natively), in place of Porcupine's cloned bitset and its hash.
 */
// Upstream: bitset.go (bitset: set, clear, hash, equal, clone)
class Bitset {
  readonly #words: Uint16Array;
  constructor(bits: number) {
    this.#words = new Uint16Array(Math.ceil(bits / 16));
  }
  set(i: number): void {
    this.#words[i >>> 4] |= 1 << (i & 15);
  }
  clear(i: number): void {
    this.#words[i >>> 4] &= ~(1 << (i & 15));
  }
  /** The set as a string: equal sets give equal strings. */
  key(): string {
    const w = this.#words;
    if (w.length <= 4096) return String.fromCharCode.apply(null, w as unknown as number[]);
    let out = '';
    for (let i = 0; i < w.length; i += 4096) out += String.fromCharCode.apply(null, w.subarray(i, i + 4096) as unknown as number[]);
    return out;
  }
}

function stepOne<S, I, O>(model: Model<S, I, O>, state: S, op: Operation<I, O>, index: number): [boolean, S] {
  if (op.return === Infinity) {
    if (!model.stepUnknown) {
      throw new TypeError(`checkOperations: operation ${index} never returned (return: Infinity), and the model has no stepUnknown to step it with an unknown output`);
    }
    return [true, model.stepUnknown(state, op.input)];
  }
  return model.step(state, op.input, op.output);
}

/**
 * The search over one part, resumable: `run(maxSteps)` goes on where it stopped, so the driver
 * can share the budget among parts in turns, as Porcupine's goroutines share the CPU.
 */
// Upstream: checker.go (checkSingle)
class PartitionSearch<S, I, O> {
  readonly #model: Model<S, I, O>;
  readonly #ops: Array<Operation<I, O>>;
  readonly #operations: number[];
  readonly #computeInfo: boolean;
  readonly #equal: (a: S, b: S) => boolean;
  readonly #linearized: Bitset;
  /**
   * (linearized set, state) pairs already reached, keyed by the set and the state's hash: the
   * first state under a key, and any further states with the same key (rare with a good hash).
   */
  readonly #cache = new Map<string, S>();
  readonly #more = new Map<string, S[]>();
  /** The linearized prefix: each entry lifted out of the list, and the state before it. */
  readonly #calls: Array<{ entry: Node; state: S }> = [];
  /** For each operation, the longest linearizable prefix found that includes it. */
  readonly #longest: Array<number[] | undefined>;
  readonly #head: Node = { id: -1, match: null, next: null, prev: null };
  #best: number[] = [];
  #unplaced: number | undefined;
  #state: S;
  #entry: Node | null;
  steps = 0;
  result: CheckResultKind | undefined;

  constructor(model: Model<S, I, O>, history: ReadonlyArray<Operation<I, O>>, operations: number[], computeInfo: boolean) {
    this.#model = model;
    this.#operations = operations;
    this.#ops = operations.map((i) => history[i]);
    this.#computeInfo = computeInfo;
    this.#equal = model.equal ?? ((a: S, b: S) => a === b);
    this.#linearized = new Bitset(this.#ops.length);
    this.#longest = new Array(this.#ops.length).fill(undefined);
    this.#state = model.init();
    insertBefore(this.#head, makeLinkedEntries(makeEntries(this.#ops)));
    this.#entry = this.#head.next;
  }

  /** Searches for up to `maxSteps` steps; returns the result once there is one. */
  run(maxSteps: number): CheckResultKind | undefined {
    if (this.result !== undefined) return this.result;
    const model = this.#model;
    const hashState = model.hash;
    const linearized = this.#linearized;
    const calls = this.#calls;
    const head = this.#head;
    let entry = this.#entry;
    let state = this.#state;
    let left = maxSteps;
    while (head.next !== null) {
      if (left <= 0) {
        this.#entry = entry;
        this.#state = state;
        return undefined;
      }
      left--;
      this.steps++;
      const e = entry!;
      if (e.match !== null) {
        // A call: try to linearize its operation now.
        const [ok, newState] = stepOne(model, state, this.#ops[e.id], this.#operations[e.id]);
        if (ok) {
          linearized.set(e.id);
          const h = hashState ? hashState(newState) >>> 0 : 0;
          const key = linearized.key() + String.fromCharCode(h & 0xffff, h >>> 16);
          if (!this.#seen(key, newState)) {
            calls.push({ entry: e, state });
            state = newState;
            lift(e);
            entry = head.next;
          } else {
            // This set of operations has been linearized to this state before: nothing new here.
            linearized.clear(e.id);
            entry = e.next;
          }
        } else {
          entry = e.next;
        }
      } else {
        // A return whose operation is not linearized yet: nothing before it fits; backtrack.
        if (calls.length > this.#best.length || (calls.length === 0 && this.#unplaced === undefined)) {
          this.#best = calls.map((c) => c.entry.id);
          this.#unplaced = e.id;
        }
        if (calls.length === 0) {
          this.result = 'Illegal';
          return this.result;
        }
        if (this.#computeInfo) {
          let seq: number[] | undefined;
          for (const c of calls) {
            const prev = this.#longest[c.entry.id];
            if (prev === undefined || calls.length > prev.length) {
              seq ??= calls.map((x) => x.entry.id);
              this.#longest[c.entry.id] = seq;
            }
          }
        }
        const top = calls.pop()!;
        state = top.state;
        linearized.clear(top.entry.id);
        unlift(top.entry);
        entry = top.entry.next;
      }
    }
    // Every operation is linearized: `calls` is the linearization.
    const seq = calls.map((c) => c.entry.id);
    this.#longest.fill(seq);
    this.#best = seq;
    this.result = 'Ok';
    return this.result;
  }

  /** Whether (set, state) was reached before; if not, remembers it. */
  #seen(key: string, state: S): boolean {
    if (!this.#cache.has(key)) {
      this.#cache.set(key, state);
      return false;
    }
    if (this.#equal(this.#cache.get(key)!, state)) return true;
    const more = this.#more.get(key);
    if (more?.some((c) => this.#equal(c, state))) return true;
    if (more) more.push(state);
    else this.#more.set(key, [state]);
    return false;
  }

  /** What the search found, in history indices (`Unknown` while it has no result). */
  info(): PartitionInfo {
    const toHistory = (seq: number[]) => seq.map((id) => this.#operations[id]);
    const seen = new Set<number[]>();
    const partial: number[][] = [];
    for (const seq of this.#longest) {
      if (seq === undefined || seen.has(seq)) continue;
      seen.add(seq);
      partial.push(toHistory(seq));
    }
    const result = this.result ?? 'Unknown';
    const info: PartitionInfo = { operations: this.#operations, result, steps: this.steps, partialLinearizations: partial, longest: toHistory(this.#best) };
    if (result === 'Illegal' && this.#unplaced !== undefined) info.unplaced = this.#operations[this.#unplaced];
    return info;
  }
}

/** The parts of the history as index lists (the model's partition, mapped back by identity). */
function partitionIndices<S, I, O>(model: Model<S, I, O>, history: ReadonlyArray<Operation<I, O>>): number[][] {
  if (!model.partition) return history.length === 0 ? [] : [history.map((_, i) => i)];
  const where = new Map<Operation<I, O>, number[]>();
  history.forEach((op, i) => {
    const list = where.get(op);
    if (list) list.push(i);
    else where.set(op, [i]);
  });
  const parts = model.partition(history).map((part) =>
    part.map((op) => {
      const list = where.get(op);
      if (!list || list.length === 0) throw new Error('checkOperations: the model\'s partition returned an operation that is not in the history (it must return the same objects, once each)');
      return list.shift()!;
    }),
  );
  const placed = parts.reduce((n, p) => n + p.length, 0);
  if (placed !== history.length) throw new Error(`checkOperations: the model's partition placed ${placed} of ${history.length} operations`);
  return parts.filter((p) => p.length > 0);
}

/**
 * One linearization of the whole history from one per part. Each part's order gets
 * linearization points `p = max(call so far)`, which lie inside each interval and never
 * decrease; sorting all operations by point (ties: by part, then by position) keeps each part's
 * order, and keeps real-time order because `a.return < b.call` gives `p(a) < p(b)` (Herlihy &
 * Wing's locality).
 */
function mergeLinearizations<I, O>(history: ReadonlyArray<Operation<I, O>>, partitions: PartitionInfo[]): number[] {
  const points: Array<{ index: number; point: number; part: number; pos: number }> = [];
  partitions.forEach((p, part) => {
    let point = -Infinity;
    p.longest.forEach((index, pos) => {
      point = Math.max(point, history[index].call);
      points.push({ index, point, part, pos });
    });
  });
  points.sort((a, b) => a.point - b.point || a.part - b.part || a.pos - b.pos);
  return points.map((p) => p.index);
}

function validateOperation(op: Operation<unknown, unknown>, i: number): void {
  if (op === null || typeof op !== 'object') throw new TypeError(`checkOperations: history[${i}] is not an operation: ${String(op)}`);
  if (typeof op.call !== 'number' || !Number.isFinite(op.call)) throw new RangeError(`checkOperations: history[${i}].call must be a finite number, got ${String(op.call)}`);
  if (typeof op.return !== 'number' || Number.isNaN(op.return) || op.return === -Infinity) {
    throw new RangeError(`checkOperations: history[${i}].return must be a number or Infinity, got ${String(op.return)}`);
  }
  if (op.return < op.call) throw new RangeError(`checkOperations: history[${i}] returns at ${op.return}, before its call at ${op.call}`);
}
