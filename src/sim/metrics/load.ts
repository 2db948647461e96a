/**
 * Scripted load for tests and labs: a workload's total CPU demand as a function of virtual time,
 * shared evenly by its running pods (more replicas, less per pod: the feedback the HPA acts on).
 * Not an upstream component: what a load generator plus the kubelet would report.
 */
import type { Pod } from '../api/core/v1';
import { matches, parse } from '../apimachinery/labels';
import type { MetricsSource, PodUsage } from './types';

export interface LoadProfileOptions {
  /** The workload's pods (a label selector, e.g. `app=web`); pods outside it get `otherPods` (default: none). */
  selector: string;
  /** Total CPU demand in millicores at virtual time `tMs`. */
  totalCpuMilli(tMs: number): number;
  /** Memory per pod in bytes (default 64 Mi), or a function of time and replicas. */
  memoryBytes?: number | ((tMs: number, replicas: number) => number);
  /** Which container carries the load (default: the pod's first). */
  container?: string;
  /** Usage of pods outside the selector. */
  otherPods?: MetricsSource;
}

/** A MetricsSource: each selected pod uses `totalCpuMilli(t) / replicas` (integer millicores, the rest to the first pods). */
export function loadProfile(o: LoadProfileOptions): MetricsSource {
  const selector = parse(o.selector);
  return (pod, ctx) => {
    if (!matches(selector, pod.metadata.labels ?? {})) return o.otherPods?.(pod, ctx);
    const mine = ctx.pods.filter((p) => matches(selector, p.metadata.labels ?? {}) && (p.metadata.namespace ?? '') === (pod.metadata.namespace ?? ''));
    const replicas = Math.max(1, mine.length);
    const total = Math.max(0, Math.round(o.totalCpuMilli(ctx.nowMs)));
    const index = mine.findIndex((p) => p.metadata.name === pod.metadata.name);
    // Integer shares that add up to the total, so a lesson's arithmetic checks out exactly.
    const share = Math.floor(total / replicas) + (index >= 0 && index < total % replicas ? 1 : 0);
    const memory = typeof o.memoryBytes === 'function' ? o.memoryBytes(ctx.nowMs, replicas) : (o.memoryBytes ?? 64 * 1024 * 1024);
    return usageFor(pod, o.container, share, memory);
  };
}

function usageFor(pod: Pod, container: string | undefined, cpuMilli: number, memoryBytes: number): PodUsage {
  const names = (pod.spec.containers ?? []).map((c) => c.name);
  const loaded = container ?? names[0];
  return { containers: names.map((name) => (name === loaded ? { name, cpuMilli, memoryBytes } : { name, cpuMilli: 0, memoryBytes: 0 })) };
}

/** A piecewise-constant demand: `steps` sorted by `fromMs`; before the first step, 0. */
export function steps(...s: Array<{ fromMs: number; cpuMilli: number }>): (tMs: number) => number {
  const sorted = [...s].sort((a, b) => a.fromMs - b.fromMs);
  return (tMs) => {
    let v = 0;
    for (const x of sorted) if (x.fromMs <= tMs) v = x.cpuMilli;
    return v;
  };
}

/** A fixed usage per container, whatever the time (pods outside a profile, simple tests). */
export function constantUsage(cpuMilli: number, memoryBytes = 64 * 1024 * 1024): MetricsSource {
  return (pod) => ({ containers: (pod.spec.containers ?? []).map((c) => ({ name: c.name, cpuMilli, memoryBytes })) });
}
