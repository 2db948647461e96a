import { newEtcd, runUntilIdle, type Etcd, type EtcdWatchCancel, type EtcdWatchResponse } from 'kubelab';

// Step 1: revisions. A new etcd (revision 1) runs these, in order:
//   put /config/mode fast      put /config/size 3      put /config/mode safe
//   txn: if /config/size == "3" then put /config/size 4 and delete /config/mode
//   put /config/mode fast
export const predictions = {
  /** The revision in the header of each of the five responses. */
  revisions: [0, 0, 0, 0, 0],
  /** /config/mode at the end: its createRevision, modRevision and version. */
  mode: { createRevision: 0, modRevision: 0, version: 0 },
  /** /config/size at the end. */
  size: { createRevision: 0, modRevision: 0, version: 0 },
};

/**
 * A copy of every key under `prefix`, kept in step with etcd the way an informer's Reflector
 * keeps its cache: list once, then watch from the revision after the list.
 */
export class PrefixMirror {
  /** key -> value, as etcd holds them at `revision`. */
  readonly items = new Map<string, string>();
  /** The revision the copy reflects: the list's, then each event's. */
  revision = 0;
  /** How many times the mirror listed. */
  lists = 0;
  /** How many watch events it applied. */
  applied = 0;
  #cancel: EtcdWatchCancel | undefined;

  constructor(
    readonly etcd: Etcd,
    readonly prefix: string,
  ) {}

  /** Lists the prefix, then watches it from the revision after the list. */
  async start(): Promise<void> {
    const resp = await this.etcd.get(this.prefix, { prefix: true });
    this.lists++;
    this.items.clear();
    for (const kv of resp.kvs) this.items.set(kv.key, kv.value);
    this.revision = resp.header.revision;
    this.#watch();
  }

  /** The connection drops: the watch ends. */
  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  /** The connection is back: watch again without missing or repeating an event. */
  async resume(): Promise<void> {
    // TODO (step 3): this watches from now on.
    this.#cancel = this.etcd.watch(this.prefix, { prefix: true }, (resp) => this.#onResponse(resp));
  }

  #watch(): void {
    this.#cancel = this.etcd.watch(this.prefix, { prefix: true, startRevision: this.revision + 1 }, (resp) => this.#onResponse(resp));
  }

  async #onResponse(resp: EtcdWatchResponse): Promise<void> {
    // TODO (step 4): a watch etcd cancelled (resp.canceled, resp.compactRevision).
    for (const ev of resp.events) {
      // TODO (step 2): deletes, and the revision.
      if (ev.type === 'PUT') this.items.set(ev.kv.key, ev.kv.value);
      this.applied++;
    }
  }
}

// ---- Run me: a mirror of /config/ through a disconnect and a compaction ----
const etcd = newEtcd();
const put = (k: string, v: string) => etcd.put(k, v);
await put('/config/mode', 'fast');
await put('/other/x', '1');
const mirror = new PrefixMirror(etcd, '/config/');
await mirror.start();
await put('/config/size', '3');
await runUntilIdle(etcd.clock);
console.log(`after start:      rev ${mirror.revision}, ${[...mirror.items].map(([k, v]) => `${k}=${v}`).join(' ')}`);
mirror.stop();
await put('/config/mode', 'safe');
await etcd.delete('/config/size');
await mirror.resume();
await runUntilIdle(etcd.clock);
console.log(`after resume:     rev ${mirror.revision}, ${[...mirror.items].map(([k, v]) => `${k}=${v}`).join(' ')} (lists ${mirror.lists}, events ${mirror.applied})`);
mirror.stop();
await put('/config/size', '5');
await put('/config/mode', 'slow');
await etcd.compact(etcd.revision);
await mirror.resume();
await runUntilIdle(etcd.clock);
console.log(`after compaction: rev ${mirror.revision}, ${[...mirror.items].map(([k, v]) => `${k}=${v}`).join(' ')} (lists ${mirror.lists}, events ${mirror.applied})`);
