// What `kubelab` gives learner code for informers, beside DESIGN.md's cache API (public-api.test.ts):
// the RealFIFO, the InOrderInformers gate, the SharedInformerFactory and the listers, used the
// way a lab would, through src/sim/index.ts only.
import { describe, expect, it } from 'vitest';
import * as kubelab from '../../src/sim/index';
import { eventCatalogs } from '../../src/sim/catalogs';

describe('kubelab: RealFIFO, the gate, the informer factory and listers', () => {
  it('exports them under their upstream names', () => {
    for (const name of [
      'newRealFIFO',
      'newSharedInformerFactory',
      'newFilteredSharedInformerFactory',
      'newFilteredInformer',
      'newFilteredListWatch',
      'resourceKey',
      'newGenericLister',
      'newResourceIndexer',
      'newNamespacedResourceIndexer',
      'listAll',
      'listAllByNamespace',
      'qualifiedResourceString',
    ] as const) {
      expect(typeof kubelab[name], name).toBe('function');
    }
    expect(typeof kubelab.SharedInformerFactory).toBe('function');
    expect(typeof kubelab.ResourceIndexer).toBe('function');
    expect(kubelab.clientGoFeatureGates.InOrderInformers).toEqual({ default: true, preRelease: 'Beta' });
    expect(kubelab.modelledClientGoFeatures).toEqual(['InOrderInformers']);
    expect(kubelab.realFIFOEvents.component).toBe('realFIFO');
    expect(eventCatalogs.map((c) => c.component)).toContain('realFIFO');
    // DESIGN.md's cache API is still there.
    for (const name of ['newDeltaFIFO', 'newIndexer', 'metaNamespaceKeyFunc', 'deletionHandlingMetaNamespaceKeyFunc', 'metaNamespaceIndexFunc'] as const) {
      expect(typeof kubelab[name], name).toBe('function');
    }
  });

  it('a lab-style run: a factory over a fake source, its informer on a RealFIFO, a lister that answers 404s', async () => {
    const env = kubelab.newEnv({ seed: 1 });
    const source = kubelab.newFakeControllerSource({ env });
    source.add({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'web', labels: { app: 'web' } } });
    const factory = kubelab.newSharedInformerFactory(() => source, 0, { env });
    const pods = factory.forResource('pods');
    const seen: string[] = [];
    pods.informer().addEventHandler({ addFunc: (o) => void seen.push(o.metadata.name ?? '') });
    factory.start();
    let synced: Record<string, boolean> | undefined;
    void factory.waitForCacheSync().then((r) => (synced = r));
    await kubelab.runUntilIdle(env.clock, { until: () => synced !== undefined });
    expect(synced).toEqual({ pods: true });
    expect(seen).toEqual(['web']);
    expect('getItems' in pods.informer().getQueue()!).toBe(true);
    const lister = pods.lister();
    expect(lister.byNamespace('default').list({ matchLabels: { app: 'web' } }).map((p) => p.metadata.name)).toEqual(['web']);
    let err: unknown;
    try {
      lister.byNamespace('default').get('db');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(kubelab.StatusError);
    expect(err).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "db" not found' });
    await factory.shutdown();
  });
});
