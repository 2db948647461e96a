/**
 * Checks of the k8s-gc-cascade lab. Each check takes its own copy of the lab's cluster, starts
 * kube-controller-manager's garbage collector on it (pkg/controller/garbagecollector at v1.34.0:
 * src/sim/controllers/garbagecollector) and builds owners and dependents in a namespace of its
 * own. Adoption is judged against ControllerRefManager.ClaimObject (pkg/controller/
 * controller_ref_manager.go at v1.34.0): the expected claim is computed here from the rules, the
 * state is read back from the API server, and the learner's requests are seen by the transport.
 */
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import {
  isNotFound,
  newClientset,
  newGarbageCollector,
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  type Clientset,
  type GarbageCollector,
  type KubeObject,
  type LabCluster,
  type RestRequest,
  type RestTransport,
  type Rng,
} from '../../src/sim/index';

type Policy = 'Background' | 'Foreground' | 'Orphan';
const POLICIES: Policy[] = ['Background', 'Foreground', 'Orphan'];
type ClaimPods = (client: Clientset, rs: KubeObject, pods: KubeObject[]) => Promise<string[]>;

interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

const POD_SPEC = { containers: [{ name: 'web', image: 'nginx:1.27' }] };
const HOLD = 'example.com/hold';

function controllerRef(o: KubeObject, block = true): OwnerReference {
  return { apiVersion: o.apiVersion as string, kind: o.kind as string, name: o.metadata.name as string, uid: o.metadata.uid as string, controller: true, blockOwnerDeletion: block };
}

const refsOf = (o: KubeObject) => (o.metadata.ownerReferences ?? []) as OwnerReference[];
const show = (refs: OwnerReference[]) => JSON.stringify(refs.map((r) => `${r.kind}/${r.name}${r.controller ? ' controller' : ''}${r.blockOwnerDeletion ? ' blockOwnerDeletion' : ''}`));

/** A cluster copy with its own namespace and kube-controller-manager's collector running on it. */
interface Bench {
  cluster: LabCluster;
  admin: Clientset;
  gc: GarbageCollector;
  ns: string;
  settle(ms?: number): Promise<void>;
}

async function bench(newCluster: () => Promise<LabCluster>, seed: number, ns: string): Promise<Bench> {
  const cluster = await newCluster();
  const admin = cluster.clientset({ qps: -1, userAgent: 'lab-check' });
  await admin.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
  // kube-controller-manager's client (QPS 20, burst 30); its burst refills before the check starts.
  const gc = newGarbageCollector({ client: cluster.clientset({ qps: 20, burst: 30, userAgent: 'kube-controller-manager/v1.34.0' }), clock: cluster.clock, rng: rngFromSeed(`${seed}/gc`) });
  await runUntilSettled(cluster.clock, gc.run());
  await runUntilIdle(cluster.clock, { forMs: 3000 });
  return { cluster, admin, gc, ns, settle: async (ms = 10_000) => void (await runUntilIdle(cluster.clock, { forMs: ms })) };
}

function replicaSet(name: string, selector: unknown, owner?: KubeObject, templateLabels: Record<string, string> = { app: 'web' }): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, labels: { app: 'web' }, ...(owner ? { ownerReferences: [controllerRef(owner)] } : {}) },
    spec: { replicas: 3, selector, template: { metadata: { labels: templateLabels }, spec: POD_SPEC } },
  } as KubeObject;
}

function pod(name: string, podLabels: Record<string, string>, ownerReferences?: OwnerReference[], finalizers?: string[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: podLabels, ...(ownerReferences ? { ownerReferences } : {}), ...(finalizers ? { finalizers } : {}) }, spec: POD_SPEC } as KubeObject;
}

async function counts(b: Bench) {
  return {
    deployments: (await b.admin.appsV1().deployments(b.ns).list()).items.length,
    replicaSets: (await b.admin.appsV1().replicaSets(b.ns).list()).items.length,
    pods: (await b.admin.coreV1().pods(b.ns).list()).items.length,
  };
}

