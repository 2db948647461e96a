/**
 * A Go channel as the API server's goroutines use one: a sender pushes, one receiver awaits
 * `receive()`, `close()` lets the receiver drain what is buffered and then answers `undefined`.
 * Sends never block (the buffer is unbounded; Go's channels have a capacity and block the
 * sender: see the README's divergences). Invariant: receivers wait only while the buffer is empty.
 * (cache/watch.ts keeps the same idea private to its watchers.)
 */
import { Fifo } from '../core/fifo';

export class Chan<T> {
  readonly #buffer = new Fifo<T>();
  readonly #waiting = new Fifo<(v: T | undefined) => void>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** Values sent and not yet received. */
  get length(): number {
    return this.#buffer.length;
  }

  /** Go: `ch <- v`; false (and nothing sent) once closed, where Go would panic. */
  send(v: T): boolean {
    if (this.#closed) return false;
    if (this.#waiting.length > 0) this.#waiting.shift()(v);
    else this.#buffer.push(v);
    return true;
  }

  /** Go: `v, ok := <-ch` (undefined once closed and drained). */
  receive(): Promise<T | undefined> {
    if (this.#buffer.length > 0) return Promise.resolve(this.#buffer.shift());
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** A value if one is buffered (Go: a `select` with a `default`). */
  tryReceive(): { value: T } | undefined {
    return this.#buffer.length > 0 ? { value: this.#buffer.shift() } : undefined;
  }

  /** Go: `close(ch)`; closing twice is harmless here. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#waiting.length > 0) this.#waiting.shift()(undefined);
  }
}
