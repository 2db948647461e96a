// The clients against the API server model: client-side throttling and its log lines (client-go
// v0.34.0 rest/request.go), typed, dynamic and discovery clients, a ListerWatcher from a client
// under the existing Reflector and shared informer, the SharedInformerFactory through a
// clientset, and RetryOnConflict.
import { describe, expect, it } from 'vitest';
import {
  DefaultRetry,
  Logger,
  StatusError,
  TraceRecorder,
  FakeClock,
  listerWatcherFor,
  newClientset,
  newListWatchFromClient,
  newSharedIndexInformer,
  newSharedInformerFactory,
  retryOnConflict,
  rngFromSeed,
  newEnv,
  type KubeObject,
} from '../../src/sim/index';
import { fixture, pod } from './apiserver-fixture';

describe('client-side throttling (client-go rest/request.go tryThrottleWithInfo)', () => {
  it('QPS 5, burst 10 by default: the 11th request waits 200 ms, the 20th 2 s', async () => {
    const f = fixture();
    const cs = newClientset(f.server, { trace: f.trace });
    const done: number[] = [];
    const all = Array.from({ length: 20 }, () => cs.coreV1().pods('default').list().then(() => done.push(f.clock.now())));
    await f.run(Promise.all(all));
    expect(done.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(done.slice(10)).toEqual([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
  });

  it('logs "Waited before sending request" at V(3) over 50 ms, and at V(2) at most once per second over 1 s', async () => {
    const f = fixture();
    const cs = newClientset(f.server, { trace: f.trace, userAgent: 'controller/v1.34.0' });
    await f.run(Promise.all(Array.from({ length: 20 }, () => cs.coreV1().pods('default').list())));
    const lines = f.trace.ofType('client.log');
    expect(lines.filter((e) => e.v === 3)).toHaveLength(10);
    expect(lines.filter((e) => e.v === 3)[5].message).toBe(
      '"Waited before sending request" delay="1.2s" reason="client-side throttling, not priority and fairness" verb="GET" URL="https://10.0.0.1:6443/api/v1/namespaces/default/pods"',
    );
    const extra = lines.filter((e) => e.v !== 3);
    expect(extra.map((e) => [e.v, e.t])).toEqual([[2, 1200]]);
  });

  it('at -v=0 the extra-long line is logged at V(0), at most once per 10 s', async () => {
    const clock = new FakeClock();
    const trace = new TraceRecorder();
    const env = { ...newEnv({ clock, trace }), log: new Logger(0) };
    const f = fixture({ clock, trace });
    const cs = newClientset(f.server, { env });
    await f.run(Promise.all(Array.from({ length: 30 }, () => cs.coreV1().pods('default').list())));
    const extra = f.trace.ofType('client.log').filter((e) => e.v !== 3);
    expect(extra.map((e) => [e.v, e.t])).toEqual([[0, 1200]]);
  });

  it('a negative QPS turns the limiter off', async () => {
    const f = fixture();
    const cs = newClientset(f.server, { qps: -1 });
    await f.run(Promise.all(Array.from({ length: 50 }, () => cs.coreV1().pods('default').list())));
    expect(f.clock.now()).toBe(0);
  });
});

describe('typed, dynamic and discovery clients', () => {
  it('typed clients create, get, list, update, updateStatus, patch, delete; failures are StatusErrors with the Status body', async () => {
    const { client, run } = fixture();
    const pods = client.coreV1().pods('default');
    const created = await run(pods.create(pod('web')));
    expect(created.metadata.resourceVersion).toBeDefined();
    const list = await run(pods.list({ labelSelector: '' }));
    expect(list.items.map((p) => p.metadata.name)).toEqual(['web']);
    const got = await run(pods.get('web'));
    got.status = { phase: 'Running' };
    const st = await run(pods.updateStatus(got));
    expect((st.status as { phase: string }).phase).toBe('Running');
    const patched = await run(pods.patch('web', 'application/merge-patch+json', { metadata: { labels: { a: 'b' } } }));
    expect(patched.metadata.labels).toEqual({ a: 'b' });
    await run(pods.delete('web'));
    const err = await run(pods.get('web')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError & { status: unknown }).status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "web" not found', reason: 'NotFound', details: { name: 'web', kind: 'pods' }, code: 404 });
  });

  it('the dynamic client reaches any resource by GroupVersionResource', async () => {
    const { client, run } = fixture();
    const deploys = client.dynamic().resource({ group: 'apps', version: 'v1', resource: 'deployments' }).namespace('default');
    await run(deploys.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }));
    const l = await run(deploys.list());
    expect(l.kind).toBe('DeploymentList');
    expect(l.items.map((d) => d.metadata.name)).toEqual(['web']);
  });

  it('discovery lists groups (the legacy group first) and preferred resources', async () => {
    const { client, run } = fixture();
    const groups = await run(client.discovery().serverGroups());
    expect(groups.groups.map((g) => g.name)).toEqual(['', 'apps', 'autoscaling', 'batch', 'policy', 'storage.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io']);
    const preferred = await run(client.discovery().serverPreferredResources());
    expect(preferred.find((r) => r.groupVersion === 'apps/v1')?.resources.map((r) => r.name)).toEqual(['deployments', 'replicasets', 'statefulsets', 'controllerrevisions', 'daemonsets']);
    expect((await run(client.discovery().serverVersion())).gitVersion).toBe('v1.34.0');
  });

  it('a Warning header (unknown field under fieldValidation=Warn) is logged as client-go\'s WarningLogger logs it (ref: rest/warnings.go)', async () => {
    const f = fixture();
    const p = pod('web');
    (p.spec as Record<string, unknown>).foo = 1;
    await f.run(f.client.coreV1().pods('default').create(p));
    const warn = f.trace.ofType('client.log').filter((e) => e.source === 'warnings.go');
    expect(warn.map((e) => [e.v, e.message])).toEqual([[0, '"Warning: unknown field \\"spec.foo\\""']]);
  });

  it('retryOnConflict retries a read-modify-write that lost a race (ref: client-go util/retry TestRetryOnConflict)', async () => {
    const { client, run, clock } = fixture();
    const cms = client.coreV1().configMaps('default');
    await run(cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n: '0' } }));
    let attempts = 0;
    await run(
      retryOnConflict(DefaultRetry, clock, async () => {
        attempts++;
        const cm = await cms.get('c');
        if (attempts === 1) await cms.update({ ...cm, data: { n: 'other' } });
        await cms.update({ ...cm, data: { n: String(Number((cm.data as { n: string }).n === 'other' ? 10 : 0) + 1) } });
      }),
    );
    expect(attempts).toBe(2);
    expect(((await run(cms.get('c'))).data as { n: string }).n).toBe('11');
  });

  it('retryOnConflict waits as wait.ExponentialBackoff does: steps attempts, factor 0 keeps the duration, the cap ends the retries, jitter on each wait only (ref: apimachinery wait/backoff.go delay, TestExponentialBackoff)', async () => {
    const conflict = () => new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'conflict', reason: 'Conflict', code: 409 });
    const exact = async (backoff: Parameters<typeof retryOnConflict>[0], jitter?: () => number) => {
      const clock = new FakeClock();
      const at: number[] = [];
      let settled = false;
      const p = retryOnConflict(backoff, clock, async () => {
        at.push(clock.now());
        throw conflict();
      }, jitter).then(() => 'nil', (e: StatusError) => e.status.reason).finally(() => (settled = true));
      while (!settled) {
        await new Promise<void>((r) => setImmediate(r));
        const next = clock.nextWaiterAt();
        if (next !== undefined) clock.setTime(next);
      }
      return { at, result: await p };
    };
    expect(await exact({ steps: 4, durationMs: 10, factor: 5, jitter: 0 })).toEqual({ at: [0, 10, 60, 310], result: 'Conflict' });
    expect(await exact({ steps: 3, durationMs: 10, factor: 0, jitter: 0 })).toEqual({ at: [0, 10, 20], result: 'Conflict' });
    // cap reached on the second wait: Steps becomes 0, so no attempt follows that wait
    expect(await exact({ steps: 6, durationMs: 10, factor: 2, jitter: 0, capMs: 30 })).toEqual({ at: [0, 10], result: 'Conflict' });
    expect(await exact({ steps: 3, durationMs: 10, factor: 1, jitter: 0.1 }, () => 0.5)).toEqual({ at: [0, 10.5, 21], result: 'Conflict' });
    expect(await exact({ steps: 0, durationMs: 10, factor: 1, jitter: 0 })).toEqual({ at: [], result: 'nil' });
  });
});

