// R1 (wt-pv): persistent volumes end to end on a session cluster: a 3-replica StatefulSet with
// volumeClaimTemplates on 2 nodes, with the StatefulSet controller, the PV binder
// (persistentvolume-binder-controller), the scheduler's VolumeBinding (WaitForFirstConsumer:
// selected-node, then PreBind waits) and the local-path provisioner. Three Running pods, three
// Bound claims, each PV pinned to its pod's node; what web-1 wrote is there for the next web-1.
import { describe, expect, it } from 'vitest';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';

const files = {
  'web.yaml': `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  clusterIP: None
  selector: { app: web }
  ports: [{ name: broker, port: 9092 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: web }
spec:
  serviceName: web
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: broker
        image: busybox:1.36
        command: [sh, -c, 'echo "$HOSTNAME was here" >> /var/lib/broker/log; cat /var/lib/broker/log; sleep 36000']
        volumeMounts: [{ name: data, mountPath: /var/lib/broker }]
  volumeClaimTemplates:
  - metadata: { name: data }
    spec:
      accessModes: [ReadWriteOnce]
      resources: { requests: { storage: 1Gi } }
`,
};

async function session() {
  const shell = createShell();
  const io: ShellIO = { print: () => {}, error: () => {}, clear: () => {} };
  await mountLabCluster({ shell, io, seed: 3, files, apply: [], scheduler: true, controllers: ['statefulset-controller', 'persistentvolume-binder'], nodes: 2 });
  const run = async (line: string) => {
    const out: string[] = [];
    const o: ShellIO = { print: (t) => out.push(stripAnsi(t)), error: (t) => out.push(stripAnsi(t)), clear: () => {} };
    const code = await shell.execute(line, o);
    return { code, out: out.join('\n') };
  };
  return { run };
}

const rows = (out: string) => out.split('\n').slice(1).filter(Boolean).map((l) => l.split(/\s+/));

describe('persistent volumes on a session cluster', () => {
  it('a StatefulSet with volumeClaimTemplates: three Running pods, three Bound claims, PVs on their pods\' nodes; web-1\'s data outlives web-1', async () => {
    const s = await session();
    expect((await s.run('kubectl get sc')).out).toMatch(/^standard \(default\) +rancher.io\/local-path +Delete +WaitForFirstConsumer/m);
    expect((await s.run('kubectl apply -f web.yaml')).code).toBe(0);
    await s.run('sleep 60s');
    const pods = rows((await s.run('kubectl get pods -o wide')).out);
    expect(pods.map((r) => `${r[0]} ${r[2]}`)).toEqual(['web-0 Running', 'web-1 Running', 'web-2 Running']);
    const nodeOf = new Map(pods.map((r) => [r[0], r[6]]));
    const claims = rows((await s.run('kubectl get pvc')).out);
    expect(claims.map((r) => `${r[0]} ${r[1]}`)).toEqual(['data-web-0 Bound', 'data-web-1 Bound', 'data-web-2 Bound']);
    for (const c of ['data-web-0', 'data-web-1', 'data-web-2']) {
      const pod = c.replace('data-', '');
      const pv = (await s.run(`kubectl get pvc ${c} -o jsonpath='{.spec.volumeName}'`)).out;
      expect(pv).toMatch(/^pvc-/);
      const affinity = (await s.run(`kubectl get pv ${pv} -o jsonpath='{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]} {.spec.hostPath.path} {.status.phase}'`)).out;
      expect(affinity).toBe(`${nodeOf.get(pod)} /var/local-path-provisioner/${pv}_default_${c} Bound`);
      const ann = (await s.run(`kubectl get pvc ${c} -o jsonpath='{.metadata.annotations.volume\\.kubernetes\\.io/selected-node} {.metadata.annotations.pv\\.kubernetes\\.io/bind-completed}'`)).out;
      expect(ann).toBe(`${nodeOf.get(pod)} yes`);
    }
    const events = (await s.run('kubectl describe pvc data-web-1')).out;
    expect(events).toContain('waiting for first consumer to be created before binding');
    expect(events).toContain("Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path'");
    expect(events).toMatch(/ProvisioningSucceeded +.*Successfully provisioned volume pvc-/);
    expect((await s.run('kubectl logs web-1')).out).toBe('web-1 was here');

    expect((await s.run('kubectl delete pod web-1')).code).toBe(0);
    await s.run('sleep 30s');
    const again = rows((await s.run('kubectl get pods -o wide')).out).find((r) => r[0] === 'web-1')!;
    expect(again[2]).toBe('Running');
    expect(again[6]).toBe(nodeOf.get('web-1'));
    expect((await s.run('kubectl logs web-1')).out).toBe('web-1 was here\nweb-1 was here');

    // kubectl get pv: three local-path volumes, Bound, reclaim policy Delete, class standard.
    const pvs = rows((await s.run('kubectl get pv')).out);
    expect(pvs.map((r) => r.slice(1, 7).join(' ')).sort()).toEqual(['1Gi RWO Delete Bound default/data-web-0 standard', '1Gi RWO Delete Bound default/data-web-1 standard', '1Gi RWO Delete Bound default/data-web-2 standard']);
    // Scale to 2 and delete the last claim: its volume is Released, then deleted by the provisioner (reclaimPolicy Delete).
    const pv2 = (await s.run(`kubectl get pvc data-web-2 -o jsonpath='{.spec.volumeName}'`)).out;
    await s.run('kubectl scale statefulset web --replicas=2');
    await s.run('sleep 20s');
    expect((await s.run('kubectl delete pvc data-web-2')).code).toBe(0);
    await s.run('sleep 5s');
    expect((await s.run(`kubectl get pv ${pv2}`)).out).toBe(`Error from server (NotFound): persistentvolumes "${pv2}" not found`);
    expect(rows((await s.run('kubectl get pv')).out)).toHaveLength(2);
  }, 60_000);
});
