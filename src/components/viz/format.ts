import type { TraceEvent } from '../../sim/index';

const HIDDEN = new Set(['t', 'seq', 'component', 'type']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One trace event as short text: `t=120ms workqueue.add queue=q item=a result=queued`. */
export function formatEvent(e: TraceEvent): string {
  const fields = Object.entries(e)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  return [`t=${formatMs(e.t)}`, e.type, ...fields].join(' ');
}

/** Virtual milliseconds as text, e.g. `1500ms`, `0.25ms`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return `${+ms.toFixed(3)}ms`;
}
