// `gc now` (runtime.GC() in the live process) and `gc step [n]` (one scheduler turn at a time).
import { gogcEvents } from '../../../sim/gogc/index';
import type { TraceEvent } from '../../../sim/core/trace';
import { ShellUsageError, type CommandContext } from '../registry';
import { gctraceLevel } from './env';
import { goprocEvents } from '../../../sim/gogc/goproc_events';
import { heapSnapshot } from './heap';
import type { LiveCycle } from './process';
import { record, type GoSessionTarget } from './target';

/** Steps one `gc step` may take, and event lines one command prints before it only counts them. */
export const MAX_STEPS = 1000;
export const MAX_EVENT_LINES = 200;

export const GC_USAGE = `gc now          runtime.GC(): finish the cycle in progress, then run a whole one
gc step [n]     n scheduler turns of the live process (default 1; the first starts a cycle), then stop`;

export function runGc(target: GoSessionTarget, args: string[], { io }: CommandContext): number {
  const [sub, ...rest] = args;
  if (sub === 'now') {
    if (rest.length) throw new ShellUsageError('gc now takes no arguments');
    const done = target.live.gcNow();
    for (const c of done) finished(target, c, io.error);
    recordHeap(target);
    if (!gctraceOn(target)) {
      const last = done.at(-1);
      if (last) io.print(`gc ${last.record.numgc}: freed ${last.freed} objects; ${target.live.collector.heap.objects.size} left (gctrace is off: 'gctrace on' prints the runtime's line)`);
    }
    target.changed();
    return 0;
  }
  if (sub === 'step') {
    if (rest.length > 1) throw new ShellUsageError('gc step takes at most one count');
    const n = rest.length ? Number(rest[0]) : 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_STEPS) throw new ShellUsageError(`gc step: the count must be a whole number from 1 to ${MAX_STEPS}, got "${rest[0]}"`);
    const from = target.trace.events.length;
    let cycle: LiveCycle | undefined;
    let taken = 0;
    while (taken < n && !cycle) {
      cycle = target.live.step();
      taken++;
    }
    printEvents(target.trace.events.slice(from), io.print);
    recordHeap(target);
    if (cycle) {
      finished(target, cycle, io.error);
      io.print(`(cycle ${cycle.record.numgc} finished after ${taken} of ${n} steps; the next 'gc step' starts a new one)`);
    }
    target.changed();
    return 0;
  }
  throw new ShellUsageError(sub ? `unknown subcommand "${sub}"` : 'needs a subcommand: now or step');
}

/** The live heap as one event (what a heap view draws from). */
export function recordHeap(target: GoSessionTarget): void {
  record(target, target.clock.now(), 'goproc.heap', heapSnapshot(target.live.collector));
}

function gctraceOn(target: GoSessionTarget): boolean {
  return gctraceLevel(target.exported.get('GODEBUG')) > 0;
}

/** A live cycle ended: its event, and its gctrace line on stderr when gctrace is on. */
function finished(target: GoSessionTarget, c: LiveCycle, stderr: (s: string) => void): void {
  const r = c.record;
  record(target, target.clock.now(), 'goproc.livegc', { numgc: r.numgc, heap0: r.heap0, heap1: r.heap1, heap2: r.heap2, goal: r.lastHeapGoal, freed: c.freed, gctrace: c.line });
  if (gctraceOn(target)) stderr(c.line);
}

function printEvents(events: TraceEvent[], print: (s: string) => void): void {
  const lines = events.map((e) => gogcEvents.text(e) ?? goprocEvents.text(e)).filter((t): t is string => t !== undefined);
  for (const line of lines.slice(0, MAX_EVENT_LINES)) print(line);
  if (lines.length > MAX_EVENT_LINES) print(`... and ${lines.length - MAX_EVENT_LINES} more events ('trace' lists them all)`);
}
