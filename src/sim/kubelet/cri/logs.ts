/**
 * Container logs in the CRI log format containerd writes (one file per container attempt):
 * `<RFC3339Nano timestamp> <stdout|stderr> <F|P> <line>`, and the time formats programs print,
 * all read off the repo's RFC 3339 helper (controllers/util `formatRFC3339Nano`).
 */
import { formatRFC3339Nano } from '../../controllers/util/trigger_time_tracker';

export type LogStream = 'stdout' | 'stderr';

/** Go's time.RFC3339Nano in UTC: fraction digits with trailing zeros trimmed (`...:00.5Z`, `...:00Z`). */
export const formatRfc3339Nano = formatRFC3339Nano;

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
const DAY_MS = 86_400_000;

/** The UTC calendar fields of a virtual time, cut out of its RFC 3339 form; 1970-01-01 was a Thursday. */
function utc(ms: number) {
  const [date, time] = formatRFC3339Nano(ms - (((ms % 1000) + 1000) % 1000)).slice(0, -1).split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hh, mm, ss] = time.split(':');
  return { year, month: MONTHS[month - 1], monthNum: pad(month), day, hms: `${hh}:${mm}:${ss}`, ms: ((ms % 1000) + 1000) % 1000, weekday: DAYS[(((Math.floor(ms / DAY_MS) + 4) % 7) + 7) % 7] };
}

/** busybox `date`: `Sat Dec  5 07:45:00 UTC 2026`. */
export function formatBusyboxDate(ms: number): string {
  const d = utc(ms);
  return `${d.weekday} ${d.month} ${String(d.day).padStart(2, ' ')} ${d.hms} UTC ${d.year}`;
}

/** nginx error log time: `2026/12/05 07:45:00`. */
export function formatNginxErrorTime(ms: number): string {
  const d = utc(ms);
  return `${d.year}/${d.monthNum}/${pad(d.day)} ${d.hms}`;
}

/** nginx access log time: `05/Dec/2026:07:45:00 +0000`. */
export function formatNginxAccessTime(ms: number): string {
  const d = utc(ms);
  return `${pad(d.day)}/${d.month}/${d.year}:${d.hms} +0000`;
}

/** Apache error log time: `Sat Dec 05 07:45:00.123000 2026`. */
export function formatApacheTime(ms: number): string {
  const d = utc(ms);
  return `${d.weekday} ${d.month} ${pad(d.day)} ${d.hms}.${pad(d.ms, 3)}000 ${d.year}`;
}

/** Go's `time.Time.String()` without the monotonic reading: `2026-12-05 07:45:00.12 +0000 UTC` (fraction trimmed). */
export function formatGoTime(ms: number): string {
  return formatRFC3339Nano(ms).replace('T', ' ').replace(/Z$/, ' +0000 UTC');
}
