/**
 * The watch streams, rebuilt from trace events alone: one lane per reflector, as a sequence of
 * segments — a list (or a relist, and why), a watch from a resourceVersion with the events it
 * delivered (bookmarks too) and how it ended (the server's timeout, 410 Gone, an error, a stop),
 * a backoff — plus counts of each. The source's side (`source.watchTimeout`,
 * `source.expireWatches`) tells why the server ended a watch.
 *
 * It reads the reflector's and the source's events, so it lives with the view. A reflector's
 * source is the one whose `source.watch` follows its `reflector.watch`, or whose `source.list`
 * came last before its `reflector.list` (as in pipeline.ts). The state is bounded: a lane keeps
 * its last MAX_SEGMENTS segments and a watch its last MAX_EVENTS events (the rest are counted).
 */
import type { Reducer, TraceEvent } from '../../../sim/index';

export const MAX_SEGMENTS = 40;
export const MAX_EVENTS = 40;

export interface WatchMark {
  t: number;
  type: string;
  key: string;
  rv: string;
}

export interface WatchEnd {
  t: number;
  reason: string;
  code?: number;
  statusReason?: string;
  error?: string;
  durationMs?: number;
  items?: number;
}

export type Segment =
  | { kind: 'list'; t: number; relist?: string; requestRV?: string; rv?: string; items?: number; error?: string; done: boolean }
  | {
      kind: 'watch';
      t: number;
      fromRV: string;
      timeoutSeconds?: number;
      events: WatchMark[];
      total: number;
      bookmarks: number;
      /** The server's side: the API server's watch number and cache, and how it ended the watch (seen before the reflector sees the end). */
      server?: ServerSide;
      end?: WatchEnd;
    }
  | { kind: 'backoff'; t: number; delayMs: number; reason: string };

export interface ServerSide {
  /** The API server's number for the watch, where it serves from (`cache`, `etcd`) and its timeout. */
  watch?: number;
  from?: string;
  timeoutMs?: number;
  /** The server ended the watch: at its timeout, with 410 Gone, by closing it, with an error. */
  end?: { t: number; reason: 'timeout' | 'expired' | 'closed' | 'error'; timeoutSeconds?: number; message?: string };
}

export interface LaneCounts {
  lists: number;
  listFailures: number;
  watches: number;
  events: number;
  bookmarks: number;
  timeouts: number;
  gone: number;
  errors: number;
  relists: number;
  backoffs: number;
  resyncs: number;
}

export interface Lane {
  name: string;
  /** What it lists and watches: a FakeControllerSource's name, or `<server> <resource>`. */
  source?: string;
  sourceKind?: 'FakeControllerSource' | 'ApiServer';
  /** One of the API server's own reflectors (filling a watch cache from etcd). */
  cacher: boolean;
  /** A cacher's resource, `<server> <resource>` (learnt from the watch cache's events). */
  resource?: string;
  /** The last MAX_SEGMENTS segments; `dropped` earlier ones were let go. */
  segments: Segment[];
  dropped: number;
  lastSyncRV: string;
  stopped: boolean;
  counts: LaneCounts;
}

export interface LanesState {
  t: number;
  lanes: Map<string, Lane>;
  /** A reflector whose `reflector.watch` waits for the source's `source.watch` or `apiserver.watch`. */
  watchPending?: string;
  /** The source that listed last (for the `reflector.list` that follows). */
  lastListSource?: { name: string; kind: 'FakeControllerSource' | 'ApiServer' };
  /** Open API server watches: number -> lane. */
  apiWatches: Map<number, string>;
  /** The lane and segment (absolute index) the last event touched. */
  current?: { lane: string; segment: number; event?: number };
}

const zeroCounts = (): LaneCounts => ({ lists: 0, listFailures: 0, watches: 0, events: 0, bookmarks: 0, timeouts: 0, gone: 0, errors: 0, relists: 0, backoffs: 0, resyncs: 0 });

function laneOf(s: LanesState, name: string): Lane {
  let l = s.lanes.get(name);
  if (!l) s.lanes.set(name, (l = { name, cacher: name.startsWith('storage/cacher.go:'), segments: [], dropped: 0, lastSyncRV: '', stopped: false, counts: zeroCounts() }));
  return l;
}

function push(l: Lane, seg: Segment): void {
  l.segments.push(seg);
  if (l.segments.length > MAX_SEGMENTS) {
    l.segments.shift();
    l.dropped++;
  }
}

const last = (l: Lane): Segment | undefined => l.segments[l.segments.length - 1];

/** The open watch of a lane (its last segment, if a watch that has not ended). */
function openWatch(l: Lane): Extract<Segment, { kind: 'watch' }> | undefined {
  const seg = last(l);
  return seg?.kind === 'watch' && !seg.end ? seg : undefined;
}

