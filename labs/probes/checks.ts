/**
 * Checks of the probes lab. Each check copies the lab's cluster, applies web.yaml (as the tab is
 * now) in a namespace of its own with the learner's `probes` put into the Deployments, and runs it
 * for real: kube-controller-manager's Deployment and ReplicaSet controllers, the EndpointSlice
 * controller, and a node (containerd model, kubelet with its prober: SimNode) for every Node of
 * the session. Pods are bound to the first node by the template's nodeName (no scheduler needed).
 * It deletes /ready in a web pod through the runtime (what `kubectl exec … rm` would do) and
 * reads the outcome from the API server: pod conditions, restart counts, EndpointSlices, events.
 */
import { check, type Expect } from '../../src/lab/checks';
import {
  ControllerManager,
  SimNode,
  labFile,
  newEndpointSliceController,
  parseManifests,
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  type Clientset,
  type KubeObject,
  type LabCluster,
} from '../../src/sim/index';

const NS = 'probes-check';
const READY_FILE = '/usr/share/nginx/html/ready';

type Probes = Record<string, Record<string, unknown> | undefined>;
interface PodView {
  name: string;
  ready: boolean;
  restarts: number;
  containerId: string;
  ip?: string;
}

function learnerProbes(learner: Record<string, unknown>, expect: Expect): Record<string, Probes> {
  const p = learner.probes as Record<string, Probes> | undefined;
  expect(p, 'main.ts must export `probes` ({ web: {...}, api: {...} })').to.be.an('object');
  return p as Record<string, Probes>;
}

/** web.yaml with the learner's probes, in NS, every pod bound to `node`. */
function manifests(probes: Record<string, Probes>, node: string): KubeObject[] {
  return parseManifests(labFile('web.yaml'), 'web.yaml').map((o) => {
    const meta = { ...o.metadata, namespace: NS };
    if (o.kind !== 'Deployment') return { ...o, metadata: meta } as KubeObject;
    const add = Object.fromEntries(Object.entries(probes[o.metadata.name as string] ?? {}).filter(([, v]) => v !== undefined && v !== null));
    const spec = o.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } };
    const containers = spec.template.spec.containers.map((c, i) => (i === 0 ? { ...c, ...add } : c));
    return { ...o, metadata: meta, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, nodeName: node, containers } } } } as KubeObject;
  });
}

/** The lab's workload on a copy of the cluster, with the controllers and nodes running. */
async function deploy(newCluster: () => Promise<LabCluster>, seed: number, probes: Record<string, Probes>) {
  const cluster = await newCluster();
  const clock = cluster.clock;
  const admin = cluster.clientset({ qps: -1, userAgent: 'lab-check' });
  const names = (await runUntilSettled(clock, admin.coreV1().nodes().list())).items.map((n) => n.metadata.name as string);
  const nodeNames = names.length ? names : ['node-1'];
  const nodes = nodeNames.map((name, i) => new SimNode({ client: cluster.clientset({ qps: -1, userAgent: `kubelet/v1.34.0 (linux/amd64) ${name}` }), clock, seed, name, ip: `172.18.0.${i + 2}`, podCidr: `10.244.${i + 1}.0/24` }));
  for (const n of nodes) await runUntilSettled(clock, n.start());
  const cm = new ControllerManager({ clientFor: (userAgent) => cluster.clientset({ qps: -1, userAgent }), clock, seed, controllers: ['deployment', 'replicaset'] });
  await runUntilSettled(clock, cm.run());
  const eps = newEndpointSliceController({ client: cluster.clientset({ qps: -1, userAgent: 'kube-controller-manager' }), clock, rng: rngFromSeed(`${seed}/endpointslice`) });
  await runUntilSettled(clock, eps.run());
  await runUntilSettled(clock, admin.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KubeObject));
  for (const o of manifests(probes, nodeNames[0])) {
    await runUntilSettled(clock, (o.kind === 'Service' ? admin.coreV1().services(NS) : admin.appsV1().deployments(NS)).create(o as never));
  }
  const stop = () => {
    cm.stop();
    eps.stop();
    for (const n of nodes) n.stop();
  };
  return { cluster, clock, admin, node: nodes[0], stop, wait: (ms: number) => runUntilIdle(clock, { forMs: ms }) };
}

