/**
 * Every trace event of the workqueue model, declared once: the fields of each type (one
 * discriminated union, `WorkqueueEvent`), its line of text, and the client-go function at
 * v0.34.0 it models. The queue emits through this catalog; replay, the terminal, the view and
 * the widgets read it.
 */
import { defineEvents, type AnyEventOf, type EventOf } from '../core/events';
import { formatMs } from '../core/format';
import type { AddAfterResult, AddResult, MetricName, QueueKind } from './types';

/** The client-go release this model follows. */
export const CLIENT_GO_TAG = 'v0.34.0';

/** Event type -> fields. Every event also carries `queue`, the queue's name. */
export type WorkqueueEventMap = {
  /** A queue was made (`kind`: which constructor). */
  'workqueue.new': { queue: string; kind: QueueKind };
  /** `add(item)`: what it did, and the queue's length after. */
  'workqueue.add': { queue: string; item: string; result: AddResult; len: number };
  /** `get()` handed `item` out after it waited `waitedMs` in the queue. */
  'workqueue.get': { queue: string; item: string; waitedMs: number; len: number };
  /** `done(item)`: how long it was processed, and whether it went back on the queue (it was dirty). */
  'workqueue.done': { queue: string; item: string; workMs: number; requeued: boolean; wasProcessing: boolean; len: number };
  /** `addAfter(item, delayMs)`; `readyAtMs` is the ready time in effect after the call. */
  'workqueue.addAfter': { queue: string; item: string; delayMs: number; readyAtMs: number; result: AddAfterResult };
  /** The waiting loop added a delayed item whose time had come. */
  'workqueue.ready': { queue: string; item: string; readyAtMs: number };
  /** `addRateLimited(item)`: the limiter's delay and its failure count for the item. */
  'workqueue.addRateLimited': { queue: string; item: string; delayMs: number; requeues: number };
  /** `forget(item)`: the limiter stops tracking the item. */
  'workqueue.forget': { queue: string; item: string };
  /** `shutDown()` (drain false) or `shutDownWithDrain()` (drain true). */
  'workqueue.shutDown': { queue: string; drain: boolean };
  /** `shutDownWithDrain()` returned (nothing processing, or `shutDown()` cut it short). */
  'workqueue.drained': { queue: string };
  /** Callers now blocked in `get()`. */
  'workqueue.waiters': { queue: string; count: number };
  /** A metric changed (component-base's `workqueue_*` series; durations in ms). */
  'workqueue.metric': { queue: string; name: MetricName; value: number };
};

export type WorkqueueEventType = keyof WorkqueueEventMap;
/** Any workqueue event, discriminated by `type`. */
export type WorkqueueEvent = AnyEventOf<WorkqueueEventMap>;
export type WorkqueueEventOf<K extends WorkqueueEventType> = EventOf<WorkqueueEventMap, K>;

const CONSTRUCTORS: Record<QueueKind, { file: string; symbol: string }> = {
  queue: { file: 'util/workqueue/queue.go', symbol: 'NewTypedWithConfig' },
  delaying: { file: 'util/workqueue/delaying_queue.go', symbol: 'NewTypedDelayingQueueWithConfig' },
  rateLimiting: { file: 'util/workqueue/rate_limiting_queue.go', symbol: 'NewTypedRateLimitingQueueWithConfig' },
};

const METRICS: Record<MetricName, string> = {
  depth: 'defaultQueueMetrics.add / get',
  adds: 'defaultQueueMetrics.add',
  queue_duration: 'defaultQueueMetrics.get',
  work_duration: 'defaultQueueMetrics.done',
  unfinished_work: 'defaultQueueMetrics.updateUnfinishedWork',
  longest_running_processor: 'defaultQueueMetrics.updateUnfinishedWork',
  retries: 'defaultRetryMetrics.retry',
};

/** Metrics whose value is a duration (printed with a unit). */
const DURATIONS = new Set<MetricName>(['queue_duration', 'work_duration', 'unfinished_work', 'longest_running_processor']);

const queueGo = (symbol: string) => ({ file: 'util/workqueue/queue.go', symbol });

export const workqueueEvents = defineEvents<WorkqueueEventMap>(
  'workqueue',
  { name: 'client-go', tag: CLIENT_GO_TAG, blobUrl: `https://github.com/kubernetes/client-go/blob/${CLIENT_GO_TAG}/` },
  {
    'workqueue.new': { text: (e) => `new ${e.kind}`, source: (e) => CONSTRUCTORS[e.kind] },
    'workqueue.add': { text: (e) => `add ${e.item} -> ${e.result} (len ${e.len})`, source: queueGo('Typed.Add') },
    'workqueue.get': { text: (e) => `get ${e.item} (waited ${formatMs(e.waitedMs)}, len ${e.len})`, source: queueGo('Typed.Get') },
    'workqueue.done': {
      text: (e) =>
        `done ${e.item} (worked ${formatMs(e.workMs)}${e.wasProcessing === false ? ', was not processing' : ''}) -> ${e.requeued ? 'requeued' : 'finished'} (len ${e.len})`,
      source: queueGo('Typed.Done'),
    },
    'workqueue.addAfter': {
      text: (e) => `addAfter ${e.item} ${formatMs(e.delayMs)} -> ${e.result} (ready at ${formatMs(e.readyAtMs)})`,
      source: { file: 'util/workqueue/delaying_queue.go', symbol: 'delayingType.AddAfter' },
    },
    'workqueue.ready': { text: (e) => `ready ${e.item}`, source: { file: 'util/workqueue/delaying_queue.go', symbol: 'delayingType.waitingLoop' } },
    'workqueue.addRateLimited': {
      text: (e) => `addRateLimited ${e.item} -> ${formatMs(e.delayMs)} (requeues ${e.requeues})`,
      source: { file: 'util/workqueue/rate_limiting_queue.go', symbol: 'rateLimitingType.AddRateLimited' },
    },
    'workqueue.forget': { text: (e) => `forget ${e.item}`, source: { file: 'util/workqueue/rate_limiting_queue.go', symbol: 'rateLimitingType.Forget' } },
    'workqueue.shutDown': {
      text: (e) => (e.drain ? 'shutDownWithDrain' : 'shutDown'),
      source: (e) => queueGo(e.drain ? 'Typed.ShutDownWithDrain' : 'Typed.ShutDown'),
    },
    'workqueue.drained': { text: () => 'drained', source: queueGo('Typed.ShutDownWithDrain') },
    'workqueue.waiters': { text: (e) => `waiters ${e.count}`, source: queueGo('Typed.Get') },
    'workqueue.metric': {
      text: (e) => `metric ${e.name} = ${DURATIONS.has(e.name) ? formatMs(e.value) : String(e.value)}`,
      source: (e) => (METRICS[e.name] ? { file: 'util/workqueue/metrics.go', symbol: METRICS[e.name] } : undefined),
    },
  },
);
