// kubectl against the API server model for the kinds the scheduler reads: `get pv,pvc,sc,pdb,pc`
// with upstream's columns (pkg/printers/internalversion/printers.go) and `kubectl create
// priorityclass` (kubectl pkg/cmd/create/create_priorityclass.go).
import { describe, expect, it } from 'vitest';
import { FakeClock, newApiServer, rngFromSeed, runUntilSettled, TraceRecorder, type RestTransport } from '../../../sim/index';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { VirtualFs } from '../vfs';
import { registerKubectl } from './index';

const PV = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-data
spec:
  capacity:
    storage: 1024Mi
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  storageClassName: local
  hostPath:
    path: /data
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: local
  resources:
    requests:
      storage: 1Gi
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 25%
  selector:
    matchLabels:
      app: web
`;

function harness() {
  const clock = new FakeClock(Date.UTC(2025, 0, 1));
  const server = newApiServer({ clock, trace: new TraceRecorder(100_000), rng: rngFromSeed(7) });
  const transport: RestTransport = { request: (r) => runUntilSettled(clock, server.request(r), { forMs: 60_000 }), watch: (r) => runUntilSettled(clock, server.watch(r), { forMs: 60_000 }) };
  const shell = createShell();
  registerKubectl(shell, { transport, clock, files: new VirtualFs({ files: { 'objs.yaml': PV } }) });
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ShellIO = { print: (s) => out.push(stripAnsi(s)), error: (s) => err.push(stripAnsi(s)), clear: () => {} };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { clock, run };
}

describe('kubectl and the storage, policy and scheduling kinds', () => {
  it('get pv,pvc,sc,pdb,pc prints upstream columns; the system classes are there from the start', async () => {
    const h = harness();
    expect((await h.run('kubectl create -f objs.yaml')).out).toBe(
      ['persistentvolume/pv-data created', 'persistentvolumeclaim/data created', 'storageclass.storage.k8s.io/local created', 'poddisruptionbudget.policy/web created'].join('\n'),
    );
    await runUntilSettled(h.clock, h.clock.sleep(90_000), { forMs: 120_000 });
    const r = await h.run('kubectl get pv,pvc,sc,pdb,pc');
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "NAME                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS    CLAIM   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
      persistentvolume/pv-data   1Gi        RWO,ROX        Retain           Pending           local          <unset>                          90s

      NAME                         STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
      persistentvolumeclaim/data   Pending                                      local          <unset>                 90s

      NAME                                          PROVISIONER                    RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
      storageclass.storage.k8s.io/local (default)   kubernetes.io/no-provisioner   Delete          WaitForFirstConsumer   false                  90s

      NAME                             MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE
      poddisruptionbudget.policy/web   N/A             25%               0                     90s

      NAME                                                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY
      priorityclass.scheduling.k8s.io/system-cluster-critical   2000000000   false            90s   PreemptLowerPriority
      priorityclass.scheduling.k8s.io/system-node-critical      2000001000   false            90s   PreemptLowerPriority"
    `);
    expect((await h.run('kubectl get pv -o wide')).out.split('\n')[0]).toMatch(/AGE\s+VOLUMEMODE$/);
    expect((await h.run('kubectl describe pc system-node-critical')).out).toMatchInlineSnapshot(`
      "Name:              system-node-critical
      Value:             2000001000
      GlobalDefault:     false
      PreemptionPolicy:  PreemptLowerPriority
      Description:       Used for system critical pods that must not be moved from their current node.
      Annotations:       <none>
      Events:            <none>"
    `);
    expect((await h.run('kubectl describe pdb web')).out).toMatchInlineSnapshot(`
      "Name:             web
      Namespace:        default
      Max unavailable:  25%
      Selector:         app=web
      Status:
          Allowed disruptions:  0
          Current:              0
          Desired:              0
          Total:                0
      Events:                   <none>"
    `);
  });

  it('create priorityclass: flags to fields, the default preemption policy, dry run, and the server refusing a second default', async () => {
    const h = harness();
    expect(await h.run('kubectl create priorityclass high --value=1000 --description="high priority" --preemption-policy=Never')).toMatchObject({ code: 0, out: 'priorityclass.scheduling.k8s.io/high created' });
    expect(await h.run('kubectl create pc everyone --value=10 --global-default')).toMatchObject({ code: 0, out: 'priorityclass.scheduling.k8s.io/everyone created' });
    expect((await h.run('kubectl create priorityclass preview --value=5 --dry-run=client -o yaml')).out).toBe(
      ['apiVersion: scheduling.k8s.io/v1', 'kind: PriorityClass', 'metadata:', '  name: preview', 'preemptionPolicy: PreemptLowerPriority', 'value: 5'].join('\n'),
    );
    const second = await h.run('kubectl create priorityclass another --value=1 --global-default=true');
    expect(second).toMatchObject({
      code: 1,
      err: 'error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "another" is forbidden: PriorityClass everyone is already marked as default. Only one default can exist',
    });
    const reserved = await h.run('kubectl create priorityclass system-mine --value=1');
    expect(reserved.err).toBe(
      `error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "system-mine" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class`,
    );
    expect(await h.run('kubectl create priorityclass')).toMatchObject({ code: 1, err: "error: exactly one NAME is required, got 0\nSee 'kubectl create priorityclass -h' for help and examples" });
    expect((await h.run('kubectl get pc high everyone')).out).toMatchInlineSnapshot(`
      "NAME       VALUE   GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY
      high       1000    false            0s    Never
      everyone   10      true             0s    PreemptLowerPriority"
    `);
    const stored = JSON.parse((await h.run('kubectl get pc high -o json')).out);
    expect([stored.value, stored.description, stored.preemptionPolicy, stored.globalDefault]).toEqual([1000, 'high priority', 'Never', undefined]);
  });
});
