import {
  DeletedFinalStateUnknown,
  defaultControllerRateLimiter,
  isNotFound,
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

// The reference solution carries the finished crd.yaml here, so it runs whatever the tab holds.
// (Your main.ts can keep reading the tab: `parseManifests(labFile('crd.yaml'), 'crd.yaml')[0]`.)
const FINISHED_CRD_YAML = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames:
    - wd
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}          # PUT .../widgets/<name>/status writes status, and only status
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [color, size]
            properties:
              color:
                type: string
                enum: [red, green, blue]
              size:
                type: integer
                minimum: 1
                maximum: 10
              message:
                type: string
                maxLength: 64
          status:
            type: object
            properties:
              observedGeneration:
                type: integer
              configMapName:
                type: string
`;

/** The Widget CRD the checks register: the lab's crd.yaml, finished. */
export function widgetCRD(): KubeObject {
  return parseManifests(FINISHED_CRD_YAML, 'crd.yaml')[0];
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
// Upstream: k8s.io/sample-controller controller.go (NewController) at v0.34.0
export function newController(clientset: Clientset, informers: SharedInformerFactory, clock: FakeClock): Controller {
  const widgetInformer = informers.forResource<Widget>(WIDGETS);
  const configMapInformer = informers.forResource('configmaps');
  const widgets = widgetInformer.lister();
  const configMaps = configMapInformer.lister();
  const queue = newRateLimitingQueue<string>(defaultControllerRateLimiter(), { clock, name: 'widgets' });
  const widgetClient = clientset.dynamic().resource(WIDGETS);

  // Upstream: controller.go (enqueueFoo): the key is <namespace>/<name>.
  const enqueueWidget = (obj: KubeObject) => queue.add(`${obj.metadata.namespace}/${obj.metadata.name}`);

  // Upstream: controller.go (handleObject): an owned object changed; enqueue its Widget. A delete
  // seen only by a relist arrives as a tombstone that carries the last known object.
  const handleObject = (obj: unknown) => {
    let object = obj as KubeObject;
    if (obj instanceof DeletedFinalStateUnknown) {
      object = obj.obj as KubeObject;
      if (!object?.metadata) return; // error decoding object tombstone, invalid type
    }
    const owner = (object.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (!owner || owner.kind !== 'Widget') return;
    let widget: Widget;
    try {
      widget = widgets.byNamespace(object.metadata.namespace ?? '').get(owner.name);
    } catch {
      return; // ignoring orphaned object: its Widget is gone
    }
    // A Widget deleted and re-created under the same name has a new uid: not this object's owner.
    if (widget.metadata.uid !== owner.uid) return;
    enqueueWidget(widget);
  };

  widgetInformer.informer().addEventHandler({
    addFunc: (obj) => enqueueWidget(obj),
    updateFunc: (_old, obj) => enqueueWidget(obj),
  });
  configMapInformer.informer().addEventHandler({
    addFunc: handleObject,
    updateFunc: (oldObj, newObj) => {
      // A periodic resync sends updates with the same resourceVersion: nothing changed.
      if ((oldObj as KubeObject).metadata.resourceVersion === (newObj as KubeObject).metadata.resourceVersion) return;
      handleObject(newObj);
    },
    deleteFunc: handleObject,
  });

  // Upstream: controller.go (syncHandler)
  const syncHandler = async (key: string) => {
    const [namespace, name] = key.split('/');
    let widget: Widget;
    try {
      widget = widgets.byNamespace(namespace).get(name);
    } catch (err) {
      // The Widget is gone: nothing to do (garbage collection removes its ConfigMap).
      if (isNotFound(err)) return;
      throw err;
    }
    const cmName = configMapName(name);
    const data = { color: widget.spec.color, size: String(widget.spec.size), message: widget.spec.message ?? '' };
    const cms = clientset.coreV1().configMaps(namespace);
    let cm: KubeObject | undefined;
    try {
      cm = configMaps.byNamespace(namespace).get(cmName);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!cm) {
      cm = await cms.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: cmName, namespace, ownerReferences: [controllerRef(widget)] },
        data,
      });
    }
    // Not ours: say so and leave it alone (Upstream: MessageResourceExists).
    const ref = (cm.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (ref?.uid !== widget.metadata.uid) {
      throw new Error(`Resource "${cmName}" already exists and is not managed by Widget`);
    }
    if (JSON.stringify(cm.data) !== JSON.stringify(data)) {
      // The lister's objects are the cache: copy before changing.
      cm = await cms.update({ ...cm, metadata: { ...cm.metadata }, data });
    }
    await updateWidgetStatus(widget, cmName);
  };

  // Upstream: controller.go (updateFooStatus): UpdateStatus on a copy, only when it changes.
  const updateWidgetStatus = async (widget: Widget, cmName: string) => {
    const generation = widget.metadata.generation;
    if (widget.status?.observedGeneration === generation && widget.status?.configMapName === cmName) return;
    const copy: Widget = { ...widget, status: { observedGeneration: generation, configMapName: cmName } };
    // A 409 Conflict (someone changed the Widget since our informer saw it) rejects: the key is
    // requeued with backoff and the next sync reads the newer object from the cache.
    await widgetClient.namespace(widget.metadata.namespace ?? '').updateStatus(copy);
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
