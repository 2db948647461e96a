// A raft session running etcd (lab.yaml raft: { etcd: true, apiServer: true }): etcdctl prints
// what etcdctl 3.6 prints against the replicated members, a request that waits lets virtual time
// pass (etcdctl gives up at its 5 s command timeout, etcd at its 7 s request timeout), and kubectl
// fails while the API server's member is cut off, then works again once healed.
import { describe, expect, it } from 'vitest';
import { mountRaftSession } from './raft-session';
import { etcdSessionCluster } from './etcd-session';
import { createShell } from './shell/registry';
import { humanizeBytes } from './shell/etcdctl/table';

function session(members = 5, seed = 1, apiServer = true) {
  const shell = createShell();
  const out: string[] = [];
  const errors: string[] = [];
  const io = { print: (t: string) => out.push(t), error: (t: string) => errors.push(t), clear() {} };
  let built: ReturnType<typeof etcdSessionCluster> | undefined;
  let changes = 0;
  const s = mountRaftSession({ shell, seed, config: { members, etcd: true, apiServer }, cluster: (...a) => (built = etcdSessionCluster(...a)), onChange: () => changes++ });
  const etcd = built!.etcd;
  const run = async (line: string) => {
    out.length = 0;
    errors.length = 0;
    const t0 = etcd.clock.now();
    const status = await shell.execute(line, io);
    return { status, out: out.join('\n'), err: errors.join('\n'), took: etcd.clock.now() - t0 };
  };
  return { s, run, etcd, shell, changes: () => changes };
}

/** A started session: a leader elected, and the members' stores applied. */
async function started(members = 5, seed = 1, apiServer = true) {
  const x = session(members, seed, apiServer);
  await x.run('cluster run 3s');
  return { ...x, leader: x.etcd.leader()! };
}

