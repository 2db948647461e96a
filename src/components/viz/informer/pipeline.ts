/**
 * The informer pipeline, rebuilt from trace events alone: for each informer, every hop an object
 * takes (ListerWatcher -> watch -> Reflector -> RealFIFO or DeltaFIFO -> Indexer -> handlers ->
 * workqueue), what sits in each hop, and the resourceVersion each key carries there.
 *
 * The reducer joins the events of several models, so it lives with the view rather than in one
 * model's folder. Events name their instance (`source`, `reflector`, `fifo`, `informer`, `queue`)
 * but not the links between instances; those come from the models' own conventions and from the
 * order of the trace, which is deterministic:
 * - an informer `N` runs the reflector `N` and the queue `N-fifo` (shared_informer.ts);
 * - a reflector lists and watches the source whose `source.list` came last before its
 *   `reflector.list`, and whose `source.watch` came right after its `reflector.watch`;
 * - a handler feeds the workqueue it adds to right after the informer delivered to it.
 * Queue events carry keys, not objects: a key's resourceVersion comes from the change the source
 * sent down the watch (matched in order, per key), from the source's objects at the list (a
 * relist's items), from the Indexer (resyncs, tombstones), or else from `reflector.event`.
 */
import type { Reducer } from '../../../sim/index';
import type { TraceEvent } from '../../../sim/index';

/** One Delta on its way through the pipeline (a watch event, a queue item, a notification). */
export interface Flow {
  key: string;
  /** `Added`, `Updated`, `Deleted`, `Replaced`, `Sync` (queues), ADDED... (watch), add/update/delete (handlers). */
  type: string;
  /** The object's resourceVersion, when the trace tells it. */
  rv?: string;
  /** A `DeletedFinalStateUnknown` (a relist found the object gone). */
  tombstone?: boolean;
  /** From the initial list. */
  initial?: boolean;
}

/**
 * The ListerWatcher hop: a FakeControllerSource, or one resource of an API server (its watch
 * cache: the objects it holds and their resourceVersions, the window it keeps).
 */
export interface SourceState {
  /** Its key in `sources`: the source's name, or `<server>:<resource>`. */
  id: string;
  kind: 'FakeControllerSource' | 'ApiServer';
  /** The source's name, or the resource (`pods`, `deployments.apps`). */
  name: string;
  /** The API server's name. */
  server?: string;
  /** What the ListerWatcher holds now: key -> resourceVersion. */
  objects: Map<string, string>;
  rv: string;
  watches: number;
  /** The watch cache's window (API server). */
  window?: { oldest: number; size: number; capacity: number };
  /** The reflector inside the API server that fills the watch cache from etcd, and its storage prefix. */
  cacher?: string;
  prefix?: string;
}

export type ReflectorPhase = 'new' | 'listing' | 'listed' | 'listFailed' | 'watching' | 'ended' | 'backoff' | 'stopped';

export interface ReflectorState {
  name: string;
  source?: string;
  phase: ReflectorPhase;
  /** The resourceVersion the current watch started from. */
  watchFromRV?: string;
  timeoutSeconds?: number;
  /** Go's lastSyncResourceVersion: the list's, then each watch event's. */
  lastSyncRV: string;
  /** The last list: its resourceVersion and how many items. */
  list?: { rv: string; items: number; requestRV: string };
  /** Events the current watch has delivered to the store. */
  watchEvents: number;
  /** Changes the source sent down this reflector's watch that the reflector has not read yet. */
  inFlight: Flow[];
  /** How the last watch ended (`reason`, and the Status code of an ERROR event). */
  lastEnd?: { reason: string; code?: number; statusReason?: string; t: number };
  backoffUntil?: number;
  relists: number;
  /** The source's objects at this reflector's last list (never changed once made: shared by clones). */
  listed?: ReadonlyMap<string, string>;
  /** The API server's number for the current watch. */
  apiWatch?: number;
}

export interface QueueState {
  name: string;
  kind: 'RealFIFO' | 'DeltaFIFO';
  /** RealFIFO: one item per Delta, head first. */
  items: Flow[];
  /** DeltaFIFO: keys in FIFO order, and each key's Deltas. */
  order: string[];
  deltas: Map<string, Flow[]>;
  /** What the last pop took and is being processed (cleared when `process` returns). */
  popped?: { key: string; items: Flow[]; handled: number };
  initialPopulationCount: number;
  closed: boolean;
  pops: number;
}

