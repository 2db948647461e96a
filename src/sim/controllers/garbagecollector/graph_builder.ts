/**
 * The GraphBuilder: informers ("monitors") on every deletable resource feed `graphChanges`; one
 * worker applies each event to the graph (`uidToNode`) and queues nodes on `attemptToDelete`
 * (maybe garbage, or waiting for its dependents) and `attemptToOrphan` (deleted with `orphan`).
 * Upstream: pkg/controller/garbagecollector/graph_builder.go (kubernetes v1.34)
 */
import type { SharedInformerFactory, GroupVersionResource } from '../../cache/informer_factory';
import { DeletedFinalStateUnknown } from '../../cache/keys';
import { FinalizerDeleteDependents, FinalizerOrphanDependents } from '../../apimachinery/validation';
import type { FakeClock } from '../../core/clock';
import type { KubeObject, OwnerReference } from '../../core/object';
import type { TraceRecorder } from '../../core/trace';
import { defaultControllerRateLimiter } from '../../workqueue/default_rate_limiters';
import { newQueue } from '../../workqueue/queue';
import { newRateLimitingQueue } from '../../workqueue/rate_limiting_queue';
import type { Queue, RateLimitingQueue } from '../../workqueue/types';
import { formatReference, GraphNode, ownerReferenceCoordinates, ownerReferenceMatchesCoordinates, sameReference, UIDToNode, type ObjectReference } from './graph';
import { ReferenceCache } from './uid_cache';
import { EventEmitter } from '../../core/events';
import { activeTrace } from '../../core/env';
import { garbageCollectorEvents, type GarbageCollectorEventMap } from './events';

export { FinalizerDeleteDependents, FinalizerOrphanDependents };

export type EventType = 'add' | 'update' | 'delete';

/** One change for the graph (Go: `event`). A virtual event is the collector's own finding, not an informer's. */
export interface GraphEvent {
  virtual?: boolean;
  eventType: EventType;
  obj: KubeObject;
  /** The previous state, for updates. */
  oldObj?: KubeObject;
  gvk: { apiVersion: string; kind: string };
}

/** A resource the builder watches (Go: a `monitor`'s GroupVersionResource with its kind). */
export interface MonitoredResource {
  gvr: GroupVersionResource;
  kind: string;
  namespaced: boolean;
}

export interface GraphBuilderOptions {
  clock: FakeClock;
  trace?: TraceRecorder;
  /** Writes a core/v1 Event about `ref` (the GC's event recorder). */
  recordEvent?: (ref: ObjectReference, type: 'Normal' | 'Warning', reason: string, message: string) => void;
  absentOwnerCache?: ReferenceCache;
}

const beingDeleted = (o: KubeObject) => !!o.metadata.deletionTimestamp;
const hasFinalizer = (o: KubeObject, f: string) => (o.metadata.finalizers ?? []).includes(f);
export const hasDeleteDependentsFinalizer = (o: KubeObject) => hasFinalizer(o, FinalizerDeleteDependents);
export const hasOrphanFinalizer = (o: KubeObject) => hasFinalizer(o, FinalizerOrphanDependents);

// Upstream: graph_builder.go (GraphBuilder)
export class GraphBuilder {
  readonly uidToNode = new UIDToNode();
  readonly graphChanges: Queue<GraphEvent>;
  /** Nodes that may be garbage, or wait for their dependents to go. */
  readonly attemptToDelete: RateLimitingQueue<GraphNode>;
  /** Owners deleted with the `orphan` finalizer. */
  readonly attemptToOrphan: RateLimitingQueue<GraphNode>;
  readonly absentOwnerCache: ReferenceCache;
  readonly monitors: MonitoredResource[] = [];
  /** The owner graph's and the workers' trace events (the `ownergraph` view). */
  readonly events: EventEmitter<GarbageCollectorEventMap, Record<string, never>>;
  readonly #o: GraphBuilderOptions;
  #factory?: SharedInformerFactory;

