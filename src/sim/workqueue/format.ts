/**
 * One line of text per workqueue trace event: what the terminal prints and what golden files
 * hold, e.g. `t=15ms     queue  add pod-a -> queued (len 1)`. The words come from the event
 * catalog (events.ts); this file only lays them out.
 */
import { formatMs } from '../core/format';
import type { TraceEvent } from '../core/trace';
import { workqueueEvents } from './events';

/** The event as one line: time, queue name, then what happened. */
export function formatWorkqueueEvent(e: TraceEvent): string {
  const what = workqueueEvents.text(e) ?? e.type.replace(/^workqueue\./, '');
  return `${`t=${formatMs(e.t)}`.padEnd(10)} ${String(e.queue)}  ${what}`;
}

/** Every workqueue event of a trace, one per line. */
export function formatWorkqueueTrace(events: readonly TraceEvent[]): string {
  return events
    .filter((e) => e.component === 'workqueue')
    .map(formatWorkqueueEvent)
    .join('\n');
}
