/**
 * The scheduler view's state at a cursor, replayed from `scheduler.*` trace events: where each
 * pending pod waits (activeQ, backoffQ, unschedulablePods, gated), the last scheduling cycle
 * (its node table), the cycles so far, and the bindings. Pure: tested without a DOM.
 */
import type { CycleNodeRow, TraceEvent } from '../../../sim/index';

export interface CycleView {
  index: number;
  pod: string;
  profile: string;
  result: string;
  node: string;
  message: string;
  numAllNodes: number;
  evaluated: number;
  feasible: number;
  plugins: string[];
  weights: number[];
  rows: CycleNodeRow[];
  moreNodes: number;
  nominated: string;
}

export interface SchedulerViewState {
  /** Pod -> queue it waits in. */
  queues: Map<string, string>;
  /** Pod -> when its backoff ends (virtual ms), while it waits in a backoff queue. */
  backoffUntil: Map<string, number>;
  /** Virtual time of the last event applied. */
  now: number;
  /** Pod -> when it last entered unschedulablePods (the 5-minute flush counts from there). */
  unschedulableSince: Map<string, number>;
  cycles: number;
  last?: CycleView;
  /** Pod -> node, in binding order. */
  bound: Map<string, string>;
  bindFailures: number;
}

export function emptyState(): SchedulerViewState {
  return { queues: new Map(), backoffUntil: new Map(), unschedulableSince: new Map(), now: 0, cycles: 0, bound: new Map(), bindFailures: 0 };
}

/** Applies one event (non-scheduler events are ignored). */
export function apply(s: SchedulerViewState, e: TraceEvent): void {
  s.now = e.t;
  if (e.component !== 'scheduler') return;
  const f = e as unknown as Record<string, unknown>;
  switch (e.type) {
    case 'scheduler.queue': {
      const pod = String(f.pod);
      s.backoffUntil.delete(pod);
      s.unschedulableSince.delete(pod);
      if (f.op === 'Pop' || f.op === 'Delete') s.queues.delete(pod);
      else if (f.to) {
        s.queues.set(pod, String(f.to));
        if (Number(f.until)) s.backoffUntil.set(pod, Number(f.until));
        if (f.to === 'unschedulablePods') s.unschedulableSince.set(pod, e.t);
      }
      break;
    }
    case 'scheduler.cycle':
      s.cycles++;
      s.last = {
        index: s.cycles, pod: String(f.pod), profile: String(f.profile), result: String(f.result), node: String(f.node), message: String(f.message),
        numAllNodes: Number(f.numAllNodes), evaluated: Number(f.evaluated), feasible: Number(f.feasible),
        plugins: f.plugins as string[], weights: f.weights as number[], rows: f.rows as CycleNodeRow[], moreNodes: Number(f.moreNodes), nominated: String(f.nominated ?? ''),
      };
      break;
    case 'scheduler.bind':
      s.bound.set(String(f.pod), String(f.node));
      break;
    case 'scheduler.bindFailed':
      s.bindFailures++;
      break;
  }
}

/** The state after the first `cursor` events. */
export function stateAt(trace: readonly TraceEvent[], cursor: number): SchedulerViewState {
  const s = emptyState();
  for (let i = 0; i < cursor && i < trace.length; i++) apply(s, trace[i]);
  return s;
}
