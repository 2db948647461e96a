/**
 * The MsgApp messages in flight to one follower, for flow control. Upstream:
 * tracker/inflights.go at etcd-io/raft v3.6.0 (a ring buffer there; a plain queue here, same
 * observable behaviour).
 */

interface Inflight {
  /** The index of the last entry in the message. */
  index: number;
  /** Bytes of the entries in the message. */
  bytes: number;
}

// Upstream: tracker/inflights.go (Inflights)
export class Inflights {
  /** Messages in flight, oldest first. */
  buffer: Inflight[] = [];
  /** Bytes in flight. */
  bytes = 0;

  constructor(
    /** The most messages in flight. */
    readonly size: number,
    /** The most bytes in flight (0: no limit). */
    readonly maxBytes: number,
  ) {}

  // Upstream: tracker/inflights.go (Inflights.Clone)
  clone(): Inflights {
    const c = new Inflights(this.size, this.maxBytes);
    c.buffer = this.buffer.map((x) => ({ ...x }));
    c.bytes = this.bytes;
    return c;
  }

  /** Records a message sent, ending at `index`. Upstream: tracker/inflights.go (Inflights.Add) */
  add(index: number, bytes: number): void {
    if (this.full()) throw new Error('cannot add into a Full inflights');
    this.buffer.push({ index, bytes });
    this.bytes += bytes;
  }

  /** Frees the messages up to and including `to`. Upstream: tracker/inflights.go (Inflights.FreeLE) */
  freeLE(to: number): void {
    let i = 0;
    let bytes = 0;
    while (i < this.buffer.length && this.buffer[i].index <= to) {
      bytes += this.buffer[i].bytes;
      i++;
    }
    if (i === 0) return;
    this.buffer = this.buffer.slice(i);
    this.bytes -= bytes;
  }

  /** No more messages may be sent. Upstream: tracker/inflights.go (Inflights.Full) */
  full(): boolean {
    return this.buffer.length === this.size || (this.maxBytes !== 0 && this.bytes >= this.maxBytes);
  }

  // Upstream: tracker/inflights.go (Inflights.Count)
  count(): number {
    return this.buffer.length;
  }

  // Upstream: tracker/inflights.go (Inflights.reset)
  reset(): void {
    this.buffer = [];
    this.bytes = 0;
  }
}

// Upstream: tracker/inflights.go (NewInflights)
export function newInflights(size: number, maxBytes: number): Inflights {
  return new Inflights(size, maxBytes);
}
