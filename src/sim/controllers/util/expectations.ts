/**
 * Controller expectations after kubernetes pkg/controller/controller_utils.go (v1.34): a controller
 * that has just asked for N creations or deletions sleeps until its informer has seen them all, or
 * until ExpectationsTimeout has passed, so it never acts twice on a stale cache.
 */

/** How long a controller waits for the watch events it expects before syncing anyway (5 minutes). */
// Upstream: controller_utils.go (ExpectationsTimeout)
export const ExpectationsTimeoutMs = 5 * 60 * 1000;

/** The clock expectations read; a FakeClock fits. */
export interface ExpectationsClock {
  now(): number;
}

/** The adds and deletes one controller still waits for, stamped when they were set. */
// Upstream: controller_utils.go (ControlleeExpectations)
export class ControlleeExpectations {
  constructor(
    private add: number,
    private del: number,
    readonly key: string,
    readonly timestampMs: number,
  ) {}

  /** Upstream: ControlleeExpectations.Add */
  addCounts(add: number, del: number): void {
    this.add += add;
    this.del += del;
  }

  /** Counts may go below zero (more seen than expected): that still counts as fulfilled. */
  // Upstream: ControlleeExpectations.Fulfilled
  fulfilled(): boolean {
    return this.add <= 0 && this.del <= 0;
  }

  /** Upstream: ControlleeExpectations.GetExpectations */
  getExpectations(): [add: number, del: number] {
    return [this.add, this.del];
  }

  /** Strictly more than the timeout since the expectations were set (lowering does not restamp). */
  // Upstream: ControlleeExpectations.isExpired
  isExpired(nowMs: number): boolean {
    return nowMs - this.timestampMs > ExpectationsTimeoutMs;
  }
}

/** Upstream: controller_utils.go (ControllerExpectationsInterface) */
export interface ControllerExpectationsInterface {
  getExpectations(controllerKey: string): ControlleeExpectations | undefined;
  satisfiedExpectations(controllerKey: string): boolean;
  deleteExpectations(controllerKey: string): void;
  setExpectations(controllerKey: string, add: number, del: number): void;
  expectCreations(controllerKey: string, adds: number): void;
  expectDeletions(controllerKey: string, dels: number): void;
  creationObserved(controllerKey: string): void;
  deletionObserved(controllerKey: string): void;
  raiseExpectations(controllerKey: string, add: number, del: number): void;
  lowerExpectations(controllerKey: string, add: number, del: number): void;
}

/** A store of expectations keyed by controller (namespace/name). */
// Upstream: controller_utils.go (ControllerExpectations, NewControllerExpectations)
export class ControllerExpectations implements ControllerExpectationsInterface {
  readonly #store = new Map<string, ControlleeExpectations>();

  constructor(private readonly clock: ExpectationsClock) {}

  getExpectations(controllerKey: string): ControlleeExpectations | undefined {
    return this.#store.get(controllerKey);
  }

  /** Upstream: ControllerExpectations.DeleteExpectations */
  deleteExpectations(controllerKey: string): void {
    this.#store.delete(controllerKey);
  }

  /**
   * Whether the controller may sync: its expectations are met or expired, or it never set any
   * (a new controller, or one whose expectations were deleted).
   */
  // Upstream: ControllerExpectations.SatisfiedExpectations
  satisfiedExpectations(controllerKey: string): boolean {
    const exp = this.#store.get(controllerKey);
    if (!exp) return true;
    return exp.fulfilled() || exp.isExpired(this.clock.now());
  }

  /** Replaces whatever the controller expected before, stamped now. */
  // Upstream: ControllerExpectations.SetExpectations
  setExpectations(controllerKey: string, add: number, del: number): void {
    this.#store.set(controllerKey, new ControlleeExpectations(add, del, controllerKey, this.clock.now()));
  }

  expectCreations(controllerKey: string, adds: number): void {
    this.setExpectations(controllerKey, adds, 0);
  }

