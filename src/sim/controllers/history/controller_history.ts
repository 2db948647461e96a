/**
 * A controller's history as ControllerRevisions: each revision is a snapshot (`data`) of the
 * state the controller rolls out, numbered by `revision` and named `<parent>-<hash of data>`.
 * The StatefulSet and DaemonSet controllers keep their history this way.
 * Upstream: pkg/controller/history/controller_history.go (kubernetes v1.34)
 */
import { utf8Encode } from '../../core/utf8';
import { isAlreadyExists, isInvalid, isNotFound } from '../../apimachinery/errors';
import type { Selector } from '../../apimachinery/labels';
import { StrategicMergePatchType } from '../../apimachinery/patch';
import { DefaultBackoff, retryOnConflict, type Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import { deepCopy, type KubeObject, type OwnerReference } from '../../core/object';
import { marshalGoJSON } from './go_json';

/** The label holding the hash of a revision's data. */
export const ControllerRevisionHashLabel = 'controller.kubernetes.io/hash';

/** apps/v1 ControllerRevision: `data` is opaque to the API server and immutable; `revision` may change (a rollback renumbers). */
export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** `<prefix>-<hash>`, the prefix cut to 223 bytes so the name stays within 253. */
// Upstream: controller_history.go (ControllerRevisionName)
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** Go's `hash/fnv` New32 (FNV-1, not FNV-1a): multiply, then xor each byte. */
export function fnv32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h;
}

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps each byte to a consonant or digit, so a hash never spells a word (Go: `rand.SafeEncodeString`). */
// Upstream: apimachinery pkg/util/rand/rand.go (SafeEncodeString)
export function safeEncodeString(s: string): string {
  let r = '';
  for (const b of utf8Encode(s)) r += alphanums[b % alphanums.length];
  return r;
}

/** The revision's data as Go holds it (`Data.Raw`): the marshalled JSON bytes. */
export function revisionDataRaw(revision: Pick<ControllerRevision, 'data'>): string {
  return revision.data === undefined || revision.data === null ? '' : marshalGoJSON(revision.data);
}

/**
 * FNV-1 over the data's bytes, then the probe (the collision count) in decimal; the 32-bit sum
 * in decimal, safe-encoded.
 */
// Upstream: controller_history.go (HashControllerRevision)
export function hashControllerRevision(revision: Pick<ControllerRevision, 'data'>, probe?: number): string {
  let h = fnv32(utf8Encode(revisionDataRaw(revision)));
  if (probe !== undefined) h = fnv32(utf8Encode(String(probe)), h);
  return safeEncodeString(String(h));
}

