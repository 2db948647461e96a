/**
 * The queue metrics, updated exactly where client-go's `defaultQueueMetrics` and
 * `defaultRetryMetrics` update them, and reported as `workqueue.metric` trace events instead
 * of Prometheus series. Durations are virtual milliseconds (upstream observes seconds).
 * As upstream, the plain queue owns the queue metrics and the delaying queue the retry metric.
 */
import type { FakeClock } from '../core/clock';
import type { MetricName } from './types';

export type MetricSink = (name: MetricName, value: number) => void;

// Upstream: client-go util/workqueue/metrics.go (defaultQueueMetrics)
export class QueueMetrics<T> {
  /** Gauge: +1 on every add that marks an item dirty, -1 on every get. */
  depth = 0;
  /** Counter: adds handled (adds that were not deduplicated or ignored). */
  adds = 0;
  /** When each item was added, kept until it is handed out (the first add wins). */
  private readonly addTimes = new Map<T, number>();
  /** When each item was handed out, kept until done. */
  private readonly processingStartTimes = new Map<T, number>();

  constructor(
    private readonly clock: FakeClock,
    private readonly report: MetricSink,
  ) {}

  // Upstream: defaultQueueMetrics.add
  add(item: T): void {
    this.adds++;
    this.depth++;
    this.report('adds', this.adds);
    this.report('depth', this.depth);
    if (!this.addTimes.has(item)) this.addTimes.set(item, this.clock.now());
  }

  /** Queue latency `get` would observe for `item` now, or undefined when none was recorded. */
  latencyOf(item: T): number | undefined {
    const start = this.addTimes.get(item);
    return start === undefined ? undefined : this.clock.since(start);
  }

  // Upstream: defaultQueueMetrics.get
  get(item: T): void {
    this.depth--;
    this.report('depth', this.depth);
    this.processingStartTimes.set(item, this.clock.now());
    const start = this.addTimes.get(item);
    if (start !== undefined) {
      this.report('queue_duration', this.clock.since(start));
      this.addTimes.delete(item);
    }
  }

  /** Work duration `done` would observe for `item` now, or undefined when it was not handed out. */
  workDurationOf(item: T): number | undefined {
    const start = this.processingStartTimes.get(item);
    return start === undefined ? undefined : this.clock.since(start);
  }

  // Upstream: defaultQueueMetrics.done
  done(item: T): void {
    const start = this.processingStartTimes.get(item);
    if (start !== undefined) {
      this.report('work_duration', this.clock.since(start));
      this.processingStartTimes.delete(item);
    }
  }

  // Upstream: defaultQueueMetrics.updateUnfinishedWork
  updateUnfinishedWork(): void {
    let total = 0;
    let oldest = 0;
    for (const start of this.processingStartTimes.values()) {
      const age = this.clock.since(start);
      total += age;
      if (age > oldest) oldest = age;
    }
    this.report('unfinished_work', total);
    this.report('longest_running_processor', oldest);
  }
}

// Upstream: client-go util/workqueue/metrics.go (defaultRetryMetrics)
export class RetryMetrics {
  /** Counter: calls to addAfter while not shutting down (upstream counts retries there). */
  retries = 0;

  constructor(private readonly report: MetricSink) {}

  // Upstream: defaultRetryMetrics.retry
  retry(): void {
    this.retries++;
    this.report('retries', this.retries);
  }
}
