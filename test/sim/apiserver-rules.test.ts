// One test per rule of the API server, driven through its REST surface (the RestTransport), each
// naming the upstream test it follows (kubernetes/apiserver v0.34.0 unless said otherwise).
import { describe, expect, it } from 'vitest';
import { FakeClock, decodeContinue, encodeContinue, newEnv, newEtcd, runUntilIdle, type KubeObject, type WatchEventJson } from '../../src/sim/index';
import { deployment, fixture, pod, statusOf } from './apiserver-fixture';

const PODS = '/api/v1/namespaces/default/pods';
const create = (f: ReturnType<typeof fixture>, o: KubeObject, path = PODS) => f.req({ verb: 'POST', path, body: o });
const body = (r: { body: unknown }) => r.body as KubeObject & { items?: KubeObject[]; metadata: KubeObject['metadata'] & { continue?: string; remainingItemCount?: number } };

async function drain(stream: { next(): Promise<WatchEventJson | undefined> }, n: number): Promise<WatchEventJson[]> {
  const out: WatchEventJson[] = [];
  for (let i = 0; i < n; i++) {
    const e = await stream.next();
    if (!e) break;
    out.push(e);
  }
  return out;
}

describe('objects: identity, resourceVersion and generation', () => {
  it('create fills uid, creationTimestamp, resourceVersion (the etcd revision) and generation 1 for a Pod (ref: TestStoreCreate, pod strategy PrepareForCreate)', async () => {
    const f = fixture();
    const r = await create(f, pod('web'));
    expect(r.code).toBe(201);
    const o = body(r);
    expect(o.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(o.metadata.creationTimestamp).toBe('1970-01-01T00:00:00Z');
    expect(o.metadata.generation).toBe(1);
    expect(Number(o.metadata.resourceVersion)).toBe((f.server.etcd as unknown as { revision: number }).revision);
    expect((o.status as { phase: string; qosClass: string })).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('only spec changes bump generation; every change moves resourceVersion (ref: deployment TestStatusUpdates, TestDeploymentStrategy)', async () => {
    const f = fixture();
    const d0 = body(await create(f, deployment('web'), '/apis/apps/v1/namespaces/default/deployments'));
    expect(d0.metadata.generation).toBe(1);
    const path = '/apis/apps/v1/namespaces/default/deployments/web';
    const label = body(await f.req({ verb: 'PATCH', path, contentType: 'application/merge-patch+json', body: { metadata: { labels: { tier: 'web' } } } }));
    expect(label.metadata.generation).toBe(1);
    expect(Number(label.metadata.resourceVersion)).toBeGreaterThan(Number(d0.metadata.resourceVersion));
    const status = body(await f.req({ verb: 'PATCH', path: path + '/status', contentType: 'application/merge-patch+json', body: { status: { replicas: 1, observedGeneration: 1 } } }));
    expect(status.metadata.generation).toBe(1);
    expect((status.status as { replicas: number }).replicas).toBe(1);
    const spec = body(await f.req({ verb: 'PATCH', path, contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } } }));
    expect(spec.metadata.generation).toBe(2);
    // an annotation change bumps a Deployment's generation too
    const ann = body(await f.req({ verb: 'PATCH', path, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { a: 'b' } } } }));
    expect(ann.metadata.generation).toBe(3);
  });

  it('a no-op update writes nothing: the resourceVersion stays (ref: TestNoOpUpdates, RunTestGuaranteedUpdate)', async () => {
    const f = fixture();
    const p = body(await create(f, pod('web')));
    const again = body(await f.req({ verb: 'PUT', path: `${PODS}/web`, body: p }));
    expect(again.metadata.resourceVersion).toBe(p.metadata.resourceVersion);
  });

  it('the status subresource ignores spec changes and the main resource ignores status changes (ref: podStatusStrategy.PrepareForUpdate)', async () => {
    const f = fixture();
    const p = body(await create(f, pod('web')));
    const viaMain = body(await f.req({ verb: 'PUT', path: `${PODS}/web`, body: { ...p, status: { phase: 'Running' } } }));
    expect((viaMain.status as { phase: string }).phase).toBe('Pending');
    const viaStatus = body(await f.req({ verb: 'PUT', path: `${PODS}/web/status`, body: { ...viaMain, spec: { ...(viaMain.spec as object), activeDeadlineSeconds: 5 }, status: { phase: 'Running' } } }));
    expect((viaStatus.status as { phase: string }).phase).toBe('Running');
    expect((viaStatus.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds).toBeUndefined();
    expect(viaStatus.metadata.generation).toBe(1);
  });

  it('generateName gets a 5-character suffix without vowels (ref: TestStoreCreateWithRetryNameGenerate, names.SimpleNameGenerator)', async () => {
    const f = fixture();
    const o = body(await create(f, { ...pod(''), metadata: { generateName: 'web-' } }));
    expect(o.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('errors: code, reason and wording', () => {
  it('409 AlreadyExists on a second create (ref: RunTestCreateWithKeyExist)', async () => {
    const f = fixture();
    await create(f, pod('web'));
    const r = await create(f, pod('web'));
    expect(r.code).toBe(409);
    expect(statusOf(r.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', message: 'pods "web" already exists', details: { name: 'web', kind: 'pods' }, code: 409 });
    expect(statusOf(r.body).details).not.toHaveProperty('group'); // omitempty, as Go writes it
  });

  it('409 Conflict on a stale resourceVersion, and nothing changes (ref: TestStoreUpdate, RunTestGuaranteedUpdateWithConflict)', async () => {
    const f = fixture();
    const p = body(await create(f, pod('web')));
    const fresh = body(await f.req({ verb: 'PATCH', path: `${PODS}/web`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { a: '1' } } } }));
    const r = await f.req({ verb: 'PUT', path: `${PODS}/web`, body: { ...p, metadata: { ...p.metadata, labels: { a: '2' } } } });
    expect(r.code).toBe(409);
    expect(statusOf(r.body)).toMatchObject({ reason: 'Conflict', message: 'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again' });
    const now = body(await f.req({ verb: 'GET', path: `${PODS}/web` }));
    expect(now.metadata.resourceVersion).toBe(fresh.metadata.resourceVersion);
    expect(now.metadata.labels).toEqual({ a: '1' });
  });

  it('422 Invalid with field paths and RFC 1123 wording; nothing is stored (ref: ValidateObjectMeta, ValidatePodCreate)', async () => {
    const f = fixture();
    const r = await create(f, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Web_1' }, spec: { containers: [{ name: 'c' }] } });
    expect(r.code).toBe(422);
    const s = statusOf(r.body);
    expect(s.reason).toBe('Invalid');
    expect(s.details?.causes?.map((c) => c.field)).toEqual(['metadata.name', 'spec.containers[0].image']);
    expect(s.message).toBe(
      `Pod "Web_1" is invalid: [metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.containers[0].image: Required value]`,
    );
    const l = body(await f.req({ verb: 'GET', path: PODS }));
    expect(l.items).toEqual([]);
  });

  it('422 for a missing name and a Deployment whose selector does not match its template (ref: ValidateDeploymentSpec)', async () => {
    const f = fixture();
    const noName = await create(f, { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, '/api/v1/namespaces/default/configmaps');
    expect(statusOf(noName.body).message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    const d = deployment('web');
    (d.spec as { template: { metadata: { labels: object } } }).template.metadata.labels = { app: 'other' };
    const r = await create(f, d, '/apis/apps/v1/namespaces/default/deployments');
    expect(statusOf(r.body).message).toBe('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`');
  });

  it('404 NotFound for a missing object and for a path nothing serves', async () => {
    const f = fixture();
    const r = await f.req({ verb: 'GET', path: `${PODS}/nope` });
    expect(statusOf(r.body)).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' } });
    const p = await f.req({ verb: 'GET', path: '/api/v1/namespaces/default/widgets' });
    expect(statusOf(p.body)).toMatchObject({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
  });

  it('405 for DELETE of the namespaces collection, which namespaces do not serve (deletecollection is not in their verbs); nothing is deleted (ref: installer.go registerResourceHandlers)', async () => {
    const f = fixture();
    await f.req({ verb: 'GET', path: '/api/v1/namespaces' });
    const r = await f.req({ verb: 'DELETE', path: '/api/v1/namespaces' });
    expect(statusOf(r.body)).toMatchObject({ code: 405, reason: 'MethodNotAllowed' });
    const names = (body(await f.req({ verb: 'GET', path: '/api/v1/namespaces' })).items ?? []).map((n) => n.metadata.name);
    expect(names).toContain('default');
    const cms = await f.req({ verb: 'DELETE', path: '/api/v1/namespaces/default/configmaps' });
    expect(cms.code).toBe(200);
  });

  it('400 for an unknown field with fieldValidation=Strict, a warning with the default (Warn) (ref: TestFieldValidation)', async () => {
    const f = fixture();
    const bad = { ...pod('web'), spec: { containers: [{ name: 'c', image: 'nginx', imagee: 'x' }] } };
    const strict = await f.req({ verb: 'POST', path: PODS, query: { fieldValidation: 'Strict' }, body: bad });
    expect(statusOf(strict.body)).toMatchObject({ code: 400, reason: 'BadRequest', message: 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"' });
    const warn = await f.req({ verb: 'POST', path: PODS, body: bad });
    expect(warn.code).toBe(201);
    expect((warn as { warnings?: string[] }).warnings).toEqual(['unknown field "spec.containers[0].imagee"']);
  });

  it('400 for a value of the wrong JSON type, worded as encoding/json words it', async () => {
    const f = fixture();
    const d = deployment('web');
    (d.spec as Record<string, unknown>).replicas = 'three';
    const r = await create(f, d, '/apis/apps/v1/namespaces/default/deployments');
    expect(statusOf(r.body).message).toBe('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  });

  it('404 for content in a namespace that does not exist, 403 while it terminates (ref: NamespaceLifecycle admission)', async () => {
    const f = fixture();
    const r = await create(f, pod('web'), '/api/v1/namespaces/ghost/pods');
    expect(statusOf(r.body)).toMatchObject({ code: 404, message: 'namespaces "ghost" not found' });
    await create(f, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, '/api/v1/namespaces');
    const del = await f.req({ verb: 'DELETE', path: '/api/v1/namespaces/team' });
    expect((body(del).status as { phase: string }).phase).toBe('Terminating');
    const r2 = await create(f, pod('web'), '/api/v1/namespaces/team/pods');
    expect(statusOf(r2.body)).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "web" is forbidden: unable to create new content in namespace team because it is being terminated' });
  });
});

describe('deletion: graceful pods, finalizers, deletionTimestamp', () => {
  it('a scheduled pod is deleted gracefully: deletionTimestamp and deletionGracePeriodSeconds, then gone with grace 0 (ref: podStrategy.CheckGracefulDelete, TestBeforeDelete)', async () => {
    const f = fixture();
    await create(f, pod('web', { spec: { nodeName: 'node-1' } }));
    f.clock.step(10_000);
    const r = await f.req({ verb: 'DELETE', path: `${PODS}/web` });
    const o = body(r);
    expect(o.metadata.deletionTimestamp).toBe('1970-01-01T00:00:40Z');
    expect(o.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(o.metadata.generation).toBe(2);
    expect((await f.req({ verb: 'GET', path: `${PODS}/web` })).code).toBe(200);
    await f.req({ verb: 'DELETE', path: `${PODS}/web`, body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 } });
    expect((await f.req({ verb: 'GET', path: `${PODS}/web` })).code).toBe(404);
  });

  it('an object with finalizers is only marked; removing the last finalizer deletes it (ref: TestGracefulStoreHandleFinalizers, TestNonGracefulStoreHandleFinalizers)', async () => {
    const f = fixture();
    const path = '/api/v1/namespaces/default/configmaps';
    await create(f, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', finalizers: ['example.com/keep'] } }, path);
    const del = await f.req({ verb: 'DELETE', path: `${path}/cfg` });
    expect(statusOf(del.body)).toMatchObject({ status: 'Success', details: { name: 'cfg', kind: 'configmaps' } });
    const marked = body(await f.req({ verb: 'GET', path: `${path}/cfg` }));
    expect(marked.metadata.deletionTimestamp).toBe('1970-01-01T00:00:00Z');
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0);
    // no new finalizers once deleting
    const add = await f.req({ verb: 'PATCH', path: `${path}/cfg`, contentType: 'application/merge-patch+json', body: { metadata: { finalizers: ['example.com/keep', 'example.com/more'] } } });
    expect(statusOf(add.body).message).toContain('metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/more"}');
    await f.req({ verb: 'PATCH', path: `${path}/cfg`, contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
    expect((await f.req({ verb: 'GET', path: `${path}/cfg` })).code).toBe(404);
  });

  it('a watch sees the delete of an object with finalizers as MODIFIED, and the update that empties them as DELETED of the last stored object (ref: Store.Delete, ShouldDeleteDuringUpdate, deleteWithoutFinalizers)', async () => {
    const f = fixture();
    const path = '/api/v1/namespaces/default/configmaps';
    const made = body(await create(f, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', finalizers: ['example.com/a', 'example.com/b'] } }, path));
    const w = await f.run(f.server.watch({ verb: 'GET', path, query: { watch: 'true', resourceVersion: made.metadata.resourceVersion as string } }));
    await f.req({ verb: 'DELETE', path: `${path}/cfg` });
    const marked = body(await f.req({ verb: 'GET', path: `${path}/cfg` }));
    await f.req({ verb: 'PUT', path: `${path}/cfg`, body: { ...marked, metadata: { ...marked.metadata, finalizers: ['example.com/b'] } } });
    const last = body(await f.req({ verb: 'GET', path: `${path}/cfg` }));
    const emptied = await f.req({ verb: 'PUT', path: `${path}/cfg`, body: { ...last, metadata: { ...last.metadata, finalizers: [] } } });
    // the update is answered with the object it would have written; nothing with [] reaches etcd
    expect(emptied.code).toBe(200);
    expect(body(emptied).metadata.finalizers ?? []).toEqual([]);
    const events = await f.run(drain(w.stream!, 3));
    expect(events.map((e) => [e.type, (e.object as KubeObject).metadata.finalizers, (e.object as KubeObject).metadata.deletionGracePeriodSeconds])).toEqual([
      ['MODIFIED', ['example.com/a', 'example.com/b'], 0],
      ['MODIFIED', ['example.com/b'], 0],
      ['DELETED', ['example.com/b'], 0],
    ]);
    expect(Number((events[2].object as KubeObject).metadata.resourceVersion)).toBeGreaterThan(Number(last.metadata.resourceVersion));
  });

  it('propagationPolicy=Foreground adds the foregroundDeletion finalizer (ref: TestStoreDeletionPropagation)', async () => {
    const f = fixture();
    await create(f, deployment('web'), '/apis/apps/v1/namespaces/default/deployments');
    await f.req({ verb: 'DELETE', path: '/apis/apps/v1/namespaces/default/deployments/web', body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' } });
    const d = body(await f.req({ verb: 'GET', path: '/apis/apps/v1/namespaces/default/deployments/web' }));
    expect(d.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(d.metadata.deletionTimestamp).toBeDefined();
  });

  it('a delete precondition that does not match is a 409 (ref: TestBeforeDelete)', async () => {
    const f = fixture();
    await create(f, pod('web'));
    const r = await f.req({ verb: 'DELETE', path: `${PODS}/web`, body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } } });
    expect(statusOf(r.body).message).toMatch(/^Operation cannot be fulfilled on Pod "web": the ResourceVersion in the precondition \(1\) does not match the ResourceVersion in record \(\d+\)\. The object might have been modified$/);
  });
});

describe('lists: selectors, pagination, resourceVersion semantics', () => {
  async function seed(f: ReturnType<typeof fixture>, n: number) {
    for (let i = 0; i < n; i++) await create(f, pod(`p${i}`, { metadata: { labels: { app: i % 2 === 0 ? 'even' : 'odd' } }, spec: i < 2 ? { nodeName: 'node-1' } : {} }));
  }

  it('label and field selectors, and the field labels each kind supports (ref: TestStoreList, pod ToSelectableFields)', async () => {
    const f = fixture();
    await seed(f, 5);
    const even = body(await f.req({ verb: 'GET', path: PODS, query: { labelSelector: 'app=even' } }));
    expect(even.items?.map((p) => p.metadata.name)).toEqual(['p0', 'p2', 'p4']);
    const set = body(await f.req({ verb: 'GET', path: PODS, query: { labelSelector: 'app in (odd),app notin (even)' } }));
    expect(set.items?.map((p) => p.metadata.name)).toEqual(['p1', 'p3']);
    const onNode = body(await f.req({ verb: 'GET', path: PODS, query: { fieldSelector: 'spec.nodeName=node-1' } }));
    expect(onNode.items?.map((p) => p.metadata.name)).toEqual(['p0', 'p1']);
    const bad = await f.req({ verb: 'GET', path: PODS, query: { fieldSelector: 'spec.image=nginx' } });
    expect(statusOf(bad.body)).toMatchObject({ code: 400, message: 'field label not supported: spec.image' });
    const badCm = await f.req({ verb: 'GET', path: '/api/v1/namespaces/default/configmaps', query: { fieldSelector: 'data.x=y' } });
    expect(statusOf(badCm.body).message).toBe('"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('limit and continue page in key order at one resourceVersion, with remainingItemCount (ref: RunTestListContinuation, TestListPaging)', async () => {
    const f = fixture();
    await seed(f, 5);
    const p1 = body(await f.req({ verb: 'GET', path: PODS, query: { limit: '2' } }));
    expect(p1.items?.map((p) => p.metadata.name)).toEqual(['p0', 'p1']);
    expect(p1.metadata.remainingItemCount).toBe(3);
    expect(decodeContinue(p1.metadata.continue as string, '/registry/pods/default/')).toEqual({ fromKey: '/registry/pods/default/p1\u0000', rv: Number(p1.metadata.resourceVersion) });
    await create(f, pod('p10'));
    const p2 = body(await f.req({ verb: 'GET', path: PODS, query: { limit: '2', continue: p1.metadata.continue as string } }));
    expect(p2.items?.map((p) => p.metadata.name)).toEqual(['p2', 'p3']);
    expect(p2.metadata.resourceVersion).toBe(p1.metadata.resourceVersion);
    const p3 = body(await f.req({ verb: 'GET', path: PODS, query: { limit: '2', continue: p2.metadata.continue as string } }));
    expect(p3.items?.map((p) => p.metadata.name)).toEqual(['p4']);
    expect(p3.metadata.continue).toBeUndefined();
  });

  it('a bad continue token and resourceVersion with continue are 400s (ref: Test_decodeContinue, ValidateListOptions)', async () => {
    const f = fixture();
    const r = await f.req({ verb: 'GET', path: PODS, query: { continue: 'bad' } });
    expect(statusOf(r.body).message).toBe("invalid continue token: continue key is not valid: invalid character 'm' looking for beginning of value");
    const tok = encodeContinue('/registry/pods/default/a', '/registry/pods/default/', 5);
    const r2 = await f.req({ verb: 'GET', path: PODS, query: { continue: tok, resourceVersion: '5' } });
    expect(statusOf(r2.body).message).toBe('specifying resource version is not allowed when using continue');
    const r3 = await f.req({ verb: 'GET', path: PODS, query: { resourceVersionMatch: 'Exact' } });
    expect(statusOf(r3.body)).toMatchObject({ code: 422, message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided' });
  });

  it('resourceVersion "" is a consistent read served from the cache once it caught up with etcd; "0" is any state; Exact reads the past (ref: TestShouldDelegateList, TestConsistentReadFallback, TestListResourceVersionMatch)', async () => {
    const f = fixture();
    await seed(f, 3);
    const consistent = body(await f.req({ verb: 'GET', path: PODS }));
    const rv = Number(consistent.metadata.resourceVersion);
    expect(rv).toBe((f.server.etcd as unknown as { revision: number }).revision);
    const lists = f.trace.ofType('apiserver.list');
    expect(lists[lists.length - 1]).toMatchObject({ source: 'cache', why: 'consistent read' });
    await f.req({ verb: 'DELETE', path: `${PODS}/p2` });
    const any = body(await f.req({ verb: 'GET', path: PODS, query: { resourceVersion: '0' } }));
    expect(any.items?.length).toBe(2);
    const exact = body(await f.req({ verb: 'GET', path: PODS, query: { resourceVersion: String(rv), resourceVersionMatch: 'Exact' } }));
    expect(exact.items?.map((p) => p.metadata.name)).toEqual(['p0', 'p1', 'p2']);
    expect(exact.metadata.resourceVersion).toBe(String(rv));
    const notOlder = await f.req({ verb: 'GET', path: PODS, query: { resourceVersion: String(rv + 1000), resourceVersionMatch: 'NotOlderThan' } });
    expect(statusOf(notOlder.body)).toMatchObject({ code: 504, reason: 'Timeout', message: expect.stringMatching(/^Timeout: Too large resource version: \d+, current: \d+$/), details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 } });
  });

  it('an Exact list below the cache window is read from etcd, and once compacted it is 410 Expired (ref: TestMatchExactResourceVersionFallback, RunTestListResourceVersionMatch)', async () => {
    const f = fixture({ compactionIntervalMs: 0 });
    const p0 = body(await create(f, pod('p0')));
    for (let i = 1; i <= 150; i++) {
      f.clock.step(120_000);
      await f.req({ verb: 'PATCH', path: `${PODS}/p0`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { n: String(i) } } } });
    }
    const rv = p0.metadata.resourceVersion as string;
    const r = body(await f.req({ verb: 'GET', path: PODS, query: { resourceVersion: rv, resourceVersionMatch: 'Exact' } }));
    expect(r.items?.map((p) => p.metadata.resourceVersion)).toEqual([rv]);
    expect(f.trace.ofType('apiserver.list').pop()).toMatchObject({ source: 'etcd', why: 'exact resourceVersion outside the cache window' });
    await f.server.etcd.compact(Number(rv) + 1);
    const gone = await f.req({ verb: 'GET', path: PODS, query: { resourceVersion: rv, resourceVersionMatch: 'Exact' } });
    expect(statusOf(gone.body)).toMatchObject({ code: 410, reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' });
  });
});

describe('watches: cache window, 410, bookmarks, timeouts, streaming lists', () => {
  it('a watch from a resourceVersion replays what followed it (ref: RunTestWatchFromNonZero)', async () => {
    const f = fixture();
    const a = body(await create(f, pod('a')));
    await create(f, pod('b'));
    await f.req({ verb: 'DELETE', path: `${PODS}/a` });
    const w = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: a.metadata.resourceVersion as string } }));
    const events = await drain(w.stream!, 3);
    expect(events.map((e) => `${e.type} ${(e.object as KubeObject).metadata.name}`)).toEqual(['ADDED b', 'MODIFIED a', 'DELETED a']);
    w.stream!.close();
  });

  it('a watch below the cache window ends with ERROR 410 Expired "too old resource version: X (Y)" (ref: TestEvents, TestWatchCacheBasic)', async () => {
    const f = fixture({ eventFreshDurationMs: 75_000 });
    const first = body(await create(f, pod('p0')));
    // 150 changes, each 2 minutes apart: the window stays at its 100-event floor
    for (let i = 1; i <= 150; i++) {
      f.clock.step(120_000);
      await f.req({ verb: 'PATCH', path: `${PODS}/p0`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { n: String(i) } } } });
    }
    const cache = f.server.watchCacheOf('pods')!;
    expect(cache.capacity).toBe(100);
    const w = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: first.metadata.resourceVersion as string } }));
    const [e] = await drain(w.stream!, 1);
    expect(e.type).toBe('ERROR');
    expect(e.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410, message: `too old resource version: ${first.metadata.resourceVersion} (${cache.oldestResourceVersion - 1})` });
    expect(await w.stream!.next()).toBeUndefined();
  });

  it('the window doubles while every buffered event is fresh (ref: TestDynamicCache, TestCacheIncreaseDoesNotBreakWatch)', async () => {
    const f = fixture();
    await create(f, pod('p0'));
    for (let i = 0; i < 150; i++) await f.req({ verb: 'PATCH', path: `${PODS}/p0`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { n: String(i) } } } });
    expect(f.server.watchCacheOf('pods')!.capacity).toBe(200);
    expect(f.trace.ofType('apiserver.cacheWindow')).toEqual([expect.objectContaining({ resource: 'pods', fromCapacity: 100, capacity: 200 })]);
  });

  it('bookmarks every minute with allowWatchBookmarks, at the newest resourceVersion the cache processed (ref: TestCacherSendBookmarkEvents, TestWatchBookmarksWithCorrectResourceVersion)', async () => {
    const f = fixture();
    const p = body(await create(f, pod('a')));
    const w = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: p.metadata.resourceVersion as string, allowWatchBookmarks: 'true', timeoutSeconds: '600' } }));
    // A pod in another namespace: this watch never sees it, but the cache has processed its resourceVersion.
    const other = body(await create(f, pod('b'), '/api/v1/namespaces/kube-system/pods'));
    const [e] = await f.run(drain(w.stream!, 1), 70_000);
    expect(e.type).toBe('BOOKMARK');
    expect(e.object).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { resourceVersion: other.metadata.resourceVersion } });
    expect(f.clock.now()).toBeGreaterThanOrEqual(60_000);
    expect(f.clock.now()).toBeLessThan(62_000);
    w.stream!.close();
  });

  it('no bookmark goes out while nothing newer than the watch start was processed (ref: cacheWatcher.process)', async () => {
    const f = fixture();
    const p = body(await create(f, pod('a')));
    const w = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: p.metadata.resourceVersion as string, allowWatchBookmarks: 'true', timeoutSeconds: '100' } }));
    expect(await f.run(drain(w.stream!, 1), 200_000)).toEqual([]);
    expect(f.clock.now()).toBe(100_000);
  });

  it('the server ends a watch after timeoutSeconds and logs it in the httplog (ref: RunTestWatcherTimeout, handlers/get.go ListResource)', async () => {
    const f = fixture();
    const w = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: '0', timeoutSeconds: '30' } }));
    const ended = f.run(drain(w.stream!, 10), 60_000);
    expect(await ended).toEqual([]);
    expect(f.clock.now()).toBe(30_000);
    expect(f.trace.ofType('apiserver.watchEnd').pop()).toMatchObject({ reason: 'timeout', durationMs: 30_000 });
    const log = f.trace.ofType('apiserver.log').map((e) => e.message as string).find((m) => m.includes('verb="WATCH"'));
    expect(log).toMatch(/^"HTTP" verb="WATCH" URI="\/api\/v1\/namespaces\/default\/pods\?watch=true&resourceVersion=0&timeoutSeconds=30" latency="30s" userAgent="" audit-ID="[0-9a-f-]{36}" srcIP="10.0.0.1:50000" resp=200$/);
  });

  it('a streaming list (sendInitialEvents) sends the state, then the initial-events-end bookmark, then changes (ref: TestInitialEventsEndBookmark, RunWatchSemantics)', async () => {
    const f = fixture();
    await create(f, pod('a'));
    await create(f, pod('b'));
    const w = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true' } }));
    const initial = await drain(w.stream!, 3);
    expect(initial.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    const bm = initial[2].object as KubeObject;
    expect(bm.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(bm.metadata.resourceVersion).toBe(String((f.server.etcd as unknown as { revision: number }).revision));
    await create(f, pod('c'));
    const [next] = await drain(w.stream!, 1);
    expect(next.type).toBe('ADDED');
    w.stream!.close();
    const bad = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', sendInitialEvents: 'true' } }));
    expect(statusOf(bad.body).message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
  });

  it('a selector watch sees an object that stops matching as DELETED (ref: cacheWatcher.convertToWatchEvent)', async () => {
    const f = fixture();
    const p = body(await create(f, pod('a', { metadata: { labels: { app: 'web' } } })));
    const w = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: p.metadata.resourceVersion as string, labelSelector: 'app=web' } }));
    const patched = body(await f.req({ verb: 'PATCH', path: `${PODS}/a`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { app: 'db' } } } }));
    const [e] = await drain(w.stream!, 1);
    expect(e.type).toBe('DELETED');
    expect((e.object as KubeObject).metadata.labels).toEqual({ app: 'web' });
    expect((e.object as KubeObject).metadata.resourceVersion).toBe(patched.metadata.resourceVersion);
    w.stream!.close();
  });
});

