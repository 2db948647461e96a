/**
 * Fixtures after garbagecollector_test.go (`makeID`, `makeNode`, `makeAddEvent`, `getPod`,
 * `setupGC`), over the API server model instead of the fake clients.
 */
import { newLabCluster } from '../../../cluster/cluster';
import type { Clientset } from '../../../client/clientset';
import { newEnv } from '../../../core/env';
import { FakeClock } from '../../../core/clock';
import type { KubeObject, OwnerReference } from '../../../core/object';
import { rngFromSeed } from '../../../core/rng';
import { GarbageCollector, getDeletableResources } from '../garbagecollector';
import type { ObjectReference } from '../graph';
import { GraphBuilder, type GraphEvent } from '../graph_builder';

/** Upstream's makeID. */
export function makeID(apiVersion: string, kind: string, namespace: string, name: string, uid: string): ObjectReference {
  return { apiVersion, kind, namespace, name, uid };
}

/** The reference a dependent holds to `id`. */
export function refTo(id: ObjectReference, blockOwnerDeletion?: boolean): OwnerReference {
  return { apiVersion: id.apiVersion, kind: id.kind, name: id.name, uid: id.uid, ...(blockOwnerDeletion === undefined ? {} : { blockOwnerDeletion }) };
}

/** The object an informer would deliver for `id` owned by `owners`. */
export function makeObj(id: ObjectReference, owners: OwnerReference[] = [], extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: id.apiVersion, kind: id.kind, metadata: { name: id.name, namespace: id.namespace || undefined, uid: id.uid, ownerReferences: owners, ...extra } };
}

/** Upstream's makeAddEvent. */
export function makeAddEvent(obj: KubeObject): GraphEvent {
  return { eventType: 'add', obj, gvk: { apiVersion: obj.apiVersion as string, kind: obj.kind as string } };
}

export function idOf(o: KubeObject): ObjectReference {
  return makeID(o.apiVersion as string, o.kind as string, o.metadata.namespace ?? '', o.metadata.name ?? '', o.metadata.uid ?? '');
}

/** A graph builder alone (no informers), recording its events as `type reason message`. */
export function newTestGraphBuilder(): { gb: GraphBuilder; events: string[] } {
  const events: string[] = [];
  const gb = new GraphBuilder({ clock: new FakeClock(), recordEvent: (_ref, type, reason, message) => events.push(`${type} ${reason} ${message}`) });
  return { gb, events };
}

/** Upstream's setupGC: a collector over a lab cluster, its REST mapping from discovery, no workers running. */
export async function setupGC(seed = 7): Promise<{ gc: GarbageCollector; cs: Clientset; clock: FakeClock }> {
  const cluster = await newLabCluster({ env: newEnv({ seed }) });
  const cs = cluster.clientset({ qps: -1 });
  for (const ns of ['ns1', 'ns2']) await cs.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
  const gc = new GarbageCollector({ client: cs, clock: cluster.clock, rng: rngFromSeed(seed), workers: 1 });
  for (const r of await getDeletableResources(cs)) gc.addResource(r);
  return { gc, cs, clock: cluster.clock };
}

/** Creates a pod (Go: `getPod`) owned by `owners`; returns it as the server stored it. */
export async function createPod(cs: Clientset, namespace: string, name: string, owners: OwnerReference[] = [], extra: Partial<KubeObject['metadata']> = {}): Promise<KubeObject> {
  return cs.coreV1().pods(namespace).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ownerReferences: owners, ...extra }, spec: { containers: [{ name: 'c', image: 'i' }] } } as KubeObject);
}

export async function createRS(cs: Clientset, namespace: string, name: string, extra: Partial<KubeObject['metadata']> = {}): Promise<KubeObject> {
  return cs.appsV1().replicaSets(namespace).create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, ...extra }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } } as KubeObject);
}
