import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { BackoffStore, getFinishedTime, getRemainingTimeForFailuresCount } from './backoff_utils';
import { calculateSucceededIndexes, firstPendingIndexes, formatIndexes, getCompletionIndex, parseIndexes, podGenerateNameWithIndex } from './indexed_job_utils';
import { activePodsForRemoval, cleanUncountedPodsWithoutFinalizers, ensureJobConditionStatus, isPodFailed, pastBackoffLimitOnFailure } from './job_controller';
import type { Job } from './types';

const T0 = Date.UTC(2026, 0, 1); // allow-nondeterminism: a fixed date
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z'); // allow-nondeterminism: formats a fixed date
const finished = (name: string, phase: 'Succeeded' | 'Failed', atMs: number): Pod => ({
  metadata: { name, uid: name },
  spec: { containers: [] },
  status: { phase, containerStatuses: [{ name: 'c', state: { terminated: { finishedAt: iso(atMs) } } }] },
});

// Upstream: backoff_utils_test.go (TestGetRemainingBackoffTime): [failures, ms since the last failure, default, max] -> ms left
const remaining: Array<[string, number, number, number, number, number]> = [
  ['no failures', 0, 0, 5000, 700_000, 0],
  ['one failure, now is the failure time', 1, 0, 5000, 700_000, 5000],
  ['one failure, 1 s later', 1, 1000, 5000, 700_000, 4000],
  ['one failure, exactly the backoff later', 1, 5000, 5000, 700_000, 0],
  ['one failure, past the backoff', 1, 6000, 5000, 700_000, 0],
  ['three failures, 1 s later: 5 s x 2 x 2 - 1 s', 3, 1000, 5000, 700_000, 19_000],
  ['three failures, capped by max 15 s', 3, 1000, 5000, 15_000, 14_000],
  ['the Job defaults: 10 s, 20 s, 40 s, ... 6 min', 7, 0, 10_000, 360_000, 360_000],
];

describe('backoff_utils (pkg/controller/job/backoff_utils_test.go)', () => {
  it.each(remaining)('TestGetRemainingBackoffTime: %s', (_n, failures, sinceMs, defaultMs, maxMs, want) => {
    expect(getRemainingTimeForFailuresCount(T0 + sinceMs, defaultMs, maxMs, failures, failures ? T0 : undefined)).toBe(want);
  });

  it('getRemainingTimeForFailuresCount agrees with the closed form min(10 s x 2^(n-1), 6 min) - elapsed (oracle)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 800_000 }), (n, elapsed) => {
        const oracle = Math.max(0, Math.min(10_000 * 2 ** (n - 1), 360_000) - elapsed);
        expect(getRemainingTimeForFailuresCount(T0 + elapsed, 10_000, 360_000, n, T0)).toBe(oracle);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('TestNewBackoffRecord: failures add up; a success resets and only later failures count', () => {
    const s = new BackoffStore();
    let r = s.newBackoffRecord('ns/job', [], [finished('a', 'Failed', T0), finished('b', 'Failed', T0 + 2000)]);
    expect(r).toEqual({ key: 'ns/job', failuresAfterLastSuccess: 2, lastFailureTimeMs: T0 + 2000 });
    s.updateBackoffRecord(r);
    r = s.newBackoffRecord('ns/job', [], [finished('c', 'Failed', T0 + 5000)]);
    expect(r.failuresAfterLastSuccess).toBe(3);
    s.updateBackoffRecord(r);
    r = s.newBackoffRecord('ns/job', [finished('d', 'Succeeded', T0 + 6000)], [finished('e', 'Failed', T0 + 5500), finished('f', 'Failed', T0 + 7000), finished('g', 'Failed', T0 + 8000)]);
    expect(r).toEqual({ key: 'ns/job', failuresAfterLastSuccess: 2, lastFailureTimeMs: T0 + 8000 });
    expect(s.newBackoffRecord('ns/job', [finished('h', 'Succeeded', T0)], [])).toEqual({ key: 'ns/job', failuresAfterLastSuccess: 0, lastFailureTimeMs: undefined });
  });

  it('TestGetFinishedTime: container finishedAt, else Ready=False, else deletion, else creation', () => {
    expect(getFinishedTime(finished('a', 'Failed', T0 + 3000))).toBe(T0 + 3000);
    expect(getFinishedTime({ metadata: { creationTimestamp: iso(T0) }, spec: { containers: [] }, status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: iso(T0 + 9000) }] } })).toBe(T0 + 9000);
    expect(getFinishedTime({ metadata: { creationTimestamp: iso(T0), deletionTimestamp: iso(T0 + 4000) }, spec: { containers: [] } })).toBe(T0 + 4000);
    expect(getFinishedTime({ metadata: { creationTimestamp: iso(T0) }, spec: { containers: [] } })).toBe(T0);
  });
});

const job = (spec: Partial<Job['spec']> = {}, status: Job['status'] = {}): Job => ({ metadata: { name: 'j', namespace: 'ns' }, spec: { template: { spec: { containers: [], restartPolicy: 'Never' } }, ...spec }, status });
const indexed = (ix: number | string, phase?: string, extra: Partial<Pod['metadata']> = {}): Pod =>
  ({ metadata: { name: `p${ix}-${phase ?? 'a'}`, annotations: { 'batch.kubernetes.io/job-completion-index': String(ix) }, ...extra }, spec: { containers: [] }, status: phase ? { phase } : {} }) as Pod;