describe('patches', () => {
  it('strategic merge patch merges containers by name; JSON merge patch replaces the list (ref: strategicpatch TestStrategicMergePatch)', async () => {
    const f = fixture();
    await create(f, { ...pod('web'), spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }] } });
    const smp = body(await f.req({ verb: 'PATCH', path: `${PODS}/web`, contentType: 'application/strategic-merge-patch+json', body: { spec: { containers: [{ name: 'b', image: 'y:2' }] } } }));
    expect((smp.spec as { containers: Array<{ name: string; image: string }> }).containers.map((c) => `${c.name}=${c.image}`)).toEqual(['a=x:1', 'b=y:2']);
    const merge = await f.req({ verb: 'PATCH', path: `${PODS}/web`, contentType: 'application/merge-patch+json', body: { spec: { containers: [{ name: 'b', image: 'y:3' }] } } });
    expect(merge.code).toBe(422);
    expect(statusOf(merge.body).message).toContain('spec: Forbidden: pod updates may not change fields other than');
  });

  it('a JSON patch whose test fails is 422 (ref: patch.go applyJSPatch)', async () => {
    const f = fixture();
    await create(f, pod('web'));
    const r = await f.req({ verb: 'PATCH', path: `${PODS}/web`, contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/metadata/name', value: 'other' }] });
    // NewGenericServerResponse(422, ...): the JSON patch error itself is not in the Status
    expect(statusOf(r.body)).toMatchObject({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
  });

  it('scale subresource sets spec.replicas and bumps generation (ref: ScaleREST)', async () => {
    const f = fixture();
    await create(f, deployment('web'), '/apis/apps/v1/namespaces/default/deployments');
    const s = body(await f.req({ verb: 'PATCH', path: '/apis/apps/v1/namespaces/default/deployments/web/scale', contentType: 'application/merge-patch+json', body: { spec: { replicas: 4 } } }));
    expect(s).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 }, status: { selector: 'app=web' } });
    const d = body(await f.req({ verb: 'GET', path: '/apis/apps/v1/namespaces/default/deployments/web' }));
    expect(d.metadata.generation).toBe(2);
  });

  it('binding assigns a pod to a node once (ref: BindingREST, TestEtcdCreateBinding)', async () => {
    const f = fixture();
    await create(f, pod('web'));
    const b = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-1' } };
    expect((await f.req({ verb: 'POST', path: `${PODS}/web/binding`, body: b })).code).toBe(201);
    const p = body(await f.req({ verb: 'GET', path: `${PODS}/web` }));
    expect((p.spec as { nodeName: string }).nodeName).toBe('node-1');
    const again = await f.req({ verb: 'POST', path: `${PODS}/web/binding`, body: b });
    expect(statusOf(again.body)).toMatchObject({ code: 409, message: 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"' });
  });
});

describe('discovery and the request log', () => {
  it('serves /api, /apis and APIResourceLists with verbs, short names and subresources (ref: discovery TestGroupsHandler, installer)', async () => {
    const f = fixture();
    expect(body(await f.req({ verb: 'GET', path: '/api' }))).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await f.req({ verb: 'GET', path: '/apis' })).body as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toEqual(['apps', 'autoscaling', 'batch', 'policy', 'storage.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io']);
    const core = (await f.req({ verb: 'GET', path: '/api/v1' })).body as { resources: Array<{ name: string; shortNames?: string[]; namespaced: boolean }> };
    expect(core.resources.find((r) => r.name === 'pods')).toMatchObject({ shortNames: ['po'], namespaced: true, kind: 'Pod' });
    expect(core.resources.map((r) => r.name)).toContain('pods/status');
  });

  it('writes one httplog line per request at V(3), LIST for collection GETs', async () => {
    const f = fixture();
    await f.req({ verb: 'GET', path: PODS, query: { limit: '500' }, userAgent: 'kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9' });
    const req = f.trace.ofType('apiserver.request').pop();
    expect(req).toMatchObject({ verb: 'LIST', uri: '/api/v1/namespaces/default/pods?limit=500', code: 200, userAgent: 'kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9' });
    const line = f.trace.ofType('apiserver.log').pop();
    expect(line).toMatchObject({ v: 3, source: 'httplog.go' });
    expect(line?.message).toMatch(/^"HTTP" verb="LIST" URI="\/api\/v1\/namespaces\/default\/pods\?limit=500" latency="0s" userAgent="kubectl\/v1.34.0 \(linux\/amd64\) kubernetes\/f28b4c9" audit-ID="[0-9a-f-]{36}" srcIP="10.0.0.1:50000" resp=200$/);
  });
});

