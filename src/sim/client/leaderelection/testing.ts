/**
 * TEST FIXTURES for leader election: a transport that can cut one candidate off the API server,
 * and a clock that runs off the shared one (offset, or faster), to show what the election
 * tolerates and what it does not.
 */
import type { FakeClock } from '../../core/clock';
import type { RestRequest, RestResponse, RestTransport } from '../transport';
import { defaultHost } from '../rest_client';
import type { ElectionClock } from './context';

/**
 * How a cut-off candidate's requests fare: `up` they reach the server; `refuse` they fail at once
 * (connection refused); `blackhole` they never arrive and never answer; `lose-response` they reach
 * the server and are applied, but the answer never comes back.
 */
export type PartitionMode = 'up' | 'refuse' | 'blackhole' | 'lose-response';

export interface PartitionableTransport extends RestTransport {
  mode: PartitionMode;
}

const never = <T>() => new Promise<T>(() => {});

export function newPartitionableTransport(inner: RestTransport): PartitionableTransport {
  const t: PartitionableTransport = {
    mode: 'up',
    async request(req: RestRequest): Promise<RestResponse> {
      const mode = t.mode;
      if (mode === 'refuse') throw new Error(`${req.verb[0]}${req.verb.slice(1).toLowerCase()} "${defaultHost}${req.path}": dial tcp 10.0.0.1:6443: connect: connection refused`);
      if (mode === 'blackhole') return never();
      const res = await inner.request(req);
      if (mode === 'lose-response' || t.mode !== 'up') return never();
      return res;
    },
    watch: (req) => inner.watch(req),
  };
  return t;
}

/**
 * A candidate's own clock over the shared one: `offsetMs` ahead (any offset is tolerated) and
 * running `rate` times as fast (not tolerated beyond leaseDuration / renewDeadline).
 */
export function newSkewedClock(base: FakeClock, o: { offsetMs?: number; rate?: number } = {}): ElectionClock & { base: FakeClock } {
  const start = base.now();
  const rate = o.rate ?? 1;
  const offset = o.offsetMs ?? 0;
  return {
    base,
    now: () => start + offset + (base.now() - start) * rate,
    afterFunc: (ms, fn) => base.afterFunc(ms / rate, fn),
  };
}
