// Follows client-go informers/factory.go at v0.34.0 (InformerFor, Start, WaitForCacheSync,
// Shutdown, the With* options) and dynamic/dynamicinformer/informer_test.go
// (TestFilteredDynamicSharedInformerFactory, TestDynamicSharedInformerFactory), whose fake dynamic
// client is played here by FakeControllerSources behind a ListerWatcher that filters by namespace
// and by the label and field selectors a server honours (the fake source ignores them; the API
// server model will not need this).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { runUntilIdle, settle } from '../core/drive';
import { newEnv } from '../core/env';
import { StatusError, UsageError } from '../core/errors';
import type { KubeObject } from '../core/object';
import { TraceRecorder } from '../core/trace';
import { newFakeControllerSource, type FakeControllerSource } from './fake_controller_source';
import {
  newFilteredListWatch,
  newFilteredSharedInformerFactory,
  newSharedInformerFactory,
  resourceKey,
  type GroupVersionResource,
  type ListerWatcherFor,
  type NewInformerFunc,
} from './informer_factory';
import { metaNamespaceKeyFunc } from './keys';
import type { ListOptions, ListerWatcher, WatchEvent, WatchInterface } from './listwatch';
import { newSharedIndexInformer } from './shared_informer';
import { newStopChannel } from './stop_channel';

type Obj = KubeObject;

function deployment(namespace: string, name: string, labels?: Record<string, string>): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace, name, ...(labels ? { labels } : {}) } };
}

/** `k=v,k2=v2` equality terms and `metadata.name=` / `metadata.namespace=` fields: what this test's "server" honours. */
function serverFilter(namespace: string, options: ListOptions): (o: Obj) => boolean {
  const terms = (s: string | undefined) => (s ? s.split(',').map((t) => t.split('=') as [string, string]) : []);
  const labels = terms(options.labelSelector);
  const fields = terms(options.fieldSelector);
  return (o) =>
    (namespace === '' || o.metadata.namespace === namespace) &&
    labels.every(([k, v]) => o.metadata.labels?.[k] === v) &&
    fields.every(([k, v]) => (k === 'metadata.name' ? o.metadata.name === v : k === 'metadata.namespace' ? o.metadata.namespace === v : false));
}

/** A source seen through a server that filters by namespace and selectors. */
function served(source: FakeControllerSource<Obj>, namespace: string): ListerWatcher<Obj> {
  return {
    async list(options) {
      const list = await source.list(options);
      return { ...list, items: list.items.filter(serverFilter(namespace, options)) };
    },
    async watch(options) {
      const w = await source.watch(options);
      const keep = serverFilter(namespace, options);
      const filtered: WatchInterface<Obj> = {
        async next(): Promise<WatchEvent<Obj> | undefined> {
          for (;;) {
            const e = await w.next();
            if (e === undefined || e.type === 'ERROR' || e.type === 'BOOKMARK' || keep(e.object)) return e;
          }
        },
        stop: () => w.stop(),
      };
      return filtered;
    },
  };
}

/** A "cluster": one fake source per resource key, served by namespace. */
function cluster(clock: FakeClock, resources: string[]): { client: ListerWatcherFor; sources: Map<string, FakeControllerSource<Obj>>; asked: string[] } {
  const sources = new Map(resources.map((r) => [r, newFakeControllerSource<Obj>({ clock, name: r })]));
  const asked: string[] = [];
  const client: ListerWatcherFor = (resource, namespace) => {
    asked.push(`${resourceKey(resource)} in ${JSON.stringify(namespace)}`);
    const source = sources.get(resourceKey(resource));
    return source ? served(source, namespace) : undefined;
  };
  return { client, sources, asked };
}

/**
 * Moves virtual time (timer by timer) until `p` settles, then returns what it resolved with:
 * WaitForCacheSync polls every 100 ms of virtual time, so someone has to move the clock.
 */
async function drive<T>(clock: FakeClock, p: Promise<T>): Promise<T> {
  let settled = false;
  const done = p.finally(() => (settled = true));
  await runUntilIdle(clock, { forMs: 10_000, until: () => settled });
  return done;
}

const deploymentsGVR: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
const DEPLOYMENTS = 'apps/v1, Resource=deployments';

interface Case {
  name: string;
  ref: string;
  run: () => Promise<void> | void;
}