// ---- Step 1 --------------------------------------------------------------------------------

export const predictsPolicies = check(
  'Predicts what a Deployment -> ReplicaSet -> 3 Pods chain looks like after a delete under each policy',
  async ({ learner, seed, expect, newCluster }) => {
    const predictions = learner.predictions as Record<Policy, Record<string, unknown>> | undefined;
    expect(predictions, 'main.ts must export `predictions`').to.be.an('object');
    for (const policy of POLICIES) {
      const b = await bench(newCluster, seed, 'shop');
      const d = await b.admin.appsV1().deployments(b.ns).create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: POD_SPEC } } } as KubeObject);
      const rs = await b.admin.appsV1().replicaSets(b.ns).create(replicaSet('web-5d8f6', { matchLabels: { app: 'web' } }, d));
      for (const s of ['a', 'b', 'c']) await b.admin.coreV1().pods(b.ns).create(pod(`web-5d8f6-${s}`, { app: 'web' }, [controllerRef(rs)]));
      await b.settle(1000);
      await b.admin.appsV1().deployments(b.ns).delete('web', { propagationPolicy: policy });
      const rightAfter = await b.admin.appsV1().deployments(b.ns).get('web').then((o) => o.metadata.finalizers ?? [], (err) => (isNotFound(err) ? null : Promise.reject(err)));
      await b.settle();
      const left = await counts(b);
      b.gc.stop();
      const p = predictions?.[policy] ?? {};
      expect(p.finalizersRightAfterDelete, `predictions.${policy}.finalizersRightAfterDelete (the Deployment's metadata.finalizers when the DELETE answered; null if it was gone)`).to.deep.equal(rightAfter);
      for (const kind of ['deployments', 'replicaSets', 'pods'] as const) {
        expect(p[kind], `predictions.${policy}.${kind} (left once the collector is done)`).to.equal(left[kind]);
      }
    }
  },
  { hint: 'Background deletes the owner now and its dependents later; Foreground deletes the dependents first and the owner last; Orphan deletes the owner and cuts its dependents loose. Read the run\'s output for Orphan.' },
);

// ---- Steps 2-4: adoption -------------------------------------------------------------------

/** One Pod of an adoption scenario, and what ClaimObject does with it. */
interface Case {
  pod: KubeObject;
  /** Claimed afterwards (adopted, or controlled already). */
  claimed: boolean;
  /** A patch is expected (an orphan to adopt). */
  adopt: boolean;
  /** Also owned (no controller) by the ConfigMap web-config, which stays. */
  side?: boolean;
  why: string;
}

interface Scenario {
  rs: KubeObject;
  cases: Case[];
}

