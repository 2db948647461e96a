/**
 * Go's duration and time formats that kubectl prints: AGE columns, describe's timestamps.
 * Times are milliseconds since the Unix epoch on the lab's virtual clock.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(d / unit): truncation toward zero. */
const div = (ms: number, unit: number) => Math.trunc(ms / unit);

/**
 * ~2-3 significant figures of a duration, as kubectl's AGE column shows it (`5s`, `2m30s`, `3h10m`,
 * `4d5h`, `2y10d`). Within two seconds in the future counts as now (`0s`); further is `<invalid>`.
 */
// Upstream: apimachinery pkg/util/duration/duration.go (HumanDuration)
export function humanDuration(ms: number): string {
  const seconds = div(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = div(ms, MINUTE);
  if (minutes < 10) {
    const s = div(ms, SECOND) % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = div(ms, HOUR);
  if (hours < 8) {
    const m = div(ms, MINUTE) % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${div(hours, 24)}d` : `${div(hours, 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${div(hours, 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = div(hours, 24) % 365;
    return dy === 0 ? `${div(hours, 24 * 365)}y` : `${div(hours, 24 * 365)}y${dy}d`;
  }
  return `${div(hours, 24 * 365)}y`;
}

/**
 * The time since an RFC 3339 timestamp as `humanDuration` prints it; `<unknown>` for a missing or
 * unparsable one (Go's zero time).
 */
// Upstream: kubernetes pkg/printers/internalversion/printers.go (translateTimestampSince)
export function translateTimestampSince(timestamp: unknown, nowMs: number): string {
  const t = parseTime(timestamp);
  if (t === undefined) return '<unknown>';
  return humanDuration(nowMs - t);
}

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined. */
export function parseTime(timestamp: unknown): number | undefined {
  if (typeof timestamp !== 'string' || timestamp === '') return undefined;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? undefined : t;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000` (describe's timestamps). */
export function formatRFC1123Z(timestamp: unknown): string {
  const t = parseTime(timestamp);
  if (t === undefined) return 'Mon, 01 Jan 0001 00:00:00 +0000'; // Go's zero time
  const d = new Date(t);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** RFC 3339 without fractional seconds, as metav1.Time marshals: `2025-01-01T00:00:00Z`. */
export function formatRFC3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** klog's header time: `MMDD hh:mm:ss.uuuuuu` in UTC. */
export function klogTime(ms: number): string {
  const d = new Date(Math.floor(ms));
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}`;
}