/** TestFilteredDynamicSharedInformerFactory's table. */
const filteredCases: Case[] = [
  { name: 'scenario 1: test adding an object in different namespace should not trigger AddFunc', informNS: 'ns-bar', ns: 'ns-foo', want: false },
  { name: 'scenario 2: test adding an object should trigger AddFunc', informNS: 'ns-foo', ns: 'ns-foo', want: true },
  { name: 'tweak options: test adding an object not matching field selector should not trigger AddFunc', informNS: 'ns-foo', ns: 'ns-foo', tweak: { fieldSelector: 'metadata.name=name-bar' }, want: false },
  { name: 'tweak options: test adding an object matching field selector should trigger AddFunc', informNS: 'ns-foo', ns: 'ns-foo', tweak: { fieldSelector: 'metadata.name=name-foo' }, want: true },
  { name: 'tweak options: test adding an object not matching label selector should not trigger AddFunc', informNS: 'ns-foo', ns: 'ns-foo', tweak: { labelSelector: 'environment=production' }, want: false },
  { name: 'tweak options: test adding an object matching label selector should trigger AddFunc', informNS: 'ns-foo', ns: 'ns-foo', tweak: { labelSelector: 'environment=test' }, want: true },
].map((ts) => ({
  name: ts.name,
  ref: 'TestFilteredDynamicSharedInformerFactory',
  run: async () => {
    const clock = new FakeClock();
    const { client, sources } = cluster(clock, [DEPLOYMENTS]);
    const tweak = ts.tweak;
    const target = newFilteredSharedInformerFactory(client, 0, ts.informNS, tweak ? (o) => Object.assign(o, tweak) : undefined, { clock });
    const informerListerForGvr = target.forResource(deploymentsGVR);
    const received: Obj[] = [];
    informerListerForGvr.informer().addEventHandler({ addFunc: (o) => void received.push(o) });
    const stop = newStopChannel();
    target.start(stop);
    const synced = await drive(clock, target.waitForCacheSync(stop));
    expect(synced[DEPLOYMENTS], `informer for ${DEPLOYMENTS} hasn't synced`).toBe(true);
    // trigger: the Deployment ns-foo/name-foo, labelled environment=test.
    const testObject = deployment(ts.ns, 'name-foo', { environment: 'test' });
    sources.get(DEPLOYMENTS)!.add(testObject);
    await settle();
    if (ts.want) {
      expect(received).toHaveLength(1);
      expect(received[0]).toEqual(testObject);
    } else {
      expect(received, `informer received an object for namespace ${ts.ns} when watching namespace ${ts.informNS}`).toEqual([]);
    }
    stop.close();
    await target.shutdown();
  },
}));

/** TestDynamicSharedInformerFactory's table. */
const dynamicCases: Case[] = (['add', 'update', 'delete'] as const).map((kind, i) => ({
  name: `scenario ${i + 1}: test if ${kind === 'add' ? 'adding' : kind === 'update' ? 'updating' : 'deleting'} an object triggers ${kind === 'add' ? 'AddFunc' : kind === 'update' ? 'UpdateFunc' : 'DeleteFunc'}`,
  ref: 'TestDynamicSharedInformerFactory',
  run: async () => {
    const clock = new FakeClock();
    const gvr: GroupVersionResource = { group: 'extensions', version: 'v1beta1', resource: 'deployments' };
    const { client, sources } = cluster(clock, [resourceKey(gvr)]);
    const source = sources.get(resourceKey(gvr))!;
    const existing = deployment('ns-foo', 'name-foo');
    if (kind !== 'add') source.add(existing);
    const target = newSharedInformerFactory(client, 0, { clock });
    const informerListerForGvr = target.forResource(gvr);
    const received: Obj[] = [];
    informerListerForGvr.informer().addEventHandler({
      addFunc: (o) => void (kind === 'add' && received.push(o)),
      updateFunc: (_old, o) => void received.push(o),
      deleteFunc: (o) => void received.push(o as Obj),
    });
    const stop = newStopChannel();
    target.start(stop);
    expect(await drive(clock, target.waitForCacheSync(stop))).toEqual({ [resourceKey(gvr)]: true });
    let testObject: Obj;
    if (kind === 'add') source.add((testObject = deployment('ns-foo', 'name-foo')));
    else if (kind === 'update') source.modify((testObject = { ...deployment('ns-foo', 'name-foo'), spec: 'updatedName' }));
    else source.delete((testObject = deployment('ns-foo', 'name-foo')));
    await settle();
    expect(received).toHaveLength(1);
    const { resourceVersion: _rv, ...meta } = received[0].metadata;
    expect({ ...received[0], metadata: meta }).toEqual({ ...testObject, metadata: { namespace: 'ns-foo', name: 'name-foo' } });
    stop.close();
    await target.shutdown();
  },
}));

