/**
 * A test bed after horizontal_test.go's testCase: a Deployment `test-dep` in `test-namespace` whose
 * pods `test-pod-<i>` (two containers, each requesting half the pod's CPU) the test creates with the
 * status it wants, fake metrics APIs serving the reported levels (metrics.k8s.io and
 * custom.metrics.k8s.io, as upstream's fake clients do), an HPA, and the controller on the API server.
 */
import type { RequestInfo } from '../../../apiserver/endpoints/request_info';
import { rfc3339 } from '../../../apiserver/registry/strategy';
import type { RestRequest, RestResponse } from '../../../client/transport';
import { newLabCluster } from '../../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../../core/drive';
import { newEnv } from '../../../core/env';
import type { KubeObject } from '../../../core/object';
import { rngFromSeed } from '../../../core/rng';
import { TraceRecorder } from '../../../core/trace';
import type { HPAScalingRules, TimestampedRecommendation } from '../horizontal';
import { newHorizontalController, type HorizontalControllerOptions } from '../horizontal_controller';
import type { HorizontalPodAutoscaler, MetricSpec } from '../types';

export const namespace = 'test-namespace';
export const hpaName = 'test-hpa';
export const key = `${namespace}/${hpaName}`;

export interface TestCase {
  minReplicas: number;
  maxReplicas: number;
  specReplicas: number;
  statusReplicas?: number;
  /** CPU target utilization (percent); 0: none. */
  CPUTarget?: number;
  metricsTarget?: MetricSpec[];
  /** Per pod usage in milli-units (CPU for metrics.k8s.io, the custom metric's value for custom.metrics.k8s.io). */
  reportedLevels?: number[];
  /** Per pod CPU request in millicores (default one 1000m per status replica); empty: pods request nothing. */
  reportedCPURequests?: number[];
  reportedPodReadiness?: Array<'True' | 'False'>;
  reportedPodPhase?: string[];
  scaleUpRules?: HPAScalingRules;
  scaleDownRules?: HPAScalingRules;
  /** Seeds the controller's recommendations (upstream's `recommendations: []timestampedRecommendation{}`). */
  recommendations?: TimestampedRecommendation[];
  /** The scale target; default the Deployment `test-dep`. */
  resource?: { apiVersion: string; kind: string; name: string };
  controller?: Partial<HorizontalControllerOptions>;
  /** Serve the reported levels on external.metrics.k8s.io too (upstream's fake external metrics client). */
  externalMetrics?: boolean;
}

/** Pods started an hour before the run: past the CPU initialization period, as upstream's zero start time is. */
const longAgo = '1969-12-31T23:00:00Z';

function fakeAPI(group: string, body: (info: RequestInfo, nowMs: number) => unknown, nowMs: () => number) {
  return {
    resources: () => [],
    serve: async (_req: RestRequest, info: RequestInfo): Promise<RestResponse> => ({ code: 200, body: body(info, nowMs()) }),
    group,
  };
}

