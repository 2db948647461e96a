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
      /** What the server did to this watch (seen before the reflector sees the end). */
      server?: { t: number; timeoutSeconds?: number; expired?: string };
      end?: WatchEnd;
    }
  | { kind: 'backoff'; t: number; delayMs: number; reason: string };

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
  source?: string;
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
  /** A reflector whose `reflector.watch` waits for the source's `source.watch`. */
  watchPending?: string;
  /** The source that listed last (for the `reflector.list` that follows). */
  lastListSource?: string;
  /** The lane and segment (absolute index) the last event touched. */
  current?: { lane: string; segment: number; event?: number };
}

const zeroCounts = (): LaneCounts => ({ lists: 0, listFailures: 0, watches: 0, events: 0, bookmarks: 0, timeouts: 0, gone: 0, errors: 0, relists: 0, backoffs: 0, resyncs: 0 });

function laneOf(s: LanesState, name: string): Lane {
  let l = s.lanes.get(name);
  if (!l) s.lanes.set(name, (l = { name, segments: [], dropped: 0, lastSyncRV: '', stopped: false, counts: zeroCounts() }));
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
        if (s.lastListSource !== undefined) l.source ??= s.lastListSource;
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
      s.watchPending = l.name;
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

function applySource(s: LanesState, e: TraceEvent): void {
  const source = e.source as string;
  switch (e.type) {
    case 'source.list':
      s.lastListSource = source;
      return;
    case 'source.watch':
      if (s.watchPending !== undefined) {
        const l = s.lanes.get(s.watchPending);
        if (l) l.source = source;
        s.watchPending = undefined;
      }
      return;
    case 'source.watchTimeout':
      // The source's watch from `rv` reached its timeoutSeconds: the reflector reading it sees the end next.
      for (const l of s.lanes.values()) {
        const w = l.source === source ? openWatch(l) : undefined;
        if (w && w.fromRV === e.rv) {
          w.server = { t: e.t, timeoutSeconds: e.timeoutSeconds as number };
          l.counts.timeouts++;
          mark(s, l);
        }
      }
      return;
    case 'source.expireWatches':
      // Every open watch of the source gets an ERROR event with 410.
      for (const l of s.lanes.values()) {
        const w = l.source === source ? openWatch(l) : undefined;
        if (w) {
          w.server = { t: e.t, expired: typeof e.message === 'string' ? e.message : '' };
          mark(s, l);
        }
      }
      return;
  }
}

export const lanesReducer: Reducer<LanesState> = {
  init: () => ({ t: 0, lanes: new Map() }),
  apply(s, e) {
    s.t = e.t;
    if (e.component === 'reflector') {
      s.current = undefined;
      applyReflector(s, e);
    } else if (e.component === 'source') {
      s.current = undefined;
      applySource(s, e);
    } else s.current = undefined;
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
            segments: l.segments.map((seg) => (seg.kind === 'watch' ? { ...seg, events: seg.events.slice(), server: seg.server && { ...seg.server }, end: seg.end && { ...seg.end } } : { ...seg })),
          },
        ]),
      ),
      watchPending: s.watchPending,
      lastListSource: s.lastListSource,
      current: s.current && { ...s.current },
    };
  },
  size(s) {
    let n = 0;
    for (const l of s.lanes.values()) for (const seg of l.segments) n += 1 + (seg.kind === 'watch' ? seg.events.length : 0);
    return n;
  },
};
