import { describe, expect, it } from 'vitest';
import { key, runCase, statusOkWithOverrides, type TestCase } from './testing/harness';

/**
 * Cases after pkg/controller/podautoscaler/horizontal_test.go (each names its test); the HPA,
 * Deployment, pods and scale go through the API server, metrics through fake metrics APIs as
 * upstream's fake clients. One difference: upstream's tests raise scaleUpLimitFactor to 8; the
 * model keeps the production factor 2, which changes only TestUpscaleCap's cap (6, not 24).
 */
interface Row extends TestCase {
  ref: string;
  expectedDesiredReplicas: number;
  /** Whether the scale was written. */
  scaled: boolean;
  expectedConditions?: Array<{ type: string; status: string; reason: string }>;
  cpuCurrent?: number;
}

const qps = (target: string) => [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue' as const, averageValue: target } } }];
const ones = (n: number, m = 1000) => Array.from({ length: n }, () => m);

const container = (target: number) => [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'container1', target: { type: 'Utilization' as const, averageUtilization: target } } }];
const external = (target: { type: 'Value' | 'AverageValue'; value?: string; averageValue?: string }) => [{ type: 'External', external: { metric: { name: 'qps', selector: { matchLabels: { label: 'value' } } }, target } }];

const rows: Row[] = [
  { ref: 'TestScaleUp', minReplicas: 2, maxReplicas: 6, specReplicas: 3, expectedDesiredReplicas: 5, scaled: true, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: ones(3), cpuCurrent: 50 },
  { ref: 'TestScaleUpCM', minReplicas: 2, maxReplicas: 6, specReplicas: 3, expectedDesiredReplicas: 4, scaled: true, metricsTarget: qps('15.0'), reportedLevels: [20000, 10000, 30000], reportedCPURequests: ones(3) },
  { ref: 'TestScaleUpContainer', minReplicas: 2, maxReplicas: 6, specReplicas: 3, expectedDesiredReplicas: 5, scaled: true, metricsTarget: container(30), reportedLevels: [300, 500, 700], reportedCPURequests: ones(3) },
  { ref: 'TestScaleUpCMExternal', minReplicas: 2, maxReplicas: 6, specReplicas: 3, expectedDesiredReplicas: 4, scaled: true, metricsTarget: external({ type: 'Value', value: '6666m' }), reportedLevels: [8600], externalMetrics: true },
  { ref: 'TestScaleUpPerPodCMExternal', minReplicas: 2, maxReplicas: 6, specReplicas: 3, expectedDesiredReplicas: 4, scaled: true, metricsTarget: external({ type: 'AverageValue', averageValue: '2222m' }), reportedLevels: [8600], externalMetrics: true },
  { ref: 'TestScaleDownCMExternal', minReplicas: 2, maxReplicas: 6, specReplicas: 5, expectedDesiredReplicas: 3, scaled: true, metricsTarget: external({ type: 'Value', value: '14334m' }), reportedLevels: [8600], externalMetrics: true, recommendations: [] },
  { ref: 'TestScaleDownContainerResource', minReplicas: 2, maxReplicas: 6, specReplicas: 5, expectedDesiredReplicas: 3, scaled: true, metricsTarget: container(50), reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: ones(5), recommendations: [] },
  { ref: 'TestScaleDown', minReplicas: 2, maxReplicas: 6, specReplicas: 5, expectedDesiredReplicas: 3, scaled: true, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: ones(5), recommendations: [], cpuCurrent: 28 },
  { ref: 'TestScaleDownCM', minReplicas: 2, maxReplicas: 6, specReplicas: 5, expectedDesiredReplicas: 3, scaled: true, metricsTarget: qps('20.0'), reportedLevels: [12000, 12000, 12000, 12000, 12000], reportedCPURequests: ones(5), recommendations: [] },
  { ref: 'TestTolerance', minReplicas: 1, maxReplicas: 5, specReplicas: 3, expectedDesiredReplicas: 3, scaled: false, CPUTarget: 100, reportedLevels: [1010, 1030, 1020], reportedCPURequests: [900, 1000, 1100], expectedConditions: statusOkWithOverrides({ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }) },
  { ref: 'TestMinReplicas', minReplicas: 2, maxReplicas: 5, specReplicas: 3, expectedDesiredReplicas: 2, scaled: true, CPUTarget: 90, reportedLevels: [10, 95, 10], reportedCPURequests: [900, 1000, 1100], recommendations: [], expectedConditions: statusOkWithOverrides({ type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas' }) },
  { ref: 'TestMaxReplicas', minReplicas: 2, maxReplicas: 5, specReplicas: 3, expectedDesiredReplicas: 5, scaled: true, CPUTarget: 90, reportedLevels: [8000, 9500, 1000], reportedCPURequests: [900, 1000, 1100], expectedConditions: statusOkWithOverrides({ type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas' }) },
  { ref: 'TestSuperfluousMetrics', minReplicas: 2, maxReplicas: 6, specReplicas: 4, expectedDesiredReplicas: 6, scaled: true, CPUTarget: 100, reportedLevels: [4000, 9500, 3000, 7000, 3200, 2000], reportedCPURequests: ones(4), expectedConditions: statusOkWithOverrides({ type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas' }) },
  { ref: 'TestMissingMetrics', minReplicas: 2, maxReplicas: 6, specReplicas: 4, expectedDesiredReplicas: 3, scaled: true, CPUTarget: 100, reportedLevels: [400, 95], reportedCPURequests: ones(4), recommendations: [] },
  {
    ref: 'TestEmptyMetrics', minReplicas: 2, maxReplicas: 6, specReplicas: 4, expectedDesiredReplicas: 4, scaled: false, CPUTarget: 100, reportedLevels: [], reportedCPURequests: ones(4),
    expectedConditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }],
  },
  {
    ref: 'TestEmptyCPURequest', minReplicas: 1, maxReplicas: 5, specReplicas: 1, expectedDesiredReplicas: 1, scaled: false, CPUTarget: 100, reportedLevels: [200], reportedCPURequests: [undefined as unknown as number],
    expectedConditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }],
  },
  { ref: 'TestZeroReplicas', minReplicas: 3, maxReplicas: 5, specReplicas: 0, expectedDesiredReplicas: 0, scaled: false, CPUTarget: 90, reportedCPURequests: [], expectedConditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled' }] },
  { ref: 'TestTooFewReplicas', minReplicas: 3, maxReplicas: 5, specReplicas: 2, expectedDesiredReplicas: 3, scaled: true, CPUTarget: 90, reportedCPURequests: [], expectedConditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' }] },
  { ref: 'TestTooManyReplicas', minReplicas: 3, maxReplicas: 5, specReplicas: 10, expectedDesiredReplicas: 5, scaled: true, CPUTarget: 90, reportedCPURequests: [], expectedConditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' }] },
  { ref: 'TestUpscaleCap (factor 2)', minReplicas: 1, maxReplicas: 100, specReplicas: 3, expectedDesiredReplicas: 6, scaled: true, CPUTarget: 10, reportedLevels: [100, 200, 300], reportedCPURequests: ones(3, 100), expectedConditions: statusOkWithOverrides({ type: 'ScalingLimited', status: 'True', reason: 'ScaleUpLimit' }) },
  {
    ref: 'TestUpscaleCapGreaterThanMaxReplicas', minReplicas: 1, maxReplicas: 20, specReplicas: 3, expectedDesiredReplicas: 6, scaled: true, CPUTarget: 10, reportedLevels: [100, 200, 300], reportedCPURequests: ones(3, 100),
    expectedConditions: statusOkWithOverrides({ type: 'ScalingLimited', status: 'True', reason: 'ScaleUpLimit' }),
  },
  { ref: 'TestMoreReplicasThanSpecNoScale', minReplicas: 1, maxReplicas: 8, specReplicas: 4, statusReplicas: 5, expectedDesiredReplicas: 4, scaled: false, CPUTarget: 50, reportedLevels: [500, 500, 500, 500, 500], reportedCPURequests: ones(5), expectedConditions: statusOkWithOverrides({ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }) },
  {
    ref: 'TestScaleUpUnreadyLessScale', minReplicas: 2, maxReplicas: 6, specReplicas: 3, expectedDesiredReplicas: 4, scaled: true, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: ones(3),
    reportedPodReadiness: ['False', 'True', 'True'],
  },
  {
    ref: 'TestScaleUpHotCpuNoScale (ignored pods)', minReplicas: 2, maxReplicas: 6, specReplicas: 3, expectedDesiredReplicas: 3, scaled: false, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: ones(3),
    reportedPodReadiness: ['False', 'True', 'False'], expectedConditions: statusOkWithOverrides({ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }),
  },
];

describe('HorizontalController.reconcileAutoscaler on the API server (horizontal_test.go)', () => {
  it.each(rows)('$ref', async (row) => {
    const h = await runCase(row);
    await h.run();
    const hpa = await h.hpa();
    expect(await h.replicas()).toBe(row.scaled ? row.expectedDesiredReplicas : row.specReplicas);
    expect(hpa.status?.desiredReplicas).toBe(row.expectedDesiredReplicas);
    expect(await h.conditions()).toEqual(row.expectedConditions ?? statusOkWithOverrides());
    const rescales = (await h.events()).filter((e) => e.reason === 'SuccessfulRescale');
    expect(rescales.length).toBe(row.scaled ? 1 : 0);
    if (row.cpuCurrent !== undefined) expect(hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization).toBe(row.cpuCurrent);
    expect(h.trace.events.filter((e) => e.type === 'hpa.reconcile')).toHaveLength(1);
    h.ctrl.stop();
  });
});