  expectDeletions(controllerKey: string, dels: number): void {
    this.setExpectations(controllerKey, 0, dels);
  }

  /** No-op when the controller has no expectations. */
  // Upstream: ControllerExpectations.LowerExpectations
  lowerExpectations(controllerKey: string, add: number, del: number): void {
    this.#store.get(controllerKey)?.addCounts(-add, -del);
  }

  /** No-op when the controller has no expectations. */
  // Upstream: ControllerExpectations.RaiseExpectations
  raiseExpectations(controllerKey: string, add: number, del: number): void {
    this.#store.get(controllerKey)?.addCounts(add, del);
  }

  /** Upstream: ControllerExpectations.CreationObserved */
  creationObserved(controllerKey: string): void {
    this.lowerExpectations(controllerKey, 1, 0);
  }

  /** Upstream: ControllerExpectations.DeletionObserved */
  deletionObserved(controllerKey: string): void {
    this.lowerExpectations(controllerKey, 0, 1);
  }
}

/**
 * Expectations that remember which pods (by key) the controller deleted, so a graceful delete,
 * seen first as an update setting deletionTimestamp and later as the real delete, counts once.
 */
// Upstream: controller_utils.go (UIDTrackingControllerExpectations)
export class UIDTrackingControllerExpectations {
  readonly #uids = new Map<string, Set<string>>();
  /** Upstream logs "Clobbering existing delete keys"; we keep the lines for the lab's trace. */
  readonly log: string[] = [];

  constructor(readonly inner: ControllerExpectationsInterface) {}

  /** Upstream: UIDTrackingControllerExpectations.GetUIDs */
  getUIDs(controllerKey: string): ReadonlySet<string> | undefined {
    return this.#uids.get(controllerKey);
  }

  /** Expects one deletion per distinct key, replacing (clobbering) any keys still awaited. */
  // Upstream: UIDTrackingControllerExpectations.ExpectDeletions
  expectDeletions(controllerKey: string, deletedKeys: readonly string[]): void {
    const existing = this.#uids.get(controllerKey);
    if (existing && existing.size) this.log.push(`Clobbering existing delete keys: ${[...existing].join(',')}`);
    const expected = new Set(deletedKeys);
    this.#uids.set(controllerKey, expected);
    this.inner.expectDeletions(controllerKey, expected.size);
  }

  /** Counts a deletion only for a key still awaited; a second sighting of the same pod is ignored. */
  // Upstream: UIDTrackingControllerExpectations.DeletionObserved
  deletionObserved(controllerKey: string, deleteKey: string): void {
    const uids = this.#uids.get(controllerKey);
    if (!uids?.has(deleteKey)) return;
    this.inner.deletionObserved(controllerKey);
    uids.delete(deleteKey);
  }

  /** Upstream: UIDTrackingControllerExpectations.DeleteExpectations */
  deleteExpectations(controllerKey: string): void {
    this.inner.deleteExpectations(controllerKey);
    this.#uids.delete(controllerKey);
  }

  // The rest passes through to the wrapped expectations, as Go's embedded interface does.
  satisfiedExpectations(controllerKey: string): boolean {
    return this.inner.satisfiedExpectations(controllerKey);
  }
  getExpectations(controllerKey: string): ControlleeExpectations | undefined {
    return this.inner.getExpectations(controllerKey);
  }
  setExpectations(controllerKey: string, add: number, del: number): void {
    this.inner.setExpectations(controllerKey, add, del);
  }
  expectCreations(controllerKey: string, adds: number): void {
    this.inner.expectCreations(controllerKey, adds);
  }
  creationObserved(controllerKey: string): void {
    this.inner.creationObserved(controllerKey);
  }
  raiseExpectations(controllerKey: string, add: number, del: number): void {
    this.inner.raiseExpectations(controllerKey, add, del);
  }
  lowerExpectations(controllerKey: string, add: number, del: number): void {
    this.inner.lowerExpectations(controllerKey, add, del);
  }
}
