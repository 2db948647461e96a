/**
 * The collector's API calls: get, delete with preconditions and a propagation policy, and the
 * patches that drop owner references, unblock them, or remove a finalizer.
 * Upstream: pkg/controller/garbagecollector/operations.go, patch.go (kubernetes v1.34)
 */
import { MergePatchType, StrategicMergePatchType } from '../../apimachinery/patch';
import { isConflict, isNotFound, isUnsupportedMediaType } from '../../apimachinery/errors';
import { DefaultBackoff, retryOnConflict, type Clientset, type DynamicResourceClient } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import type { KubeObject, OwnerReference } from '../../core/object';
import type { GroupVersionResource } from '../../cache/informer_factory';
import { formatReference, type ObjectReference } from './graph';

export type DeletionPropagation = 'Orphan' | 'Background' | 'Foreground';

/** A reference whose apiVersion/kind the server does not serve (Go: `restMappingError`). */
// Upstream: errors.go (restMappingError)
export class RestMappingError extends Error {
  constructor(kind: string, version: string) {
    super(`unable to get REST mapping for ${kind}/${version}.`);
    this.name = 'restMappingError';
  }
}

/** apiVersion/kind -> resource and scope, as discovery reports them (Go: the RESTMapper). */
export interface RestMapper {
  resourceFor(apiVersion: string, kind: string): { gvr: GroupVersionResource; namespaced: boolean } | undefined;
}

const sameOwners = (a: OwnerReference[] = [], b: OwnerReference[] = []) => JSON.stringify(a) === JSON.stringify(b);

export class Operations {
  constructor(
    readonly client: Clientset,
    readonly clock: FakeClock,
    readonly mapper: RestMapper,
  ) {}

  // Upstream: operations.go (GarbageCollector.apiResource)
  apiResource(apiVersion: string, kind: string): { gvr: GroupVersionResource; namespaced: boolean } {
    const r = this.mapper.resourceFor(apiVersion, kind);
    if (!r) throw new RestMappingError(kind, apiVersion);
    return r;
  }

  #resource(ref: { apiVersion: string; kind: string; namespace: string }): DynamicResourceClient {
    const { gvr, namespaced } = this.apiResource(ref.apiVersion, ref.kind);
    const rc = this.client.dynamic().resource(gvr);
    // Go: resourceDefaultNamespace: a cluster-scoped resource takes no namespace.
    return namespaced ? rc.namespace(ref.namespace) : rc;
  }

  // Upstream: operations.go (GarbageCollector.getObject)
  getObject(item: ObjectReference): Promise<KubeObject> {
    return this.#resource(item).get(item.name);
  }

  /** Owner lookup by name, in the dependent's namespace when the owner's kind is namespaced. */
  getOwner(ref: OwnerReference, namespace: string): Promise<KubeObject> {
    return this.#resource({ ...ref, namespace }).get(ref.name);
  }

  /**
   * Deletes under uid and resourceVersion preconditions; on a conflict whose live object still
   * has the same owners, once more under the uid alone.
   */
  // Upstream: operations.go (GarbageCollector.deleteObject)
  async deleteObject(item: ObjectReference, resourceVersion: string, ownersAtResourceVersion: OwnerReference[] | undefined, policy: DeletionPropagation): Promise<void> {
    const rc = this.#resource(item);
    const preconditions: { uid: string; resourceVersion?: string } = { uid: item.uid };
    if (resourceVersion) preconditions.resourceVersion = resourceVersion;
    try {
      await rc.delete(item.name, { preconditions, propagationPolicy: policy });
    } catch (e) {
      if (!isConflict(e) || !resourceVersion) throw e;
      let live: KubeObject;
      try {
        live = await rc.get(item.name);
      } catch (getErr) {
        if (isNotFound(getErr)) throw getErr;
        throw e;
      }
      if (live.metadata.uid === item.uid && live.metadata.resourceVersion !== resourceVersion && sameOwners(live.metadata.ownerReferences, ownersAtResourceVersion)) {
        await rc.delete(item.name, { preconditions: { uid: item.uid }, propagationPolicy: policy });
        return;
      }
      throw e;
    }
  }

  /** A JSON merge patch of metadata under the object's current resourceVersion. */
  // Upstream: operations.go (GarbageCollector.patchObject)
  patchObject(item: ObjectReference, metadata: Record<string, unknown>): Promise<KubeObject> {
    return this.#resource(item).patch(item.name, MergePatchType, { metadata });
  }

  /**
   * A strategic merge patch carrying the item's uid (a precondition); for kinds without strategic
   * merge (custom resources: 415 UnsupportedMediaType), the JSON merge patch `jmp` builds.
   */
  // Upstream: patch.go (GarbageCollector.patch)
  async patch(item: ObjectReference, smp: Record<string, unknown>, jmp: () => Promise<Record<string, unknown> | undefined>): Promise<void> {
    const rc = this.#resource(item);
    try {
      await rc.patch(item.name, StrategicMergePatchType, smp);
    } catch (e) {
      if (!isUnsupportedMediaType(e)) throw e;
      const metadata = await jmp();
      if (metadata) await this.patchObject(item, metadata);
    }
  }

  /** Drops the references to `ownerUIDs` from the item. */
  // Upstream: patch.go (GenerateDeleteOwnerRefStrategicMergeBytes, GarbageCollector.deleteOwnerRefJSONMergePatch)
  deleteOwnerRefs(item: ObjectReference, ...ownerUIDs: string[]): Promise<void> {
    const smp = { metadata: { ownerReferences: ownerUIDs.map((uid) => ({ $patch: 'delete', uid })), uid: item.uid } };
    return this.patch(item, smp, async () => {
      const obj = await this.getObject(item);
      const drop = new Set(ownerUIDs);
      return { resourceVersion: obj.metadata.resourceVersion, ownerReferences: (obj.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid)) };
    });
  }

  /** Sets `blockOwnerDeletion: false` on the node's blocking references (the JSON merge patch: on all of them). */
  // Upstream: patch.go (node.unblockOwnerReferencesStrategicMergePatch, GarbageCollector.unblockOwnerReferencesJSONMergePatch)
  unblockOwnerReferences(item: ObjectReference, owners: OwnerReference[]): Promise<void> {
    const smp = { metadata: { ownerReferences: owners.filter((o) => o.blockOwnerDeletion === true).map((o) => ({ ...o, blockOwnerDeletion: false })), uid: item.uid } };
    return this.patch(item, smp, async () => {
      const obj = await this.getObject(item);
      return { resourceVersion: obj.metadata.resourceVersion, ownerReferences: owners.map((o) => ({ ...o, blockOwnerDeletion: false })) };
    });
  }

  /** Removes `finalizer` from the object, retrying conflicts; gone or already removed is success. */
  // Upstream: operations.go (GarbageCollector.removeFinalizer)
  async removeFinalizer(item: ObjectReference, finalizer: string): Promise<void> {
    try {
      await retryOnConflict(DefaultBackoff, this.clock, async () => {
        let obj: KubeObject;
        try {
          obj = await this.getObject(item);
        } catch (e) {
          if (isNotFound(e)) return;
          throw e;
        }
        const finalizers = obj.metadata.finalizers ?? [];
        if (!finalizers.includes(finalizer)) return;
        await this.patchObject(item, { resourceVersion: obj.metadata.resourceVersion, finalizers: finalizers.filter((f) => f !== finalizer) });
      });
    } catch (e) {
      if (isConflict(e)) throw new Error(`updateMaxRetries(${DefaultBackoff.steps}) has reached. The garbage collector will retry later for owner ${formatReference(item)}`);
      throw e;
    }
  }
}