export async function runCase(tc: TestCase) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed: 7, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  const clock = cluster.clock;
  await cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } as KubeObject);
  const statusReplicas = tc.statusReplicas ?? tc.specReplicas;
  const labels = { name: 'test-pod' };
  const deps = cs.appsV1().deployments(namespace);
  await deps.create({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'test-dep' },
    spec: { replicas: tc.specReplicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  } as KubeObject);
  const dep = await deps.get('test-dep');
  await deps.updateStatus({ ...dep, status: { replicas: statusReplicas } } as KubeObject);

  const requests = tc.reportedCPURequests ?? Array.from({ length: statusReplicas }, () => 1000);
  const numPods = tc.reportedCPURequests ? requests.length : statusReplicas;
  const pods = cs.coreV1().pods(namespace);
  for (let i = 0; i < numPods; i++) {
    const req = requests[i];
    const resources = req === undefined ? {} : { requests: { cpu: `${req / 2}m` } };
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `test-pod-${i}`, labels }, spec: { containers: [{ name: 'container1', image: 'app', resources }, { name: 'container2', image: 'app', resources }] } } as KubeObject);
    const ready = tc.reportedPodReadiness?.[i] ?? 'True';
    await pods.patch(`test-pod-${i}`, 'application/merge-patch+json', { status: { phase: tc.reportedPodPhase?.[i] ?? 'Running', startTime: longAgo, conditions: [{ type: 'Ready', status: ready, lastTransitionTime: longAgo }] } }, undefined, 'status');
  }

  // Upstream's fake clients: each level split over the two containers, timestamped now, a one-minute window.
  const levels = tc.reportedLevels ?? [];
  const podMetrics = fakeAPI('metrics.k8s.io', (_info, now) => ({
    kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {},
    items: levels.map((l, i) => ({ metadata: { name: `test-pod-${i}`, namespace }, timestamp: rfc3339(now), window: '1m0s', containers: [{ name: 'container1', usage: { cpu: `${l / 2}m`, memory: '1Mi' } }, { name: 'container2', usage: { cpu: `${l / 2}m`, memory: '1Mi' } }] })),
  }), () => clock.now());
  const customMetrics = fakeAPI('custom.metrics.k8s.io', (_info, now) => ({
    kind: 'MetricValueList', apiVersion: 'custom.metrics.k8s.io/v1beta2', metadata: {},
    items: levels.map((l, i) => ({ describedObject: { kind: 'Pod', name: `test-pod-${i}`, namespace, apiVersion: 'v1' }, metric: { name: 'qps' }, timestamp: rfc3339(now), value: `${l}m` })),
  }), () => clock.now());
  const externalMetrics = fakeAPI('external.metrics.k8s.io', (_info, now) => ({
    kind: 'ExternalMetricValueList', apiVersion: 'external.metrics.k8s.io/v1beta1', metadata: {},
    items: levels.map((l) => ({ metricName: 'qps', metricLabels: {}, timestamp: rfc3339(now), value: `${l}m` })),
  }), () => clock.now());
  if (tc.externalMetrics) cluster.apiServer.registerAPIService(externalMetrics.group, externalMetrics);
  cluster.apiServer.registerAPIService(podMetrics.group, podMetrics);
  cluster.apiServer.registerAPIService(customMetrics.group, customMetrics);

  const metrics: MetricSpec[] = [];
  if (tc.CPUTarget) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: tc.CPUTarget } } });
  metrics.push(...(tc.metricsTarget ?? []));
  const behavior = tc.scaleUpRules || tc.scaleDownRules ? { ...(tc.scaleUpRules ? { scaleUp: tc.scaleUpRules } : {}), ...(tc.scaleDownRules ? { scaleDown: tc.scaleDownRules } : {}) } : undefined;
  const hpas = cs.autoscalingV2().horizontalPodAutoscalers(namespace);
  const created = await hpas.create({
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: hpaName },
    spec: { scaleTargetRef: tc.resource ?? { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test-dep' }, minReplicas: tc.minReplicas, maxReplicas: tc.maxReplicas, ...(metrics.length ? { metrics } : {}), ...(behavior ? { behavior } : {}) },
  } as KubeObject);
  // As upstream's fixture: the status says the HPA last saw the spec's replicas.
  await hpas.updateStatus({ ...created, status: { currentReplicas: tc.specReplicas, desiredReplicas: tc.specReplicas, currentMetrics: null } } as KubeObject);

  const ctrl = newHorizontalController({ client: cs, clock, rng: rngFromSeed(7), trace, ...tc.controller });
  if (tc.recommendations) ctrl.recommendations.set(key, tc.recommendations);
  await runUntilSettled(clock, ctrl.run());
  /** Lets `ms` of virtual time pass (the first reconcile comes one sync period after the HPA appears). */
  const run = (ms = 15_000) => runUntilIdle(clock, { forMs: ms });
  const hpa = async () => (await hpas.get(hpaName)) as HorizontalPodAutoscaler;
  const replicas = async () => ((await deps.get('test-dep')).spec as { replicas: number }).replicas;
  const events = async () => ((await cs.coreV1().events(namespace).list()).items as unknown as Array<{ reason: string; message: string; type: string; involvedObject: { name: string } }>).map((e) => ({ type: e.type, reason: e.reason, message: e.message }));
  const conditions = async () => ((await hpa()).status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason }));
  return { cluster, cs, clock, ctrl, trace, run, hpa, hpas, replicas, events, conditions, pods, deps };
}

/** horizontal_test.go's statusOk with overrides (setConditionInList order). */
export function statusOkWithOverrides(...overrides: Array<{ type: string; status: string; reason: string }>) {
  const out = [
    { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' },
    { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
    { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' },
  ];
  for (const o of overrides) {
    const i = out.findIndex((c) => c.type === o.type);
    if (i >= 0) out[i] = o;
    else out.push(o);
  }
  return out;
}
