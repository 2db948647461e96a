/**
 * etcdctl against a replicated etcd: the endpoints (`--endpoints`, `--cluster`), the command
 * timeout (`--command-timeout`, 5 s: a request that waits longer fails `context deadline
 * exceeded`), `member list`, `endpoint status|health`, `move-leader`, `snapshot`.
 * Upstream: etcd v3.6.0 etcdctl/ctlv3/command (global.go commandCtx, ep_command.go,
 * member_command.go, move_leader_command.go, snapshot_command.go, printer.go, printer_simple.go, printer_table.go).
 */
import type { ShellIO } from '../registry';
import type { EtcdClientLike, EtcdHeader } from './index';
import { EXIT_BAD_ARGS, EXIT_BAD_FEATURE, EXIT_ERROR, EtcdctlExit } from './exit';
import { goDuration, humanizeBytes, renderTable } from './table';
import type { SnapshotFile } from './snapshot';

/** etcdserverpb.Member as etcdctl prints it. */
export interface EtcdMemberLike {
  id: number;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

/** etcdserverpb.StatusResponse (the fields etcdctl prints). */
export interface EtcdStatusLike {
  header: EtcdHeader;
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  leader: number;
  isLearner: boolean;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  errors: string[];
}

/** A clientv3 client of the replicated etcd (`EtcdClusterClient` is one). */
export interface EtcdClusterClientLike extends EtcdClientLike {
  memberList(): Promise<{ header: EtcdHeader; members: EtcdMemberLike[] }>;
  status(id?: number): Promise<EtcdStatusLike>;
  moveLeader(transferee: number, opts: { leader?: number }): Promise<unknown>;
}

/** The replicated etcd as etcdctl reaches it. */
export interface EtcdctlCluster {
  /** The members (ids): etcdctl's default endpoints here are their client addresses. */
  members(): number[];
  /** clientv3.New with these members as endpoints. */
  client(endpoints: number[]): EtcdClusterClientLike;
  /** Lets virtual time pass until `p` settles or `ms` have passed (then it rejects `context deadline exceeded`). */
  within<T>(p: Promise<T>, ms: number): Promise<T>;
  /** Virtual time (ms). */
  now(): number;
  /** A member's keyspace as a snapshot file holds it (`snapshot save`). */
  snapshot?(id: number): SnapshotFile;
}

export const DEADLINE_EXCEEDED = 'context deadline exceeded';
/** The client model's answer when no endpoint's member is up; etcdctl's dial keeps trying until its deadline. */
const NO_ENDPOINTS = 'etcdclient: no available endpoints';
/** Upstream: server/storage/quota.go (DefaultQuotaBytes, 2 GiB), what `endpoint status` shows as quota. */
const DEFAULT_QUOTA_BYTES = 2 * 1024 * 1024 * 1024;
/** Upstream: etcd v3.6 reports its storage version in Status; the model keeps none apart from the version. */
const STORAGE_VERSION = '3.6.0';

/** A member's client address, as etcd's Procfile gives it (`127.0.0.1:<id>2379`). */
export const clientAddr = (id: number) => `127.0.0.1:${id}2379`;

/** The member an endpoint names (`127.0.0.1:12379`, `http://localhost:12379`), or undefined if none listens there. */
export function endpointMember(ep: string): number | undefined {
  const m = /^(?:https?:\/\/)?(?:127\.0\.0\.1|localhost):(\d+)2379\/?$/.exec(ep);
  return m ? Number(m[1]) : undefined;
}

/** Parses `--command-timeout` (Go durations: 5s, 500ms, 1m). */
export function parseTimeout(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(raw);
  if (!m) throw new EtcdctlExit(EXIT_ERROR, `invalid argument "${raw}" for "--command-timeout" flag: time: invalid duration "${raw}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
}

/** One etcdctl invocation's connection: its endpoints and its command timeout. */
export class Connection {
  constructor(
    readonly cluster: EtcdctlCluster,
    readonly endpoints: string[],
    readonly timeoutMs: number,
  ) {
    for (const ep of endpoints) {
      if (!/^(?:https?:\/\/)?[^/:]+:\d+\/?$/.test(ep)) {
        throw new EtcdctlExit(EXIT_ERROR, `bad endpoint ${JSON.stringify(ep)}: write host:port, e.g. ${cluster.members().map(clientAddr).join(',')}`);
      }
    }
  }

  /** clientv3.New(endpoints): an endpoint no member listens on is one the client never reaches. */
  client(endpoints = this.endpoints): EtcdClusterClientLike {
    return this.cluster.client(endpoints.map((ep) => endpointMember(ep) ?? 0));
  }

  /** A request under commandCtx: it fails `context deadline exceeded` once the timeout passed. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    // No member up: gRPC keeps dialing (connection refused) until the deadline.
    const p = fn().catch((err: unknown) => (err instanceof Error && err.message === NO_ENDPOINTS ? new Promise<T>(() => {}) : Promise.reject(err)));
    try {
      return await this.cluster.within(p, this.timeoutMs);
    } catch (err) {
      throw new EtcdctlExit(EXIT_ERROR, err instanceof Error ? err.message : String(err));
    }
  }
}

const MEMBER_HEADER = ['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'];
const STATUS_HEADER = [
  'endpoint', 'ID', 'version', 'storage version', 'db size', 'in use', 'percentage not in use', 'quota', 'is leader', 'is learner',
  'raft term', 'raft index', 'raft applied index', 'errors', 'downgrade target version', 'downgrade enabled',
];
const HEALTH_HEADER = ['endpoint', 'health', 'took', 'error'];

/** Prints rows as etcdctl's simple printer (`, `-joined) or table printer. */
function display(io: ShellIO, out: string, header: string[], rows: string[][]): void {
  if (out === 'table') io.print(renderTable(header, rows));
  else for (const r of rows) io.print(r.join(', '));
}

function outputOf(out: string, sub: string, json = false): string {
  if (out !== 'simple' && out !== 'table' && !(json && out === 'json')) {
    throw new EtcdctlExit(EXIT_BAD_FEATURE, `unsupported output format ${out} for ${sub} (the lab's etcdctl prints simple${json ? ', json' : ''} and table here)`);
  }
  return out;
}

/** A ResponseHeader as json.Marshal writes it (protobuf's json tags, zero fields omitted). */
function headerJson(h: EtcdHeader): string {
  const f: string[] = [];
  if (String(h.clusterId) !== '0') f.push(`"cluster_id":${String(h.clusterId)}`);
  if (String(h.memberId) !== '0') f.push(`"member_id":${String(h.memberId)}`);
  if (h.revision) f.push(`"revision":${h.revision}`);
  if (h.raftTerm) f.push(`"raft_term":${h.raftTerm}`);
  return `{${f.join(',')}}`;
}

/** `member list -w json`. Upstream: printer_json.go (MemberList: printJSON of clientv3.MemberListResponse) */
function memberListJson(header: EtcdHeader, members: EtcdMemberLike[]): string {
  const member = (m: EtcdMemberLike) => {
    const f = [`"ID":${m.id}`];
    if (m.name) f.push(`"name":${JSON.stringify(m.name)}`);
    if (m.peerURLs.length) f.push(`"peerURLs":${JSON.stringify(m.peerURLs)}`);
    if (m.clientURLs.length) f.push(`"clientURLs":${JSON.stringify(m.clientURLs)}`);
    if (m.isLearner) f.push('"isLearner":true');
    return `{${f.join(',')}}`;
  };
  // The cluster service fills no revision in its headers (printer_fields.go's note on MemberList).
  return `{"header":${headerJson({ ...header, revision: 0 })}${members.length ? `,"members":[${members.map(member).join(',')}]` : ''}}`;
}

/** One `endpoint status -w json` element. Upstream: ep_command.go (epStatus{Endpoint, Status}), rpc.pb.go (StatusResponse's json tags, in field order) */
function statusJson(ep: string, s: EtcdStatusLike): string {
  const f = [`"header":${headerJson(s.header)}`];
  if (s.version) f.push(`"version":${JSON.stringify(s.version)}`);
  if (s.dbSize) f.push(`"dbSize":${s.dbSize}`);
  if (s.leader) f.push(`"leader":${s.leader}`);
  if (s.raftIndex) f.push(`"raftIndex":${s.raftIndex}`);
  if (s.raftTerm) f.push(`"raftTerm":${s.raftTerm}`);
  if (s.raftAppliedIndex) f.push(`"raftAppliedIndex":${s.raftAppliedIndex}`);
  if (s.errors.length) f.push(`"errors":${JSON.stringify(s.errors)}`);
  if (s.dbSizeInUse) f.push(`"dbSizeInUse":${s.dbSizeInUse}`);
  if (s.isLearner) f.push('"isLearner":true');
  f.push(`"storageVersion":${JSON.stringify(STORAGE_VERSION)}`, `"dbSizeQuota":${DEFAULT_QUOTA_BYTES}`);
  return `{"Endpoint":${JSON.stringify(ep)},"Status":{${f.join(',')}}}`;
}

// Upstream: printer.go (makeMemberListTable)
function memberRows(members: EtcdMemberLike[]): string[][] {
  return members.map((m) => [m.id.toString(16), m.name ? 'started' : 'unstarted', m.name, m.peerURLs.join(','), m.clientURLs.join(','), String(m.isLearner)]);
}

// Upstream: member_command.go (memberListCommandFunc)
export async function memberList(conn: Connection, args: string[], out: string, io: ShellIO): Promise<number> {
  if (args[0] !== 'list') throw new EtcdctlExit(EXIT_BAD_ARGS, args[0] === undefined ? 'member needs a subcommand: list (members are added and removed here with cluster add-member / remove-member / promote)' : `member ${args[0]}: the lab's etcdctl has member list; change members with cluster add-member / remove-member / promote`);
  const fmt = outputOf(out, 'member list', true);
  const client = conn.client();
  const resp = await conn.call(() => client.memberList());
  if (fmt === 'json') io.print(memberListJson(resp.header, resp.members));
  else display(io, fmt, MEMBER_HEADER, memberRows(resp.members));
  return 0;
}

/** `endpoint ... --cluster`: every member's client URLs, from the member list. Upstream: ep_command.go (endpointsFromCluster) */
async function endpointsOf(conn: Connection, cluster: boolean): Promise<string[]> {
  if (!cluster) return conn.endpoints;
  const client = conn.client();
  try {
    const resp = await conn.call(() => client.memberList());
    return resp.members.flatMap((m) => m.clientURLs);
  } catch (err) {
    throw new EtcdctlExit(EXIT_ERROR, `failed to fetch endpoints from etcd cluster member list: ${(err as Error).message}`);
  }
}

// Upstream: ep_command.go (epStatusCommandFunc), printer.go (makeEndpointStatusTable)
export async function endpointStatus(conn: Connection, cluster: boolean, out: string, io: ShellIO): Promise<number> {
  const fmt = outputOf(out, 'endpoint status', true);
  const rows: string[][] = [];
  const json: string[] = [];
  let failed = false;
  for (const ep of await endpointsOf(conn, cluster)) {
    const client = conn.client([ep]);
    try {
      const s = await conn.call(() => client.status());
      const memberId = Number(s.header.memberId);
      json.push(statusJson(ep, s));
      const notInUse = Math.trunc(100 - (s.dbSizeInUse * 100) / s.dbSize);
      rows.push([
        ep, memberId.toString(16), s.version, STORAGE_VERSION, humanizeBytes(s.dbSize), humanizeBytes(s.dbSizeInUse), `${notInUse}%`, humanizeBytes(DEFAULT_QUOTA_BYTES),
        String(s.leader === memberId), String(s.isLearner), String(s.raftTerm), String(s.raftIndex), String(s.raftAppliedIndex), s.errors.join(', '), '', 'false',
      ]);
    } catch (err) {
      failed = true;
      io.error(`Failed to get the status of endpoint ${ep} (${(err as Error).message})`);
    }
  }
  if (fmt === 'json') io.print(`[${json.join(',')}]`);
  else display(io, fmt, STATUS_HEADER, rows);
  if (failed) throw new EtcdctlExit(EXIT_ERROR, '', true);
  return 0;
}

// Upstream: ep_command.go (epHealthCommandFunc: a linearizable Get of "health" on each endpoint at once), printer_simple.go (EndpointHealth)
export async function endpointHealth(conn: Connection, cluster: boolean, out: string, io: ShellIO): Promise<number> {
  const fmt = outputOf(out, 'endpoint health', true);
  const eps = await endpointsOf(conn, cluster);
  const start = conn.cluster.now();
  const done: Array<{ ep: string; health: boolean; took: string; error: string }> = [];
  // The checks run concurrently; they are listed in the order they finish.
  await Promise.all(
    eps.map(async (ep) => {
      const client = conn.client([ep]);
      let error = '';
      try {
        await conn.call(() => client.get('health'));
      } catch (err) {
        error = (err as Error).message;
      }
      done.push({ ep, health: !error, took: goDuration(conn.cluster.now() - start), error });
    }),
  );
  if (fmt === 'table') io.print(renderTable(HEALTH_HEADER, done.map((h) => [h.ep, String(h.health), h.took, h.error])));
  // Upstream: ep_command.go (epHealth's json tags: endpoint, health, took, error omitted when empty)
  else if (fmt === 'json') io.print(JSON.stringify(done.map((h) => ({ endpoint: h.ep, health: h.health, took: h.took, ...(h.error ? { error: h.error } : {}) }))));
  else {
    for (const h of done) {
      if (h.health) io.print(`${h.ep} is healthy: successfully committed proposal: took = ${h.took}`);
      else io.error(`${h.ep} is unhealthy: failed to commit proposal: ${h.error}`);
    }
  }
  if (done.some((h) => !h.health)) throw new EtcdctlExit(EXIT_ERROR, 'unhealthy cluster');
  return 0;
}

// Upstream: move_leader_command.go (transferLeadershipCommandFunc), printer_simple.go (MoveLeader)
export async function moveLeader(conn: Connection, args: string[], io: ShellIO): Promise<number> {
  if (args.length !== 1) throw new EtcdctlExit(EXIT_BAD_ARGS, 'move-leader command needs 1 argument');
  if (!/^[0-9a-fA-F]+$/.test(args[0])) throw new EtcdctlExit(EXIT_BAD_ARGS, `strconv.ParseUint: parsing ${JSON.stringify(args[0])}: invalid syntax`);
  const target = parseInt(args[0], 16);
  let leader: number | undefined;
  for (const ep of conn.endpoints) {
    const client = conn.client([ep]);
    const s = await conn.call(() => client.status());
    if (Number(s.header.memberId) === s.leader) {
      leader = s.leader;
      break;
    }
  }
  if (leader === undefined) throw new EtcdctlExit(EXIT_BAD_ARGS, `no leader endpoint given at [${conn.endpoints.join(' ')}]`);
  const client = conn.client();
  const from = leader;
  await conn.call(() => client.moveLeader(target, { leader: from }));
  io.print(`Leadership transferred from ${from.toString(16)} to ${target.toString(16)}`);
  return 0;
}

/** etcdctl 3.6 keeps only `snapshot save`; `snapshot status` and `restore` moved to etcdutl. Upstream: snapshot_command.go */
export function snapshot(args: string[]): number {
  if (args[0] === 'status' || args[0] === 'restore') {
    throw new EtcdctlExit(EXIT_ERROR, `etcdctl 3.6 has no "snapshot ${args[0]}": it moved to etcdutl (etcdutl snapshot ${args[0]} <file>${args[0] === 'status' ? ', after etcdctl snapshot save <file>' : ': not in this lab'})`);
  }
  throw new EtcdctlExit(EXIT_ERROR, `snapshot ${args[0] ?? ''}: etcdctl 3.6 has snapshot save <file> (a copy of a member's backend): not supported in this lab, which keeps no files of the members`.replace('snapshot :', 'snapshot:'));
}
