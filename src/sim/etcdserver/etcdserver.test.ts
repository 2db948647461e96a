/**
 * The replicated etcd: writes through raft answered by the member the client talks to, reads by
 * ReadIndex or from the local store, etcd's errors and timeouts, leases expired by the leader
 * only, member list and endpoint status, leader moves.
 */
import { describe, expect, it } from 'vitest';
import { newEnv } from '../core/env';
import { runUntilSettled } from '../core/drive';
import { TraceRecorder } from '../core/trace';
import { newEtcdCluster, type EtcdCluster } from './cluster';

async function started(c: EtcdCluster): Promise<number> {
  expect(c.raft.runUntil(() => c.leader() !== undefined && c.member(c.leader()!)!.appliedIndex >= c.raft.node(c.leader()!)!.raft.raftLog.committed)).toBe(true);
  c.raft.run(300);
  return c.leader()!;
}

const settle = <T>(c: EtcdCluster, p: Promise<T>, forMs = 30_000) => runUntilSettled(c.clock, p, { forMs });

describe('etcdserver', () => {
  it.each([
    { cfg: {}, preVote: true, checkQuorum: true },
    { cfg: { preVote: undefined, checkQuorum: undefined }, preVote: true, checkQuorum: true },
    { cfg: { preVote: false }, preVote: false, checkQuorum: true },
    { cfg: { checkQuorum: false }, preVote: true, checkQuorum: false },
  ])('raft runs as etcd v3.6 configures it (bootstrap.go raftConfig, embed NewConfig): $cfg', ({ cfg, preVote, checkQuorum }) => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 12 }), ...cfg });
    for (const id of c.members()) expect({ preVote: c.raft.node(id)!.raft.preVote, checkQuorum: c.raft.node(id)!.raft.checkQuorum }).toEqual({ preVote, checkQuorum });
  });

  it('by default a follower cut off alone keeps its term (pre-vote) and a leader cut off alone steps down (check-quorum)', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 13 }) });
    const lead = await started(c);
    const follower = c.members().find((id) => id !== lead)!;
    const term = c.raft.node(follower)!.raft.term;
    c.raft.partition([[follower], c.members().filter((id) => id !== follower)]);
    c.raft.run(5000);
    expect(c.raft.node(follower)!.raft.term).toBe(term);
    c.raft.heal();
    c.raft.run(1000);
    expect(c.leader()).toBe(lead);
    c.raft.partition([[lead], c.members().filter((id) => id !== lead)]);
    c.raft.run(3000);
    expect(c.raft.node(lead)!.raft.state).not.toBe('StateLeader');
  });

  it('a write through a follower is forwarded by raft, applied everywhere, answered with the revision', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 1 }) });
    const lead = await started(c);
    const follower = c.members().find((id) => id !== lead)!;
    const cli = c.client({ endpoint: follower });
    const put = await settle(c, cli.put('/a', '1'));
    expect(put.header).toMatchObject({ revision: 2, memberId: follower, raftTerm: c.raft.node(lead)!.raft.term });
    const got = await settle(c, cli.get('/a'));
    expect(got.kvs.map((kv) => [kv.key, kv.value, kv.modRevision])).toEqual([['/a', '1', 2]]);
    c.raft.run(200);
    for (const id of c.members()) expect(c.member(id)!.store.revision).toBe(2);
    expect(c.member(lead)!.history).toHaveLength(1);
  });

  it('a partitioned member serves stale serializable reads; its linearizable read and its writes time out', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 2 }) });
    const lead = await started(c);
    const cut = c.members().find((id) => id !== lead)!;
    await settle(c, c.client().put('/k', 'old'));
    c.raft.run(300);
    c.raft.partition([[cut], c.members().filter((id) => id !== cut)]);
    await settle(c, c.client({ endpoint: lead }).put('/k', 'new'));
    const stale = await settle(c, c.client({ endpoint: cut }).get('/k', { serializable: true }));
    expect(stale.kvs[0].value).toBe('old');
    const t0 = c.clock.now();
    // clientv3 would retry the read (Unavailable) 100 times: one attempt shows the server's answer.
    await expect(settle(c, c.client({ endpoint: cut, maxRetries: 0 }).get('/k'))).rejects.toThrow('etcdserver: request timed out');
    expect(c.clock.now() - t0).toBeGreaterThanOrEqual(c.reqTimeoutMs);
    expect(c.reqTimeoutMs).toBe(7000);
    await expect(settle(c, c.client({ endpoint: cut }).put('/k', 'x'))).rejects.toThrow(/etcdserver: request timed out/);
    const fresh = await settle(c, c.client({ endpoint: lead }).get('/k'));
    expect(fresh.kvs[0].value).toBe('new');
    c.raft.heal();
    const healed = await settle(c, c.client({ endpoint: cut }).get('/k'));
    expect(healed.kvs[0].value).toBe('new');
  });

  it('a read-only client fails over to the next endpoint when its member is down', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 3 }) });
    const lead = await started(c);
    const cli = c.client();
    await settle(c, cli.put('/x', 'v'));
    const down = c.members().find((id) => id !== lead)!;
    c.raft.crash(down);
    for (let i = 0; i < 3; i++) {
      const r = await settle(c, cli.get('/x'));
      expect(r.header.memberId).not.toBe(down);
    }
    await expect(settle(c, c.client({ endpoint: down }).get('/x'))).rejects.toThrow('etcdclient: no available endpoints');
  });

  it('leases: granted through raft, kept alive by the leader, expired only by the leader, which revokes through raft', async () => {
    const rec = new TraceRecorder();
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 4, trace: rec }) });
    const lead = await started(c);
    const follower = c.members().find((id) => id !== lead)!;
    const cli = c.client({ endpoint: follower });
    const l = await settle(c, cli.leaseGrant(5));
    expect(l.ttl).toBe(5);
    await settle(c, cli.put('/lease/k', 'v', { lease: l.id }));
    for (let i = 0; i < 4; i++) {
      c.raft.run(3000);
      const ka = await settle(c, cli.leaseKeepAlive(l.id));
      expect(ka.ttl).toBe(5);
    }
    const ttl = await settle(c, cli.leaseTimeToLive(l.id, { keys: true }));
    expect(ttl.keys).toEqual(['/lease/k']);
    expect(ttl.ttl).toBeGreaterThan(3);
    // Every member holds the lease; only the leader's lessor tracks an expiry.
    for (const id of c.members()) expect(c.member(id)!.store.snapshot().leases.map((x) => Number.isFinite(x.remainingMs))).toEqual([id === lead]);
    c.raft.run(8000);
    const expiries = rec.events.filter((e) => e.type === 'etcd.leaseExpire');
    expect(expiries.map((e) => e.member)).toEqual([`infra${lead}`]);
    for (const id of c.members()) expect(c.member(id)!.store.snapshot().kvs).toEqual([]);
    await expect(settle(c, cli.leaseKeepAlive(l.id))).rejects.toThrow('etcdserver: requested lease not found');
  });

  it('a new leader promotes its lessor: a lease kept alive on the old leader does not expire at once', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 5 }) });
    const lead = await started(c);
    const cli = c.client();
    const l = await settle(c, cli.leaseGrant(3));
    for (let i = 0; i < 5; i++) {
      c.raft.run(2000);
      await settle(c, cli.leaseKeepAlive(l.id));
    }
    c.raft.crash(lead);
    expect(c.raft.runUntil(() => c.leader() !== undefined && c.leader() !== lead)).toBe(true);
    c.raft.run(500);
    const ttl = await settle(c, cli.leaseTimeToLive(l.id));
    expect(ttl.ttl).toBeGreaterThan(0);
  });

  it('member list and endpoint status carry the fields etcdctl prints', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 6 }) });
    const lead = await started(c);
    const cli = c.client();
    await settle(c, cli.put('/a', '1'));
    c.raft.run(200);
    const ml = await settle(c, cli.memberList());
    expect(ml.members.map((m) => [m.idHex, m.status, m.name, m.peerURLs[0], m.clientURLs[0], m.isLearner])).toEqual([
      ['1', 'started', 'infra1', 'http://127.0.0.1:12380', 'http://127.0.0.1:12379', false],
      ['2', 'started', 'infra2', 'http://127.0.0.1:22380', 'http://127.0.0.1:22379', false],
      ['3', 'started', 'infra3', 'http://127.0.0.1:32380', 'http://127.0.0.1:32379', false],
    ]);
    const st = await settle(c, cli.status(lead));
    const rn = c.raft.node(lead)!.raft;
    expect(st).toMatchObject({ version: '3.6.0', leader: lead, isLearner: false, raftTerm: rn.term, raftIndex: rn.raftLog.committed, raftAppliedIndex: rn.raftLog.applied, errors: [] });
    expect(st.header.revision).toBe(2);
    expect(st.dbSize).toBeGreaterThanOrEqual(20480);
  });

  it('moveLeader: the leader hands over; a follower answers "not leader"', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 7 }) });
    const lead = await started(c);
    const to = c.members().find((id) => id !== lead)!;
    const other = c.members().find((id) => id !== lead && id !== to)!;
    await expect(settle(c, c.client().moveLeader(lead, { leader: other }))).rejects.toThrow('etcdserver: not leader');
    await settle(c, c.client().moveLeader(to, { leader: lead }));
    expect(c.leader()).toBe(to);
  });
});

