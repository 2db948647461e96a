import { eventText, formatDuration, formatMs, type TraceEvent } from '../../sim/index';

export { formatDuration, formatMs };

const HIDDEN = new Set(['t', 'seq', 'component', 'type']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export { formatTime } from './time';

/** The field naming the instance an event belongs to, per component. */
const INSTANCE_FIELD: Record<string, string> = {
  deltaFIFO: 'fifo',
  realFIFO: 'fifo',
  informer: 'informer',
  reflector: 'reflector',
  source: 'source',
  etcd: 'member',
  apiserver: 'server',
  client: 'client',
};

/**
 * Who an event happened to: a workqueue's name alone (as the workqueue's own format prints it),
 * else the component and its instance (`reflector pods`, `realFIFO pods-fifo`), since an
 * informer, its reflector and its source often share one name.
 */
function scopeOf(e: TraceEvent): string {
  if (e.component === 'workqueue' && typeof e.queue === 'string') return e.queue;
  const field = INSTANCE_FIELD[e.component];
  const name = field ? e[field] : undefined;
  return typeof name === 'string' && name !== e.component ? `${e.component} ${name}` : e.component;
}

/**
 * One trace event as short text: in its model's words where the model declares the event
 * (`t=120ms workqueue add a -> queued (len 1)`), else every field
 * (`t=120ms x.y a=1 b="two words"`).
 */
export function formatEvent(e: TraceEvent): string {
  const text = eventText(e);
  if (text !== undefined) {
    return `t=${formatMs(e.t)} ${scopeOf(e)}  ${text}`;
  }
  const fields = Object.entries(e)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  return [`t=${formatMs(e.t)}`, e.type, ...fields].join(' ');
}
