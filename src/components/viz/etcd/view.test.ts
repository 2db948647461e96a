// The etcd keyspace view: keys as a tree with their four numbers, the revision and compaction,
// the written and deleted key of the event under the cursor, leases and watches.
import { describe, expect, it } from 'vitest';
import { FakeClock, Replayer, TraceRecorder, newEtcd, replayEtcd, replayOnce, runUntilIdle } from '../../../sim/index';
import { etcdViewReducer, keyspaceHtml } from './view';

const text = (html: string) =>
  html
    .replace(/<span class="sr-only">[^<]*<\/span>/g, '')
    .replace(/<\/tr>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();

async function drive() {
  const trace = new TraceRecorder();
  const clock = new FakeClock();
  const etcd = newEtcd({ clock, trace });
  await etcd.put('/registry/pods/default/a', 'a1'); // 2
  await etcd.put('/registry/pods/default/b', 'b1'); // 3
  await etcd.put('/registry/pods/kube-system/dns', 'd1'); // 4
  const lease = await etcd.leaseGrant(10);
  await etcd.put('/registry/leases/node-1', 'hb', { lease: lease.id }); // 5
  const cancel = etcd.watch('/registry/pods/', { prefix: true }, () => {});
  await etcd.put('/registry/pods/default/a', 'a2'); // 6
  await etcd.delete('/registry/pods/default/b'); // 7
  await etcd.compact(6);
  clock.step(11_000);
  await runUntilIdle(clock, { forMs: 10 });
  cancel();
  return { events: trace.events, lease: lease.id };
}

describe('etcd keyspace view', () => {
  it('draws the keys under their shared directory as a tree with create, mod, version and lease', async () => {
    const { events, lease } = await drive();
    const put = events.findIndex((e) => e.type === 'etcd.put' && e.key === '/registry/leases/node-1');
    const html = keyspaceHtml(replayOnce(etcdViewReducer, events, put + 1), events[put]);
    expect(text(html)).toContain(
      [
        '/registry/ 4 keys',
        'leases/ 1 key',
        `node-1 hb 5 5 1 ${lease.toString(16)}`,
        'pods/ 3 keys',
        'default/ 2 keys',
        'a a1 2 2 1 –',
        'b b1 3 3 1 –',
        'kube-system/ 1 key',
        'dns d1 4 4 1 –',
      ].join('\n'),
    );
    expect(html).toMatch(/<tr class="kl-ek-key is-current">[^]*?node-1/);
    expect(text(html)).toMatch(/revision 5 never compacted 4 keys 1 lease/);
  });

  it('shows a deleted key struck through where it was, and a compaction', async () => {
    const { events } = await drive();
    const del = events.findIndex((e) => e.type === 'etcd.delete' && e.key === '/registry/pods/default/b');
    const afterDelete = text(keyspaceHtml(replayOnce(etcdViewReducer, events, del + 1), events[del]));
    expect(afterDelete).toMatch(/a a2 2 6 2 –\nb deleted at revision 7/);
    const compact = events.findIndex((e) => e.type === 'etcd.compact');
    const html = keyspaceHtml(replayOnce(etcdViewReducer, events, compact + 1), events[compact]);
    expect(text(html)).toMatch(/revision 7 compacted at 6/);
    expect(text(html)).toMatch(/compaction at 6: \d+ old revisions? removed/);
    expect(html).toContain('aria-label="Revisions 1 to 7, compacted up to 6"');
  });

  it('filters by prefix, lists leases and watches, and agrees with replayEtcd', async () => {
    const { events } = await drive();
    const s = new Replayer(etcdViewReducer, events, { interval: 2 }).at(events.length);
    const html = keyspaceHtml(s, undefined, { prefix: '/registry/pods/default/' });
    expect(text(html)).toMatch(/^member default/);
    expect(text(html)).not.toContain('dns');
    expect(text(html)).toContain('/registry/pods/default/ 1 key');
    expect(text(html)).toMatch(/watch \d+ on prefix \/registry\/pods\/ from now · 2 events \(last @7\) canceled/);
    const keys = replayEtcd(events).kvs.map((kv) => kv.key);
    expect([...s.etcd.members.get('default')!.kvs.keys()].sort()).toEqual(keys);
    expect(text(keyspaceHtml(s, undefined, { prefix: '/nothing/' }))).toContain('no key starts with /nothing/');
  });

  it('keys with no directory in common sit at the top, whole', async () => {
    const trace = new TraceRecorder();
    const etcd = newEtcd({ clock: new FakeClock(), trace });
    await etcd.put('/registry/pods/default/a', 'x');
    await etcd.put('compact_rev_key', '7');
    const html = keyspaceHtml(replayOnce(etcdViewReducer, trace.events), undefined);
    expect(text(html)).toContain(['/ 1 key', 'registry/ 1 key', 'pods/ 1 key', 'default/ 1 key', 'a x 2 2 1 –', 'compact_rev_key 7 3 3 1 –'].join('\n'));
  });
});
