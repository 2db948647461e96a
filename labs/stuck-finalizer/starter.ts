import {
  defaultControllerRateLimiter,
  isNotFound,
  labCluster,
  labFile,
  listerWatcherFor,
  newNamespaceController,
  newRateLimitingQueue,
  newSharedInformerFactory,
  parseManifests,
  rngFromSeed,
  runUntilIdle,
  runUntilSettled,
  type Clientset,
  type FakeClock,
  type KubeObject,
} from 'kubelab';

// Step 1: `kubectl delete namespace shop`. What happens, before anyone touches a finalizer?
export const predictions = {
  /** status.phase of namespace shop right after the delete is answered. */
  phaseAfterDelete: undefined as string | undefined,
  /** What is still in shop after the namespace controller's first pass, as 'resource/name', sorted. */
  remainingAfterFirstPass: [] as string[],
  /** The message of shop's NamespaceFinalizersRemaining condition after that pass. */
  finalizersRemainingMessage: undefined as string | undefined,
  /** Once its conditions stop changing: seconds between two passes of the namespace controller over shop. */
  secondsBetweenPasses: undefined as number | undefined,
};

/** The backup operator's finalizer. */
export const FINALIZER = 'backup.example.com/snapshot';

export interface Holder {
  /** The resource as kubectl names it: 'configmaps', 'deployments.apps'. */
  resource: string;
  name: string;
  finalizers: string[];
}

// Step 2: what holds a namespace? Look where the namespace controller looks: every namespaced
// resource discovery lists, not only the ones you know about.
export async function findHolders(clientset: Clientset, namespace: string): Promise<Holder[]> {
  // TODO: list every namespaced resource that discovery knows, in `namespace`, and keep the
  // objects whose metadata.finalizers is not empty.
  void clientset;
  void namespace;
  return [];
}

/** Where the operator keeps its snapshots. */
export interface Backups {
  /** Stores the last state of `key` ('configmaps/shop/orders-db'); rejects when the store fails. */
  snapshot(key: string, data: Record<string, string>): Promise<void>;
}

// Step 3: be the backup operator. For a ConfigMap or Secret being deleted that carries FINALIZER:
// snapshot it, then remove FINALIZER (and nothing else).
export function startBackupController(clientset: Clientset, backups: Backups, clock: FakeClock): { stop(): Promise<void> } {
  const factory = newSharedInformerFactory(listerWatcherFor(clientset), 0, { clock });
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(clock), { clock, name: 'backup-operator' });
  for (const resource of ['configmaps', 'secrets']) {
    const enqueue = (o: KubeObject) => queue.add(`${resource}/${o.metadata.namespace}/${o.metadata.name}`);
    factory.forResource(resource).informer().addEventHandler({ addFunc: enqueue, updateFunc: (_old: KubeObject, o: KubeObject) => enqueue(o) });
  }

  async function reconcile(key: string): Promise<void> {
    const [resource, namespace, name] = key.split('/');
    const obj = factory.forResource(resource).informer().getStore().getByKey(`${namespace}/${name}`) as KubeObject | undefined;
    // TODO: if `obj` is being deleted and still carries FINALIZER: snapshot it with
    // backups.snapshot(key, data), then remove FINALIZER (and nothing else) from the object.
    void obj;
  }

  factory.start();
  const workers = [1, 2].map(async () => {
    for (;;) {
      const { item: key, shutdown } = await queue.get();
      if (shutdown) return;
      try {
        await reconcile(key);
        queue.forget(key);
      } catch {
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  });
  return {
    async stop() {
      queue.shutDown();
      await Promise.all(workers);
      await factory.shutdown();
    },
  };
}

// ---- Run me ----
const cluster = labCluster();
const clock = cluster.clock;
const admin = cluster.clientset({ userAgent: 'kubectl', qps: -1 });
const namespaces = admin.coreV1().namespaces();

async function shop(): Promise<KubeObject | undefined> {
  try {
    return await namespaces.get('shop');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

// An earlier run (or the terminal) deleted shop: bring it back from shop.yaml.
if (!(await shop())) {
  for (const obj of parseManifests(labFile('shop.yaml'), 'shop.yaml')) {
    const ns = obj.metadata.namespace;
    const client = obj.kind === 'Namespace' ? namespaces : obj.kind === 'Deployment' ? admin.appsV1().deployments(ns) : obj.kind === 'Secret' ? admin.coreV1().secrets(ns) : admin.coreV1().configMaps(ns);
    try {
      await client.create(obj);
    } catch {
      // already there
    }
  }
}

// The cluster's controller manager runs the namespace controller; this run runs one too.
// kube-controller-manager's client: --kube-api-qps 20, --kube-api-burst 30.
const nc = newNamespaceController({ client: cluster.clientset({ qps: 20, burst: 30, userAgent: 'kube-controller-manager' }), clock, rng: rngFromSeed(1) });
await runUntilSettled(clock, nc.run());

if (!(await shop())?.metadata.deletionTimestamp) {
  console.log('$ kubectl delete namespace shop --wait=false');
  await namespaces.delete('shop');
}
console.log(`phase: ${((await shop())?.status as { phase?: string } | undefined)?.phase}`);
await runUntilIdle(clock, { forMs: 20_000 });
const stuck = await shop();
for (const c of (stuck?.status as { conditions?: Array<Record<string, string>> } | undefined)?.conditions ?? []) if (c.status === 'True') console.log(`condition ${c.type}: ${c.message}`);
console.log('holders:', JSON.stringify(await findHolders(admin, 'shop')));
console.log('namespace controller passes:', nc.syncs.map((s) => `t=${s.atMs / 1000}s ${s.outcome}${s.waitSeconds ? ` (again in ${s.waitSeconds}s)` : ''}`).join(', '));

console.log('\n--- the backup operator is back');
const backups: Backups = {
  async snapshot(key, data) {
    await clock.sleep(50);
    console.log(`t=${clock.now() / 1000}s snapshot ${key} (${Object.keys(data).length} keys)`);
  },
};
const operator = startBackupController(cluster.clientset({ userAgent: 'backup-operator' }), backups, clock);
await runUntilIdle(clock, { forMs: 30_000 });
console.log(`shop: ${(await shop()) ? 'still there' : 'gone'}`);
await operator.stop();
nc.stop();
console.log(`\nyou predicted: ${JSON.stringify(predictions)}`);
