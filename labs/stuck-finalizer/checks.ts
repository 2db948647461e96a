/**
 * Checks of the stuck-finalizer lab. Each check takes its own copy of the lab's cluster (shop.yaml
 * applied), runs kube-controller-manager's namespace controller on it (pkg/controller/namespace at
 * kubernetes v1.34.0: a 5 s grace after the delete, deleteCollection of every namespaced resource,
 * conditions, requeue after estimate/2+1 s, then namespaces/finalize), adds objects of its own
 * and reads the outcome from the API server. Names and counts vary with the seed.
 */
import { check, exportedFunction } from '../../src/lab/checks';
import { isNotFound, newNamespaceController, rngFromSeed, runUntilIdle, runUntilSettled, type Clientset, type FakeClock, type KubeObject, type LabCluster, type NamespaceController, type Rng } from '../../src/sim/index';

const FINALIZER = 'backup.example.com/snapshot';
const AUDIT = 'audit.example.com/hold';
const OTHER = 'example.com/cleanup';
const NAMES = ['orders', 'invoices', 'carts', 'coupons', 'stock', 'prices', 'reviews', 'ledger', 'refunds', 'returns'];

interface Predictions {
  phaseAfterDelete?: unknown;
  remainingAfterFirstPass?: unknown;
  finalizersRemainingMessage?: unknown;
  secondsBetweenPasses?: unknown;
}
interface Holder {
  resource: string;
  name: string;
  finalizers: string[];
}
interface Backups {
  snapshot(key: string, data: Record<string, string>): Promise<void>;
}
type FindHolders = (clientset: Clientset, namespace: string) => Promise<Holder[]>;
type StartBackupController = (clientset: Clientset, backups: Backups, clock: FakeClock) => { stop(): Promise<void> };

/** shop as shop.yaml creates it (backup-system is never touched, so it stays as applied). */
const SHOP: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orders-db', namespace: 'shop', finalizers: [FINALIZER] }, data: { rows: '1042' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cart-cache', namespace: 'shop' }, data: { ttl: '10m' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'payment-key', namespace: 'shop', finalizers: [FINALIZER] }, type: 'Opaque', stringData: { key: 'sk-test-4242' } },
];

/**
 * A check copies the session's cluster as the learner left it: after a Run (or `kubectl delete ns
 * shop` in the terminal) shop is gone or Terminating. Takes what is left of it down, on a
 * namespace controller of its own, and applies SHOP again, so every check starts from the lab's shop.
 */
async function restoreShop(cluster: LabCluster, admin: Clientset): Promise<void> {
  const current = await admin.coreV1().namespaces().get('shop').catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  if (current && !current.metadata.deletionTimestamp) {
    const held = (await holdersOf(admin, 'shop')).map((h) => `${h.resource}/${h.name}:${h.finalizers.join(',')}`);
    const present = await everythingIn(admin, 'shop');
    const intact = held.join(' ') === `configmaps/orders-db:${FINALIZER} secrets/payment-key:${FINALIZER}` && ['configmaps/cart-cache', 'configmaps/orders-db', 'secrets/payment-key'].every((k) => present.includes(k));
    if (intact) return;
  }
  if (current) {
    for (const h of await holdersOf(admin, 'shop')) {
      const [plural, ...group] = h.resource.split('.');
      await admin.dynamic().resource({ group: group.join('.'), version: 'v1', resource: plural }).namespace('shop').patch(h.name, 'application/merge-patch+json', { metadata: { finalizers: null } });
    }
    if (!current.metadata.deletionTimestamp) await admin.coreV1().namespaces().delete('shop');
    const nc = newNamespaceController({ client: cluster.clientset({ qps: -1, userAgent: 'kube-controller-manager' }), clock: cluster.clock, rng: rngFromSeed(0), workers: 2 });
    await runUntilSettled(cluster.clock, nc.run());
    await runUntilIdle(cluster.clock, { forMs: 60_000 });
    nc.stop();
  }
  for (const obj of SHOP) {
    const ns = obj.metadata.namespace;
    const client = obj.kind === 'Namespace' ? admin.coreV1().namespaces() : obj.kind === 'Secret' ? admin.coreV1().secrets(ns as string) : admin.coreV1().configMaps(ns as string);
    await client.get(obj.metadata.name as string).catch((e) => (isNotFound(e) ? client.create(obj) : Promise.reject(e)));
  }
}