export interface ListenerState {
  id: number;
  /** Notifications queued for the handler, oldest first. */
  pending: Flow[];
  /** The notification the handler is running. */
  inHandler?: Flow;
  handled: number;
  synced: boolean;
  closed: boolean;
  /** Notifications a closed listener never delivered. */
  dropped: number;
  /** The last handler panic (recovered, or crashing the informer). */
  panic?: string;
  /** The workqueue this handler adds keys to (seen in the trace). */
  workqueue?: string;
}

export interface InformerState {
  name: string;
  queueKind?: 'RealFIFO' | 'DeltaFIFO';
  indexers: string[];
  /** The Indexer's contents: key -> resourceVersion. */
  indexer: Map<string, string | undefined>;
  listeners: Map<number, ListenerState>;
  synced: boolean;
  running: boolean;
  stopped: boolean;
  crashed: boolean;
  /** The last Delta processDeltas applied (its rv goes to the notifications it makes). */
  lastHandled?: Flow;
}

export interface WorkqueueSummary {
  name: string;
  len: number;
  processing: Set<string>;
  adds: number;
  last?: string;
}

/** Where the last event happened, to highlight it (and the edge an object crossed). */
export interface Current {
  /** The pipeline: the informer's name, else the reflector's, the queue's or the source's. */
  pipeline?: string;
  hop: Hop;
  key?: string;
  rv?: string;
  /** The object crossed into `hop` from the hop before it. */
  moved?: boolean;
  listener?: number;
}

export type Hop = 'source' | 'watch' | 'reflector' | 'queue' | 'indexer' | 'handlers' | 'workqueue';

export interface PipelineState {
  t: number;
  sources: Map<string, SourceState>;
  reflectors: Map<string, ReflectorState>;
  queues: Map<string, QueueState>;
  informers: Map<string, InformerState>;
  workqueues: Map<string, WorkqueueSummary>;
  /** The source that listed last, and what it held then (for the `reflector.list` that follows). */
  lastList?: { source: string; objects: ReadonlyMap<string, string> };
  /** A reflector whose `reflector.watch` waits for its `source.watch` or `apiserver.watch`. */
  watchPending?: string;
  /** Open API server watches: the watch's number -> the reflector reading it. */
  apiWatches: Map<number, string>;
  /** The handler the informer just called (a workqueue add right after is that handler's). */
  delivering?: { informer: string; listener: number };
  current?: Current;
}

/** At most this many changes wait on one watch (the rest are counted by the source anyway). */
const MAX_IN_FLIGHT = 10_000;
/** How far back a late `reflector.event` looks for the item whose rv it tells. */
const PATCH_SCAN = 16;

const FIFO_SUFFIX = '-fifo';

function newReflector(name: string): ReflectorState {
  return { name, phase: 'new', lastSyncRV: '', watchEvents: 0, inFlight: [], relists: 0 };
}
function newQueue(name: string, kind: QueueState['kind']): QueueState {
  return { name, kind, items: [], order: [], deltas: new Map(), initialPopulationCount: 0, closed: false, pops: 0 };
}
function newInformer(name: string): InformerState {
  return { name, indexers: [], indexer: new Map(), listeners: new Map(), synced: false, running: false, stopped: false, crashed: false };
}
function newListener(id: number): ListenerState {
  return { id, pending: [], handled: 0, synced: false, closed: false, dropped: 0 };
}

const copyFlow = (f: Flow): Flow => ({ ...f });
const copyFlows = (fs: Flow[]): Flow[] => fs.map(copyFlow);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** The informer a queue belongs to (`<informer>-fifo`), if that informer exists. */
function informerOfQueue(s: PipelineState, fifo: string): InformerState | undefined {
  return fifo.endsWith(FIFO_SUFFIX) ? s.informers.get(fifo.slice(0, -FIFO_SUFFIX.length)) : undefined;
}

