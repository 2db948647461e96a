import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { rfc3339 } from '../../apiserver/registry/strategy';
import {
  activePodsWithRanksLess,
  defaultPodOrderingGates,
  filterActivePods,
  getDeletionCostFromPodAnnotations,
  getPodsRankedByRelatedPodsOnSameNode,
  getPodsToDelete,
  isPodActive,
  PodDeletionCost,
  sortActivePods,
  sortActivePodsWithRanks,
  type RankedPod,
} from './active_pods';

const hourMs = 3_600_000;
const nowMs = Date.UTC(2025, 5, 1); // allow-nondeterminism: a fixed date, no clock read
const then1MonthMs = Date.UTC(2025, 4, 1); // allow-nondeterminism: a fixed date (Go: now.AddDate(0, -1, 0))
type Phase = NonNullable<Pod['status']>['phase'];

/** Upstream's test builder: name, node, phase, ready, restarts, ready since, created, annotations. */
function pod(name: string, nodeName: string, phase: Phase, ready: boolean, restarts: number, readySinceMs?: number, createdMs?: number, annotations?: Record<string, string>): Pod {
  return {
    metadata: { name, namespace: 'default', ...(createdMs !== undefined && { creationTimestamp: rfc3339(createdMs) }), ...(annotations && { annotations }) },
    spec: { containers: [], nodeName },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', ...(readySinceMs !== undefined && { lastTransitionTime: rfc3339(readySinceMs) }) }],
      containerStatuses: [{ restartCount: restarts }],
    },
  };
}
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe('ActivePods order (ref: TestSortingActivePods)', () => {
  const now = nowMs;
  const then = then1MonthMs;
  const withRestarts = (p: Pod, ...counts: number[]): Pod => ({ ...p, status: { ...p.status, containerStatuses: counts.map((restartCount) => ({ restartCount })) } });
  const ordered = [
    pod('unscheduled', '', 'Pending', false, 0),
    pod('scheduledButPending', 'bar', 'Pending', false, 0),
    pod('unknownPhase', 'foo', 'Unknown', false, 0),
    pod('runningButNotReady', 'foo', 'Running', false, 0),
    withRestarts(pod('runningNoLastTransitionTime', 'foo', 'Running', true, 0), 3, 0),
    withRestarts(pod('runningWithLastTransitionTime', 'foo', 'Running', true, 0, now), 3, 0),
    withRestarts(pod('runningLongerTime', 'foo', 'Running', true, 0, then), 3, 0),
    withRestarts(pod('lowerContainerRestartCount', 'foo', 'Running', true, 0, then, now), 2, 1),
    withRestarts(pod('oldest', 'foo', 'Running', true, 0, then, then), 2, 1),
  ];

  it('sorts by active pod, from every permutation start', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(ordered, { minLength: ordered.length }), (shuffled) => {
        expect(names(sortActivePods(shuffled))).toEqual(names(ordered));
      }),
    );
  });
});

