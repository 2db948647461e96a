// etcdctl txn (read from a lab file with `<`, in etcdctl's syntax), watch and compaction, on the
// etcd model; the outputs follow etcdctl v3.6's simple printer (printer_simple.go: Txn, Put, Get,
// Del, Watch).
import { describe, expect, it } from 'vitest';
import { newEtcd } from '../../../sim/etcd/etcd';
import { newEnv } from '../../../sim/core/env';
import { createShell, type ShellIO } from '../index';
import { VirtualFs, registerFsCommands } from '../vfs';
import { registerEtcdctl, type EtcdClientLike } from './index';
import { parseCompare, parseTxnScript } from './txn';

function setup(files: Record<string, string>) {
  const etcd = newEtcd({ env: newEnv({ seed: 1 }) });
  const shell = createShell();
  registerFsCommands(shell, new VirtualFs({ files }));
  registerEtcdctl(shell, { etcd: etcd as unknown as EtcdClientLike });
  const out: string[] = [];
  const err: string[] = [];
  const io: ShellIO = { print: (t) => out.push(t), error: (t) => err.push(t), clear() {} };
  const run = async (line: string, signal?: AbortSignal) => {
    out.length = 0;
    err.length = 0;
    const status = await shell.execute(line, io, { signal });
    return { status, out: out.join('\n'), err: err.join('\n') };
  };
  return { etcd, run };
}

const TXN = `mod("key1") > "0"

put key1 "overwrote-key1"

put key1 "created-key1"
put key2 "some extra key"
`;

