/**
 * The packet view's state at a cursor, replayed from `netstack.*` trace events: the walk in
 * progress (its hops so far, request and reply), who answered each finished walk, and the tally
 * of answers. Pure: tested without a DOM.
 */
import type { TraceEvent } from '../../../sim/index';

export interface HopView {
  n: number;
  kind: string;
  node: string;
  netns: string;
  iface?: string;
  /** In a pod's netns: `<namespace>/<name>`. */
  pod?: string;
  /** On the underlay: its two ends, `node/<name>` or `external/<ip>`. */
  underlay?: { from: string; to: string };
  where: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  outer?: Record<string, unknown>;
  /** Every rule that matched, in order (the chain traversal); `decisive` ended it. */
  matched?: { table: string; chain: string; line: number; text: string }[];
  decisive?: { table: string; chain: string; line?: number; text: string; effect?: string };
  conntrack?: { action: string; entry: string };
}

export interface WalkView {
  walk: number;
  leg: 'request' | 'reply';
  hops: HopView[];
  outcome?: string;
  at?: string;
}

export interface PacketViewState {
  /** The leg being drawn: the last one with an event at or before the cursor. */
  current?: WalkView;
  /** The request leg of the same walk while `current` is its reply (drawn faded under it). */
  request?: WalkView;
  /** Finished requests. */
  walks: number;
  /** Who got the finished requests (pod, node or outcome), by count, in first-seen order. */
  answers: Map<string, number>;
}

export function emptyState(): PacketViewState {
  return { walks: 0, answers: new Map() };
}

/** Applies one event (other components are ignored). */
export function apply(s: PacketViewState, e: TraceEvent): void {
  if (e.component !== 'netstack') return;
  const f = e as unknown as { walk: number; leg: 'request' | 'reply'; hop?: HopView; outcome?: string; at?: string };
  if (!s.current || s.current.walk !== f.walk || s.current.leg !== f.leg) {
    s.request = f.leg === 'reply' && s.current?.walk === f.walk && s.current.leg === 'request' ? s.current : undefined;
    s.current = { walk: f.walk, leg: f.leg, hops: [] };
  }
  if (e.type === 'netstack.hop' && f.hop) s.current.hops.push(f.hop);
  else if (e.type === 'netstack.walk') {
    s.current.outcome = f.outcome;
    s.current.at = f.at;
    if (f.leg === 'request') {
      s.walks++;
      const who = f.outcome === 'delivered' ? (f.at ?? '?').replace(/^pod\/[^/]+\//, '') : f.outcome ?? '?';
      s.answers.set(who, (s.answers.get(who) ?? 0) + 1);
    }
  }
}

/** The state after the first `cursor` events. */
export function stateAt(trace: readonly TraceEvent[], cursor: number): PacketViewState {
  const s = emptyState();
  for (let i = 0; i < cursor && i < trace.length; i++) apply(s, trace[i]);
  return s;
}

/** Events between two checkpoints: the most a backward jump replays. */
export const CHECKPOINT_EVERY = 512;

function cloneWalk(w: WalkView | undefined): WalkView | undefined {
  return w && { ...w, hops: w.hops.slice() };
}

function cloneState(s: PacketViewState): PacketViewState {
  return { current: cloneWalk(s.current), request: cloneWalk(s.request), walks: s.walks, answers: new Map(s.answers) };
}

/**
 * The state at any cursor of one trace, resumed when the cursor moves on and restored from the
 * nearest checkpoint when it moves back, so scrubbing costs at most CHECKPOINT_EVERY events
 * whatever the trace's length. The returned state is shared: read it, don't change it.
 */
export class PacketReplay {
  readonly #checkpoints: PacketViewState[] = [emptyState()];
  #state = emptyState();
  #cursor = 0;

  constructor(readonly trace: readonly TraceEvent[]) {}

  at(cursor: number): PacketViewState {
    const target = Math.max(0, Math.min(cursor, this.trace.length));
    if (target < this.#cursor) {
      const k = Math.min(Math.floor(target / CHECKPOINT_EVERY), this.#checkpoints.length - 1);
      this.#state = cloneState(this.#checkpoints[k]);
      this.#cursor = k * CHECKPOINT_EVERY;
    }
    for (; this.#cursor < target; ) {
      apply(this.#state, this.trace[this.#cursor++]);
      if (this.#cursor % CHECKPOINT_EVERY === 0 && this.#checkpoints.length === this.#cursor / CHECKPOINT_EVERY) this.#checkpoints.push(cloneState(this.#state));
    }
    return this.#state;
  }
}
