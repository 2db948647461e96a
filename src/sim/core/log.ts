/**
 * Log lines of the models. Where upstream logs through klog, a model emits a trace event of type
 * `<component>.log` with the same wording; the lab runtime prints it to the terminal the way klog
 * writes to stderr, stamped with virtual time. Which lines print is decided by the `Logger` of the
 * model's environment (klog's `-v`), not by a global.
 */
import type { TraceEvent } from './trace';

/** klog's severities, by the letter that starts each line. */
export type LogLevel = 'info' | 'warning' | 'error';

const LETTER: Record<LogLevel, string> = { info: 'I', warning: 'W', error: 'E' };

/**
 * The `-v` of every model, as klog's flag: a log event with a `v` field above it is recorded in
 * the trace but not printed. 2 is what most clusters run their components with.
 */
export const DEFAULT_LOG_VERBOSITY = 2;

/** Which log lines print, as klog's `-v=N` decides (one per environment). */
export class Logger {
  #v: number;

  constructor(verbosity = DEFAULT_LOG_VERBOSITY) {
    this.#v = checkVerbosity('Logger', verbosity);
  }

  /** The verbosity in force. */
  get verbosity(): number {
    return this.#v;
  }

  /** Sets `-v=N`. */
  setVerbosity(v: number): void {
    this.#v = checkVerbosity('setVerbosity', v);
  }

  /** Whether klog would print `e` (events without `v` are V(0)). */
  visible(e: TraceEvent): boolean {
    return typeof e.v !== 'number' || e.v <= this.#v;
  }
}

function checkVerbosity(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new RangeError(`${what}: v must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

/** Whether `e` is a model's log line (`<component>.log` with a `message`). */
export function isLogEvent(e: TraceEvent): boolean {
  return e.type.endsWith('.log') && typeof e.message === 'string';
}

/**
 * One log event as klog prints it: `I0101 00:00:00.005000 delta_fifo.go] message`, with the
 * virtual clock as the time since 1970-01-01 (klog's header also has a thread id and line
 * number, which a model does not have). Upstream: k8s.io/klog/v2 klog.go (formatHeader)
 */
export function formatLogLine(e: TraceEvent): string {
  const level = (typeof e.level === 'string' && e.level in LETTER ? e.level : 'info') as LogLevel;
  const t = Math.max(0, e.t);
  const d = new Date(Math.floor(t)); // allow-nondeterminism: formats the given virtual time, reads no clock
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = String(Math.floor((t % 1000) * 1000)).padStart(6, '0');
  const stamp = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros}`;
  const source = typeof e.source === 'string' ? e.source : e.component;
  return `${LETTER[level]}${stamp} ${source}] ${String(e.message)}`;
}