describe('etcdctl on the replicated etcd', () => {
  it('member list, simple and table, as etcdctl 3.6 prints them (printer.go makeMemberListTable)', async () => {
    const { run } = await started(3);
    const simple = await run('etcdctl member list');
    expect(simple).toMatchObject({ status: 0, err: '' });
    expect(simple.out).toBe(
      [
        '1, started, infra1, http://127.0.0.1:12380, http://127.0.0.1:12379, false',
        '2, started, infra2, http://127.0.0.1:22380, http://127.0.0.1:22379, false',
        '3, started, infra3, http://127.0.0.1:32380, http://127.0.0.1:32379, false',
      ].join('\n'),
    );
    expect((await run('etcdctl member list -w table')).out).toBe(
      [
        '+----+---------+--------+------------------------+------------------------+------------+',
        '| ID | STATUS  |  NAME  |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
        '+----+---------+--------+------------------------+------------------------+------------+',
        '|  1 | started | infra1 | http://127.0.0.1:12380 | http://127.0.0.1:12379 |      false |',
        '|  2 | started | infra2 | http://127.0.0.1:22380 | http://127.0.0.1:22379 |      false |',
        '|  3 | started | infra3 | http://127.0.0.1:32380 | http://127.0.0.1:32379 |      false |',
        '+----+---------+--------+------------------------+------------------------+------------+',
      ].join('\n'),
    );
  });

  it('endpoint status: one row per endpoint, the leader marked, raft term and indexes from each member', async () => {
    const { run, etcd, leader } = await started(3);
    const table = await run('etcdctl endpoint status -w table');
    const lines = table.out.split('\n');
    expect(lines[1]).toBe(
      '|    ENDPOINT     | ID | VERSION | STORAGE VERSION | DB SIZE | IN USE | PERCENTAGE NOT IN USE | QUOTA  | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS | DOWNGRADE TARGET VERSION | DOWNGRADE ENABLED |',
    );
    expect(lines).toHaveLength(3 + 3 + 1);
    const r = etcd.raft.node(leader)!.raft;
    const simple = await run(`etcdctl endpoint status --endpoints=127.0.0.1:${leader}2379`);
    const db = humanizeBytes((await etcd.client().status(leader)).dbSize);
    expect(simple.out).toBe(`127.0.0.1:${leader}2379, ${leader}, 3.6.0, 3.6.0, ${db}, ${db}, 0%, 2.1 GB, true, false, ${r.term}, ${r.raftLog.committed}, ${r.raftLog.applied}, , , false`);
    // --cluster: the endpoints are the member list's client URLs.
    const all = await run('etcdctl endpoint status --cluster');
    expect(all.out.split('\n').map((l) => l.split(', ')[0])).toEqual(['http://127.0.0.1:12379', 'http://127.0.0.1:22379', 'http://127.0.0.1:32379']);
    expect(all.out.split('\n').filter((l) => l.split(', ')[8] === 'true')).toHaveLength(1);
  });

  it('a crashed member: endpoint status says so after the command timeout and exits 1', async () => {
    const { run, leader, etcd } = await started(3);
    const down = etcd.members().find((id) => id !== leader)!;
    await run(`cluster crash ${down}`);
    const r = await run('etcdctl endpoint status');
    expect(r.status).toBe(1);
    expect(r.err).toBe(`Failed to get the status of endpoint 127.0.0.1:${down}2379 (context deadline exceeded)`);
    expect(r.out.split('\n')).toHaveLength(2);
    expect(r.took).toBe(5000);
    // Global flags before the command, with their values as separate words.
    expect((await run(`etcdctl --endpoints 127.0.0.1:${leader}2379 -w table member list`)).out.split('\n')).toHaveLength(3 + 3 + 1);
    expect(await run(`etcdctl endpoint health --endpoints=127.0.0.1:${down}2379`)).toMatchObject({
      status: 1,
      err: `127.0.0.1:${down}2379 is unhealthy: failed to commit proposal: context deadline exceeded\nError: unhealthy cluster`,
      took: 5000,
    });
    expect(await run('etcdctl get /a --endpoints=/nowhere')).toMatchObject({ status: 1, err: 'Error: bad endpoint "/nowhere": write host:port, e.g. 127.0.0.1:12379,127.0.0.1:22379,127.0.0.1:32379' });
    // Nobody listens on 127.0.0.1:2379 (etcdctl's own default): the dial waits out the deadline.
    expect(await run('etcdctl get /a --endpoints=127.0.0.1:2379 --command-timeout=2s')).toMatchObject({ status: 1, err: 'Error: context deadline exceeded', took: 2000 });
  });

  it('a cut-off member: a serializable read is stale, a linearizable one and endpoint health fail at the command timeout', async () => {
    const { run, leader, etcd } = await started(5);
    expect((await run('etcdctl put /k old')).out).toBe('OK');
    await run('cluster run 500ms');
    const cut = etcd.members().find((id) => id !== leader)!;
    const rest = etcd.members().filter((id) => id !== cut);
    await run(`cluster partition ${cut} ${rest.join(',')}`);
    expect((await run(`etcdctl put /k new --endpoints=127.0.0.1:${leader}2379`)).out).toBe('OK');
    const stale = await run(`etcdctl get /k --consistency=s --endpoints=127.0.0.1:${cut}2379`);
    expect(stale).toMatchObject({ status: 0, out: '/k\nold', took: 0 });
    const lin = await run(`etcdctl get /k --endpoints=127.0.0.1:${cut}2379`);
    expect(lin).toMatchObject({ status: 1, out: '', err: 'Error: context deadline exceeded', took: 5000 });
    expect((await run(`etcdctl get /k --endpoints=127.0.0.1:${leader}2379`)).out).toBe('/k\nnew');
    const health = await run('etcdctl endpoint health');
    expect(health.status).toBe(1);
    const healthy = health.out.split('\n');
    expect(healthy).toHaveLength(4);
    for (const l of healthy) expect(l).toMatch(/^127\.0\.0\.1:\d2379 is healthy: successfully committed proposal: took = \d+(\.\d+)?ms$/);
    expect(health.err).toBe(`127.0.0.1:${cut}2379 is unhealthy: failed to commit proposal: context deadline exceeded\nError: unhealthy cluster`);
    const table = await run('etcdctl endpoint health -w table');
    expect(table.out.split('\n')[1]).toMatch(/^\|    ENDPOINT     \| HEALTH \| +TOOK +\| +ERROR +\|$/);
    expect(table.out).toMatch(new RegExp(`\\| 127\\.0\\.0\\.1:${cut}2379 \\|  false \\| +5s \\| context deadline exceeded \\|`));
    await run('cluster heal');
    await run('cluster run 3s');
    expect((await run(`etcdctl get /k --endpoints=127.0.0.1:${cut}2379`)).out).toBe('/k\nnew');
  });

  it('move-leader: from the leader among the endpoints, to a hex member id; etcd refuses a bad transferee', async () => {
    const { run, leader, etcd } = await started(3);
    const to = etcd.members().find((id) => id !== leader)!;
    const other = etcd.members().find((id) => id !== leader && id !== to)!;
    expect(await run(`etcdctl move-leader ${to} --endpoints=127.0.0.1:${other}2379`)).toMatchObject({ status: 128, err: `Error: no leader endpoint given at [127.0.0.1:${other}2379]` });
    const moved = await run(`etcdctl move-leader ${to.toString(16)}`);
    expect(moved).toMatchObject({ status: 0, out: `Leadership transferred from ${leader} to ${to}` });
    expect(etcd.leader()).toBe(to);
    expect(await run('etcdctl move-leader 9')).toMatchObject({ status: 1, err: 'Error: etcdserver: bad leader transferee' });
    expect(await run('etcdctl move-leader zz')).toMatchObject({ status: 128, err: 'Error: strconv.ParseUint: parsing "zz": invalid syntax' });
  });

  it("snapshot status is etcdutl's in 3.6: etcdctl points there", async () => {
    const { run } = await started(3, 1, false);
    expect((await run('etcdctl snapshot status db')).err).toBe('Error: etcdctl 3.6 has no "snapshot status": it moved to etcdutl (etcdutl snapshot status <file>, after etcdctl snapshot save <file>)');
    expect((await run('etcdctl snapshot restore db')).err).toContain('not in this lab');
    expect((await run('etcdctl member add x')).status).toBe(128);
    expect((await run('help etcdctl')).out).toContain('Endpoints default to every member\'s client address (127.0.0.1:12379,127.0.0.1:22379,127.0.0.1:32379)');
  });

  it('lease grant, put --lease, timetolive --keys, keep-alive --once, revoke (lease_command.go, printer_simple.go)', async () => {
    const { run } = await started(3, 1, false);
    const granted = await run('etcdctl lease grant 60');
    expect(granted.out).toMatch(/^lease [0-9a-f]{16} granted with TTL\(60s\)$/);
    const id = granted.out.split(' ')[1];
    expect((await run(`etcdctl put /leased v --lease=${id}`)).out).toBe('OK');
    await run('cluster run 5s');
    expect((await run(`etcdctl lease timetolive ${id} --keys`)).out).toMatch(new RegExp(`^lease ${id} granted with TTL\\(60s\\), remaining\\(5[45]s\\), attached keys\\(\\[/leased\\]\\)$`));
    expect((await run(`etcdctl lease keep-alive --once ${id}`)).out).toBe(`lease ${id} keepalived with TTL(60)`);
    expect((await run(`etcdctl lease keep-alive ${id}`)).status).toBe(128);
    expect((await run(`etcdctl lease revoke ${id}`)).out).toBe(`lease ${id} revoked`);
    expect((await run('etcdctl get /leased')).out).toBe('');
    expect((await run(`etcdctl lease timetolive ${id}`)).out).toBe(`lease ${id} already expired`);
    expect(await run(`etcdctl lease revoke ${id}`)).toMatchObject({ status: 1, err: 'Error: failed to revoke lease (etcdserver: requested lease not found)' });
    expect(await run('etcdctl lease revoke xyz')).toMatchObject({ status: 128, err: 'Error: bad lease ID arg (strconv.ParseInt: parsing "xyz": invalid syntax), expecting ID in Hex' });
  });

  it("etcd's events go into the session's trace, and the view redraws after etcdctl", async () => {
    const { run, s, changes } = await started(3, 1, false);
    const before = changes();
    await run('etcdctl put /traced v');
    expect(changes()).toBe(before + 1);
    expect(s.events.some((e) => e.component.startsWith('etcd') && JSON.stringify(e).includes('/traced'))).toBe(true);
  });
});

