/**
 * Checks of the statefulset-ordering lab. Each check takes a copy of the lab's cluster, applies the
 * learner's manifests() there and runs kube-controller-manager's StatefulSet controller
 * (src/sim/controllers/statefulset: pkg/controller/statefulset at v1.34.0) with the fake kubelet
 * fixture (pods Ready READY_MS after they appear). Order is read from the controller's trace
 * (statefulset.createPod / deletePod, with virtual times) and state from the API server.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction } from '../../src/lab/checks';
import { newStatefulSetController, rngFromSeed, runUntilIdle, runUntilSettled, type KubeObject, type LabCluster, type TraceRecorder } from '../../src/sim/index';
import { newFakeKubelet } from '../../src/sim/controllers/testing/index';

const READY_MS = 3000;
const GONE_MS = 1000;

interface Spec {
  clusterIP?: string;
  serviceName?: string;
  replicas?: number;
  podManagementPolicy?: string;
  selector?: { matchLabels?: Record<string, string> };
  template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Array<{ volumeMounts?: Array<{ name: string; mountPath: string }> }> } };
  volumeClaimTemplates?: Array<{ metadata?: { name?: string }; spec?: { accessModes?: string[]; resources?: { requests?: { storage?: string } } } }>;
}
const specOf = (o: KubeObject) => (o.spec ?? {}) as Spec;

/** The learner's objects, checked for what the lab asks of them. */
function learnerObjects(learner: Record<string, unknown>): { service: KubeObject; set: KubeObject; all: KubeObject[] } {
  const manifests = exportedFunction<() => KubeObject[]>(learner, 'manifests');
  let all: KubeObject[];
  try {
    all = manifests();
  } catch (err) {
    throw new AssertionError(`manifests() threw: ${(err as Error).message}`);
  }
  const service = all.find((o) => o.kind === 'Service');
  const set = all.find((o) => o.kind === 'StatefulSet');
  if (!service || !set) throw new AssertionError(`web.yaml must hold a Service and a StatefulSet; it has ${all.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ') || 'nothing'}`);
  return { service, set, all };
}