describe('etcdserver snapshots', () => {
  it('a member too far behind rebuilds its MVCC store from the leader snapshot (MsgSnap), same revision and keys', async () => {
    const rec = new TraceRecorder();
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 9, trace: rec }), memorySnapshotCount: 10, snapshotCatchUpEntries: 3 });
    const lead = await started(c);
    const lagging = c.members().find((id) => id !== lead)!;
    c.raft.crash(lagging);
    const cli = c.client({ endpoint: lead });
    for (let i = 0; i < 30; i++) await settle(c, cli.put(`/k${i % 7}`, `v${i}`));
    await settle(c, cli.compact(10));
    const restartAt = c.clock.now();
    c.raft.restart(lagging);
    expect(c.raft.runUntil(() => c.member(lagging)!.appliedIndex === c.member(lead)!.appliedIndex)).toBe(true);
    // Rebuilding the store from the snapshot replays its writes silently: they happened before.
    const replayed = rec.events.filter((e) => e.t >= restartAt && e.type === 'etcd.put' && e.member === `infra${lagging}`);
    expect(replayed.length).toBeLessThan(30);
    expect(rec.events.some((e) => e.type === 'disk.snapshot' && e.node === lagging && e.source === 'leader')).toBe(true);
    const m = c.member(lagging)!.store;
    expect(m.revision).toBe(31);
    expect(m.compactRevision).toBe(10);
    expect(m.snapshot().kvs).toEqual(c.member(lead)!.store.snapshot().kvs);
    const r = await settle(c, c.client({ endpoint: lagging }).get('/k', { prefix: true, serializable: true }));
    expect(r.kvs).toHaveLength(7);
  });
});

