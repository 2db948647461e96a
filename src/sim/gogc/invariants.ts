/**
 * The tri-color invariants, checked against the heap and the roots after every step.
 *
 * Strong: no black holder points to a white object.
 * Weak: every white object a black holder points to is reachable from a grey holder through a
 * chain of white objects (so marking will still find it).
 * Mark complete: when mark ends, every object reachable from the roots is black.
 * Roots are holders too: a stack is grey until scanned and black after; the globals likewise.
 */
import type { Heap } from './heap';
import { holderName, type Holder, type ObjectId, type Pointer } from './types';

/** What the checkers read. */
export interface GraphView {
  heap: Heap;
  globals: readonly Pointer[];
  globalsScanned: boolean;
  goroutines: ReadonlyArray<{ id: number; slots: readonly Pointer[]; stackScanned: boolean }>;
}

/** A broken invariant: the object, and the path (holder names, then the object) that shows it. */
export interface Breach {
  id: ObjectId;
  path: string[];
}

type Edge = { holder: Holder; target: ObjectId; holderColor: 'grey' | 'black' | 'white' };

/** Every pointer in the roots and the heap, with the color of what holds it. */
function edges(g: GraphView): Edge[] {
  const out: Edge[] = [];
  g.globals.forEach((p, index) => {
    if (p !== null) out.push({ holder: { kind: 'global', index }, target: p, holderColor: g.globalsScanned ? 'black' : 'grey' });
  });
  for (const gr of g.goroutines) {
    gr.slots.forEach((p, slot) => {
      if (p !== null) out.push({ holder: { kind: 'stack', goroutine: gr.id, slot }, target: p, holderColor: gr.stackScanned ? 'black' : 'grey' });
    });
  }
  for (const obj of g.heap.objects.values()) {
    obj.fields.forEach((p, field) => {
      if (p !== null) out.push({ holder: { kind: 'object', id: obj.id, field }, target: p, holderColor: obj.color });
    });
  }
  return out;
}

const colorOf = (g: GraphView, id: ObjectId) => g.heap.get(id).color;

/** First black -> white pointer, or undefined. `heapOnly`: ignore roots (Dijkstra keeps it only on the heap). */
export function checkStrong(g: GraphView, heapOnly = false): Breach | undefined {
  for (const e of edges(g)) {
    if (heapOnly && e.holder.kind !== 'object') continue;
    if (e.holderColor === 'black' && colorOf(g, e.target) === 'white') return { id: e.target, path: [holderName(e.holder), `obj${e.target}`] };
  }
  return undefined;
}

/** First white object pointed to by a black holder and not reachable from grey through whites. */
export function checkWeak(g: GraphView): Breach | undefined {
  const all = edges(g);
  const protectedIds = new Set<ObjectId>();
  const work: ObjectId[] = [];
  const reach = (id: ObjectId) => {
    if (colorOf(g, id) === 'white' && !protectedIds.has(id)) {
      protectedIds.add(id);
      work.push(id);
    }
  };
  for (const e of all) {
    const greyHolder = e.holderColor === 'grey';
    if (greyHolder) reach(e.target);
  }
  while (work.length) {
    for (const p of g.heap.get(work.pop()!).fields) if (p !== null) reach(p);
  }
  for (const e of all) {
    if (e.holderColor === 'black' && colorOf(g, e.target) === 'white' && !protectedIds.has(e.target)) {
      return { id: e.target, path: [holderName(e.holder), `obj${e.target}`] };
    }
  }
  return undefined;
}

/** Objects reachable from the roots, each with the path that reaches it first (breadth first). */
export function reachableFromRoots(g: GraphView): Map<ObjectId, string[]> {
  const paths = new Map<ObjectId, string[]>();
  const queue: ObjectId[] = [];
  const visit = (id: ObjectId, path: string[]) => {
    if (paths.has(id)) return;
    paths.set(id, [...path, `obj${id}`]);
    queue.push(id);
  };
  g.globals.forEach((p, index) => p !== null && visit(p, [holderName({ kind: 'global', index })]));
  for (const gr of g.goroutines) gr.slots.forEach((p, slot) => p !== null && visit(p, [holderName({ kind: 'stack', goroutine: gr.id, slot })]));
  for (let i = 0; i < queue.length; i++) {
    const obj = g.heap.get(queue[i]);
    const base = paths.get(obj.id)!;
    obj.fields.forEach((p, field) => p !== null && visit(p, [...base.slice(0, -1), holderName({ kind: 'object', id: obj.id, field })]));
  }
  return paths;
}

/** Reachable objects still white when mark ends: sweep would free them (each a lost object). */
export function checkMarkComplete(g: GraphView): Breach[] {
  const out: Breach[] = [];
  for (const [id, path] of reachableFromRoots(g)) if (colorOf(g, id) === 'white') out.push({ id, path });
  return out;
}
