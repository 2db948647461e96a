/**
 * The one binary min-heap of the simulation: the clock's timers and the delaying queue's
 * waiting entries both live in one. Ordered by a `less` comparator that must be total (we always
 * break ties with a sequence number), so the pop order is deterministic. With `{ indexed: true }`
 * every entry's position is tracked, so an entry (an object, in the heap at most once) can be
 * moved after its key changes (`fix`) or taken out (`delete`) in O(log n), as Go's container/heap
 * offers with `heap.Fix` and `heap.Remove` over elements that keep their own index.
 */
// Upstream: go/src/container/heap/heap.go (Push, Pop, Fix, Remove over a slice)
export class MinHeap<T> {
  readonly #items: T[] = [];
  /** Position of each item (indexed heaps only). */
  readonly #positions: Map<T, number> | undefined;

  readonly #less: (a: T, b: T) => boolean;

  constructor(less: (a: T, b: T) => boolean, options: { indexed?: boolean } = {}) {
    this.#less = less;
    this.#positions = options.indexed ? new Map() : undefined;
  }

  get size(): number {
    return this.#items.length;
  }

  /** The least item, or undefined when empty. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds `item` (in an indexed heap, an item may be in the heap at most once). */
  push(item: T): void {
    if (this.#positions) {
      if (this.#positions.has(item)) throw new RangeError('MinHeap.push: the item is already in the heap');
      this.#positions.set(item, this.#items.length);
    }
    this.#items.push(item);
    this.#up(this.#items.length - 1);
  }

  /** Removes and returns the least item, or undefined when empty. */
  pop(): T | undefined {
    if (this.#items.length === 0) return undefined;
    return this.#removeAt(0);
  }

  /** Whether `item` is in the heap (indexed heaps only). */
  has(item: T): boolean {
    return this.#index().has(item);
  }

  /** Restores the order after `item`'s key changed (Go: heap.Fix). Returns false if absent. */
  fix(item: T): boolean {
    const i = this.#index().get(item);
    if (i === undefined) return false;
    if (!this.#down(i)) this.#up(i);
    return true;
  }

  /** Takes `item` out (Go: heap.Remove). Returns false if absent. */
  delete(item: T): boolean {
    const i = this.#index().get(item);
    if (i === undefined) return false;
    this.#removeAt(i);
    return true;
  }

  /** Removes the first item matching `pred` in heap order; O(n). Returns whether one was removed. */
  remove(pred: (item: T) => boolean): boolean {
    const i = this.#items.findIndex(pred);
    if (i < 0) return false;
    this.#removeAt(i);
    return true;
  }

  /** Empties the heap. */
  clear(): void {
    this.#items.length = 0;
    this.#positions?.clear();
  }

  /** A copy of the items in heap (not sorted) order. */
  toArray(): T[] {
    return this.#items.slice();
  }

  /** A copy of the items, least first. */
  sorted(): T[] {
    return this.#items.slice().sort((a, b) => (this.#less(a, b) ? -1 : this.#less(b, a) ? 1 : 0));
  }

  #index(): Map<T, number> {
    if (!this.#positions) throw new RangeError('MinHeap: has, fix and delete need a heap made with { indexed: true }');
    return this.#positions;
  }

  #removeAt(i: number): T {
    const items = this.#items;
    const out = items[i];
    const last = items.pop()!;
    this.#positions?.delete(out);
    if (i < items.length) {
      items[i] = last;
      this.#positions?.set(last, i);
      if (!this.#down(i)) this.#up(i);
    }
    return out;
  }

  #up(i: number): void {
    const items = this.#items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(items[i], items[parent])) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  /** Moves `items[i0]` down; returns whether it moved. */
  #down(i0: number): boolean {
    const items = this.#items;
    const n = items.length;
    let i = i0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && this.#less(items[l], items[min])) min = l;
      if (r < n && this.#less(items[r], items[min])) min = r;
      if (min === i) break;
      this.#swap(i, min);
      i = min;
    }
    return i > i0;
  }

  #swap(i: number, j: number): void {
    const items = this.#items;
    const a = items[i];
    const b = items[j];
    items[i] = b;
    items[j] = a;
    if (this.#positions) {
      this.#positions.set(b, i);
      this.#positions.set(a, j);
    }
  }
}
