/**
 * The Green Tea marker (mgcmark_greenteagc.go): small objects are marked per span. Shading an
 * object sets its span's mark bit and queues the span once (the span's ownership byte says
 * whether it is already queued); a span scan then scans every object whose mark bit is set and
 * whose scan bit is not, together, so the marker stays on one page instead of hopping between
 * them. Spans are queued FIFO (to let marks pile up on a span), object work stays LIFO.
 */
import type { HeapObject } from './heap';
import { SIZE_CLASSES } from './sizeclasses';
import type { ObjectId } from './types';

/**
 * Who holds the span for scanning (upstream `spanScanOwnership`): `unowned` (not queued),
 * `oneMark` (queued, one mark set since: only the representative object), `manyMark` (queued,
 * more marks set since).
 */
export type SpanOwnership = 'unowned' | 'oneMark' | 'manyMark';

/** A span's inline mark bits (upstream `spanInlineMarkBits`): slot indexes, not bitmaps. */
export interface SpanMarkBits {
  /** Objects found (shaded or allocated) this cycle. */
  marks: Set<number>;
  /** Objects already scanned (or allocated black). Invariant: `scans ⊆ marks`. */
  scans: Set<number>;
  owned: SpanOwnership;
}

/** A queued span, named by one of its marked objects (upstream `objptr`: span base | object index). */
export interface SpanRef {
  spanId: number;
  objIndex: number;
}

/** Counters that show what the marker did (both markers keep them; the span ones stay 0 for classic). */
export interface MarkerStats {
  /** Objects scanned, by either path. */
  objectsScanned: number;
  /** Objects scanned one at a time from the object queue (classic, or a Green Tea object too small for span marks). */
  objectScans: number;
  /** Span scans (upstream gctrace=2 counts them per class: spansSparseScanned + spansDenseScanned). */
  spanScans: number;
  /** Objects scanned by span scans. */
  spanObjectsScanned: number;
  /** Span scans that took the one-mark fast path (only the representative object). */
  oneMarkScans: number;
  /** Span scans that found nothing left to scan. */
  emptySpanScans: number;
  /** Consecutive object scans on the same span (one span is one 8 KiB page here). */
  sameSpanScans: number;
  /** The span of the last object scanned, -1 before the first. */
  lastSpanId: number;
}

export const newMarkerStats = (): MarkerStats => ({ objectsScanned: 0, objectScans: 0, spanScans: 0, spanObjectsScanned: 0, oneMarkScans: 0, emptySpanScans: 0, sameSpanScans: 0, lastSpanId: -1 });

/** Objects per span scan (0 before any). */
export const objectsPerSpanScan = (s: MarkerStats): number => (s.spanScans === 0 ? 0 : s.spanObjectsScanned / s.spanScans);

/** Share of consecutive object scans that stayed on the same span/page (0..1). */
export const scanLocality = (s: MarkerStats): number => (s.objectsScanned < 2 ? 0 : s.sameSpanScans / (s.objectsScanned - 1));

/** Records one object scan in the counters. */
export function countScan(s: MarkerStats, obj: HeapObject, viaSpan: boolean): void {
  s.objectsScanned++;
  if (viaSpan) s.spanObjectsScanned++;
  else s.objectScans++;
  if (obj.spanId === s.lastSpanId) s.sameSpanScans++;
  s.lastSpanId = obj.spanId;
}

/**
 * Whether objects of a class have inline mark bits and go through span scans: heap bits in the
 * span (objects up to 512 bytes on 64-bit) and at least 16 bytes. The 8-byte class (and large
 * objects, not modelled) are scanned one by one, as by the classic marker.
 */
// Upstream: src/runtime/mgcmark_greenteagc.go (gcUsesSpanInlineMarkBits)
export function usesSpanInlineMarkBits(sizeclass: number): boolean {
  const bytes = SIZE_CLASSES[sizeclass - 1].bytesPerObj;
  return bytes >= 16 && bytes <= 512;
}

