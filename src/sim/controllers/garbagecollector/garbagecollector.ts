/**
 * The garbage collector: workers on `attemptToDelete` delete objects whose owners are all gone
 * (or wait for their dependents under `foregroundDeletion`), workers on `attemptToOrphan` strip
 * an owner's references from its dependents, then its `orphan` finalizer.
 * Upstream: pkg/controller/garbagecollector/garbagecollector.go (kubernetes v1.34)
 */
import { newSharedInformerFactory, type GroupVersionResource } from '../../cache/informer_factory';
import { isNotFound } from '../../apimachinery/errors';
import { listerWatcherFor, type Clientset } from '../../client/clientset';
import { newEventRecorder } from '../../client/record';
import type { FakeClock } from '../../core/clock';
import type { KubeObject, OwnerReference } from '../../core/object';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { formatReference, ownerReferenceCoordinates, type GraphNode, type ObjectReference } from './graph';
import { FinalizerDeleteDependents, FinalizerOrphanDependents, GraphBuilder, hasDeleteDependentsFinalizer, hasOrphanFinalizer, refFields, type MonitoredResource } from './graph_builder';
import type { DeleteVerdict } from './events';
import { Operations, type DeletionPropagation, type RestMapper } from './operations';

/** Returned when the item is gone and a virtual delete event was queued instead (Go: `enqueuedVirtualDeleteEventErr`). */
export const enqueuedVirtualDeleteEventErr = new Error('enqueued virtual delete event');
/** A cluster-scoped object naming a namespaced owner: retrying cannot help. */
export const namespacedOwnerOfClusterScopedObjectErr = new Error('cluster-scoped objects cannot refer to namespaced owners');

/** Resources the collector never watches (Go: `ignoredResources`: core and events.k8s.io Events). */
export const defaultIgnoredResources: ReadonlyArray<{ group: string; resource: string }> = [
  { group: '', resource: 'events' },
  { group: 'events.k8s.io', resource: 'events' },
];

export interface GarbageCollectorOptions {
  client: Clientset;
  clock: FakeClock;
  rng: Rng;
  /** `--concurrent-gc-syncs` (default 20): workers on each of the two queues. */
  workers?: number;
  trace?: TraceRecorder;
}

type Action = 'forget' | 'requeue';

/** Builds the collector; `run()` discovers the deletable resources, starts the monitors and the workers. */
export function newGarbageCollector(o: GarbageCollectorOptions): GarbageCollector {
  return new GarbageCollector(o);
}

// Upstream: garbagecollector.go (GarbageCollector)
export class GarbageCollector {
  readonly dependencyGraphBuilder: GraphBuilder;
  readonly workers: number;
  /** Errors a worker met, as Go's HandleError would log them (newest last). */
  readonly errors: string[] = [];
  readonly ops: Operations;
  readonly #o: GarbageCollectorOptions;
  readonly #resources = new Map<string, { gvr: GroupVersionResource; namespaced: boolean }>();
  #loops: Promise<void>[] = [];

  // Upstream: garbagecollector.go (NewGarbageCollector)
  constructor(o: GarbageCollectorOptions) {
    this.#o = o;
    this.workers = o.workers ?? 20;
    const recorder = newEventRecorder(o.client, o.clock, { component: 'garbage-collector-controller' });
    this.dependencyGraphBuilder = new GraphBuilder({
      clock: o.clock,
      trace: o.trace,
      recordEvent: (ref, type, reason, message) => void recorder.event({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace, uid: ref.uid } }, type, reason, message),
    });
    const mapper: RestMapper = { resourceFor: (apiVersion, kind) => this.#resources.get(`${apiVersion}/${kind}`) };
    this.ops = new Operations(o.client, o.clock, mapper);
  }

  /** Registers a kind the mapper knows (run() does this from discovery; tests may call it directly). */
  addResource(r: MonitoredResource): void {
    const apiVersion = r.gvr.group ? `${r.gvr.group}/${r.gvr.version}` : r.gvr.version;
    this.#resources.set(`${apiVersion}/${r.kind}`, { gvr: r.gvr, namespaced: r.namespaced });
  }

