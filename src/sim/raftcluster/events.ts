/**
 * The trace events of a member's disk (its WAL and snapshot files), after etcd v3.6.0's
 * server/storage (wal/wal.go, api/snap/snapshotter.go, storage.go) as raftNode.start drives it.
 * A view draws a save from `disk.save` to its `disk.fsync`; `disk.crashLoss` is what a crash
 * took from the unsynced tail.
 */
import { defineEvents, type AnyEventOf, type EventOf } from '../core/events';
import { formatMs } from '../core/format';

export const ETCD_DISK_TAG = 'v3.6.0';

export type DiskEventMap = {
  /** A Ready's HardState and entries were written to the WAL; `fsyncMs` > 0: an fsync is under way. */
  'disk.save': { node: number; entries: number; firstIndex: number; lastIndex: number; term: number; commit: number; mustSync: boolean; fsyncMs: number };
  /** The fsync finished: everything written so far is durable. */
  'disk.fsync': { node: number; records: number; tookMs: number };
  /** A snapshot was written to the snap directory (and its record to the WAL), durably. */
  'disk.snapshot': { node: number; index: number; term: number; source: 'local' | 'leader' };
  /** The in-memory raft log was compacted up to `index` (kept for slow followers after a snapshot). */
  'disk.compact': { node: number; index: number };
  /** A crash lost the writes not yet fsynced. */
  'disk.crashLoss': { node: number; records: number; entries: number; lostFrom: number; lostTo: number; hardStates: number };
  /** A member restarted from its disk: the snapshot index and the WAL entries after it. */
  'disk.load': { node: number; snapshotIndex: number; entries: number; lastIndex: number; term: number; commit: number };
};

export type DiskEvent = AnyEventOf<DiskEventMap>;
export type DiskEventOf<K extends keyof DiskEventMap & string> = EventOf<DiskEventMap, K>;

export const diskEvents = defineEvents<DiskEventMap>(
  'disk',
  { name: 'etcd', tag: ETCD_DISK_TAG, blobUrl: `https://github.com/etcd-io/etcd/blob/${ETCD_DISK_TAG}/` },
  {
    'disk.save': {
      text: (e) =>
        `${e.node}: WAL save ${e.entries ? `entries ${e.firstIndex}..${e.lastIndex}` : 'no entries'}, term ${e.term} commit ${e.commit}${e.mustSync ? `, fsync ${formatMs(e.fsyncMs)}` : ', no fsync'}`,
      source: { file: 'server/storage/wal/wal.go', symbol: 'WAL.Save' },
    },
    'disk.fsync': { text: (e) => `${e.node}: fsync done, ${e.records} record(s) durable after ${formatMs(e.tookMs)}`, source: { file: 'server/storage/wal/wal.go', symbol: 'WAL.sync' } },
    'disk.snapshot': {
      text: (e) => `${e.node}: ${e.source === 'leader' ? 'saved the leader snapshot' : 'saved a snapshot'} at index ${e.index} term ${e.term}`,
      source: { file: 'server/etcdserver/api/snap/snapshotter.go', symbol: 'Snapshotter.SaveSnap' },
    },
    'disk.compact': { text: (e) => `${e.node}: raft log compacted to ${e.index}`, source: { file: 'server/etcdserver/server.go', symbol: 'EtcdServer.compactRaftLog' } },
    'disk.crashLoss': {
      text: (e) => (e.records === 0 ? `${e.node}: crash lost nothing (all synced)` : `${e.node}: crash lost ${e.records} unsynced record(s)${e.entries ? `, entries ${e.lostFrom}..${e.lostTo}` : ''}`),
      source: { file: 'server/storage/wal/wal.go', symbol: 'WAL.ReadAll' },
    },
    'disk.load': {
      text: (e) => `${e.node}: restart from disk: snapshot ${e.snapshotIndex}, ${e.entries} WAL entries to ${e.lastIndex}, term ${e.term} commit ${e.commit}`,
      source: { file: 'server/etcdserver/bootstrap.go', symbol: 'bootstrapRaftFromWAL' },
    },
  },
);
