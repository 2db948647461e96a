/**
 * Checks of the hpa-calculator lab. Every case is judged by the model's replica calculator
 * (hpa-model.ts: newReplicaCalculator, GetResourceReplicas of replica_calculator.go at v1.34.0) on
 * the same pods; the named cases follow upstream's replica_calculator_test.go (pods of 1 CPU
 * instead of two containers of 1 CPU each: the same ratios), the others say they are ours.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import { rngFromSeed, type Rng } from '../../src/sim/index';
import { modelReplicas, type PodSample, type Result } from './hpa-model';

type ReplicaCount = (currentReplicas: number, targetUtilization: number, pods: PodSample[], tolerance?: number) => Result;

interface Case {
  name: string;
  current: number;
  target: number;
  pods: PodSample[];
}

const cpu = (usage: number[], extra: Partial<PodSample>[] = [], request = 1000): PodSample[] =>
  usage.map((u, i) => ({ name: `test-pod-${i}`, requestMilli: request, ...(u >= 0 ? { usageMilli: u } : {}), ...(extra[i] ?? {}) }));
const notReady: Partial<PodSample> = { ready: false };
const failed: Partial<PodSample> = { phase: 'Failed', ready: false };
const deleting: Partial<PodSample> = { deleting: true, ready: false };
const pending: Partial<PodSample> = { phase: 'Pending', ready: false };
const NONE = -1; // no sample

export const READY_CASES: Case[] = [
  { name: 'TestReplicaCalcScaleUp', current: 3, target: 30, pods: cpu([300, 500, 700]) },
  { name: 'TestReplicaCalcScaleDown', current: 5, target: 50, pods: cpu([100, 300, 500, 250, 250]) },
  { name: 'TestReplicaCalcTolerance', current: 3, target: 100, pods: [{ name: 'test-pod-0', requestMilli: 900, usageMilli: 1010 }, { name: 'test-pod-1', requestMilli: 1000, usageMilli: 1030 }, { name: 'test-pod-2', requestMilli: 1100, usageMilli: 1020 }] },
  { name: 'TestReplicaCalcScaleUpIgnoresFailedPods', current: 2, target: 30, pods: cpu([500, 700, NONE, NONE], [{}, {}, failed, failed]) },
  { name: 'TestReplicaCalcScaleDownIgnoresDeletionPods', current: 5, target: 50, pods: cpu([100, 300, 500, 250, 250, NONE, NONE], [{}, {}, {}, {}, {}, deleting, deleting]) },
  { name: 'ours: 91 % of the target, inside the tolerance', current: 4, target: 50, pods: cpu([455, 455, 455, 455]) },
  { name: 'ours: the utilization is truncated to whole percent before the ratio (3 x 333m of 1000m = 33 %, target 30)', current: 3, target: 30, pods: cpu([333, 333, 334]) },
  { name: 'ours: uneven requests weigh by request, not per pod', current: 2, target: 50, pods: [{ name: 'big', requestMilli: 2000, usageMilli: 1800 }, { name: 'small', requestMilli: 250, usageMilli: 25 }] },
];

export const PARTIAL_CASES: Case[] = [
  { name: 'TestReplicaCalcMissingMetrics', current: 4, target: 100, pods: cpu([400, 95, NONE, NONE]) },
  { name: 'ours, after TestReplicaCalcMissingMetricsNoChangeEq: a missing pod at 100 % of a 100 % target', current: 2, target: 100, pods: cpu([1000, NONE]) },
  { name: 'ours, after TestReplicaCalcMissingMetricsScaleUp: a missing pod counts 0 % on a scale-up', current: 2, target: 50, pods: cpu([2000, NONE]) },
  { name: 'ours: a missing pod counts as the target (300 %) on a scale-down above 100 %', current: 3, target: 300, pods: cpu([4000, 1000, NONE]) },
  { name: 'TestReplicaCalcScaleUpUnreadyLessScale', current: 3, target: 30, pods: cpu([300, 500, 700], [notReady]) },
  { name: 'TestReplicaCalcScaleUpUnreadyNoScale', current: 3, target: 30, pods: cpu([400, 500, 700], [{}, notReady, notReady]) },
  { name: 'ours, after TestReplicaCalcScaleUpPendingLessScale: a Pending pod counts 0 % on a scale-up', current: 4, target: 30, pods: cpu([300, 500, 700, NONE], [{}, {}, {}, pending]) },
  { name: 'ours: an unready pod does not matter unless scaling up (90 % of the target: no change)', current: 3, target: 50, pods: cpu([450, 450, 900], [{}, {}, notReady]) },
  { name: 'ours: missing pods at 0 % turn a scale-up into a scale-down: no change', current: 4, target: 100, pods: cpu([1200, 1200, NONE, NONE]) },
  { name: 'ours: a missing pod at 100 % turns a scale-down into a scale-up: no change', current: 2, target: 50, pods: cpu([400, NONE]) },
];

const label = (c: Case) => `${c.name} (current ${c.current}, target ${c.target} %, pods ${JSON.stringify(c.pods.map(({ name, ...rest }) => ({ name, ...rest })))})`;

/** Compares the learner's answer for `c` with the model's (or its error). */
async function expectSame(expect: Expect, count: ReplicaCount, c: Case): Promise<void> {
  const want = await modelReplicas(c.current, c.target, c.pods).then((r) => r, (err: Error) => err);
  let got: Result | Error;
  try {
    got = count(c.current, c.target, c.pods.map((p) => ({ ...p })));
  } catch (err) {
    got = err instanceof Error ? err : new Error(String(err));
  }
  if (want instanceof Error) {
    if (!(got instanceof Error)) throw new AssertionError(`${label(c)}: the HPA cannot compute anything here ("${want.message}"), but replicaCount returned ${JSON.stringify(got)}: throw instead`);
    return;
  }
  if (got instanceof Error) throw new AssertionError(`${label(c)}: replicaCount threw "${got.message}"; the HPA computes ${JSON.stringify(want)}`);
  expect(got, `${label(c)}: replicaCount must return { replicas, utilization }`).to.be.an('object');
  if (got.replicas !== want.replicas || got.utilization !== want.utilization) {
    throw new AssertionError(`${label(c)}: you computed ${JSON.stringify({ replicas: got.replicas, utilization: got.utilization })}, the HPA's replica calculator ${JSON.stringify(want)}`);
  }
}

