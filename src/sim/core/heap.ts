/**
 * A binary min-heap ordered by a comparator. Ties must be broken by the caller's
 * comparator (we always include a sequence number), so pop order is total and
 * deterministic.
 */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Removes the first item matching `pred`; O(n). Returns whether one was removed. */
  remove(pred: (item: T) => boolean): boolean {
    const i = this.items.findIndex(pred);
    if (i < 0) return false;
    const last = this.items.pop()!;
    if (i < this.items.length) {
      this.items[i] = last;
      this.down(i);
      this.up(i);
    }
    return true;
  }

  /** A copy of the items in heap (not sorted) order. */
  toArray(): T[] {
    return this.items.slice();
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && this.less(items[l], items[min])) min = l;
      if (r < n && this.less(items[r], items[min])) min = r;
      if (min === i) return;
      [items[i], items[min]] = [items[min], items[i]];
      i = min;
    }
  }
}