export function manifestProblems(service: KubeObject, set: KubeObject): string[] {
  const problems: string[] = [];
  const svc = specOf(service);
  const ss = specOf(set);
  if (set.metadata.name !== 'web') problems.push(`the StatefulSet is named ${set.metadata.name}; its pods must be web-0, web-1, web-2: name it web`);
  if (svc.clusterIP !== 'None') problems.push(`the Service has clusterIP ${JSON.stringify(svc.clusterIP ?? '(allocated)')}: a headless Service has clusterIP: None`);
  if (ss.serviceName !== service.metadata.name) problems.push(`spec.serviceName is ${JSON.stringify(ss.serviceName)}: it must name the headless Service (${service.metadata.name})`);
  if (ss.replicas !== 3) problems.push(`spec.replicas is ${ss.replicas}: three members`);
  if ((ss.podManagementPolicy ?? 'OrderedReady') !== 'OrderedReady') problems.push(`podManagementPolicy ${ss.podManagementPolicy} starts every pod at once: members must start one at a time`);
  const claim = (ss.volumeClaimTemplates ?? []).find((c) => c.metadata?.name === 'data');
  if (!claim) problems.push('no volumeClaimTemplates entry named data');
  else {
    if (!(claim.spec?.accessModes ?? []).includes('ReadWriteOnce')) problems.push(`the data claim's accessModes are ${JSON.stringify(claim.spec?.accessModes)}: ReadWriteOnce`);
    if (claim.spec?.resources?.requests?.storage !== '1Gi') problems.push(`the data claim requests ${JSON.stringify(claim.spec?.resources?.requests?.storage)}: 1Gi`);
  }
  const mounts = (ss.template?.spec?.containers ?? []).flatMap((c) => c.volumeMounts ?? []);
  if (!mounts.some((m) => m.name === 'data' && m.mountPath === '/var/lib/broker')) problems.push('the container does not mount data at /var/lib/broker');
  const svcSelector = (service.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
  const podLabels = ss.template?.metadata?.labels ?? {};
  if (!Object.entries(svcSelector).every(([k, v]) => podLabels[k] === v) || Object.keys(svcSelector).length === 0) problems.push(`the Service's selector ${JSON.stringify(svcSelector)} does not select the pods (labels ${JSON.stringify(podLabels)})`);
  return problems;
}

/** The check's cluster copy with the controller and kubelet running and the learner's objects applied. */
async function bench(newCluster: () => Promise<LabCluster>, trace: TraceRecorder, seed: number, objects: KubeObject[]) {
  const cluster = await newCluster();
  const rng = rngFromSeed(`${seed}/statefulset-ordering`);
  const controller = newStatefulSetController({ client: cluster.clientset({ qps: -1, userAgent: 'kube-controller-manager/v1.34.0' }), clock: cluster.clock, rng: rng.fork('ssc'), trace });
  const kubelet = newFakeKubelet({ client: cluster.clientset({ qps: -1, userAgent: 'kubelet' }), clock: cluster.clock, rng: rng.fork('kubelet'), nodeName: 'node-1', readyAfterMs: READY_MS, terminateAfterMs: GONE_MS });
  await runUntilSettled(cluster.clock, Promise.all([controller.run(), kubelet.run()]));
  const admin = cluster.clientset({ qps: -1, userAgent: 'lab-check' });
  // A Run before this Check left its StatefulSet, pods and claims in the copy: start from a clean
  // slate (no garbage collector runs here to remove the members of a deleted set).
  await runUntilSettled(cluster.clock, (async () => {
    await admin.appsV1().statefulSets('default').delete('web').catch(() => undefined);
    for (const p of (await admin.coreV1().pods('default').list()).items) {
      if (/^web-\d+$/.test(String(p.metadata.name))) await admin.coreV1().pods('default').delete(String(p.metadata.name), { gracePeriodSeconds: 0 }).catch(() => undefined);
    }
    const pvcs = admin.dynamic().resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }).namespace('default');
    for (const c of (await pvcs.list()).items) if (/^data-web-\d+$/.test(String(c.metadata.name))) await pvcs.delete(String(c.metadata.name)).catch(() => undefined);
  })());
  await runUntilIdle(cluster.clock, { forMs: GONE_MS });
  const start = trace.events.length;
  for (const obj of objects) {
    const api = obj.kind === 'Service' ? admin.coreV1().services('default') : admin.appsV1().statefulSets('default');
    await api.delete(obj.metadata.name as string).catch(() => undefined);
    try {
      await api.create(JSON.parse(JSON.stringify(obj)) as KubeObject);
    } catch (err) {
      throw new AssertionError(`the API server refused ${obj.kind} ${obj.metadata.name}: ${(err as Error).message}`);
    }
  }
  await runUntilIdle(cluster.clock, { forMs: 4 * READY_MS });
  const pods = async () => (await admin.coreV1().pods('default').list()).items.filter((p) => /^web-\d+$/.test(p.metadata.name as string)).sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
  const claims = async () => (await admin.dynamic().resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }).namespace('default').list()).items;
  const since = (mark: number, type: string) => trace.events.slice(mark).filter((e) => e.type === type);
  const stop = () => {
    controller.stop();
    kubelet.stop();
  };
  return { cluster, admin, pods, claims, since, start, stop, settle: (ms: number) => runUntilIdle(cluster.clock, { forMs: ms }) };
}

export const manifestIsComplete = check(
  'web.yaml: a headless Service named in serviceName, 3 members started one at a time, a data claim per member mounted at /var/lib/broker',
  ({ learner }) => {
    const { service, set } = learnerObjects(learner);
    const problems = manifestProblems(service, set);
    if (problems.length) throw new AssertionError(`web.yaml: ${problems.join('; ')}`);
  },
  { hint: 'Three changes to the Service and the StatefulSet, one addition (volumeClaimTemplates) and a volumeMounts entry.' },
);

