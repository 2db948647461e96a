import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/core/v1';
import { FakeClock } from '../../core/clock';
import { newReplicaCalculator } from './replica_calculator';

// Custom (pods / object) and external metrics, after upstream's replica_calculator_test.go metricInfo cases.
const TS = 42_000;
const pod = (i: number, ready = true): Pod => ({
  metadata: { name: `test-pod-${i}`, namespace: 'test-namespace' },
  spec: { containers: [{ name: 'container1' }] },
  status: { phase: 'Running', startTime: new Date(0).toISOString(), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

function setup(levels: number[], pods: number, opts: { failWith?: string } = {}) {
  const fail = () => {
    if (opts.failWith) throw new Error(opts.failWith);
  };
  return newReplicaCalculator({
    clock: new FakeClock(3_600_000),
    podLister: { list: () => Array.from({ length: pods }, (_, i) => pod(i)) },
    metricsClient: {
      getResourceMetric: () => ({ metrics: {}, timestampMs: TS }),
      getRawMetric: () => {
        fail();
        return { metrics: Object.fromEntries(levels.map((v, i) => [`test-pod-${i}`, { value: v, timestampMs: TS, windowMs: 60_000 }])), timestampMs: TS };
      },
      getObjectMetric: () => {
        fail();
        return { value: levels[0]!, timestampMs: TS };
      },
      getExternalMetric: () => {
        fail();
        return { values: levels, timestampMs: TS };
      },
    },
  });
}

const deployment = { kind: 'Deployment', name: 'some-deployment', apiVersion: 'apps/v1' };

describe('getMetricReplicas (pods metrics)', () => {
  it("ref: 'TestReplicaCalcScaleUpCM'", async () => {
    expect(await setup([20000, 10000, 30000], 3).getMetricReplicas(3, 15000, 'qps', 'ns', {}, {})).toEqual({ replicas: 4, usage: 20000, timestampMs: TS });
  });
  it("ref: 'TestReplicaCalcToleranceCM'", async () => {
    expect(await setup([20000, 21000, 21000], 3).getMetricReplicas(3, 20000, 'qps', 'ns', {}, {})).toEqual({ replicas: 3, usage: 20666, timestampMs: TS });
  });
  it('a missing pod counts as the target on a scale-down', async () => {
    // Mean 5000 of a 10000 target on 2 reporting pods; the third filled in at 10000: mean 6666,
    // ratio 0.6666 -> ceil(0.6666 x 3) = 2.
    const r = await setup([5000, 5000], 3).getMetricReplicas(3, 10000, 'qps', 'ns', {}, {});
    expect(r).toEqual({ replicas: 2, usage: 5000, timestampMs: TS });
  });
  it('readiness only filters CPU samples: unready pods still count for a pods metric', async () => {
    const c = newReplicaCalculator({
      clock: new FakeClock(3_600_000),
      podLister: { list: () => [pod(0, false), pod(1), pod(2, false)] },
      metricsClient: {
        getResourceMetric: () => ({ metrics: {}, timestampMs: TS }),
        getRawMetric: () => ({
          metrics: Object.fromEntries([50000, 15000, 30000].map((v, i) => [`test-pod-${i}`, { value: v, timestampMs: TS, windowMs: 60_000 }])),
          timestampMs: TS,
        }),
      },
    });
    expect(await c.getMetricReplicas(3, 15000, 'qps', 'ns', {}, {})).toEqual({ replicas: 7, usage: 31666, timestampMs: TS });
  });
  it('wraps client errors with upstream text', async () => {
    await expect(setup([1], 1, { failWith: 'nope' }).getMetricReplicas(1, 1, 'qps', 'ns', {}, {})).rejects.toThrow('unable to get metric qps: nope');
  });
});

describe('object and external metrics', () => {
  it("ref: 'TestReplicaCalcScaleUpCMObject'", async () => {
    expect(await setup([20000], 3).getObjectMetricReplicas(3, 15000, 'qps', 'ns', deployment, {}, {})).toEqual({ replicas: 4, usage: 20000, timestampMs: 0 });
  });
  it("ref: 'TestReplicaCalcToleranceCMObject'", async () => {
    expect((await setup([20666], 3).getObjectMetricReplicas(3, 20000, 'qps', 'ns', deployment, {}, {})).replicas).toBe(3);
  });
  it('scales from zero by ceil(ratio) alone', async () => {
    expect((await setup([30000], 0).getObjectMetricReplicas(0, 10000, 'qps', 'ns', deployment, {}, {})).replicas).toBe(3);
    expect((await setup([0], 0).getExternalMetricReplicas(0, 10000, 'qps', 'ns', {}, {})).replicas).toBe(0);
  });
  it('per-pod object target: ceil(total / target) outside the tolerance, usage per replica rounded up', async () => {
    expect(await setup([20000], 3).getObjectPerPodMetricReplicas(3, 5000, 'qps', 'ns', deployment, {})).toEqual({ replicas: 4, usage: 6667, timestampMs: TS });
  });
  it("ref: 'TestReplicaCalcToleranceCMExternal' / 'TestReplicaCalcTolerancePerPodCMExternal'", async () => {
    expect((await setup([8600], 3).getExternalMetricReplicas(3, 8888, 'qps', 'ns', {}, {})).replicas).toBe(3);
    expect(await setup([8600], 3).getExternalPerPodMetricReplicas(3, 2900, 'qps', 'ns', {})).toEqual({ replicas: 3, usage: 2867, timestampMs: TS });
  });
  it('per-pod external target outside the tolerance: ceil(total / target)', async () => {
    expect(await setup([8600], 3).getExternalPerPodMetricReplicas(3, 2150, 'qps', 'ns', {})).toEqual({ replicas: 4, usage: 2867, timestampMs: TS });
  });
  it('error texts', async () => {
    await expect(setup([1], 1, { failWith: 'gone' }).getObjectMetricReplicas(1, 1, 'qps', 'ns', deployment, {}, {})).rejects.toThrow(
      'unable to get metric qps: Deployment on ns some-deployment/gone',
    );
    await expect(setup([1], 1, { failWith: 'gone' }).getExternalMetricReplicas(1, 1, 'qps', 'ns', { matchLabels: { a: 'b' } }, {})).rejects.toThrow(
      'unable to get external metric ns/qps/{"matchLabels":{"a":"b"}}: gone',
    );
    await expect(setup([30000], 0).getObjectMetricReplicas(2, 10000, 'qps', 'ns', deployment, {}, {})).rejects.toThrow(
      'unable to calculate ready pods: no pods returned by selector while calculating replica count',
    );
  });
});
