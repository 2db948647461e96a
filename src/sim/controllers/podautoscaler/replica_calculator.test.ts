import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from '../../api/core/v1';
import { FakeClock } from '../../core/clock';
import { newReplicaCalculator, type PodMetricsResult } from './replica_calculator';

// Fixtures after upstream's replica_calculator_test.go (calcScenario / buildFakePod): pods "test-pod-N"
// with two containers, each requesting the pod's request; a metric level per container; Ready condition
// without a transition time; start time zero unless hot (now); metric timestamp zero (before any
// Ready transition + 1 min window, so a hot pod's sample never counts).
const NOW = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Scenario {
  currentReplicas: number;
  requests?: string[];
  levels?: number[][];
  podReadiness?: ('True' | 'False')[];
  podPhase?: ('Running' | 'Pending' | 'Failed')[];
  podDeletionTimestamp?: boolean[];
  hot?: boolean[];
  container?: string;
  podNames?: string[];
}

const pl = (...v: number[]) => v.map((x) => [x, x]); // makePodMetricLevels

function buildPods(s: Scenario): Pod[] {
  const count = Math.max(s.currentReplicas, s.podPhase?.length ?? 0);
  return Array.from({ length: count }, (_, i) => {
    const req = s.requests?.[i];
    const resources = req === undefined ? {} : { requests: { cpu: req } };
    return {
      metadata: { name: `test-pod-${i}`, namespace: 'test-namespace', ...(s.podDeletionTimestamp?.[i] ? { deletionTimestamp: iso(NOW) } : {}) },
      spec: { containers: [{ name: 'container1', resources }, { name: 'container2', resources }] },
      status: {
        phase: s.podPhase?.[i] ?? 'Running',
        startTime: iso(s.hot?.[i] ? NOW : 0),
        conditions: [{ type: 'Ready', status: s.podReadiness?.[i] ?? 'True', lastTransitionTime: iso(0) }],
      },
    } as Pod;
  });
}

function setup(s: Scenario, tolerance?: number) {
  const clock = new FakeClock(NOW);
  const metricsClient = {
    getResourceMetric(_r: string, _ns: string, _sel: unknown, container: string): PodMetricsResult {
      const metrics: PodMetricsResult['metrics'] = {};
      (s.levels ?? []).forEach((lv, i) => {
        const pick = container === '' ? lv : lv.filter((_, j) => `container${j + 1}` === container);
        // A pod without the named container has no sample (upstream's client skips it).
        if (container !== '' && pick.length === 0) return;
        metrics[s.podNames?.[i] ?? `test-pod-${i}`] = { value: pick.reduce((a, b) => a + b, 0), timestampMs: 0, windowMs: 60_000 };
      });
      return { metrics, timestampMs: 0 };
    },
  };
  const podLister = { list: () => buildPods(s) };
  return newReplicaCalculator({ metricsClient, podLister, clock, tolerance, cpuInitializationPeriodMs: 120_000, delayOfInitialReadinessStatusMs: 10_000 });
}

const reqs = (n: number, q = '1.0') => Array.from({ length: n }, () => q);

interface Case {
  ref: string;
  s: Scenario;
  target: number;
  replicas: number;
  utilization: number;
  raw: number;
}