function shuffle<T>(rng: Rng, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Creates in `b.ns`: a ConfigMap and a ReplicaSet `web-old` (owners for references), the
 * ReplicaSet `web-7c9d4` (seeded selector: matchLabels or matchExpressions), and Pods of every
 * kind ClaimObject tells apart: orphans that match (some with a non-controller reference), Pods
 * that do not match, a Pod of `web-old`, a terminating orphan, a Pod the ReplicaSet controls.
 */
async function buildScenario(b: Bench, rng: Rng, opts: { terminatingOwner?: boolean } = {}): Promise<Scenario> {
  const cs = b.admin;
  const config = await cs.coreV1().configMaps(b.ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: {} } as KubeObject);
  const useExpressions = rng.int(2) === 0;
  const selector = useExpressions
    ? { matchLabels: { tier: 'front' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'web-canary'] }] }
    : { matchLabels: { app: 'web', tier: 'front' } };
  const matching = () => ({ app: useExpressions && rng.int(2) === 0 ? 'web-canary' : 'web', tier: 'front' });
  const other = await cs.appsV1().replicaSets(b.ns).create(replicaSet('web-old', selector, undefined, { app: 'web', tier: 'front' }));
  let rs = await cs.appsV1().replicaSets(b.ns).create(replicaSet('web-7c9d4', selector, undefined, { app: 'web', tier: 'front' }));
  const cases: Case[] = [];
  const orphans = 2 + rng.int(3);
  for (let i = 0; i < orphans; i++) {
    const side = i > 0 && rng.int(2) === 0 ? [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'web-config', uid: config.metadata.uid as string }] : undefined;
    cases.push({ pod: pod(`web-${i}`, matching(), side), claimed: true, adopt: true, side: !!side, why: side ? 'an orphan the selector matches, with a reference to a ConfigMap that is no controller' : 'an orphan the selector matches' });
  }
  cases.push({ pod: pod('api-0', { app: 'api', tier: 'front' }), claimed: false, adopt: false, why: 'an orphan with app=api: the selector does not match' });
  cases.push({ pod: pod('web-back', { app: 'web', tier: 'back' }), claimed: false, adopt: false, why: 'an orphan with tier=back: the selector does not match' });
  cases.push({ pod: pod('web-old-0', matching(), [controllerRef(other)]), claimed: false, adopt: false, why: 'controlled by ReplicaSet web-old' });
  cases.push({ pod: pod('web-leaving', matching(), undefined, [HOLD]), claimed: false, adopt: false, why: 'an orphan being deleted (deletionTimestamp set)' });
  cases.push({ pod: pod('web-mine', matching(), [controllerRef(rs)]), claimed: true, adopt: false, why: 'controlled by this ReplicaSet already' });
  for (const c of shuffle(rng, cases)) c.pod = await cs.coreV1().pods(b.ns).create(c.pod);
  await cs.coreV1().pods(b.ns).delete('web-leaving');
  if (opts.terminatingOwner) {
    await cs.appsV1().replicaSets(b.ns).patch('web-7c9d4', 'application/merge-patch+json', { metadata: { finalizers: [HOLD] } });
    // Background: no finalizer of the collector's, so web-mine keeps its reference while HOLD keeps the ReplicaSet.
    await cs.appsV1().replicaSets(b.ns).delete('web-7c9d4', { propagationPolicy: 'Background' });
    for (const c of cases) {
      c.adopt = false;
      if (c.pod.metadata.name !== 'web-mine') c.claimed = false;
    }
  }
  await b.settle(1000);
  rs = await cs.appsV1().replicaSets(b.ns).get('web-7c9d4');
  return { rs, cases };
}

/** What the learner's client sent: PATCHes of Pods, by name. */
interface Learner {
  client: Clientset;
  patched: string[];
  /** Runs before a PATCH of that Pod reaches the API server (once). */
  before: Map<string, () => Promise<void>>;
}

function learnerClient(b: Bench): Learner {
  const server = b.cluster.apiServer;
  const out: Learner = { client: undefined as unknown as Clientset, patched: [], before: new Map() };
  const transport: RestTransport = {
    request: async (req: RestRequest) => {
      const name = new RegExp(`^/api/v1/namespaces/${b.ns}/pods/([^/]+)$`).exec(req.path)?.[1];
      if (name && req.verb === 'PATCH') {
        out.patched.push(name);
        const hook = out.before.get(name);
        out.before.delete(name);
        if (hook) await hook();
      }
      return server.request(req);
    },
    watch: (req) => server.watch(req),
  };
  out.client = newClientset(transport, { clock: b.cluster.clock, qps: -1, userAgent: 'replicaset-controller' });
  return out;
}

async function podsNow(b: Bench): Promise<KubeObject[]> {
  return (await b.admin.coreV1().pods(b.ns).list()).items;
}

