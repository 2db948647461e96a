import { loadProfile, newDeploymentController, newFakeKubelet, newHorizontalController, newLabCluster, newMetricsServer, newReplicaSetController, rngFromSeed, runUntilIdle, runUntilSettled, setLogVerbosity, steps } from 'kubelab';

// How many replicas does the HorizontalPodAutoscaler want for a CPU utilization target?
// Upstream: pkg/controller/podautoscaler/replica_calculator.go (GetResourceReplicas), v1.34.0.

export interface PodSample {
  name: string;
  /** Its containers' CPU requests, in millicores. */
  requestMilli: number;
  /** CPU usage from metrics-server, in millicores; absent: metrics-server has no sample for it. */
  usageMilli?: number;
  /** Default Running. */
  phase?: 'Running' | 'Pending' | 'Failed';
  /** The Ready condition (default true). */
  ready?: boolean;
  /** metadata.deletionTimestamp is set. */
  deleting?: boolean;
}

export interface Result {
  replicas: number;
  /** Utilization of the pods counted first (ready, with a sample), in whole percent, truncated. */
  utilization: number;
}

export function replicaCount(currentReplicas: number, targetUtilization: number, pods: PodSample[], tolerance = 0.1): Result {
  // TODO (step 1): utilization of the Ready pods with a sample (total usage * 100 / total
  //   requests, truncated), ratio = utilization / target; inside the tolerance keep currentReplicas,
  //   else ceil(ratio x pods counted). Deleted and Failed pods do not count.
  // TODO (step 2): missing pods (no sample) and unready pods (Pending, not Ready): a second,
  //   pessimistic pass; hold if it flips the direction or lands inside the tolerance.
  void targetUtilization;
  void pods;
  void tolerance;
  return { replicas: currentReplicas, utilization: 0 };
}

// ---- Run me: the HPA on a cluster, and your calculator on the same pods ----
// Deployment web (pods requesting 500m) under a CPU load of 1500m that drops to 300m at 2:00;
// an HPA with a 50 % target. Every 15 s (when something changed): what the HPA did, and what
// replicaCount says on the same pods now.
setLogVerbosity(0); // klog's -v=0: no informer or cacher lines
const cluster = await newLabCluster();
const clock = cluster.clock;
const cs = (agent: string) => cluster.clientset({ qps: -1, userAgent: agent });
const kcm = cs('kube-controller-manager');
const dc = newDeploymentController({ client: kcm, clock, rng: rngFromSeed('dc') });
const rsc = newReplicaSetController({ client: kcm, clock, rng: rngFromSeed('rsc') });
const kubelet = newFakeKubelet({ client: cs('kubelet'), clock, rng: rngFromSeed('kubelet'), nodeName: 'node-1', readyAfterMs: 5000 });
const load = steps({ fromMs: 0, cpuMilli: 1500 }, { fromMs: 120_000, cpuMilli: 300 });
const ms = newMetricsServer({ client: cs('metrics-server'), clock, source: loadProfile({ selector: 'app=web', totalCpuMilli: load }) });
ms.register(cluster.apiServer);
const hpaController = newHorizontalController({ client: kcm, clock, rng: rngFromSeed('hpa') });
await runUntilSettled(clock, Promise.all([dc.run(), rsc.run(), kubelet.run(), ms.start(), hpaController.run()]));

const kubectl = cs('kubectl');
await kubectl.appsV1().deployments('default').create({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', resources: { requests: { cpu: '500m' } } }] } } },
});
await kubectl.autoscalingV2().horizontalPodAutoscalers('default').create({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
});

/** The Deployment's pods as replicaCount takes them, with metrics-server's samples. */
async function samples(): Promise<PodSample[]> {
  const pods = (await kubectl.coreV1().pods('default').list()).items as Array<{ metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: PodSample['phase']; conditions?: { type: string; status: string }[] } }>;
  return pods.map((p) => {
    const m = ms.podMetrics('default', p.metadata.name);
    return {
      name: p.metadata.name,
      requestMilli: 500,
      ...(m ? { usageMilli: m.containers.reduce((n, c) => n + c.cpuMilli, 0) } : {}),
      phase: p.status?.phase,
      ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      deleting: !!p.metadata.deletionTimestamp,
    };
  });
}

console.log('time   load   HPA: replicas  utilization | replicaCount now');
let previous = '';
for (let t = 15; t <= 450; t += 15) {
  await runUntilIdle(clock, { forMs: 15_000 });
  const hpa = (await kubectl.autoscalingV2().horizontalPodAutoscalers('default').get('web')) as { status?: { currentReplicas?: number; desiredReplicas?: number; currentMetrics?: { resource?: { current?: { averageUtilization?: number } } }[] } };
  const current = hpa.status?.currentReplicas ?? 0;
  let mine: string;
  try {
    mine = JSON.stringify(replicaCount(current, 50, await samples()));
  } catch (err) {
    mine = `threw: ${(err as Error).message}`;
  }
  const util = hpa.status?.currentMetrics?.[0]?.resource?.current?.averageUtilization;
  const clockText = `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
  const row = `${`${load(clock.now())}m`.padEnd(6)} ${String(current).padStart(2)} -> ${String(hpa.status?.desiredReplicas ?? '-').padEnd(7)} ${(util === undefined ? '-' : `${util} %`).padEnd(11)} | ${mine}`;
  if (row !== previous) console.log(`${clockText.padEnd(6)} ${row}`);
  previous = row;
}
// The HPA's desired count also went through its limits: at most double (or 4) per step up, and a
// scale-down waits for the highest recommendation of the last 5 minutes (the stabilization window).
for (const stop of [hpaController, ms, kubelet, rsc, dc]) stop.stop();
