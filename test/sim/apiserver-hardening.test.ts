// Nothing learner code can reach to fake a check through an API server or a client it is handed:
// no trace recorder, emitter, clock, cache, store, etcd client wrapper or rate limiter among what
// own properties and getters give (methods may be called; that is what a holder may do). The
// server's `etcd` getter gives the etcd model, which guards its own state (etcd's tests).
import { describe, expect, it } from 'vitest';
import { FakeClock, TraceRecorder, newApiServer, newClientset, newDynamicClient, newListWatchFromClient, rngFromSeed, runUntilSettled, Etcd } from '../../src/sim/index';
import { EventEmitter } from '../../src/sim/core/events';
import { Cacher } from '../../src/sim/apiserver/cacher/cacher';
import { WatchCache } from '../../src/sim/apiserver/cacher/watch_cache';
import { CacheDelegator } from '../../src/sim/apiserver/cacher/delegator';
import { Etcd3Store } from '../../src/sim/apiserver/storage/etcd3_store';
import { KubernetesClient } from '../../src/sim/apiserver/storage/etcd_client';
import { RegistryStore } from '../../src/sim/apiserver/registry/store';
import { Chan } from '../../src/sim/apiserver/chan';
import { ClientBase } from '../../src/sim/client/rest_client';

const INTERNAL: Array<[string, abstract new (...args: never[]) => unknown]> = [
  ['TraceRecorder', TraceRecorder],
  ['FakeClock', FakeClock],
  ['EventEmitter', EventEmitter],
  ['Cacher', Cacher],
  ['WatchCache', WatchCache],
  ['CacheDelegator', CacheDelegator],
  ['Etcd3Store', Etcd3Store],
  ['KubernetesClient', KubernetesClient],
  ['RegistryStore', RegistryStore],
  ['Chan', Chan],
  ['ClientBase', ClientBase],
  ['Map', Map],
  ['Set', Set],
];

function reachable(roots: Record<string, unknown>): Array<{ path: string; value: object }> {
  const seen = new Set<object>();
  const out: Array<{ path: string; value: object }> = [];
  const queue: Array<{ path: string; value: unknown }> = Object.entries(roots).map(([path, value]) => ({ path, value }));
  while (queue.length > 0) {
    const { path, value } = queue.shift()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    out.push({ path, value });
    if (value instanceof Etcd) continue; // the etcd model's own guarantees
    if (Array.isArray(value)) {
      value.forEach((v, i) => queue.push({ path: `${path}[${i}]`, value: v }));
      continue;
    }
    for (const key of Reflect.ownKeys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key)!;
      queue.push({ path: `${path}.${String(key)}`, value: 'value' in desc ? desc.value : desc.get?.call(value) });
    }
    for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Reflect.ownKeys(proto)) {
        const desc = Object.getOwnPropertyDescriptor(proto, key)!;
        if (desc.get) queue.push({ path: `${path}.${String(key)}`, value: desc.get.call(value) });
      }
    }
  }
  return out;
}

describe('API server and clients: nothing internal is reachable from an instance', () => {
  it('a server, a clientset, typed, dynamic and REST clients, a watch and a ListerWatcher expose no internal object', async () => {
    const clock = new FakeClock();
    const trace = new TraceRecorder();
    const server = newApiServer({ clock, trace, rng: rngFromSeed(1) });
    const cs = newClientset(server, { trace });
    const pods = cs.coreV1().pods('default');
    await runUntilSettled(clock, pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'x' }] } }));
    const watch = await runUntilSettled(clock, pods.watch({ resourceVersion: '0' }));
    const rawWatch = await runUntilSettled(clock, server.watch({ verb: 'GET', path: '/api/v1/pods', query: { watch: 'true' } }));
    const roots = {
      server,
      cs,
      core: cs.coreV1(),
      apps: cs.appsV1(),
      pods,
      rest: pods.restClient,
      dynamic: newDynamicClient(server).resource({ group: '', version: 'v1', resource: 'pods' }).namespace('default'),
      discovery: cs.discovery(),
      watch,
      rawWatch,
      lw: newListWatchFromClient(pods),
      gates: server.featureGates,
      resources: server.servedResources(),
    };
    const found = reachable(roots)
      .map(({ path, value }) => ({ path, name: INTERNAL.find(([, c]) => value instanceof c)?.[0] }))
      .filter((x) => x.name !== undefined);
    expect(found).toEqual([]);
    expect(Object.isFrozen(server.featureGates)).toBe(true);
    watch.stop();
    rawWatch.stream?.close();
    server.stop();
  });
});
