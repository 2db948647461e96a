/**
 * One member's disk: its WAL (HardState and entry records, written then fsynced) and its snap
 * directory (the newest snapshot, written durably). Writes land in the page cache at once and
 * become durable when an fsync that started after them finishes; a crash loses the rest.
 * Upstream: etcd server/storage/wal/wal.go (WAL.Save, sync, ReadAll), server/storage/storage.go
 * (storage.Save, SaveSnap), server/etcdserver/api/snap/snapshotter.go (SaveSnap, Load).
 */
import type { Entry, HardState, Snapshot } from '../raft/raftpb';

export type WalRecord = { kind: 'entry'; entry: Entry } | { kind: 'state'; state: HardState } | { kind: 'snapshot'; index: number; term: number };

/** What a restart reads back: the newest snapshot, then the WAL after it. */
export interface DiskContents {
  snapshot: Snapshot | undefined;
  hardState: HardState | undefined;
  entries: Entry[];
}

export class Disk {
  /** Durable WAL records, oldest first. */
  readonly synced: WalRecord[] = [];
  /** Written, not yet fsynced (a crash loses them). */
  unsynced: WalRecord[] = [];
  /** The newest snapshot file (written with fsync, as the snapshotter does). */
  snap: Snapshot | undefined;

  /** Appends a Ready's records to the WAL (not yet durable). Upstream: wal.go (WAL.Save) */
  write(state: HardState | undefined, entries: readonly Entry[]): number {
    for (const entry of entries) this.unsynced.push({ kind: 'entry', entry });
    if (state) this.unsynced.push({ kind: 'state', state });
    return this.unsynced.length;
  }

  /** The first `n` unsynced records become durable (the ones written before the fsync started). */
  sync(n: number): number {
    const done = this.unsynced.splice(0, Math.min(n, this.unsynced.length));
    this.synced.push(...done);
    return done.length;
  }

  /** Saves a snapshot file and its WAL record, durably (with everything written before). Upstream: storage.go (storage.SaveSnap) */
  saveSnap(s: Snapshot, fromLeader = false): void {
    this.sync(this.unsynced.length);
    this.snap = s;
    this.synced.push({ kind: 'snapshot', index: s.metadata.index, term: s.metadata.term });
    // Upstream: storage.go (Release): WAL files wholly before the snapshot are released. A
    // leader's snapshot replaced raft's whole log, so an older tail past it is gone too (the
    // model drops it here rather than relying on later entries to overwrite it).
    const keep = this.synced.filter((r) => r.kind === 'state' || (r.kind === 'entry' ? r.entry.index > s.metadata.index && !fromLeader : r.index >= s.metadata.index));
    this.synced.length = 0;
    this.synced.push(...keep);
  }

  /** A crash: the page cache is gone. Returns what was lost. */
  crash(): WalRecord[] {
    const lost = this.unsynced;
    this.unsynced = [];
    return lost;
  }

  /** Reads the disk back as a restart does. Upstream: wal.go (WAL.ReadAll): a later entry at an index replaces the tail from there. */
  load(): DiskContents {
    const from = this.snap?.metadata.index ?? 0;
    let hardState: HardState | undefined;
    const entries: Entry[] = [];
    for (const r of this.synced) {
      if (r.kind === 'state') hardState = r.state;
      if (r.kind !== 'entry' || r.entry.index <= from) continue;
      const at = r.entry.index - from - 1;
      entries.length = Math.min(entries.length, at);
      if (entries.length === at) entries.push(r.entry);
    }
    return { snapshot: this.snap, hardState, entries };
  }
}
