/**
 * The one formatter of virtual durations and times, shared by every model's event text, the
 * terminal, the views and the widgets: milliseconds with at most six decimals (Go's nanosecond
 * resolution) and the unit, e.g. `1500ms`, `0.25ms`, `81920ms`.
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return `${Math.round(ms * 1e6) / 1e6}ms`;
}