  constructor(o: GraphBuilderOptions) {
    this.#o = o;
    this.absentOwnerCache = o.absentOwnerCache ?? new ReferenceCache(500);
    const cfg = { clock: o.clock, trace: o.trace };
    this.events = new EventEmitter(garbageCollectorEvents, { clock: o.clock, trace: o.trace ?? activeTrace() }, {});
    this.graphChanges = newQueue<GraphEvent>({ ...cfg, name: 'garbage_collector_graph_changes' });
    this.attemptToDelete = newRateLimitingQueue<GraphNode>(defaultControllerRateLimiter<GraphNode>(o.clock), { ...cfg, name: 'garbage_collector_attempt_to_delete' });
    this.attemptToOrphan = newRateLimitingQueue<GraphNode>(defaultControllerRateLimiter<GraphNode>(o.clock), { ...cfg, name: 'garbage_collector_attempt_to_orphan' });
  }

  /** An informer per resource whose events become graph changes (Go: `controllerFor`, `syncMonitors`). */
  // Upstream: graph_builder.go (GraphBuilder.controllerFor, syncMonitors, startMonitors)
  startMonitors(factory: SharedInformerFactory, resources: MonitoredResource[]): void {
    this.#factory = factory;
    for (const r of resources) {
      this.monitors.push(r);
      const gvk = { apiVersion: r.gvr.group ? `${r.gvr.group}/${r.gvr.version}` : r.gvr.version, kind: r.kind };
      factory.forResource(r.gvr).informer().addEventHandler({
        onAdd: (obj) => this.graphChanges.add({ eventType: 'add', obj: obj as KubeObject, gvk }),
        onUpdate: (old, cur) => this.graphChanges.add({ eventType: 'update', obj: cur as KubeObject, oldObj: old as KubeObject, gvk }),
        onDelete: (obj) => {
          const o = (obj instanceof DeletedFinalStateUnknown ? obj.obj : obj) as KubeObject | undefined;
          if (o) this.graphChanges.add({ eventType: 'delete', obj: o, gvk });
        },
      });
    }
    factory.start();
  }

  /** Every monitor's informer has synced (Go: `IsSynced`). */
  isSynced(): boolean {
    const f = this.#factory;
    return !!f && this.monitors.every((m) => f.forResource(m.gvr).informer().hasSynced());
  }

  shutDown(): void {
    this.graphChanges.shutDown();
    this.attemptToDelete.shutDown();
    this.attemptToOrphan.shutDown();
    this.#factory?.shutdown();
  }

  /** The graph worker: applies events until the queue shuts down (Go: `runProcessGraphChanges`). */
  async runProcessGraphChanges(): Promise<void> {
    while (await this.processGraphChanges());
  }

  /** Takes one event off `graphChanges` and applies it; false once shut down. */
  // Upstream: graph_builder.go (GraphBuilder.processGraphChanges)
  async processGraphChanges(): Promise<boolean> {
    const { item, shutdown } = await this.graphChanges.get();
    if (shutdown) return false;
    try {
      this.processEvent(item);
    } finally {
      this.graphChanges.done(item);
    }
    return true;
  }