function queueOf(s: PipelineState, fifo: string, kind: QueueState['kind']): QueueState {
  let q = s.queues.get(fifo);
  if (!q) s.queues.set(fifo, (q = newQueue(fifo, kind)));
  return q;
}
function reflectorOf(s: PipelineState, name: string): ReflectorState {
  let r = s.reflectors.get(name);
  if (!r) s.reflectors.set(name, (r = newReflector(name)));
  return r;
}
function sourceOf(s: PipelineState, name: string): SourceState {
  let src = s.sources.get(name);
  if (!src) s.sources.set(name, (src = { id: name, kind: 'FakeControllerSource', name, objects: new Map(), rv: '0', watches: 0 }));
  return src;
}

/** The reflectors inside an API server that fill its watch caches (cacher.go names them by storage prefix). */
export const CACHER_PREFIX = 'storage/cacher.go:';
export const isCacherReflector = (name: string) => name.startsWith(CACHER_PREFIX);

function apiResourceOf(s: PipelineState, server: string, resource: string): SourceState {
  const id = `${server}:${resource}`;
  let src = s.sources.get(id);
  if (!src) s.sources.set(id, (src = { id, kind: 'ApiServer', name: resource, server, objects: new Map(), rv: '0', watches: 0 }));
  return src;
}
function informerOf(s: PipelineState, name: string): InformerState {
  let inf = s.informers.get(name);
  if (!inf) s.informers.set(name, (inf = newInformer(name)));
  return inf;
}
function workqueueOf(s: PipelineState, name: string): WorkqueueSummary {
  let q = s.workqueues.get(name);
  if (!q) s.workqueues.set(name, (q = { name, len: 0, processing: new Set(), adds: 0 }));
  return q;
}

/** The reflector feeding a queue: the queue's informer's, when it has one. */
function reflectorOfQueue(s: PipelineState, fifo: string): ReflectorState | undefined {
  const inf = informerOfQueue(s, fifo);
  return inf ? s.reflectors.get(inf.name) : undefined;
}

/** Takes the first change for `key` off the reflector's watch (the one the store is handed now). */
function takeInFlight(r: ReflectorState | undefined, key: string): Flow | undefined {
  if (!r) return undefined;
  const i = r.inFlight.findIndex((f) => f.key === key);
  if (i < 0) return undefined;
  return r.inFlight.splice(i, 1)[0];
}

/** The resourceVersion of a queue item the reflector is adding now. */
function rvForQueueItem(s: PipelineState, fifo: string, op: string, key: string, cause: string | undefined): string | undefined {
  const r = reflectorOfQueue(s, fifo);
  const inf = informerOfQueue(s, fifo);
  if (op === 'replace') return r?.listed?.get(key);
  if (op === 'sync' || cause === 'replace') return inf?.indexer.get(key);
  return takeInFlight(r, key)?.rv;
}

/** A `reflector.event` tells the rv of the item it just handed to the store: fill it in where it went. */
function patchRV(s: PipelineState, reflector: string, key: string, rv: string): void {
  const inf = s.informers.get(reflector);
  if (!inf) return;
  const q = s.queues.get(inf.name + FIFO_SUFFIX);
  const fill = (f: Flow | undefined) => {
    if (f && f.key === key && f.rv === undefined) f.rv = rv;
  };
  if (q) {
    const list = q.kind === 'RealFIFO' ? q.items : (q.deltas.get(key) ?? []);
    for (let i = list.length - 1; i >= Math.max(0, list.length - PATCH_SCAN); i--) fill(list[i]);
    if (q.popped) for (const f of q.popped.items) fill(f);
  }
  if (inf.indexer.has(key) && inf.indexer.get(key) === undefined) inf.indexer.set(key, rv);
  if (inf.lastHandled) fill(inf.lastHandled);
  for (const l of inf.listeners.values()) {
    fill(l.inHandler);
    for (let i = l.pending.length - 1; i >= Math.max(0, l.pending.length - PATCH_SCAN); i--) fill(l.pending[i]);
  }
}

