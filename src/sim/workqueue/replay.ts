/**
 * Rebuilds workqueue state from trace events alone, for time travel: a visualization scrubbing
 * to event `n` calls `replayWorkqueue(events, n)`. It never looks at a live queue; the
 * property tests check that, at every call boundary, the replay equals `queue.snapshot()`.
 */
import type { TraceEvent } from '../core/trace';
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

function emptyState(name: string): QueueState {
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

/**
 * The state of every queue after the first `upto` events of `events` (default: all).
 * Events of other components are skipped; `t` is the time of the last event applied.
 */
export function replayWorkqueue(events: readonly TraceEvent[], upto: number = events.length): WorkqueueSnapshot {
  const end = Math.max(0, Math.min(upto, events.length));
  const queues = new Map<string, QueueState>();
  let seq = 0;
  for (let i = 0; i < end; i++) {
    const e = events[i];
    if (e.component !== 'workqueue') continue;
    const name = String(e.queue);
    let q = queues.get(name);
    if (!q) {
      q = emptyState(name);
      queues.set(name, q);
    }
    const item = String(e.item);
    switch (e.type) {
      case 'workqueue.add':
        if (e.result === 'queued') {
          q.queue.push(item);
          q.dirty.add(item);
        } else if (e.result === 'deferred') {
          q.dirty.add(item);
        }
        break;
      case 'workqueue.get': {
        if (q.queue[q.head] === item) q.head++;
        else {
          const at = q.queue.indexOf(item, q.head);
          if (at >= 0) q.queue.splice(at, 1);
        }
        q.processing.add(item);
        q.dirty.delete(item);
        break;
      }
      case 'workqueue.done':
        q.processing.delete(item);
        if (e.requeued === true) q.queue.push(item);
        break;
      case 'workqueue.addAfter':
        if (e.result === 'waiting') q.waiting.set(item, { readyAtMs: Number(e.readyAtMs), seq: seq++ });
        else if (e.result === 'updated') {
          const w = q.waiting.get(item);
          if (w) w.readyAtMs = Number(e.readyAtMs);
        }
        break;
      case 'workqueue.ready':
        q.waiting.delete(item);
        break;
      case 'workqueue.addRateLimited':
        q.requeues.set(item, Number(e.requeues));
        q.lastDelayMs.set(item, Number(e.delayMs));
        break;
      case 'workqueue.forget':
        q.requeues.delete(item);
        q.lastDelayMs.delete(item);
        break;
      case 'workqueue.shutDown':
        q.shuttingDown = true;
        // The delaying queue's waiting loop stops: nothing waiting will be added.
        q.waiting.clear();
        break;
      case 'workqueue.waiters':
        q.waiters = Number(e.count);
        break;
      case 'workqueue.metric':
        if (e.name === 'depth' || e.name === 'adds' || e.name === 'retries') q.metrics[e.name] = Number(e.value);
        break;
      default:
        // workqueue.new, workqueue.drained and unknown types change nothing here.
        break;
    }
  }
  const t = end > 0 ? events[end - 1].t : 0;
  return { t, queues: [...queues.values()].map(toSnapshot) };
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
