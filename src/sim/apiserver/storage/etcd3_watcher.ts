/**
 * Watches straight from etcd (what the watch cache's reflector uses, and what a resource without a
 * watch cache, such as Events, serves): an optional initial list as ADDED events, then etcd's
 * watch from the next revision with prevKv, each change turned into ADDED / MODIFIED / DELETED
 * through the watch's predicate (an object that stops matching is DELETED), progress
 * notifications as BOOKMARKs, and a compacted start revision as an ERROR 410 "The resourceVersion
 * for the provided watch is too old."
 * Upstream: apiserver pkg/storage/etcd3/watcher.go (watcher.Watch, getStartWatchResourceVersion,
 * areInitialEventsRequired, isInitialEventsEndBookmarkRequired, watchChan.sync, startWatching,
 * transform, sendError), event.go (parseKV, parseEvent), errors.go (interpretWatchError)
 */
import { StatusError } from '../../core/errors';
import type { KubeObject } from '../../core/object';
import type { WatchEvent } from '../../cache/listwatch';
import { newInternalError, newResourceExpired, errorToAPIStatus, type GroupResource } from '../../apimachinery/errors';
import { ChanWatch, type ServerWatch } from '../watch';
import { cancelEtcdWatch, ErrCompactedText, type EtcdKeyValue, type EtcdWatchResponse, type KubernetesClient } from './etcd_client';
import { decodeObject } from './etcd3_store';
import { newTooLargeResourceVersionError } from './errors';
import { InitialEventsAnnotationKey, predicateEmpty, predicateMatches, type StorageListOptions } from './interfaces';

/** Pages of the initial list (Go: `defaultWatcherMaxLimit`). */
const watcherMaxLimit = 10000;

/** One change as the watcher parsed it (Go: `event`). */
interface ParsedEvent {
  key: string;
  value: string;
  prevValue: string;
  rev: number;
  isDeleted: boolean;
  isCreated: boolean;
  isProgressNotify: boolean;
  isInitialEventsEndBookmark: boolean;
}

// Upstream: event.go (parseKV)
function parseKV(kv: EtcdKeyValue): ParsedEvent {
  return { key: kv.key, value: kv.value, prevValue: '', rev: kv.modRevision, isDeleted: false, isCreated: true, isProgressNotify: false, isInitialEventsEndBookmark: false };
}

function progressNotifyEvent(rev: number): ParsedEvent {
  return { key: '', value: '', prevValue: '', rev, isDeleted: false, isCreated: false, isProgressNotify: true, isInitialEventsEndBookmark: false };
}

/** The empty object a BOOKMARK carries (Go: `newFunc()` with the resourceVersion set). */
export type NewBookmarkObject = (rv: number) => KubeObject;

// Upstream: watcher.go (watcher)
export class Etcd3Watcher {
  readonly #c: KubernetesClient;
  readonly #gr: GroupResource;
  readonly #getCurrentStorageRV: () => Promise<number>;
  #newObject: NewBookmarkObject = (rv) => ({ metadata: { resourceVersion: String(rv) } });

  constructor(c: KubernetesClient, gr: GroupResource, getCurrentStorageRV: () => Promise<number>) {
    this.#c = c;
    this.#gr = gr;
    this.#getCurrentStorageRV = getCurrentStorageRV;
  }

  set newObject(fn: NewBookmarkObject) {
    this.#newObject = fn;
  }

  /** Watches `key` (a prefix when recursive) from revision `rev` (0: from a list of the current state). */
  // Upstream: watcher.Watch
  async watch(key: string, rev: number, opts: StorageListOptions): Promise<ServerWatch> {
    if (opts.recursive && !key.endsWith('/')) key += '/';
    const startWatchRV = await this.#getStartWatchResourceVersion(rev, opts);
    const wc = new WatchChan(this.#c, key, startWatchRV, opts, this.#getCurrentStorageRV, this.#newObject);
    void wc.run(isInitialEventsEndBookmarkRequired(opts), areInitialEventsRequired(rev, opts));
    return wc.watch;
  }

  // Upstream: watcher.getStartWatchResourceVersion
  async #getStartWatchResourceVersion(rev: number, opts: StorageListOptions): Promise<number> {
    if (rev > 0) return rev;
    if (opts.sendInitialEvents === undefined || opts.sendInitialEvents) return 0;
    return this.#getCurrentStorageRV();
  }
}

