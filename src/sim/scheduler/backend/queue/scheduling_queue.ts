/**
 * The scheduling queue: pkg/scheduler/backend/queue/scheduling_queue.go, active_queue.go,
 * backoff_queue.go and unschedulable_pods.go at v1.34 (`PriorityQueue`). Three places a
 * pending pod can be:
 * - activeQ: a heap ordered by the profile's QueueSort (PrioritySort: priority, then arrival);
 * - backoffQ: pods waiting out their backoff (1 s doubling to 10 s by default, per pod), ordered
 *   by expiry truncated to 1 s windows, then by priority (SchedulerPopFromBackoffQ, on in v1.34,
 *   which also lets Pop take from backoffQ when activeQ is empty); pods that failed with an
 *   Error wait in a second, error backoff queue that Pop never takes from early;
 * - unschedulablePods: rejected pods, moved back by cluster events whose queueing hints say
 *   Queue, or after 5 minutes by the periodic flush.
 * The scheduling cycle is synchronous in the model, so no cluster event can arrive while a pod
 * is in flight; upstream's in-flight event list is therefore not modelled.
 */
import type { Pod } from '../../../api/core/v1';
import type { FakeClock } from '../../../core/clock';
import { MinHeap } from '../../../core/heap';
import { ActionType, All, ForceActivate, matchClusterEvents, UnschedulableTimeout, type ClusterEvent, type QueueingHintFn } from '../../framework/events';
import type { QueuedPodInfo } from '../../framework/interface';
import { isSuccess, type MaybeStatus } from '../../framework/status';
import { PodInfo } from '../../framework/types';

/** Go: `DefaultPodMaxInUnschedulablePodsDuration`. */
export const DefaultPodMaxInUnschedulablePodsDurationMs = 5 * 60 * 1000;
/** Go: `backoffQOrderingWindowDuration`. */
export const backoffQOrderingWindowMs = 1000;
/** The periods of upstream's two flush goroutines. */
export const flushBackoffQPeriodMs = 1000;
export const flushUnschedulablePeriodMs = 30 * 1000;

/** A plugin's queueing hint for one event (Go: `QueueingHintFunction`). */
export interface QueueingHintEntry {
  event: ClusterEvent;
  pluginName: string;
  fn?: QueueingHintFn;
}

export type QueueName = 'activeQ' | 'backoffQ' | 'errorBackoffQ' | 'unschedulablePods' | 'gated';

export interface QueueEvent {
  type: 'Add' | 'Move' | 'Pop' | 'Delete' | 'Gate';
  pod: string;
  to?: QueueName;
  from?: QueueName;
  event?: string;
  /** For a move into a backoff queue: when the backoff ends (virtual ms). */
  until?: number;
}

export interface PriorityQueueOptions {
  clock: FakeClock;
  /** QueueSort's Less. */
  lessFn: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  /** PreEnqueue plugins of the pod's profile. */
  preEnqueue?: (pod: Pod) => MaybeStatus;
  /** schedulerName -> the hints of its profile's plugins. */
  queueingHints?: Map<string, QueueingHintEntry[]>;
  /** Told of every move, for traces and views. */
  onEvent?: (e: QueueEvent) => void;
}

function keyOf(p: Pod): string {
  return p.metadata.uid ?? `${p.metadata.namespace}/${p.metadata.name}`;
}

