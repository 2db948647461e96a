import {
  DefaultRetry,
  defaultControllerRateLimiter,
  deletionHandlingMetaNamespaceKeyFunc,
  isNotFound,
  labCluster,
  labFile,
  listerWatcherFor,
  newRateLimitingQueue,
  newSharedInformerFactory,
  parseManifests,
  retryOnConflict,
  runUntilIdle,
  splitMetaNamespaceKey,
  type Clientset,
  type FakeClock,
  type KubeObject,
} from 'kubelab';

// Step 1: a ConfigMap carries one finalizer, FINALIZER. It is deleted; later FINALIZER is removed.
// What do an informer's handlers see?
export const predictions = {
  /** The handler calls from the delete until the ConfigMap is gone, in order: each 'add', 'update' or 'delete'. */
  handlerCallsAfterDelete: ['update', 'delete'],
  /** metadata.deletionGracePeriodSeconds of the object the first of those calls receives. */
  deletionGracePeriodSeconds: 0,
  /** metadata.finalizers of the object the 'delete' call receives, when the only finalizer was FINALIZER. */
  finalizersInDeleteEvent: ['example.com/cleanup'],
};

/** Our finalizer: while it is on a ConfigMap, the API server keeps the ConfigMap for us. */
export const FINALIZER = 'example.com/cleanup';
/** The ConfigMaps we manage carry this label with the value "true". */
export const PUBLISH_LABEL = 'example.com/publish';

/** The external system the controller keeps in step with the ConfigMaps (a bucket, a DNS zone, a vault...). */
export interface ExternalStore {
  /** Publishes the ConfigMap's data under `key` (namespace/name); publishing again overwrites. */
  put(key: string, data: Record<string, string>): Promise<void>;
  /** Deletes `key` from the store. Rejects when the store fails. */
  delete(key: string): Promise<void>;
}

export interface Controller {
  /** Stops the workers and the informers. */
  stop(): Promise<void>;
}

/**
 * Starts the publisher controller on `clientset`: one informer on ConfigMaps, a rate-limited
 * workqueue of keys, two workers running `reconcile`.
 */
