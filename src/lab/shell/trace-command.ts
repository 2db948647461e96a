/**
 * `trace`: the last run's trace events as text, filtered, for reading what the model did line by
 * line (the visualization shows the same events as state). DOM-free; the workbench passes the
 * trace and a formatter in.
 */
import { eventTypesOf, type TraceEvent } from '../../sim/index';
import { ShellUsageError, type Shell } from './registry';

export interface TraceSource {
  /** The last run's events (empty before the first run). */
  events(): readonly TraceEvent[];
  /** One line for an event (the model's own formatter where it has one). */
  format(event: TraceEvent): string;
  /** Moves the visualization's timeline to just after event #n (1-based); omitted: no `goto`. */
  show?(n: number): void;
}

const USAGE = `trace [--type T] [--item I] [--queue Q] [--metrics] [-n N]
  --type T     only events whose type is T or ends in .T (add, get, addRateLimited, ...)
  --item I     only events about item I
  --queue Q    only events of the queue (or component) named Q
  --metrics    include metric events (hidden by default: there is one per add, get and done)
  -n N         only the last N matching events`;

const FLAGS = ['--type', '--item', '--queue', '--metrics', '-n'];

interface Filter {
  type?: string;
  item?: string;
  queue?: string;
  metrics: boolean;
  last?: number;
}

function parseArgs(args: string[]): Filter {
  const f: Filter = { metrics: false };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--metrics') {
      f.metrics = true;
      continue;
    }
    if (!FLAGS.includes(flag)) throw new ShellUsageError(`unknown option: ${flag}`);
    const value = args[++i];
    if (value === undefined) throw new ShellUsageError(`${flag} needs a value`);
    if (flag === '-n') {
      if (!/^\d+$/.test(value) || Number(value) === 0) throw new ShellUsageError(`-n needs a positive integer, not ${value}`);
      f.last = Number(value);
    } else if (flag === '--type') f.type = value;
    else if (flag === '--item') f.item = value;
    else f.queue = value;
  }
  if (f.type && /(^|\.)metric$/.test(f.type)) f.metrics = true;
  return f;
}

const shortType = (type: string) => type.slice(type.lastIndexOf('.') + 1);
const scopeOf = (e: TraceEvent) => String(e.queue ?? e.component);

function matches(e: TraceEvent, f: Filter): boolean {
  if (!f.metrics && shortType(e.type) === 'metric') return false;
  if (f.type && e.type !== f.type && shortType(e.type) !== f.type) return false;
  if (f.item !== undefined && e.item !== f.item) return false;
  if (f.queue !== undefined && scopeOf(e) !== f.queue) return false;
  return true;
}

/** Registers `trace`, and `goto` when the source can move a timeline. */
export function registerTraceCommand(shell: Shell, source: TraceSource): Shell {
  const show = source.show;
  if (show) {
    shell.register('goto', {
      summary: 'move the timeline to event #N of the last run (the view shows the state after it)',
      usage: 'goto N   (N: an event number that trace prints, or 0 for before the first event)',
      run(args, { io }) {
        if (args.length !== 1 || !/^\d+$/.test(args[0])) throw new ShellUsageError('needs one event number');
        const events = source.events();
        const n = Number(args[0]);
        if (events.length === 0) {
          io.print('no trace yet: run your code first (run, or Ctrl+Enter)');
          return 1;
        }
        if (n > events.length) throw new ShellUsageError(`the last run has ${events.length} events; #${n} is past its end`);
        show(n);
        io.print(n === 0 ? 'timeline at the start, before the first event' : `timeline at #${n}: ${source.format(events[n - 1])}`);
        return 0;
      },
    });
  }
  return shell.register('trace', {
    summary: "print the last run's trace events (filter with --type, --item, --queue; -n N)",
    usage: USAGE,
    run(args, { io }) {
      const f = parseArgs(args);
      const all = source.events();
      if (all.length === 0) {
        io.print('no trace yet: run your code first (run, or Ctrl+Enter)');
        return 0;
      }
      const picked: Array<[number, TraceEvent]> = [];
      all.forEach((e, i) => {
        if (matches(e, f)) picked.push([i, e]);
      });
      const shown = f.last ? picked.slice(-f.last) : picked;
      if (shown.length === 0) {
        io.print(`no events match (the run has ${all.length} events)`);
        return 1;
      }
      const width = String(all.length).length;
      io.print(shown.map(([i, e]) => `${`#${i + 1}`.padEnd(width + 1)} ${source.format(e)}`).join('\n'));
      const hidden = picked.length - shown.length;
      io.print(`${shown.length} of ${all.length} events${hidden ? ` (${hidden} earlier matches not shown)` : ''}; #N is the event's place on the timeline.`);
      return 0;
    },
    complete(args, partial) {
      const prev = args[args.length - 1];
      const events = source.events();
      const distinct = (pick: (e: TraceEvent) => unknown) => [...new Set(events.map(pick).filter((v): v is string => typeof v === 'string'))];
      if (prev === '--type') {
        // The types this run emitted, then the other types its models declare.
        const components = distinct((e) => e.component);
        return [...new Set([...distinct((e) => shortType(e.type)), ...components.flatMap((c) => eventTypesOf(c).map(shortType))])];
      }
      if (prev === '--item') return distinct((e) => e.item);
      if (prev === '--queue') return distinct(scopeOf);
      if (prev === '-n') return [];
      return partial.startsWith('-') || partial === '' ? FLAGS.filter((fl) => !args.includes(fl)) : [];
    },
  });
}