function applySource(s: PipelineState, e: TraceEvent): void {
  const src = sourceOf(s, e.source as string);
  const key = str(e.key);
  switch (e.type) {
    case 'source.add':
    case 'source.modify':
    case 'source.delete': {
      const rv = e.rv as string;
      src.rv = rv;
      if (e.type === 'source.delete') src.objects.delete(key!);
      else src.objects.set(key!, rv);
      if (typeof e.watchers === 'number') src.watches = e.watchers;
      if (e.sent) {
        const type = e.type === 'source.add' ? 'ADDED' : e.type === 'source.modify' ? 'MODIFIED' : 'DELETED';
        for (const r of s.reflectors.values()) {
          if (r.source === src.id && r.phase === 'watching' && r.inFlight.length < MAX_IN_FLIGHT) r.inFlight.push({ key: key!, type, rv });
        }
      }
      s.current = { hop: 'source', key, rv, pipeline: pipelineFedBy(s, src.id) };
      return;
    }
    case 'source.list':
      src.rv = e.rv as string;
      s.lastList = { source: src.id, objects: new Map(src.objects) };
      s.current = { hop: 'source', pipeline: pipelineFedBy(s, src.id) };
      return;
    case 'source.watch': {
      if (typeof e.watchers === 'number') src.watches = e.watchers;
      if (s.watchPending !== undefined) {
        const r = s.reflectors.get(s.watchPending);
        if (r) r.source = src.id;
        s.watchPending = undefined;
      }
      s.current = { hop: 'watch', pipeline: pipelineFedBy(s, src.id) };
      return;
    }
    case 'source.watchTimeout':
      src.watches = Math.max(0, src.watches - 1);
      s.current = { hop: 'watch', pipeline: pipelineFedBy(s, src.id) };
      return;
    case 'source.resetWatch':
    case 'source.closeWatches':
    case 'source.expireWatches':
    case 'source.shutdown':
      src.watches = 0;
      if (e.type === 'source.resetWatch' && typeof e.rv === 'string') src.rv = e.rv;
      s.current = { hop: 'watch', pipeline: pipelineFedBy(s, src.id) };
      return;
  }
}

/** The pipeline a source's event belongs to: the first reflector reading it (an informer's is named after it), else its own. */
function pipelineFedBy(s: PipelineState, source: string): string {
  for (const r of s.reflectors.values()) if (r.source === source) return r.name;
  return source;
}

function applyReflector(s: PipelineState, e: TraceEvent): void {
  const r = reflectorOf(s, e.reflector as string);
  // An informer's reflector has the informer's name; a reflector of its own is its own pipeline.
  const pipeline = r.name;
  switch (e.type) {
    case 'reflector.list': {
      r.phase = 'listed';
      r.list = { rv: e.rv as string, items: e.items as number, requestRV: e.requestRV as string };
      r.lastSyncRV = e.rv as string;
      if (s.lastList && !isCacherReflector(r.name)) {
        r.source ??= s.lastList.source;
        r.listed = s.lastList.source === r.source ? s.lastList.objects : undefined;
        s.lastList = undefined;
      } else r.listed = undefined;
      s.current = { hop: 'reflector', rv: r.lastSyncRV, pipeline, moved: true };
      return;
    }
    case 'reflector.listFailed':
      r.phase = 'listFailed';
      s.current = { hop: 'reflector', pipeline };
      return;
    case 'reflector.watch':
      r.phase = 'watching';
      r.watchFromRV = e.rv as string;
      r.timeoutSeconds = num(e.timeoutSeconds);
      r.watchEvents = 0;
      r.inFlight = [];
      r.apiWatch = undefined;
      // The API server's own reflectors watch etcd, not a ListerWatcher in the trace.
      if (!isCacherReflector(r.name)) s.watchPending = r.name;
      s.current = { hop: 'watch', rv: r.watchFromRV, pipeline };
      return;
    case 'reflector.event': {
      const key = e.key as string;
      const rv = e.rv as string;
      r.lastSyncRV = rv;
      r.watchEvents++;
      if (e.eventType === 'BOOKMARK') {
        s.current = { hop: 'reflector', rv, pipeline };
        return;
      }
      // The store already has it (handleAnyWatch emits after the store call): fill in its rv
      // where no source change told it, and drop that change if the store call did not match it.
      const i = r.inFlight.findIndex((f) => f.key === key && f.rv === rv);
      if (i >= 0) r.inFlight.splice(i, 1);
      patchRV(s, r.name, key, rv);
      s.current = { hop: 'reflector', key, rv, pipeline };
      return;
    }
    case 'reflector.watchEnded':
      if (s.watchPending === r.name) s.watchPending = undefined;
      r.phase = e.reason === 'stopped' ? 'stopped' : 'ended';
      r.lastEnd = { reason: e.reason as string, code: num(e.code), statusReason: str(e.statusReason), t: e.t };
      r.inFlight = [];
      s.current = { hop: 'watch', pipeline };
      return;
    case 'reflector.relist':
      r.relists++;
      r.phase = 'listing';
      s.current = { hop: 'reflector', pipeline };
      return;
    case 'reflector.backoff':
      if (r.phase !== 'stopped') r.phase = 'backoff';
      r.backoffUntil = e.t + (e.delayMs as number);
      s.current = { hop: 'reflector', pipeline };
      return;
    case 'reflector.resync':
      s.current = { hop: 'reflector', pipeline };
      return;
    case 'reflector.log':
      if (typeof e.message === 'string' && e.message.startsWith('"Stopping reflector"')) r.phase = 'stopped';
      else if (typeof e.message === 'string' && e.message.startsWith('"Listing and watching"') && r.phase !== 'stopped') r.phase = 'listing';
      return;
  }
}

