/**
 * The owner graph at the cursor: a pure function of the garbage collector's `garbagecollector.*`
 * events (src/sim/controllers/garbagecollector/events.ts): each object's node with its owner
 * references, deletionTimestamp and finalizers, objects gone from the graph, and what the collector
 * did last to each (attemptToDelete's verdict, a delete with its policy, orphaning, a finalizer).
 */
import type { TraceEvent } from '../../../sim/index';

export interface OwnerRef {
  uid: string;
  kind: string;
  name: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface ObjNode {
  uid: string;
  kind: string;
  name: string;
  namespace: string;
  owners: OwnerRef[];
  virtual: boolean;
  beingDeleted: boolean;
  deletingDependents: boolean;
  deletionTimestamp: string | null;
  finalizers: string[];
  /** Left the graph (deleted). */
  removed: boolean;
  /** The collector's last action on it, e.g. `delete (Background)`, `orphaned 3 dependents`. */
  action?: string;
  /** Index of the event of that action. */
  actionAt?: number;
}

export interface OwnerGraphState {
  nodes: Map<string, ObjNode>;
  /** The uid the event at the cursor is about, and what it says. */
  current?: { uid: string; text: string; kind: string };
  deletes: number;
  /**
   * Objects in an ownership relation or acted on by the collector (the graph holds every object
   * of every resource; a Namespace nobody owns is not drawn).
   */
  involved: Set<string>;
  /**
   * Every owner uid each object has named up to the cursor, in order: the layout keeps an
   * orphaned dependent under the owner it had (its owners are empty by the end of the trace).
   */
  everOwners: Map<string, string[]>;
}

export const isGcEvent = (e: TraceEvent) => e.component === 'garbagecollector';

const VERDICT_TEXT: Record<string, string> = {
  beingDeleted: 'being deleted: waits for its final delete',
  gone: 'gone: a virtual delete event is queued',
  deletingDependents: 'deleting in the foreground: looks at its blocking dependents',
  noOwners: 'no owner references: nothing to do',
  solidOwner: 'an owner exists: kept',
  foreground: 'no owner left, one waits for its dependents: delete in the foreground',
  delete: 'no owner left: collect it',
};

export function ownerGraphAt(trace: readonly TraceEvent[], cursor: number): OwnerGraphState {
  const s: OwnerGraphState = { nodes: new Map(), deletes: 0, involved: new Set(), everOwners: new Map() };
  const end = Math.min(cursor, trace.length);
  for (let i = 0; i < end; i++) {
    const e = trace[i];
    if (!isGcEvent(e)) continue;
    apply(s, e, i, i === end - 1);
  }
  return s;
}

function nodeOf(s: OwnerGraphState, e: TraceEvent): ObjNode {
  const uid = String(e.uid);
  let n = s.nodes.get(uid);
  if (!n) {
    n = { uid, kind: String(e.kind ?? '?'), name: String(e.name ?? uid), namespace: String(e.namespace ?? ''), owners: [], virtual: false, beingDeleted: false, deletingDependents: false, deletionTimestamp: null, finalizers: [], removed: false };
    s.nodes.set(uid, n);
  }
  return n;
}

function apply(s: OwnerGraphState, e: TraceEvent, index: number, atCursor: boolean): void {
  const n = nodeOf(s, e);
  let text = '';
  switch (e.type) {
    case 'garbagecollector.node':
      Object.assign(n, {
        kind: String(e.kind),
        name: String(e.name),
        namespace: String(e.namespace ?? ''),
        owners: (e.owners as unknown as OwnerRef[]) ?? [],
        virtual: e.virtual === true,
        beingDeleted: e.beingDeleted === true,
        deletingDependents: e.deletingDependents === true,
        deletionTimestamp: (e.deletionTimestamp as string | null) ?? null,
        finalizers: (e.finalizers as string[]) ?? [],
        removed: false,
      });
      for (const o of n.owners) {
        s.involved.add(o.uid);
        const ever = s.everOwners.get(n.uid) ?? [];
        if (!ever.includes(o.uid)) s.everOwners.set(n.uid, [...ever, o.uid]);
      }
      if (n.owners.length) s.involved.add(n.uid);
      text = e.virtual ? 'an owner named by a dependent, not seen yet (virtual)' : e.deletionTimestamp ? 'being deleted' : `observed (${String(e.eventType)})`;
      break;
    case 'garbagecollector.remove':
      n.removed = true;
      text = 'deleted: gone from the graph; its dependents are queued for attemptToDelete';
      break;
    case 'garbagecollector.attemptToDelete':
      text = `attemptToDelete: ${VERDICT_TEXT[String(e.verdict)] ?? String(e.verdict)}`;
      break;
    case 'garbagecollector.delete':
      s.deletes++;
      text = `delete (propagationPolicy ${String(e.policy)})`;
      break;
    case 'garbagecollector.orphan':
      text = `orphan: references removed from ${(e.dependents as string[]).length} dependents`;
      break;
    case 'garbagecollector.blocked':
      text = `waits for ${(e.blocking as string[]).length} blocking dependents`;
      break;
    case 'garbagecollector.removeFinalizer':
      text = `finalizer ${String(e.finalizer)} removed`;
      break;
    default:
      return;
  }
  if (e.type !== 'garbagecollector.node') {
    if (e.type !== 'garbagecollector.remove' && (e.type !== 'garbagecollector.attemptToDelete' || e.verdict !== 'noOwners')) s.involved.add(n.uid);
    n.action = text;
    n.actionAt = index;
  }
  if (atCursor) s.current = { uid: n.uid, text, kind: e.type.slice('garbagecollector.'.length) };
}
