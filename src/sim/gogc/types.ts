/** An object's id in the heap (its "address"); `null` is the nil pointer. */
export type ObjectId = number;
export type Pointer = ObjectId | null;

/**
 * The tri-color abstraction. white: not yet reached (freed by sweep if still white at the end of
 * mark); grey: marked and queued for scanning (in a gcWork buffer); black: marked and scanned,
 * every field shaded. Upstream keeps one mark bit per object plus the work queue: grey is "marked
 * and still in a work buffer".
 */
export type Color = 'white' | 'grey' | 'black';

/** Which write barrier the compiler would have emitted for heap pointer stores. */
export type BarrierKind = 'none' | 'dijkstra' | 'yuasa' | 'hybrid';

/** The mark algorithm: `classic` (one grey object at a time) or `greentea` (small objects per span, Go 1.26's default). */
export type MarkerKind = 'classic' | 'greentea';

/**
 * GC phases in mgc.go's order: `sweeptermination` (stop the world, finish last cycle's sweep),
 * `mark` (concurrent), `marktermination` (stop the world), `sweep` (concurrent), `off`. Upstream's
 * `gcphase` has only _GCoff, _GCmark and _GCmarktermination: sweep termination runs with
 * _GCoff, and sweeping runs with _GCoff while spans remain unswept.
 */
export type GcPhase = 'off' | 'sweeptermination' | 'mark' | 'marktermination' | 'sweep';

/**
 * `concurrent` (Go 1.5+: two short pauses, marking and sweeping alongside the mutators) or `stw`
 * (Go <= 1.4 and the textbook mark-sweep: the world stops for the whole mark and sweep).
 */
export type CollectorKind = 'concurrent' | 'stw';

/**
 * One mutator operation on the goroutine's own stack slots. A slot holding nil makes `load` and
 * `store` no-ops (the model never panics on a nil dereference).
 */
export type MutatorOp =
  /** `slots[dst] = slots[obj].fields[field]` (a stack write: no barrier). */
  | { op: 'load'; dst: number; obj: number; field: number }
  /** `slots[obj].fields[field] = slots[src]` (a heap write: the barrier runs). */
  | { op: 'store'; obj: number; field: number; src: number }
  /** `slots[dst] = new(object with nfields pointer fields)` (black while marking). */
  | { op: 'alloc'; dst: number; nfields: number }
  /** `slots[dst] = nil` (a stack write: no barrier). */
  | { op: 'drop'; dst: number }
  /** `slots[dst] = globals[global]` (reading a global is a load, no barrier). */
  | { op: 'loadGlobal'; dst: number; global: number };

/** A place that holds a pointer, for paths in reports. */
export type Holder = { kind: 'global'; index: number } | { kind: 'stack'; goroutine: number; slot: number } | { kind: 'object'; id: ObjectId; field: number };

export function holderName(h: Holder): string {
  if (h.kind === 'global') return `global[${h.index}]`;
  if (h.kind === 'stack') return `g${h.goroutine}.stack[${h.slot}]`;
  return `obj${h.id}.f[${h.field}]`;
}