const factoryCases: Case[] = [
  {
    name: 'InformerFor makes one informer per resource with the custom or default resync, and sets the factory\'s transform',
    ref: 'sharedInformerFactory.InformerFor (customResync, SetTransform)',
    run: () => {
      const clock = new FakeClock();
      const { client } = cluster(clock, ['pods', 'nodes']);
      const transform = (o: unknown) => o;
      const factory = newSharedInformerFactory(client, 30_000, { clock, customResync: { nodes: 60_000 }, transform, namespace: 'ns' });
      const calls: string[] = [];
      const newFunc: NewInformerFunc = (c, resyncPeriodMs, ctx) => {
        calls.push(`${ctx.key} ${resyncPeriodMs} ns=${ctx.namespace} name=${ctx.name}`);
        expect(c).toBe(client);
        return newSharedIndexInformer(c(ctx.resource, ctx.namespace)!, { env: ctx.env, name: ctx.name, defaultEventHandlerResyncPeriodMs: resyncPeriodMs });
      };
      const pods = factory.informerFor('pods', newFunc);
      expect(factory.informerFor('pods', () => {
        throw new Error('not called again');
      })).toBe(pods);
      const nodes = factory.informerFor('nodes', newFunc);
      expect(calls).toEqual(['pods 30000 ns=ns name=pods', 'nodes 60000 ns=ns name=nodes']);
      expect([pods.defaultEventHandlerResyncPeriodMs, nodes.defaultEventHandlerResyncPeriodMs]).toEqual([30_000, 60_000]);
      expect(factory.namespace).toBe('ns');
    },
  },
  {
    name: 'the factory\'s transform reaches the cache; with none, one newFunc set is cleared, as SetTransform(nil)',
    ref: 'sharedInformerFactory.InformerFor (informer.SetTransform(f.transform)), WithTransform',
    run: async () => {
      for (const withTransform of [true, false]) {
        const clock = new FakeClock();
        const { client, sources } = cluster(clock, ['pods']);
        sources.get('pods')!.add(deployment('ns', 'a'));
        const factory = newSharedInformerFactory(client, 0, {
          clock,
          ...(withTransform ? { transform: (o: unknown) => ({ ...(o as Obj), transformed: 'factory' }) } : {}),
        });
        const informer = factory.informerFor('pods', (c, resync, ctx) => {
          const i = newSharedIndexInformer(c(ctx.resource, ctx.namespace)!, { env: ctx.env, defaultEventHandlerResyncPeriodMs: resync });
          i.setTransform((o) => ({ ...(o as Obj), transformed: 'newFunc' }));
          return i;
        });
        factory.start();
        await runUntilIdle(clock, { forMs: 1_000, until: () => informer.hasSynced() });
        expect(informer.getStore().list()[0].transformed).toBe(withTransform ? 'factory' : undefined);
        await factory.shutdown();
      }
    },
  },
  {
    name: 'Start runs each informer once; one requested later needs another Start; after Shutdown, Start does nothing',
    ref: 'sharedInformerFactory.Start (startedInformers), Shutdown (shuttingDown)',
    run: async () => {
      const clock = new FakeClock();
      const trace = new TraceRecorder();
      const { client } = cluster(clock, ['pods', 'nodes', 'services']);
      const factory = newSharedInformerFactory(client, 0, { clock, trace });
      const pods = factory.forResource('pods').informer();
      factory.start();
      factory.start();
      const nodes = factory.forResource('nodes').informer();
      await settle();
      expect([pods.hasStarted(), nodes.hasStarted()]).toEqual([true, false]);
      expect(await drive(clock, factory.waitForCacheSync())).toEqual({ pods: true });
      factory.start();
      await settle();
      expect(nodes.hasStarted()).toBe(true);
      expect(await drive(clock, factory.waitForCacheSync())).toEqual({ pods: true, nodes: true });
      expect(trace.ofType('informer.run').map((e) => e.informer)).toEqual(['pods', 'nodes']);
      await factory.shutdown();
      expect([pods.isStopped(), nodes.isStopped()]).toEqual([true, true]);
      const services = factory.forResource('services').informer();
      factory.start();
      await settle();
      expect(services.hasStarted()).toBe(false);
      await factory.shutdown(); // again: nothing to wait for
    },
  },
  {
    name: 'WaitForCacheSync polls every 100 ms, informer after informer; a stop channel closed first makes it false',
    ref: 'sharedInformerFactory.WaitForCacheSync -> cache.WaitForCacheSync(stopCh, informer.HasSynced)',
    run: async () => {
      const clock = new FakeClock();
      const { sources } = cluster(clock, ['pods']);
      // nodes: a list that never answers (a server that hangs), so that informer never syncs.
      const hanging: ListerWatcher<Obj> = { list: () => new Promise(() => {}), watch: () => new Promise(() => {}) };
      const client: ListerWatcherFor = (r) => (r === 'pods' ? sources.get('pods') : hanging);
      const factory = newSharedInformerFactory(client, 0, { clock });
      factory.forResource('pods');
      factory.forResource('nodes');
      const stop = newStopChannel();
      factory.start(stop);
      const result = factory.waitForCacheSync(stop);
      clock.afterFunc(250, () => stop.close());
      await runUntilIdle(clock, { forMs: 1_000 });
      expect(await result).toEqual({ pods: true, nodes: false });
      expect(clock.now()).toBe(300); // the first check after the stop
      await factory.shutdown();
    },
  },
  {
    name: 'Shutdown waits for informers started with a stop channel until it closes; the others it stops itself',
    ref: 'sharedInformerFactory.Shutdown ("blocks until all goroutines have terminated")',
    run: async () => {
      const clock = new FakeClock();
      const { client } = cluster(clock, ['pods', 'nodes']);
      const factory = newSharedInformerFactory(client, 0, { clock });
      const pods = factory.forResource('pods').informer();
      const stop = newStopChannel();
      factory.start(stop);
      const nodes = factory.forResource('nodes').informer();
      factory.start(); // nodes: no stop channel
      await settle();
      let finished = false;
      const shutdown = factory.shutdown().then(() => (finished = true));
      await settle();
      expect([finished, pods.isStopped(), nodes.isStopped()]).toEqual([false, false, true]);
      stop.close();
      await shutdown;
      expect([finished, pods.isStopped()]).toEqual([true, true]);
    },
  },
  {
    name: 'a handler that crashes an informer makes Shutdown reject with its error (Go: the process dies)',
    ref: 'processorListener.run (utilruntime.ReallyCrash); sharedInformerFactory.Shutdown',
    run: async () => {
      const clock = new FakeClock();
      const { client, sources } = cluster(clock, ['pods']);
      sources.get('pods')!.add(deployment('ns', 'a'));
      const factory = newSharedInformerFactory(client, 0, { clock });
      const informer = factory.forResource('pods').informer();
      informer.addEventHandler({
        addFunc: () => {
          throw 'Just panic.';
        },
      });
      factory.start();
      // The informer's cache synced before its handler panicked: WaitForCacheSync asks the
      // informers' HasSynced, which says nothing of their handlers.
      expect(await drive(clock, factory.waitForCacheSync())).toEqual({ pods: true });
      expect(informer.isStopped()).toBe(true);
      await expect(factory.shutdown()).rejects.toBe('Just panic.');
    },
  },
  {
    name: 'ForResource: a GenericInformer whose lister reads the shared cache; NotFound names the GroupResource',
    ref: 'informers/generic.go (genericInformer.Lister -> cache.NewGenericLister(indexer, gvr.GroupResource()))',
    run: async () => {
      const clock = new FakeClock();
      const { client, sources } = cluster(clock, [DEPLOYMENTS]);
      const source = sources.get(DEPLOYMENTS)!;
      source.add(deployment('prod', 'web', { app: 'web' }));
      source.add(deployment('prod', 'db', { app: 'db' }));
      source.add(deployment('dev', 'web', { app: 'web' }));
      const factory = newSharedInformerFactory(client, 0, { clock });
      const generic = factory.forResource(deploymentsGVR);
      expect(factory.forResource(deploymentsGVR).informer()).toBe(generic.informer());
      factory.start();
      expect(await drive(clock, factory.waitForCacheSync())).toEqual({ [DEPLOYMENTS]: true });
      const lister = generic.lister();
      expect(lister.list({ matchLabels: { app: 'web' } }).map((o) => metaNamespaceKeyFunc(o))).toEqual(['prod/web', 'dev/web']);
      expect(lister.byNamespace('prod').list().map((o) => metaNamespaceKeyFunc(o))).toEqual(['prod/db', 'prod/web']);
      expect(lister.byNamespace('dev').get('web').metadata.name).toBe('web');
      let err: unknown;
      try {
        lister.byNamespace('dev').get('db');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StatusError);
      expect(err).toMatchObject({ code: 404, reason: 'NotFound', message: 'deployments.apps "db" not found', details: { group: 'apps', kind: 'deployments', name: 'db' } });
      // A later change shows in the lister once the informer has handled it.
      source.delete(deployment('prod', 'web'));
      await settle();
      expect(() => lister.byNamespace('prod').get('web')).toThrow('deployments.apps "web" not found');
      // The informer is named after the resource in the trace and has the namespace index.
      expect(generic.informer().name).toBe('deployments.apps');
      expect(generic.informer().getIndexer().indexKeys('namespace', 'prod')).toEqual(['prod/db']);
      await factory.shutdown();
    },
  },
  {
    name: 'ForResource of a resource the client does not serve throws upstream\'s "no informer found for"',
    ref: 'ForResource (fmt.Errorf("no informer found for %v", resource))',
    run: () => {
      const clock = new FakeClock();
      const { client } = cluster(clock, ['pods']);
      const factory = newSharedInformerFactory(client, 0, { clock });
      expect(() => factory.forResource({ group: 'example.com', version: 'v1', resource: 'widgets' })).toThrow('no informer found for example.com/v1, Resource=widgets');
      expect(() => factory.forResource('secrets')).toThrow('no informer found for secrets');
    },
  },
  {
    name: 'the namespace goes to the client, and tweakListOptions changes a copy of every list and watch request',
    ref: 'WithNamespace, WithTweakListOptions (NewFilteredPodInformer: tweakListOptions(&options) before List and Watch)',
    run: async () => {
      const clock = new FakeClock();
      const source = newFakeControllerSource<Obj>({ clock });
      const requests: string[] = [];
      const client: ListerWatcherFor = (resource, namespace) => {
        requests.push(`client ${resourceKey(resource)} ${namespace}`);
        return {
          list: (o) => {
            requests.push(`list rv=${o.resourceVersion} labelSelector=${o.labelSelector}`);
            return source.list(o);
          },
          watch: (o) => {
            requests.push(`watch rv=${o.resourceVersion} labelSelector=${o.labelSelector}`);
            return source.watch(o);
          },
        };
      };
      const factory = newSharedInformerFactory(client, 0, { clock, namespace: 'ns', tweakListOptions: (o) => (o.labelSelector = 'app=web') });
      factory.forResource('pods');
      factory.start();
      expect(await drive(clock, factory.waitForCacheSync())).toEqual({ pods: true });
      expect(requests).toEqual(['client pods ns', 'list rv=0 labelSelector=app=web', 'watch rv=0 labelSelector=app=web']);
      // newFilteredListWatch without a modifier is the ListerWatcher itself.
      expect(newFilteredListWatch(source, undefined)).toBe(source);
      await factory.shutdown();
    },
  },
  {
    name: 'the InOrderInformers gate given to the factory reaches every informer it makes',
    ref: 'features/known_features.go (InOrderInformers) through the factory',
    run: async () => {
      for (const [features, queue] of [
        [undefined, 'RealFIFO'],
        [{ InOrderInformers: false }, 'DeltaFIFO'],
      ] as const) {
        const clock = new FakeClock();
        const trace = new TraceRecorder();
        const { client } = cluster(clock, ['pods']);
        const factory = newSharedInformerFactory(client, 0, { clock, trace, ...(features ? { features } : {}) });
        factory.forResource('pods');
        factory.start();
        expect(await drive(clock, factory.waitForCacheSync())).toEqual({ pods: true });
        expect(trace.ofType('informer.run').map((e) => e.queue)).toEqual([queue]);
        await factory.shutdown();
      }
      expect(() => newSharedInformerFactory(() => undefined, 0, { clock: new FakeClock(), features: { WatchListClient: true } as never })).toThrow(
        'client-go gate WatchListClient is not modelled',
      );
    },
  },
  {
    name: 'the factory wants a client function, an environment or a clock, and a resync period in ms',
    ref: 'model: constructor checks',
    run: () => {
      const clock = new FakeClock();
      expect(() => newSharedInformerFactory({} as never, 0, { clock })).toThrow(UsageError);
      expect(() => newSharedInformerFactory(() => undefined, 0, {} as never)).toThrow('options.clock (a FakeClock) or options.env is required');
      expect(() => newSharedInformerFactory(() => undefined, -1, { clock })).toThrow(RangeError);
      expect(() => newSharedInformerFactory(() => undefined, 0, { env: newEnv() })).not.toThrow();
      expect(resourceKey({ group: '', version: 'v1', resource: 'pods' })).toBe('/v1, Resource=pods');
    },
  },
];

describe('SharedInformerFactory (client-go informers/factory.go v0.34.0)', () => {
  it.each(factoryCases)('$name ($ref)', async ({ run }) => {
    await run();
  });
});

describe('a factory keyed by GVR (client-go dynamic/dynamicinformer/informer_test.go v0.34.0)', () => {
  it.each([...filteredCases, ...dynamicCases])('$name ($ref)', async ({ run }) => {
    await run();
  });
});