describe('etcdserver membership', () => {
  it('member add (as a learner), promote, remove through the client, with etcd errors', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 10 }) });
    await started(c);
    const cli = c.client({ endpoints: [1, 2, 3] });
    await settle(c, cli.put('/a', '1'));
    const added = await settle(c, cli.memberAdd(4, { learner: true, start: false }));
    expect(added.member).toEqual({ id: 4, idHex: '4', status: 'unstarted', name: '', peerURLs: ['http://127.0.0.1:42380'], clientURLs: [], isLearner: true });
    c.raft.restart(4); // the operator starts the new member's process
    expect((await settle(c, cli.memberList())).members.find((m) => m.id === 4)).toMatchObject({ status: 'started', name: 'infra4' });
    expect(added.members.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    await expect(settle(c, cli.memberAdd(4))).rejects.toThrow('etcdserver: member ID already exist');
    await expect(settle(c, c.client({ endpoint: 4 }).put('/b', '2'))).rejects.toThrow('etcdserver: rpc not supported for learner');
    expect(c.raft.runUntil(() => c.member(4)!.store.revision === 2)).toBe(true);
    const promoted = await settle(c, cli.memberPromote(4));
    expect(promoted.members.find((m) => m.id === 4)!.isLearner).toBe(false);
    await expect(settle(c, cli.memberPromote(4))).rejects.toThrow('etcdserver: can only promote a learner member');
    const victim = c.members().find((id) => id !== c.leader() && id !== 4)!;
    const removed = await settle(c, c.client({ endpoint: c.leader()! }).memberRemove(victim));
    expect(removed.members.map((m) => m.id)).not.toContain(victim);
    await expect(settle(c, cli.memberRemove(victim))).rejects.toThrow('etcdserver: member not found');
    const put = await settle(c, c.client({ endpoint: 4 }).put('/c', '3'));
    expect(put.header.revision).toBe(3);
  });
});

describe('etcdserver watches', () => {
  it('a watch is served by one member and resumes on another from the next revision when that member crashes', async () => {
    const c = newEtcdCluster({ size: 3, env: newEnv({ seed: 11 }) });
    const lead = await started(c);
    const follower = c.members().find((id) => id !== lead)!;
    const other = c.members().find((id) => id !== lead && id !== follower)!;
    const seen: string[] = [];
    const cli = c.client({ endpoints: [follower, other] });
    const cancel = cli.watch('/w', { prefix: true }, (r) => void seen.push(...r.events.map((e) => `${e.kv.key}=${e.kv.value}@${e.kv.modRevision}`)));
    const writer = c.client({ endpoint: lead });
    await settle(c, writer.put('/w/1', 'a'));
    c.raft.run(300);
    c.raft.crash(follower);
    await settle(c, writer.put('/w/2', 'b'));
    await settle(c, writer.put('/w/3', 'c'));
    c.raft.run(500);
    await settle(c, Promise.resolve());
    expect(seen).toEqual(['/w/1=a@2', '/w/2=b@3', '/w/3=c@4']);
    cancel();
    await settle(c, writer.put('/w/4', 'd'));
    c.raft.run(300);
    expect(seen).toHaveLength(3);
  });
});