describe('the cluster commands on etcd', () => {
  it("cluster propose puts key=value=data (etcd's log holds only its requests): the minority's write is undone by the heal", async () => {
    const { run } = await started(5, 1, false);
    const leader = (await run('cluster status')).out.match(/^(\d)\s+leader/m)![1];
    const side = [leader, ...[1, 2, 3, 4, 5].map(String).filter((id) => id !== leader).slice(0, 1)];
    const rest = [1, 2, 3, 4, 5].map(String).filter((id) => !side.includes(id));
    await run(`cluster partition ${side.join(',')} ${rest.join(',')}`);
    expect((await run('cluster propose a')).out).toMatch(new RegExp(`^proposed "a" \\(etcd put a=a\\) to leader ${leader}: entry \\d+ at term 2`));
    await run('cluster run 3s');
    expect((await run('cluster propose b')).out).toContain('(etcd put b=b)');
    await run('cluster run 3s');
    await run('cluster heal');
    await run('cluster run 3s');
    expect(await run('etcdctl get a')).toMatchObject({ status: 0, out: '' });
    expect((await run('etcdctl get b')).out).toBe('b\nb');
    expect((await run(`etcdctl get b --consistency=s --endpoints=127.0.0.1:${leader}2379`)).out).toBe('b\nb');
  });
});

describe('kubectl on an API server stored in the replicated etcd', () => {
  it("fails with etcd's request timeout while member 1 is cut off, and works once healed", async () => {
    const { run, etcd, shell } = await started(5);
    expect((await run('kubectl apply -f web-pod.yaml')).out).toBe('pod/web created');
    expect((await run('kubectl get pods')).out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb\s+0\/1\s+Pending\s+0\s+\d+s$/);
    await run('cluster partition 1 2,3,4,5');
    const cut = await run('kubectl get pods');
    // The list is a linearizable range on member 1: its ReadIndex never returns, etcd answers after ReqTimeout (7 s).
    expect(cut).toMatchObject({ status: 1, out: '', err: 'Error from server: etcdserver: request timed out', took: etcd.reqTimeoutMs });
    await run('cluster heal');
    await run('cluster run 3s');
    // Tab completion fetches names in the background: that moves no time.
    const t0 = etcd.clock.now();
    shell.complete('kubectl get pods ');
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
    expect(etcd.clock.now()).toBe(t0);
    const healed = await run('kubectl get pods');
    expect(healed.status).toBe(0);
    expect(healed.out).toMatch(/\nweb\s+0\/1\s+Pending/);
  });
});
