/**
 * Pending ReadIndex requests of a leader. Upstream: read_only.go at etcd-io/raft v3.6.0.
 */
import type { Message } from './raftpb';

/** How ReadIndex is served. Upstream: raft.go (ReadOnlyOption) */
export type ReadOnlyOption =
  /** Confirm leadership with a quorum of heartbeat acks for each read (safe). */
  | 'ReadOnlySafe'
  /** Trust the leader lease (needs CheckQuorum; unsafe under clock drift). */
  | 'ReadOnlyLeaseBased';

/**
 * A read that may be served once the state machine applied up to `index`.
 * Upstream: read_only.go (ReadState)
 */
export interface ReadState {
  index: number;
  requestCtx: string;
}

/** Upstream: read_only.go (readIndexStatus) */
export interface ReadIndexStatus {
  req: Message;
  index: number;
  /** Who acknowledged the heartbeat carrying this request's context. */
  acks: Map<number, boolean>;
}

// Upstream: read_only.go (readOnly)
export class ReadOnly {
  pendingReadIndex = new Map<string, ReadIndexStatus>();
  /** Request contexts in arrival order. */
  readIndexQueue: string[] = [];

  constructor(readonly option: ReadOnlyOption) {}

  /** Records a request, answered at `index` (the commit index when it arrived). Upstream: read_only.go (readOnly.addRequest) */
  addRequest(index: number, m: Message): void {
    const s = m.entries[0]?.data ?? '';
    if (this.pendingReadIndex.has(s)) return;
    this.pendingReadIndex.set(s, { index, req: m, acks: new Map() });
    this.readIndexQueue.push(s);
  }

  /** Records a heartbeat ack for the request `context`; returns its acks. Upstream: read_only.go (readOnly.recvAck) */
  recvAck(id: number, context: string): Map<number, boolean> | undefined {
    const rs = this.pendingReadIndex.get(context);
    if (!rs) return undefined;
    rs.acks.set(id, true);
    return rs.acks;
  }

  /** Dequeues the request of `m.context` and every one before it. Upstream: read_only.go (readOnly.advance) */
  advance(m: Message): ReadIndexStatus[] {
    const ctx = m.context ?? '';
    const rss: ReadIndexStatus[] = [];
    let i = 0;
    let found = false;
    for (const okctx of this.readIndexQueue) {
      i++;
      const rs = this.pendingReadIndex.get(okctx);
      if (!rs) throw new Error('cannot find corresponding read state from pending map');
      rss.push(rs);
      if (okctx === ctx) {
        found = true;
        break;
      }
    }
    if (!found) return [];
    this.readIndexQueue = this.readIndexQueue.slice(i);
    for (const rs of rss) this.pendingReadIndex.delete(rs.req.entries[0]?.data ?? '');
    return rss;
  }

  /** Upstream: read_only.go (readOnly.lastPendingRequestCtx) */
  lastPendingRequestCtx(): string {
    return this.readIndexQueue.length === 0 ? '' : this.readIndexQueue[this.readIndexQueue.length - 1];
  }
}