// Upstream: watcher.go (isInitialEventsEndBookmarkRequired)
function isInitialEventsEndBookmarkRequired(opts: StorageListOptions): boolean {
  return opts.sendInitialEvents === true && opts.predicate.allowWatchBookmarks;
}

// Upstream: watcher.go (areInitialEventsRequired)
function areInitialEventsRequired(rev: number, opts: StorageListOptions): boolean {
  if (opts.sendInitialEvents === undefined && rev === 0) return true;
  return opts.sendInitialEvents === true;
}

// Upstream: watcher.go (watchChan)
class WatchChan {
  readonly watch: ChanWatch;
  #initialRev: number;
  #cancelEtcd: (() => void) | undefined;
  #done = false;

  constructor(
    readonly c: KubernetesClient,
    readonly key: string,
    initialRev: number,
    readonly opts: StorageListOptions,
    readonly getCurrentStorageRV: () => Promise<number>,
    readonly newObject: NewBookmarkObject,
  ) {
    this.#initialRev = initialRev;
    this.watch = new ChanWatch(() => this.#cancel());
  }

  #cancel(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#cancelEtcd) this.#cancelEtcd();
    this.#cancelEtcd = undefined;
    this.watch.result.close();
  }

  // Upstream: watchChan.run + startWatching
  async run(initialEventsEndBookmarkRequired: boolean, forceInitialEvents: boolean): Promise<void> {
    try {
      if (this.#initialRev > 0 && forceInitialEvents) {
        const current = await this.getCurrentStorageRV();
        if (this.#initialRev > current) {
          this.#sendError(newTooLargeResourceVersionError(this.#initialRev, current, 1));
          return;
        }
      }
      if (forceInitialEvents) await this.#sync();
      if (this.#done) return;
      if (initialEventsEndBookmarkRequired) {
        const e = progressNotifyEvent(this.#initialRev);
        e.isInitialEventsEndBookmark = true;
        this.#queueEvent(e);
      }
      const recursive = this.opts.recursive;
      const handle = this.c.kv.watch(
        this.key,
        { prefix: recursive, startRevision: this.#initialRev + 1, prevKv: true, progressNotify: !!this.opts.progressNotify },
        (resp) => this.#onResponse(resp),
      );
      if (this.#done) cancelEtcdWatch(handle);
      else this.#cancelEtcd = () => cancelEtcdWatch(handle);
    } catch (e) {
      this.#sendError(e);
    }
  }

  #onResponse(resp: EtcdWatchResponse): void {
    if (this.#done) return;
    if (resp.canceled || resp.err) {
      // "watch chan error: etcdserver: mvcc: required revision has been compacted" (a warning upstream)
      const err = resp.compactRevision || (resp.err?.message ?? '').includes('compacted') ? new Error(ErrCompactedText) : (resp.err ?? new Error(resp.cancelReason || 'watch canceled'));
      this.#sendError(err);
      return;
    }
    if (resp.created) return;
    if (resp.progressNotify || resp.events.length === 0) {
      if (this.opts.progressNotify) this.#queueEvent(progressNotifyEvent(resp.header.revision));
      return;
    }
    for (const e of resp.events) {
      if (e.type === 'DELETE') {
        this.#queueEvent({ key: e.kv.key, value: '', prevValue: e.prevKv?.value ?? '', rev: e.kv.modRevision, isDeleted: true, isCreated: false, isProgressNotify: false, isInitialEventsEndBookmark: false });
      } else {
        this.#queueEvent({
          key: e.kv.key,
          value: e.kv.value,
          prevValue: e.prevKv?.value ?? '',
          rev: e.kv.modRevision,
          isDeleted: false,
          isCreated: e.kv.createRevision === e.kv.modRevision,
          isProgressNotify: false,
          isInitialEventsEndBookmark: false,
        });
      }
      if (this.#done) return;
    }
  }

  /** Lists the current state as ADDED events and moves the start revision to the list's. */
  // Upstream: watchChan.sync
  async #sync(): Promise<void> {
    let withRev = 0;
    let continueKey = '';
    for (;;) {
      let kvs: EtcdKeyValue[];
      let more: boolean;
      let revision: number;
      if (this.opts.recursive) {
        const resp = await this.c.list(this.key, { revision: withRev, limit: watcherMaxLimit, continueKey });
        kvs = resp.kvs;
        more = resp.kvs.length < resp.count;
        revision = resp.revision;
      } else {
        const resp = await this.c.get(this.key, { revision: withRev });
        kvs = resp.kv ? [resp.kv] : [];
        more = false;
        revision = resp.revision;
      }
      if (this.#done) return;
      for (const kv of kvs) this.#queueEvent(parseKV(kv));
      if (withRev === 0) this.#initialRev = revision;
      if (!more) return;
      continueKey = kvs[kvs.length - 1].key + '\x00';
      if (withRev === 0) withRev = revision;
    }
  }

  #queueEvent(e: ParsedEvent): void {
    let res: WatchEvent<KubeObject> | undefined;
    try {
      res = this.#transform(e);
    } catch (err) {
      this.#sendError(err);
      return;
    }
    if (res) this.watch.result.send(res);
  }

  // Upstream: watchChan.transform
  #transform(e: ParsedEvent): WatchEvent<KubeObject> | undefined {
    const pred = this.opts.predicate;
    const acceptAll = predicateEmpty(pred);
    if (e.isProgressNotify) {
      const object = this.newObject(e.rev);
      if (e.isInitialEventsEndBookmark) object.metadata.annotations = { ...(object.metadata.annotations ?? {}), [InitialEventsAnnotationKey]: 'true' };
      return { type: 'BOOKMARK', object };
    }
    const curObj = e.isDeleted ? undefined : decodeObject(e.value, e.rev);
    // The old object carries the revision of the change that replaced or deleted it.
    const oldObj = e.prevValue && (e.isDeleted || !acceptAll) ? decodeObject(e.prevValue, e.rev) : undefined;
    if (e.isDeleted) {
      if (!oldObj || !predicateMatches(pred, oldObj)) return undefined;
      return { type: 'DELETED', object: oldObj };
    }
    if (e.isCreated) {
      if (!predicateMatches(pred, curObj as KubeObject)) return undefined;
      return { type: 'ADDED', object: curObj as KubeObject };
    }
    if (acceptAll) return { type: 'MODIFIED', object: curObj as KubeObject };
    const curPasses = predicateMatches(pred, curObj as KubeObject);
    const oldPasses = oldObj ? predicateMatches(pred, oldObj) : false;
    if (curPasses && oldPasses) return { type: 'MODIFIED', object: curObj as KubeObject };
    if (curPasses && !oldPasses) return { type: 'ADDED', object: curObj as KubeObject };
    if (!curPasses && oldPasses) return { type: 'DELETED', object: oldObj as KubeObject };
    return undefined;
  }

  /** An ERROR event with the error's Status, then the end of the watch (Go: `sendError`). */
  // Upstream: watchChan.sendError, transformErrorToEvent, interpretWatchError
  #sendError(err: unknown): void {
    if (this.#done) return;
    let apiErr: unknown = err;
    if (err instanceof Error && err.message === ErrCompactedText) apiErr = newResourceExpired('The resourceVersion for the provided watch is too old.');
    else if (!(err instanceof StatusError)) apiErr = newInternalError(err instanceof Error ? err : new Error(String(err)));
    this.watch.result.send({ type: 'ERROR', object: errorToAPIStatus(apiErr) } as unknown as WatchEvent<KubeObject>);
    this.#cancel();
  }
}
