// etcdctl -w json for member list and endpoint status on the replicated etcd: json.Marshal of
// clientv3.MemberListResponse and of []epStatus, with protobuf's json tags and zero fields omitted
// (printer_json.go, ep_command.go, rpc.pb.go at etcd v3.6.0).
import { describe, expect, it } from 'vitest';
import { mountRaftSession, type RaftSessionConfig } from '../../raft-session';
import { etcdSessionCluster } from '../../etcd-session';
import { createShell } from '../registry';

async function session() {
  const shell = createShell();
  const out: string[] = [];
  const io = { print: (t: string) => out.push(t), error: (t: string) => out.push(`ERR ${t}`), clear() {} };
  mountRaftSession({ shell, seed: 1, config: { members: 3, etcd: true } as RaftSessionConfig, cluster: etcdSessionCluster });
  const run = async (line: string) => {
    out.length = 0;
    await shell.execute(line, io);
    return out.join('\n');
  };
  await run('cluster run 3s');
  return run;
}

describe('etcdctl -w json on the replicated etcd', () => {
  it('member list: the header without a revision, each member with ID, name, URLs (isLearner only when true)', async () => {
    const run = await session();
    const parsed = JSON.parse(await run('etcdctl member list -w json'));
    expect(parsed.header).toEqual({ cluster_id: 4096, member_id: expect.any(Number), raft_term: 2 });
    expect(parsed.members[0]).toEqual({ ID: 1, name: 'infra1', peerURLs: ['http://127.0.0.1:12380'], clientURLs: ['http://127.0.0.1:12379'] });
    expect(parsed.members).toHaveLength(3);
  });

  it('endpoint status and health: one element per endpoint, the fields in the order of upstream structs', async () => {
    const run = await session();
    const text = await run('etcdctl endpoint status -w json --endpoints=127.0.0.1:12379');
    expect(text).toMatch(/^\[\{"Endpoint":"127\.0\.0\.1:12379","Status":\{"header":\{"cluster_id":4096,"member_id":1,"revision":\d+,"raft_term":2\},"version":"3\.6\.0","dbSize":\d+,"leader":\d,"raftIndex":\d+,"raftTerm":2,"raftAppliedIndex":\d+,"dbSizeInUse":\d+,"storageVersion":"3\.6\.0","dbSizeQuota":2147483648\}\}\]$/);
    expect(JSON.parse(await run('etcdctl endpoint status -w json'))).toHaveLength(3);
    const health = JSON.parse(await run('etcdctl endpoint health -w json'));
    expect(health).toHaveLength(3);
    expect(health[0]).toEqual({ endpoint: expect.stringMatching(/^127\.0\.0\.1:\d2379$/), health: true, took: expect.any(String) });
  });
});

describe('snapshot save and etcdutl snapshot status', () => {
  it('saves one member’s keyspace to a lab file and reads it back as etcdutl does', async () => {
    const run = await session();
    await run('etcdctl put a 1');
    await run('etcdctl put a 2');
    await run('etcdctl put b x');
    await run('cluster run 1s'); // member 2 applies the last write too
    expect(await run('etcdctl snapshot save snap.db')).toMatch(/^ERR Error: snapshot must be requested to one selected node, not multiple \[127\.0\.0\.1:12379 127\.0\.0\.1:22379 127\.0\.0\.1:32379\]$/);
    expect(await run('etcdctl snapshot save snap.db --endpoints=127.0.0.1:22379')).toBe('Snapshot saved at snap.db\nServer version 3.6.0');
    const rev = JSON.parse(await run('etcdctl get a -w json')).header.revision;
    const simple = (await run('etcdutl snapshot status snap.db')).split(', ');
    expect(simple).toEqual([expect.stringMatching(/^[0-9a-f]{1,8}$/), String(rev), '2', expect.stringMatching(/^\d+ (B|kB)$/), '3.6.0']);
    expect(await run('etcdutl snapshot status snap.db -w table')).toMatch(/^\+-+\+[\s\S]*\| +HASH +\| REVISION \| TOTAL KEYS \| TOTAL SIZE \| VERSION \|/);
    expect(JSON.parse(await run('etcdutl snapshot status snap.db -w json'))).toMatchObject({ revision: rev, totalKey: 2, version: '3.6.0' });
    expect(await run('etcdctl snapshot status snap.db')).toBe('ERR Error: etcdctl 3.6 has no "snapshot status": it moved to etcdutl (etcdutl snapshot status <file>, after etcdctl snapshot save <file>)');
    expect(await run('etcdutl snapshot status web-pod.yaml')).toMatch(/^ERR Error: snapshot file integrity check failed/);
    expect(await run('etcdutl snapshot status nope.db')).toBe('ERR Error: stat nope.db: no such file or directory');
  });

  it('hashes with CRC-32C (Castagnoli), as etcdutl does', async () => {
    const { crc32c } = await import('./snapshot');
    expect(crc32c('123456789').toString(16)).toBe('e3069283');
  });
});
