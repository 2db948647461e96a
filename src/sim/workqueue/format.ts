/**
 * One line of text per workqueue trace event: what the terminal prints and what golden files
 * hold, e.g. `t=15ms     queue  add pod-a -> queued (len 1)`.
 */
import type { TraceEvent } from '../core/trace';

/** A number of milliseconds as short text: integers as is, fractions to at most 6 decimals. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return String(Math.round(ms * 1e6) / 1e6);
}

/** The event as one line: time, queue name, then what happened. */
export function formatWorkqueueEvent(e: TraceEvent): string {
  return `${`t=${formatMs(e.t)}ms`.padEnd(10)} ${String(e.queue)}  ${describeEvent(e)}`;
}

/** Every workqueue event of a trace, one per line. */
export function formatWorkqueueTrace(events: readonly TraceEvent[]): string {
  return events
    .filter((e) => e.component === 'workqueue')
    .map(formatWorkqueueEvent)
    .join('\n');
}

function describeEvent(e: TraceEvent): string {
  const item = String(e.item);
  switch (e.type) {
    case 'workqueue.new':
      return `new ${String(e.kind)}`;
    case 'workqueue.add':
      return `add ${item} -> ${String(e.result)} (len ${String(e.len)})`;
    case 'workqueue.get':
      return `get ${item} (waited ${formatMs(Number(e.waitedMs))}ms, len ${String(e.len)})`;
    case 'workqueue.done': {
      const outcome = e.requeued ? 'requeued' : 'finished';
      const note = e.wasProcessing === false ? ', was not processing' : '';
      return `done ${item} (worked ${formatMs(Number(e.workMs))}ms${note}) -> ${outcome} (len ${String(e.len)})`;
    }
    case 'workqueue.addAfter':
      return `addAfter ${item} ${formatMs(Number(e.delayMs))}ms -> ${String(e.result)} (ready at ${formatMs(Number(e.readyAtMs))}ms)`;
    case 'workqueue.ready':
      return `ready ${item}`;
    case 'workqueue.addRateLimited':
      return `addRateLimited ${item} -> ${formatMs(Number(e.delayMs))}ms (requeues ${String(e.requeues)})`;
    case 'workqueue.forget':
      return `forget ${item}`;
    case 'workqueue.shutDown':
      return e.drain ? 'shutDownWithDrain' : 'shutDown';
    case 'workqueue.drained':
      return 'drained';
    case 'workqueue.waiters':
      return `waiters ${String(e.count)}`;
    case 'workqueue.metric': {
      const duration = e.name === 'queue_duration' || e.name === 'work_duration' || e.name === 'unfinished_work' || e.name === 'longest_running_processor';
      return `metric ${String(e.name)} = ${formatMs(Number(e.value))}${duration ? 'ms' : ''}`;
    }
    default:
      return e.type.replace(/^workqueue\./, '');
  }
}
