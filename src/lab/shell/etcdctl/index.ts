/**
 * The lab's `etcdctl` (v3.6): `get` (`--prefix`, `--from-key`, `--keys-only`, `--print-value-only`,
 * `--count-only`, `--limit`, `--rev`, `--order`, `--sort-by`, `--consistency`), `put`, `del`, with
 * `-w simple|json`, against the etcd model's clientv3-shaped client, so `etcdctl get --prefix
 * /registry/pods` shows what the API server stored. On a replicated etcd (`cluster`) it also has
 * `member list`, `endpoint status|health` (-w table|json), `move-leader`, `snapshot save` (snapshot.ts;
 * `etcdutl snapshot status` reads the file), and `--endpoints` / `--command-timeout`
 * (cluster.ts).
 */
import type { Shell, ShellIO } from '../registry';
import { FlagError, Flags, parseFlags, type FlagSpec } from '../kubectl/flags';
import { Connection, clientAddr, endpointHealth, endpointStatus, memberList, moveLeader, parseTimeout, snapshot, type EtcdctlCluster } from './cluster';
import { EXIT_BAD_ARGS, EXIT_BAD_FEATURE, EXIT_ERROR, EXIT_INTERRUPTED, EtcdctlExit } from './exit';
import { LEASE_SUBCOMMANDS, lease } from './lease';
import { compaction, txn, type TxnScript } from './txn';
import { watch, type WatchFn } from './watch';
import { snapshotSave, type SnapshotFiles } from './snapshot';
import { runUntilIdle } from '../../../sim/core/drive';
import type { FakeClock } from '../../../sim/core/clock';

export type { EtcdctlCluster, EtcdClusterClientLike, EtcdMemberLike, EtcdStatusLike } from './cluster';

/** etcdserverpb.ResponseHeader as the etcd model returns it. */
export interface EtcdHeader {
  /** uint64 in etcd: a bigint or decimal string keeps every digit. */
  clusterId: number | bigint | string;
  memberId: number | bigint | string;
  revision: number;
  raftTerm: number;
}

/** mvccpb.KeyValue as the etcd model returns it (values are text). */
export interface EtcdKeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: number;
}

/** The part of the etcd model's client (`newEtcd()`) etcdctl uses. */
export interface EtcdClientLike {
  get(
    key: string,
    opts?: {
      prefix?: boolean;
      fromKey?: boolean;
      rangeEnd?: string;
      revision?: number;
      limit?: number;
      keysOnly?: boolean;
      countOnly?: boolean;
      sortOrder?: 'NONE' | 'ASCEND' | 'DESCEND';
      sortTarget?: 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';
      serializable?: boolean;
    },
  ): Promise<{ header: EtcdHeader; kvs: EtcdKeyValue[]; more: boolean; count: number }>;
  put(key: string, value: string, opts?: { prevKv?: boolean; lease?: number }): Promise<{ header: EtcdHeader; prevKv?: EtcdKeyValue }>;
  delete(key: string, opts?: { prefix?: boolean; fromKey?: boolean; rangeEnd?: string; prevKv?: boolean }): Promise<{ header: EtcdHeader; deleted: number; prevKvs: EtcdKeyValue[] }>;
  leaseGrant?(ttlSec: number): Promise<{ id: number; ttl: number }>;
  leaseRevoke?(id: number): Promise<unknown>;
  leaseTimeToLive?(id: number, opts: { keys?: boolean }): Promise<{ id: number; ttl: number; grantedTtl: number; keys: string[] }>;
  leaseKeepAlive?(id: number): Promise<{ id: number; ttl: number }>;
  txn?(req: TxnScript): Promise<{ succeeded: boolean; responses: Array<Record<string, unknown>> }>;
  compact?(revision: number): Promise<unknown>;
  watch?: WatchFn;
  /** The single member's clock (the etcd model has one): a watch from history lets its sync loop run. */
  clock?: FakeClock;
}

/** One etcd (`etcd`, the single member the API server stores in) or a replicated one (`cluster`). */
export type EtcdctlOptions = ({ etcd: EtcdClientLike; cluster?: undefined } | { cluster: EtcdctlCluster; etcd?: undefined }) & {
  /** The lab's files, where `snapshot save` writes. */
  files?: SnapshotFiles;
};

