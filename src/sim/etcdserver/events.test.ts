/**
 * The etcdserver and disk events of one scenario, as lines of text (golden file): a write through
 * a follower, a linearizable read, a leader crash mid-fsync, a new leader's lessor taking over and
 * revoking an expired lease through raft.
 */
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { runUntilSettled } from '../core/drive';
import { formatMs } from '../core/format';
import { TraceRecorder } from '../core/trace';
import { eventText } from '../catalogs';
import { diskEvents } from '../raftcluster/events';
import { newEtcdCluster } from './cluster';
import { etcdServerEvents } from './events';

async function scenario(rec: TraceRecorder): Promise<void> {
  const env = newEnv({ seed: 21, trace: rec });
  const c = newEtcdCluster({ size: 3, env, fsyncMs: { min: 2, max: 20 } });
  c.raft.runUntil(() => c.leader() !== undefined);
  const drive = <T>(p: Promise<T>) => runUntilSettled(env.clock, p, { forMs: 20_000 });
  const lead = c.leader()!;
  const follower = c.members().find((id) => id !== lead)!;
  const cli = c.client({ endpoint: follower });
  const l = await drive(cli.leaseGrant(2));
  await drive(cli.put('/a', '1', { lease: l.id }));
  await drive(cli.get('/a'));
  const p = c.client({ endpoint: lead }).put('/b', '2').catch(() => {});
  c.raft.run(3);
  c.raft.crash(lead);
  await drive(p);
  await runUntilSettled(env.clock, env.clock.sleep(6000), { forMs: 7000 });
}

describe('etcdserver events', () => {
  it('every etcdserver event type and the disk write, fsync and crash events occur (snapshots: raftcluster tests)', async () => {
    const rec = new TraceRecorder();
    await scenario(rec);
    const seen = new Set(rec.events.map((e) => e.type));
    expect([...etcdServerEvents.types, ...diskEvents.types].filter((t) => !seen.has(t) && !['disk.load', 'disk.compact', 'disk.snapshot'].includes(t))).toEqual([]);
  });

  it('the scenario renders to the golden trace', async () => {
    const rec = new TraceRecorder();
    await scenario(rec);
    const lines = rec.events
      .filter((e) => e.component === 'etcdserver' || (e.component === 'disk' && e.type !== 'disk.save' && e.type !== 'disk.fsync') || e.type === 'etcd.leaseRevoke')
      .map((e) => `${formatMs(e.t).padStart(8)}  ${e.type.padEnd(24)} ${eventText(e)}`);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('testdata/scenario.trace.txt');
  });
});