describe('ActivePodsWithRanks order (ref: TestSortingActivePodsWithRanks)', () => {
  const now = nowMs;
  const then1Month = then1MonthMs;
  const then2Hours = now - 2 * hourMs;
  const then5Hours = now - 5 * hourMs;
  const then8Hours = now - 8 * hourMs;
  const unscheduledPod = pod('unscheduled', '', 'Pending', false, 0);
  const scheduledPendingPod = pod('pending', 'node', 'Pending', false, 0);
  const unknownPhasePod = pod('unknown-phase', 'node', 'Unknown', false, 0);
  const runningNotReadyPod = pod('not-ready', 'node', 'Running', false, 0);
  const runningReadyNoLastTransitionTimePod = pod('ready-no-last-transition-time', 'node', 'Running', true, 0);
  const runningReadyNow = pod('ready-now', 'node', 'Running', true, 0, now, now);
  const runningReadyThen = pod('ready-then', 'node', 'Running', true, 0, then1Month, then1Month);
  const runningReadyNowHighRestarts = pod('ready-high-restarts', 'node', 'Running', true, 9001, now, now);
  const runningReadyNowCreatedThen = pod('ready-now-created-then', 'node', 'Running', true, 0, now, then1Month);
  const lowPodDeletionCost = pod('low-deletion-cost', 'node', 'Running', true, 0, now, then1Month, { [PodDeletionCost]: '10' });
  const highPodDeletionCost = pod('high-deletion-cost', 'node', 'Running', true, 0, now, then1Month, { [PodDeletionCost]: '100' });
  const unscheduled5Hours = pod('unscheduled-5-hours', '', 'Pending', false, 0, then5Hours, then5Hours);
  const unscheduled8Hours = pod('unscheduled-10-hours', '', 'Pending', false, 0, then8Hours, then8Hours);
  const ready2Hours = pod('ready-2-hours', '', 'Running', true, 0, then2Hours, then1Month);
  const ready5Hours = pod('ready-5-hours', '', 'Running', true, 0, then5Hours, then1Month);
  const ready10Hours = pod('ready-10-hours', '', 'Running', true, 0, then8Hours, then1Month);

  const r = (p: Pod, rank: number): RankedPod => ({ pod: p, rank });
  const equality: Array<{ p1: Pod; p2?: Pod }> = [
    { p1: unscheduledPod },
    { p1: scheduledPendingPod },
    { p1: unknownPhasePod },
    { p1: runningNotReadyPod },
    { p1: runningReadyNowCreatedThen },
    { p1: runningReadyNow },
    { p1: runningReadyThen },
    { p1: runningReadyNowHighRestarts },
    { p1: unscheduled5Hours, p2: unscheduled8Hours }, // same log2 bucket of age, no UIDs
    { p1: ready5Hours, p2: ready10Hours },
  ];
  for (const t of equality) {
    it(`equality: ${t.p1.metadata.name} ~ ${(t.p2 ?? t.p1).metadata.name}`, () => {
      const [a, b] = [r(t.p1, 1), r(t.p2 ?? t.p1, 1)];
      expect(activePodsWithRanksLess(a, b, now)).toBe(false);
      expect(activePodsWithRanksLess(b, a, now)).toBe(false);
    });
  }

  const inequality: Array<{ lesser: RankedPod; greater: RankedPod; disablePodDeletionCost?: boolean; disableLogarithmicScaleDown?: boolean }> = [
    { lesser: r(unscheduledPod, 1), greater: r(scheduledPendingPod, 2) },
    { lesser: r(unscheduledPod, 2), greater: r(scheduledPendingPod, 1) },
    { lesser: r(scheduledPendingPod, 1), greater: r(unknownPhasePod, 2) },
    { lesser: r(unknownPhasePod, 1), greater: r(runningNotReadyPod, 2) },
    { lesser: r(runningNotReadyPod, 1), greater: r(runningReadyNoLastTransitionTimePod, 1) },
    { lesser: r(runningReadyNoLastTransitionTimePod, 1), greater: r(runningReadyNow, 1) },
    { lesser: r(runningReadyNow, 2), greater: r(runningReadyNoLastTransitionTimePod, 1) },
    { lesser: r(runningReadyNow, 1), greater: r(runningReadyThen, 1) },
    { lesser: r(runningReadyNow, 2), greater: r(runningReadyThen, 1) },
    { lesser: r(runningReadyNowHighRestarts, 1), greater: r(runningReadyNow, 1) },
    { lesser: r(runningReadyNow, 2), greater: r(runningReadyNowHighRestarts, 1) },
    { lesser: r(runningReadyNow, 1), greater: r(runningReadyNowCreatedThen, 1) },
    { lesser: r(runningReadyNowCreatedThen, 2), greater: r(runningReadyNow, 1) },
    { lesser: r(lowPodDeletionCost, 2), greater: r(highPodDeletionCost, 1) },
    { lesser: r(highPodDeletionCost, 2), greater: r(lowPodDeletionCost, 1), disablePodDeletionCost: true },
    { lesser: r(ready2Hours, 1), greater: r(ready5Hours, 1) },
    { lesser: r(unscheduled5Hours, 1), greater: r(unscheduled8Hours, 1), disableLogarithmicScaleDown: true },
    { lesser: r(ready5Hours, 1), greater: r(ready10Hours, 1), disableLogarithmicScaleDown: true },
  ];
  for (const t of inequality) {
    it(`inequality: ${t.lesser.pod.metadata.name}(${t.lesser.rank}) < ${t.greater.pod.metadata.name}(${t.greater.rank})`, () => {
      const gates = { podDeletionCost: !t.disablePodDeletionCost, logarithmicScaleDown: !t.disableLogarithmicScaleDown };
      expect(activePodsWithRanksLess(t.lesser, t.greater, now, gates)).toBe(true);
      expect(activePodsWithRanksLess(t.greater, t.lesser, now, gates)).toBe(false);
    });
  }

  it('breaks a tie within one age bucket by UID', () => {
    const a = r({ ...ready5Hours, metadata: { ...ready5Hours.metadata, uid: 'aaa' } }, 1);
    const b = r({ ...ready10Hours, metadata: { ...ready10Hours.metadata, uid: 'bbb' } }, 1);
    expect(activePodsWithRanksLess(a, b, now)).toBe(true);
    expect(activePodsWithRanksLess(b, a, now)).toBe(false);
    // without a reference time, plain newest-first again
    expect(activePodsWithRanksLess(b, a, undefined)).toBe(false);
    expect(activePodsWithRanksLess(a, b, undefined)).toBe(true);
  });

  it('property: the order is a strict weak order (irreflexive, asymmetric, transitive)', () => {
    const pool = [unscheduledPod, scheduledPendingPod, unknownPhasePod, runningNotReadyPod, runningReadyNoLastTransitionTimePod, runningReadyNow, runningReadyThen, runningReadyNowHighRestarts, runningReadyNowCreatedThen, lowPodDeletionCost, highPodDeletionCost, unscheduled5Hours, unscheduled8Hours, ready2Hours, ready5Hours, ready10Hours];
    const arb = fc.record({ pod: fc.constantFrom(...pool), rank: fc.nat(3) });
    fc.assert(
      fc.property(arb, arb, arb, fc.boolean(), (a, b, c, log) => {
        const gates = { ...defaultPodOrderingGates, logarithmicScaleDown: log };
        const lt = (x: RankedPod, y: RankedPod) => activePodsWithRanksLess(x, y, now, gates);
        expect(lt(a, a)).toBe(false);
        if (lt(a, b)) expect(lt(b, a)).toBe(false);
        if (lt(a, b) && lt(b, c)) expect(lt(a, c)).toBe(true);
      }),
    );
    // and a sort of any permutation leaves no pod after one that is less than it
    const ranked = pool.map((p, i) => r(p, i % 3));
    fc.assert(
      fc.property(fc.shuffledSubarray(ranked, { minLength: ranked.length }), (shuffled) => {
        const sorted = sortActivePodsWithRanks(shuffled, now);
        sorted.forEach((x, i) => sorted.slice(i + 1).forEach((y) => expect(activePodsWithRanksLess(y, x, now)).toBe(false)));
      }),
    );
  });
});

