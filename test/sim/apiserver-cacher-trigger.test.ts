// The pods cacher's indexed trigger (spec.nodeName): a watch pinned to a node by its field selector
// is dispatched only the events whose pod is, or was, on that node; what each watch sees is what
// the filter alone gave (a bound pod leaves the unassigned watch as DELETED, from its previous
// state). After apiserver v0.34.0 pkg/storage/cacher/cacher_test.go (TestDeleteTriggerWatch, i.e.
// storage/testing RunTestDeleteTriggerWatch), widened to bound, changed and other-node pods.
import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEventJson } from '../../src/sim/index';
import { fixture, pod } from './apiserver-fixture';

const PODS = '/api/v1/namespaces/default/pods';

async function drain(stream: { next(): Promise<WatchEventJson | undefined> }, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = await stream.next();
    if (!e) break;
    out.push(`${e.type} ${(e.object as KubeObject).metadata.name} ${((e.object as { spec?: { nodeName?: string } }).spec?.nodeName ?? '') || '-'}`);
  }
  return out;
}

describe('cacher: the spec.nodeName trigger', () => {
  it('a node-pinned watch sees its pods (bound, changed) and nothing of other nodes; the unassigned watch sees a bound pod leave (ref: Cacher.triggerValuesThreadUnsafe, startDispatching)', async () => {
    const f = fixture();
    const watch = (fieldSelector: string) => f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: '0', fieldSelector } }));
    const node1 = await watch('spec.nodeName=node-1');
    const node2 = await watch('spec.nodeName=node-2');
    const unassigned = await watch('spec.nodeName=');
    const all = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: '0' } }));
    await f.req({ verb: 'POST', path: PODS, body: pod('a') });
    await f.req({ verb: 'POST', path: PODS, body: pod('b') });
    const bind = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
    expect((await f.req({ verb: 'POST', path: `${PODS}/a/binding`, body: bind })).code).toBe(201);
    await f.req({ verb: 'PATCH', path: `${PODS}/a`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { x: 'y' } } } });
    await f.req({ verb: 'DELETE', path: `${PODS}/b` });
    // A last pod on node-2: the first thing node-2's watch sees, so it saw none of the above.
    await f.req({ verb: 'POST', path: PODS, body: pod('c', { spec: { nodeName: 'node-2' } }) });

    expect(await f.run(drain(node1.stream!, 2))).toEqual(['ADDED a node-1', 'MODIFIED a node-1']);
    expect(await f.run(drain(node2.stream!, 1))).toEqual(['ADDED c node-2']);
    expect(await f.run(drain(unassigned.stream!, 5))).toEqual(['ADDED a -', 'ADDED b -', 'DELETED a -', 'MODIFIED b -', 'DELETED b -']);
    expect(await f.run(drain(all.stream!, 7))).toEqual(['ADDED a -', 'ADDED b -', 'MODIFIED a node-1', 'MODIFIED a node-1', 'MODIFIED b -', 'DELETED b -', 'ADDED c node-2']);
    for (const w of [node1, node2, unassigned, all]) w.stream!.close();
  });
});
