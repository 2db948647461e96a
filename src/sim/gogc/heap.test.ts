import { describe, expect, it } from 'vitest';
import { Heap } from './heap';
import { SIZE_CLASSES, sizeToClass } from './sizeclasses';

describe('size classes (sizeclasses.go, classes 1-10)', () => {
  it.each([
    [1, 8, 1024, 0],
    [3, 24, 341, 8],
    [5, 48, 170, 32],
    [7, 80, 102, 32],
    [9, 112, 73, 16],
    [10, 128, 64, 0],
  ])('class %i: %i bytes/obj, %i objects per 8 KiB span, %i bytes tail waste', (sizeclass, bytes, objects, tail) => {
    expect(SIZE_CLASSES[sizeclass - 1]).toEqual({ sizeclass, bytesPerObj: bytes, bytesPerSpan: 8192, objects, tailWasteBytes: tail });
  });

  it('rounds a size up to the smallest class that holds it', () => {
    expect([1, 8, 9, 17, 33, 49, 128].map((n) => sizeToClass(n).bytesPerObj)).toEqual([8, 8, 16, 24, 48, 64, 128]);
    expect(() => sizeToClass(129)).toThrow('129 bytes is above the modelled classes (max 128)');
  });
});

describe('heap', () => {
  it('puts an object of n pointer fields in the class of n words, nil fields, in a span of that class', () => {
    const h = new Heap();
    const a = h.alloc(3, 'white');
    const b = h.alloc(0, 'black');
    expect(a).toMatchObject({ id: 1, sizeclass: 3, fields: [null, null, null], spanId: 0, objIndex: 0, color: 'white' });
    expect(b).toMatchObject({ id: 2, sizeclass: 1, fields: [], spanId: 1, objIndex: 0, color: 'black' });
    expect(h.spans.map((s) => [s.sizeclass, s.allocCount])).toEqual([
      [3, 1],
      [1, 1],
    ]);
  });

  it('opens a second span when one is full, and reuses a freed slot first', () => {
    const h = new Heap();
    for (let i = 0; i < 1025; i++) h.alloc(1, 'white');
    expect(h.spans.map((s) => s.allocCount)).toEqual([1024, 1]);
    h.free(5);
    expect(h.alloc(1, 'white')).toMatchObject({ id: 1026, spanId: 0, objIndex: 4 });
    expect(() => h.get(5)).toThrow('heap: no object 5 (freed or never allocated)');
  });
});