const GLOBAL: readonly FlagSpec[] = [
  { name: 'write-out', short: 'w', type: 'string', def: 'simple', help: 'set the output format (fields, json, protobuf, simple, table)', values: ['simple', 'json', 'fields', 'table'] },
  { name: 'hex', type: 'bool', help: 'print byte strings as hex encoded strings' },
  { name: 'endpoints', type: 'string', def: '127.0.0.1:2379', help: 'gRPC endpoints' },
  { name: 'command-timeout', type: 'string', def: '5s', help: 'timeout for short running command (excluding dial timeout)' },
  { name: 'help', short: 'h', type: 'bool', help: 'help for etcdctl' },
];
/** Global flags that take a value (for finding the command among the arguments). */
const VALUE_FLAGS = new Set(['-w', '--write-out', '--endpoints', '--command-timeout']);
const ENDPOINT: readonly FlagSpec[] = [{ name: 'cluster', type: 'bool', help: 'use all endpoints from the cluster member list' }];
const LEASE: readonly FlagSpec[] = [
  { name: 'keys', type: 'bool', help: 'Get keys attached to this lease' },
  { name: 'once', type: 'bool', help: 'Resets the keep-alive time to its original value and cobrautl.Exits immediately' },
];
const CLUSTER_COMMANDS = ['member', 'endpoint', 'move-leader', 'snapshot'];
const TXN: readonly FlagSpec[] = [{ name: 'interactive', short: 'i', type: 'bool', help: 'Input transaction in interactive mode' }];
const WATCH: readonly FlagSpec[] = [
  { name: 'prefix', type: 'bool', help: 'Watch on a prefix if prefix is set' },
  { name: 'rev', type: 'int', help: 'Revision to start watching' },
  { name: 'prev-kv', type: 'bool', help: 'get the previous key-value pair before the event happens' },
];
const COMPACTION: readonly FlagSpec[] = [{ name: 'physical', type: 'bool', help: "'true' to wait for compaction to physically remove all old revisions" }];

const GET: readonly FlagSpec[] = [
  { name: 'prefix', type: 'bool', help: 'Get keys with matching prefix' },
  { name: 'from-key', type: 'bool', help: 'Get keys that are greater than or equal to the given key using byte compare' },
  { name: 'keys-only', type: 'bool', help: 'Get only the keys' },
  { name: 'count-only', type: 'bool', help: 'Get only the count' },
  { name: 'print-value-only', type: 'bool', help: 'Only write values when using the "simple" output format' },
  { name: 'limit', type: 'int', help: 'Maximum number of results' },
  { name: 'rev', type: 'int', help: 'Specify the kv revision' },
  { name: 'order', type: 'string', help: 'Order of results; ASCEND or DESCEND (ASCEND by default)', values: ['ASCEND', 'DESCEND'] },
  { name: 'sort-by', type: 'string', help: 'Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION', values: ['CREATE', 'KEY', 'MODIFY', 'VALUE', 'VERSION'] },
  { name: 'consistency', type: 'string', def: 'l', help: 'Linearizable(l) or Serializable(s)', values: ['l', 's'] },
];
const PUT: readonly FlagSpec[] = [
  { name: 'prev-kv', type: 'bool', help: 'return the previous key-value pair before modification' },
  { name: 'lease', type: 'string', help: 'lease ID (in hexadecimal) to attach to the key' },
];
const DEL: readonly FlagSpec[] = [
  { name: 'prefix', type: 'bool', help: 'delete keys with matching prefix' },
  { name: 'prev-kv', type: 'bool', help: 'return deleted key-value pairs' },
  { name: 'from-key', type: 'bool', help: 'delete keys that are greater than or equal to the given key using byte compare' },
];

const b64 = (s: string) => {
  let bin = '';
  for (const byte of new TextEncoder().encode(s)) bin += String.fromCharCode(byte);
  return btoa(bin);
};