export const countsReadyPods = check(
  'replicaCount() matches the HPA for pods that are all Ready with a sample (tolerance, truncation, ignored pods)',
  async ({ learner, expect }) => {
    const count = exportedFunction<ReplicaCount>(learner, 'replicaCount');
    for (const c of READY_CASES) await expectSame(expect, count, c);
  },
  { hint: 'desired = ceil(current utilization / target x the pods counted), unless the ratio is within 10 % of 1. Utilization is total usage over total requests, in whole percent. Deleted and Failed pods do not count.' },
);

export const fillsInMissingAndUnready = check(
  'replicaCount() fills in missing and unready pods pessimistically, and holds when that flips the direction',
  async ({ learner, expect }) => {
    const count = exportedFunction<ReplicaCount>(learner, 'replicaCount');
    for (const c of PARTIAL_CASES) await expectSame(expect, count, c);
    // No pod with a sample that counts: the HPA gives up (FailedGetResourceMetric).
    await expectSame(expect, count, { name: 'ours: every pod unready or without a sample', current: 2, target: 50, pods: cpu([500, NONE], [notReady]) });
  },
  { hint: 'First compute the ratio from ready pods with a sample only. Then, only if something is missing (or unready on a scale-up), assume the worst for the direction you are going, recompute, and give up the change if the direction flips or it lands inside the tolerance.' },
);

/** A seeded random pod set: every kind of pod the calculator tells apart. */
function randomCase(rng: Rng, i: number): Case {
  const n = 1 + rng.int(6);
  const target = [20, 50, 60, 80, 100, 150, 300][rng.int(7)];
  const pods: PodSample[] = Array.from({ length: n }, (_, k) => {
    const requestMilli = [100, 250, 500, 1000][rng.int(4)];
    const kind = rng.int(10);
    const usageMilli = Math.trunc((requestMilli * target * (20 + rng.int(200))) / 10_000);
    const p: PodSample = { name: `pod-${k}`, requestMilli, usageMilli };
    if (kind === 0) delete p.usageMilli;
    if (kind === 1) p.ready = false;
    if (kind === 2) Object.assign(p, { phase: 'Pending', ready: false });
    if (kind === 3 && rng.int(2) === 0) Object.assign(p, rng.int(2) === 0 ? failed : deleting);
    return p;
  });
  return { name: `random case ${i}`, current: Math.max(1, n - rng.int(2)), target, pods };
}

export const matchesOnRandomPods = check(
  'replicaCount() agrees with the HPA\'s replica calculator on 200 random pod sets',
  async ({ learner, seed, expect }) => {
    const count = exportedFunction<ReplicaCount>(learner, 'replicaCount');
    const rng = rngFromSeed(`${seed}/hpa-calculator`);
    for (let i = 0; i < 200; i++) await expectSame(expect, count, randomCase(rng, i));
  },
  { hint: 'The message shows the pods of the first case that differs: replay it in main.ts and follow the two passes by hand.' },
);
