/**
 * Every trace event of the scheduler model, declared once: queue moves, each scheduling cycle's
 * outcome with its node table, bindings and preemptions. The view, the terminal's `trace` and
 * checks read them. Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../core/events';
import { formatMs } from '../core/format';
import type { JsonValue } from '../core/trace';
import type { CycleRecord } from './framework/runtime/record';
import type { Snapshot } from './backend/cache/snapshot';

export const KUBERNETES_TAG = 'v1.34.0';

/** One node of a cycle's table: [name, filter verdict ('' = passed), total score or null, weighted score per plugin (null = not scored), requested/allocatable milli-CPU and memory]. */
export type CycleNodeRow = [string, string, number | null, (number | null)[], number, number, number, number];

export type SchedulerEventMap = {
  /** A pod moved in the scheduling queue (`from`/`to`: activeQ, backoffQ, errorBackoffQ, unschedulablePods, gated; '' = outside). */
  'scheduler.queue': { pod: string; op: string; from: string; to: string; event: string; until: number };
  /** One scheduling cycle: what happened, and the node table (at most `maxRows` nodes; `moreNodes` left out). */
  'scheduler.cycle': {
    pod: string; profile: string; result: string; node: string; message: string;
    numAllNodes: number; evaluated: number; feasible: number;
    /** Score plugins with their weights, in the order of the rows' score columns. */
    plugins: string[]; weights: number[];
    rows: JsonValue; moreNodes: number; nominated: string;
  };
  /** The binding cycle bound the pod through pods/binding. */
  'scheduler.bind': { pod: string; node: string };
  /** The binding cycle failed; the pod goes back to the queue. */
  'scheduler.bindFailed': { pod: string; node: string; message: string };
};

export type SchedulerTraceEvent = AnyEventOf<SchedulerEventMap>;

const go = (file: string, symbol: string) => ({ file: `pkg/scheduler/${file}`, symbol });

export const schedulerEvents = defineEvents<SchedulerEventMap>(
  'scheduler',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'scheduler.queue': {
      text: (e) => `${e.op} ${e.pod}${e.from ? ` ${e.from}` : ''}${e.to ? ` -> ${e.to}` : ''}${e.event ? ` (${e.event})` : ''}${e.until ? ` until ${formatMs(e.until)}` : ''}`,
      source: (e) => go('backend/queue/scheduling_queue.go', e.op === 'Pop' ? 'PriorityQueue.Pop' : e.op === 'Move' ? 'PriorityQueue.MoveAllToActiveOrBackoffQueue' : e.op === 'Delete' ? 'PriorityQueue.Delete' : 'PriorityQueue.Add'),
    },
    'scheduler.cycle': {
      text: (e) => (e.result === 'Scheduled'
        ? `schedule ${e.pod} -> ${e.node} (${e.feasible} of ${e.evaluated} evaluated nodes feasible, ${e.numAllNodes} in all)`
        : `schedule ${e.pod}: ${e.message}${e.nominated ? ` [nominated ${e.nominated}]` : ''}`),
      source: go('schedule_one.go', 'Scheduler.schedulingCycle'),
    },
    'scheduler.bind': { text: (e) => `bound ${e.pod} to ${e.node}`, source: go('schedule_one.go', 'Scheduler.bindingCycle') },
    'scheduler.bindFailed': { text: (e) => `binding ${e.pod} to ${e.node} failed: ${e.message}`, source: go('schedule_one.go', 'Scheduler.handleBindingCycleError') },
  },
);

/** A cycle record as the fields of a `scheduler.cycle` event: feasible nodes by score first, then the rejected, at most `maxRows`. */
export function cycleEventFields(rec: CycleRecord, weights: Map<string, number>, snapshot: Snapshot, maxRows: number, nominated: string): SchedulerEventMap['scheduler.cycle'] {
  const plugins: string[] = [];
  for (const byPlugin of Object.values(rec.score)) for (const p of Object.keys(byPlugin)) if (!plugins.includes(p)) plugins.push(p);
  const failed = (n: string) => Object.values(rec.filter[n] ?? {}).find((st) => st.code !== 'Success');
  const names = Object.keys(rec.filter);
  for (const n of Object.keys(rec.score)) if (!names.includes(n)) names.push(n);
  // The winner first (among ties it can sit anywhere by name), then by score, then by name.
  const rank = (n: string) => (n === rec.selectedNode ? 1 : 0);
  const feasible = names.filter((n) => !failed(n)).sort((a, b) => rank(b) - rank(a) || (rec.finalScore[b] ?? 0) - (rec.finalScore[a] ?? 0) || (a < b ? -1 : 1));
  const order = [...feasible, ...names.filter((n) => failed(n))];
  const rows: CycleNodeRow[] = order.slice(0, maxRows).map((n) => {
    const f = failed(n);
    const ni = snapshot.nodeInfoMap.get(n);
    return [
      n, f ? `${f.plugin}: ${f.reasons.join(', ') || f.code}` : '', f ? null : rec.finalScore[n] ?? null,
      plugins.map((p) => rec.score[n]?.[p]?.weighted ?? null),
      ni?.requested.milliCPU ?? 0, ni?.allocatable.milliCPU ?? 0, ni?.requested.memory ?? 0, ni?.allocatable.memory ?? 0,
    ];
  });
  return {
    pod: rec.pod, profile: rec.profile, result: rec.result, node: rec.selectedNode ?? '', message: rec.message ?? '',
    numAllNodes: rec.numAllNodes, evaluated: rec.evaluatedNodes, feasible: rec.feasibleNodes,
    plugins, weights: plugins.map((p) => weights.get(p) ?? 1),
    rows: rows as unknown as JsonValue, moreNodes: Math.max(0, order.length - maxRows), nominated,
  };
}