const hexOf = (s: string) => [...new TextEncoder().encode(s)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');

/** JSON of a header as etcdctl -w json prints it (json.Marshal of the protobuf structs). */
function headerJson(h: EtcdHeader): string {
  return `{"cluster_id":${String(h.clusterId)},"member_id":${String(h.memberId)},"revision":${h.revision},"raft_term":${h.raftTerm}}`;
}

function kvJson(kv: EtcdKeyValue): string {
  let s = `{"key":"${b64(kv.key)}","create_revision":${kv.createRevision},"mod_revision":${kv.modRevision},"version":${kv.version}`;
  if (kv.value !== '') s += `,"value":"${b64(kv.value)}"`;
  if (kv.lease) s += `,"lease":${kv.lease}`;
  return s + '}';
}

/** The `-w fields` lines of a header and of a key-value. Upstream: printer_fields.go (hdr, kv) */
function headerFields(h: EtcdHeader): string[] {
  const out = [`"ClusterID" : ${String(h.clusterId)}`, `"MemberID" : ${String(h.memberId)}`];
  if (h.revision > 0) out.push(`"Revision" : ${h.revision}`);
  out.push(`"RaftTerm" : ${h.raftTerm}`);
  return out;
}

function kvFields(pfx: string, kv: EtcdKeyValue): string[] {
  return [
    `"${pfx}Key" : ${JSON.stringify(kv.key)}`,
    `"${pfx}CreateRevision" : ${kv.createRevision}`,
    `"${pfx}ModRevision" : ${kv.modRevision}`,
    `"${pfx}Version" : ${kv.version}`,
    `"${pfx}Value" : ${JSON.stringify(kv.value)}`,
    `"${pfx}Lease" : ${kv.lease}`,
  ];
}

/** Registers `etcdctl` in a shell. */
export function registerEtcdctl(shell: Shell, opts: EtcdctlOptions): Shell {
  const replicated = opts.cluster !== undefined;
  return shell.register('etcdctl', {
    summary: replicated
      ? 'talk to the replicated etcd (etcdctl v3.6: get [--consistency=s], put, del, member list, endpoint status|health, move-leader)'
      : "read the API server's etcd (etcdctl v3.6: get --prefix /registry/..., put, del)",
    usage: replicated
      ? `etcdctl [--endpoints=<host:port>,...] [--command-timeout=5s] [-w simple|json|table] <command>
       get <key> [range_end] [--prefix] [--consistency=l|s] | put <key> <value> [--lease=<hex id>] | del <key> [--prefix]
       txn [-i] < file (compares, blank line, success requests, blank line, failure requests) | compaction <rev>
       watch <key> [--prefix] [--rev=N] [--prev-kv]   (until Ctrl+C)
       lease grant <ttl> | lease revoke <id> | lease timetolive <id> [--keys] | lease keep-alive --once <id>
       member list | endpoint status [--cluster] | endpoint health [--cluster] | move-leader <hex member id>
       snapshot save <file> --endpoints=<one member>   (then: etcdutl snapshot status <file> [-w table])
  Endpoints default to every member's client address (${(opts.cluster?.members() ?? []).map(clientAddr).join(',')}),
  not etcdctl's own default 127.0.0.1:2379 (no member listens there). A request that waits longer
  than --command-timeout fails with "context deadline exceeded"; virtual time passes while it waits.`
      : 'etcdctl [-w simple|json] get <key> [range_end] [--prefix] [--keys-only] | put <key> <value> | del <key> [--prefix] | txn [-i] < file | watch <key> [--prefix] [--rev=N] [--prev-kv] | compaction <rev> | lease grant|revoke|timetolive|keep-alive --once',
    run: (args, { io, stdin, signal }) => runEtcdctl(opts, args, io, stdin, signal),
    complete(args, partial) {
      if (args.length === 0) return ['get', 'put', 'del', 'txn', 'watch', 'compaction', 'lease', 'version', ...(replicated ? CLUSTER_COMMANDS : [])];
      const sub = args.find((a) => !a.startsWith('-'));
      if (partial.startsWith('-')) {
        const specs = [...GLOBAL, ...(sub === 'get' ? GET : sub === 'put' ? PUT : sub === 'del' ? DEL : sub === 'endpoint' ? ENDPOINT : [])];
        return specs.map((s) => `--${s.name}`);
      }
      if (args[args.length - 1] === '-w' || args[args.length - 1] === '--write-out') return ['simple', 'json', ...(replicated ? ['table'] : [])];
      if (sub === 'member' && args.length === 1) return ['list'];
      if (sub === 'endpoint' && args.length === 1) return ['status', 'health'];
      if (sub === 'lease' && args.length === 1) return LEASE_SUBCOMMANDS;
      if (sub === 'lease') return [];
      if (sub === 'move-leader' || sub === 'member' || sub === 'endpoint') return [];
      return partial === '' || '/registry/'.startsWith(partial) ? ['/registry/'] : [];
    },
  });
}

/** The command among the arguments: the first that is neither a flag nor a global flag's value. */
function commandIndex(args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith('-')) return i;
    if (VALUE_FLAGS.has(args[i])) i++;
  }
  return -1;
}