const cases: Case[] = [
  { ref: 'TestReplicaCalcScaleUp', s: { currentReplicas: 3, requests: reqs(3), levels: pl(300, 500, 700) }, target: 30, replicas: 5, utilization: 50, raw: 2 * 500 },
  { ref: 'TestReplicaCalcContainerScaleUp', s: { currentReplicas: 3, container: 'container2', requests: reqs(3), levels: [[1000, 300], [1000, 500], [1000, 700]] }, target: 30, replicas: 5, utilization: 50, raw: 500 },
  { ref: 'TestReplicaCalcScaleUpUnreadyLessScale', s: { currentReplicas: 3, podReadiness: ['False', 'True', 'True'], requests: reqs(3), levels: pl(300, 500, 700) }, target: 30, replicas: 4, utilization: 60, raw: 2 * 600 },
  { ref: 'TestReplicaCalcScaleUpContainerHotCpuLessScale', s: { currentReplicas: 3, hot: [true, false, false], container: 'container2', requests: reqs(3), levels: [[0, 300], [0, 500], [0, 700]] }, target: 30, replicas: 4, utilization: 60, raw: 600 },
  { ref: 'TestReplicaCalcScaleUpHotCpuLessScale', s: { currentReplicas: 3, hot: [true, false, false], requests: reqs(3), levels: pl(300, 500, 700) }, target: 30, replicas: 4, utilization: 60, raw: 2 * 600 },
  { ref: 'TestReplicaCalcScaleUpUnreadyNoScale', s: { currentReplicas: 3, podReadiness: ['True', 'False', 'False'], requests: reqs(3), levels: pl(400, 500, 700) }, target: 30, replicas: 3, utilization: 40, raw: 2 * 400 },
  { ref: 'TestReplicaCalcScaleHotCpuNoScale', s: { currentReplicas: 3, podReadiness: ['True', 'False', 'False'], hot: [false, true, true], requests: reqs(3), levels: pl(400, 500, 700) }, target: 30, replicas: 3, utilization: 40, raw: 2 * 400 },
  { ref: 'TestReplicaCalcScaleUpIgnoresFailedPods', s: { currentReplicas: 2, podReadiness: ['True', 'True', 'False', 'False'], podPhase: ['Running', 'Running', 'Failed', 'Failed'], requests: reqs(4), levels: pl(500, 700) }, target: 30, replicas: 4, utilization: 60, raw: 2 * 600 },
  { ref: 'TestReplicaCalcScaleUpContainerIgnoresFailedPods', s: { currentReplicas: 2, podReadiness: ['True', 'True', 'False', 'False'], podPhase: ['Running', 'Running', 'Failed', 'Failed'], container: 'container2', requests: reqs(4), levels: [[1000, 500], [9000, 700], [1000], [9000]] }, target: 30, replicas: 4, utilization: 60, raw: 600 },
  { ref: 'TestReplicaCalcScaleUpIgnoresDeletionPods', s: { currentReplicas: 2, podReadiness: ['True', 'True', 'False', 'False'], podDeletionTimestamp: [false, false, true, true], requests: reqs(4), levels: pl(500, 700) }, target: 30, replicas: 4, utilization: 60, raw: 2 * 600 },
  { ref: 'TestReplicaCalcScaleDown', s: { currentReplicas: 5, requests: reqs(5), levels: pl(100, 300, 500, 250, 250) }, target: 50, replicas: 3, utilization: 28, raw: 2 * 280 },
  { ref: 'TestReplicaCalcScaleDownIgnoresHotCpuPods', s: { currentReplicas: 5, hot: [false, false, false, true, true], requests: reqs(5), levels: pl(100, 300, 500, 250, 250) }, target: 50, replicas: 2, utilization: 30, raw: 2 * 300 },
  { ref: 'TestReplicaCalcScaleDownIgnoresFailedPods', s: { currentReplicas: 5, podReadiness: ['True', 'True', 'True', 'True', 'True', 'False', 'False'], podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'], requests: reqs(7), levels: pl(100, 300, 500, 250, 250) }, target: 50, replicas: 3, utilization: 28, raw: 2 * 280 },
  { ref: 'TestReplicaCalcScaleDownIgnoresDeletionPods', s: { currentReplicas: 5, podReadiness: ['True', 'True', 'True', 'True', 'True', 'False', 'False'], podDeletionTimestamp: [false, false, false, false, false, true, true], requests: reqs(7), levels: pl(100, 300, 500, 250, 250) }, target: 50, replicas: 3, utilization: 28, raw: 2 * 280 },
  { ref: 'TestReplicaCalcTolerance', s: { currentReplicas: 3, requests: ['0.9', '1.0', '1.1'], levels: pl(1010, 1030, 1020) }, target: 100, replicas: 3, utilization: 102, raw: 2 * 1020 },
  { ref: 'TestReplicaCalcSuperfluousMetrics', s: { currentReplicas: 4, requests: reqs(4), levels: pl(4000, 9500, 3000, 7000, 3200, 2000) }, target: 100, replicas: 24, utilization: 587, raw: 2 * 5875 },
  { ref: 'TestReplicaCalcMissingMetrics', s: { currentReplicas: 4, requests: reqs(4), levels: pl(400, 95) }, target: 100, replicas: 3, utilization: 24, raw: 495 },
];

describe('getResourceReplicas (upstream cases)', () => {
  for (const c of cases) {
    it(c.ref, async () => {
      const calc = setup(c.s);
      const r = await calc.getResourceReplicas(c.s.currentReplicas, c.target, 'cpu', 'test-namespace', {}, c.s.container);
      expect({ replicas: r.replicas, utilization: r.utilization, rawUtilization: r.rawUtilization }).toEqual({
        replicas: c.replicas,
        utilization: c.utilization,
        rawUtilization: c.raw,
      });
      expect(r.timestampMs).toBe(0);
    });
  }
});

describe('getResourceReplicas: missing pods and direction', () => {
  it('a missing pod at exactly 100 % keeps the count (shape of TestReplicaCalcMissingMetricsNoChangeEq; values ours)', async () => {
    const calc = setup({ currentReplicas: 2, requests: reqs(2), levels: pl(1000) });
    expect((await calc.getResourceReplicas(2, 100, 'cpu', 'ns', {})).replicas).toBe(2);
  });
  it('missing pods count as 0 % on a scale-up (shape of TestReplicaCalcMissingMetricsScaleUp; values ours)', async () => {
    // 1900 of 1000 requested (190 %) on one pod; with the missing one at 0: 95 %, inside the tolerance.
    const calc = setup({ currentReplicas: 2, requests: reqs(2), levels: pl(1900) });
    expect((await calc.getResourceReplicas(2, 100, 'cpu', 'ns', {})).replicas).toBe(2);
    const calc2 = setup({ currentReplicas: 2, requests: reqs(2), levels: pl(2000) });
    // 200 % of a 50 % target (ratio 4) -> with the missing pod at 0: 100 %, ratio 2 -> ceil(2 x 2) = 4.
    expect((await calc2.getResourceReplicas(2, 50, 'cpu', 'ns', {})).replicas).toBe(4);
  });
  it('on a scale-down a missing pod counts as the target when the target is above 100 %', async () => {
    const calc = setup({ currentReplicas: 3, requests: reqs(3), levels: pl(4000, 1000) });
    const r = await calc.getResourceReplicas(3, 300, 'cpu', 'ns', {});
    // ready: 5000*2/4000 = 250 % -> 0.833; fill-in 300 %: (10000 + 6000)/6000 = 266 % -> 0.888; ceil(0.888*3) = 3
    expect(r).toMatchObject({ replicas: 3, utilization: 250 });
  });
  it('errors carry upstream texts', async () => {
    const fail = newReplicaCalculator({
      metricsClient: { getResourceMetric: () => { throw new Error('boom'); } },
      podLister: { list: () => [] },
      clock: new FakeClock(0),
    });
    await expect(fail.getResourceReplicas(1, 50, 'cpu', 'ns', {})).rejects.toThrow('unable to get metrics for resource cpu: boom');
    await expect(setup({ currentReplicas: 0, levels: pl(1) }).getResourceReplicas(1, 50, 'cpu', 'ns', {})).rejects.toThrow(
      'no pods returned by selector while calculating replica count',
    );
    await expect(setup({ currentReplicas: 2, requests: reqs(2), podReadiness: ['False', 'False'], levels: pl(1, 1) }).getResourceReplicas(2, 50, 'cpu', 'ns', {})).rejects.toThrow(
      'did not receive metrics for targeted pods (pods might be unready)',
    );
    await expect(setup({ currentReplicas: 1, levels: pl(100) }).getResourceReplicas(1, 50, 'cpu', 'ns', {})).rejects.toThrow(
      'missing request for cpu in container container1 of Pod test-pod-0',
    );
    await expect(setup({ currentReplicas: 1, requests: ['0'], levels: pl(100) }).getResourceReplicas(1, 50, 'cpu', 'ns', {})).rejects.toThrow(
      'no metrics returned matched known pods',
    );
  });
  it('property: without missing or unready pods the answer is current inside the tolerance, else ceil(ratio x ready)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 10, max: 200 }), async (levels, target) => {
        const n = levels.length;
        const r = await setup({ currentReplicas: n, requests: reqs(n), levels: pl(...levels) }).getResourceReplicas(n, target, 'cpu', 'ns', {});
        const util = Math.trunc((levels.reduce((a, b) => a + b, 0) * 2 * 100) / (2000 * n));
        const ratio = util / target;
        expect(r.utilization).toBe(util);
        expect(r.replicas).toBe(Math.abs(1 - ratio) <= 0.1 ? n : Math.ceil(ratio * n));
      }),
      { numRuns: 100 },
    );
  });
});