describe('etcdctl txn and compaction', () => {
  it("runs etcdctl's own help example: the failure branch first, then the success branch", async () => {
    const { run } = setup({ 'txn.txt': TXN });
    expect(await run('etcdctl txn < txn.txt')).toEqual({ status: 0, out: 'FAILURE\n\nOK\n\nOK', err: '' });
    expect((await run('etcdctl get key1')).out).toBe('key1\ncreated-key1');
    expect(await run('etcdctl txn < txn.txt')).toEqual({ status: 0, out: 'SUCCESS\n\nOK', err: '' });
    expect((await run('etcdctl get key1')).out).toBe('key1\noverwrote-key1');
  });

  it('prints gets and deletes as etcdctl does, and -i prints the prompts', async () => {
    const { run } = setup({ 't.txt': 'value("a") = "1"\n\nget a\ndel b --prev-kv\n\nput a 2\n' });
    await run('etcdctl put a 1');
    await run('etcdctl put b x');
    expect((await run('etcdctl txn < t.txt')).out).toBe('SUCCESS\n\na\n1\n\n1\nb\nx');
    expect((await run('etcdctl txn -i < t.txt')).out).toBe('compares:\n\nsuccess requests (get, put, del):\n\nfailure requests (get, put, del):\nSUCCESS\n\na\n1\n\n0');
  });

  it("refuses what etcdctl refuses, with etcdctl's messages and exit codes", async () => {
    const { run } = setup({ 'bad.txt': 'mod(key1) > 0\n', 'op.txt': '\nputt a b\n' });
    expect(await run('etcdctl txn')).toMatchObject({ status: 3, err: expect.stringMatching(/^Error: EOF \(txn reads its requests from standard input/) });
    expect(await run('etcdctl txn < bad.txt')).toMatchObject({ status: 3, err: expect.stringMatching(/^Error: malformed comparison: mod\(key1\) > 0/) });
    expect(await run('etcdctl txn < op.txt')).toMatchObject({ status: 3, err: 'Error: invalid txn request: putt a b' });
    expect(await run('etcdctl txn x < op.txt')).toMatchObject({ status: 128, err: 'Error: txn command does not accept argument' });
    expect(await run('etcdctl txn < missing.txt')).toMatchObject({ status: 1, err: 'kubelab: missing.txt: No such file or directory' });
    expect(await run('etcdctl txn < a b')).toMatchObject({ status: 2 });
  });

  it('compacts, and a read below the compaction fails with etcd\'s error', async () => {
    const { run } = setup({});
    for (let i = 0; i < 3; i++) await run(`etcdctl put k v${i}`);
    expect(await run('etcdctl compaction 3')).toEqual({ status: 0, out: 'compacted revision 3', err: '' });
    expect(await run('etcdctl get k --rev=2')).toMatchObject({ status: 1, err: 'Error: etcdserver: mvcc: required revision has been compacted' });
    expect((await run('etcdctl get k --rev=3')).out).toBe('k\nv1');
    expect(await run('etcdctl compaction x')).toMatchObject({ status: 128 });
  });

  it('watches from a revision with the previous values until Ctrl+C, and ends as etcd ends a compacted watch', async () => {
    const { run } = setup({});
    await run('etcdctl put k v1');
    await run('etcdctl put k v2');
    await run('etcdctl del k');
    const ctrlC = new AbortController();
    const watching = run('etcdctl watch k --rev=2 --prev-kv', ctrlC.signal);
    await new Promise((r) => setTimeout(r, 20));
    ctrlC.abort();
    expect(await watching).toEqual({ status: 0, out: 'PUT\nk\nv1\nPUT\nk\nv1\nk\nv2\nDELETE\nk\nv2\nk\n', err: '' });
    await run('etcdctl compaction 4');
    expect(await run('etcdctl watch k --rev=2')).toEqual({ status: 5, out: '', err: 'watch was canceled (etcdserver: mvcc: required revision has been compacted)\nError: watch is canceled by the server' });
    expect(await run('etcdctl watch a b --prefix')).toMatchObject({ status: 128, err: 'Error: `range_end` and `--prefix` are mutually exclusive' });
  });

  it('-w fields prints the header and key-values as printer_fields.go does (and allows --count-only)', async () => {
    const { run } = setup({});
    await run('etcdctl put foo bar');
    const get = (await run('etcdctl get foo -w fields')).out.split('\n');
    expect(get.slice(2)).toEqual(['"Revision" : 2', '"RaftTerm" : 2', '"Key" : "foo"', '"CreateRevision" : 2', '"ModRevision" : 2', '"Version" : 1', '"Value" : "bar"', '"Lease" : 0', '"More" : false', '"Count" : 1']);
    expect(get[0]).toMatch(/^"ClusterID" : \d+$/);
    expect((await run('etcdctl get foo --count-only -w fields')).out.split('\n').slice(-2)).toEqual(['"More" : false', '"Count" : 1']);
    expect((await run('etcdctl put foo baz --prev-kv -w fields')).out.split('\n').slice(-6, -4)).toEqual(['"PrevKey" : "foo"', '"PrevCreateRevision" : 2']);
    expect((await run('etcdctl del foo -w fields')).out.split('\n').at(-1)).toBe('"Deleted" : 1');
  });

  it('parses compares and scripts as ParseCompare and readCompares do', () => {
    expect(parseCompare('ver("k") = "2"')).toEqual({ key: 'k', target: 'VERSION', result: '=', value: 2 });
    expect(parseCompare('c("k") != "0"')).toEqual({ key: 'k', target: 'CREATE', result: '!=', value: 0 });
    expect(parseCompare('val("k") < "b c"')).toEqual({ key: 'k', target: 'VALUE', result: '<', value: 'b c' });
    expect(() => parseCompare('nope("k") = "1"')).toThrow('malformed comparison: nope("k") = "1" (unknown target nope)');
    expect(() => parseCompare('mod("k") = "x"')).toThrow('invalid txn compare request: mod("k") = "x"');
    // No compares: the script starts with the blank line that ends them.
    expect(parseTxnScript('\nput a 1\n')).toEqual({ compare: [], success: [{ put: { key: 'a', value: '1' } }], failure: [] });
  });
});
