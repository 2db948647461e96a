import { describe, expect, it } from 'vitest';
import { createShell, type ShellIO } from '../index';
import { registerEtcdctl, type EtcdClientLike, type EtcdKeyValue } from './index';

/** A map-backed stand-in for the etcd model's client (revisions counted per write). */
function fakeEtcd(): EtcdClientLike & { failNext?: string } {
  const store = new Map<string, EtcdKeyValue>();
  let rev = 1;
  const header = () => ({ clusterId: 1484163906896517, memberId: 1027665774393297, revision: rev, raftTerm: 2 });
  const inRange = (k: string, key: string, o: { prefix?: boolean; fromKey?: boolean; rangeEnd?: string }) =>
    o.prefix ? k.startsWith(key) : o.fromKey ? k >= key : o.rangeEnd !== undefined ? k >= key && k < o.rangeEnd : k === key;
  const api: EtcdClientLike & { failNext?: string } = {
    async get(key, o = {}) {
      if (api.failNext) {
        const msg = api.failNext;
        api.failNext = undefined;
        throw new Error(msg);
      }
      let kvs = [...store.values()].filter((kv) => inRange(kv.key, key, o)).sort((a, b) => (a.key < b.key ? -1 : 1));
      const count = kvs.length;
      if (o.limit) kvs = kvs.slice(0, o.limit);
      if (o.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: '' }));
      if (o.countOnly) kvs = [];
      return { header: header(), kvs, more: kvs.length < count && !o.countOnly, count };
    },
    async put(key, value, o = {}) {
      const prev = store.get(key);
      rev++;
      store.set(key, { key, value, createRevision: prev?.createRevision ?? rev, modRevision: rev, version: (prev?.version ?? 0) + 1, lease: o.lease ?? 0 });
      return { header: header(), ...(o.prevKv && prev ? { prevKv: prev } : {}) };
    },
    async delete(key, o = {}) {
      const gone = [...store.values()].filter((kv) => inRange(kv.key, key, o));
      if (gone.length) rev++;
      for (const kv of gone) store.delete(kv.key);
      return { header: header(), deleted: gone.length, prevKvs: o.prevKv ? gone : [] };
    },
  };
  return api;
}

function setup() {
  const etcd = fakeEtcd();
  const shell = registerEtcdctl(createShell(), { etcd });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (t) => out.push(t), error: (t) => err.push(t), clear() {} };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { etcd, shell, run };
}

describe('etcdctl', () => {
  it('put, then get a key, a prefix, keys only, values only', async () => {
    const { run } = setup();
    expect((await run(`etcdctl put /registry/pods/default/web '{"kind":"Pod"}'`)).out).toBe('OK');
    await run(`etcdctl put /registry/pods/default/api '{"kind":"Pod","metadata":{"name":"api"}}'`);
    await run(`etcdctl put /registry/services/specs/default/web '{"kind":"Service"}'`);
    expect((await run('etcdctl get /registry/pods/default/web')).out).toBe('/registry/pods/default/web\n{"kind":"Pod"}');
    expect((await run('etcdctl get --prefix /registry/pods')).out).toBe('/registry/pods/default/api\n{"kind":"Pod","metadata":{"name":"api"}}\n/registry/pods/default/web\n{"kind":"Pod"}');
    expect((await run('etcdctl get /registry --prefix --keys-only')).out).toBe('/registry/pods/default/api\n\n/registry/pods/default/web\n\n/registry/services/specs/default/web\n');
    expect((await run('etcdctl get /registry/pods --prefix --print-value-only --limit 1')).out).toBe('{"kind":"Pod","metadata":{"name":"api"}}');
  });

  it('-w json prints the response with base64 keys and values, as json.Marshal of the protobuf', async () => {
    const { run } = setup();
    await run('etcdctl put foo bar');
    expect((await run('etcdctl get foo -w json')).out).toBe(
      '{"header":{"cluster_id":1484163906896517,"member_id":1027665774393297,"revision":2,"raft_term":2},"kvs":[{"key":"Zm9v","create_revision":2,"mod_revision":2,"version":1,"value":"YmFy"}],"count":1}',
    );
    expect((await run('etcdctl get nothing -w json')).out).toBe('{"header":{"cluster_id":1484163906896517,"member_id":1027665774393297,"revision":2,"raft_term":2}}');
  });

  it('del prints the count (and --prev-kv the deleted pairs)', async () => {
    const { run } = setup();
    await run('etcdctl put a 1');
    await run('etcdctl put ab 2');
    expect((await run('etcdctl del a --prefix --prev-kv')).out).toBe('2\na\n1\nab\n2');
    expect((await run('etcdctl del a')).out).toBe('0');
  });

  it('errors as etcdctl prints them, with its exit codes', async () => {
    const { run, etcd } = setup();
    expect(await run('etcdctl get')).toEqual({ code: 128, out: '', err: 'Error: get command needs one argument as key and an optional argument as range_end' });
    expect((await run('etcdctl get a --prefix --from-key')).err).toBe('Error: `--prefix` and `--from-key` cannot be set at the same time, choose one');
    expect((await run('etcdctl get a --sort-by size')).code).toBe(4);
    expect((await run('etcdctl get a --frob')).err).toBe('Error: unknown flag: --frob');
    etcd.failNext = 'etcdserver: mvcc: required revision has been compacted';
    expect(await run('etcdctl get a --rev 1')).toEqual({ code: 1, out: '', err: 'Error: etcdserver: mvcc: required revision has been compacted' });
    expect((await run('etcdctl snapshot save x')).err).toBe('Error: unknown command "snapshot" for "etcdctl"');
  });

  it('completes subcommands, flags and the /registry/ prefix', () => {
    const { shell } = setup();
    expect(shell.complete('etcdctl g').candidates).toEqual(['get']);
    expect(shell.complete('etcdctl get --pre').candidates).toEqual(['--prefix']);
    expect(shell.complete('etcdctl get /re').candidates).toEqual(['/registry/']);
  });
});
