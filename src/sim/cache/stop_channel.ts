/**
 * A stop channel (Go: `stopCh := make(chan struct{})` / `close(stopCh)`, or a cancelled
 * context): once closed it stays closed, and everyone waiting on it is told, in the order they
 * subscribed. Closing twice is harmless (Go panics on a second `close`; a context cancels once).
 */
export class StopChannel {
  #isClosed = false;
  readonly #listeners = new Set<() => void>();

  /** True once `close` was called (Go: `<-stopCh` would not block). */
  get closed(): boolean {
    return this.#isClosed;
  }

  /** Closes the channel and tells every subscriber (synchronously). */
  close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const fn of listeners) fn();
  }

  /**
   * Calls `fn` when the channel closes (never, if it is already closed: check `closed` first).
   * Returns a function that unsubscribes.
   */
  subscribe(fn: () => void): () => void {
    if (this.#isClosed) return () => {};
    const entry = () => fn();
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** A promise that resolves once the channel closes (Go: `<-stopCh`). */
  done(): Promise<void> {
    if (this.#isClosed) return Promise.resolve();
    return new Promise((resolve) => this.subscribe(resolve));
  }
}

/** A new, open stop channel. */
export function newStopChannel(): StopChannel {
  return new StopChannel();
}
