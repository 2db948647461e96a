/**
 * Per-cycle scratch space plugins share: k8s.io/kube-scheduler framework/cycle_state.go and
 * pkg/scheduler/framework/cycle_state.go at v1.34 (`CycleState`, `Read`, `Write`, `Delete`,
 * `Clone`, `SkipFilterPlugins`, `SkipScorePlugins`). Values written by PreFilter are read by
 * Filter; `clone()` clones values that have a `clone()` (Go: `StateData.Clone`).
 */

export interface StateData {
  clone(): StateData;
}

/** Go: `fwk.ErrNotFound`. */
export const ErrNotFound = 'not found';

export class CycleState {
  readonly #storage = new Map<string, StateData | unknown>();
  /** Filter plugins whose PreFilter returned Skip. */
  skipFilterPlugins = new Set<string>();
  /** Score plugins whose PreScore returned Skip. */
  skipScorePlugins = new Set<string>();
  /** Whether this cycle records per-plugin timing (always on in the model). */
  recordPluginMetrics = true;

  /** Throws `not found` when nothing was written under `key` (Go: returns ErrNotFound). */
  read<T = unknown>(key: string): T {
    if (!this.#storage.has(key)) throw new Error(ErrNotFound);
    return this.#storage.get(key) as T;
  }

  /** The value, or undefined when nothing was written. */
  tryRead<T = unknown>(key: string): T | undefined {
    return this.#storage.get(key) as T | undefined;
  }

  write(key: string, value: StateData | unknown): void {
    this.#storage.set(key, value);
  }

  delete(key: string): void {
    this.#storage.delete(key);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.#storage) {
      const cl = (v as Partial<StateData> | null)?.clone;
      c.#storage.set(k, typeof cl === 'function' ? cl.call(v) : v);
    }
    c.skipFilterPlugins = new Set(this.skipFilterPlugins);
    c.skipScorePlugins = new Set(this.skipScorePlugins);
    c.recordPluginMetrics = this.recordPluginMetrics;
    return c;
  }
}
