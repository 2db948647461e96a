/**
 * Container logs in the CRI log format containerd writes (one file per container attempt):
 * `<RFC3339Nano timestamp> <stdout|stderr> <F|P> <line>`, and the time formats programs print.
 */

export type LogStream = 'stdout' | 'stderr';

/** Go's time.RFC3339Nano in UTC: fraction digits with trailing zeros trimmed (`...:00.5Z`, `...:00Z`). */
export function formatRfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-12-05T07:45:00.120Z
  const [base, frac] = iso.slice(0, -1).split('.');
  const trimmed = (frac ?? '').replace(/0+$/, '');
  return trimmed ? `${base}.${trimmed}Z` : `${base}Z`;
}

/** One CRI log line. Lines are whole (`F`); the 16 KiB split into `P` pieces is not modelled. */
// Upstream: containerd internal/cri/io/logger.go (redirectLogs), cri-api pkg/apis/runtime/v1 (LogTag)
export function criLogLine(ms: number, stream: LogStream, line: string): string {
  return `${formatRfc3339Nano(ms)} ${stream} F ${line}`;
}

/** Parses a CRI log line back (what `crictl logs` and `kubectl logs` print is `line`). */
export function parseCriLogLine(text: string): { time: string; stream: LogStream; tag: string; line: string } | undefined {
  const m = /^(\S+) (stdout|stderr) (F|P) (.*)$/s.exec(text);
  return m ? { time: m[1], stream: m[2] as LogStream, tag: m[3], line: m[4] } : undefined;
}

/**
 * Splits a stream of writes into lines: whole lines go out at once, a trailing piece waits for its
 * newline (or for `flush` when the process exits).
 */
export class LineWriter {
  #pending = '';
  constructor(readonly emit: (line: string) => void) {}
  write(text: string): void {
    const parts = (this.#pending + text).split('\n');
    this.#pending = parts.pop() ?? '';
    for (const line of parts) this.emit(line);
  }
  flush(): void {
    if (this.#pending) this.emit(this.#pending);
    this.#pending = '';
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** busybox `date`: `Sat Dec  5 07:45:00 UTC 2026`. */
export function formatBusyboxDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** nginx error log time: `2026/12/05 07:45:00`. */
export function formatNginxErrorTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** nginx access log time: `05/Dec/2026:07:45:00 +0000`. */
export function formatNginxAccessTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Apache error log time: `Sat Dec 05 07:45:00.123000 2026`. */
export function formatApacheTime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000 ${d.getUTCFullYear()}`;
}