/** Compares the claim and every Pod's references with ClaimObject's. */
async function expectClaim(expect: Expect, b: Bench, s: Scenario, l: Learner, claimed: string[], label: string): Promise<void> {
  const want = s.cases.filter((c) => c.claimed).map((c) => c.pod.metadata.name as string).sort();
  expect([...claimed].sort(), `${label}: the Pods claimPods says the ReplicaSet controls`).to.deep.equal(want);
  const now = new Map((await podsNow(b)).map((p) => [p.metadata.name as string, p]));
  for (const c of s.cases) {
    const name = c.pod.metadata.name as string;
    const before = refsOf(c.pod);
    const after = refsOf(now.get(name)!);
    const expected = c.adopt ? [controllerRef(s.rs), ...before] : before;
    const byUid = (rs: OwnerReference[]) => [...rs].sort((x, y) => x.uid.localeCompare(y.uid)).map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid, controller: r.controller, blockOwnerDeletion: r.blockOwnerDeletion }));
    expect(show(byUid(after)), `${label}: ownerReferences of pod ${name} (${c.why}), was ${show(before)}`).to.equal(show(byUid(expected)));
    if (!c.adopt) expect(l.patched, `${label}: pod ${name} (${c.why}) must not be patched`).not.to.include(name);
  }
}

export const adoptsOrphans = check(
  'claimPods() adopts exactly the orphans ClaimObject would, with one controller reference, keeping the others',
  async ({ learner, seeds, expect, newCluster }) => {
    const claimPods = exportedFunction<ClaimPods>(learner, 'claimPods');
    for (const seed of seeds.slice(0, 3)) {
      for (const terminatingOwner of [false, true]) {
        const b = await bench(newCluster, seed, 'shop');
        const s = await buildScenario(b, rngFromSeed(`${seed}/adopt`), { terminatingOwner });
        const l = learnerClient(b);
        const label = `seed ${seed}, selector ${JSON.stringify((s.rs.spec as { selector: unknown }).selector)}${terminatingOwner ? ', the ReplicaSet being deleted' : ''}`;
        let claimed: string[];
        try {
          claimed = await claimPods(l.client, s.rs, await podsNow(b));
        } catch (err) {
          throw new Error(`${label}: claimPods rejected: ${(err as Error).message}`);
        }
        await expectClaim(expect, b, s, l, claimed, label);
        b.gc.stop();
      }
    }
  },
  { hint: 'ClaimObject: a Pod with a controller reference is left alone (claimed only if that controller is this ReplicaSet); an orphan is adopted only when the selector matches and neither the Pod nor the ReplicaSet has a deletionTimestamp.' },
);

export const adoptsByUid = check(
  'claimPods() adopts the Pod it listed, not another one that took its name; it tries every Pod, then rejects',
  async ({ learner, seeds, expect, newCluster }) => {
    const claimPods = exportedFunction<ClaimPods>(learner, 'claimPods');
    for (const seed of seeds.slice(0, 3)) {
      const b = await bench(newCluster, seed, 'shop');
      const rng = rngFromSeed(`${seed}/uid`);
      const s = await buildScenario(b, rng);
      const l = learnerClient(b);
      const orphans = s.cases.filter((c) => c.adopt);
      // The first orphan in the list (names sort as etcd keys do): the Pods after it show whether claimPods kept going.
      const [replaced, ...rest] = [...orphans].sort((x, y) => (x.pod.metadata.name as string).localeCompare(y.pod.metadata.name as string));
      const vanished = rest[rng.int(rest.length)];
      const replacedName = replaced.pod.metadata.name as string;
      const pods = b.admin.coreV1().pods(b.ns);
      // Just before the patch: the Pod is deleted, and a Pod with the same name and labels is created.
      l.before.set(replacedName, async () => {
        await pods.delete(replacedName, { gracePeriodSeconds: 0 });
        await pods.create(pod(replacedName, replaced.pod.metadata.labels as Record<string, string>));
      });
      // Another one is simply gone: a 404 is no error.
      l.before.set(vanished.pod.metadata.name as string, async () => void (await pods.delete(vanished.pod.metadata.name as string, { gracePeriodSeconds: 0 })));
      const label = `seed ${seed}: pod ${replacedName} was deleted and created again just before your PATCH, pod ${vanished.pod.metadata.name} deleted`;
      let error: unknown;
      const result = await claimPods(l.client, s.rs, await podsNow(b)).catch((err) => void (error = err));
      expect(error, `${label}: claimPods must reject once it has tried every Pod (the controller syncs again later), but it resolved to ${JSON.stringify(result)}`).to.be.instanceOf(Error);
      const now = new Map((await podsNow(b)).map((p) => [p.metadata.name as string, p]));
      expect(show(refsOf(now.get(replacedName)!)), `${label}: the new ${replacedName} (another uid) must not be adopted`).to.equal('[]');
      for (const c of orphans) {
        const name = c.pod.metadata.name as string;
        if (c === replaced || c === vanished) continue;
        expect(refsOf(now.get(name)!).some((r) => r.uid === s.rs.metadata.uid && r.controller), `${label}: pod ${name} must still be adopted after the failure`).to.equal(true);
      }
      b.gc.stop();
    }
  },
  { hint: 'A patch addressed by name applies to whatever Pod has that name now. Put the uid you listed into the patch (metadata.uid cannot change, so the API server refuses it for another Pod), keep going with the next Pod, and throw at the end.' },
);

