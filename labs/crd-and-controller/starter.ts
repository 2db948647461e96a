import {
  defaultControllerRateLimiter,
  isNotFound,
  labFile,
  labCluster,
  newRateLimitingQueue,
  newSharedInformerFactory,
  newStopChannel,
  listerWatcherFor,
  parseManifests,
  runUntilIdle,
  runUntilSettled,
  waitForCacheSync,
  type Clientset,
  type FakeClock,
  type KubeObject,
  type RateLimitingQueue,
  type SharedInformerFactory,
  type StopChannel,
} from 'kubelab';

/** The Widget CRD: the lab's crd.yaml tab, as it is now. */
export function widgetCRD(): KubeObject {
  return parseManifests(labFile('crd.yaml'), 'crd.yaml')[0];
}

export const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets' };

interface Widget extends KubeObject {
  spec: { color: string; size: number; message?: string };
  status?: { observedGeneration?: number; configMapName?: string };
}

/** The ConfigMap a Widget owns. */
export function configMapName(widget: string): string {
  return `${widget}-config`;
}

/** The controller: construct it with newController, start the factory, then run(). */
export interface Controller {
  readonly queue: RateLimitingQueue<string>;
  run(workers: number, stop: StopChannel): Promise<void>;
}

/**
 * A Widget controller written the way sample-controller writes its Foo controller: informers on
 * Widgets and ConfigMaps, a rate-limited workqueue of keys, and a syncHandler that makes each
 * Widget's ConfigMap match its spec and reports observedGeneration through /status.
 */
export function newController(clientset: Clientset, informers: SharedInformerFactory, clock: FakeClock): Controller {
  const widgetInformer = informers.forResource<Widget>(WIDGETS);
  const configMapInformer = informers.forResource('configmaps');
  const widgets = widgetInformer.lister();
  const configMaps = configMapInformer.lister();
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, name: 'widgets' });
  const widgetClient = clientset.dynamic().resource(WIDGETS);

  // Upstream: controller.go (enqueueFoo): the key is <namespace>/<name>.
  const enqueueWidget = (obj: KubeObject) => queue.add(`${obj.metadata.namespace}/${obj.metadata.name}`);

  // An owned object changed: enqueue its Widget.
  const handleObject = (obj: unknown) => {
    const object = obj as KubeObject;
    // TODO: a delete the informer only saw in a relist arrives as a tombstone, not a ConfigMap.
    const owner = (object.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (!owner || owner.kind !== 'Widget') return;
    let widget: Widget;
    try {
      widget = widgets.byNamespace(object.metadata.namespace ?? '').get(owner.name);
    } catch {
      return; // its Widget is gone
    }
    enqueueWidget(widget);
  };

  widgetInformer.informer().addEventHandler({
    addFunc: (obj) => enqueueWidget(obj),
    updateFunc: (_old, obj) => enqueueWidget(obj),
  });
  configMapInformer.informer().addEventHandler({
    addFunc: handleObject,
    updateFunc: (oldObj, newObj) => {
      if ((oldObj as KubeObject).metadata.resourceVersion === (newObj as KubeObject).metadata.resourceVersion) return;
      handleObject(newObj);
    },
    deleteFunc: handleObject,
  });

  // Makes the Widget's ConfigMap match its spec, then reports what it saw in status.
  const syncHandler = async (key: string) => {
    const [namespace, name] = key.split('/');
    const widget = widgets.byNamespace(namespace).get(name);
    const cmName = configMapName(name);
    const data = { color: widget.spec.color, size: String(widget.spec.size), message: widget.spec.message ?? '' };
    // TODO: create the ConfigMap `cmName` in `namespace` with `data` if it does not exist, owned
    // by the Widget (a controller ownerReference); update its data when the spec changed; leave
    // alone a ConfigMap of that name the Widget does not control.
    // TODO: then write status { observedGeneration, configMapName } through /status.
    console.log(`sync ${key}: want ConfigMap ${cmName} with ${JSON.stringify(data)}`);
  };

  // Upstream: controller.go (processNextWorkItem)
  const processNextWorkItem = async (): Promise<boolean> => {
    const { item: key, shutdown } = await queue.get();
    if (shutdown) return false;
    try {
      await syncHandler(key);
      queue.forget(key);
    } catch (err) {
      console.log(`error syncing '${key}': ${(err as Error).message}, requeuing`);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
    return true;
  };

  return {
    queue,
    // Upstream: controller.go (Run)
    async run(workers, stop) {
      if (!(await waitForCacheSync(clock, () => widgetInformer.informer().hasSynced(), () => configMapInformer.informer().hasSynced()))) {
        throw new Error('failed to wait for caches to sync');
      }
      const running = Array.from({ length: workers }, async () => {
        while (await processNextWorkItem()) {
          // next key
        }
      });
      await stop.done();
      queue.shutDown();
      await Promise.all(running);
    },
  };
}

/** metav1.NewControllerRef: this Widget controls the object. */
function controllerRef(widget: Widget) {
  return { apiVersion: 'example.com/v1', kind: 'Widget', name: widget.metadata.name ?? '', uid: widget.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

// ---- Run me: register the CRD, create a Widget, run the controller ----
const cluster = labCluster();
const cs = cluster.clientset();
const crds = cs.apiextensionsV1().customResourceDefinitions();
const crd = widgetCRD();
try {
  const existing = await crds.get(crd.metadata.name ?? '');
  await crds.update({ ...crd, metadata: { ...crd.metadata, resourceVersion: existing.metadata.resourceVersion } });
} catch (err) {
  if (!isNotFound(err)) throw err;
  await crds.create(crd);
}
await runUntilIdle(cluster.clock, { forMs: 1000 }); // the CRD becomes Established and served

const widgetsClient = cs.dynamic().resource(WIDGETS).namespace('default');
for (const w of [
  { name: 'sprocket', spec: { color: 'blue', size: 3, message: 'hello', shape: 'round' } },
  { name: 'gizmo', spec: { color: 'purple', size: 42 } },
]) {
  try {
    const made = await widgetsClient.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: w.name }, spec: w.spec });
    console.log(`created widget ${w.name}: spec ${JSON.stringify(made.spec)}`);
  } catch (err) {
    console.log(`widget ${w.name}: ${(err as Error).message}`);
  }
}

// The controller gets a client of its own (its own QPS 5 / burst 10), as a controller process would.
const controllerClient = cluster.clientset({ userAgent: 'widget-controller' });
const informers = newSharedInformerFactory(listerWatcherFor(controllerClient), 0, { clock: cluster.clock });
const controller = newController(controllerClient, informers, cluster.clock);
const stop = newStopChannel();
informers.start(stop);
const done = controller.run(2, stop);
await runUntilIdle(cluster.clock, { forMs: 5000 });

for (const w of (await widgetsClient.list()).items) {
  const cm = await cs.coreV1().configMaps('default').get(configMapName(w.metadata.name ?? '')).catch(() => undefined);
  console.log(`widget ${w.metadata.name}: generation ${w.metadata.generation}, status ${JSON.stringify(w.status ?? {})}`);
  console.log(`  configmap ${cm ? `${cm.metadata.name} data ${JSON.stringify(cm.data)} owner ${JSON.stringify(cm.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}`))}` : 'missing'}`);
}
stop.close();
await runUntilSettled(cluster.clock, done); // workers finish what they are doing, then run() returns
