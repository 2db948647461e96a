// The API server's and the clients' trace events: every one they record is declared in their
// catalogs (src/sim/apiserver/events.ts), reads as a line of text and links to the upstream
// function at the pinned tag (kubernetes/apiserver and kubernetes/client-go v0.34.0); a run that
// touches every path (requests, lists from the cache and from etcd, watches with bookmarks and a
// timeout, the window growing, a progress notification, compaction, throttling) records every
// declared type.
import { describe, expect, it } from 'vitest';
import { catalogOf, eventSource, eventText, eventTypesOf, newClientset, type KubeObject, type TraceEvent, type WatchEventJson } from '../../src/sim/index';
import { fixture, pod } from './apiserver-fixture';

const PODS = '/api/v1/namespaces/default/pods';

async function drain(stream: { next(): Promise<WatchEventJson | undefined> }, n: number): Promise<WatchEventJson[]> {
  const out: WatchEventJson[] = [];
  while (out.length < n) {
    const e = await stream.next();
    if (!e) break;
    out.push(e);
  }
  return out;
}

/** A run through every path that records an apiserver or client event. */
async function workload(): Promise<TraceEvent[]> {
  const f = fixture();
  const created = (await f.req({ verb: 'POST', path: PODS, body: pod('p0') })).body as KubeObject;
  // the window doubles while every buffered event is fresh
  for (let i = 0; i < 120; i++) await f.req({ verb: 'PATCH', path: `${PODS}/p0`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { n: String(i) } } } });
  // a write elsewhere, then a consistent list of pods: the pods cache waits for a progress notification
  await f.req({ verb: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } });
  await f.req({ verb: 'GET', path: PODS });
  // an Exact list below the window goes to etcd
  await f.req({ verb: 'GET', path: PODS, query: { resourceVersion: created.metadata.resourceVersion as string, resourceVersionMatch: 'Exact' } });
  // a watch with bookmarks and a timeout
  const w = await f.run(f.server.watch({ verb: 'GET', path: PODS, query: { watch: 'true', resourceVersion: '0', allowWatchBookmarks: 'true', timeoutSeconds: '90' } }));
  await f.req({ verb: 'POST', path: '/api/v1/namespaces/kube-system/pods', body: pod('other') });
  await f.run(drain(w.stream!, 10), 100_000);
  // the compactor runs every 5 minutes, compacting at the revision it saw the time before
  await f.run(f.clock.sleep(11 * 60_000), 12 * 60_000);
  // a throttled client
  const cs = newClientset(f.server, { trace: f.trace, userAgent: 'controller/v1.34.0' });
  await f.run(Promise.all(Array.from({ length: 20 }, () => cs.coreV1().pods('default').list())));
  // a Warning header (an unknown field under fieldValidation=Warn)
  await f.run(f.client.coreV1().configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, extra: 1 }));
  return f.trace.events.filter((e) => e.component === 'apiserver' || e.component === 'client');
}

describe('apiserver and client events', () => {
  it('every recorded event is declared, has text and an upstream link at v0.34.0; every declared type is recorded', async () => {
    const events = await workload();
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(catalogOf(e), `${e.type} is not declared`).toBeDefined();
      const text = eventText(e);
      expect(typeof text === 'string' && text.length > 0, `${e.type} has no text`).toBe(true);
      const src = eventSource(e);
      expect(src, `${e.type} has no source`).toBeDefined();
      const repo = e.component === 'client' ? 'kubernetes/client-go' : 'kubernetes/apiserver';
      expect(src!.href).toMatch(new RegExp(`^https://github\\.com/${repo}/blob/v0\\.34\\.0/`));
    }
    const seen = new Set(events.map((e) => e.type));
    for (const component of ['apiserver', 'client']) {
      for (const type of eventTypesOf(component)) expect(seen.has(type), `${type} was never recorded`).toBe(true);
    }
  });
});