function nameOf(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}`;
}

type Strategy = 'queueSkip' | 'queueAfterBackoff' | 'queueImmediately';

/** Go: `PriorityQueue`. */
export class PriorityQueue {
  readonly #clock: FakeClock;
  readonly #less: PriorityQueueOptions['lessFn'];
  readonly #initialBackoff: number;
  readonly #maxBackoff: number;
  readonly #maxInUnschedulable: number;
  readonly #preEnqueue?: PriorityQueueOptions['preEnqueue'];
  readonly #hints: Map<string, QueueingHintEntry[]>;
  readonly #onEvent?: PriorityQueueOptions['onEvent'];
  readonly activeQ: MinHeap<QueuedPodInfo>;
  readonly backoffQ: MinHeap<QueuedPodInfo>;
  readonly errorBackoffQ: MinHeap<QueuedPodInfo>;
  /** Rejected or gated pods, by key. */
  readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done (Go: `inFlightPods`). */
  readonly inFlight = new Map<string, QueuedPodInfo>();
  readonly #where = new Map<string, QueueName>();
  /** Counts scheduling cycles (Go: `schedulingCycle`). */
  schedulingCycle = 0;

  constructor(o: PriorityQueueOptions) {
    this.#clock = o.clock;
    this.#less = o.lessFn;
    this.#initialBackoff = o.podInitialBackoffMs ?? 1000;
    this.#maxBackoff = o.podMaxBackoffMs ?? 10000;
    this.#maxInUnschedulable = o.podMaxInUnschedulablePodsDurationMs ?? DefaultPodMaxInUnschedulablePodsDurationMs;
    this.#preEnqueue = o.preEnqueue;
    this.#hints = o.queueingHints ?? new Map();
    this.#onEvent = o.onEvent;
    this.activeQ = new MinHeap<QueuedPodInfo>((a, b) => this.#less(a, b), { indexed: true });
    // Go: lessBackoffCompletedWithPriority: the earlier window first, then QueueSort within a window.
    this.backoffQ = new MinHeap<QueuedPodInfo>((a, b) => {
      const ta = this.getBackoffTime(a);
      const tb = this.getBackoffTime(b);
      return ta !== tb ? ta < tb : this.#less(a, b);
    }, { indexed: true });
    this.errorBackoffQ = new MinHeap<QueuedPodInfo>((a, b) => this.getBackoffTime(a) < this.getBackoffTime(b), { indexed: true });
  }

  #emit(e: QueueEvent): void {
    this.#onEvent?.(e);
  }

  /** Go: `newQueuedPodInfo`. */
  newQueuedPodInfo(pod: Pod): QueuedPodInfo {
    const now = this.#clock.now();
    return {
      podInfo: new PodInfo(pod), timestamp: now, attempts: 0, unschedulableCount: 0, consecutiveErrorsCount: 0,
      initialAttemptTimestamp: null, backoffExpiration: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gatingPlugin: '',
    };
  }

  /** Where a pod is now, if queued. */
  where(pod: Pod): QueueName | undefined {
    return this.#where.get(keyOf(pod));
  }

  /**
   * Go: `calculateBackoffDuration`: initial × 2^(count-1), capped, where count is the
   * consecutive errors if any, else the unschedulable attempts.
   */
  calculateBackoffDuration(p: QueuedPodInfo): number {
    if (p.attempts === 0) return 0;
    const count = p.consecutiveErrorsCount > 0 ? p.consecutiveErrorsCount : p.unschedulableCount;
    if (count === 0) return 0;
    let d = this.#initialBackoff;
    for (let i = 1; i < count; i++) {
      if (d > this.#maxBackoff - d) return this.#maxBackoff;
      d += d;
    }
    return d;
  }

  /** Go: `getBackoffTime`: computed once per attempt, truncated to the 1 s ordering window. */
  getBackoffTime(p: QueuedPodInfo): number {
    if (p.backoffExpiration === 0) {
      const t = p.timestamp + this.calculateBackoffDuration(p);
      p.backoffExpiration = t - (t % backoffQOrderingWindowMs);
    }
    return p.backoffExpiration;
  }

  /** Go: `isPodBackingoff`. */
  isPodBackingoff(p: QueuedPodInfo): boolean {
    return this.getBackoffTime(p) > this.#clock.now();
  }

  #removeEverywhere(key: string): QueuedPodInfo | undefined {
    const at = this.#where.get(key);
    this.#where.delete(key);
    const match = (q: QueuedPodInfo) => keyOf(q.podInfo.pod) === key;
    let found: QueuedPodInfo | undefined;
    for (const h of [this.activeQ, this.backoffQ, this.errorBackoffQ]) {
      const arr = h.toArray().find(match);
      if (arr) {
        h.delete(arr);
        found = arr;
      }
    }
    const u = this.unschedulablePods.get(key);
    if (u) {
      this.unschedulablePods.delete(key);
      found = u;
    }
    void at;
    return found;
  }

  /** Go: `runPreEnqueuePlugins` + `moveToActiveQ`: gated pods wait in unschedulablePods. */
  #moveToActiveQ(p: QueuedPodInfo, event: string, from?: QueueName): boolean {
    const key = keyOf(p.podInfo.pod);
    const s = this.#preEnqueue?.(p.podInfo.pod);
    if (!isSuccess(s)) {
      p.gatingPlugin = s?.plugin ?? '';
      this.unschedulablePods.set(key, p);
      this.#where.set(key, 'gated');
      this.#emit({ type: 'Gate', pod: nameOf(p.podInfo.pod), to: 'gated', event, ...(from ? { from } : {}) });
      return false;
    }
    p.gatingPlugin = '';
    p.initialAttemptTimestamp ??= this.#clock.now();
    this.activeQ.push(p);
    this.#where.set(key, 'activeQ');
    this.#emit({ type: from ? 'Move' : 'Add', pod: nameOf(p.podInfo.pod), to: 'activeQ', event, ...(from ? { from } : {}) });
    return true;
  }

  #toBackoff(p: QueuedPodInfo, event: string, from?: QueueName): void {
    const key = keyOf(p.podInfo.pod);
    const q = p.consecutiveErrorsCount > 0 ? this.errorBackoffQ : this.backoffQ;
    q.push(p);
    const name: QueueName = p.consecutiveErrorsCount > 0 ? 'errorBackoffQ' : 'backoffQ';
    this.#where.set(key, name);
    this.#emit({ type: from ? 'Move' : 'Add', pod: nameOf(p.podInfo.pod), to: name, event, ...(from ? { from } : {}), until: this.getBackoffTime(p) });
  }

  /** Go: `Add`: a new pending pod goes to activeQ (or waits, gated). */
  add(pod: Pod): void {
    const key = keyOf(pod);
    if (this.#where.has(key) || this.inFlight.has(key)) return;
    this.#moveToActiveQ(this.newQueuedPodInfo(pod), 'PodAdd');
  }

  /** Go: `Update`: a pending pod changed; gated pods re-run PreEnqueue, unschedulable ones may move. */
  update(oldPod: Pod | undefined, newPod: Pod): void {
    const key = keyOf(newPod);
    const at = this.#where.get(key);
    if (!at) {
      if (!this.inFlight.has(key)) this.add(newPod);
      return;
    }
    if (at === 'activeQ' || at === 'backoffQ' || at === 'errorBackoffQ') {
      const h = at === 'activeQ' ? this.activeQ : at === 'backoffQ' ? this.backoffQ : this.errorBackoffQ;
      const p = h.toArray().find((q) => keyOf(q.podInfo.pod) === key)!;
      p.podInfo.update(newPod);
      h.fix(p);
      return;
    }
    const p = this.unschedulablePods.get(key)!;
    p.podInfo.update(newPod);
    if (at === 'gated') {
      this.unschedulablePods.delete(key);
      this.#where.delete(key);
      this.#moveToActiveQ(p, 'UpdatePodSchedulingGatesEliminated', 'gated');
      return;
    }
    // A change to an unschedulable pod is an event for it too (Go: UnscheduledPodUpdate).
    const strategy = this.#isPodWorthRequeuing(p, { resource: 'Pod', actionType: ActionType.UpdatePodLabel | ActionType.UpdatePodToleration | ActionType.UpdatePodScaleDown }, oldPod, newPod);
    if (strategy !== 'queueSkip') {
      this.unschedulablePods.delete(key);
      this.#requeue(p, strategy, 'UnscheduledPodUpdate', 'unschedulablePods');
    }
  }

  /** Go: `Activate`: a pod waiting in backoff or unschedulablePods moves to activeQ now. */
  activate(pod: Pod): void {
    const key = keyOf(pod);
    const at = this.#where.get(key);
    if (!at || at === 'activeQ' || at === 'gated') return;
    const p = this.#removeEverywhere(key);
    if (p) this.#moveToActiveQ(p, ForceActivate, at);
  }

  /** Go: `Delete`. */
  delete(pod: Pod): void {
    const key = keyOf(pod);
    const found = this.#removeEverywhere(key);
    this.inFlight.delete(key);
    if (found) this.#emit({ type: 'Delete', pod: nameOf(pod) });
  }

  /**
   * Go: `Pop`: the head of activeQ; when activeQ is empty, the head of backoffQ
   * (SchedulerPopFromBackoffQ). Undefined when both are empty (upstream blocks).
   */
  pop(): QueuedPodInfo | undefined {
    let p = this.activeQ.pop();
    let from: QueueName = 'activeQ';
    if (!p) {
      p = this.backoffQ.pop();
      from = 'backoffQ';
    }
    if (!p) return undefined;
    const key = keyOf(p.podInfo.pod);
    this.#where.delete(key);
    this.schedulingCycle++;
    p.attempts++;
    // The rejectors of the previous attempt no longer apply (Go: cleared on Pop).
    p.unschedulablePlugins = new Set();
    p.pendingPlugins = new Set();
    this.inFlight.set(key, p);
    this.#emit({ type: 'Pop', pod: nameOf(p.podInfo.pod), from });
    return p;
  }

  /** Go: `Done`: the pod's attempt is over. */
  done(pod: Pod): void {
    this.inFlight.delete(keyOf(pod));
  }

  /**
   * Go: `AddUnschedulableIfNotPresent`: after a failed attempt. A pod rejected by plugins waits
   * in unschedulablePods for an event; one that hit an Error (no rejector) goes to backoff.
   */
  addUnschedulableIfNotPresent(p: QueuedPodInfo, failedWithError: boolean): QueueName {
    const key = keyOf(p.podInfo.pod);
    this.inFlight.delete(key);
    if (this.#where.has(key)) return this.#where.get(key)!;
    p.timestamp = this.#clock.now();
    p.backoffExpiration = 0;
    if (failedWithError) {
      p.consecutiveErrorsCount++;
    } else {
      p.consecutiveErrorsCount = 0;
      p.unschedulableCount++;
    }
    const rejectors = p.unschedulablePlugins.size + p.pendingPlugins.size;
    if (rejectors === 0) {
      this.#requeue(p, 'queueAfterBackoff', 'ScheduleAttemptFailure');
    } else {
      this.unschedulablePods.set(key, p);
      this.#where.set(key, 'unschedulablePods');
      this.#emit({ type: 'Add', pod: nameOf(p.podInfo.pod), to: 'unschedulablePods', event: 'ScheduleAttemptFailure' });
    }
    return this.#where.get(key) ?? 'activeQ';
  }

  /** Go: `requeuePodWithQueueingStrategy`. */
  #requeue(p: QueuedPodInfo, strategy: Strategy, event: string, from?: QueueName): void {
    const key = keyOf(p.podInfo.pod);
    if (strategy === 'queueSkip') {
      this.unschedulablePods.set(key, p);
      this.#where.set(key, 'unschedulablePods');
      return;
    }
    if (strategy === 'queueAfterBackoff' && this.isPodBackingoff(p)) {
      this.#toBackoff(p, event, from);
      return;
    }
    this.#moveToActiveQ(p, event, from);
  }

  /** Go: `isPodWorthRequeuing`: ask the hints of the plugins that rejected the pod. */
  #isPodWorthRequeuing(p: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): Strategy {
    const rejectors = new Set([...p.unschedulablePlugins, ...p.pendingPlugins]);
    if (rejectors.size === 0) return 'queueAfterBackoff';
    if (event.resource === '*' && event.actionType === All) return 'queueAfterBackoff';
    const hints = this.#hints.get(p.podInfo.pod.spec.schedulerName ?? 'default-scheduler');
    if (!hints) return 'queueAfterBackoff';
    let strategy: Strategy = 'queueSkip';
    for (const h of hints) {
      if (!matchClusterEvents(h.event, event) || !rejectors.has(h.pluginName)) continue;
      let hint: 'Queue' | 'QueueSkip';
      try {
        hint = h.fn ? h.fn(p.podInfo.pod, oldObj, newObj) : 'Queue';
      } catch {
        hint = 'Queue'; // Upstream treats a hint error as Queue.
      }
      if (hint === 'QueueSkip') continue;
      if (p.pendingPlugins.has(h.pluginName)) return 'queueImmediately';
      if (p.pendingPlugins.size === 0) return 'queueAfterBackoff';
      strategy = 'queueAfterBackoff';
    }
    return strategy;
  }

  /** Go: `MoveAllToActiveOrBackoffQueue`: a cluster event may make rejected pods schedulable. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj: unknown, newObj: unknown, preCheck?: (pod: Pod) => boolean): number {
    let moved = 0;
    const label = event.customLabel ?? `${event.resource}${event.actionType === All ? 'All' : ''}`;
    for (const [key, p] of [...this.unschedulablePods]) {
      if (this.#where.get(key) !== 'unschedulablePods') continue;
      if (preCheck && !preCheck(p.podInfo.pod)) continue;
      const strategy = this.#isPodWorthRequeuing(p, event, oldObj, newObj);
      if (strategy === 'queueSkip') continue;
      this.unschedulablePods.delete(key);
      this.#where.delete(key);
      this.#requeue(p, strategy, label, 'unschedulablePods');
      moved++;
    }
    return moved;
  }

  /** Go: `flushBackoffQCompleted`: pods whose backoff ended go to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.#clock.now();
    for (const [h, name] of [[this.backoffQ, 'backoffQ'], [this.errorBackoffQ, 'errorBackoffQ']] as const) {
      for (;;) {
        const head = h.peek();
        if (!head || this.getBackoffTime(head) > now) break;
        h.pop();
        this.#where.delete(keyOf(head.podInfo.pod));
        this.#moveToActiveQ(head, 'BackoffComplete', name);
      }
    }
  }

  /** Go: `flushUnschedulablePodsLeftover`: pods unschedulable for over 5 minutes are retried. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.#clock.now();
    for (const [key, p] of [...this.unschedulablePods]) {
      if (this.#where.get(key) !== 'unschedulablePods') continue;
      if (now - p.timestamp <= this.#maxInUnschedulable) continue;
      this.unschedulablePods.delete(key);
      this.#where.delete(key);
      this.#requeue(p, 'queueAfterBackoff', UnschedulableTimeout, 'unschedulablePods');
    }
  }

  /** The pending pods where they wait, for `scheduler queue` and the view. */
  pendingPods(): { activeQ: QueuedPodInfo[]; backoffQ: QueuedPodInfo[]; errorBackoffQ: QueuedPodInfo[]; unschedulablePods: QueuedPodInfo[]; gated: QueuedPodInfo[] } {
    const unsched = [...this.unschedulablePods].filter(([k]) => this.#where.get(k) === 'unschedulablePods').map(([, p]) => p);
    const gated = [...this.unschedulablePods].filter(([k]) => this.#where.get(k) === 'gated').map(([, p]) => p);
    return { activeQ: this.activeQ.sorted(), backoffQ: this.backoffQ.sorted(), errorBackoffQ: this.errorBackoffQ.sorted(), unschedulablePods: unsched, gated };
  }

  len(): number {
    return this.activeQ.size + this.backoffQ.size + this.errorBackoffQ.size + this.unschedulablePods.size;
  }
}
