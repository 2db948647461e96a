// A StatefulSet written as a manifest (the web.yaml tab), applied from code, with
// kube-controller-manager's StatefulSet controller and a stand-in kubelet running on the cluster.
import {
  labFile, newFakeKubelet, newLabCluster, newStatefulSetController, parseManifests, rngFromSeed, runUntilIdle,
  runUntilSettled, setLogVerbosity, type Clientset, type KubeObject,
} from 'kubelab';

// The reference solution carries the finished web.yaml here, so it runs whatever the tab holds.
// (Your main.ts keeps reading the tab.)
const FINISHED_WEB_YAML = `
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None          # headless: one DNS record per pod (web-0.web.default.svc), no virtual IP
  selector:
    app: web
  ports:
  - name: broker
    port: 9092
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web         # the headless Service that gives each pod its DNS name
  replicas: 3
  podManagementPolicy: OrderedReady   # the default: one pod at a time, each Ready before the next
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: broker
        image: busybox:1.36
        # A stand-in broker (the runtime knows busybox, nginx and agnhost): it notes each start in its
        # data directory, prints what the directory holds, and stays up.
        command: [sh, -c, 'mkdir -p /var/lib/broker; echo "$HOSTNAME started" >> /var/lib/broker/log; cat /var/lib/broker/log; sleep 36000']
        ports:
        - name: broker
          containerPort: 9092
        volumeMounts:
        - name: data
          mountPath: /var/lib/broker
  volumeClaimTemplates:    # one claim per pod, data-web-0, data-web-1, ...: it stays when the pod goes
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;

/** The objects to apply: web.yaml, finished. */
export function manifests(): KubeObject[] {
  void labFile;
  return parseManifests(FINISHED_WEB_YAML, 'web.yaml');
}

/** Creates each object, or replaces it if it exists (as `kubectl apply` would end up). */
export async function apply(client: Clientset, objects: KubeObject[]): Promise<void> {
  for (const obj of objects) {
    const api = obj.kind === 'Service' ? client.coreV1().services('default') : client.appsV1().statefulSets('default');
    const existing = await api.get(obj.metadata.name as string).catch(() => undefined);
    if (!existing) await api.create(obj);
    else if (obj.kind === 'StatefulSet') await api.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: existing.metadata.resourceVersion } });
  }
}

// ---- Run me: apply, and watch the pods arrive ----
setLogVerbosity(0);
// A scratch cluster of its own: the terminal's cluster is a real one (scheduler, controllers,
// two nodes, local-path storage), where `kubectl apply -f web.yaml` runs the same set for real.
const cluster = await newLabCluster();
const clock = cluster.clock;
const controller = newStatefulSetController({ client: cluster.clientset({ qps: -1, userAgent: 'kube-controller-manager' }), clock, rng: rngFromSeed('statefulset') });
// Each pod becomes Running and Ready 3 s after it is created; a deleted pod is gone 1 s later.
const kubelet = newFakeKubelet({ client: cluster.clientset({ qps: -1, userAgent: 'kubelet' }), clock, rng: rngFromSeed('kubelet'), nodeName: 'node-1', readyAfterMs: 3000 });
await runUntilSettled(clock, Promise.all([controller.run(), kubelet.run()]));
const kubectl = cluster.clientset({ qps: -1, userAgent: 'kubectl' });
const t0 = clock.now();
await apply(kubectl, manifests());

let last = '';
for (let s = 1; s <= 15; s++) {
  await runUntilIdle(clock, { forMs: 1000 });
  const pods = (await kubectl.coreV1().pods('default').list()).items.filter((p) => p.metadata.labels?.app === 'web');
  const row = pods.map((p) => `${p.metadata.name} ${(p.status as { conditions?: { type: string; status: string }[] })?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Ready' : 'Pending'}`).join(', ');
  if (row !== last) console.log(`${((clock.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${row || '(no pods)'}`);
  last = row;
}
const pvcs = kubectl.dynamic().resource({ group: '', version: 'v1', resource: 'persistentvolumeclaims' }).namespace('default');
const claims = (await pvcs.list()).items.map((c) => c.metadata.name);
console.log(`claims: ${claims.join(', ') || '(none)'}`);
controller.stop();
kubelet.stop();
console.log('Now in the terminal: kubectl apply -f web.yaml, then watch kubectl get pods,pvc');
