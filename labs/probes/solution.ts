import { isNotFound, labCluster, labFile, parseManifests, type KubeObject } from 'kubelab';

// Probes for the first container of each Deployment in web.yaml (k8s.io/api core/v1 Probe).
export const probes = {
  web: {
    // Step 1: out of the Service while /usr/share/nginx/html/ready (GET /ready) is missing.
    readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 2, failureThreshold: 1 },
    // Step 2: restarted only if nginx itself stops answering.
    livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 },
  },
  api: {
    // Step 2: /healthz turns 500 after 10 s: restart it.
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 3, periodSeconds: 3 },
  },
};

/** web.yaml with the probes above put into each Deployment's container. */
export function withProbes(objects: KubeObject[]): KubeObject[] {
  return objects.map((o) => {
    const add = o.kind === 'Deployment' ? probes[o.metadata.name as keyof typeof probes] : undefined;
    if (!add) return o;
    const spec = o.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } };
    const containers = spec.template.spec.containers.map((c, i) => (i === 0 ? { ...c, ...add } : c));
    return { ...o, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers } } } } as KubeObject;
  });
}

// Run: applies web.yaml with your probes to the session cluster, as `kubectl apply -f` would.
// Then watch it in the terminal: kubectl get pods -w, kubectl describe pod <name>.
const cs = labCluster().clientset({ qps: -1, userAgent: 'kubectl' });
for (const o of withProbes(parseManifests(labFile('web.yaml'), 'web.yaml'))) {
  const name = o.metadata.name as string;
  const client = o.kind === 'Service' ? cs.coreV1().services('default') : cs.appsV1().deployments('default');
  const current = await client.get(name).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  if (current) await client.update({ ...o, metadata: { ...o.metadata, resourceVersion: current.metadata.resourceVersion }, ...(o.kind === 'Service' ? { spec: { ...(current.spec as object), ...(o.spec as object) } } : {}) } as never);
  else await client.create(o as never);
  const probesOf = (o.spec as { template?: { spec: { containers: Array<Record<string, unknown>> } } }).template?.spec.containers.map((c) => `${c.name}: readiness ${JSON.stringify(c.readinessProbe ?? null)}, liveness ${JSON.stringify(c.livenessProbe ?? null)}`);
  console.log(`${String(o.kind).toLowerCase()}/${name} ${current ? 'configured' : 'created'}`, probesOf ? probesOf.join('; ') : '');
}
