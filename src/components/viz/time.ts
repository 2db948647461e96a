import { formatDuration } from '../../sim/core/format';

/** A point in virtual time for people: `t=120ms`, `t=1.03 s` (exact to the ms below a second). */
export function formatTime(ms: number): string {
  return Math.abs(ms) < 1000 ? `t=${Math.round(ms * 10) / 10}ms` : `t=${formatDuration(ms)}`;
}
