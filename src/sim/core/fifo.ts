/**
 * A first-in first-out list with O(1) push and shift: an array plus a head index, compacted
 * once the consumed prefix dominates. Shifted slots are cleared so items can be garbage
 * collected (upstream clears `(*q)[0]` for the same reason; see TestGarbageCollection).
 */
// Upstream: client-go util/workqueue/queue.go (queue[T], the slice-based DefaultQueue)
export class Fifo<T> {
  #items: Array<T | undefined> = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns the oldest item; the list must not be empty. */
  shift(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** What the backing storage still references, consumed slots included (for garbage-collection tests). */
  retained(): unknown[] {
    return this.#items.slice();
  }

  /** A copy, oldest first. */
  toArray(): T[] {
    return this.#items.slice(this.#head) as T[];
  }
}