describe('IsPodActive, FilterActivePods, pod-deletion-cost', () => {
  it('drops Succeeded, Failed and terminating pods', () => {
    const pods = [pod('run', 'n', 'Running', true, 0), pod('ok', 'n', 'Succeeded', false, 0), pod('bad', 'n', 'Failed', false, 0), { ...pod('bye', 'n', 'Running', true, 0), metadata: { name: 'bye', deletionTimestamp: rfc3339(nowMs) } }, pod('pend', '', 'Pending', false, 0)];
    expect(names(filterActivePods(pods))).toEqual(['run', 'pend']);
    expect(isPodActive(pods[0]!)).toBe(true);
  });

  it('parses the annotation as upstream GetDeletionCostFromPodAnnotations (our cases)', () => {
    const cost = (v?: string) => getDeletionCostFromPodAnnotations(v === undefined ? {} : { [PodDeletionCost]: v });
    expect(cost()).toEqual({ cost: 0 });
    expect(cost('100')).toEqual({ cost: 100 });
    expect(cost('-100')).toEqual({ cost: -100 });
    expect(cost('0')).toEqual({ cost: 0 });
    expect(cost('-05')).toEqual({ cost: -5 });
    expect(cost('2147483647')).toEqual({ cost: 2147483647 });
    for (const bad of ['+10', '010', '', 'abc', '1.5', '-', '2147483648']) expect(cost(bad).cost === 0 && cost(bad).error !== undefined).toBe(true);
    expect(cost('+10').error).toBe('invalid value "+10"');
  });
});

describe('getPodsToDelete (our cases; upstream: replica_set_test.go TestGetPodsToDelete tests the same function)', () => {
  const rs = (name: string, node: string, extra: Partial<Pod['metadata']> = {}) => ({ ...pod(name, node, 'Running', true, 0, nowMs - hourMs, nowMs - hourMs), metadata: { name, namespace: 'default', creationTimestamp: rfc3339(nowMs - hourMs), ...extra } });

  it('ranks by active related pods on the same node (unassigned share the node "")', () => {
    const related = [rs('a', 'n1'), rs('b', 'n1'), rs('c', 'n2'), rs('x', 'n2', { deletionTimestamp: rfc3339(nowMs) }), rs('u', '')];
    expect(getPodsRankedByRelatedPodsOnSameNode(related.slice(0, 3), related).map((p) => p.rank)).toEqual([2, 2, 1]);
  });

  it('deletes from the node with most doubled-up pods first; no sort when all go', () => {
    const p = [rs('solo', 'n2'), rs('dup1', 'n1'), rs('dup2', 'n1')];
    expect(names(getPodsToDelete(p, p, 1, nowMs))).toEqual(['dup1']);
    expect(names(getPodsToDelete(p, p, 3, nowMs))).toEqual(['solo', 'dup1', 'dup2']);
  });

  it('with many ready pods of similar age, the UID decides, not the very newest', () => {
    const older = rs('older', 'n1', { uid: 'a' });
    const newer = { ...rs('newer', 'n2', { uid: 'z' }) };
    newer.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(nowMs - hourMs + 60_000) }];
    const both = [newer, older];
    expect(names(getPodsToDelete(both, both, 1, nowMs))).toEqual(['older']);
    expect(names(getPodsToDelete(both, both, 1, nowMs, { podDeletionCost: true, logarithmicScaleDown: false }))).toEqual(['newer']);
  });
});
