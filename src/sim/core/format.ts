/**
 * The one formatter of virtual durations and times, shared by every model's event text, the
 * terminal, the views and the widgets: milliseconds with at most six decimals (Go's nanosecond
 * resolution) and the unit, e.g. `1500ms`, `0.25ms`, `81920ms`.
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return `${Math.round(ms * 1e6) / 1e6}ms`;
}

/**
 * A duration for people rather than golden files: `5 ms`, `0.25 ms`, `1.28 s`, `1000 s` (seconds
 * from one second up, two decimals at most). Widgets and lesson text use it.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) >= 1000) return `${Math.round(ms / 10) / 100} s`;
  return `${Math.round(ms * 1000) / 1000} ms`;
}