export function startController(clientset: Clientset, store: ExternalStore, clock: FakeClock, options: { log?: (line: string) => void } = {}): Controller {
  const log = options.log ?? (() => {});
  const factory = newSharedInformerFactory(listerWatcherFor(clientset), 0, { clock });
  const configMaps = factory.forResource('configmaps');
  const lister = configMaps.lister();
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(clock), { clock, name: 'publisher' });
  const show = (o: KubeObject) =>
    `finalizers=${JSON.stringify(o.metadata.finalizers ?? [])}` +
    (o.metadata.deletionTimestamp ? ` deletionTimestamp=${o.metadata.deletionTimestamp} deletionGracePeriodSeconds=${o.metadata.deletionGracePeriodSeconds}` : '');
  configMaps.informer().addEventHandler({
    addFunc: (obj: KubeObject) => {
      log(`  handler: add    ${deletionHandlingMetaNamespaceKeyFunc(obj)} ${show(obj)}`);
      queue.add(deletionHandlingMetaNamespaceKeyFunc(obj));
    },
    updateFunc: (_old: KubeObject, obj: KubeObject) => {
      log(`  handler: update ${deletionHandlingMetaNamespaceKeyFunc(obj)} ${show(obj)}`);
      queue.add(deletionHandlingMetaNamespaceKeyFunc(obj));
    },
    deleteFunc: (obj) => {
      const last = (obj as { obj?: KubeObject }).obj ?? (obj as KubeObject); // a tombstone carries the last state
      log(`  handler: delete ${deletionHandlingMetaNamespaceKeyFunc(obj)} ${show(last)}`);
      queue.add(deletionHandlingMetaNamespaceKeyFunc(obj));
    },
  });

  /** Brings the world in line with ConfigMap `key`. Rejects to be retried with backoff. */
  // Upstream pattern: k8s.io/sample-controller controller.go (syncHandler); finalizer handling as
  // controller-runtime's controllerutil.AddFinalizer / RemoveFinalizer callers do.
  async function reconcile(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    let cm: KubeObject;
    try {
      cm = lister.byNamespace(namespace).get(name);
    } catch (err) {
      // Gone: our finalizer, if it was on it, was removed by us after cleaning up.
      if (isNotFound(err)) return;
      throw err;
    }
    const client = clientset.coreV1().configMaps(namespace);
    const finalizers = cm.metadata.finalizers ?? [];

    if (cm.metadata.deletionTimestamp) {
      // Being deleted. Not holding our finalizer: either it was never ours, or we cleaned up
      // already (this is a reprocessing of the key) — nothing to do either way.
      if (!finalizers.includes(FINALIZER)) return;
      // Clean up first. If it fails, reject: the key is retried with backoff and the object
      // stays Terminating, held by our finalizer, until the cleanup succeeds.
      await store.delete(key);
      log(`  reconcile ${key}: cleaned up, removing ${FINALIZER}`);
      // Remove only our finalizer, from the current list: read it fresh on every attempt and
      // send it with its resourceVersion, so a concurrent change is a 409 and a retry, never a
      // lost write. When the list becomes empty the API server deletes the object.
      await retryOnConflict(DefaultRetry, clock, async () => {
        const current = await client.get(name);
        const rest = (current.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
        if (rest.length === (current.metadata.finalizers ?? []).length) return;
        current.metadata.finalizers = rest;
        await client.update(current);
      });
      return;
    }

    if (cm.metadata.labels?.[PUBLISH_LABEL] !== 'true') return; // not ours

    // Add the finalizer before creating anything outside the cluster: from then on, a
    // deletion waits for us. (Published first, a delete in between would leak the entry.)
    if (!finalizers.includes(FINALIZER)) {
      await retryOnConflict(DefaultRetry, clock, async () => {
        const current = await client.get(name);
        if (current.metadata.deletionTimestamp || (current.metadata.finalizers ?? []).includes(FINALIZER)) return;
        current.metadata.finalizers = [...(current.metadata.finalizers ?? []), FINALIZER];
        await client.update(current);
      });
      log(`  reconcile ${key}: added ${FINALIZER}`);
    }
    await store.put(key, (cm.data ?? {}) as Record<string, string>);
  }

  // Upstream: k8s.io/sample-controller controller.go (processNextWorkItem) at v0.34.0
  async function processNextWorkItem(): Promise<boolean> {
    const { item: key, shutdown } = await queue.get();
    if (shutdown) return false;
    try {
      await reconcile(key);
      queue.forget(key);
    } catch (err) {
      log(`  error syncing '${key}': ${(err as Error).message}, requeuing`);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
    return true;
  }

  factory.start();
  const workers = [1, 2].map(async () => {
    while (await processNextWorkItem()) {
      // next key
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
// What you would type in the terminal (kubectl's client, unthrottled here).
const admin = cluster.clientset({ userAgent: 'kubectl', qps: -1 }).coreV1().configMaps('default');

/** An external store that takes 20 ms per call and prints what it does. */
const bucket: ExternalStore = {
  async put(key) {
    await clock.sleep(20);
    console.log(`t=${clock.now()} ms  store: put ${key}`);
  },
  async delete(key) {
    await clock.sleep(20);
    console.log(`t=${clock.now()} ms  store: delete ${key}`);
  },
};

async function state(name: string): Promise<string> {
  try {
    const cm = await admin.get(name);
    return `${name}: ${cm.metadata.deletionTimestamp ? 'Terminating' : 'live'}, finalizers ${JSON.stringify(cm.metadata.finalizers ?? [])}`;
  } catch (err) {
    if (isNotFound(err)) return `${name}: gone`;
    throw err;
  }
}

// An earlier run deleted them: bring them back from configmaps.yaml.
for (const obj of parseManifests(labFile('configmaps.yaml'), 'configmaps.yaml')) {
  try {
    await admin.get(obj.metadata.name!);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await admin.create(obj);
  }
}

const controller = startController(cluster.clientset({ userAgent: 'publisher-controller' }), bucket, clock, { log: (l) => console.log(`t=${clock.now()} ms${l}`) });
await runUntilIdle(clock, { forMs: 500 });
for (const name of ['report', 'audit-log', 'scratch']) console.log(await state(name));

for (const name of ['report', 'audit-log']) {
  console.log(`\n$ kubectl delete configmap ${name} --wait=false`);
  try {
    await admin.delete(name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    console.log(`Error from server (NotFound): configmaps "${name}" not found`);
  }
  await runUntilIdle(clock, { forMs: 500 });
  console.log(await state(name));
}

// The auditor (another controller) finishes its own work and removes its finalizer.
console.log('\n--- the auditor is done with audit-log: it removes example.com/audit');
try {
  const auditLog = await admin.get('audit-log');
  auditLog.metadata.finalizers = (auditLog.metadata.finalizers ?? []).filter((f) => f !== 'example.com/audit');
  await admin.update(auditLog);
  await runUntilIdle(clock, { forMs: 500 });
  console.log(await state('audit-log'));
} catch (err) {
  if (!isNotFound(err)) throw err;
  console.log('audit-log is already gone: someone removed example.com/audit before the auditor was done!');
}
await controller.stop();
console.log(`\nyou predicted: ${JSON.stringify(predictions)}`);
