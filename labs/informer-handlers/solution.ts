import {
  DeletedFinalStateUnknown,
  defaultControllerRateLimiter,
  deletionHandlingMetaNamespaceKeyFunc,
  labCluster,
  listerWatcherFor,
  newRateLimitingQueue,
  newSharedInformerFactory,
  runUntilIdle,
  runUntilSettled,
  type KubeObject,
  type RateLimitingQueue,
  type SharedIndexInformer,
} from 'kubelab';

/** The part of a Pod this controller reads. */
export type Pod = KubeObject & { spec: { nodeName?: string }; status?: { phase?: string; message?: string } };

/** The index's name (kube-controller-manager's node lifecycle controller calls it the same). */
export const NodeNameIndex = 'spec.nodeName';

// Step 1: your predictions. Change them, then Run and compare with what the handlers print.
export const predictions = {
  /** Only the status of default/web changes (a kubelet would do this). Which handler function runs? 'addFunc' | 'updateFunc' | 'deleteFunc' | 'nothing' */
  statusOnlyChange: 'updateFunc',
  /** The informer relists (the API server restarted). What do the handlers get for a pod that did not change? 'nothing' | 'addFunc' | 'updateFunc' */
  unchangedPodOnRelist: 'updateFunc',
  /** A pod is deleted while the informer's watch is down; then it relists. What does deleteFunc receive? 'the pod' | 'a tombstone' | 'nothing' */
  deletedWhileWatchWasDown: 'a tombstone',
};

/**
 * Step 3: the index function: the node a pod is bound to. A pod the scheduler has not placed yet
 * has no spec.nodeName and belongs to no node: no value at all, not ''.
 */
// Upstream: kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go (the nodeNameKeyIndex IndexFunc) at v1.34.0
export function podNodeName(pod: Pod): string[] {
  const nodeName = pod.spec?.nodeName ?? '';
  if (nodeName === '') return [];
  return [nodeName];
}

/** How a pod is shown in the log lines. Reads the cached object, never writes to it. */
function describe(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name} on ${pod.spec?.nodeName || '<none>'} (rv ${pod.metadata.resourceVersion})`;
}

/**
 * Steps 2-5: wires a pod controller to the pods informer: the node index, and handlers that put
 * namespace/name keys on the queue (the worker reads the object from the cache when it gets there).
 */
// Upstream: k8s.io/sample-controller controller.go (NewController, enqueueFoo) at v0.34.0
export function newPodController(informer: SharedIndexInformer<Pod>, queue: RateLimitingQueue<string>): void {
  informer.addIndexers({ [NodeNameIndex]: podNodeName });

  // The queue holds keys, never objects: five updates of one pod become one reconcile, and the
  // worker always reads the newest state from the cache.
  const enqueue = (obj: Pod | DeletedFinalStateUnknown<Pod>) => queue.add(deletionHandlingMetaNamespaceKeyFunc(obj));

  informer.addEventHandler({
    addFunc: (pod: Pod) => {
      console.log(`  add     ${describe(pod)}`);
      enqueue(pod);
    },
    updateFunc: (oldPod: Pod, newPod: Pod) => {
      // A relist or a periodic resync calls updateFunc for every pod, changed or not. Two
      // different versions of a pod always have different resourceVersions.
      if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return;
      console.log(`  update  ${describe(newPod)}  (was rv ${oldPod.metadata.resourceVersion}, phase ${oldPod.status?.phase ?? '-'} -> ${newPod.status?.phase ?? '-'})`);
      enqueue(newPod);
    },
    deleteFunc: (obj: Pod | DeletedFinalStateUnknown<Pod>) => {
      // The watch missed this delete and a relist noticed the pod was gone: the informer hands
      // over a tombstone with the key and the last state it knew, which may be stale.
      // Upstream: k8s.io/kubernetes pkg/controller/replicaset/replica_set.go (deletePod)
      if (obj instanceof DeletedFinalStateUnknown) {
        console.log(`  delete  ${obj.key} (tombstone; last seen as ${describe(obj.obj)})`);
      } else {
        console.log(`  delete  ${describe(obj)}`);
      }
      enqueue(obj);
    },
  });
}

// ---- Run me: a pods informer over the lab's cluster, and a few changes ----
const cluster = labCluster();
const clock = cluster.clock;
const core = cluster.clientset().coreV1();
/** Waits for a request (or anything else on the cluster's clock) while virtual time moves. */
const run = <T>(p: Promise<T>) => runUntilSettled(clock, p, { forMs: 10_000 });

const factory = newSharedInformerFactory(listerWatcherFor(cluster.clientset()), 0, { clock });
const pods = factory.forResource<Pod>('pods');
const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, name: 'pods' });
newPodController(pods.informer(), queue);
const nodes = (await run(core.nodes().list())).items.map((n) => n.metadata.name!);

/** Prints what is about to happen, does it, lets the informer deliver for `forMs`, then prints the queued keys and the index. */
async function step(what: string, action: () => Promise<unknown>, forMs = 2_000) {
  console.log(`\n== ${what}`);
  await action();
  await runUntilIdle(clock, { forMs });
  const keys: unknown[] = [];
  while (queue.len() > 0) {
    const { item, shutdown } = await queue.get();
    if (shutdown || item === undefined) break;
    keys.push(item);
    queue.done(item);
  }
  console.log(`-> queued: ${keys.map((k) => (typeof k === 'string' ? k : `<${typeof k}>`)).join(', ') || '(nothing)'}`);
  try {
    const byNode = nodes.map((n) => `${n}: [${pods.informer().getIndexer().byIndex(NodeNameIndex, n).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(' ')}]`);
    console.log(`   index:  ${byNode.join('  ')}`);
  } catch (err) {
    console.log(`   index:  ${(err as Error).message}`);
  }
}

await step('the informer lists the pods', async () => {
  factory.start();
  await run(factory.waitForCacheSync());
});
await step('only the status of default/web changes', () =>
  run(core.pods('default').patch('web', 'application/merge-patch+json', { status: { message: `probed at ${Math.round(clock.now())} ms` } }, {}, 'status')),
);
let name = '';
await step('a new pod, Pending; then the scheduler binds it to node-3', async () => {
  const batch = await run(core.pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'batch-', namespace: 'default' }, spec: { containers: [{ name: 'job', image: 'busybox' }] } }));
  name = batch.metadata.name!;
  await run(core.pods('default').bind({ apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-3' } }));
});
await step(`the API server restarts; the pod is deleted while the informer is not watching`, async () => {
  cluster.apiServer.restart();
  await run(core.pods('default').delete(name, { gracePeriodSeconds: 0 }));
}, 10_000); // the informer's watch ends, it backs off (0.8 to 1.6 s), then relists
try {
  await run(factory.shutdown());
  console.log('\nthe informer stopped cleanly');
} catch (err) {
  console.log(`\nthe informer had crashed: ${(err as Error).message}`);
}
