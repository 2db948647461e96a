// The path view over a real lab session (controller manager, scheduler, two kubelet nodes): one
// `kubectl apply -f` of a 3-replica Deployment, read back as a sequence diagram of the start page's
// eight steps, then a second apply (a new image) as a second path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mountLabCluster } from '../../../lab/lab-cluster';
import { createShell, type ShellIO } from '../../../lab/shell/index';
import type { TraceEvent } from '../../../sim/index';
import { pathMarkup, pathRows } from './diagram';
import { actorOf, parseUri, pathRuns, runAt, stepStarts, type PathRun } from './state';
import { STEPS, type StepNo } from './steps';

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: ${image}
`;

/** The session of the lab page: apply, wait for the rollout, apply a new image, wait again. */
async function session() {
  const shell = createShell();
  let trace: readonly TraceEvent[] = [];
  const io: ShellIO = { print: () => {}, error: (t) => console.error(t), clear: () => {} };
  await mountLabCluster({ shell, io, seed: 1, files: { 'deployment.yaml': deployment('nginx:1.27'), 'deployment-v2.yaml': deployment('nginx:1.28') }, apply: [], scheduler: true, controllers: true, nodes: 2, onClusterTrace: (e) => (trace = e) });
  await shell.execute('kubectl apply -f deployment.yaml', io);
  await shell.execute('kubectl rollout status deployment/web', io);
  const first = [...trace];
  await shell.execute('kubectl apply -f deployment-v2.yaml', io);
  await shell.execute('kubectl rollout status deployment/web', io);
  return { first, all: [...trace] };
}
let cached: ReturnType<typeof session> | undefined;
const traces = () => (cached ??= session());

/** Per pod, the index of its first member in the rows matching `test`. */
function memberIndex(run: PathRun, test: (label: string) => boolean): Map<string, number> {
  const at = new Map<string, number>();
  for (const m of run.messages) if (test(m.label)) m.objects.forEach((o, k) => at.has(o) || at.set(o, m.indices[k]));
  return at;
}

describe('path view: the eight steps of one kubectl apply', () => {
  it('one path for default/web: lifelines for each component and a kubelet and containerd per node that got pods', async () => {
    const { first } = await traces();
    const runs = pathRuns(first);
    expect(runs.map((r) => r.deployment)).toEqual(['default/web']);
    const run = runs[0];
    const nodes = [...new Set(first.filter((e) => e.type === 'scheduler.bind').map((e) => String(e.node)))].sort();
    expect(nodes).toEqual(['node-1', 'node-2']);
    expect(run.lifelines.map((l) => l.id)).toEqual(['kubectl', 'apiserver', 'etcd', 'deployment', 'replicaset', 'scheduler', ...nodes.flatMap((n) => [`kubelet:${n}`, `containerd:${n}`])]);
  }, 20_000);

  it('every step appears, 1 to 7 in causal order, and each pod goes create → bind → ADD → sandbox → start → Running', async () => {
    const { first } = await traces();
    const run = pathRuns(first)[0];
    const starts = stepStarts(run);
    expect([...starts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let s = 2; s <= 7; s++) expect(starts.get(s as StepNo)!).toBeGreaterThanOrEqual(starts.get((s - 1) as StepNo)!);
    // Step 8 starts with the kubelet's first status write (phase Pending, before any container): the
    // kubelet reports a pod it has accepted at once, as upstream's status manager does.
    const first8 = run.messages.find((m) => m.step === 8)!;
    expect(first8.label).toBe('PATCH pods/status (Pending)');
    const chain = [
      memberIndex(run, (l) => l === 'POST pods'),
      memberIndex(run, (l) => l.startsWith('POST pods/binding')),
      memberIndex(run, (l) => l === 'watch: Pod ADD'),
      memberIndex(run, (l) => l === 'RunPodSandbox'),
      memberIndex(run, (l) => l === 'StartContainer nginx'),
      memberIndex(run, (l) => l === 'PATCH pods/status (Running)'),
    ];
    expect(chain[0].size).toBe(3);
    for (const pod of chain[0].keys()) {
      const at = chain.map((m) => m.get(pod));
      expect(at.every((i) => i !== undefined), `${pod}: ${at.join(', ')}`).toBe(true);
      for (let k = 1; k < at.length; k++) expect(at[k]!, `${pod} link ${k}`).toBeGreaterThan(at[k - 1]!);
    }
    // The ReplicaSet counts its ready pods last, and the Deployment's status follows it.
    const rsStatus = run.messages.filter((m) => m.label.startsWith('PUT replicasets/status'));
    expect(rsStatus.at(-1)).toMatchObject({ step: 8, label: 'PUT replicasets/status (3 pods, 3 ready)' });
    expect(rsStatus[0]).toMatchObject({ step: 4 });
    // Each row links the upstream function that sends it, at the pinned tag.
    for (const m of run.messages) expect(m.source.href).toMatch(/^https:\/\/github\.com\/kubernetes\/(kubernetes\/blob\/v1\.34\.0|kubectl\/blob\/v0\.34\.0|apiserver\/blob\/v0\.34\.0)\//);
    expect(rsStatus[0].source.label).toBe('replica_set_utils.go · updateReplicaSetStatus');
    expect(run.messages.find((m) => m.label === 'POST pods')!.source.label).toBe('replica_set.go · manageReplicas');
    expect(run.messages.find((m) => m.label === 'watch: Pod ADD')!.source.label).toBe('kubelet.go · syncLoopIteration');
  }, 20_000);

  it('steps 1 and 2: kubectl POSTs the Deployment, the API server stores its key in etcd and answers 201', async () => {
    const { first } = await traces();
    const run = pathRuns(first)[0];
    const [a, b, c] = run.messages;
    expect(a).toMatchObject({ step: 1, from: 'kubectl', to: 'apiserver', label: 'POST deployments', objects: ['default/web'] });
    expect(b).toMatchObject({ step: 2, from: 'apiserver', to: 'etcd', objects: ['default/web'] });
    expect(b.label).toMatch(/^put \/registry\/deployments\/default\/web \(rev \d+\)$/);
    expect(c).toMatchObject({ step: 2, from: 'apiserver', to: 'kubectl', label: '201 Created', kind: 'reply' });
    expect(run.messages.find((m) => m.step === 3 && m.kind === 'request')).toMatchObject({ from: 'deployment', label: 'POST replicasets' });
  }, 20_000);

  it('alike messages are grouped: three pod creates are one row, bindings one row per node', async () => {
    const { first } = await traces();
    const run = pathRuns(first)[0];
    const creates = run.messages.filter((m) => m.label === 'POST pods');
    expect(creates).toHaveLength(1);
    expect(creates[0].objects).toHaveLength(3);
    const binds = run.messages.filter((m) => m.label.startsWith('POST pods/binding'));
    expect(binds.map((m) => m.label).sort()).toEqual(['POST pods/binding → node-1', 'POST pods/binding → node-2']);
    expect(binds.reduce((n, m) => n + m.objects.length, 0)).toBe(3);
    expect(run.messages.length).toBeLessThan(45);
    // Rows are ordered by their first message, so the rows the cursor reached are a prefix.
    for (let k = 1; k < run.messages.length; k++) expect(run.messages[k].indices[0]).toBeGreaterThanOrEqual(run.messages[k - 1].indices[0]);
  }, 20_000);

  it('the cursor marks the rows reached, one current row, and the steps reached in the legend', async () => {
    const { first } = await traces();
    const run = pathRuns(first)[0];
    const bind = run.messages.find((m) => m.step === 5 && m.kind === 'request')!;
    const cursor = bind.indices[0] + 1;
    const rows = pathRows(run, cursor);
    const states = rows.map((r) => r.state);
    const firstPending = states.indexOf('pending');
    expect(firstPending).toBeGreaterThan(0);
    // A row starts when its first member is reached: the rows reached come first.
    expect(states.slice(firstPending).some((s) => s !== 'pending')).toBe(false);
    expect(rows.filter((r) => r.current)).toHaveLength(1);
    expect(rows.find((r) => r.current)!.message).toBe(bind);
    const html = pathMarkup(first, [run], 0, cursor);
    expect(html.match(/aria-current="step"/g)).toHaveLength(1);
    expect(html.match(/class="kl-pa-step [^"]*is-reached/g)).toHaveLength(5);
    expect(html).toContain('5 of 8 steps reached');
    const end = pathMarkup(first, [run], 0, first.length);
    expect(end.match(/class="kl-pa-step [^"]*is-reached/g)).toHaveLength(8);
    expect(end).toMatch(/role="status"><b>\d\. /);
    // Arrows run between the two lifelines' lanes; left-pointing ones for replies and the API server's notifications.
    const reply = pathRows(run, first.length).find((r) => r.message.kind === 'reply' && r.message.step === 2)!;
    expect(reply).toMatchObject({ pointsLeft: true, left: 5, width: 10 });
  }, 20_000);

  it('a second apply (a new image) is a second path; the view shows the one begun last before the cursor', async () => {
    const { first, all } = await traces();
    const runs = pathRuns(all);
    expect(runs.map((r) => r.deployment)).toEqual(['default/web', 'default/web']);
    const [one, two] = runs;
    expect(two.messages[0]).toMatchObject({ step: 1, label: 'PATCH deployments' });
    expect(two.messages[1]).toMatchObject({ step: 2, to: 'etcd', source: { label: 'store.go · Store.Update' } });
    expect(two.messages.some((m) => m.step === 3 && m.label === 'POST replicasets')).toBe(true);
    // The rollout scales the old ReplicaSet down: its pods are deleted by the ReplicaSet controller.
    expect(two.messages.some((m) => m.step === 4 && m.label === 'DELETE pods')).toBe(true);
    expect(one.messages.length).toBe(pathRuns(first)[0].messages.length);
    expect(runAt(runs, all.length)).toBe(1);
    expect(runAt(runs, two.start)).toBe(0);
    expect(runAt(runs, 0)).toBe(0);
  }, 20_000);
});

describe('the session trace the view reads (src/lab/lab-cluster.ts)', () => {
  it("carries the API server's writes of Deployments, ReplicaSets and Pods, etcd's puts of their keys, and the scheduler's events: no reads, watches or other keys", async () => {
    const { first } = await traces();
    const requests = first.filter((e) => e.component === 'apiserver');
    expect(requests.length).toBeGreaterThan(10);
    for (const e of requests) {
      expect(e.type).toBe('apiserver.request');
      expect(['POST', 'PUT', 'PATCH', 'DELETE']).toContain(e.verb);
      expect(String(e.uri)).toMatch(/\/(deployments|replicasets|pods)(\/|\?|$)/);
    }
    const puts = first.filter((e) => e.component === 'etcd');
    expect(puts.length).toBeGreaterThan(10);
    for (const e of puts) expect(e).toMatchObject({ type: 'etcd.put', key: expect.stringMatching(/^\/registry\/(deployments|replicasets|pods)\//) });
    expect(first.filter((e) => e.type === 'scheduler.bind')).toHaveLength(3);
  }, 20_000);
});

describe('path view: reading requests', () => {
  it.each([
    ['kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9', 'kubectl'],
    ['kube-controller-manager/v1.34.0 (deployment-controller)', 'deployment'],
    ['kube-controller-manager/v1.34.0 (replicaset-controller)', 'replicaset'],
    ['kube-scheduler/v1.34.0', 'scheduler'],
    ['kubelet/v1.34.0 (linux/amd64) node-2', 'kubelet:node-2'],
    ['metrics-server/v0.8.0', undefined],
  ])('User-Agent %s is %s', (ua, actor) => expect(actorOf(ua)).toBe(actor));

  it.each([
    ['/apis/apps/v1/namespaces/default/deployments', { ns: 'default', resource: 'deployments', name: '', sub: '' }],
    ['/apis/apps/v1/namespaces/default/deployments/web/status?fieldManager=x', { ns: 'default', resource: 'deployments', name: 'web', sub: 'status' }],
    ['/api/v1/namespaces/shop/pods/web-1/binding', { ns: 'shop', resource: 'pods', name: 'web-1', sub: 'binding' }],
  ])('%s', (uri, want) => expect(parseUri(uri)).toEqual(want));

  it('says so without a Deployment', () => {
    expect(pathMarkup([], [], 0, 0)).toMatch(/Apply a Deployment/);
    const other: TraceEvent[] = [{ t: 0, seq: 0, component: 'x', type: 'x.y' }];
    expect(pathMarkup(other, pathRuns(other), 0, 1)).toMatch(/No Deployment in this trace/);
  });
});

describe('path view: the steps and the start page', () => {
  it('each step links upstream at the pinned tags, and the start page links the same functions', () => {
    const page = readFileSync('content/start/deployment-to-pods.mdx', 'utf8');
    expect(STEPS.map((s) => s.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const s of STEPS) {
      expect(page).toContain(`**${s.title.replace(/\.$/, '')}`);
      for (const l of s.links) {
        expect(l.href).toMatch(/^https:\/\/github\.com\/kubernetes\/(kubernetes\/blob\/v1\.34\.0|kubectl\/blob\/v0\.34\.0|apiserver\/blob\/v0\.34\.0)\/[\w/.-]+\.go$/);
        expect(page, `${s.n}: ${l.href}`).toContain(l.href);
      }
    }
  });
});