  /** Queues a delete of `ref` found by the collector, not an informer (Go: `enqueueVirtualDeleteEvent`). */
  // Upstream: graph_builder.go (GraphBuilder.enqueueVirtualDeleteEvent)
  enqueueVirtualDeleteEvent(ref: ObjectReference): void {
    const obj: KubeObject = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { namespace: ref.namespace, uid: ref.uid, name: ref.name } };
    this.graphChanges.add({ virtual: true, eventType: 'delete', gvk: { apiVersion: ref.apiVersion, kind: ref.kind }, obj });
  }

  /** Applies one event to the graph (the body of `processGraphChanges`, callable on its own in tests). */
  // Upstream: graph_builder.go (GraphBuilder.processGraphChanges)
  processEvent(event: GraphEvent): void {
    const m = event.obj.metadata;
    const uid = m.uid ?? '';
    let existing = this.uidToNode.read(uid);
    const found = existing !== undefined;
    if (existing && !event.virtual && !existing.isObserved()) {
      const observed = identityFromEvent(event);
      if (!sameReference(observed, existing.identity)) {
        // Bad child -> good parent order: dependents that named the owner wrongly are rechecked.
        const [, potentiallyInvalid] = partitionDependents(existing.getDependents(), observed);
        for (const dep of potentiallyInvalid) {
          if (observed.namespace && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespaceOwnerRef(dep, observed.uid);
          this.attemptToDelete.add(dep);
        }
        existing = existing.clone();
        existing.identity = observed;
        this.uidToNode.write(existing);
      }
      existing.markObserved();
    }
    const owners = m.ownerReferences ?? [];
    if (event.eventType !== 'delete' && !existing) {
      const n = new GraphNode(identityFromEvent(event), { owners, beingDeleted: beingDeleted(event.obj), deletingDependents: beingDeleted(event.obj) && hasDeleteDependentsFinalizer(event.obj) });
      this.insertNode(n);
      // The informer's queue may fold a create and a delete into one event.
      this.processTransitions(event.oldObj, event.obj, n);
      this.#emitNode(n, event);
      return;
    }
    if (event.eventType !== 'delete' && existing) {
      let node = existing;
      if (!event.virtual && (node.identity.apiVersion !== event.gvk.apiVersion || node.identity.kind !== event.gvk.kind)) {
        const old = node;
        node = node.clone();
        node.identity = { ...node.identity, apiVersion: event.gvk.apiVersion, kind: event.gvk.kind };
        this.uidToNode.write(node);
        for (const o of node.owners) this.uidToNode.read(o.uid)?.replaceDependentIfItExists(old, node);
      }
      const { added, removed, changed } = referencesDiffs(node.owners, owners);
      if (added.length || removed.length || changed.length) {
        this.addUnblockedOwnersToDeleteQueue(removed, changed);
        node.setOwners(owners);
        this.addDependentToOwners(node, added);
        this.removeDependentFromOwners(node, removed);
      }
      if (beingDeleted(event.obj)) node.markBeingDeleted();
      this.processTransitions(event.oldObj, event.obj, node);
      this.#emitNode(node, event);
      return;
    }
    if (!found || !existing) return;
    let removeExisting = true;
    if (event.virtual) {
      const deleted = identityFromEvent(event);
      if (existing.virtual) {
        const [matching, nonmatching] = partitionDependents(existing.getDependents(), deleted);
        if (nonmatching.length > 0) {
          // Dependents disagree on this owner's coordinates: keep the virtual node for them.
          removeExisting = false;
          if (matching.length > 0) {
            this.absentOwnerCache.add(deleted);
            for (const dep of matching) this.attemptToDelete.add(dep);
          }
          if (sameReference(existing.identity, deleted)) {
            const replacement = getAlternateOwnerIdentity(nonmatching, deleted);
            if (replacement) {
              const r = existing.clone();
              r.identity = replacement;
              this.uidToNode.write(r);
              this.attemptToDelete.addRateLimited(r);
            }
          }
        }
      } else if (!sameReference(existing.identity, deleted)) {
        removeExisting = false;
        const [matching] = partitionDependents(existing.getDependents(), deleted);
        if (matching.length > 0) {
          this.absentOwnerCache.add(deleted);
          for (const dep of matching) this.attemptToDelete.add(dep);
        }
      }
    }
    if (!removeExisting) return;
    this.removeNode(existing);
    if (this.events.recording) this.events.emit('garbagecollector.remove', { ...refFields(existing.identity), dependents: [...existing.dependents].map((d) => d.identity.uid) });
    if (existing.dependents.size > 0) this.absentOwnerCache.add(identityFromEvent(event));
    for (const dep of existing.dependents) this.attemptToDelete.add(dep);
    for (const o of existing.owners) {
      const owner = this.uidToNode.read(o.uid);
      // An owner deleting in the foreground may now have no blocking dependents left.
      if (owner?.isDeletingDependents()) this.attemptToDelete.add(owner);
    }
  }

  /**
   * Adds `n` to its owners' dependents, creating a virtual node (queued for a lookup) for an owner
   * not in the graph; queues `n` itself when a reference cannot be right (another namespace, other
   * coordinates than the owner observed, or a virtual cluster-scoped owner from another namespace).
   */
  // Upstream: graph_builder.go (GraphBuilder.addDependentToOwners)
  addDependentToOwners(n: GraphNode, owners: OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const ref of owners) {
      let owner = this.uidToNode.read(ref.uid);
      const known = owner !== undefined;
      if (!owner) {
        owner = new GraphNode({ ...ownerReferenceCoordinates(ref), namespace: n.identity.namespace }, { virtual: true });
        this.uidToNode.write(owner);
        this.#emitNode(owner);
      }
      owner.addDependent(n);
      if (!known) {
        this.attemptToDelete.add(owner);
        continue;
      }
      if (potentiallyInvalid) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== n.identity.namespace) {
        if (owner.isObserved()) this.reportInvalidNamespaceOwnerRef(n, ref.uid);
        potentiallyInvalid = true;
      } else if (!ownerReferenceMatchesCoordinates(ref, owner.identity)) {
        potentiallyInvalid = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== n.identity.namespace && !owner.isObserved()) {
        // Maybe a namespaced kind wrongly named by a cluster-scoped dependent (issue #98040).
        potentiallyInvalid = true;
      }
    }
    if (potentiallyInvalid) this.attemptToDelete.add(n);
  }

  /** The `OwnerRefInvalidNamespace` warning on the dependent. */
  // Upstream: graph_builder.go (GraphBuilder.reportInvalidNamespaceOwnerRef)
  reportInvalidNamespaceOwnerRef(n: GraphNode, invalidOwnerUID: string): void {
    const ref = n.owners.find((o) => o.uid === invalidOwnerUID);
    if (!ref) return;
    const invalid: ObjectReference = { ...ownerReferenceCoordinates(ref), namespace: n.identity.namespace };
    this.#o.recordEvent?.(n.identity, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${formatReference(invalid)} does not exist in namespace ${JSON.stringify(n.identity.namespace)}`);
  }

  /** The node as the graph now holds it, with the object's deletion state from the event. */
  #emitNode(n: GraphNode, event?: GraphEvent): void {
    if (!this.events.recording) return;
    const m = event?.obj.metadata;
    this.events.emit('garbagecollector.node', {
      ...refFields(n.identity),
      eventType: event ? (event.virtual ? `virtual ${event.eventType}` : event.eventType) : 'virtual',
      virtual: n.virtual,
      owners: n.owners.map((o) => ({ uid: o.uid, apiVersion: o.apiVersion, kind: o.kind, name: o.name, controller: o.controller === true, blockOwnerDeletion: o.blockOwnerDeletion === true })),
      beingDeleted: n.isBeingDeleted(),
      deletingDependents: n.isDeletingDependents(),
      deletionTimestamp: m?.deletionTimestamp ?? null,
      finalizers: [...(m?.finalizers ?? [])],
    });
  }

  // Upstream: graph_builder.go (GraphBuilder.insertNode)
  insertNode(n: GraphNode): void {
    this.uidToNode.write(n);
    this.addDependentToOwners(n, n.owners);
  }

  // Upstream: graph_builder.go (GraphBuilder.removeDependentFromOwners)
  removeDependentFromOwners(n: GraphNode, owners: OwnerReference[]): void {
    for (const o of owners) this.uidToNode.read(o.uid)?.deleteDependent(n);
  }

  // Upstream: graph_builder.go (GraphBuilder.removeNode)
  removeNode(n: GraphNode): void {
    this.uidToNode.delete(n.identity.uid);
    this.removeDependentFromOwners(n, n.owners);
  }

  /** An owner a removed or unblocked reference no longer holds may be waiting to finish a foreground delete. */
  // Upstream: graph_builder.go (GraphBuilder.addUnblockedOwnersToDeleteQueue)
  addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }>): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion !== true) continue;
      const n = this.uidToNode.read(ref.uid);
      if (n) this.attemptToDelete.add(n);
    }
    for (const c of changed) {
      if (c.oldRef.blockOwnerDeletion === true && c.newRef.blockOwnerDeletion !== true) {
        const n = this.uidToNode.read(c.newRef.uid);
        if (n) this.attemptToDelete.add(n);
      }
    }
  }

  /** A delete that just started with `orphan` queues the owner for orphaning; with `foregroundDeletion`, it and its dependents for deletion. */
  // Upstream: graph_builder.go (GraphBuilder.processTransitions)
  processTransitions(oldObj: KubeObject | undefined, cur: KubeObject, n: GraphNode): void {
    if (deletionStartsWithFinalizer(oldObj, cur, FinalizerOrphanDependents)) {
      this.attemptToOrphan.add(n);
      return;
    }
    if (deletionStartsWithFinalizer(oldObj, cur, FinalizerDeleteDependents)) {
      n.markDeletingDependents();
      for (const dep of n.dependents) this.attemptToDelete.add(dep);
      this.attemptToDelete.add(n);
    }
  }
}