export const foregroundCascades = check(
  'A foreground delete of the ReplicaSet waits for the Pods claimPods adopted, and takes exactly those',
  async ({ learner, seeds, expect, newCluster }) => {
    const claimPods = exportedFunction<ClaimPods>(learner, 'claimPods');
    for (const seed of seeds.slice(0, 3)) {
      const b = await bench(newCluster, seed, 'shop');
      const rng = rngFromSeed(`${seed}/foreground`);
      const s = await buildScenario(b, rng);
      const l = learnerClient(b);
      await claimPods(l.client, s.rs, await podsNow(b));
      await b.settle(1000);
      // Held: an adopted Pod with no other owner (one with a living owner left is not deleted at all).
      const adopted = s.cases.filter((c) => c.adopt && !c.side);
      const held = adopted[rng.int(adopted.length)].pod.metadata.name as string;
      const pods = b.admin.coreV1().pods(b.ns);
      const rsClient = b.admin.appsV1().replicaSets(b.ns);
      await pods.patch(held, 'application/merge-patch+json', { metadata: { finalizers: [HOLD] } });
      await rsClient.delete('web-7c9d4', { propagationPolicy: 'Foreground' });
      await b.settle();
      const label = `seed ${seed}, adopted pod ${held} held by the finalizer ${HOLD}`;
      const rs = await rsClient.get('web-7c9d4').catch(() => undefined);
      expect(rs?.metadata.finalizers, `${label}: ReplicaSet web-7c9d4 must still be Terminating with foregroundDeletion while ${held} exists`).to.deep.equal(['foregroundDeletion']);
      await pods.patch(held, 'application/merge-patch+json', { metadata: { finalizers: null } });
      await b.settle();
      expect(await rsClient.get('web-7c9d4').then(() => 'still there', () => 'gone'), `${label}: once ${held} is gone, the ReplicaSet goes`).to.equal('gone');
      // web-leaving still carries its own finalizer: it stays, Terminating, as it was. An adopted Pod
      // that the ConfigMap also owns has an owner left: the collector only removes its reference to
      // the ReplicaSet (attemptToDeleteItem: solid owners, patch away the waiting one).
      const want = s.cases.filter((c) => !c.claimed || c.side).map((c) => c.pod.metadata.name as string).sort();
      const now = await podsNow(b);
      const left = now.map((p) => p.metadata.name as string).sort();
      expect(left, `${label}: the Pods left after the cascade (adopted Pods go unless web-config owns them too; web-mine goes; the others stay)`).to.deep.equal(want);
      for (const c of s.cases.filter((x) => x.side)) {
        const p = now.find((x) => x.metadata.name === c.pod.metadata.name)!;
        expect(show(refsOf(p)), `${label}: pod ${c.pod.metadata.name}, also owned by ConfigMap web-config, keeps only that reference`).to.equal(show(refsOf(c.pod)));
      }
      b.gc.stop();
    }
  },
  { hint: 'The collector deletes what names the ReplicaSet in ownerReferences, and makes the owner wait only for references with blockOwnerDeletion: true.' },
);