/** metav1.NewControllerRef. */
export function newControllerRef(owner: KubeObject, gvk: GroupVersionKind): OwnerReference {
  return { apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, kind: gvk.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** A revision owned by `parent`, labelled like its template plus the hash, named after the hash (with `collisionCount` as probe). */
// Upstream: controller_history.go (NewControllerRevision)
export function newControllerRevision(parent: KubeObject, parentKind: GroupVersionKind, templateLabels: Record<string, string> | undefined, data: unknown, revision: number, collisionCount: number): ControllerRevision {
  const cr: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { labels: { ...(templateLabels ?? {}) }, ownerReferences: [newControllerRef(parent, parentKind)] },
    data,
    revision,
  };
  const hash = hashControllerRevision(cr, collisionCount);
  cr.metadata.name = controllerRevisionName(parent.metadata.name ?? '', hash);
  cr.metadata.labels![ControllerRevisionHashLabel] = hash;
  return cr;
}

/** By revision; ties by creation time, then name (stable). */
// Upstream: controller_history.go (SortControllerRevisions, byRevision.Less)
export function sortControllerRevisions(revisions: ControllerRevision[]): ControllerRevision[] {
  return revisions.sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    const na = a.metadata.name ?? '';
    const nb = b.metadata.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** The hash label read as Go's `strconv.ParseInt(hs, 10, 32)` does (a safe-encoded hash with letters does not parse). */
function parsedHash(r: ControllerRevision): number | undefined {
  const hs = r.metadata.labels?.[ControllerRevisionHashLabel];
  if (hs === undefined || !/^[+-]?\d+$/.test(hs)) return undefined;
  const n = Number(hs);
  return n >= -2147483648 && n <= 2147483647 ? n >>> 0 : undefined;
}

/** Both absent, or both present with equal data (hash labels that parse and differ say no at once). */
// Upstream: controller_history.go (EqualRevision)
export function equalRevision(lhs: ControllerRevision | undefined, rhs: ControllerRevision | undefined): boolean {
  if (!lhs || !rhs) return lhs === rhs;
  const l = parsedHash(lhs);
  const r = parsedHash(rhs);
  if (l !== undefined && r !== undefined && l !== r) return false;
  return revisionDataRaw(lhs) === revisionDataRaw(rhs);
}

/** The revisions equal to `needle`, in their order. */
// Upstream: controller_history.go (FindEqualRevisions)
export function findEqualRevisions(revisions: ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** The collision count a create may raise (Go: `*int32`). */
export interface CollisionCount {
  value: number;
}

/** A controller's history (Go: `history.Interface`). */
export interface History {
  /** The revisions matching `selector` that `parent` owns or nobody controls. */
  listControllerRevisions(parent: KubeObject, selector: Selector): ControllerRevision[];
  /** Creates `revision`; on a name collision with different data, raises the count and renames. */
  createControllerRevision(parent: KubeObject, revision: ControllerRevision, collisionCount: CollisionCount | undefined): Promise<ControllerRevision>;
  deleteControllerRevision(revision: ControllerRevision): Promise<void>;
  /** Renumbers `revision` (a rollback to an older state), retrying on conflicts. */
  updateControllerRevision(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision>;
  adoptControllerRevision(parent: KubeObject, parentKind: GroupVersionKind, revision: ControllerRevision): Promise<ControllerRevision>;
  /** Undefined when the revision is gone or no longer ours. */
  releaseControllerRevision(parent: KubeObject, revision: ControllerRevision): Promise<ControllerRevision | undefined>;
}

/** Reads the ControllerRevisions an informer holds. */
export interface ControllerRevisionLister {
  list(namespace: string): ControllerRevision[];
  get(namespace: string, name: string): ControllerRevision | undefined;
}

/** The history through the API server, reading from an informer's cache (Go: `NewHistory`). */
export function newHistory(client: Clientset, lister: ControllerRevisionLister, clock: FakeClock): History {
  return new RealHistory(client, lister, clock);
}

const controllerOf = (o: KubeObject) => (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);

// Upstream: controller_history.go (realHistory)
export class RealHistory implements History {
  constructor(
    readonly client: Clientset,
    readonly lister: ControllerRevisionLister,
    readonly clock: FakeClock,
  ) {}

  #revisions(ns: string) {
    return this.client.appsV1().controllerRevisions(ns);
  }

  // Upstream: controller_history.go (realHistory.ListControllerRevisions)
  listControllerRevisions(parent: KubeObject, selector: Selector): ControllerRevision[] {
    return this.lister.list(parent.metadata.namespace ?? '').filter((r) => {
      if (!selector.matches(r.metadata.labels ?? {})) return false;
      const ref = controllerOf(r);
      return !ref || ref.uid === parent.metadata.uid;
    });
  }

  // Upstream: controller_history.go (realHistory.CreateControllerRevision)
  async createControllerRevision(parent: KubeObject, revision: ControllerRevision, collisionCount: CollisionCount | undefined): Promise<ControllerRevision> {
    if (!collisionCount) throw new Error('collisionCount should not be nil');
    const clone = deepCopy(revision);
    const ns = parent.metadata.namespace ?? '';
    for (;;) {
      // Only the name follows the probe; the hash label keeps the first hash, as upstream.
      clone.metadata.name = controllerRevisionName(parent.metadata.name ?? '', hashControllerRevision(revision, collisionCount.value));
      try {
        return (await this.#revisions(ns).create(clone)) as ControllerRevision;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        const exists = (await this.#revisions(ns).get(clone.metadata.name)) as ControllerRevision;
        if (revisionDataRaw(exists) === revisionDataRaw(clone)) return exists;
        collisionCount.value++;
      }
    }
  }

  // Upstream: controller_history.go (realHistory.UpdateControllerRevision)
  async updateControllerRevision(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
    let clone = deepCopy(revision);
    await retryOnConflict(DefaultBackoff, this.clock, async () => {
      if (clone.revision === newRevision) return;
      clone.revision = newRevision;
      try {
        clone = (await this.#revisions(clone.metadata.namespace ?? '').update(clone)) as ControllerRevision;
      } catch (e) {
        const fresh = this.lister.get(clone.metadata.namespace ?? '', clone.metadata.name ?? '');
        if (fresh) clone = deepCopy(fresh);
        throw e;
      }
    });
    return clone;
  }

  // Upstream: controller_history.go (realHistory.DeleteControllerRevision)
  async deleteControllerRevision(revision: ControllerRevision): Promise<void> {
    await this.#revisions(revision.metadata.namespace ?? '').delete(revision.metadata.name ?? '');
  }

  // Upstream: controller_history.go (realHistory.AdoptControllerRevision)
  async adoptControllerRevision(parent: KubeObject, parentKind: GroupVersionKind, revision: ControllerRevision): Promise<ControllerRevision> {
    const owner = controllerOf(revision);
    if (owner) throw new Error(`attempt to adopt revision owned by ${JSON.stringify(owner)}`);
    const patch = { metadata: { ownerReferences: [newControllerRef(parent, parentKind)], uid: revision.metadata.uid } };
    return (await this.#revisions(parent.metadata.namespace ?? '').patch(revision.metadata.name ?? '', StrategicMergePatchType, patch)) as ControllerRevision;
  }

  // Upstream: controller_history.go (realHistory.ReleaseControllerRevision)
  async releaseControllerRevision(parent: KubeObject, revision: ControllerRevision): Promise<ControllerRevision | undefined> {
    const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: parent.metadata.uid }], uid: revision.metadata.uid } };
    try {
      return (await this.#revisions(revision.metadata.namespace ?? '').patch(revision.metadata.name ?? '', StrategicMergePatchType, patch)) as ControllerRevision;
    } catch (e) {
      // Gone, or no longer ours (or nobody's): nothing to release.
      if (isNotFound(e) || isInvalid(e)) return undefined;
      throw e;
    }
  }
}