describe('indexed_job_utils (pkg/controller/job/indexed_job_utils_test.go)', () => {
  it('TestCalculateSucceededIndexes: previous intervals plus succeeded pods in range', () => {
    const j = job({ completionMode: 'Indexed', completions: 6 }, { completedIndexes: '0,2-3' });
    const { prev, now } = calculateSucceededIndexes(j, [indexed(1, 'Succeeded'), indexed(4, 'Failed'), indexed(9, 'Succeeded'), indexed(5, 'Succeeded')]);
    expect(formatIndexes(prev)).toBe('0,2-3');
    expect(formatIndexes(now)).toBe('0-3,5');
  });

  it('TestFirstPendingIndexes: lowest indexes neither succeeded nor active', () => {
    expect(firstPendingIndexes([indexed(0, 'Running'), indexed(3, 'Running')], new Set([1]), 3, 6)).toEqual([2, 4, 5]);
    expect(firstPendingIndexes([], new Set([0, 1, 2]), 2, 3)).toEqual([]);
  });

  it('getCompletionIndex, parseIndexes, podGenerateNameWithIndex', () => {
    expect(getCompletionIndex({ 'batch.kubernetes.io/job-completion-index': '7' })).toBe(7);
    expect(getCompletionIndex({ 'batch.kubernetes.io/job-completion-index': '-1' })).toBe(-1);
    expect(getCompletionIndex(undefined)).toBe(-1);
    expect([...parseIndexes('1-3,7,bad,9-12', 11)]).toEqual([1, 2, 3, 7, 9, 10]);
    expect(podGenerateNameWithIndex('pi', 4)).toBe('pi-4-');
    expect(podGenerateNameWithIndex('x'.repeat(60), 12)).toBe(`${'x'.repeat(54)}-12-`);
  });
});

describe('job_controller helpers (job_controller_test.go)', () => {
  it('TestIsPodFailed-style: deleted pods count as failed unless podReplacementPolicy is Failed', () => {
    const deleted: Pod = { metadata: { deletionTimestamp: iso(T0) }, spec: { containers: [] }, status: { phase: 'Running' } };
    expect(isPodFailed(deleted, job())).toBe(true);
    expect(isPodFailed(deleted, job({ podReplacementPolicy: 'Failed' }))).toBe(false);
    expect(isPodFailed({ ...deleted, status: { phase: 'Succeeded' } }, job())).toBe(false);
  });

  it('TestPastBackoffLimitOnFailure: restarts of running pods against backoffLimit (OnFailure only)', () => {
    const withRestarts = (n: number): Pod => ({ metadata: {}, spec: { containers: [] }, status: { phase: 'Running', containerStatuses: [{ restartCount: n }] } });
    const onFailure = (limit: number) => job({ backoffLimit: limit, template: { spec: { containers: [], restartPolicy: 'OnFailure' } } });
    expect(pastBackoffLimitOnFailure(onFailure(2), [withRestarts(1), withRestarts(1)])).toBe(true);
    expect(pastBackoffLimitOnFailure(onFailure(3), [withRestarts(1), withRestarts(1)])).toBe(false);
    expect(pastBackoffLimitOnFailure(onFailure(0), [withRestarts(1)])).toBe(true);
    expect(pastBackoffLimitOnFailure(job({ backoffLimit: 0 }), [withRestarts(5)])).toBe(false);
  });

  it('TestCleanUncountedPodsWithoutFinalizers-style: uids whose finalizer is gone move into the counters', () => {
    const status: Job['status'] = { succeeded: 1, failed: 0, uncountedTerminatedPods: { succeeded: ['a', 'b'], failed: ['c'] } };
    expect(cleanUncountedPodsWithoutFinalizers(status, new Set(['b']))).toBe(true);
    expect(status).toEqual({ succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: ['b'], failed: [] } });
    expect(cleanUncountedPodsWithoutFinalizers(status, new Set(['b']))).toBe(false);
  });

  it('TestEnsureJobConditionStatus-style: adds True, leaves a missing False alone, stamps only a real change', () => {
    let r = ensureJobConditionStatus([], 'Suspended', 'False', 'JobResumed', 'Job resumed', T0);
    expect(r).toEqual({ list: [], updated: false });
    r = ensureJobConditionStatus([], 'Suspended', 'True', 'JobSuspended', 'Job suspended', T0);
    expect(r.list).toEqual([{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', lastProbeTime: iso(T0), lastTransitionTime: iso(T0) }]);
    expect(ensureJobConditionStatus(r.list, 'Suspended', 'True', 'JobSuspended', 'Job suspended', T0 + 5000).updated).toBe(false);
  });

  it('TestActivePodsForRemoval (Indexed): duplicates and out-of-range indexes go first', () => {
    const j = job({ completionMode: 'Indexed', completions: 3 });
    const pods = [indexed(0, 'Running'), indexed(1, 'Running'), indexed(1, 'Pending'), indexed(5, 'Running')];
    expect(activePodsForRemoval(j, pods, 0).map((p) => p.metadata.name)).toEqual(['p1-Pending', 'p5-Running']);
  });
});