export const startsInOrder = check(
  'the controller creates web-0, web-1, web-2 in order, each once the previous is Running and Ready',
  async ({ learner, seed, trace, newCluster }) => {
    const { all } = learnerObjects(learner);
    const b = await bench(newCluster, trace, seed, all);
    try {
      const created = b.since(b.start, 'statefulset.createPod').map((e) => ({ pod: String(e.pod), t: e.t }));
      const names = created.map((c) => c.pod);
      if (names.join() !== 'web-0,web-1,web-2') throw new AssertionError(`the controller created ${names.join(', ') || 'no pods'}; expected web-0, web-1, web-2 (are the manifests applied, with a StatefulSet named web of 3 replicas?)`);
      for (let i = 1; i < created.length; i++) {
        const gap = created[i].t - created[i - 1].t;
        if (gap < READY_MS) {
          throw new AssertionError(`${created[i].pod} was created ${gap} ms after ${created[i - 1].pod}, before ${created[i - 1].pod} could be Ready (the kubelet here takes ${READY_MS} ms): the members start at once`);
        }
      }
      const pods = await b.pods();
      const ready = pods.filter((p) => (p.status as { conditions?: { type: string; status: string }[] })?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      if (ready.length !== 3) throw new AssertionError(`${ready.length} of the pods are Ready after ${(4 * READY_MS) / 1000} s: ${pods.map((p) => p.metadata.name).join(', ')}`);
    } finally {
      b.stop();
    }
  },
  { hint: 'OrderedReady is the default policy; any other value changes the order.' },
);

export const keepsIdentity = check(
  'a deleted web-1 comes back as web-1 with claim data-web-1; scaling to 1 deletes web-2, then web-1, and keeps the claims',
  async ({ learner, seed, trace, newCluster }) => {
    const { all } = learnerObjects(learner);
    const b = await bench(newCluster, trace, seed, all);
    try {
      const claimsBefore = new Map((await b.claims()).map((c) => [c.metadata.name as string, c.metadata.uid as string]));
      const want = ['data-web-0', 'data-web-1', 'data-web-2'];
      if (want.some((n) => !claimsBefore.has(n))) throw new AssertionError(`the claims are ${[...claimsBefore.keys()].join(', ') || 'none'}; expected ${want.join(', ')} (volumeClaimTemplates named data)`);
      const old = (await b.pods()).find((p) => p.metadata.name === 'web-1')!;
      await b.admin.coreV1().pods('default').delete('web-1');
      await b.settle(GONE_MS + 2 * READY_MS);
      const back = (await b.pods()).find((p) => p.metadata.name === 'web-1');
      if (!back || back.metadata.uid === old.metadata.uid) throw new AssertionError('after deleting pod web-1, the controller should create a new pod named web-1');
      const spec = back.spec as { hostname?: string; subdomain?: string; volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }> };
      const claimName = spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName;
      if (claimName !== 'data-web-1') throw new AssertionError(`the new web-1 mounts claim ${JSON.stringify(claimName)}; expected data-web-1`);
      if (spec.hostname !== 'web-1' || spec.subdomain !== 'web') throw new AssertionError(`the new web-1 has hostname ${spec.hostname} and subdomain ${spec.subdomain}; expected web-1 and web`);
      const claimsAfter = new Map((await b.claims()).map((c) => [c.metadata.name as string, c.metadata.uid as string]));
      if (claimsAfter.get('data-web-1') !== claimsBefore.get('data-web-1')) throw new AssertionError('data-web-1 should be the same claim (same uid) before and after the pod was replaced');

      const mark = trace.events.length;
      await b.admin.appsV1().statefulSets('default').patch('web', 'application/merge-patch+json', { spec: { replicas: 1 } });
      await b.settle(4 * (GONE_MS + READY_MS));
      const deleted = b.since(mark, 'statefulset.deletePod').map((e) => ({ pod: String(e.pod), t: e.t }));
      if (deleted.map((d) => d.pod).join() !== 'web-2,web-1') throw new AssertionError(`scaling to 1 deleted ${deleted.map((d) => d.pod).join(', ') || 'nothing'}; expected web-2, then web-1`);
      if (deleted[1].t - deleted[0].t < GONE_MS) throw new AssertionError(`web-1 was deleted ${deleted[1].t - deleted[0].t} ms after web-2, before web-2 was gone`);
      const left = (await b.pods()).map((p) => p.metadata.name);
      if (left.join() !== 'web-0') throw new AssertionError(`after scaling to 1 the pods are ${left.join(', ')}; expected web-0`);
      const claimsLeft = (await b.claims()).map((c) => c.metadata.name as string).sort();
      if (claimsLeft.join() !== want.join()) throw new AssertionError(`after scaling to 1 the claims are ${claimsLeft.join(', ')}; with the default retention policy (Retain) all three stay`);
    } finally {
      b.stop();
    }
  },
  { hint: 'Identity is the ordinal: name, hostname and claim all derive from it. Scale-down goes from the highest ordinal, one pod at a time under OrderedReady.' },
);