async function podsOf(admin: Clientset, app: string): Promise<PodView[]> {
  const list = (await admin.coreV1().pods(NS).list({ labelSelector: `app=${app}` })).items as unknown as Array<{ metadata: { name: string }; status?: { podIP?: string; conditions?: Array<{ type: string; status: string }>; containerStatuses?: Array<{ restartCount?: number; containerID?: string }> } }>;
  return list
    .map((p) => ({
      name: p.metadata.name,
      ready: p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
      restarts: p.status?.containerStatuses?.[0]?.restartCount ?? 0,
      containerId: (p.status?.containerStatuses?.[0]?.containerID ?? '').replace(/^[a-z]+:\/\//, ''),
      ip: p.status?.podIP,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Ready flags of Service web's endpoints by address. */
async function endpointReadiness(admin: Clientset): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  const slices = (await admin.discoveryV1().endpointSlices(NS).list({ labelSelector: 'kubernetes.io/service-name=web' })).items as unknown as Array<{ endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean } }> }>;
  for (const s of slices) for (const e of s.endpoints ?? []) for (const a of e.addresses) out.set(a, e.conditions?.ready !== false);
  return out;
}

async function killings(admin: Clientset, pod: string): Promise<string[]> {
  const events = (await admin.coreV1().events(NS).list()).items as unknown as Array<{ reason: string; message: string; involvedObject: { name: string } }>;
  return events.filter((e) => e.reason === 'Killing' && e.involvedObject.name === pod).map((e) => e.message);
}

const describeRestart = async (admin: Clientset, p: PodView) => `pod ${p.name} was restarted (RESTARTS ${p.restarts}${(await killings(admin, p.name)).map((m) => `; Killing: ${m}`).join('')})`;

/** Waits until both web pods run Ready, or fails with what is wrong. */
async function webReady(h: Awaited<ReturnType<typeof deploy>>, expect: Expect): Promise<PodView[]> {
  await h.wait(45_000);
  const web = await podsOf(h.admin, 'web');
  expect(web.length, 'web pods running').to.equal(2);
  for (const p of web) expect(p.ready, `pod ${p.name} is not Ready 45 s after it was created, while /ready exists: the readiness probe must pass then`).to.equal(true);
  return web;
}

// ---- Step 1 --------------------------------------------------------------------------------

export const readinessTakesOutOfRotation = check(
  'A missing /ready takes a web pod out of the Service without restarting it',
  async ({ learner, expect, newCluster, seed }) => {
    const probes = learnerProbes(learner, expect);
    expect(probes.web?.readinessProbe, 'probes.web.readinessProbe').to.be.an('object');
    const h = await deploy(newCluster, seed, probes);
    try {
      const web = await webReady(h, expect);
      const [target, other] = web;
      const eps = await endpointReadiness(h.admin);
      expect(eps.get(target.ip ?? ''), `Service web's EndpointSlice lists ${target.name} (${target.ip}) as ready before the drain`).to.equal(true);
      const rm = await runUntilSettled(h.clock, h.node.runtime.execSync(target.containerId, ['rm', READY_FILE], 5));
      expect(rm.exitCode, `rm ${READY_FILE} in ${target.name}: ${rm.stderr}`).to.equal(0);
      await h.wait(60_000);
      const after = await podsOf(h.admin, 'web');
      const t = after.find((p) => p.name === target.name);
      expect(t, `pod ${target.name} is gone 60 s after /ready was deleted: it must stay, only out of rotation`).to.not.equal(undefined);
      if (t!.restarts > 0) expect.fail(`${await describeRestart(h.admin, t!)} after /ready was deleted: a missing /ready must take it out of the Service, not restart it (that is a liveness probe on /ready)`);
      expect(t!.ready, `pod ${t!.name} is still Ready 60 s after its /ready was deleted: the readiness probe must fail when GET /ready is 404`).to.equal(false);
      const epsAfter = await endpointReadiness(h.admin);
      expect(epsAfter.get(t!.ip ?? ''), `Service web's EndpointSlice still lists ${t!.name} (${t!.ip}) as ready`).to.not.equal(true);
      const o = after.find((p) => p.name === other.name);
      expect(o?.ready, `pod ${other.name} (its /ready still there) must stay Ready`).to.equal(true);
      await runUntilSettled(h.clock, h.node.runtime.execSync(target.containerId, ['touch', READY_FILE], 5));
      await h.wait(60_000);
      const back = (await podsOf(h.admin, 'web')).find((p) => p.name === target.name);
      expect(back?.ready, `pod ${target.name} is not Ready 60 s after /ready came back: readiness must recover by itself`).to.equal(true);
      expect((await endpointReadiness(h.admin)).get(target.ip ?? ''), `Service web's EndpointSlice lists ${target.name} as ready again`).to.equal(true);
    } finally {
      h.stop();
    }
  },
  { hint: 'readinessProbe: httpGet on /ready, port 80 (or an exec probe that tests the file). Leave liveness out of the /ready file.' },
);

// ---- Step 2 --------------------------------------------------------------------------------

export const livenessRestartsHungProcess = check(
  'A hung process is restarted by its liveness probe; a drained web pod is not',
  async ({ learner, expect, newCluster, seed }) => {
    const probes = learnerProbes(learner, expect);
    expect(probes.api?.livenessProbe, 'probes.api.livenessProbe').to.be.an('object');
    expect(probes.web?.livenessProbe, 'probes.web.livenessProbe').to.be.an('object');
    const h = await deploy(newCluster, seed, probes);
    try {
      const web = await webReady(h, expect);
      await runUntilSettled(h.clock, h.node.runtime.execSync(web[0].containerId, ['rm', READY_FILE], 5));
      await h.wait(120_000);
      const [api] = await podsOf(h.admin, 'api');
      expect(api, 'the api pod').to.not.equal(undefined);
      const kills = await killings(h.admin, api.name);
      expect(api.restarts, `pod ${api.name} (agnhost liveness, /healthz 500 after 10 s) was not restarted in 2 minutes: its liveness probe must fail on /healthz`).to.be.greaterThan(0);
      expect(kills, `the Killing events of ${api.name}`).to.include('Container liveness failed liveness probe, will be restarted');
      for (const p of await podsOf(h.admin, 'web')) {
        if (p.restarts > 0) expect.fail(`${await describeRestart(h.admin, p)}: nginx was answering all along, so its liveness probe must not fail (not on /ready either)`);
      }
    } finally {
      h.stop();
    }
  },
  { hint: 'livenessProbe for api: httpGet /healthz on 8080. For web: something only a dead nginx fails (GET / or a TCP check on 80).' },
);
