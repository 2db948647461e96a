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
 */
export const LOCKDOWN_OPTIONS = {
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
 * A copy of the API namespace for learner code: hardened when locked down (frozen all the way
 * through: functions, classes, prototypes), shallowly frozen otherwise. A module namespace
 * cannot be frozen itself, hence the copy; its values are the very objects the checks use.
 */
export function learnerNamespace(api: Record<string, unknown>): Readonly<Record<string, unknown>> {
  const copy = { ...api };
  return lockedDown ? harden(copy) : Object.freeze(copy);
}

/** Freezes `value` deeply when locked down (the learner console, the require function). */
export function hardenForLearner<T extends object>(value: T): T {
  return lockedDown ? harden(value) : Object.freeze(value);
}

/** A fresh compartment whose global object holds only `globals`. */
export function newCompartment(globals: Record<string, unknown>): { evaluate(source: string): unknown } {
  return new Compartment({ __options__: true, globals, name: 'learner code' });
}
