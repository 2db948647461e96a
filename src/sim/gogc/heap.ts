/**
 * The heap: objects with pointer fields, allocated into spans by size class. An object's size is
 * its pointer fields times the pointer size (at least one word), rounded up to its class.
 */
import { PTR_SIZE_BYTES, sizeToClass, type SizeClass } from './sizeclasses';
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

export class Heap {
  readonly objects = new Map<ObjectId, HeapObject>();
  readonly spans: Span[] = [];
  #nextId = 1;

  /** A new object of `nfields` pointer fields, all nil, in the first span of its class with room. */
  // Upstream: src/runtime/malloc.go (mallocgc) over mcache.nextFree / mspan.nextFreeIndex
  alloc(nfields: number, color: Color): HeapObject {
    const cls = sizeToClass(Math.max(1, nfields) * PTR_SIZE_BYTES);
    const span = this.#spanWithRoom(cls);
    let objIndex = 0;
    while (span.slots.has(objIndex)) objIndex++;
    const obj: HeapObject = { id: this.#nextId++, sizeclass: cls.sizeclass, fields: new Array<Pointer>(nfields).fill(null), spanId: span.spanId, objIndex, color };
    span.slots.set(objIndex, obj.id);
    span.allocCount++;
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
    this.objects.delete(id);
    return obj;
  }

  #spanWithRoom(cls: SizeClass): Span {
    const found = this.spans.find((s) => s.sizeclass === cls.sizeclass && s.allocCount < s.nelems);
    if (found) return found;
    const span: Span = { spanId: this.spans.length, sizeclass: cls.sizeclass, nelems: cls.objects, slots: new Map(), allocCount: 0 };
    this.spans.push(span);
    return span;
  }
}
