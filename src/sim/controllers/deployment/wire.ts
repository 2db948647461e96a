// Condition times: the API carries metav1.Time (RFC 3339, whole seconds); the helpers here compare
// them as ms on the injected clock. These convert at the boundary (after a read, before a write).
import { deepCopy } from '../../core/object';
import { parseRfc3339, rfc3339 } from '../../apiserver/registry/strategy';

type WithConditions = { status?: { conditions?: Array<{ lastUpdateTime?: unknown; lastTransitionTime?: unknown }> } };

function mapTimes<T extends WithConditions>(obj: T, f: (v: unknown) => unknown): T {
  const out = deepCopy(obj);
  for (const c of out.status?.conditions ?? []) {
    if (c.lastUpdateTime !== undefined && c.lastUpdateTime !== null) c.lastUpdateTime = f(c.lastUpdateTime);
    else delete c.lastUpdateTime;
    if (c.lastTransitionTime !== undefined && c.lastTransitionTime !== null) c.lastTransitionTime = f(c.lastTransitionTime);
    else delete c.lastTransitionTime;
  }
  return out;
}

/** A copy of an object read from the API (or a cache) with condition times as ms. */
export function fromWire<T extends WithConditions>(obj: T): T {
  return mapTimes(obj, (v) => (typeof v === 'string' ? parseRfc3339(v) : v));
}

/** A copy to send to the API: condition times as RFC 3339 (metav1.Time drops the milliseconds). */
export function toWire<T extends WithConditions>(obj: T): T {
  return mapTimes(obj, (v) => (typeof v === 'number' ? rfc3339(v) : v));
}
