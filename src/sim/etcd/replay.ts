/**
 * Rebuilds an etcd member's keyspace from trace events alone, for the keyspace view's time
 * travel: a `Replayer` over `etcdReducer` (checkpointed) or `replayEtcd(events, n)` from scratch.
 * `etcd.put` and `etcd.delete` carry the key, the revision and the four per-key numbers, so the
 * replay needs nothing else; values longer than 64 characters are cut in events, and so here.
 * The property tests check the replay against the live member after every operation.
 */
import { Replayer, replayOnce, type Reducer } from '../core/replay';
import type { TraceEvent } from '../core/trace';
import { toBytes } from './bytes';
import { etcdEvents, type EtcdEvent } from './events';

/** One key as replayed (Go: mvccpb.KeyValue, the value cut to 64 characters). */
export interface ReplayedKeyValue {
  key: string;
  value: string;
  valueBytes: number;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: number;
}

/** A member's keyspace and leases after some events. */
export interface EtcdKeyspace {
  member: string;
  revision: number;
  compactRevision: number;
  /** Live keys, in byte order. */
  kvs: ReplayedKeyValue[];
  /** Live leases by ID, with their keys in byte order. */
  leases: Array<{ id: number; ttl: number; expiresAtMs: number; keys: string[] }>;
}

interface MemberState {
  revision: number;
  compactRevision: number;
  kvs: Map<string, ReplayedKeyValue>;
  leases: Map<number, { ttl: number; expiresAtMs: number; keys: Set<string> }>;
}

/** Every member's replayed state. */
export interface EtcdReplayState {
  members: Map<string, MemberState>;
}

const newMember = (): MemberState => ({ revision: 1, compactRevision: -1, kvs: new Map(), leases: new Map() });

function detach(m: MemberState, key: string): void {
  const prev = m.kvs.get(key);
  if (prev && prev.lease !== 0) m.leases.get(prev.lease)?.keys.delete(key);
}

export const etcdReducer: Reducer<EtcdReplayState> = {
  init: () => ({ members: new Map() }),
  apply(state, event: TraceEvent) {
    if (!etcdEvents.is(event)) return;
    const e = event as EtcdEvent;
    let m = state.members.get(e.member);
    if (m === undefined) state.members.set(e.member, (m = newMember()));
    switch (e.type) {
      case 'etcd.put':
        detach(m, e.key);
        m.kvs.set(e.key, {
          key: e.key,
          value: e.value,
          valueBytes: e.valueBytes,
          createRevision: e.createRevision,
          modRevision: e.revision,
          version: e.version,
          lease: e.lease,
        });
        if (e.lease !== 0) m.leases.get(e.lease)?.keys.add(e.key);
        m.revision = Math.max(m.revision, e.revision);
        break;
      case 'etcd.delete':
        detach(m, e.key);
        m.kvs.delete(e.key);
        m.revision = Math.max(m.revision, e.revision);
        break;
      case 'etcd.compact':
        m.compactRevision = e.revision;
        break;
      case 'etcd.leaseGrant':
        m.leases.set(e.id, { ttl: e.ttl, expiresAtMs: e.expiresAtMs, keys: new Set() });
        break;
      case 'etcd.leaseKeepAlive': {
        const l = m.leases.get(e.id);
        if (l) l.expiresAtMs = e.expiresAtMs;
        break;
      }
      case 'etcd.leaseRevoke':
        m.leases.delete(e.id);
        break;
    }
  },
  clone(state) {
    const members = new Map<string, MemberState>();
    for (const [name, m] of state.members) {
      const leases = new Map<number, { ttl: number; expiresAtMs: number; keys: Set<string> }>();
      for (const [id, l] of m.leases) leases.set(id, { ...l, keys: new Set(l.keys) });
      members.set(name, { revision: m.revision, compactRevision: m.compactRevision, kvs: new Map(m.kvs), leases });
    }
    return { members };
  },
  size(state) {
    let n = 0;
    for (const m of state.members.values()) n += m.kvs.size + m.leases.size;
    return n;
  },
};

const byBytes = (a: string, b: string) => {
  const x = toBytes(a);
  const y = toBytes(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The keyspace of `member` (default: the first member seen) in `state`, as plain data. */
export function etcdKeyspace(state: EtcdReplayState, member?: string): EtcdKeyspace {
  const name = member ?? state.members.keys().next().value ?? 'default';
  const m = state.members.get(name) ?? newMember();
  return {
    member: name,
    revision: m.revision,
    compactRevision: m.compactRevision,
    kvs: [...m.kvs.values()].sort((a, b) => byBytes(a.key, b.key)).map((kv) => ({ ...kv })),
    leases: [...m.leases.entries()]
      .sort(([a], [b]) => a - b)
      .map(([id, l]) => ({ id, ttl: l.ttl, expiresAtMs: l.expiresAtMs, keys: [...l.keys].sort(byBytes) })),
  };
}

/** The keyspace of `member` after the first `upto` events (all by default), replayed from scratch. */
export function replayEtcd(events: readonly TraceEvent[], upto: number = events.length, member?: string): EtcdKeyspace {
  return etcdKeyspace(replayOnce(etcdReducer, events, upto), member);
}

/** A checkpointed replayer over `events` (the view's time travel). */
export function newEtcdReplayer(events: readonly TraceEvent[]): Replayer<EtcdReplayState> {
  return new Replayer(etcdReducer, events);
}
