/**
 * Where a model calls code it does not own (a learner's scheduler plugin, say), it marks the
 * call so the host can bound it: the lab runtime's loop guard gives each such call its own time
 * limit, and a loop that outlives it throws inside the call, where the model reports it as it
 * reports any failure of that code (the scheduler: an Error status naming the plugin). Without a
 * host hook (tests, widgets) a marked call is a plain call.
 */
export interface CallScopeHook {
  enter(): void;
  exit(): void;
}

let hook: CallScopeHook | undefined;

/** Installs (or clears) the host's hook; returns the previous one. */
export function useCallScope(h: CallScopeHook | undefined): CallScopeHook | undefined {
  const prev = hook;
  hook = h;
  return prev;
}

/** Whether a host bounds foreign calls (models skip wrapping when none does). */
export function callScopeActive(): boolean {
  return hook !== undefined;
}

/** Runs `fn` as one foreign call. */
export function inCallScope<T>(fn: () => T): T {
  const h = hook;
  if (!h) return fn();
  h.enter();
  try {
    return fn();
  } finally {
    h.exit();
  }
}

/**
 * `obj` with each of its methods run as a foreign call; an object a method returns (a plugin's
 * `scoreExtensions()`) is wrapped the same way. Other properties read through.
 */
export function scopedMethods<T extends object>(obj: T): T {
  if (!hook) return obj;
  return new Proxy(obj, {
    get(target, key) {
      const v = Reflect.get(target, key) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const out = inCallScope(() => Reflect.apply(v as (...a: unknown[]) => unknown, target, args));
        return out !== null && typeof out === 'object' && !Array.isArray(out) && Object.values(out).some((x) => typeof x === 'function') ? scopedMethods(out) : out;
      };
    },
  });
}
