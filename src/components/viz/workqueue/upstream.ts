/**
 * Where in client-go each workqueue trace event happens, at the release the model follows: the
 * model view links the event under the timeline cursor to that function, so the Go source can
 * be read next to the step the learner is looking at.
 */
import type { TraceEvent } from '../../../sim/index';
import type { SourceLink } from '../types';

/** The client-go release src/sim/workqueue follows (see its README). */
export const CLIENT_GO_TAG = 'v0.34.0';
const BASE = `https://github.com/kubernetes/client-go/blob/${CLIENT_GO_TAG}/util/workqueue/`;

type Ref = readonly [file: string, symbol: string];

const CONSTRUCTORS: Record<string, Ref> = {
  queue: ['queue.go', 'NewTypedWithConfig'],
  delaying: ['delaying_queue.go', 'NewTypedDelayingQueueWithConfig'],
  rateLimiting: ['rate_limiting_queue.go', 'NewTypedRateLimitingQueueWithConfig'],
};

const METRICS: Record<string, Ref> = {
  depth: ['metrics.go', 'defaultQueueMetrics.add / get'],
  adds: ['metrics.go', 'defaultQueueMetrics.add'],
  queue_duration: ['metrics.go', 'defaultQueueMetrics.get'],
  work_duration: ['metrics.go', 'defaultQueueMetrics.done'],
  unfinished_work: ['metrics.go', 'defaultQueueMetrics.updateUnfinishedWork'],
  longest_running_processor: ['metrics.go', 'defaultQueueMetrics.updateUnfinishedWork'],
  retries: ['metrics.go', 'defaultRetryMetrics.retry'],
};

const EVENTS: Record<string, Ref> = {
  'workqueue.add': ['queue.go', 'Typed.Add'],
  'workqueue.get': ['queue.go', 'Typed.Get'],
  'workqueue.waiters': ['queue.go', 'Typed.Get'],
  'workqueue.done': ['queue.go', 'Typed.Done'],
  'workqueue.drained': ['queue.go', 'Typed.ShutDownWithDrain'],
  'workqueue.addAfter': ['delaying_queue.go', 'delayingType.AddAfter'],
  'workqueue.ready': ['delaying_queue.go', 'delayingType.waitingLoop'],
  'workqueue.addRateLimited': ['rate_limiting_queue.go', 'rateLimitingType.AddRateLimited'],
  'workqueue.forget': ['rate_limiting_queue.go', 'rateLimitingType.Forget'],
};

/** The client-go function behind `event`, or undefined for events that are not the workqueue's. */
export function workqueueSource(event: TraceEvent): SourceLink | undefined {
  const ref = refOf(event);
  if (!ref) return undefined;
  const [file, symbol] = ref;
  return { label: symbol, href: BASE + file, title: `client-go ${CLIENT_GO_TAG} util/workqueue/${file}, ${symbol}` };
}

function refOf(e: TraceEvent): Ref | undefined {
  if (e.component !== 'workqueue') return undefined;
  switch (e.type) {
    case 'workqueue.new':
      return CONSTRUCTORS[String(e.kind)];
    case 'workqueue.metric':
      return METRICS[String(e.name)];
    case 'workqueue.shutDown':
      return ['queue.go', e.drain ? 'Typed.ShutDownWithDrain' : 'Typed.ShutDown'];
    default:
      return EVENTS[e.type];
  }
}