  /**
   * Discovers the deletable resources, starts a monitor on each, waits for their caches, then
   * the graph worker and `workers` workers on each queue. Resolves once the workers run.
   */
  // Upstream: garbagecollector.go (GarbageCollector.Run, GetDeletableResources), graph_builder.go (syncMonitors)
  async run(): Promise<void> {
    const o = this.#o;
    const resources = await getDeletableResources(o.client);
    for (const r of resources) this.addResource(r);
    const gb = this.dependencyGraphBuilder;
    const factory = newSharedInformerFactory(listerWatcherFor(o.client), 0, { clock: o.clock, rng: o.rng.fork('informers') });
    gb.startMonitors(factory, resources);
    this.#loops.push(gb.runProcessGraphChanges());
    await factory.waitForCacheSync();
    for (let i = 0; i < this.workers; i++) {
      this.#loops.push(this.#runAttemptToDeleteWorker());
      this.#loops.push(this.#runAttemptToOrphanWorker());
    }
  }

  stop(): void {
    this.dependencyGraphBuilder.shutDown();
  }

  /** The graph has a node for `uid` (Go: `GraphHasUID`). */
  graphHasUID(uid: string): boolean {
    return this.dependencyGraphBuilder.uidToNode.read(uid) !== undefined;
  }

  async #runAttemptToDeleteWorker(): Promise<void> {
    const q = this.dependencyGraphBuilder.attemptToDelete;
    for (;;) {
      const { item, shutdown } = await q.get();
      if (shutdown) return;
      try {
        const action = await this.attemptToDeleteWorker(item);
        if (action === 'forget') q.forget(item);
        else q.addRateLimited(item);
      } finally {
        q.done(item);
      }
    }
  }

  // Upstream: garbagecollector.go (GarbageCollector.attemptToDeleteWorker)
  async attemptToDeleteWorker(item: GraphNode): Promise<Action> {
    let n = item;
    const uidToNode = this.dependencyGraphBuilder.uidToNode;
    if (!n.isObserved()) {
      const fromGraph = uidToNode.read(n.identity.uid);
      // Requeued virtual node meanwhile removed, or observed for real: nothing to do for it.
      if (!fromGraph || fromGraph.isObserved()) return 'forget';
    }
    const fromGraph = uidToNode.read(n.identity.uid);
    if (fromGraph && (n.identity.apiVersion !== fromGraph.identity.apiVersion || n.identity.kind !== fromGraph.identity.kind)) {
      n = n.clone();
      n.identity = { ...n.identity, apiVersion: fromGraph.identity.apiVersion, kind: fromGraph.identity.kind };
    }
    try {
      await this.attemptToDeleteItem(n);
    } catch (e) {
      if (e === enqueuedVirtualDeleteEventErr || e === namespacedOwnerOfClusterScopedObjectErr) return 'forget';
      // Go logs a REST mapping error (a kind not yet discovered) and any other error alike, then retries.
      this.errors.push(`error syncing item ${n.toJSON()}: ${(e as Error).message}`);
      return 'requeue';
    }
    // A virtual node is looked at again until an informer observes it (issue 56121).
    return n.isObserved() ? 'forget' : 'requeue';
  }

  /**
   * Whether `reference` names an owner that does not exist: absent by the cache, not found, or
   * found with another uid (a namesake is not the owner). Returns the owner when it exists.
   */
  // Upstream: garbagecollector.go (GarbageCollector.isDangling)
  async isDangling(reference: OwnerReference, item: GraphNode): Promise<{ dangling: boolean; owner?: KubeObject }> {
    const absent = this.dependencyGraphBuilder.absentOwnerCache;
    const key: ObjectReference = { ...ownerReferenceCoordinates(reference), namespace: '' };
    if (absent.has(key)) return { dangling: true };
    key.namespace = item.identity.namespace;
    if (absent.has(key)) return { dangling: true };
    const { namespaced } = this.ops.apiResource(reference.apiVersion, reference.kind);
    if (!namespaced) key.namespace = '';
    if (item.identity.namespace === '' && namespaced) throw namespacedOwnerOfClusterScopedObjectErr;
    let owner: KubeObject;
    try {
      owner = await this.ops.getOwner(reference, item.identity.namespace);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      absent.add(key);
      return { dangling: true };
    }
    if (owner.metadata.uid !== reference.uid) {
      absent.add(key);
      return { dangling: true };
    }
    return { dangling: false, owner };
  }

  /** Sorts the references into solid, dangling, and owners deleting in the foreground. */
  // Upstream: garbagecollector.go (GarbageCollector.classifyReferences)
  async classifyReferences(item: GraphNode, refs: OwnerReference[]): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waitingForDependentsDeletion: OwnerReference[] }> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const { dangling: isDangling, owner } = await this.isDangling(ref, item);
      if (isDangling) dangling.push(ref);
      else if (owner?.metadata.deletionTimestamp && hasDeleteDependentsFinalizer(owner)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waitingForDependentsDeletion: waiting };
  }

  /**
   * Looks the item up at the API server and deletes it iff its uid matches, it is not blocked on
   * its own dependents, and no owner is solid; with a solid owner, drops the dangling and
   * waiting references instead.
   */
  // Upstream: garbagecollector.go (GarbageCollector.attemptToDeleteItem)
  async attemptToDeleteItem(item: GraphNode): Promise<void> {
    // Being deleted is a one-way trip: the final deletion event will queue the dependents.
    const gb = this.dependencyGraphBuilder;
    const verdict = (v: DeleteVerdict, dangling: OwnerReference[] = [], waiting: OwnerReference[] = []) => gb.events.emit('garbagecollector.attemptToDelete', { ...refFields(item.identity), verdict: v, dangling: dangling.map((r) => r.uid), waiting: waiting.map((r) => r.uid) });
    if (item.isBeingDeleted() && !item.isDeletingDependents()) return verdict('beingDeleted');
    let latest: KubeObject;
    try {
      latest = await this.ops.getObject(item.identity);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      verdict('gone');
      gb.enqueueVirtualDeleteEvent(item.identity);
      throw enqueuedVirtualDeleteEventErr;
    }
    if (latest.metadata.uid !== item.identity.uid) {
      verdict('gone');
      gb.enqueueVirtualDeleteEvent(item.identity);
      throw enqueuedVirtualDeleteEventErr;
    }
    if (item.isDeletingDependents()) {
      verdict('deletingDependents');
      return this.processDeletingDependentsItem(item);
    }
    const refs = latest.metadata.ownerReferences ?? [];
    if (refs.length === 0) return verdict('noOwners');
    const { solid, dangling, waitingForDependentsDeletion } = await this.classifyReferences(item, refs);
    const rv = latest.metadata.resourceVersion ?? '';
    if (solid.length > 0) {
      verdict('solidOwner', dangling, waitingForDependentsDeletion);
      if (dangling.length === 0 && waitingForDependentsDeletion.length === 0) return;
      // A waiting owner must lose this reference, or its foreground delete never ends.
      await this.ops.deleteOwnerRefs(item.identity, ...[...dangling, ...waitingForDependentsDeletion].map((r) => r.uid));
      return;
    }
    if (waitingForDependentsDeletion.length > 0 && item.dependentsLength() > 0) {
      verdict('foreground', dangling, waitingForDependentsDeletion);
      // A dependent itself deleting in the foreground may be a cycle: stop blocking the owners first.
      if (item.getDependents().some((dep) => dep.isDeletingDependents())) await this.ops.unblockOwnerReferences(item.identity, item.owners);
      return this.#delete(item, rv, latest.metadata.ownerReferences, 'Foreground');
    }
    // No solid owner: collect it, honouring a finalizer it already has.
    const policy: DeletionPropagation = hasOrphanFinalizer(latest) ? 'Orphan' : hasDeleteDependentsFinalizer(latest) ? 'Foreground' : 'Background';
    verdict('delete', dangling, waitingForDependentsDeletion);
    return this.#delete(item, rv, latest.metadata.ownerReferences, policy);
  }

  async #delete(item: GraphNode, rv: string, owners: OwnerReference[] | undefined, policy: DeletionPropagation): Promise<void> {
    this.dependencyGraphBuilder.events.emit('garbagecollector.delete', { ...refFields(item.identity), policy });
    try {
      await this.ops.deleteObject(item.identity, rv, owners, policy);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.dependencyGraphBuilder.enqueueVirtualDeleteEvent(item.identity);
      throw enqueuedVirtualDeleteEventErr;
    }
  }

  /** An owner deleting in the foreground: done when no dependent blocks it, else its blocking dependents are queued. */
  // Upstream: garbagecollector.go (GarbageCollector.processDeletingDependentsItem)
  async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    const events = this.dependencyGraphBuilder.events;
    if (blocking.length === 0) {
      events.emit('garbagecollector.removeFinalizer', { ...refFields(item.identity), finalizer: FinalizerDeleteDependents });
      return this.ops.removeFinalizer(item.identity, FinalizerDeleteDependents);
    }
    events.emit('garbagecollector.blocked', { ...refFields(item.identity), blocking: blocking.map((d) => d.identity.uid) });
    for (const dep of blocking) if (!dep.isDeletingDependents()) this.dependencyGraphBuilder.attemptToDelete.add(dep);
  }

  /** Drops `owner` from each dependent's references; a dependent already gone is fine. */
  // Upstream: garbagecollector.go (GarbageCollector.orphanDependents)
  async orphanDependents(owner: ObjectReference, dependents: GraphNode[]): Promise<void> {
    const errs: string[] = [];
    this.dependencyGraphBuilder.events.emit('garbagecollector.orphan', { ...refFields(owner), dependents: dependents.map((d) => d.identity.uid) });
    await Promise.all(
      dependents.map(async (dep) => {
        try {
          await this.ops.deleteOwnerRefs(dep.identity, owner.uid);
        } catch (e) {
          if (!isNotFound(e)) errs.push(`orphaning ${dep.toJSON()} failed, ${(e as Error).message}`);
        }
      }),
    );
    if (errs.length) throw new Error(`failed to orphan dependents of owner ${formatReference(owner)}, got errors: ${aggregate(errs)}`);
  }

  async #runAttemptToOrphanWorker(): Promise<void> {
    const q = this.dependencyGraphBuilder.attemptToOrphan;
    for (;;) {
      const { item, shutdown } = await q.get();
      if (shutdown) return;
      try {
        const action = await this.attemptToOrphanWorker(item);
        if (action === 'forget') q.forget(item);
        else q.addRateLimited(item);
      } finally {
        q.done(item);
      }
    }
  }

  /** Orphans the owner's dependents as the graph knows them, then removes its `orphan` finalizer. */
  // Upstream: garbagecollector.go (GarbageCollector.attemptToOrphanWorker)
  async attemptToOrphanWorker(owner: GraphNode): Promise<Action> {
    try {
      await this.orphanDependents(owner.identity, owner.getDependents());
    } catch (e) {
      this.errors.push(`orphanDependents for ${owner.toJSON()} failed with ${(e as Error).message}`);
      return 'requeue';
    }
    try {
      this.dependencyGraphBuilder.events.emit('garbagecollector.removeFinalizer', { ...refFields(owner.identity), finalizer: FinalizerOrphanDependents });
      await this.ops.removeFinalizer(owner.identity, FinalizerOrphanDependents);
    } catch (e) {
      this.errors.push(`removeOrphanFinalizer for ${owner.toJSON()} failed with ${(e as Error).message}`);
      return 'requeue';
    }
    return 'forget';
  }
}

/** utilerrors.NewAggregate's text: one error as is, several as `[a, b]`. */
function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

/**
 * The preferred version of every resource that supports delete, list and watch, Events left
 * out (Go: `GetDeletableResources` then the ignored resources).
 */
// Upstream: garbagecollector.go (GetDeletableResources)
export async function getDeletableResources(client: Clientset): Promise<MonitoredResource[]> {
  const out: MonitoredResource[] = [];
  for (const list of await client.discovery().serverPreferredResources()) {
    const [group, version] = list.groupVersion.includes('/') ? list.groupVersion.split('/') : ['', list.groupVersion];
    for (const r of list.resources) {
      const verbs = (r.verbs as string[] | undefined) ?? [];
      if (!['delete', 'list', 'watch'].every((v) => verbs.includes(v))) continue;
      const resource = String(r.name);
      if (defaultIgnoredResources.some((i) => i.group === group && i.resource === resource)) continue;
      out.push({ gvr: { group, version, resource }, kind: String(r.kind), namespaced: r.namespaced === true });
    }
  }
  return out;
}
