/**
 * Helpers for the scheduler labs' checks: a profile's score weights (the table needs them and
 * runSchedulingCycle does not return them), the node table of a cycle, and one sentence saying
 * why the scheduler preferred one node over another.
 */
import type { Pod } from '../sim/api/core/v1';
import { deepCopy } from '../sim/core/object';
import { getDefaultPlugins } from '../sim/scheduler/config/defaults';
import type { KubeSchedulerProfile } from '../sim/scheduler/config/types';
import { explain } from '../sim/scheduler/format';
import type { SchedulingCycleResult } from '../sim/scheduler/cycle';

/** The Score weights a profile ends up with: the defaults, its own multiPoint and score weights, and what the record shows. */
export function scoreWeights(profile?: KubeSchedulerProfile, result?: SchedulingCycleResult): Map<string, number> {
  const w = new Map<string, number>();
  const disabled = new Set((profile?.plugins?.multiPoint?.disabled ?? []).map((p) => p.name));
  for (const p of getDefaultPlugins().multiPoint?.enabled ?? []) if (p.weight && !disabled.has('*') && !disabled.has(p.name)) w.set(p.name, p.weight);
  for (const p of [...(profile?.plugins?.multiPoint?.enabled ?? []), ...(profile?.plugins?.score?.enabled ?? [])]) w.set(p.name, p.weight || 1);
  for (const byPlugin of Object.values(result?.record.score ?? {})) {
    for (const [name, s] of Object.entries(byPlugin)) if (s.normalized !== 0) w.set(name, s.weighted / s.normalized);
  }
  return w;
}

/** The cycle as the terminal's `scheduler explain` prints it. */
export function cycleTable(result: SchedulingCycleResult, profile?: KubeSchedulerProfile): string {
  return explain(result.record, scoreWeights(profile, result));
}

/** The Filter plugin that rejected `node`, with its reasons; undefined when the node passed. */
export function rejection(result: SchedulingCycleResult, node: string): { plugin: string; code: string; reasons: string[] } | undefined {
  return Object.values(result.filter[node] ?? {}).find((s) => s.code !== 'Success');
}

/** Why `winner` beat `other`: the Score plugins whose weighted scores differ, largest difference first. */
export function scoreDifference(result: SchedulingCycleResult, winner: string, other: string): string {
  const a = result.record.score[winner] ?? {};
  const b = result.record.score[other] ?? {};
  const diffs = Object.keys(a)
    .map((p) => ({ p, d: (a[p]?.weighted ?? 0) - (b[p]?.weighted ?? 0) }))
    .filter((x) => x.d !== 0)
    .sort((x, y) => Math.abs(y.d) - Math.abs(x.d));
  const parts = diffs.map(({ p, d }) => `${p} ${d > 0 ? '+' : ''}${d} for ${winner} (${a[p]?.weighted ?? 0} vs ${b[p]?.weighted ?? 0})`);
  return `${winner} totals ${result.finalScore[winner]}, ${other} ${result.finalScore[other]}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** A learner's pod as plain data, copied so neither side sees the other's changes. */
export function podCopy(value: unknown): Pod {
  return deepCopy(value as Pod);
}
