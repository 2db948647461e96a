/**
 * Rebuilds workqueue state from trace events alone, for time travel: the view scrubbing to event
 * `n` asks a `Replayer` over `workqueueReducer` (checkpointed, so any `n` of a long run is fast),
 * and `replayWorkqueue(events, n)` does the same from scratch. Neither looks at a live queue; the
 * property tests check that, at every call boundary, the replay equals `queue.snapshot()`.
 */
import { Replayer, replayOnce, type Reducer } from '../core/replay';
import type { TraceEvent } from '../core/trace';
import { workqueueEvents } from './events';
import type { QueueSnapshot, WorkqueueSnapshot } from './types';

interface QueueState {
  name: string;
  /** FIFO contents are `queue.slice(head)`; `get` usually takes `queue[head]`. */
  queue: string[];
  head: number;
  dirty: Set<string>;
  processing: Set<string>;
  waiting: Map<string, { readyAtMs: number; seq: number }>;
  requeues: Map<string, number>;
  lastDelayMs: Map<string, number>;
  waiters: number;
  shuttingDown: boolean;
  metrics: { depth: number; adds: number; retries: number };
}

/** Every queue's replayed state, and the time of the last event applied. */
export interface WorkqueueReplayState {
  t: number;
  /** Orders entries added to the waiting heap (ties of equal ready times). */
  seq: number;
  queues: Map<string, QueueState>;
}

function emptyQueue(name: string): QueueState {
  return {
    name,
    queue: [],
    head: 0,
    dirty: new Set(),
    processing: new Set(),
    waiting: new Map(),
    requeues: new Map(),
    lastDelayMs: new Map(),
    waiters: 0,
    shuttingDown: false,
    metrics: { depth: 0, adds: 0, retries: 0 },
  };
}

function cloneQueue(q: QueueState): QueueState {
  return {
    name: q.name,
    queue: q.queue.slice(q.head),
    head: 0,
    dirty: new Set(q.dirty),
    processing: new Set(q.processing),
    waiting: new Map([...q.waiting].map(([k, w]) => [k, { ...w }])),
    requeues: new Map(q.requeues),
    lastDelayMs: new Map(q.lastDelayMs),
    waiters: q.waiters,
    shuttingDown: q.shuttingDown,
    metrics: { ...q.metrics },
  };
}

/** How each workqueue event changes the replayed state (events of other components are skipped). */
export const workqueueReducer: Reducer<WorkqueueReplayState> = {
  init: () => ({ t: 0, seq: 0, queues: new Map() }),
  clone: (s) => ({ t: s.t, seq: s.seq, queues: new Map([...s.queues].map(([k, q]) => [k, cloneQueue(q)])) }),
  size(s) {
    let n = 0;
    for (const q of s.queues.values()) n += q.queue.length - q.head + q.dirty.size + q.processing.size + q.waiting.size + q.requeues.size;
    return n;
  },
  apply(s, e) {
    s.t = e.t;
    if (!workqueueEvents.is(e)) return;
    let q = s.queues.get(e.queue);
    if (!q) {
      q = emptyQueue(e.queue);
      s.queues.set(e.queue, q);
    }
    switch (e.type) {
      case 'workqueue.add':
        if (e.result === 'queued') {
          q.queue.push(e.item);
          q.dirty.add(e.item);
        } else if (e.result === 'deferred') {
          q.dirty.add(e.item);
        }
        break;
      case 'workqueue.get': {
        if (q.queue[q.head] === e.item) {
          q.head++;
          // Drop the consumed prefix once it dominates, so a long run does not keep it.
          if (q.head > 1024 && q.head * 2 > q.queue.length) {
            q.queue = q.queue.slice(q.head);
            q.head = 0;
          }
        } else {
          const at = q.queue.indexOf(e.item, q.head);
          if (at >= 0) q.queue.splice(at, 1);
        }
        q.processing.add(e.item);
        q.dirty.delete(e.item);
        break;
      }
      case 'workqueue.done':
        q.processing.delete(e.item);
        if (e.requeued) q.queue.push(e.item);
        break;
      case 'workqueue.addAfter':
        if (e.result === 'waiting') q.waiting.set(e.item, { readyAtMs: e.readyAtMs, seq: s.seq++ });
        else if (e.result === 'updated') {
          const w = q.waiting.get(e.item);
          if (w) w.readyAtMs = e.readyAtMs;
        }
        break;
      case 'workqueue.ready':
        q.waiting.delete(e.item);
        break;
      case 'workqueue.addRateLimited':
        q.requeues.set(e.item, e.requeues);
        q.lastDelayMs.set(e.item, e.delayMs);
        break;
      case 'workqueue.forget':
        q.requeues.delete(e.item);
        q.lastDelayMs.delete(e.item);
        break;
      case 'workqueue.shutDown':
        q.shuttingDown = true;
        // The delaying queue's waiting loop stops: nothing waiting will be added.
        q.waiting.clear();
        break;
      case 'workqueue.waiters':
        q.waiters = e.count;
        break;
      case 'workqueue.metric':
        if (e.name === 'depth' || e.name === 'adds' || e.name === 'retries') q.metrics[e.name] = e.value;
        break;
      case 'workqueue.new':
      case 'workqueue.drained':
        break;
    }
  },
};

/** The queues of a replayed state as snapshots (the same shape `queue.snapshot()` gives). */
export function workqueueSnapshot(s: WorkqueueReplayState): WorkqueueSnapshot {
  return { t: s.t, queues: [...s.queues.values()].map(toSnapshot) };
}

/** A checkpointed replayer over `events`: `snapshotAt(n)` is fast for any `n`, back or forth. */
export function newWorkqueueReplayer(events: readonly TraceEvent[]): { snapshotAt(n: number): WorkqueueSnapshot; stateAt(n: number): WorkqueueReplayState } {
  const replayer = new Replayer(workqueueReducer, events);
  return {
    stateAt: (n) => replayer.at(n),
    snapshotAt: (n) => workqueueSnapshot(replayer.at(n)),
  };
}

/**
 * The state of every queue after the first `upto` events of `events` (default: all).
 * Events of other components are skipped; `t` is the time of the last event applied.
 */
export function replayWorkqueue(events: readonly TraceEvent[], upto: number = events.length): WorkqueueSnapshot {
  const state = replayOnce(workqueueReducer, events, upto);
  // `t` is the time of the last event applied, of any component (0 before any).
  return workqueueSnapshot(state);
}

function toSnapshot(q: QueueState): QueueSnapshot {
  const waiting = [...q.waiting.entries()]
    .sort(([, a], [, b]) => a.readyAtMs - b.readyAtMs || a.seq - b.seq)
    .map(([item, w]) => ({ item, readyAtMs: w.readyAtMs }));
  return {
    name: q.name,
    queue: q.queue.slice(q.head),
    dirty: [...q.dirty],
    processing: [...q.processing],
    waiting,
    requeues: Object.fromEntries(q.requeues),
    lastDelayMs: Object.fromEntries(q.lastDelayMs),
    waiters: q.waiters,
    shuttingDown: q.shuttingDown,
    metrics: { ...q.metrics },
  };
}
