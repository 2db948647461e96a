/**
 * Request and lease IDs (pkg/idutil/id.go at v3.6.0): the top 2 bytes are the member ID's low 16
 * bits, the next 5 bytes the time in ms when the member started, the last byte a counter; each
 * ID adds one to the low 6 bytes. The server draws one for every request it puts through raft and
 * for every linearizable read, and a lease granted without an ID gets one of its own, so lease
 * IDs are not consecutive. Here the time is the virtual clock's, and member IDs below 32 keep
 * every ID below 2^53, so IDs are exact JavaScript numbers.
 */
import { UsageError } from '../core/errors';

const TS_LEN = 40;
const CNT_LEN = 8;
const SUFFIX_MOD = 2 ** (TS_LEN + CNT_LEN);

// Upstream: pkg/idutil/id.go (Generator)
export class IdGenerator {
  readonly #prefix: number;
  #suffix: number;

  // Upstream: idutil.NewGenerator
  constructor(memberId: number, nowMs: number) {
    const low16 = memberId % 0x10000;
    if (!Number.isInteger(memberId) || memberId <= 0 || low16 >= 32) {
      throw new UsageError(`newEtcd: memberId must be an integer whose low 16 bits are 1..31 (so lease IDs stay exact numbers), got ${String(memberId)}`);
    }
    this.#prefix = low16 * SUFFIX_MOD;
    const unixMilli = Math.floor(nowMs);
    this.#suffix = (((unixMilli % 2 ** TS_LEN) + 2 ** TS_LEN) % 2 ** TS_LEN) * 2 ** CNT_LEN;
  }

  /** The next ID. */
  // Upstream: Generator.Next
  next(): number {
    this.#suffix = (this.#suffix + 1) % SUFFIX_MOD;
    return this.#prefix + this.#suffix;
  }
}
