/**
 * The garbage collector's trace events (component `garbagecollector`): the owner graph as the
 * GraphBuilder changes it (a node with its owner references, deletionTimestamp and finalizers; a
 * node removed) and what the workers decide and do (attemptToDelete's verdict, a delete with its
 * propagation policy, orphaning, a finalizer removed). For the `ownergraph` view; every event
 * names its object by uid and coordinates.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

const TAG = 'v1.34.0';
const file = (name: string) => `pkg/controller/garbagecollector/${name}`;

/** An object's coordinates on an event. */
type Ref = { uid: string; apiVersion: string; kind: string; namespace: string; name: string };
/** One owner reference, as the dependent's metadata says. */
export type OwnerRefFields = { uid: string; apiVersion: string; kind: string; name: string; controller: boolean; blockOwnerDeletion: boolean };

/** attemptToDeleteItem's verdict on an item. */
export type DeleteVerdict =
  /** Being deleted (not in the foreground): the final delete event will queue its dependents. */
  | 'beingDeleted'
  /** Gone, or another uid under its name: a virtual delete event is queued. */
  | 'gone'
  /** Deleting in the foreground: processDeletingDependentsItem looks at its blocking dependents. */
  | 'deletingDependents'
  | 'noOwners'
  /** Some owner exists: kept (dangling or waiting references are dropped). */
  | 'solidOwner'
  /** No owner exists, some waits for its dependents: deleted in the foreground. */
  | 'foreground'
  /** No owner exists: collected. */
  | 'delete';

export type GarbageCollectorEventMap = {
  /** The graph's node for an object after an informer event (or a virtual node for an owner not yet seen). */
  'garbagecollector.node': Ref & {
    eventType: string;
    virtual: boolean;
    owners: OwnerRefFields[];
    beingDeleted: boolean;
    deletingDependents: boolean;
    deletionTimestamp: string | null;
    finalizers: string[];
  };
  /** The object left the graph (its informer saw it deleted, or a virtual delete). */
  'garbagecollector.remove': Ref & { dependents: string[] };
  /** attemptToDeleteItem decided about an item. */
  'garbagecollector.attemptToDelete': Ref & { verdict: DeleteVerdict; dangling: string[]; waiting: string[] };
  /** The collector deletes an object with a propagation policy. */
  'garbagecollector.delete': Ref & { policy: string };
  /** An owner deleted with `orphan`: its references removed from these dependents. */
  'garbagecollector.orphan': Ref & { dependents: string[] };
  /** A foreground delete waits: these dependents still block the owner. */
  'garbagecollector.blocked': Ref & { blocking: string[] };
  /** The collector removed one of its finalizers from an object. */
  'garbagecollector.removeFinalizer': Ref & { finalizer: string };
};

export type GarbageCollectorEvent = AnyEventOf<GarbageCollectorEventMap>;

const who = (e: Ref) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`;

export const garbageCollectorEvents = defineEvents<GarbageCollectorEventMap>(
  'garbagecollector',
  { name: 'kubernetes', tag: TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${TAG}/` },
  {
    'garbagecollector.node': {
      text: (e) => `graph: ${e.virtual ? 'virtual ' : ''}${who(e)}${e.owners.length ? ` owned by ${e.owners.map((o) => `${o.kind} ${o.name}`).join(', ')}` : ''}${e.deletionTimestamp ? ' (being deleted)' : ''}${e.finalizers.length ? ` finalizers ${e.finalizers.join(',')}` : ''}`,
      source: { file: file('graph_builder.go'), symbol: 'GraphBuilder.processGraphChanges' },
    },
    'garbagecollector.remove': { text: (e) => `graph: ${who(e)} removed${e.dependents.length ? `, ${e.dependents.length} dependents queued` : ''}`, source: { file: file('graph_builder.go'), symbol: 'GraphBuilder.removeNode' } },
    'garbagecollector.attemptToDelete': { text: (e) => `attemptToDelete ${who(e)}: ${e.verdict}`, source: { file: file('garbagecollector.go'), symbol: 'GarbageCollector.attemptToDeleteItem' } },
    'garbagecollector.delete': { text: (e) => `delete ${who(e)} (propagationPolicy ${e.policy})`, source: { file: file('operations.go'), symbol: 'GarbageCollector.deleteObject' } },
    'garbagecollector.orphan': { text: (e) => `orphan ${e.dependents.length} dependents of ${who(e)}`, source: { file: file('garbagecollector.go'), symbol: 'GarbageCollector.orphanDependents' } },
    'garbagecollector.blocked': { text: (e) => `${who(e)} waits for ${e.blocking.length} blocking dependents`, source: { file: file('garbagecollector.go'), symbol: 'GarbageCollector.processDeletingDependentsItem' } },
    'garbagecollector.removeFinalizer': { text: (e) => `remove finalizer ${e.finalizer} from ${who(e)}`, source: { file: file('operations.go'), symbol: 'GarbageCollector.removeFinalizer' } },
  },
);
