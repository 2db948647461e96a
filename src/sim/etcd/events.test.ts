// The event catalog: every type has a text and an upstream source at v3.6.0, a scenario emits
// every one of them, and its trace renders to the golden file testdata/scenario.trace.txt
// (refresh with `npx vitest run src/sim/etcd -u` and review the diff).
import { describe, expect, it } from 'vitest';
import { eventSource, eventText } from '../catalogs';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { formatMs } from '../core/format';
import { TraceRecorder } from '../core/trace';
import { newEtcd } from './etcd';
import { etcdEvents, ETCD_TAG } from './events';

async function scenario(trace: TraceRecorder): Promise<void> {
  const clock = new FakeClock();
  const etcd = newEtcd({ clock, trace, watchProgressNotifyIntervalMs: 1000 });
  await etcd.put('/registry/pods/default/web', '{"kind":"Pod"}');
  await etcd.put('/registry/pods/default/web', '{"kind":"Pod","spec":{}}');
  const cancel = etcd.watch('/registry/pods/', { prefix: true, startRevision: 2, prevKv: true, progressNotify: true }, () => {});
  await runUntilIdle(clock, { forMs: 100 });
  await etcd.get('/registry/pods/', { prefix: true, limit: 1 });
  await etcd.txn({
    compare: [{ key: '/registry/pods/default/web', target: 'MOD', result: '=', value: 3 }],
    success: [{ put: { key: '/registry/pods/default/web', value: 'x'.repeat(100) } }, { delete: { key: '/registry/pods/default/old' } }],
  });
  const { id } = await etcd.leaseGrant(2);
  await etcd.put('/registry/events/default/e1', 'event', { lease: id });
  await etcd.leaseKeepAlive(id);
  await etcd.get('/registry/pods/default/web', { revision: 99 }).catch(() => {});
  await runUntilIdle(clock, { forMs: 3000 });
  await etcd.compact(4);
  etcd.watch('/registry/pods/default/web', { startRevision: 2 }, () => {});
  etcd.watch('b', { rangeEnd: 'a' }, () => {});
  await runUntilIdle(clock, { forMs: 100 });
  const l2 = await etcd.leaseGrant(30);
  await etcd.put('/registry/leases/l', 'l', { lease: l2.id });
  await etcd.leaseRevoke(l2.id);
  cancel();
  etcd.watch('x', {}, () => {
    throw new Error('boom');
  });
  await etcd.put('x', '1');
  await settle();
}

describe('etcd events (catalog)', () => {
  it('every event type has a line of text and a link to etcd at the pinned tag', async () => {
    const trace = new TraceRecorder();
    await scenario(trace);
    const seen = new Set(trace.events.map((e) => e.type));
    expect([...etcdEvents.types].filter((t) => !seen.has(t))).toEqual([]);
    for (const e of trace.events) {
      expect(typeof eventText(e), e.type).toBe('string');
      if (e.type === 'etcd.log') continue;
      const src = eventSource(e);
      expect(src?.href, e.type).toMatch(new RegExp(`^https://github.com/etcd-io/etcd/blob/${ETCD_TAG}/(server|api)/`));
    }
  });

  it('the scenario renders to the golden trace', async () => {
    const trace = new TraceRecorder();
    await scenario(trace);
    const text = trace.events.map((e) => `${formatMs(e.t).padStart(8)}  ${e.type.padEnd(19)} ${eventText(e)}`).join('\n');
    await expect(`${text}\n`).toMatchFileSnapshot('testdata/scenario.trace.txt');
  });
});
