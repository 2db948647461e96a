/**
 * The dependency graph: one node per object uid, with its owners (as its ownerReferences say) and
 * its dependents (the nodes naming it as an owner).
 * Upstream: pkg/controller/garbagecollector/graph.go (kubernetes v1.34)
 */
import type { OwnerReference } from '../../core/object';

export type { OwnerReference };

/** An object's coordinates: an owner reference plus the namespace (Go: `objectReference`). */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** '' for a cluster-scoped object. */
  namespace: string;
}

/** `[apps/v1/ReplicaSet, namespace: default, name: web, uid: 1]`, as Go prints an objectReference. */
// Upstream: graph.go (objectReference.String)
export function formatReference(r: ObjectReference): string {
  return `[${r.apiVersion}/${r.kind}, namespace: ${r.namespace}, name: ${r.name}, uid: ${r.uid}]`;
}

export function sameReference(a: ObjectReference, b: ObjectReference): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.namespace === b.namespace;
}

/** The identifying part of an owner reference (Go: `ownerReferenceCoordinates`). */
export function ownerReferenceCoordinates(r: OwnerReference): Omit<ObjectReference, 'namespace'> {
  return { apiVersion: r.apiVersion, kind: r.kind, name: r.name, uid: r.uid };
}

// Upstream: graph.go (ownerReferenceMatchesCoordinates)
export function ownerReferenceMatchesCoordinates(a: OwnerReference, b: Omit<ObjectReference, 'namespace'>): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion;
}

/**
 * A node of the graph. Invariants: `n` is in `o.dependents` iff `n.owners` names `o.identity.uid`
 * and `o` is in the graph; a virtual node stands for an owner named by a dependent but not yet
 * seen by an informer, and its identity is only what that dependent claims.
 */
// Upstream: graph.go (node)
export class GraphNode {
  identity: ObjectReference;
  readonly dependents: Set<GraphNode>;
  /** The object's ownerReferences as last observed. */
  owners: OwnerReference[];
  /** Set once the object has a deletionTimestamp and the `foregroundDeletion` finalizer. */
  deletingDependents: boolean;
  /** Set once the object has a deletionTimestamp. */
  beingDeleted: boolean;
  /** True until an informer event about the object arrives. */
  virtual: boolean;

  constructor(identity: ObjectReference, o: { owners?: OwnerReference[]; virtual?: boolean; beingDeleted?: boolean; deletingDependents?: boolean; dependents?: Set<GraphNode> } = {}) {
    this.identity = identity;
    this.owners = o.owners ?? [];
    this.virtual = o.virtual ?? false;
    this.beingDeleted = o.beingDeleted ?? false;
    this.deletingDependents = o.deletingDependents ?? false;
    this.dependents = o.dependents ?? new Set();
  }

  /** A copy sharing nothing but the dependents' members (Go: `clone`). */
  clone(): GraphNode {
    return new GraphNode({ ...this.identity }, { owners: [...this.owners], virtual: this.virtual, beingDeleted: this.beingDeleted, deletingDependents: this.deletingDependents, dependents: new Set(this.dependents) });
  }

  markBeingDeleted(): void {
    this.beingDeleted = true;
  }
  isBeingDeleted(): boolean {
    return this.beingDeleted;
  }
  markDeletingDependents(): void {
    this.deletingDependents = true;
  }
  isDeletingDependents(): boolean {
    return this.deletingDependents;
  }
  markObserved(): void {
    this.virtual = false;
  }
  isObserved(): boolean {
    return !this.virtual;
  }
  addDependent(d: GraphNode): void {
    this.dependents.add(d);
  }
  deleteDependent(d: GraphNode): void {
    this.dependents.delete(d);
  }
  dependentsLength(): number {
    return this.dependents.size;
  }
  getDependents(): GraphNode[] {
    return [...this.dependents];
  }
  /** Swaps `old` for `cur` among the dependents, if it is one (a dependent's kind changed). */
  replaceDependentIfItExists(old: GraphNode, cur: GraphNode): void {
    if (this.dependents.delete(old)) this.dependents.add(cur);
  }
  /** How queues and traces name the node. */
  toJSON(): string {
    return formatReference(this.identity);
  }
  setOwners(owners: OwnerReference[]): void {
    this.owners = owners;
  }

  /** The dependents whose reference to this node has `blockOwnerDeletion: true`: they hold a foreground delete. */
  // Upstream: graph.go (node.blockingDependents)
  blockingDependents(): GraphNode[] {
    return this.getDependents().filter((dep) => dep.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true));
  }
}

/** The graph's index (Go: `concurrentUIDToNode`; one thread here, so a Map). */
// Upstream: graph.go (concurrentUIDToNode)
export class UIDToNode {
  readonly #m = new Map<string, GraphNode>();
  write(n: GraphNode): void {
    this.#m.set(n.identity.uid, n);
  }
  read(uid: string): GraphNode | undefined {
    return this.#m.get(uid);
  }
  delete(uid: string): void {
    this.#m.delete(uid);
  }
  get size(): number {
    return this.#m.size;
  }
  nodes(): GraphNode[] {
    return [...this.#m.values()];
  }
}