describe('feature gates from the environment', () => {
  it('WatchList off: a streaming list is refused, a watch from "0" is not defaulted to one (ref: TestValidateListOptions, SetListOptionsDefaults)', async () => {
    const f = fixture({ env: newEnv({ features: { WatchList: false } }) });
    const r = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan' } }));
    expect(statusOf(r.body).message).toBe('ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled');
  });

  it('ListFromCacheSnapshot off: an exact list goes to etcd (ref: TestShouldDelegateList, ListFromCacheSnapshot=false)', async () => {
    const f = fixture({ env: newEnv({ features: { ListFromCacheSnapshot: false } }) });
    const p = body(await create(f, pod('a')));
    await f.req({ verb: 'GET', path: PODS, query: { resourceVersion: p.metadata.resourceVersion as string, resourceVersionMatch: 'Exact' } });
    expect(f.trace.ofType('apiserver.list').pop()).toMatchObject({ source: 'etcd' });
  });

  it('a locked gate cannot be turned off', () => {
    expect(() => fixture({ env: newEnv({ features: { ConsistentListFromCache: false } }) })).toThrow('cannot set feature gate ConsistentListFromCache to false, feature is locked to true');
  });
});

describe('CustomResourceDefinitions', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: { size: { type: 'integer', minimum: 1, maximum: 10 }, color: { type: 'string', enum: ['red', 'blue'], default: 'red' } },
                },
                status: { type: 'object', properties: { ready: { type: 'boolean' } } },
              },
            },
          },
        },
      ],
    },
  };
  const W = '/apis/example.com/v1/namespaces/default/widgets';
  const widget = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec });

  async function withCRD() {
    const f = fixture();
    expect((await create(f, crd as unknown as KubeObject, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).code).toBe(201);
    return f;
  }

  it('a CRD is established and its resource served, in discovery too (ref: apiextensions EstablishingController, TestCRDDiscovery)', async () => {
    const f = await withCRD();
    const got = body(await f.req({ verb: 'GET', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com' }));
    expect((got.status as { conditions: Array<{ type: string; status: string }> }).conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['NamesAccepted=True', 'Established=True']);
    const rl = (await f.req({ verb: 'GET', path: '/apis/example.com/v1' })).body as { resources: Array<{ name: string; shortNames?: string[] }> };
    expect(rl.resources.map((r) => r.name)).toEqual(['widgets', 'widgets/status']);
    expect((await create(f, widget('a', { size: 3 }) as unknown as KubeObject, W)).code).toBe(201);
  });

  it('custom resources are validated against the schema, with upstream wording (ref: TestCustomResourceValidation)', async () => {
    const f = await withCRD();
    const r = await create(f, widget('a', { size: 'big', color: 'green' }) as unknown as KubeObject, W);
    expect(statusOf(r.body)).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'Widget.example.com "a" is invalid: [spec.size: Invalid value: "string": spec.size in body must be of type integer: "string", spec.color: Unsupported value: "green": supported values: "red", "blue"]',
    });
    const r2 = await create(f, widget('b', { size: 11 }) as unknown as KubeObject, W);
    expect(statusOf(r2.body).message).toBe('Widget.example.com "b" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10');
    const r3 = await create(f, widget('c', {}) as unknown as KubeObject, W);
    expect(statusOf(r3.body).message).toBe('Widget.example.com "c" is invalid: spec.size: Required value');
    expect(body(await f.req({ verb: 'GET', path: W })).items).toEqual([]);
  });

  it('unknown fields are pruned (Strict: 400), defaults are applied, generation counts spec changes (ref: TestPruning, TestCustomResourceDefaulting)', async () => {
    const f = await withCRD();
    const strict = await f.req({ verb: 'POST', path: W, query: { fieldValidation: 'Strict' }, body: widget('a', { size: 2, extra: 1 }) });
    expect(statusOf(strict.body).message).toBe('Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.extra"');
    const w = body(await f.req({ verb: 'POST', path: W, body: widget('a', { size: 2, extra: 1 }) }));
    expect(w.spec).toEqual({ size: 2, color: 'red' });
    expect(w.metadata.generation).toBe(1);
    const status = body(await f.req({ verb: 'PUT', path: `${W}/a/status`, body: { ...w, status: { ready: true } } }));
    expect(status.status).toEqual({ ready: true });
    expect(status.metadata.generation).toBe(1);
    const spec = body(await f.req({ verb: 'PATCH', path: `${W}/a`, contentType: 'application/merge-patch+json', body: { spec: { size: 5 } } }));
    expect(spec.metadata.generation).toBe(2);
    const smp = await f.req({ verb: 'PATCH', path: `${W}/a`, contentType: 'application/strategic-merge-patch+json', body: { spec: { size: 6 } } });
    expect(statusOf(smp.body).code).toBe(415);
  });

  it('custom resources and CRDs refuse an update without a resourceVersion, unlike the built-in kinds (ref: customResourceStrategy.AllowUnconditionalUpdate, store.go Update)', async () => {
    const f = await withCRD();
    const w = body(await f.req({ verb: 'POST', path: W, body: widget('a', { size: 2 }) }));
    const unconditional = { ...w, metadata: { ...w.metadata, resourceVersion: undefined }, spec: { size: 3 } };
    const r = await f.req({ verb: 'PUT', path: `${W}/a`, body: unconditional });
    expect(statusOf(r.body)).toMatchObject({ code: 422, reason: 'Invalid', message: 'widgets.example.com "a" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update' });
    const status = await f.req({ verb: 'PUT', path: `${W}/a/status`, body: { ...unconditional, status: { ready: true } } });
    expect(statusOf(status.body).code).toBe(422);
    const crdNow = body(await f.req({ verb: 'GET', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com' }));
    const crdPut = await f.req({ verb: 'PUT', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com', body: { ...crdNow, metadata: { ...crdNow.metadata, resourceVersion: undefined } } });
    expect(statusOf(crdPut.body).message).toBe('customresourcedefinitions.apiextensions.k8s.io "widgets.example.com" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    // A ConfigMap (AllowUnconditionalUpdate: true) is overwritten.
    const cm = body(await f.req({ verb: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } }));
    const cmPut = await f.req({ verb: 'PUT', path: '/api/v1/namespaces/default/configmaps/c', body: { ...cm, metadata: { name: 'c' }, data: { a: '2' } } });
    expect(cmPut.code).toBe(200);
    // Nothing changed on the refused writes.
    expect(body(await f.req({ verb: 'GET', path: `${W}/a` })).spec).toEqual({ size: 2, color: 'red' });
  });

  it("discovery prefers a CRD group's highest version by Kubernetes version order, not the order the CRD lists them (ref: sortGroupDiscoveryByKubeAwareVersion)", async () => {
    const f = fixture();
    const v = (name: string, storage: boolean) => ({ ...crd.spec.versions[0], name, storage });
    const multi = { ...crd, spec: { ...crd.spec, versions: [v('v1alpha1', false), v('v1beta1', false), v('v1', true), v('v2beta1', false)] } };
    expect((await create(f, multi as unknown as KubeObject, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).code).toBe(201);
    const group = body(await f.req({ verb: 'GET', path: '/apis/example.com' })) as unknown as { versions: Array<{ version: string }>; preferredVersion: { version: string } };
    expect(group.versions.map((x) => x.version)).toEqual(['v1', 'v2beta1', 'v1beta1', 'v1alpha1']);
    expect(group.preferredVersion.version).toBe('v1');
  });

  it('deleting the CRD deletes its custom resources and stops serving them (ref: CRDFinalizer)', async () => {
    const f = await withCRD();
    await create(f, widget('a', { size: 1 }) as unknown as KubeObject, W);
    const del = body(await f.req({ verb: 'DELETE', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com' }));
    expect(del.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    await runUntilIdle(f.clock, { forMs: 1000 });
    expect((await f.req({ verb: 'GET', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com' })).code).toBe(404);
    expect(statusOf((await f.req({ verb: 'GET', path: W })).body).message).toBe('the server could not find the requested resource');
    const widgetsInEtcd = await f.server.etcd.get('/registry/example.com/widgets/', { prefix: true, countOnly: true });
    expect(widgetsInEtcd.count).toBe(0);
  });

  it('a CRD whose name is not plural.group is refused (ref: TestValidateCustomResourceDefinition)', async () => {
    const f = fixture();
    const bad = { ...crd, metadata: { name: 'widget.example.com' } };
    const r = await create(f, bad as unknown as KubeObject, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    expect(statusOf(r.body).message).toBe('CustomResourceDefinition.apiextensions.k8s.io "widget.example.com" is invalid: metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group');
  });
});

describe('Events expire (--event-ttl 1h) through etcd leases the lease manager shares', () => {
  const EVENTS = '/api/v1/namespaces/default/events';
  const event = (name: string) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Pulled', message: 'pulled', type: 'Normal' });
  const MIN = 60_000;
  const names = async (f: ReturnType<typeof fixture>) => ((body(await f.req({ verb: 'GET', path: EVENTS })).items ?? []) as KubeObject[]).map((e) => e.metadata.name).sort();
  /** Moves the clock to `ms` exactly (runUntilIdle stops at the last timer due). */
  const at = async (f: ReturnType<typeof fixture>, ms: number) => {
    await runUntilIdle(f.clock, { forMs: ms - f.clock.now() });
    if (f.clock.now() < ms) {
      f.clock.setTime(ms);
      await runUntilIdle(f.clock, { forMs: 0 });
    }
  };
  const leaseOf = async (f: ReturnType<typeof fixture>, name: string) => (await f.server.etcd.get(`/registry/events/default/${name}`)).kvs[0]?.lease;

  it('one lease of TTL + 60 s for every Event written within its first minute; a new one after (ref: lease_manager.go GetLease, TestGetReuseDurationSeconds)', async () => {
    const clock = new FakeClock();
    const etcd = newEtcd({ clock });
    const f = fixture({ clock, etcd });
    expect((await create(f, event('a') as unknown as KubeObject, EVENTS)).code).toBe(201);
    await at(f, 30_000);
    await create(f, event('b') as unknown as KubeObject, EVENTS);
    await at(f, 61_000);
    await create(f, event('c') as unknown as KubeObject, EVENTS);
    const [la, lb, lc] = [await leaseOf(f, 'a'), await leaseOf(f, 'b'), await leaseOf(f, 'c')];
    expect(la).toBeGreaterThan(0);
    expect(lb).toBe(la);
    expect(lc).not.toBe(la);
    expect((await etcd.leaseTimeToLive(la!)).grantedTtl).toBe(3660);
    // a and b go together at 61 min; c lives on.
    await at(f, 61 * MIN - 1000);
    expect(await names(f)).toEqual(['a', 'b', 'c']);
    await at(f, 61 * MIN + 1000);
    expect(await names(f)).toEqual(['c']);
  });

  it('an update writes the Event with a lease again, so it lives an hour from its last write (ref: store.go GuaranteedUpdate with ttl)', async () => {
    const f = fixture();
    const e = body(await create(f, event('a') as unknown as KubeObject, EVENTS));
    await at(f, 50 * MIN);
    const upd = await f.req({ verb: 'PUT', path: `${EVENTS}/a`, body: { ...e, count: 2 } });
    expect(upd.code).toBe(200);
    expect(await leaseOf(f, 'a')).toBeGreaterThan(0);
    await at(f, 80 * MIN);
    expect(await names(f)).toEqual(['a']);
    await at(f, 112 * MIN);
    expect(await names(f)).toEqual([]);
  });
});

