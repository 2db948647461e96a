/**
 * Sequential specifications for the linearizability checker: a key-value store partitioned by
 * key (after Porcupine's `kvModel` in porcupine_test.go, with etcd's delete and compare-and-swap
 * beside get, put and append) and a single register (after its `registerModel` and `etcdModel`).
 */
import type { Model, Operation } from './linearizability';

// ---------------------------------------------------------------------------------------------
// Key-value store.

/** A client call on the store. `cas` writes `value` when the key holds `expected` (null: absent). */
export type KvInput =
  | { op: 'get'; key: string }
  | { op: 'put'; key: string; value: string }
  | { op: 'append'; key: string; value: string }
  | { op: 'delete'; key: string }
  | { op: 'cas'; key: string; expected: string | null; value: string };

/**
 * What the client saw: `get` -> `{ value }` (null: no such key); `cas` -> `{ ok }` (whether it
 * wrote); `delete` -> `{ deleted }` (whether the key existed; omit it when unknown); `put` and
 * `append` -> `{}`.
 */
export interface KvOutput {
  value?: string | null;
  ok?: boolean;
  deleted?: boolean;
}

/** One key's value (null: absent): the state of one part, as the model partitions by key. */
export type KvState = string | null;

/** FNV-1a over UTF-16 code units (state hashes for the checker's cache). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function quote(v: string | null | undefined): string {
  return v === null ? 'null' : v === undefined ? '?' : JSON.stringify(v);
}

// Upstream: porcupine_test.go (kvModel: Partition by key, Init "", Step, Hash fnv)
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  partition(history) {
    const byKey = new Map<string, Array<Operation<KvInput, KvOutput>>>();
    for (const op of history) {
      const list = byKey.get(op.input.key);
      if (list) list.push(op);
      else byKey.set(op.input.key, [op]);
    }
    return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  },
  init: () => null,
  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return [(output.value ?? null) === state, state];
      case 'put':
        return [true, input.value];
      case 'append':
        return [true, (state ?? '') + input.value];
      case 'delete':
        return [output.deleted === undefined || output.deleted === (state !== null), null];
      case 'cas': {
        const matches = state === input.expected;
        return [output.ok === matches, matches ? input.value : state];
      }
    }
  },
  stepUnknown(state, input) {
    switch (input.op) {
      case 'get':
        return state;
      case 'put':
        return input.value;
      case 'append':
        return (state ?? '') + input.value;
      case 'delete':
        return null;
      case 'cas':
        return state === input.expected ? input.value : state;
    }
  },
  hash: (state) => (state === null ? 0x9e3779b9 : fnv1a(state)),
  describeOperation(input, output) {
    const k = JSON.stringify(input.key);
    switch (input.op) {
      case 'get':
        return `get(${k}) -> ${output ? quote(output.value ?? null) : '?'}`;
      case 'put':
        return `put(${k}, ${quote(input.value)})`;
      case 'append':
        return `append(${k}, ${quote(input.value)})`;
      case 'delete':
        return `delete(${k})${output?.deleted === undefined ? '' : ` -> ${output.deleted}`}`;
      case 'cas':
        return `cas(${k}, ${quote(input.expected)}, ${quote(input.value)}) -> ${output ? (output.ok ? 'ok' : 'fail') : '?'}`;
    }
  },
  describeState: (state) => quote(state),
};

// ---------------------------------------------------------------------------------------------
// Register.

/** A register's calls: `put` writes, `get` reads, `cas` swaps `from` for `to`. */
export type RegisterInput<V> = { op: 'put'; value: V } | { op: 'get' } | { op: 'cas'; from: V; to: V };
/** `get`: the value read; `cas`: `true` when it swapped; `put`: anything (ignored). */
export type RegisterOutput<V> = V | boolean | undefined;

/**
 * A register of primitive values (compared with `===`) starting at `initial` (Porcupine's
 * registerModel starts at 0; its etcdModel's "nil" can be any value no write uses, e.g. null).
 */
// Upstream: porcupine_test.go (registerModel, etcdModel)
export function newRegisterModel<V extends string | number | boolean | null>(initial: V): Model<V, RegisterInput<V>, RegisterOutput<V>> {
  return {
    init: () => initial,
    step(state, input, output) {
      switch (input.op) {
        case 'put':
          return [true, input.value];
        case 'get':
          return [output === state, state];
        case 'cas': {
          const matches = state === input.from;
          return [output === matches, matches ? input.to : state];
        }
      }
    },
    stepUnknown(state, input) {
      if (input.op === 'put') return input.value;
      if (input.op === 'cas') return state === input.from ? input.to : state;
      return state;
    },
    hash: (state) => fnv1a(typeof state + ':' + String(state)),
    describeOperation(input, output) {
      if (input.op === 'put') return `put(${JSON.stringify(input.value)})`;
      if (input.op === 'get') return `get() -> ${output === undefined ? '?' : JSON.stringify(output)}`;
      return `cas(${JSON.stringify(input.from)}, ${JSON.stringify(input.to)}) -> ${output === undefined ? '?' : output ? 'ok' : 'fail'}`;
    },
    describeState: (state) => JSON.stringify(state),
  };
}

/** A register of numbers starting at 0, as Porcupine's registerModel. */
export const registerModel = newRegisterModel<number>(0);