// Upstream: graph_builder.go (identityFromEvent)
export function identityFromEvent(event: GraphEvent): ObjectReference {
  const m = event.obj.metadata;
  return { apiVersion: event.gvk.apiVersion, kind: event.gvk.kind, uid: m.uid ?? '', name: m.name ?? '', namespace: m.namespace ?? '' };
}

// Upstream: graph_builder.go (deletionStartsWithFinalizer)
export function deletionStartsWithFinalizer(oldObj: KubeObject | undefined, cur: KubeObject, finalizer: string): boolean {
  if (!beingDeleted(cur) || !hasFinalizer(cur, finalizer)) return false;
  if (!oldObj) return true;
  return !beingDeleted(oldObj) || !hasFinalizer(oldObj, finalizer);
}

const refEqual = (a: OwnerReference, b: OwnerReference) => a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion;

/** References added, removed and changed, matched by uid. */
// Upstream: graph_builder.go (referencesDiffs)
export function referencesDiffs(old: OwnerReference[], cur: OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }> } {
  const oldByUID = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }> = [];
  const left = new Set(oldByUID.keys());
  for (const r of cur) {
    const o = oldByUID.get(r.uid);
    if (o) {
      if (!refEqual(o, r)) changed.push({ oldRef: o, newRef: r });
      left.delete(r.uid);
    } else added.push(r);
  }
  return { added, removed: [...left].map((u) => oldByUID.get(u) as OwnerReference), changed };
}