// Upstream: etcd v3.6.0 etcdctl/ctlv3/command (get_command.go, put_command.go, del_command.go, printer_simple.go, printer_json.go)
async function runEtcdctl(opts: EtcdctlOptions, args: string[], io: ShellIO, stdin?: string, signal?: AbortSignal): Promise<number> {
  const subIndex = commandIndex(args);
  const sub = subIndex >= 0 ? args[subIndex] : undefined;
  const rest = subIndex >= 0 ? [...args.slice(0, subIndex), ...args.slice(subIndex + 1)] : args;
  try {
    if (sub === undefined) {
      io.print(
        'NAME:\n\tetcdctl - A simple command line client for etcd3.\n\nUSAGE:\n\tetcdctl [flags]\n\nCOMMANDS:\n\tdel\tRemoves the specified key or range of keys [key, range_end)\n' +
          (opts.cluster ? '\tendpoint health\tChecks the healthiness of endpoints specified in `--endpoints` flag\n\tendpoint status\tPrints out the status of endpoints specified in `--endpoints` flag\n' : '') +
          '\tcompaction\tCompacts the event history in etcd\n\tget\tGets the key or a range of keys\n\tlease\tLease related commands\n' +
          (opts.cluster ? '\tmember list\tLists all members in the cluster\n\tmove-leader\tTransfers leadership to another etcd cluster member.\n' : '') +
          '\tput\tPuts the given key into the store\n\ttxn\tTxn processes all the requests in one transaction\n\tversion\tPrints the version of etcdctl\n\twatch\tWatches events stream on keys or prefixes',
      );
      return 0;
    }
    if (sub === 'version') {
      io.print('etcdctl version: 3.6.0\nAPI version: 3.6');
      return 0;
    }
    if (CLUSTER_COMMANDS.includes(sub) && sub !== 'snapshot' && !opts.cluster) {
      throw new EtcdctlExit(EXIT_ERROR, `${sub}: this lab's etcd is a single member the API server stores in; a lab with a replicated etcd (lab.yaml raft: { etcd: true }) has member list, endpoint status|health and move-leader`);
    }
    const specs =
      sub === 'get' ? GET : sub === 'put' ? PUT : sub === 'del' ? DEL : sub === 'lease' ? LEASE : sub === 'endpoint' ? ENDPOINT : sub === 'txn' ? TXN : sub === 'compaction' ? COMPACTION : sub === 'watch' ? WATCH : opts.cluster && CLUSTER_COMMANDS.includes(sub) ? [] : undefined;
    if (!specs) throw new EtcdctlExit(EXIT_ERROR, `unknown command "${sub}" for "etcdctl"`);
    let flags: Flags;
    try {
      flags = new Flags(parseFlags(rest, [...GLOBAL, ...specs]));
    } catch (err) {
      if (err instanceof FlagError) throw new EtcdctlExit(EXIT_ERROR, err.message);
      throw err;
    }
    const pos = flags.parsed.positional;
    const out = flags.str('write-out', 'simple');
    let etcd: EtcdClientLike;
    let call: <T>(fn: () => Promise<T>) => Promise<T> = callOne;
    if (opts.cluster) {
      const eps = flags.parsed.values.has('endpoints') ? flags.str('endpoints').split(',').filter(Boolean) : opts.cluster.members().map(clientAddr);
      const conn = new Connection(opts.cluster, eps, parseTimeout(flags.str('command-timeout', '5s')));
      if (sub === 'member') return await memberList(conn, pos, out, io);
      if (sub === 'endpoint') {
        if (pos[0] === 'status') return await endpointStatus(conn, flags.bool('cluster'), out, io);
        if (pos[0] === 'health') return await endpointHealth(conn, flags.bool('cluster'), out, io);
        throw new EtcdctlExit(EXIT_BAD_ARGS, `endpoint needs a subcommand: status or health${pos[0] ? ` (the lab's etcdctl has no endpoint ${pos[0]})` : ''}`);
      }
      if (sub === 'move-leader') return await moveLeader(conn, pos, io);
      if (sub === 'snapshot' && pos[0] === 'save') {
        const cluster = opts.cluster;
        return await snapshotSave(pos.slice(1), conn.endpoints, async () => {
          // The member must answer (a Snapshot RPC to it); then its keyspace is read.
          const ep = conn.endpoints[0];
          const id = Number(/:(\d+)2379\/?$/.exec(ep)?.[1] ?? 0);
          const client = conn.client([ep]);
          await conn.call(() => client.status());
          if (!cluster.snapshot || !cluster.members().includes(id)) throw new EtcdctlExit(EXIT_INTERRUPTED, `could not save a snapshot of ${ep}`);
          return cluster.snapshot(id);
        }, opts.files, io);
      }
      if (sub === 'snapshot') return snapshot(pos);
      etcd = conn.client();
      call = (fn) => conn.call(fn);
    } else etcd = opts.etcd;
    if (sub === 'lease') {
      if (out !== 'simple') throw new EtcdctlExit(EXIT_BAD_FEATURE, `unsupported output format ${out} (the lab's etcdctl prints lease in simple)`);
      return await lease(etcd, call, pos, { keys: flags.bool('keys'), once: flags.bool('once') }, io);
    }
    if ((sub === 'txn' || sub === 'compaction') && out !== 'simple') throw new EtcdctlExit(EXIT_BAD_FEATURE, `unsupported output format ${out} (the lab's etcdctl prints ${sub} in simple)`);
    if (sub === 'txn') return await txn(etcd, call, pos, flags.bool('interactive'), stdin, io);
    if (sub === 'watch') {
      if (out !== 'simple') throw new EtcdctlExit(EXIT_BAD_FEATURE, `unsupported output format ${out} (the lab's etcdctl prints watch in simple)`);
      const cluster = opts.cluster;
      const clock = etcd.clock;
      // History comes with etcd's watch sync loop (every 100 ms): let it run once.
      const settle = cluster ? () => cluster.within(new Promise<never>(() => {}), 200).catch(() => undefined) : clock ? () => runUntilIdle(clock, { forMs: 200 }).then(() => undefined) : async () => {};
      return await watch(etcd.watch?.bind(etcd), pos, { prefix: flags.bool('prefix'), rev: flags.int('rev', 0), prevKv: flags.bool('prev-kv') }, io, signal, settle);
    }
    if (sub === 'compaction') return await compaction(etcd, call, pos, io);
    if (out !== 'simple' && out !== 'json' && out !== 'fields') throw new EtcdctlExit(EXIT_BAD_FEATURE, `unsupported output format ${out} (the lab's etcdctl prints simple, json and fields for ${sub})`);
    const hex = flags.bool('hex');
    const printKV = (kv: EtcdKeyValue, valueOnly = false) => {
      const k = hex ? hexOf(kv.key) : kv.key;
      const v = hex ? hexOf(kv.value) : kv.value;
      if (!valueOnly) io.print(k);
      io.print(v);
    };
    if (sub === 'get') {
      if (pos.length === 0) throw new EtcdctlExit(EXIT_BAD_ARGS, 'get command needs one argument as key and an optional argument as range_end');
      const prefix = flags.bool('prefix');
      const fromKey = flags.bool('from-key');
      if (prefix && fromKey) throw new EtcdctlExit(EXIT_BAD_ARGS, '`--prefix` and `--from-key` cannot be set at the same time, choose one');
      if (flags.bool('keys-only') && flags.bool('count-only')) throw new EtcdctlExit(EXIT_BAD_ARGS, '`--keys-only` and `--count-only` cannot be set at the same time, choose one');
      if (pos.length > 1 && (prefix || fromKey)) throw new EtcdctlExit(EXIT_BAD_ARGS, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set');
      const order = flags.str('order').toUpperCase();
      if (order && order !== 'ASCEND' && order !== 'DESCEND') throw new EtcdctlExit(EXIT_BAD_FEATURE, `bad sort order ${flags.str('order')}`);
      const target = flags.str('sort-by').toUpperCase();
      const targets: Record<string, 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE'> = { CREATE: 'CREATE', KEY: 'KEY', MODIFY: 'MOD', VALUE: 'VALUE', VERSION: 'VERSION' };
      if (target && !(target in targets)) throw new EtcdctlExit(EXIT_BAD_FEATURE, `bad sort target ${flags.str('sort-by')}`);
      let key = pos[0];
      const o: Parameters<EtcdClientLike['get']>[1] = {};
      if (pos.length > 1) o.rangeEnd = pos[1];
      if (flags.int('limit', 0) > 0) o.limit = flags.int('limit', 0);
      if (flags.int('rev', 0) > 0) o.revision = flags.int('rev', 0);
      if (order) o.sortOrder = order as 'ASCEND' | 'DESCEND';
      if (target) o.sortTarget = targets[target];
      if (prefix) {
        if (key === '') {
          key = '\x00';
          o.fromKey = true;
        } else o.prefix = true;
      }
      if (fromKey) {
        if (key === '') key = '\x00';
        o.fromKey = true;
      }
      if (flags.bool('keys-only')) o.keysOnly = true;
      if (flags.bool('count-only')) o.countOnly = true;
      if (flags.str('consistency', 'l') === 's') o.serializable = true;
      const resp = await call(() => etcd.get(key, o));
      if (flags.bool('count-only') && out !== 'fields') throw new EtcdctlExit(EXIT_BAD_ARGS, '--count-only is only for `--write-out=fields`');
      if (flags.bool('print-value-only') && out !== 'simple') throw new EtcdctlExit(EXIT_BAD_ARGS, 'print-value-only is only for `--write-out=simple`');
      if (out === 'fields') {
        for (const line of [...headerFields(resp.header), ...resp.kvs.flatMap((kv) => kvFields('', kv)), `"More" : ${resp.more}`, `"Count" : ${resp.count}`]) io.print(line);
      } else if (out === 'json') {
        let s = `{"header":${headerJson(resp.header)}`;
        if (resp.kvs.length) s += `,"kvs":[${resp.kvs.map(kvJson).join(',')}]`;
        if (resp.more) s += ',"more":true';
        if (resp.count) s += `,"count":${resp.count}`;
        io.print(s + '}');
      } else for (const kv of resp.kvs) printKV(kv, flags.bool('print-value-only'));
      return 0;
    }
    if (sub === 'put') {
      if (pos.length === 0) throw new EtcdctlExit(EXIT_BAD_ARGS, 'put command needs 1 argument and input from stdin or 2 arguments');
      if (pos.length < 2) throw new EtcdctlExit(EXIT_BAD_ARGS, 'put command needs 1 argument and input from stdin or 2 arguments');
      const lease = flags.str('lease') ? parseInt(flags.str('lease'), 16) : 0;
      if (Number.isNaN(lease)) throw new EtcdctlExit(EXIT_BAD_ARGS, `bad lease ID (strconv.ParseInt: parsing "${flags.str('lease')}": invalid syntax), expecting ID in Hex`);
      const resp = await call(() => etcd.put(pos[0], pos[1], { prevKv: flags.bool('prev-kv'), ...(lease ? { lease } : {}) }));
      if (out === 'fields') for (const line of [...headerFields(resp.header), ...(resp.prevKv ? kvFields('Prev', resp.prevKv) : [])]) io.print(line);
      else if (out === 'json') io.print(`{"header":${headerJson(resp.header)}${resp.prevKv ? `,"prev_kv":${kvJson(resp.prevKv)}` : ''}}`);
      else {
        io.print('OK');
        if (resp.prevKv) printKV(resp.prevKv);
      }
      return 0;
    }
    // del
    if (pos.length === 0 || pos.length > 2) throw new EtcdctlExit(EXIT_BAD_ARGS, 'del command needs one argument as key and an optional argument as range_end');
    const prefix = flags.bool('prefix');
    const fromKey = flags.bool('from-key');
    if (prefix && fromKey) throw new EtcdctlExit(EXIT_BAD_ARGS, '`--prefix` and `--from-key` cannot be set at the same time, choose one');
    let key = pos[0];
    const o: Parameters<EtcdClientLike['delete']>[1] = { prevKv: flags.bool('prev-kv') };
    if (pos.length > 1) o.rangeEnd = pos[1];
    if (prefix) {
      if (key === '') {
        key = '\x00';
        o.fromKey = true;
      } else o.prefix = true;
    }
    if (fromKey) {
      if (key === '') key = '\x00';
      o.fromKey = true;
    }
    const resp = await call(() => etcd.delete(key, o));
    if (out === 'fields') {
      for (const line of [...headerFields(resp.header), `"Deleted" : ${resp.deleted}`, ...resp.prevKvs.flatMap((kv) => kvFields('Prev', kv))]) io.print(line);
    } else if (out === 'json') {
      io.print(`{"header":${headerJson(resp.header)}${resp.deleted ? `,"deleted":${resp.deleted}` : ''}${resp.prevKvs.length ? `,"prev_kvs":[${resp.prevKvs.map(kvJson).join(',')}]` : ''}}`);
    } else {
      io.print(String(resp.deleted));
      for (const kv of resp.prevKvs) printKV(kv);
    }
    return 0;
  } catch (err) {
    if (err instanceof EtcdctlExit) {
      if (!err.quiet) io.error(`Error: ${err.message}`);
      return err.code;
    }
    throw err;
  }
}

async function callOne<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new EtcdctlExit(EXIT_ERROR, err instanceof Error ? err.message : String(err));
  }
}