function applyQueue(s: PipelineState, e: TraceEvent, kind: QueueState['kind']): void {
  const fifo = e.fifo as string;
  const q = queueOf(s, fifo, kind);
  const pipeline = informerOfQueue(s, fifo)?.name ?? fifo;
  const op = e.type.slice(e.type.indexOf('.') + 1);
  switch (op) {
    case 'new':
      return;
    case 'add':
    case 'update':
    case 'delete':
    case 'replace':
    case 'sync': {
      const key = e.key as string;
      const result = e.result as string;
      const rv = rvForQueueItem(s, fifo, op, key, str(e.cause));
      const item: Flow = { key, type: e.deltaType as string, rv };
      if (e.tombstone) item.tombstone = true;
      if (kind === 'RealFIFO') {
        if (result === 'queued') q.items.push(item);
      } else if (result !== 'ignored' && result !== 'skipped') {
        let list = q.deltas.get(key);
        if (!list) {
          q.deltas.set(key, (list = []));
          q.order.push(key);
        }
        if (result === 'deduped' && list.length > 0) {
          if (!item.tombstone) list[list.length - 1] = item;
        } else list.push(item);
        const want = num(e.deltas);
        if (want !== undefined && want > 0 && list.length > want) list.splice(0, list.length - want);
      }
      s.current = { hop: 'queue', key, rv, pipeline, moved: result !== 'ignored' && result !== 'skipped' };
      return;
    }
    case 'replaceDone':
      if (e.first) q.initialPopulationCount = e.initialPopulationCount as number;
      s.current = { hop: 'queue', pipeline };
      return;
    case 'pop': {
      if (e.key === null) {
        q.closed = true;
        s.current = { hop: 'queue', pipeline };
        return;
      }
      const key = e.key as string;
      let items: Flow[];
      if (kind === 'RealFIFO') {
        const i = q.items.length > 0 && q.items[0].key === key ? 0 : q.items.findIndex((f) => f.key === key);
        items = i >= 0 ? q.items.splice(i, 1) : [{ key, type: str(e.deltaType) ?? 'Sync' }];
      } else {
        items = q.deltas.get(key) ?? ((e.types as string[] | undefined) ?? []).map((type) => ({ key, type }));
        q.deltas.delete(key);
        const i = q.order[0] === key ? 0 : q.order.indexOf(key);
        if (i >= 0) q.order.splice(i, 1);
      }
      if (e.isInInitialList) for (const f of items) f.initial = true;
      if (typeof e.initialPopulationCount === 'number') q.initialPopulationCount = e.initialPopulationCount;
      q.popped = { key, items, handled: 0 };
      q.pops++;
      s.current = { hop: 'indexer', key, rv: items[items.length - 1]?.rv, pipeline, moved: true };
      return;
    }
    case 'processed':
      q.popped = undefined;
      s.current = { hop: 'indexer', key: str(e.key), pipeline };
      return;
    case 'close':
      q.closed = true;
      s.current = { hop: 'queue', pipeline };
      return;
    case 'wait':
    case 'resync':
    case 'log':
      return;
  }
}