export class GreenTea {
  /** Span id -> its inline mark bits (created on first use). */
  readonly bits = new Map<number, SpanMarkBits>();
  /** The span queue: FIFO. Invariant: holds each span whose `owned` is not `unowned`, once. */
  readonly spanq: SpanRef[] = [];

  bitsOf(spanId: number): SpanMarkBits {
    let b = this.bits.get(spanId);
    if (!b) this.bits.set(spanId, (b = { marks: new Set(), scans: new Set(), owned: 'unowned' }));
    return b;
  }

  /** Sets the object's mark bit and queues its span unless it is queued already. Returns whether the span was queued now. */
  // Upstream: src/runtime/mgcmark_greenteagc.go (tryDeferToSpanScan, spanInlineMarkBits.tryAcquire)
  mark(obj: HeapObject): boolean {
    const b = this.bitsOf(obj.spanId);
    b.marks.add(obj.objIndex);
    if (b.owned === 'unowned') {
      b.owned = 'oneMark';
      this.spanq.push({ spanId: obj.spanId, objIndex: obj.objIndex });
      return true;
    }
    b.owned = 'manyMark';
    return false;
  }

  /** A new object while marking: marked and already scanned (it has no pointers yet). */
  // Upstream: src/runtime/mgcmark.go (gcmarknewobject) with mgcmark_greenteagc.go (mspan.scannedBitsForIndex, the scanned bit it sets)
  allocBlack(obj: HeapObject): void {
    const b = this.bitsOf(obj.spanId);
    b.marks.add(obj.objIndex);
    b.scans.add(obj.objIndex);
  }

  /**
   * Takes the oldest queued span and releases it (marks set from now on queue it again), then
   * returns the slots to scan, in address order: with one mark since it was queued, only the
   * representative (if not scanned yet); otherwise every slot in marks and not in scans. Their
   * scan bits are set here.
   */
  // Upstream: src/runtime/mgcmark_greenteagc.go (scanSpan, spanInlineMarkBits.release, spanSetScans)
  nextSpan(): { ref: SpanRef; slots: number[]; oneMark: boolean } | undefined {
    const ref = this.spanq.shift();
    if (!ref) return undefined;
    const b = this.bitsOf(ref.spanId);
    const oneMark = b.owned === 'oneMark';
    b.owned = 'unowned';
    const slots = oneMark ? [ref.objIndex].filter((i) => !b.scans.has(i)) : [...b.marks].filter((i) => !b.scans.has(i)).sort((x, y) => x - y);
    for (const i of slots) b.scans.add(i);
    return { ref, slots, oneMark };
  }

  /** Sweep: the bits start over next cycle. */
  // Upstream: src/runtime/mgcmark_greenteagc.go (mspan.moveInlineMarks)
  reset(): void {
    this.bits.clear();
  }

  /**
   * The marker's own consistency (upstream's `doubleCheckGreenTea`): for span-marked objects,
   * grey = marked and not scanned, black = scanned, and every grey one sits in a queued span.
   * Returns the first object that breaks it.
   */
  check(objects: Iterable<HeapObject>, objectQueue: readonly ObjectId[]): ObjectId | undefined {
    const queued = new Set(this.spanq.map((r) => r.spanId));
    const inObjectQueue = new Set(objectQueue);
    for (const obj of objects) {
      if (!usesSpanInlineMarkBits(obj.sizeclass)) {
        if ((obj.color === 'grey') !== inObjectQueue.has(obj.id)) return obj.id;
        continue;
      }
      const b = this.bits.get(obj.spanId);
      const marked = b?.marks.has(obj.objIndex) ?? false;
      const scanned = b?.scans.has(obj.objIndex) ?? false;
      const color = scanned ? 'black' : marked ? 'grey' : 'white';
      if (color !== obj.color || (color === 'grey' && !queued.has(obj.spanId))) return obj.id;
    }
    return undefined;
  }
}
