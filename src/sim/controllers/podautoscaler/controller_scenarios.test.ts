import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { eventSource, eventText } from '../../catalogs';
import { loadProfile, newMetricsServer, steps } from '../../metrics';
import type { HPATraceEvent } from './events';
import { newHorizontalController } from './horizontal_controller';
import { newRESTMetricsClient } from './metrics_client';
import { key, namespace, runCase } from './testing/harness';
import { newWorkload } from './testing/workload';
import type { HorizontalPodAutoscaler } from './types';

const reconciles = (trace: TraceRecorder) => trace.events.filter((e) => e.type === 'hpa.reconcile') as unknown as HPATraceEvent[];

describe('HPA controller scenarios', () => {
  it('TestScaleDownStabilization: scales up with the metrics server, then holds a load drop for the 5-minute window', async () => {
    const trace = new TraceRecorder();
    const cluster = await newLabCluster({ env: newEnv({ seed: 1, trace }) });
    const cs = cluster.clientset({ qps: -1 });
    const clock = cluster.clock;
    // 1500m of load over pods requesting 500m, target 50 %: six pods; at 120 s the load drops to 300m: two.
    const w = await newWorkload(cs, clock, { namespace: 'default', name: 'web', replicas: 2, cpuRequestMilli: 500 });
    const ms = newMetricsServer({ client: cs, clock, source: loadProfile({ selector: 'app=web', totalCpuMilli: steps({ fromMs: 0, cpuMilli: 1500 }, { fromMs: 120_000, cpuMilli: 300 }) }) });
    ms.register(cluster.apiServer);
    await runUntilSettled(clock, ms.start());
    const ctrl = newHorizontalController({ client: cs, clock, rng: rngFromSeed(1), trace });
    await runUntilSettled(clock, ctrl.run());
    await runUntilIdle(clock, { forMs: 1000 });
    const hpas = cs.autoscalingV2().horizontalPodAutoscalers('default');
    await hpas.create({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } } as KubeObject);
    let held: HorizontalPodAutoscaler | undefined;
    for (let i = 0; i < 96; i++) {
      await runUntilIdle(clock, { forMs: 5000 });
      await w.sync();
      if (!held && clock.now() > 200_000) held = (await hpas.get('web')) as HorizontalPodAutoscaler;
    }
    const rs = reconciles(trace);
    // First reconcile one sync period after the HPA appeared: 150 % of target wants 6, the legacy limit allows 4.
    expect(rs[0]).toMatchObject({ value: 150, target: 50, currentReplicas: 2, desiredReplicas: 6, finalReplicas: 4, rescaled: true });
    expect(rs[0].t - 1000).toBeGreaterThanOrEqual(15_000);
    expect(rs[1].t - rs[0].t).toBeCloseTo(15_000, 6);
    expect(rs[1]).toMatchObject({ currentReplicas: 4, finalReplicas: 6 });
    // The drop: every reconcile for five minutes after the last 6-recommendation keeps 6.
    const lastHigh = Math.max(...rs.filter((r) => r.desiredReplicas === 6).map((r) => r.t));
    const during = rs.filter((r) => r.t > 121_000 && r.t - lastHigh <= 300_000);
    expect(during.length).toBeGreaterThan(15);
    expect(during.every((r) => r.value === 10 && r.desiredReplicas === 2 && r.finalReplicas === 6 && r.reason === 'ScaleDownStabilized')).toBe(true);
    const down = rs.find((r) => r.finalReplicas === 2 && r.rescaled);
    expect(down?.t).toBeGreaterThan(lastHigh + 300_000);
    expect(down).toMatchObject({ currentReplicas: 6, reason: 'All metrics below target' });
    expect(held?.status?.conditions?.find((c) => c.type === 'AbleToScale')).toMatchObject({ status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    const rescales = ((await cs.coreV1().events('default').list()).items as unknown as Array<{ reason: string; message: string; source: { component: string } }>).filter((e) => e.reason === 'SuccessfulRescale');
    // The second rescale has no reason: the metrics then wanted the current 4; only the window's 6 moved it (upstream words it so).
    // Listed by name (hex nanoseconds), not by time: compare as a set.
    expect(rescales.map((e) => e.message).sort()).toEqual(['New size: 4; reason: cpu resource utilization (percentage of request) above target', 'New size: 6; reason: ', 'New size: 2; reason: All metrics below target'].sort());
    expect(rescales[0].source).toEqual({ component: 'horizontal-pod-autoscaler' });
    ctrl.stop();
    ms.stop();
  });

  it('behavior: a Pods policy of 1 per 60 s limits each step (ScaleUpLimit), and the scale events age out (TestScaleUpRCWithBehavior)', async () => {
    const run = async () => {
      const h = await runCase({ minReplicas: 1, maxReplicas: 6, specReplicas: 3, CPUTarget: 30, reportedLevels: [900, 900, 900], reportedCPURequests: [1000, 1000, 1000], scaleUpRules: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } });
      const timeline: number[] = [];
      for (let i = 0; i < 6; i++) {
        await h.run();
        timeline.push(await h.replicas());
      }
      return { h, timeline };
    };
    const { h, timeline } = await run();
    expect(timeline).toEqual([4, 4, 4, 4, 5, 5]);
    expect(await h.conditions()).toEqual([
      { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
      { type: 'ScalingLimited', status: 'True', reason: 'ScaleUpLimit' },
    ]);
    expect(h.ctrl.scaleUpEvents.get(key)?.map((e) => e.replicaChange)).toEqual([1, 1]);
    // The behavior defaults were filled in by the API server.
    expect((await h.hpa()).spec.behavior?.scaleUp).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] });
    // Each reconcile is a declared event with a line of text and its upstream function.
    const first = reconciles(h.trace)[0];
    expect(eventText(first as never)).toBe('test-namespace/test-hpa: cpu resource utilization (percentage of request) 90/30, 3 -> 4 (cpu resource utilization (percentage of request) above target)');
    expect(eventSource(first as never)?.href).toBe('https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/controller/podautoscaler/horizontal.go');
    // Same seed, same trace.
    const again = await run();
    const strip = (t: TraceRecorder) => JSON.stringify(reconciles(t));
    expect(strip(again.h.trace)).toBe(strip(h.trace));
    h.ctrl.stop();
    again.h.ctrl.stop();
  });

  it('TestConditionFailedGetScale: a missing target sets AbleToScale=False FailedGetScale', async () => {
    const h = await runCase({ minReplicas: 1, maxReplicas: 5, specReplicas: 3, CPUTarget: 10, reportedLevels: [100, 200, 300], resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'missing' } });
    await h.run();
    expect(await h.conditions()).toEqual([{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale' }]);
    expect((await h.hpa()).status?.conditions?.[0].message).toBe('the HPA controller was unable to get the target\'s current scale: deployments.apps "missing" not found');
    expect(await h.events()).toContainEqual({ type: 'Warning', reason: 'FailedGetScale', message: 'deployments.apps "missing" not found' });
    expect(h.ctrl.errors.at(-1)?.message).toBe('failed to query scale subresource for Deployment/test-namespace/missing: deployments.apps "missing" not found');
    h.ctrl.stop();
  });

  it('an unknown kind of a built-in group has no REST mapping (FailedGetScale)', async () => {
    const h = await runCase({ minReplicas: 1, maxReplicas: 5, specReplicas: 3, CPUTarget: 10, resource: { apiVersion: 'apps/v1', kind: 'Deploymnet', name: 'test-dep' } });
    await h.run();
    expect(await h.events()).toContainEqual({ type: 'Warning', reason: 'FailedGetScale', message: 'no matches for kind "Deploymnet" in group "apps"' });
    expect(h.ctrl.errors.at(-1)?.message).toBe('unable to determine resource for scale target reference: no matches for kind "Deploymnet" in group "apps"');
    h.ctrl.stop();
  });

  it('TestConditionInvalidSelectorMissing: a custom resource whose scale has no selector', async () => {
    const h = await runCase({ minReplicas: 1, maxReplicas: 5, specReplicas: 3, CPUTarget: 10, reportedLevels: [100, 200, 300], resource: { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' } });
    await h.cs.apiextensionsV1().customResourceDefinitions().create({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, subresources: { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } } }] },
    } as KubeObject);
    await runUntilIdle(h.clock, { forMs: 100 });
    await h.cs.dynamic().resource({ group: 'example.com', version: 'v1', resource: 'widgets' }).namespace(namespace).create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { replicas: 3 } } as KubeObject);
    await h.run();
    expect(await h.conditions()).toEqual([{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'InvalidSelector' }]);
    expect((await h.hpa()).status?.conditions?.[1].message).toBe("the HPA target's scale is missing a selector");
    const events = await h.events();
    expect(events).toContainEqual({ type: 'Warning', reason: 'SelectorRequired', message: 'selector is required' });
    expect(events).toContainEqual({ type: 'Warning', reason: 'FailedComputeMetricsReplicas', message: 'selector is required' });
    expect(h.ctrl.errors.at(-1)?.message).toBe('failed to compute desired number of replicas based on listed metrics for Widget/test-namespace/w: selector is required');
    h.ctrl.stop();
  });

  it('two HPAs over the same pods: AmbiguousSelector (hpasControllingPodsUnderSelector)', async () => {
    const h = await runCase({ minReplicas: 1, maxReplicas: 5, specReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: [1000, 1000, 1000] });
    await h.hpas.create({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'test-hpa-2' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test-dep' }, maxReplicas: 5 } } as KubeObject);
    await h.run(30_000);
    for (const name of ['test-hpa', 'test-hpa-2']) {
      const c = ((await h.hpas.get(name)) as HorizontalPodAutoscaler).status?.conditions?.find((x) => x.type === 'ScalingActive');
      expect(c).toMatchObject({ status: 'False', reason: 'AmbiguousSelector', message: 'pods by selector name=test-pod are controlled by multiple HPAs: [test-namespace/test-hpa test-namespace/test-hpa-2]' });
    }
    h.ctrl.stop();
  });

  it('TestScaleUpOneMetricInvalid / TestScaleDownOneMetricInvalid: a failed metric blocks a scale-down, not a scale-up', async () => {
    const external = [{ type: 'External', external: { metric: { name: 'queue-length' }, target: { type: 'AverageValue' as const, averageValue: '10' } } }];
    const up = await runCase({ minReplicas: 1, maxReplicas: 6, specReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: [1000, 1000, 1000], metricsTarget: external });
    await up.run();
    expect(await up.replicas()).toBe(5);
    expect(await up.conditions()).toEqual([
      { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' },
    ]);
    // The failed metric's status is Go's zero MetricStatus; the error still comes back from the reconcile.
    expect((await up.hpa()).status?.currentMetrics?.[1]).toEqual({ type: '' });
    expect(up.ctrl.errors.at(-1)?.message).toMatch(/^invalid metrics \(1 invalid out of 2\), first error is: failed to get queue-length external metric value: failed to get queue-length external metric: unable to get external metric test-namespace\/queue-length\/<nil>: unable to fetch metrics from external metrics API: /);
    expect((await up.events()).map((e) => e.reason)).toContain('FailedGetExternalMetric');
    up.ctrl.stop();

    const down = await runCase({ minReplicas: 1, maxReplicas: 6, specReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], metricsTarget: external, recommendations: [] });
    await down.run();
    expect(await down.replicas()).toBe(5);
    expect(await down.conditions()).toEqual([{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'FailedGetExternalMetric' }]);
    down.ctrl.stop();
  });

  it('a deleted HPA is forgotten: no more reconciles, its recommendations dropped (reconcileKey)', async () => {
    const h = await runCase({ minReplicas: 1, maxReplicas: 5, specReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: [1000, 1000, 1000] });
    await h.run();
    expect(h.ctrl.recommendations.has(key)).toBe(true);
    await h.hpas.delete('test-hpa');
    await h.run(60_000);
    expect(h.ctrl.recommendations.has(key)).toBe(false);
    expect(reconciles(h.trace)).toHaveLength(1);
    h.ctrl.stop();
  });

  it('keeps upstream\'s HPA generation rules: no metadata.generation, no status.observedGeneration', async () => {
    const h = await runCase({ minReplicas: 1, maxReplicas: 5, specReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: [1000, 1000, 1000] });
    await h.run();
    const hpa = await h.hpa();
    expect(hpa.metadata.generation).toBeUndefined();
    expect(hpa.status?.observedGeneration).toBeUndefined();
    expect(hpa.status?.lastScaleTime).toBeDefined();
    h.ctrl.stop();
  });

  it('TestConditionFailedUpdateScale: a scale write that conflicts sets AbleToScale=False FailedUpdateScale and records FailedRescale', async () => {
    // The Deployment changes between the scale's GET and PUT (while metrics are read): the PUT carries a stale resourceVersion.
    let client: ReturnType<typeof newRESTMetricsClient> | undefined;
    let bump: (() => Promise<void>) | undefined;
    const h = await runCase({
      minReplicas: 2, maxReplicas: 6, specReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: [1000, 1000, 1000],
      controller: {
        metricsClient: {
          async getResourceMetric(...args) {
            await bump?.();
            return client!.getResourceMetric(...args);
          },
        },
      },
    });
    client = newRESTMetricsClient(h.cs);
    bump = async () => {
      const d = await h.deps.get('test-dep');
      await h.deps.update({ ...d, metadata: { ...d.metadata, labels: { touched: String(h.clock.now()) } } } as KubeObject);
    };
    await h.run();
    expect(await h.replicas()).toBe(3);
    expect(await h.conditions()).toEqual([{ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale' }, { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' }, { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' }]);
    const failed = (await h.events()).find((e) => e.reason === 'FailedRescale');
    expect(failed?.message).toMatch(/^New size: 5; reason: cpu resource utilization \(percentage of request\) above target; error: Operation cannot be fulfilled on deployments.apps "test-dep": /);
    expect(h.ctrl.errors.at(-1)?.message).toMatch(/^failed to rescale Deployment\/test-namespace\/test-dep: Operation cannot be fulfilled/);
    h.ctrl.stop();
  });
});
