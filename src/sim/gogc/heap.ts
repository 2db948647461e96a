/**
 * The heap: objects with pointer fields, allocated into spans by size class. An object's size is
 * its pointer fields times the pointer size (at least one word), rounded up to its class.
 */
import { PAGE_SIZE_BYTES, PTR_SIZE_BYTES, SIZE_CLASSES, sizeToClass, type SizeClass } from './sizeclasses';
import type { Color, ObjectId, Pointer } from './types';

export interface HeapObject {
  id: ObjectId;
  sizeclass: number;
  /** Pointer fields; `null` is nil. Invariant: every non-null entry is a live object (until sweep frees a lost one). */
  fields: Pointer[];
  /** The span it lives in, and its slot there (upstream: the object's index in the span). */
  spanId: number;
  objIndex: number;
  color: Color;
}

/** An mspan of one size class (one page): which of its slots hold objects. */
export interface Span {
  spanId: number;
  sizeclass: number;
  nelems: number;
  /** slot -> object id. Invariant: `allocCount === slots.size`. */
  slots: Map<number, ObjectId>;
  allocCount: number;
}

/**
 * The model's budget: a heap of more objects than this stops with a message naming the cap (the
 * invariant checks and the views are built for small heaps; the bench marks 100,000).
 */
export const MAX_OBJECTS = 100_000;

/**
 * The runtime dying for want of memory. Upstream: mheap.grow prints the first line when the OS
 * refuses more arena, and the allocator then throws "out of memory" (mcache.refill / largeAlloc).
 */
export class GoOutOfMemoryError extends Error {
  /** What the process prints to stderr, line by line. */
  readonly stderr: string[];

  constructor(askBytes: number, inUseBytes: number) {
    const stderr = [`runtime: out of memory: cannot allocate ${askBytes}-byte block (${inUseBytes} in use)`, 'fatal error: out of memory'];
    super(stderr.join('\n'));
    this.name = 'GoOutOfMemoryError';
    this.stderr = stderr;
  }
}

export interface HeapLimits {
  /** Bytes of spans the heap may map (one 8 KiB page each); past it an allocation dies out of memory. Default: no limit. */
  heapLimitBytes?: number;
  /** Objects the model holds at most (default MAX_OBJECTS). */
  maxObjects?: number;
}

export class Heap {
  readonly objects = new Map<ObjectId, HeapObject>();
  readonly spans: Span[] = [];
  /** Bytes of live objects (their size classes' sizes): upstream's heapLive, without the mcache slack. */
  liveBytes = 0;
  readonly heapLimitBytes: number;
  readonly maxObjects: number;
  #nextId = 1;

  constructor(limits: HeapLimits = {}) {
    this.heapLimitBytes = limits.heapLimitBytes ?? Infinity;
    this.maxObjects = limits.maxObjects ?? MAX_OBJECTS;
  }

  /** Bytes of the spans mapped so far (upstream's heapInUse for this heap of one-page spans). */
  get mappedBytes(): number {
    return this.spans.length * PAGE_SIZE_BYTES;
  }

  /** Whether an object of `nfields` would go into a new span (no span of its class has room). */
  spanFor(nfields: number): Span | undefined {
    const cls = sizeToClass(Math.max(1, nfields) * PTR_SIZE_BYTES);
    return this.spans.find((s) => s.sizeclass === cls.sizeclass && s.allocCount < s.nelems);
  }

  /** A new object of `nfields` pointer fields, all nil, in the first span of its class with room. */
  // Upstream: src/runtime/malloc.go (mallocgc) over mcache.nextFree / mspan.nextFreeIndex
  alloc(nfields: number, color: Color): HeapObject {
    if (this.objects.size >= this.maxObjects) {
      throw new RangeError(`gogc: the heap already holds ${this.maxObjects.toLocaleString('en-US')} objects, the model's cap (maxObjects); a program that keeps allocating stops here`);
    }
    const cls = sizeToClass(Math.max(1, nfields) * PTR_SIZE_BYTES);
    const span = this.#spanWithRoom(cls);
    let objIndex = 0;
    while (span.slots.has(objIndex)) objIndex++;
    const obj: HeapObject = { id: this.#nextId++, sizeclass: cls.sizeclass, fields: new Array<Pointer>(nfields).fill(null), spanId: span.spanId, objIndex, color };
    span.slots.set(objIndex, obj.id);
    span.allocCount++;
    this.liveBytes += cls.bytesPerObj;
    this.objects.set(obj.id, obj);
    return obj;
  }

  get(id: ObjectId): HeapObject {
    const obj = this.objects.get(id);
    if (!obj) throw new Error(`heap: no object ${id} (freed or never allocated)`);
    return obj;
  }

  /** Returns the object's slot to its span (sweep). */
  free(id: ObjectId): HeapObject {
    const obj = this.get(id);
    const span = this.spans[obj.spanId];
    span.slots.delete(obj.objIndex);
    span.allocCount--;
    this.liveBytes -= SIZE_CLASSES[obj.sizeclass - 1].bytesPerObj;
    this.objects.delete(id);
    return obj;
  }

  #spanWithRoom(cls: SizeClass): Span {
    const found = this.spans.find((s) => s.sizeclass === cls.sizeclass && s.allocCount < s.nelems);
    if (found) return found;
    // Upstream: src/runtime/mheap.go (mheap.grow): no arena left -> out of memory. The model maps one page at a time.
    if (this.mappedBytes + PAGE_SIZE_BYTES > this.heapLimitBytes) throw new GoOutOfMemoryError(PAGE_SIZE_BYTES, this.mappedBytes);
    const span: Span = { spanId: this.spans.length, sizeclass: cls.sizeclass, nelems: cls.objects, slots: new Map(), allocCount: 0 };
    this.spans.push(span);
    return span;
  }
}