function mark(s: LanesState, l: Lane, event?: number): void {
  s.current = { lane: l.name, segment: l.dropped + l.segments.length - 1, event };
}

function applyReflector(s: LanesState, e: TraceEvent): void {
  const l = laneOf(s, e.reflector as string);
  const c = l.counts;
  switch (e.type) {
    case 'reflector.relist':
      c.relists++;
      push(l, { kind: 'list', t: e.t, relist: e.reason as string, done: false });
      mark(s, l);
      return;
    case 'reflector.list':
    case 'reflector.listFailed': {
      let seg = last(l);
      if (seg?.kind !== 'list' || seg.done) {
        seg = { kind: 'list', t: e.t, done: false };
        push(l, seg);
      }
      seg.done = true;
      if (e.type === 'reflector.list') {
        c.lists++;
        seg.requestRV = e.requestRV as string;
        seg.rv = e.rv as string;
        seg.items = e.items as number;
        l.lastSyncRV = e.rv as string;
        if (s.lastListSource !== undefined && !l.cacher && l.source === undefined) {
          l.source = s.lastListSource.name;
          l.sourceKind = s.lastListSource.kind;
        }
      } else {
        c.listFailures++;
        seg.requestRV = e.rv as string;
        seg.error = e.error as string;
      }
      s.lastListSource = undefined;
      mark(s, l);
      return;
    }
    case 'reflector.watch':
      c.watches++;
      push(l, { kind: 'watch', t: e.t, fromRV: e.rv as string, timeoutSeconds: typeof e.timeoutSeconds === 'number' ? e.timeoutSeconds : undefined, events: [], total: 0, bookmarks: 0 });
      if (!l.cacher) s.watchPending = l.name;
      mark(s, l);
      return;
    case 'reflector.event': {
      const w = openWatch(l);
      const rv = e.rv as string;
      l.lastSyncRV = rv;
      const isBookmark = e.eventType === 'BOOKMARK';
      if (isBookmark) c.bookmarks++;
      else c.events++;
      if (!w) return;
      w.total++;
      if (isBookmark) w.bookmarks++;
      w.events.push({ t: e.t, type: e.eventType as string, key: e.key as string, rv });
      if (w.events.length > MAX_EVENTS) w.events.shift();
      mark(s, l, w.total - 1);
      return;
    }
    case 'reflector.watchEnded': {
      const reason = e.reason as string;
      if (s.watchPending === l.name) s.watchPending = undefined;
      let w = openWatch(l);
      if (!w && reason === 'startFailed') {
        // The request was refused before any watch segment: the segment is the refused request.
        w = { kind: 'watch', t: e.t, fromRV: l.lastSyncRV, events: [], total: 0, bookmarks: 0 };
        push(l, w);
      }
      if (!w) return;
      const end: WatchEnd = w.end ?? { t: e.t, reason };
      end.t = e.t;
      end.reason = reason;
      if (typeof e.code === 'number') end.code = e.code;
      if (typeof e.statusReason === 'string') end.statusReason = e.statusReason;
      if (typeof e.error === 'string') end.error = e.error;
      if (typeof e.durationMs === 'number') end.durationMs = e.durationMs;
      if (typeof e.items === 'number') end.items = e.items;
      w.end = end;
      if (reason === 'expired' || end.code === 410) c.gone++;
      else if (reason === 'error' || reason === 'startFailed' || reason === 'veryShortWatch' || reason === 'resyncError') c.errors++;
      if (reason === 'stopped') l.stopped = true;
      mark(s, l);
      return;
    }
    case 'reflector.backoff':
      c.backoffs++;
      push(l, { kind: 'backoff', t: e.t, delayMs: e.delayMs as number, reason: e.reason as string });
      mark(s, l);
      return;
    case 'reflector.resync':
      c.resyncs++;
      return;
    case 'reflector.log':
      if (typeof e.message === 'string' && e.message.startsWith('"Stopping reflector"')) l.stopped = true;
      return;
  }
}

/** Marks how the server ended the open watch of each lane reading `source` (and counts a timeout). */
function serverEnd(s: LanesState, l: Lane, end: NonNullable<ServerSide['end']>): void {
  const w = openWatch(l);
  if (!w) return;
  w.server = { ...w.server, end };
  if (end.reason === 'timeout') l.counts.timeouts++;
  mark(s, l);
}

