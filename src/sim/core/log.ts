/**
 * Log lines of the models. Where upstream logs through klog, a model emits a trace event of type
 * `<component>.log` with the same wording; the lab runtime prints it to the terminal the way klog
 * writes to stderr, stamped with virtual time.
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
let verbosity = DEFAULT_LOG_VERBOSITY;

/** Sets the verbosity that `logVisible` compares against (Go: `-v=N`, `klog.V(N)`). */
export function setLogVerbosity(v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`setLogVerbosity: v must be a non-negative integer, got ${v}`);
  verbosity = v;
}

/** The verbosity in force. */
export function logVerbosity(): number {
  return verbosity;
}

/** Whether klog would print `e` at the current verbosity (events without `v` are V(0)). */
export function logVisible(e: TraceEvent): boolean {
  return typeof e.v !== 'number' || e.v <= verbosity;
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
