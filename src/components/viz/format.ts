import { eventText, formatMs, type TraceEvent } from '../../sim/index';

export { formatMs };

const HIDDEN = new Set(['t', 'seq', 'component', 'type']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/**
 * One trace event as short text: in its model's words where the model declares the event
 * (`t=120ms workqueue add a -> queued (len 1)`), else every field
 * (`t=120ms x.y a=1 b="two words"`).
 */
export function formatEvent(e: TraceEvent): string {
  const text = eventText(e);
  if (text !== undefined) {
    const scope = typeof e.queue === 'string' ? e.queue : e.component;
    return `t=${formatMs(e.t)} ${scope}  ${text}`;
  }
  const fields = Object.entries(e)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  return [`t=${formatMs(e.t)}`, e.type, ...fields].join(' ');
}