/** A copy of the lab's cluster with shop as applied, the namespace controller running, and an admin client. */
async function setup(newCluster: () => Promise<LabCluster>, seed: number) {
  const cluster = await newCluster();
  const admin = cluster.clientset({ qps: -1, userAgent: 'lab-check' });
  await restoreShop(cluster, admin);
  const nc = newNamespaceController({ client: cluster.clientset({ qps: -1, userAgent: 'kube-controller-manager' }), clock: cluster.clock, rng: rngFromSeed(seed), workers: 2 });
  await runUntilSettled(cluster.clock, nc.run());
  const ns = async (name: string) => {
    try {
      return (await admin.coreV1().namespaces().get(name)) as KubeObject & { status?: { phase?: string; conditions?: Array<{ type: string; status: string; message?: string }> } };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
  return { cluster, admin, nc, ns, clock: cluster.clock, rng: rngFromSeed(seed) };
}

/** Every object in `namespace` with finalizers, over discovery (what findHolders must return). */
async function holdersOf(cs: Clientset, namespace: string): Promise<Holder[]> {
  const out: Holder[] = [];
  for (const list of await cs.discovery().serverPreferredResources()) {
    const [group, version] = list.groupVersion.includes('/') ? list.groupVersion.split('/') : ['', list.groupVersion];
    for (const r of list.resources) {
      const name = String(r.name);
      if (r.namespaced !== true || name.includes('/') || !((r.verbs as string[] | undefined) ?? []).includes('list')) continue;
      for (const o of (await cs.dynamic().resource({ group, version, resource: name }).namespace(namespace).list()).items) {
        if ((o.metadata.finalizers ?? []).length) out.push({ resource: group ? `${name}.${group}` : name, name: o.metadata.name ?? '', finalizers: o.metadata.finalizers ?? [] });
      }
    }
  }
  // Plain string order (no locale): resource, then name.
  const key = (h: Holder) => `${h.resource}\u0000${h.name}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

async function everythingIn(cs: Clientset, namespace: string): Promise<string[]> {
  const out: string[] = [];
  for (const list of await cs.discovery().serverPreferredResources()) {
    const [group, version] = list.groupVersion.includes('/') ? list.groupVersion.split('/') : ['', list.groupVersion];
    for (const r of list.resources) {
      const name = String(r.name);
      if (r.namespaced !== true || name.includes('/') || !((r.verbs as string[] | undefined) ?? []).includes('list')) continue;
      for (const o of (await cs.dynamic().resource({ group, version, resource: name }).namespace(namespace).list()).items) out.push(`${group ? `${name}.${group}` : name}/${o.metadata.name}`);
    }
  }
  return out.sort();
}

// ---- Step 1 --------------------------------------------------------------------------------

export const predictsStuck = check(
  'Predicts what deleting shop does while the backup finalizer is on its objects',
  async ({ learner, expect, newCluster, seed }) => {
    expect(learner.predictions, 'main.ts must export `predictions`').to.be.an('object');
    const p = learner.predictions as Predictions;
    const h = await setup(newCluster, seed);
    await h.admin.coreV1().namespaces().delete('shop');
    const phase = (await h.ns('shop'))?.status?.phase;
    await runUntilIdle(h.clock, { forMs: 5_500 });
    const remaining = await everythingIn(h.admin, 'shop');
    const message = (await h.ns('shop'))?.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining')?.message;
    await runUntilIdle(h.clock, { forMs: 40_000 });
    const passes = h.nc.syncs.filter((s) => s.namespace === 'shop');
    const gap = passes.length >= 2 ? (passes[passes.length - 1].atMs - passes[passes.length - 2].atMs) / 1000 : undefined;
    h.nc.stop();
    expect(p.phaseAfterDelete, 'predictions.phaseAfterDelete').to.equal(phase);
    expect(p.remainingAfterFirstPass, "predictions.remainingAfterFirstPass (as 'resource/name', sorted)").to.deep.equal(remaining);
    expect(p.finalizersRemainingMessage, "predictions.finalizersRemainingMessage (the NamespaceFinalizersRemaining condition's message)").to.equal(message);
    expect(p.secondsBetweenPasses, 'predictions.secondsBetweenPasses (once nothing changes)').to.equal(gap);
  },
  { hint: 'Try it in the terminal: kubectl delete namespace shop --wait=false, sleep 20s, kubectl describe ns shop. What can deleteCollection remove at once, and what only marks?' },
);

// ---- Step 2 --------------------------------------------------------------------------------

const kinds = [
  { resource: 'configmaps', make: (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } }) },
  { resource: 'secrets', make: (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', data: { k: 'eA==' } }) },
  { resource: 'services', make: (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } }) },
  { resource: 'leases.coordination.k8s.io', make: (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: {} }) },
  {
    resource: 'deployments.apps',
    make: (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } }),
  },
];

async function createIn(cs: Clientset, resource: string, namespace: string, obj: KubeObject): Promise<void> {
  const [plural, ...group] = resource.split('.');
  const g = group.join('.');
  await cs.dynamic().resource({ group: g, version: 'v1', resource: plural }).namespace(namespace).create({ ...obj, metadata: { ...obj.metadata, namespace } });
}

function pickFinalizers(rng: Rng): string[] {
  const pool = [FINALIZER, AUDIT, OTHER];
  return pool.filter(() => rng.chance(0.4));
}

export const findsHolders = check(
  'findHolders lists every object with finalizers in a namespace, whatever its resource',
  async ({ learner, seeds, expect, newCluster }) => {
    const find = exportedFunction<FindHolders>(learner, 'findHolders');
    for (const seed of seeds.slice(0, 2)) {
      const h = await setup(newCluster, seed);
      const names = h.rng.shuffle(NAMES);
      for (let i = 0; i < 6; i++) {
        const kind = i < kinds.length ? kinds[i] : h.rng.pick(kinds);
        const name = `${names[i]}-${seed}`;
        const finalizers = i < 3 ? [h.rng.pick([AUDIT, OTHER])] : pickFinalizers(h.rng);
        await createIn(h.admin, kind.resource, 'shop', { ...kind.make(name), metadata: { name, ...(finalizers.length ? { finalizers } : {}) } } as KubeObject);
      }
      // Decoys elsewhere: not shop's.
      await createIn(h.admin, 'configmaps', 'default', { ...kinds[0].make(`decoy-${seed}`), metadata: { name: `decoy-${seed}`, finalizers: [FINALIZER] } } as KubeObject);
      await createIn(h.admin, 'leases.coordination.k8s.io', 'default', { ...kinds[3].make(`decoy-${seed}`), metadata: { name: `decoy-${seed}`, finalizers: [AUDIT] } } as KubeObject);
      const deleted = seed % 2 === 1;
      if (deleted) {
        await h.admin.coreV1().namespaces().delete('shop');
        await runUntilIdle(h.clock, { forMs: 6_000 });
      }
      const story = `(seed ${seed}, shop ${deleted ? 'Terminating' : 'Active'})`;
      for (const namespace of ['shop', 'default']) {
        const got = await find(h.admin, namespace);
        const want = await holdersOf(h.admin, namespace);
        expect(JSON.parse(JSON.stringify(got ?? null)), `findHolders(clientset, '${namespace}') ${story}`).to.deep.equal(want);
      }
      h.nc.stop();
    }
  },
  { hint: 'Walk discovery: for each APIResourceList, parse groupVersion, keep namespaced resources that can be listed, and list them with clientset.dynamic().resource({ group, version, resource }).namespace(ns).' },
);

// ---- Step 3 --------------------------------------------------------------------------------

interface SnapshotCall {
  key: string;
  t: number;
  data: Record<string, string>;
  /** The object on the API server when the call was made. */
  server: KubeObject | undefined;
  failed: boolean;
}

function describeObj(o: KubeObject | undefined): string {
  if (!o) return 'gone';
  return `${o.metadata.deletionTimestamp ? 'Terminating' : 'live'} ${JSON.stringify(o.metadata.finalizers ?? [])}`;
}

export const releasesNamespace = check(
  'As the backup operator: every held object is snapshotted once while Terminating, then only its finalizer goes, and shop goes away',
  async ({ learner, seeds, expect, newCluster }) => {
    const start = exportedFunction<StartBackupController>(learner, 'startBackupController');
    for (const [i, seed] of seeds.slice(0, 2).entries()) {
      const h = await setup(newCluster, seed);
      const withAudit = i === 1;
      const names = h.rng.shuffle(NAMES).slice(0, 4 + h.rng.int(3));
      const client = (resource: string, ns: string) => (resource === 'secrets' ? h.admin.coreV1().secrets(ns) : h.admin.coreV1().configMaps(ns));
      const get = async (key: string) => {
        const [resource, ns, name] = key.split('/');
        try {
          return await client(resource, ns).get(name);
        } catch (e) {
          if (isNotFound(e)) return undefined;
          throw e;
        }
      };
      const held = ['configmaps/shop/orders-db', 'secrets/shop/payment-key'];
      const audited: string[] = [];
      for (const [j, n] of names.entries()) {
        const resource = j % 2 === 0 ? 'configmaps' : 'secrets';
        const key = `${resource}/shop/${n}-${seed}`;
        const kind = h.rng.int(3);
        const finalizers = kind === 2 ? [] : withAudit && kind === 1 ? [AUDIT, FINALIZER] : [FINALIZER];
        await createIn(h.admin, resource, 'shop', { ...kinds[resource === 'secrets' ? 1 : 0].make(key.split('/')[2]), metadata: { name: key.split('/')[2], ...(finalizers.length ? { finalizers } : {}) } } as KubeObject);
        if (finalizers.includes(FINALIZER)) held.push(key);
        if (finalizers.includes(AUDIT)) audited.push(key);
      }
      // Live, outside shop, with the operator's finalizer: not being deleted, so not to be touched.
      const live = `configmaps/default/keep-${seed}`;
      await createIn(h.admin, 'configmaps', 'default', { ...kinds[0].make(`keep-${seed}`), metadata: { name: `keep-${seed}`, finalizers: [FINALIZER] } } as KubeObject);
      const dataOf = new Map<string, unknown>();
      for (const key of [...held, live]) dataOf.set(key, (await get(key))?.data ?? {});
      const failing = held[h.rng.int(held.length)];
      let failuresLeft = 2;

      const calls: SnapshotCall[] = [];
      const backups: Backups = {
        snapshot: async (key, data) => {
          const server = await get(key);
          await h.clock.sleep(5 + h.rng.int(20));
          const failed = key === failing && failuresLeft > 0;
          calls.push({ key, t: h.clock.now(), data, server, failed });
          if (failed) {
            failuresLeft--;
            throw new Error(`PUT https://backups.example.com/v1/${key}: 503 Service Unavailable`);
          }
        },
      };
      const operator = start(h.cluster.clientset({ qps: -1, userAgent: 'backup-operator' }), backups, h.clock);
      await runUntilIdle(h.clock, { forMs: 1_000 });
      const story = `(seed ${seed}${withAudit ? `, ${AUDIT} on ${audited.length} of them` : ''})`;
      expect(
        calls.map((c) => c.key),
        `snapshots before anything was deleted ${story}`,
      ).to.deep.equal([]);
      await h.admin.coreV1().namespaces().delete('shop');
      await runUntilIdle(h.clock, { forMs: 60_000 });

      for (const key of held) {
        const ok = calls.filter((c) => c.key === key && !c.failed);
        expect(ok.length, `successful snapshots of ${key} ${story}`).to.equal(1);
        expect(describeObj(ok[0].server), `${key} on the API server when it was snapshotted ${story}`).to.match(new RegExp(`^Terminating .*"${FINALIZER.replace(/\./g, '\\.')}"`));
        expect(JSON.stringify(ok[0].data), `the data passed to backups.snapshot for ${key} ${story}`).to.equal(JSON.stringify(dataOf.get(key)));
      }
      const failed = calls.filter((c) => c.key === failing && c.failed);
      expect(failed.length, `rejected snapshots of ${failing} (the store failed twice: retried, the finalizer kept meanwhile) ${story}`).to.equal(2);
      for (const c of calls.filter((c) => c.key === failing)) expect(describeObj(c.server), `${failing} when its snapshot was attempted ${story}`).to.match(/^Terminating .*backup/);
      expect(calls.filter((c) => !held.includes(c.key)).map((c) => c.key), `snapshots of objects without ${FINALIZER} in shop, or not being deleted ${story}`).to.deep.equal([]);
      expect(describeObj(await get(live)), `${live}: live, carrying ${FINALIZER}, never deleted ${story}`).to.equal(`live ${JSON.stringify([FINALIZER])}`);

      if (audited.length > 0) {
        for (const key of audited) expect(describeObj(await get(key)), `${key} after your controller released it (${AUDIT} is another controller's) ${story}`).to.equal(`Terminating ${JSON.stringify([AUDIT])}`);
        const message = (await h.ns('shop'))?.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining')?.message;
        expect(message, `shop's NamespaceFinalizersRemaining message while ${AUDIT} holds it ${story}`).to.equal(`Some content in the namespace has finalizers remaining: ${AUDIT} in ${audited.length} resource instances`);
        for (const key of audited) {
          const [resource, ns, name] = key.split('/');
          await client(resource, ns).patch(name, 'application/merge-patch+json', { metadata: { finalizers: null } });
        }
        await runUntilIdle(h.clock, { forMs: 20_000 });
      }
      expect(await h.ns('shop'), `namespace shop after every finalizer was released ${story}`).to.equal(undefined);
      let stopped = false;
      const stopping = operator.stop().finally(() => (stopped = true));
      await runUntilIdle(h.clock, { forMs: 60_000, until: () => stopped });
      await stopping;
      h.nc.stop();
    }
  },
  { hint: `Release only after backups.snapshot resolved, only objects with deletionTimestamp, and only the ${FINALIZER} entry: a merge patch of the whole list, or finalizers: null, also removes ${AUDIT}.` },
);