/** Dependents whose reference to `owner.uid` matches its coordinates, and those with one that does not (a dependent can be in both). */
// Upstream: graph_builder.go (partitionDependents)
export function partitionDependents(dependents: GraphNode[], owner: ObjectReference): [GraphNode[], GraphNode[]] {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (owner.namespace && owner.namespace !== dep.identity.namespace) mismatch = true;
    else
      for (const r of dep.owners) {
        if (r.uid !== owner.uid) continue;
        if (ownerReferenceMatchesCoordinates(r, owner)) match = true;
        else mismatch = true;
      }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return [matching, nonmatching];
}

// Upstream: graph_builder.go (referenceLessThan)
export function referenceLessThan(a: ObjectReference, b: ObjectReference): boolean {
  for (const k of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) if (a[k] !== b[k]) return a[k] < b[k];
  return false;
}

/** Another identity the dependents give the absent owner's uid: the first after it in order, else the first. */
// Upstream: graph_builder.go (getAlternateOwnerIdentity)
export function getAlternateOwnerIdentity(deps: GraphNode[], absent: ObjectReference): ObjectReference | undefined {
  const clusterScoped = absent.namespace === '';
  const seen = new Set([formatReference(absent)]);
  let first: ObjectReference | undefined;
  let firstFollowing: ObjectReference | undefined;
  for (const dep of deps) {
    for (const r of dep.owners) {
      if (r.uid !== absent.uid) continue;
      if (ownerReferenceMatchesCoordinates(r, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const ref: ObjectReference = { ...ownerReferenceCoordinates(r), namespace: dep.identity.namespace };
      if (clusterScoped && ref.apiVersion === absent.apiVersion && ref.kind === absent.kind) ref.namespace = '';
      if (seen.has(formatReference(ref))) continue;
      seen.add(formatReference(ref));
      if (!first || referenceLessThan(ref, first)) first = ref;
      if (referenceLessThan(absent, ref) && (!firstFollowing || referenceLessThan(ref, firstFollowing))) firstFollowing = ref;
    }
  }
  return firstFollowing ?? first;
}

/** An object's coordinates as the collector's events carry them. */
export function refFields(r: ObjectReference): { uid: string; apiVersion: string; kind: string; namespace: string; name: string } {
  return { uid: r.uid, apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name };
}