describe('informers over the API server', () => {
  it('a shared informer over newListWatchFromClient sees every change, and relists after a watch drop (ref: client-go tools/cache listwatch.go NewListWatchFromClient)', async () => {
    const f = fixture();
    const pods = f.client.coreV1().pods('default');
    await f.run(pods.create(pod('a')));
    const inf = newSharedIndexInformer(newListWatchFromClient(f.client.coreV1().restClient, 'pods', 'default'), { clock: f.clock, rng: rngFromSeed(3), trace: f.trace });
    const seen: string[] = [];
    inf.addEventHandler({
      addFunc: (o: KubeObject) => void seen.push(`add ${o.metadata.name}`),
      updateFunc: (_o: KubeObject, n: KubeObject) => void seen.push(`update ${n.metadata.name}`),
      deleteFunc: (o) => void seen.push(`delete ${(o as KubeObject).metadata.name}`),
    });
    void inf.run();
    await f.run(new Promise<void>((r) => setImmediate(r)), 1000);
    await f.run(pods.create(pod('b')));
    f.server.dropWatches();
    await f.run(pods.delete('a'));
    await f.run(new Promise<void>((r) => setImmediate(r)), 5000);
    expect(seen).toEqual(['add a', 'add b', 'update a', 'delete a']);
    expect(inf.getStore().listKeys()).toEqual(['default/b']);
    inf.stop();
  });

  it('the SharedInformerFactory builds its informers through the clientset (listerWatcherFor)', async () => {
    const f = fixture();
    await f.run(f.client.coreV1().pods('default').create(pod('a')));
    await f.run(f.client.appsV1().deployments('default').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }));
    const factory = newSharedInformerFactory(listerWatcherFor(f.client), 0, { clock: f.clock, rng: rngFromSeed(4), trace: f.trace });
    const podsInf = factory.forResource('pods');
    const deployInf = factory.forResource({ group: 'apps', version: 'v1', resource: 'deployments' });
    factory.start();
    const synced = await f.run(factory.waitForCacheSync(), 5000);
    expect(Object.values(synced).every(Boolean)).toBe(true);
    expect(podsInf.lister().byNamespace('default').list().map((p) => p.metadata.name)).toEqual(['a']);
    expect(deployInf.lister().byNamespace('default').get('d').metadata.name).toBe('d');
    await f.run(factory.shutdown(), 1000);
  });
});
