import { describe, expect, it } from 'vitest';
import { TraceRecorder, newEnv, newLabCluster, newGarbageCollector, rngFromSeed, runUntilIdle, runUntilSettled, type KubeObject } from '../../../sim/index';
import { ownerGraphAt } from './state';
import { ownerGraphMarkup, ownerLayout } from './view';

/** A Deployment -> ReplicaSet -> 2 Pods chain on a lab cluster with the collector; then `del` runs. */
async function cascade(policy: 'Foreground' | 'Background' | 'Orphan') {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed: 1 }) });
  const cs = cluster.clientset({ qps: -1 });
  const gc = newGarbageCollector({ client: cs, clock: cluster.clock, rng: rngFromSeed(1), workers: 2, trace });
  await runUntilSettled(cluster.clock, gc.run());
  const ref = (o: KubeObject) => ({ apiVersion: o.apiVersion as string, kind: o.kind as string, name: o.metadata.name as string, uid: o.metadata.uid as string, controller: true, blockOwnerDeletion: true });
  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const d = await cs.appsV1().deployments('default').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: tpl } } as KubeObject);
  const rs = await cs.appsV1().replicaSets('default').create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', ownerReferences: [ref(d)] }, spec: { selector: { matchLabels: { app: 'web' } }, template: tpl } } as KubeObject);
  for (const i of [0, 1]) await cs.coreV1().pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-1-${i}`, ownerReferences: [ref(rs)] }, spec: tpl.spec } as KubeObject);
  await runUntilIdle(cluster.clock, { forMs: 10_000 });
  const before = trace.events.length;
  await cs.appsV1().deployments('default').delete('web', { propagationPolicy: policy });
  await runUntilIdle(cluster.clock, { forMs: 10_000 });
  gc.stop();
  return { events: trace.events, before, uids: { d: d.metadata.uid as string, rs: rs.metadata.uid as string } };
}

describe('ownergraph view', () => {
  it('Foreground: the Deployment shows its deletionTimestamp and finalizer, then the chain goes bottom-up', async () => {
    const { events, before, uids } = await cascade('Foreground');
    const built = ownerGraphAt(events, before);
    expect([...built.nodes.values()].filter((n) => built.involved.has(n.uid)).map((n) => `${n.kind}/${n.name}`).sort()).toEqual(['Deployment/web', 'Pod/web-1-0', 'Pod/web-1-1', 'ReplicaSet/web-1']);
    expect(built.nodes.get(uids.rs)!.owners.map((o) => o.uid)).toEqual([uids.d]);
    // The first event after the DELETE: the Deployment is being deleted with foregroundDeletion.
    const marked = events.findIndex((e, i) => i >= before && e.type === 'garbagecollector.node' && e.uid === uids.d && e.deletionTimestamp) + 1;
    const s = ownerGraphAt(events, marked);
    expect(s.nodes.get(uids.d)).toMatchObject({ finalizers: ['foregroundDeletion'], deletingDependents: true, removed: false });
    const layout = ownerLayout(ownerGraphAt(events, events.length));
    const html = ownerGraphMarkup(events, layout, marked);
    expect(html).toMatch(/class="kl-og-node is-deleting is-current" data-uid="[^"]+"><title>Deployment default\/web, deletionTimestamp/);
    expect(html).toContain('deleting · foregroundDeletion');
    // Pods go before the ReplicaSet, the ReplicaSet before the Deployment.
    const removed = events.filter((e) => e.type === 'garbagecollector.remove').map((e) => String(e.kind));
    expect(removed).toEqual(['Pod', 'Pod', 'ReplicaSet', 'Deployment']);
    const deletes = events.filter((e) => e.type === 'garbagecollector.delete').map((e) => `${String(e.kind)} ${String(e.policy)}`);
    expect(deletes).toContain('ReplicaSet Foreground');
    const end = ownerGraphMarkup(events, layout, events.length);
    expect(end.match(/kl-og-node is-removed/g)).toHaveLength(4);
    expect(end).toMatch(/0 objects with owners or dependents · 0 being deleted · 4 deleted/);
    // Layers: the Deployment on top, Pods at the bottom.
    expect(layout.at.get(uids.d)!.y).toBeLessThan(layout.at.get(uids.rs)!.y);
  });

  it('Orphan: the dependents lose their reference and stay', async () => {
    const { events, uids } = await cascade('Orphan');
    expect(events.some((e) => e.type === 'garbagecollector.orphan' && e.uid === uids.d)).toBe(true);
    const s = ownerGraphAt(events, events.length);
    expect(s.nodes.get(uids.d)!.removed).toBe(true);
    expect(s.nodes.get(uids.rs)).toMatchObject({ removed: false, owners: [] });
    expect([...s.nodes.values()].filter((n) => n.kind === 'Pod' && !n.removed)).toHaveLength(2);
    // The layout keeps the layers the chain had: Deployment, then ReplicaSet, then its Pods.
    const layout = ownerLayout(s);
    const pods = [...s.nodes.values()].filter((n) => n.kind === 'Pod').map((n) => layout.at.get(n.uid)!.y);
    expect(layout.at.get(uids.d)!.y).toBeLessThan(layout.at.get(uids.rs)!.y);
    for (const y of pods) expect(y).toBeGreaterThan(layout.at.get(uids.rs)!.y);
  });

  it('Background: every deletion by the collector is a Background delete', async () => {
    const { events } = await cascade('Background');
    const deletes = events.filter((e) => e.type === 'garbagecollector.delete');
    expect(deletes.map((e) => `${String(e.kind)} ${String(e.policy)}`)).toEqual(['ReplicaSet Background', 'Pod Background', 'Pod Background']);
  });

  it('says so without collector events', () => {
    expect(ownerGraphMarkup([], undefined, 0)).toMatch(/Run your code/);
  });
});