function applyInformer(s: PipelineState, e: TraceEvent): void {
  const inf = informerOf(s, e.informer as string);
  const informer = inf.name;
  const pipeline = informer;
  switch (e.type) {
    case 'informer.new':
      inf.indexers = (e.indexers as string[]) ?? [];
      return;
    case 'informer.run':
      inf.queueKind = e.queue as InformerState['queueKind'];
      inf.running = true;
      if (inf.queueKind) {
        const q = queueOf(s, informer + FIFO_SUFFIX, inf.queueKind);
        q.kind = inf.queueKind;
      }
      reflectorOf(s, informer);
      s.current = { hop: 'queue', pipeline };
      return;
    case 'informer.handle': {
      const key = e.key as string;
      const type = e.deltaType as string;
      const q = s.queues.get(informer + FIFO_SUFFIX);
      let flow: Flow | undefined;
      if (q?.popped && q.popped.key === key) {
        const items = q.popped.items;
        const i = items.findIndex((f, j) => j >= q.popped!.handled && f.type === type);
        if (i >= 0) {
          flow = items[i];
          q.popped.handled = i + 1;
        }
      }
      flow ??= { key, type, rv: inf.indexer.get(key) };
      inf.lastHandled = { ...flow };
      if (type === 'Deleted') inf.indexer.delete(key);
      else inf.indexer.set(key, flow.rv ?? inf.indexer.get(key));
      s.current = { hop: 'indexer', key, rv: flow.rv, pipeline };
      return;
    }
    case 'informer.notify': {
      const l = listenerOf(inf, e.listener as number);
      const key = e.key as string;
      const rv = inf.lastHandled?.key === key ? inf.lastHandled.rv : inf.indexer.get(key);
      const f: Flow = { key, type: e.kind as string, rv };
      if (e.isInInitialList) f.initial = true;
      l.pending.push(f);
      s.current = { hop: 'handlers', key, rv, pipeline, moved: true, listener: l.id };
      return;
    }
    case 'informer.deliver': {
      const l = listenerOf(inf, e.listener as number);
      const key = e.key as string;
      const kind = e.kind as string;
      let i = l.pending.length > 0 && l.pending[0].key === key && l.pending[0].type === kind ? 0 : -1;
      if (i < 0) i = l.pending.findIndex((f) => f.key === key && f.type === kind);
      l.inHandler = i >= 0 ? l.pending.splice(i, 1)[0] : { key, type: kind };
      s.delivering = { informer, listener: l.id };
      s.current = { hop: 'handlers', key, rv: l.inHandler.rv, pipeline, listener: l.id };
      return;
    }
    case 'informer.delivered':
    case 'informer.recovered': {
      const l = listenerOf(inf, e.listener as number);
      l.inHandler = undefined;
      l.handled++;
      if (e.type === 'informer.recovered') l.panic = e.error as string;
      s.current = { hop: 'handlers', key: str(e.key), pipeline, listener: l.id };
      return;
    }
    case 'informer.crash': {
      const l = listenerOf(inf, e.listener as number);
      l.panic = e.error as string;
      inf.crashed = true;
      s.current = { hop: 'handlers', pipeline, listener: l.id };
      return;
    }
    case 'informer.addHandler':
      listenerOf(inf, e.listener as number);
      s.current = { hop: 'handlers', pipeline, listener: e.listener as number };
      return;
    case 'informer.removeHandler':
    case 'informer.closeListener': {
      if (typeof e.listener !== 'number') return;
      const l = listenerOf(inf, e.listener);
      if (e.type === 'informer.closeListener') {
        l.closed = true;
        l.dropped = (e.dropped as number) ?? 0;
        l.pending = [];
      } else if (e.removed) l.closed = true;
      s.current = { hop: 'handlers', pipeline, listener: l.id };
      return;
    }
    case 'informer.synced':
      if (e.listener === null) inf.synced = true;
      else listenerOf(inf, e.listener as number).synced = true;
      s.current = { hop: e.listener === null ? 'indexer' : 'handlers', pipeline };
      return;
    case 'informer.stop':
      return;
    case 'informer.stopped':
      inf.stopped = true;
      inf.running = false;
      if (e.crashed) inf.crashed = true;
      return;
  }
}

