/**
 * An HPA's history, a pure function of the trace: one sample per `hpa.reconcile` event of the HPA
 * controller (src/sim/controllers/podautoscaler/events.ts): the first metric against its target,
 * the replicas the metrics recommend, and the replicas applied after normalization (the
 * stabilization window, the scale-up limit, min and max).
 */
import type { TraceEvent } from '../../../sim/index';

export interface HpaSample {
  /** Index of the event in the trace. */
  index: number;
  t: number;
  metric: string;
  value: number | null;
  target: number | null;
  currentReplicas: number;
  /** What the metrics want before normalization; -1 when none was computed. */
  desiredReplicas: number;
  /** The replicas set (or kept). */
  finalReplicas: number;
  rescaled: boolean;
  reason: string;
  error: string;
}

/** How a reconcile's applied count relates to the recommendation. */
export type Held = 'stabilized' | 'limited' | 'bounded' | '';

export interface HpaRun {
  /** namespace/name */
  hpa: string;
  samples: HpaSample[];
  /** minReplicas / maxReplicas: from the events when they carry them, else when a reason proves them (undefined: not known). */
  minReplicas?: number;
  maxReplicas?: number;
  t0: number;
  t1: number;
  /** Largest value or target (the metric axis) and largest replica count (the replicas axis). */
  valueMax: number;
  replicasMax: number;
}

export const isHpaEvent = (e: TraceEvent) => e.component === 'horizontal-pod-autoscaler' && e.type === 'hpa.reconcile';

/** The normalization reasons (horizontal.go's conditions) and what they did to the recommendation. */
const HELD: Record<string, Held> = {
  ScaleDownStabilized: 'stabilized',
  ScaleUpStabilized: 'stabilized',
  ScaleUpLimit: 'limited',
  ScaleDownLimit: 'limited',
  TooManyReplicas: 'bounded',
  TooFewReplicas: 'bounded',
};

/** Why the applied count differs from the recommendation ('' when it does not, or is unknown). */
export function heldBy(s: HpaSample): Held {
  if (s.error || s.desiredReplicas < 0 || s.desiredReplicas === s.finalReplicas) return '';
  const held = HELD[s.reason];
  if (held) return held;
  // A rescale's reason is the metric's, not the normalization's. Above the recommendation, a
  // window's higher recent recommendation won (a scale-down held, or a scale-up the limit had cut
  // finishing: `New size: 6; reason: `); below it, a limit cut the step (or maxReplicas did).
  if (!s.rescaled) return '';
  return s.finalReplicas > s.desiredReplicas ? 'stabilized' : 'limited';
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function hpaRuns(trace: readonly TraceEvent[]): HpaRun[] {
  const runs = new Map<string, HpaRun>();
  trace.forEach((e, index) => {
    if (!isHpaEvent(e)) return;
    const key = String(e.hpa);
    let r = runs.get(key);
    if (!r) {
      r = { hpa: key, samples: [], t0: e.t, t1: e.t, valueMax: 1, replicasMax: 1 };
      runs.set(key, r);
    }
    const s: HpaSample = {
      index,
      t: e.t,
      metric: String(e.metric ?? ''),
      value: num(e.value) ?? null,
      target: num(e.target) ?? null,
      currentReplicas: Number(e.currentReplicas),
      desiredReplicas: Number(e.desiredReplicas),
      finalReplicas: Number(e.finalReplicas),
      rescaled: e.rescaled === true,
      reason: String(e.reason ?? ''),
      error: String(e.error ?? ''),
    };
    r.samples.push(s);
    r.t1 = e.t;
    r.valueMax = Math.max(r.valueMax, s.value ?? 0, s.target ?? 0);
    r.replicasMax = Math.max(r.replicasMax, s.currentReplicas, s.desiredReplicas, s.finalReplicas);
    // The bounds: carried by the event, or proven by a reason that clamps to one.
    const min = num(e.minReplicas);
    const max = num(e.maxReplicas);
    if (min !== undefined) r.minReplicas = min;
    if (max !== undefined) r.maxReplicas = max;
    if (s.reason === 'TooManyReplicas' || s.reason === 'Current number of replicas above Spec.MaxReplicas') r.maxReplicas ??= s.finalReplicas;
    if (s.reason === 'TooFewReplicas' || s.reason === 'Current number of replicas below Spec.MinReplicas') r.minReplicas ??= s.finalReplicas;
  });
  for (const r of runs.values()) r.replicasMax = Math.max(r.replicasMax, r.maxReplicas ?? 0);
  return [...runs.values()];
}

/** The sample the cursor is on (the last reconcile before it), or -1. */
export function sampleAt(run: HpaRun, cursor: number): number {
  let i = -1;
  for (let k = 0; k < run.samples.length && run.samples[k].index < cursor; k++) i = k;
  return i;
}

/** The HPA to show at the cursor: the one reconciled last before it. */
export function hpaAt(runs: readonly HpaRun[], cursor: number): number {
  let best = 0;
  let at = -1;
  runs.forEach((r, i) => {
    const s = sampleAt(r, cursor);
    const idx = s >= 0 ? r.samples[s].index : -1;
    if (idx > at) [best, at] = [i, idx];
  });
  return best;
}

/** A utilization target is a percentage; other targets are milli-units. */
export const isPercent = (metric: string) => /utilization/.test(metric);

/** A metric value as people read it: `150%`, `1.5`. */
export function metricText(metric: string, v: number | null): string {
  if (v === null) return '?';
  return isPercent(metric) ? `${v}%` : String(Math.round(v) / 1000);
}
