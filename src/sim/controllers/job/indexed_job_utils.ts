/**
 * Indexed Jobs: each pod carries a completion index (annotation and label, hostname
 * `<job>-<index>`, env JOB_COMPLETION_INDEX); the Job counts succeeded indexes as intervals
 * (`status.completedIndexes`, e.g. `1,3-5`) and creates pods for the lowest pending indexes.
 * Upstream: pkg/controller/job/indexed_job_utils.go (getCompletionIndex, calculateSucceededIndexes,
 * orderedIntervals.String, firstPendingIndexes, addCompletionIndexEnvVariables,
 * addCompletionIndexAnnotation, addCompletionIndexLabel, podGenerateNameWithIndex)
 */
import type { Pod, PodSpec } from '../../api/core/v1';
import type { ObjectMeta } from '../../core/object';
import { JobCompletionIndexAnnotation, JobCompletionIndexEnvName, type Job } from './types';

export const unknownCompletionIndex = -1;
/** Go: `names.MaxGeneratedNameLength` (63 - 5 random characters). */
const MaxGeneratedNameLength = 58;

/** The pod's index from its annotation (-1 when absent or not a non-negative integer). */
// Upstream: indexed_job_utils.go (getCompletionIndex)
export function getCompletionIndex(annotations: Record<string, string> | undefined): number {
  const v = annotations?.[JobCompletionIndexAnnotation];
  if (v === undefined || !/^[0-9]+$/.test(v)) return unknownCompletionIndex;
  const n = Number(v);
  return n > 2147483647 ? unknownCompletionIndex : n;
}

/** Sorted indexes as Go's orderedIntervals print them: `0-2,4,7-8`. */
// Upstream: indexed_job_utils.go (orderedIntervals.String)
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Parses `status.completedIndexes` (entries out of range or malformed are dropped). */
// Upstream: indexed_job_utils.go (parseIndexesFromString)
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = Math.min(Number(m[2] ?? m[1]), completions - 1);
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return out;
}

/** The indexes counted before this sync, and those plus the succeeded pods' (still holding the finalizer) now. */
// Upstream: indexed_job_utils.go (calculateSucceededIndexes)
export function calculateSucceededIndexes(job: Job, pods: readonly Pod[]): { prev: Set<number>; now: Set<number> } {
  const completions = job.spec.completions ?? 0;
  const prev = parseIndexes(job.status?.completedIndexes, completions);
  const now = new Set(prev);
  for (const p of pods) {
    const ix = getCompletionIndex(p.metadata.annotations);
    if (p.status?.phase === 'Succeeded' && ix !== unknownCompletionIndex && ix < completions) now.add(ix);
  }
  return { prev, now };
}

/** The `count` lowest indexes neither succeeded nor held by an active pod. */
// Upstream: indexed_job_utils.go (firstPendingIndexes)
export function firstPendingIndexes(activePods: readonly Pod[], succeeded: ReadonlySet<number>, count: number, completions: number): number[] {
  const taken = new Set(succeeded);
  for (const p of activePods) {
    const ix = getCompletionIndex(p.metadata.annotations);
    if (ix !== unknownCompletionIndex) taken.add(ix);
  }
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i)) out.push(i);
  return out;
}

/** `JOB_COMPLETION_INDEX` from the annotation, in every container (Go: addCompletionIndexEnvVariables). */
export function addCompletionIndexEnvVariables(spec: PodSpec): void {
  for (const list of [spec.initContainers ?? [], spec.containers]) {
    for (const c of list) {
      const env = (c.env as Array<{ name: string }> | undefined) ?? [];
      if (env.some((e) => e.name === JobCompletionIndexEnvName)) continue;
      env.push({ name: JobCompletionIndexEnvName, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JobCompletionIndexAnnotation}']` } } } as never);
      c.env = env as never;
    }
  }
}

/** The index as annotation and label (PodIndexLabel, on by default). */
// Upstream: indexed_job_utils.go (addCompletionIndexAnnotation, addCompletionIndexLabel)
export function addCompletionIndex(meta: ObjectMeta, index: number): void {
  meta.annotations = { ...(meta.annotations ?? {}), [JobCompletionIndexAnnotation]: String(index) };
  meta.labels = { ...(meta.labels ?? {}), [JobCompletionIndexAnnotation]: String(index) };
}

/** `<job>-<index>-`, the job name cut so the generated name stays within 63 characters. */
// Upstream: indexed_job_utils.go (podGenerateNameWithIndex)
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const appendix = `-${index}-`;
  const prefix = jobName + appendix;
  return prefix.length > MaxGeneratedNameLength ? jobName.slice(0, MaxGeneratedNameLength - appendix.length) + appendix : prefix;
}
