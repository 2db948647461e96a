// The terminal's `cluster` commands on a lab's raft session: each fault reaches the cluster
// (and its trace), time passes only when asked, and an impossible command says why and
// changes nothing.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../sim/index';
import type { SafetyViolation } from '../../../sim/index';
import { mountRaftSession, raftSessionCluster } from '../../raft-session';
import { createShell } from '../registry';

function session(members = 5, seed = 1) {
  const shell = createShell();
  const out: string[] = [];
  const errors: string[] = [];
  const io = { print: (t: string) => out.push(t), error: (t: string) => errors.push(t), clear() {} };
  let shown: readonly TraceEvent[] | undefined;
  const s = mountRaftSession({ shell, seed, config: { members }, onChange: (events) => (shown = events) });
  const run = async (line: string) => {
    out.length = 0;
    errors.length = 0;
    const status = await shell.execute(line, io);
    return { status, out: out.join('\n'), err: errors.join('\n') };
  };
  return { s, run, shown: () => shown };
}

const leaderOf = (status: string) => Number(/^(\d+)\s+leader/m.exec(status)?.[1]);

describe('cluster commands', () => {
  it('status shows every member, and time passes only with run or sleep', async () => {
    const { run, s } = session(3);
    const before = await run('cluster status');
    expect(before.out.split('\n')[0]).toMatch(/^MEMBER\s+STATE\s+TERM\s+VOTE\s+LEADER\s+LAST INDEX\s+COMMIT\s+APPLIED\s+ELECTION TIMER$/);
    // A new cluster starts as etcd's does (StartNode): term 1, one committed ConfChange entry per member.
    expect(before.out).toMatch(/^1\s+follower\s+1\s+-\s+-\s+3\s+3\s+0\s+0\/1\d ticks$/m);
    expect(before.out).toContain('network: no partition; no drop rule; 0 messages in flight; virtual time 0 ms');
    expect((await run('cluster run 3s')).out).toBe('(virtual time is now 3 s into the session)');
    const after = await run('cluster status');
    expect(leaderOf(after.out)).toBeGreaterThan(0);
    expect(after.out).toMatch(/^(\d)\s+leader\s+2\s+\1\s+\1\s+4\s+4\s+4\s+-$/m);
    expect((await run('sleep 500ms')).out).toBe('(virtual time is now 3.5 s into the session)');
    expect(s.target.now()).toBe(3500);
  });

  it('partitions, heals and shows the partition in the trace the view gets', async () => {
    const { run, shown } = session(5);
    await run('cluster run 3s');
    const r = await run('cluster partition 1,2 3,4');
    expect(r).toMatchObject({ status: 0, out: 'partitioned: {1,2} | {3,4} (alone: 5)' });
    const events = shown()!;
    expect(events.at(-1)).toMatchObject({ type: 'raftnet.partition', groups: [[1, 2], [3, 4]] });
    expect((await run('cluster status')).out).toContain('network: partition {1,2} | {3,4} | {5}');
    expect((await run('cluster heal')).out).toBe('healed: every member reaches every other');
    expect(shown()!.at(-1)).toMatchObject({ type: 'raftnet.heal' });
    expect((await run('cluster heal')).out).toBe('nothing to heal: no partition and no drop rule');
  });

  it('refuses a partition naming an unknown member or a member twice, and changes nothing', async () => {
    const { run, s } = session(5);
    for (const [line, why] of [
      ['cluster partition 1,2 3,9', 'cluster: no member 9 (members: 1, 2, 3, 4, 5)'],
      ['cluster partition 1,2 2,3', 'cluster: member 2 is named twice: a member is on one side of a partition'],
      ['cluster partition 1,x 2', 'cluster: no member x (members: 1, 2, 3, 4, 5)'],
    ]) {
      expect(await run(line), line).toMatchObject({ status: 1, err: why });
      expect(s.target.groups()).toEqual([]);
    }
    expect((await run('cluster partition 1,2,3')).status).toBe(2);
  });

  it('crashes, restarts, pauses and resumes, refusing what cannot be', async () => {
    const { run } = session(3);
    await run('cluster run 3s');
    const leader = leaderOf((await run('cluster status')).out);
    expect((await run(`cluster crash ${leader}`)).out).toMatch(new RegExp(`^member ${leader} crashed \\(it was leader at term 2\\)`));
    expect(await run(`cluster crash ${leader}`)).toMatchObject({ status: 1, err: `cluster: member ${leader} is already down (crashed): restart it first` });
    expect(await run(`cluster pause ${leader}`)).toMatchObject({ status: 1, err: `cluster: member ${leader} is down (crashed): a crashed member cannot be paused` });
    expect((await run('cluster status')).out).toMatch(new RegExp(`^${leader}\\s+crashed\\s+2\\s+${leader}\\s+-\\s+4\\s+4\\s+-\\s+-$`, 'm'));
    expect(await run('cluster crash 7')).toMatchObject({ status: 1, err: 'cluster: no member 7 (members: 1, 2, 3)' });
    await run('cluster run 3s');
    const next = leaderOf((await run('cluster status')).out);
    expect(next).not.toBe(leader);
    expect((await run(`cluster restart ${leader}`)).out).toBe(`member ${leader} restarted from its storage`);
    expect(await run(`cluster restart ${leader}`)).toMatchObject({ status: 1, err: `cluster: member ${leader} is running (follower): only a crashed member restarts` });
    expect((await run(`cluster pause ${next}`)).out).toBe(`member ${next} paused: no ticks, messages to it wait`);
    expect(await run(`cluster pause ${next}`)).toMatchObject({ status: 1, err: `cluster: member ${next} is already paused` });
    expect((await run(`cluster resume ${next}`)).out).toBe(`member ${next} resumed`);
    expect(await run(`cluster resume ${next}`)).toMatchObject({ status: 1, err: `cluster: member ${next} is not paused` });
  });

  it('drops a message type on a link until healed, and skews a clock', async () => {
    const { run, s } = session(3);
    expect((await run('cluster drop MsgApp 1->3')).out).toBe('rule 1: drop MsgApp 1->3 (cluster heal removes it)');
    expect((await run('cluster drop vote *->2')).out).toBe('rule 2: drop MsgVote *->2 (cluster heal removes it)');
    expect(await run('cluster drop MsgBogus')).toMatchObject({ status: 1 });
    expect(await run('cluster drop MsgApp 2->2')).toMatchObject({ status: 1, err: 'cluster: 2->2: a member sends nothing to itself over the network' });
    expect((await run('cluster drop MsgApp 1-3')).status).toBe(2);
    expect(s.target.rules()).toEqual([
      { id: 1, msgType: 'MsgApp', from: 1, to: 3 },
      { id: 2, msgType: 'MsgVote', from: 0, to: 2 },
    ]);
    expect((await run('cluster heal')).out).toBe('healed: every member reaches every other; 2 drop rules removed');
    expect(s.target.rules()).toEqual([]);
    expect((await run('cluster skew 2 2')).out).toMatch(/^member 2's clock runs at 2× virtual time: it ticks every 50 ms/);
    expect(await run('cluster skew 2 0')).toMatchObject({ status: 1 });
    expect((await run('cluster status')).out).toMatch(/^2\s+follower \(clock ×2\)/m);
  });

  it("drops one message in flight by its id (the raft view's Drop it), and says when it is gone", async () => {
    const { run, s, shown } = session(3);
    await run('cluster run 3s');
    await run('cluster propose x');
    const sent = [...(shown() ?? [])].reverse().find((e) => e.type === 'raftnet.send' && e.msgType === 'MsgApp');
    expect(sent).toBeDefined();
    const id = sent!.msgId as number;
    expect((await run(`cluster drop #${id}`)).out).toBe(`message #${id} dropped`);
    expect(s.target.rules()).toEqual([]);
    expect(await run(`cluster drop #${id}`)).toMatchObject({ status: 1, err: `cluster: no message #${id} in flight (it arrived, or was lost already)` });
    const dropped = (shown() ?? []).filter((e) => e.type === 'raftnet.drop' && e.msgId === id);
    expect(dropped.map((e) => e.reason)).toEqual(['manual']);
  });

  it('proposes through the leader, and says when there is none', async () => {
    const { run } = session(3);
    expect(await run('cluster propose x')).toMatchObject({ status: 1, err: 'cluster: proposal dropped: no leader' });
    await run('cluster run 3s');
    expect((await run('cluster propose hello')).out).toMatch(/^proposed "hello" to leader \d: entry 5 at term 2/);
    await run('cluster run 1s');
    expect((await run('cluster status')).out).toMatch(/^(\d)\s+leader\s+2\s+\1\s+\1\s+5\s+5\s+5\s+-$/m);
  });

  it('explains its usage, and completes subcommands, message types and members', async () => {
    const { run } = session(3);
    const shell = createShell();
    mountRaftSession({ shell, seed: 1, config: { members: 3 } });
    expect((await run('cluster')).status).toBe(2);
    expect((await run('cluster frobnicate')).err).toContain("unknown subcommand 'frobnicate'");
    expect((await run('cluster run 10m')).err).toBe('cluster: at most 300 s at a time');
    expect(shell.complete('cluster cr').candidates).toEqual(['crash']);
    expect(shell.complete('cluster drop MsgApp').candidates).toEqual(['MsgApp', 'MsgAppResp']);
    expect(shell.complete('cluster crash ').candidates).toEqual(['1', '2', '3']);
  });

  // The cluster itself traces each finding as raftcheck.violation (src/sim/raftcluster/figure8.test.ts).
  it("prints each of the checker's findings once, after the command that found it", async () => {
    const shell = createShell();
    const found: SafetyViolation[] = [];
    const errors: string[] = [];
    const io = { print() {}, error: (t: string) => errors.push(t), clear() {} };
    const s = mountRaftSession({
      shell,
      seed: 1,
      config: { members: 3 },
      cluster: (seed, config, trace) => ({ ...raftSessionCluster(seed, config, trace), violations: () => found }),
    });
    await shell.execute('cluster run 2s', io);
    expect(errors).toEqual([]);
    found.push({ property: 'ElectionSafety', message: 'nodes 1 and 2 both lead term 1', nodes: [1, 2], term: 1 });
    await shell.execute('cluster run 1s', io);
    await shell.execute('cluster run 1s', io);
    expect(errors).toEqual(['safety violation: ElectionSafety: nodes 1 and 2 both lead term 1']);
    expect(s.events.length).toBeGreaterThan(0);
  });

  it('membership: add a learner, promote it once in sync, transfer leadership to it, remove a member; impossible changes say why', async () => {
    const { run } = session(3);
    expect((await run('cluster add-member 4')).err).toBe('cluster: add member 4 refused: etcdserver: no leader');
    await run('cluster run 3s');
    const leader = leaderOf((await run('cluster status')).out);
    expect((await run('cluster add-member 2')).err).toBe('cluster: member 2 is already in the cluster (members: 1, 2, 3)');
    expect((await run('cluster add-member 12')).err).toBe('cluster: member id 12: use a number from 1 to 9');
    expect((await run('cluster add-member 4 --learner')).out).toMatch(/^add learner 4: conf change proposed to leader \d as entry \d+ at term 2 \(cluster run 1s lets it commit and apply\)$/);
    expect((await run('cluster promote 2')).err).toBe('cluster: member 2 is a voter already: only a learner is promoted');
    await run('cluster run 2s');
    expect((await run('cluster status')).out).toMatch(/^4\s+follower \(learner\)\s+2\s/m);
    expect((await run('cluster transfer 4')).err).toBe('cluster: transfer refused: etcdserver: bad leader transferee');
    expect((await run('cluster promote 4')).status).toBe(0);
    await run('cluster run 2s');
    expect((await run('cluster status')).out).toMatch(/^4\s+follower\s+2\s/m);
    expect((await run(`cluster transfer ${leader}`)).err).toBe(`cluster: member ${leader} leads already`);
    expect((await run('cluster transfer 4')).out).toBe(`leader ${leader} hands leadership to 4: it sends MsgTimeoutNow once 4 has its log (cluster run 1s)`);
    await run('cluster run 1s');
    expect(leaderOf((await run('cluster status')).out)).toBe(4);
    expect((await run('cluster remove-member 7')).err).toBe('cluster: no member 7 (members: 1, 2, 3, 4)');
    expect((await run(`cluster remove-member ${leader}`)).status).toBe(0);
    await run('cluster run 2s');
    expect((await run('cluster status')).out).not.toMatch(new RegExp(`^${leader}\\s`, 'm'));
    expect((await run('cluster add-member ' + leader)).err).toBe(`cluster: add member ${leader} refused: membership: ID removed`);
  });
});