/** The key of an object in the watch cache's storage key (`/pods/default/web` -> `default/web`). */
function metaKeyOf(s: PipelineState, src: SourceState, storageKey: string): string {
  if (src.prefix === undefined) {
    // The cacher reflector whose storage prefix the key starts with (the longest such).
    for (const r of s.reflectors.keys()) {
      if (!isCacherReflector(r)) continue;
      const prefix = r.slice(CACHER_PREFIX.length);
      if (storageKey.startsWith(prefix + '/') && (src.prefix === undefined || prefix.length > src.prefix.length)) {
        src.prefix = prefix;
        src.cacher = r;
      }
    }
  }
  if (src.prefix !== undefined && storageKey.startsWith(src.prefix + '/')) return storageKey.slice(src.prefix.length + 1);
  return storageKey.replace(/^\/[^/]*\//, '');
}

function applyApiServer(s: PipelineState, e: TraceEvent): void {
  const server = e.server as string;
  switch (e.type) {
    case 'apiserver.cacheEvent': {
      const src = apiResourceOf(s, server, e.resource as string);
      const key = metaKeyOf(s, src, e.key as string);
      const rv = String(e.rv);
      if (e.eventType === 'DELETED') src.objects.delete(key);
      else src.objects.set(key, rv);
      src.rv = rv;
      src.window = { oldest: e.oldestRv as number, size: e.size as number, capacity: e.capacity as number };
      s.current = { hop: 'source', key, rv, pipeline: pipelineFedBy(s, src.id) };
      return;
    }
    case 'apiserver.cacheReplace': {
      const src = apiResourceOf(s, server, e.resource as string);
      src.rv = String(e.rv);
      if (e.items === 0) src.objects.clear();
      s.current = { hop: 'source', pipeline: pipelineFedBy(s, src.id) };
      return;
    }
    case 'apiserver.cacheProgress': {
      const src = apiResourceOf(s, server, e.resource as string);
      src.rv = String(e.rv);
      return;
    }
    case 'apiserver.list': {
      const src = apiResourceOf(s, server, e.resource as string);
      s.lastList = { source: src.id, objects: new Map(src.objects) };
      s.current = { hop: 'source', pipeline: pipelineFedBy(s, src.id) };
      return;
    }
    case 'apiserver.watch': {
      const src = apiResourceOf(s, server, e.resource as string);
      src.watches++;
      const r = s.watchPending !== undefined ? s.reflectors.get(s.watchPending) : undefined;
      s.watchPending = undefined;
      if (r) {
        r.source = src.id;
        r.apiWatch = e.watch as number;
        s.apiWatches.set(e.watch as number, r.name);
      }
      s.current = { hop: 'watch', rv: e.resourceVersion as string, pipeline: r?.name ?? src.id };
      return;
    }
    case 'apiserver.watchEvent':
    case 'apiserver.bookmark': {
      const name = s.apiWatches.get(e.watch as number);
      const r = name !== undefined ? s.reflectors.get(name) : undefined;
      if (!r) return;
      if (e.type === 'apiserver.watchEvent' && e.eventType !== 'ERROR') {
        const f: Flow = { key: e.key as string, type: e.eventType as string, rv: e.rv as string };
        if (r.inFlight.length < MAX_IN_FLIGHT) r.inFlight.push(f);
        s.current = { hop: 'watch', key: f.key, rv: f.rv, pipeline: r.name, moved: true };
      } else s.current = { hop: 'watch', rv: str(e.rv), pipeline: r.name };
      return;
    }
    case 'apiserver.watchEnd': {
      const name = s.apiWatches.get(e.watch as number);
      s.apiWatches.delete(e.watch as number);
      const r = name !== undefined ? s.reflectors.get(name) : undefined;
      const src = r?.source !== undefined ? s.sources.get(r.source) : undefined;
      if (src) src.watches = Math.max(0, src.watches - 1);
      if (r) s.current = { hop: 'watch', pipeline: r.name };
      return;
    }
  }
}

function listenerOf(inf: InformerState, id: number): ListenerState {
  let l = inf.listeners.get(id);
  if (!l) inf.listeners.set(id, (l = newListener(id)));
  return l;
}

function applyWorkqueue(s: PipelineState, e: TraceEvent): void {
  const q = workqueueOf(s, e.queue as string);
  const item = str(e.item);
  if (typeof e.len === 'number') q.len = e.len;
  switch (e.type) {
    case 'workqueue.add': {
      q.adds++;
      q.last = item;
      // An add right after a delivery (only workqueue events between) comes from that handler.
      const d = s.delivering;
      if (d) {
        const l = s.informers.get(d.informer)?.listeners.get(d.listener);
        if (l) l.workqueue = q.name;
        s.current = { hop: 'workqueue', key: item, pipeline: d.informer, moved: true, listener: d.listener };
        return;
      }
      break;
    }
    case 'workqueue.get':
      if (item !== undefined) q.processing.add(item);
      break;
    case 'workqueue.done':
      if (item !== undefined) q.processing.delete(item);
      break;
    case 'workqueue.shutDown':
      break;
    default:
      return;
  }
  const informer = informerFeeding(s, q.name);
  s.current = informer ? { hop: 'workqueue', key: item, pipeline: informer } : undefined;
}

function informerFeeding(s: PipelineState, workqueue: string): string | undefined {
  for (const inf of s.informers.values()) for (const l of inf.listeners.values()) if (l.workqueue === workqueue) return inf.name;
  return undefined;
}

export const pipelineReducer: Reducer<PipelineState> = {
  init: () => ({ t: 0, sources: new Map(), reflectors: new Map(), queues: new Map(), informers: new Map(), workqueues: new Map(), apiWatches: new Map() }),
  apply(s, e) {
    s.t = e.t;
    s.current = undefined;
    switch (e.component) {
      case 'source':
        applySource(s, e);
        break;
      case 'reflector':
        applyReflector(s, e);
        break;
      case 'deltaFIFO':
        applyQueue(s, e, 'DeltaFIFO');
        break;
      case 'realFIFO':
        applyQueue(s, e, 'RealFIFO');
        break;
      case 'informer':
        applyInformer(s, e);
        break;
      case 'workqueue':
        applyWorkqueue(s, e);
        break;
      case 'apiserver':
        applyApiServer(s, e);
        break;
    }
    if (e.type !== 'informer.deliver' && e.component !== 'workqueue') s.delivering = undefined;
  },
  clone(s) {
    return {
      t: s.t,
      sources: new Map([...s.sources].map(([k, v]) => [k, { ...v, objects: new Map(v.objects), window: v.window && { ...v.window } }])),
      reflectors: new Map([...s.reflectors].map(([k, r]) => [k, { ...r, list: r.list && { ...r.list }, lastEnd: r.lastEnd && { ...r.lastEnd }, inFlight: copyFlows(r.inFlight) }])),
      queues: new Map(
        [...s.queues].map(([k, q]) => [
          k,
          {
            ...q,
            items: copyFlows(q.items),
            order: q.order.slice(),
            deltas: new Map([...q.deltas].map(([key, fs]) => [key, copyFlows(fs)])),
            popped: q.popped && { ...q.popped, items: copyFlows(q.popped.items) },
          },
        ]),
      ),
      informers: new Map(
        [...s.informers].map(([k, inf]) => [
          k,
          {
            ...inf,
            indexers: inf.indexers.slice(),
            indexer: new Map(inf.indexer),
            lastHandled: inf.lastHandled && copyFlow(inf.lastHandled),
            listeners: new Map([...inf.listeners].map(([id, l]) => [id, { ...l, pending: copyFlows(l.pending), inHandler: l.inHandler && copyFlow(l.inHandler) }])),
          },
        ]),
      ),
      workqueues: new Map([...s.workqueues].map(([k, q]) => [k, { ...q, processing: new Set(q.processing) }])),
      lastList: s.lastList,
      watchPending: s.watchPending,
      apiWatches: new Map(s.apiWatches),
      delivering: s.delivering && { ...s.delivering },
      current: s.current && { ...s.current },
    };
  },
  size(s) {
    let n = 0;
    for (const src of s.sources.values()) n += src.objects.size;
    for (const r of s.reflectors.values()) n += r.inFlight.length;
    for (const q of s.queues.values()) n += q.items.length + q.order.length;
    for (const inf of s.informers.values()) {
      n += inf.indexer.size;
      for (const l of inf.listeners.values()) n += l.pending.length;
    }
    return n;
  },
};
