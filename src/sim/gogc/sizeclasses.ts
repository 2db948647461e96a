/**
 * The first small-object size classes of the Go allocator (src/runtime/sizeclasses.go, a
 * generated table): each class has a fixed object size and one 8 KiB span holds a fixed number
 * of objects. Class 0 is reserved upstream for large objects; the model only needs the small ones.
 */

/** One row of the table: `bytesPerObj * objects + tailWasteBytes === bytesPerSpan`. */
export interface SizeClass {
  sizeclass: number;
  bytesPerObj: number;
  bytesPerSpan: number;
  objects: number;
  tailWasteBytes: number;
}

/** Upstream's `_PageSize` (8 KiB); every class below has a one-page span. */
export const PAGE_SIZE_BYTES = 8192;
/** A pointer word on 64-bit platforms (`goarch.PtrSize`). */
export const PTR_SIZE_BYTES = 8;

const ROWS: Array<[number, number]> = [
  [1, 8],
  [2, 16],
  [3, 24],
  [4, 32],
  [5, 48],
  [6, 64],
  [7, 80],
  [8, 96],
  [9, 112],
  [10, 128],
];

/** Classes 1..10 of sizeclasses.go (go1.26.0): 8 to 128 bytes, one page per span. */
export const SIZE_CLASSES: readonly SizeClass[] = ROWS.map(([sizeclass, bytesPerObj]) => {
  const objects = Math.floor(PAGE_SIZE_BYTES / bytesPerObj);
  return { sizeclass, bytesPerObj, bytesPerSpan: PAGE_SIZE_BYTES, objects, tailWasteBytes: PAGE_SIZE_BYTES - objects * bytesPerObj };
});

/** The largest object the modelled classes hold. */
export const MAX_SMALL_SIZE_BYTES = SIZE_CLASSES[SIZE_CLASSES.length - 1].bytesPerObj;

/** The smallest class whose objects hold `sizeBytes` (upstream's `size_to_class8` lookup). */
// Upstream: src/runtime/msize.go (roundupsize) and sizeclasses.go (size_to_class8)
export function sizeToClass(sizeBytes: number): SizeClass {
  if (!Number.isInteger(sizeBytes) || sizeBytes < 0) throw new RangeError(`sizeToClass: size must be a non-negative integer, got ${sizeBytes}`);
  const found = SIZE_CLASSES.find((c) => c.bytesPerObj >= sizeBytes);
  if (!found) throw new RangeError(`sizeToClass: ${sizeBytes} bytes is above the modelled classes (max ${MAX_SMALL_SIZE_BYTES})`);
  return found;
}