function applySource(s: LanesState, e: TraceEvent): void {
  const source = e.source as string;
  const reading = () => [...s.lanes.values()].filter((l) => l.source === source && l.sourceKind === 'FakeControllerSource');
  switch (e.type) {
    case 'source.list':
      s.lastListSource = { name: source, kind: 'FakeControllerSource' };
      return;
    case 'source.watch':
      if (s.watchPending !== undefined) {
        const l = s.lanes.get(s.watchPending);
        if (l) {
          l.source = source;
          l.sourceKind = 'FakeControllerSource';
        }
        s.watchPending = undefined;
      }
      return;
    case 'source.watchTimeout':
      // The source's watch from `rv` reached its timeoutSeconds: the reflector reading it sees the end next.
      for (const l of reading()) if (openWatch(l)?.fromRV === e.rv) serverEnd(s, l, { t: e.t, reason: 'timeout', timeoutSeconds: e.timeoutSeconds as number });
      return;
    case 'source.expireWatches':
      // Every open watch of the source gets an ERROR event with 410.
      for (const l of reading()) serverEnd(s, l, { t: e.t, reason: 'expired', message: typeof e.message === 'string' ? e.message : undefined });
      return;
    case 'source.resetWatch':
    case 'source.closeWatches':
    case 'source.shutdown':
      for (const l of reading()) serverEnd(s, l, { t: e.t, reason: 'closed' });
      return;
  }
}

function applyApiServer(s: LanesState, e: TraceEvent): void {
  switch (e.type) {
    case 'apiserver.list':
      s.lastListSource = { name: `${e.server as string} ${e.resource as string}`, kind: 'ApiServer' };
      return;
    case 'apiserver.watch': {
      const l = s.watchPending !== undefined ? s.lanes.get(s.watchPending) : undefined;
      s.watchPending = undefined;
      if (!l) return;
      l.source = `${e.server as string} ${e.resource as string}`;
      l.sourceKind = 'ApiServer';
      s.apiWatches.set(e.watch as number, l.name);
      const w = openWatch(l);
      if (w) w.server = { watch: e.watch as number, from: e.source as string, timeoutMs: e.timeoutMs as number };
      mark(s, l);
      return;
    }
    case 'apiserver.watchEnd': {
      const name = s.apiWatches.get(e.watch as number);
      s.apiWatches.delete(e.watch as number);
      const l = name !== undefined ? s.lanes.get(name) : undefined;
      if (!l) return;
      const reason = e.reason as string;
      const w = openWatch(l);
      if (reason === 'timeout') serverEnd(s, l, { t: e.t, reason: 'timeout', timeoutSeconds: w?.server?.timeoutMs !== undefined ? w.server.timeoutMs / 1000 : undefined });
      else if (reason === 'serverStop') serverEnd(s, l, { t: e.t, reason: 'closed' });
      else if (reason === 'error') serverEnd(s, l, { t: e.t, reason: 'error' });
      return;
    }
    case 'apiserver.cacheEvent': {
      // The cacher reflector whose storage prefix the key starts with fills this resource's cache.
      const key = e.key as string;
      let best: Lane | undefined;
      for (const l of s.lanes.values()) {
        if (!l.cacher || l.resource !== undefined) continue;
        const prefix = l.name.slice('storage/cacher.go:'.length);
        if (key.startsWith(prefix + '/') && (!best || prefix.length > best.name.length - 'storage/cacher.go:'.length)) best = l;
      }
      if (best) best.resource = `${e.server as string} ${e.resource as string}`;
      return;
    }
    case 'apiserver.watchEvent':
      // An ERROR event (410 Gone, ...) ends the watch; the reflector reports it next.
      if (e.eventType === 'ERROR') {
        const name = s.apiWatches.get(e.watch as number);
        const l = name !== undefined ? s.lanes.get(name) : undefined;
        if (l) serverEnd(s, l, { t: e.t, reason: /^410\b/.test(e.key as string) ? 'expired' : 'error', message: e.key as string });
      }
      return;
  }
}

export const lanesReducer: Reducer<LanesState> = {
  init: () => ({ t: 0, lanes: new Map(), apiWatches: new Map() }),
  apply(s, e) {
    s.t = e.t;
    s.current = undefined;
    if (e.component === 'reflector') applyReflector(s, e);
    else if (e.component === 'source') applySource(s, e);
    else if (e.component === 'apiserver') applyApiServer(s, e);
  },
  clone(s) {
    return {
      t: s.t,
      lanes: new Map(
        [...s.lanes].map(([k, l]) => [
          k,
          {
            ...l,
            counts: { ...l.counts },
            segments: l.segments.map((seg) =>
              seg.kind === 'watch' ? { ...seg, events: seg.events.slice(), server: seg.server && { ...seg.server, end: seg.server.end && { ...seg.server.end } }, end: seg.end && { ...seg.end } } : { ...seg },
            ),
          },
        ]),
      ),
      watchPending: s.watchPending,
      lastListSource: s.lastListSource,
      apiWatches: new Map(s.apiWatches),
      current: s.current && { ...s.current },
    };
  },
  size(s) {
    let n = 0;
    for (const l of s.lanes.values()) for (const seg of l.segments) n += 1 + (seg.kind === 'watch' ? seg.events.length : 0);
    return n;
  },
};
