/**
 * The sandbox learner code runs in: hardened JavaScript (SES). A runner (browser worker, node
 * worker thread) calls `lockdownRunner()` once at start-up, before anything else runs:
 *
 * 1. network and worker globals are removed from the runner's own global scope (defence in
 *    depth: learner code never sees that scope anyway);
 * 2. `lockdown()` freezes every intrinsic (Object.prototype, Array.prototype, Function, Promise…),
 *    so no code can patch what the checks rely on, and tames `Function`/`eval` so a compartment
 *    cannot reach the runner's global through them.
 *
 * Then each run evaluates the learner's code in a fresh `Compartment` whose global object holds
 * only what the host endows (`console`), with the kubelab API reachable through `require`,
 * hardened (`harden()`: its functions, classes and their prototypes are frozen).
 *
 * In vitest's own process lockdown is not possible (the test runner patches intrinsics): there the
 * host still uses a Compartment (the same global object, the same evaluation path) but the
 * intrinsics stay unfrozen. The runners' tests (node worker thread, Chromium) run locked down.
 */
import 'ses';

/**
 * errorTaming 'unsafe' keeps V8's `error.stack` (frames map to the learner's lines);
 * consoleTaming 'unsafe' leaves the runner's console alone (learner code gets its own);
 * evalTaming stays 'safe-eval' (the start compartment's eval cannot reach the runner's global
 * either); overrideTaming 'moderate' lets code assign `toString`, `constructor`, `name`… on
 * objects whose frozen prototypes define them; errorTrapping / unhandledRejectionTrapping
 * 'none' leave uncaught errors and rejections to the host, which reports them to the learner.
 * Intrinsics newer than SES knows are removed: learner and model code use the language SES
 * vouches for.
 */
export const LOCKDOWN_OPTIONS = {
  // Say nothing on the console (it would report removing intrinsics newer than SES knows, such
  // as Iterator.prototype.join in recent Chromium).
  reporting: 'none',
  errorTaming: 'unsafe',
  errorTrapping: 'none',
  unhandledRejectionTrapping: 'none',
  consoleTaming: 'unsafe',
  overrideTaming: 'moderate',
  stackFiltering: 'verbose',
} as const;

/**
 * Globals that reach the network, start other code or share state across contexts. Timers,
 * MessageChannel and setImmediate stay: the models' settle barrier may use them (model code runs
 * outside the compartment).
 */
export const REMOVED_GLOBALS = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'WebTransport',
  'RTCPeerConnection',
  'webkitRTCPeerConnection',
  'Worker',
  'SharedWorker',
  'importScripts',
  'BroadcastChannel',
  'indexedDB',
  'caches',
  'postMessage',
] as const;

let lockedDown = false;
/** Milliseconds lockdown() took in this runner (for the benchmarks and the report). */
export let lockdownMs = 0;

/**
 * Removes REMOVED_GLOBALS (but `keep`), then locks the realm down. Call once, first thing in a
 * runner, after taking a private reference to whatever the runner itself needs (postMessage).
 */
export function lockdownRunner(scope: object = globalThis, keep: readonly string[] = []): void {
  if (lockedDown) return;
  removeGlobals(scope, REMOVED_GLOBALS.filter((n) => !keep.includes(n)));
  const started = performance.now();
  lockdown(LOCKDOWN_OPTIONS);
  lockdownMs = performance.now() - started;
  lockedDown = true;
}

export function isLockedDown(): boolean {
  return lockedDown;
}

/** Deletes `names` from `scope` and its prototype chain; what cannot be deleted is overwritten. */
export function removeGlobals(scope: object, names: readonly string[]): void {
  for (let o: object | null = scope; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of names) {
      const desc = Object.getOwnPropertyDescriptor(o, name);
      if (!desc) continue;
      if (desc.configurable) delete (o as Record<string, unknown>)[name];
      else if (desc.writable) (o as Record<string, unknown>)[name] = undefined;
    }
  }
}

/**
 * The API namespace as learner code sees it: the same functions and classes the checks use,
 * hardened when locked down (frozen all the way through: functions, classes, prototypes).
 *
 * Not every prototype of the models is reachable from the namespace: a factory such as
 * `newItemExponentialFailureRateLimiter()` returns an instance of a class its module keeps
 * private, and the checks build their reference models from the same class. So every function
 * and class is reached through a guard that, on the way out, hardens the prototype chains of
 * what it returns (and of the objects that object holds, a few levels down), never the
 * instances themselves, before learner code can touch them.
 */
export function learnerNamespace(api: Record<string, unknown>): Readonly<Record<string, unknown>> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(api)) copy[name] = lockedDown && typeof value === 'function' ? guard(value as (...a: unknown[]) => unknown) : value;
  return lockedDown ? harden(copy) : Object.freeze(copy);
}

function guard<F extends (...args: unknown[]) => unknown>(fn: F): F {
  return new Proxy(fn, {
    apply(target, thisArg, args) {
      const result = Reflect.apply(target, thisArg, args);
      hardenPrototypesOf(result, 3);
      return result;
    },
    construct(target, args, newTarget) {
      const result = Reflect.construct(target, args, newTarget) as object;
      hardenPrototypesOf(result, 3);
      return result;
    },
  });
}

/** Prototypes hardened so far (hardening is transitive: their chains are frozen too). */
const hardenedPrototypes = new WeakSet<object>();

/**
 * Hardens the prototype chain of `value` and, `depth` levels down, of the objects its own data
 * properties hold. Instances stay as they are (models keep state in them).
 */
export function hardenPrototypesOf(value: unknown, depth: number): void {
  if (!lockedDown || value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto && !hardenedPrototypes.has(proto)) {
    hardenedPrototypes.add(proto);
    harden(proto);
  }
  if (depth <= 0 || Array.isArray(value) || value instanceof Map || value instanceof Set) return;
  for (const key of Reflect.ownKeys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (desc && 'value' in desc) hardenPrototypesOf(desc.value, depth - 1);
  }
}

/** Freezes `value` deeply when locked down (the learner console, the require function). */
export function hardenForLearner<T extends object>(value: T): T {
  return lockedDown ? harden(value) : Object.freeze(value);
}

/** A fresh compartment whose global object holds only `globals`. */
export function newCompartment(globals: Record<string, unknown>): { evaluate(source: string): unknown } {
  return new Compartment({ __options__: true, globals, name: 'learner code' });
}
