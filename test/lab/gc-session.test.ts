// A lab session with `cluster: { garbageCollector: true }`: kube-controller-manager's garbage
// collector runs on the session cluster, so kubectl's --cascade policies do in the terminal what
// they do on a real cluster. No ReplicaSet controller runs: the Pods get their ownerReferences by
// hand, with the ReplicaSet's uid read back from the API server (a manifest cannot know it).
import { describe, expect, it } from 'vitest';
import { initialClusterLog, mountLabCluster } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';
import type { TraceEvent } from '../../src/sim/index';

const files = {
  'deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`,
  'rs.yaml': `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`,
  'pods.yaml': `apiVersion: v1
kind: Pod
metadata: { name: web-a, labels: { app: web } }
spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web-b, labels: { app: web } }
spec: { containers: [{ name: web, image: nginx }] }
`,
  'stray.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: stray
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: 00000000-0000-0000-0000-000000000000 }]
spec: { containers: [{ name: web, image: nginx }] }
`,
};

const podNames = `kubectl get pods -o jsonpath='{.items[*].metadata.name}'`;
const ownerNames = `kubectl get pods -o jsonpath='{.items[*].metadata.ownerReferences[*].name}'`;

async function session(garbageCollector = true, seed = 7) {
  const shell = createShell();
  const lines: string[] = [];
  const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
  const gcTraces: (readonly TraceEvent[])[] = [];
  await mountLabCluster({ shell, io, seed, files, apply: ['rs.yaml', 'pods.yaml'], garbageCollector, onGcTrace: (events) => gcTraces.push([...events]) });
  const run = async (line: string) => {
    lines.length = 0;
    const code = await shell.execute(line, io);
    return { code, text: lines.join('\n') };
  };
  /** Makes the ReplicaSet the controller of both Pods, as its controller would (uid read with jsonpath). */
  const own = async () => {
    const uid = (await run(`kubectl get rs web -o jsonpath='{.metadata.uid}'`)).text;
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    const ref = JSON.stringify({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true });
    for (const pod of ['web-a', 'web-b']) expect(await run(`kubectl patch pod ${pod} --type=merge -p '{"metadata":{"ownerReferences":[${ref}]}}'`)).toEqual({ code: 0, text: `pod/${pod} patched` });
    return uid;
  };
  /** Makes the Deployment the controller of the ReplicaSet: Deployment -> ReplicaSet -> Pods. */
  const deployment = async () => {
    expect((await run('kubectl apply -f deploy.yaml')).text).toBe('deployment.apps/web created');
    const uid = (await run(`kubectl get deployment web -o jsonpath='{.metadata.uid}'`)).text;
    const ref = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid, controller: true, blockOwnerDeletion: true });
    expect((await run(`kubectl patch rs web --type=merge -p '{"metadata":{"ownerReferences":[${ref}]}}'`)).text).toBe('replicaset.apps/web patched');
    await own();
  };
  /** Runs a command that waits, presses Ctrl+C once `when()` holds, and returns its exit code and output. */
  const interrupted = async (line: string, when: () => Promise<boolean>) => {
    lines.length = 0;
    const ctrlC = new AbortController();
    let code: number | undefined;
    const running = shell.execute(line, io, { signal: ctrlC.signal }).then((c) => (code = c));
    for (let i = 0; i < 20 && code === undefined && !(await when()); i++) await new Promise((r) => setTimeout(r, 10));
    const before = code;
    ctrlC.abort();
    await running;
    return { stillWaiting: before === undefined, code, text: lines.join('\n') };
  };
  return { run, own, deployment, interrupted, gcTraces };
}

describe('a lab session with the garbage collector', () => {
  it('the Pods name their owner: jsonpath walks ownerReferences across the list', async () => {
    const s = await session();
    const uid = await s.own();
    expect((await s.run(ownerNames)).text).toBe('web web');
    expect((await s.run(`kubectl get pods -o jsonpath='{.items[*].metadata.ownerReferences[*].uid}'`)).text).toBe(`${uid} ${uid}`);
    expect((await s.run(`kubectl get pod web-a -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}'`)).text).toBe('ReplicaSet/web');
  });

  it('background (the default): the ReplicaSet goes at once, then the collector deletes its Pods', async () => {
    const s = await session();
    await s.own();
    expect(await s.run('kubectl delete rs web')).toEqual({ code: 0, text: 'replicaset.apps "web" deleted from default namespace' });
    expect((await s.run('kubectl get rs,pods')).text).toBe('No resources found in default namespace.');
  });

  it('foreground: the ReplicaSet stays Terminating with foregroundDeletion until its Pods are gone', async () => {
    const s = await session();
    await s.own();
    // A finalizer of its own keeps web-a, and so its owner, in the middle of the cascade.
    await s.run(`kubectl patch pod web-a --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}'`);
    expect((await s.run('kubectl delete rs web --cascade=foreground --wait=false')).text).toBe('replicaset.apps "web" deleted from default namespace');
    expect((await s.run(`kubectl get rs web -o jsonpath='{.metadata.finalizers} {.metadata.deletionTimestamp}'`)).text).toMatch(/^\["foregroundDeletion"\] \d{4}-\d\d-\d\dT/);
    // The collector requeues an owner whose dependents are still there: a moment of virtual time lets it go round.
    await s.run('sleep 1s');
    expect((await s.run('kubectl get pods')).text).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\nweb-a +0\/1 +Terminating +0 +\S+$/);
    expect((await s.run(`kubectl get rs web -o jsonpath='{.metadata.finalizers}'`)).text).toBe('["foregroundDeletion"]');
    await s.run(`kubectl patch pod web-a --type=merge -p '{"metadata":{"finalizers":null}}'`);
    await s.run('sleep 1s');
    expect((await s.run('kubectl get rs,pods')).text).toBe('No resources found in default namespace.');
  });

  it('foreground, waiting: kubectl returns once the collector has emptied the ReplicaSet and removed it', async () => {
    const s = await session();
    await s.own();
    expect(await s.run('kubectl delete rs web --cascade=foreground')).toEqual({ code: 0, text: 'replicaset.apps "web" deleted from default namespace' });
    expect((await s.run('kubectl get rs,pods')).text).toBe('No resources found in default namespace.');
  });

  it('the owner graph view is told of the collector after each kubectl command that moved it', async () => {
    const s = await session();
    await s.own();
    const before = s.gcTraces.length;
    await s.run('kubectl get pods');
    await s.run('kubectl delete rs web --cascade=foreground');
    const last = s.gcTraces.at(-1)!;
    expect(s.gcTraces.length).toBeGreaterThan(before);
    expect(last.some((e) => e.type === 'garbagecollector.delete')).toBe(true);
  });

  it('Deployment -> ReplicaSet -> Pods, foreground: kubectl waits while the cascade goes down two levels', async () => {
    const s = await session();
    await s.deployment();
    expect((await s.run(`kubectl get rs -o jsonpath='{.items[*].metadata.ownerReferences[*].kind}'`)).text).toBe('Deployment');
    expect(await s.run('kubectl delete deployment web --cascade=foreground')).toEqual({ code: 0, text: 'deployment.apps "web" deleted from default namespace' });
    expect((await s.run('kubectl get deployments,rs,pods')).text).toBe('No resources found in default namespace.');
  });

  it('Deployment -> ReplicaSet -> Pods, background: the Deployment goes first, the collector takes the rest level by level', async () => {
    const s = await session();
    await s.deployment();
    expect((await s.run('kubectl delete deployment web')).text).toBe('deployment.apps "web" deleted from default namespace');
    await s.run('sleep 1s');
    expect((await s.run('kubectl get deployments,rs,pods')).text).toBe('No resources found in default namespace.');
  });

  it('a cascade held by a finalizer: kubectl waits (the clock stops once nothing is left to run) until Ctrl+C', async () => {
    const s = await session();
    await s.own();
    await s.run(`kubectl patch pod web-a --type=merge -p '{"metadata":{"finalizers":["example.com/hold"]}}'`);
    const r = await s.interrupted('kubectl delete rs web --cascade=foreground', async () => false);
    expect(r).toEqual({ stillWaiting: true, code: 1, text: 'replicaset.apps "web" deleted from default namespace' });
    expect((await s.run(`kubectl get rs web -o jsonpath='{.metadata.finalizers}'`)).text).toBe('["foregroundDeletion"]');
    expect((await s.run(podNames)).text).toBe('web-a');
  });

  it('orphan: the ReplicaSet goes, its Pods stay without ownerReferences', async () => {
    const s = await session();
    await s.own();
    expect(await s.run('kubectl delete rs web --cascade=orphan')).toEqual({ code: 0, text: 'replicaset.apps "web" deleted from default namespace' });
    expect((await s.run('kubectl get rs')).text).toBe('No resources found in default namespace.');
    expect((await s.run(podNames)).text).toBe('web-a web-b');
    expect((await s.run(ownerNames)).text).toBe('');
  });

  it('a Pod whose owner uid does not exist is collected as dangling, even though a ReplicaSet has that name', async () => {
    const s = await session();
    expect((await s.run('kubectl apply -f stray.yaml')).text).toBe('pod/stray created');
    await s.run('sleep 1s');
    expect((await s.run(podNames)).text).toBe('web-a web-b');
  });

  it('without the collector, the cascade is only the owner: its Pods stay with their dangling references', async () => {
    const s = await session(false);
    await s.own();
    await s.run('kubectl delete rs web');
    expect((await s.run(ownerNames)).text).toBe('web web');
  });

  it('the session starts from the same state for the same seed', async () => {
    const setup = { seed: 1234, files, apply: ['rs.yaml', 'pods.yaml', 'stray.yaml'], garbageCollector: true };
    const a = await initialClusterLog(setup);
    expect(await initialClusterLog(setup)).toEqual(a);
    // The stray Pod was created, then collected before the session's state was read.
    const writes = a.changes.flatMap((c) => c.ops.map((op) => `${op.type} ${op.key}`));
    const stray = writes.filter((w) => w.endsWith('/pods/default/stray'));
    expect([stray[0], stray.at(-1)]).toEqual(['put /registry/pods/default/stray', 'delete /registry/pods/default/stray']);
    expect(writes.filter((w) => w.startsWith('delete '))).toEqual(['delete /registry/pods/default/stray']);
  });
});
