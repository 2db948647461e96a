/**
 * ControllerRefManager: how a controller claims the objects its selector matches. An orphan that
 * matches is adopted (a patch adds the controller's ownerReference, controller: true); an object
 * it controls that no longer matches is released (a patch deletes that ownerReference); anything
 * another controller controls is left alone. The first adoption of a sync can recheck the
 * controller itself (canAdopt: was it deleted meanwhile?), once.
 * Upstream: pkg/controller/controller_ref_manager.go (kubernetes v1.34)
 */
import { isInvalid, isNotFound } from '../../apimachinery/errors';
import type { Selector } from '../../apimachinery/labels';
import type { KubeObject, OwnerReference } from '../../core/object';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const groupVersion = (gvk: GroupVersionKind) => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);

/** The ownerReference with controller: true, if any (Go: `metav1.GetControllerOfNoCopy`). */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** Sends a strategic merge patch to a pod (Go: `PodControlInterface.PatchPod`). */
export interface PodControl {
  patchPod(namespace: string, name: string, patch: string): Promise<void>;
}

// Upstream: controller_ref_manager.go (BaseControllerRefManager)
export class BaseControllerRefManager {
  #canAdopt?: Promise<void>;

  constructor(
    readonly controller: KubeObject,
    readonly selector: Selector,
    readonly canAdoptFunc?: () => Promise<void>,
  ) {}

  /** Runs canAdoptFunc at most once; every later call gets the same outcome (Go: sync.Once). */
  // Upstream: controller_ref_manager.go (CanAdopt)
  canAdopt(): Promise<void> {
    this.#canAdopt ??= this.canAdoptFunc ? this.canAdoptFunc() : Promise.resolve();
    return this.#canAdopt;
  }

  /**
   * Whether the controller owns `obj` after reconciling it: adopts a matching orphan, releases an
   * owned object that no longer matches; an error means a patch failed and the sync should retry.
   */
  // Upstream: controller_ref_manager.go (ClaimObject)
  async claimObject(obj: KubeObject, match: (o: KubeObject) => boolean, adopt: (o: KubeObject) => Promise<void>, release: (o: KubeObject) => Promise<void>): Promise<boolean> {
    const ref = getControllerOf(obj);
    if (ref) {
      if (ref.uid !== this.controller.metadata.uid) return false;
      // Ours and matching: claimed even while we are being deleted (no action needed).
      if (match(obj)) return true;
      // Ours, no longer matching: release, unless we are being deleted.
      if (this.controller.metadata.deletionTimestamp) return false;
      try {
        await release(obj);
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
      return false;
    }
    // An orphan.
    if (this.controller.metadata.deletionTimestamp || !match(obj)) return false;
    if (obj.metadata.deletionTimestamp) return false;
    // A namespaced controller only adopts in its own namespace.
    if (this.controller.metadata.namespace && this.controller.metadata.namespace !== obj.metadata.namespace) return false;
    try {
      await adopt(obj);
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
    return true;
  }
}

// Upstream: controller_ref_manager.go (PodControllerRefManager)
export class PodControllerRefManager extends BaseControllerRefManager {
  readonly finalizers: string[];

  constructor(
    readonly podControl: PodControl,
    controller: KubeObject,
    selector: Selector,
    readonly controllerKind: GroupVersionKind,
    canAdopt?: () => Promise<void>,
    ...finalizers: string[]
  ) {
    super(controller, selector, canAdopt);
    this.finalizers = finalizers;
  }

  /** The pods the controller owns after claiming each; `err` aggregates the patches that failed (Go: `ClaimPods`). */
  // Upstream: controller_ref_manager.go (ClaimPods)
  async claimPods(pods: KubeObject[], ...filters: Array<(p: KubeObject) => boolean>): Promise<{ claimed: KubeObject[]; err?: Error }> {
    // The selector first, so filters only see pods that could match.
    const match = (p: KubeObject) => this.selector.matches(p.metadata.labels ?? {}) && filters.every((f) => f(p));
    const claimed: KubeObject[] = [];
    const errs: Error[] = [];
    for (const pod of pods) {
      try {
        if (await this.claimObject(pod, match, (p) => this.adoptPod(p), (p) => this.releasePod(p))) claimed.push(pod);
      } catch (e) {
        errs.push(e as Error);
      }
    }
    // Go: utilerrors.NewAggregate: one message alone, several in brackets.
    return { claimed, err: errs.length === 0 ? undefined : new Error(errs.length === 1 ? errs[0].message : `[${errs.map((e) => e.message).join(', ')}]`) };
  }

  // Upstream: controller_ref_manager.go (AdoptPod)
  async adoptPod(pod: KubeObject): Promise<void> {
    try {
      await this.canAdopt();
    } catch (e) {
      throw new Error(`can't adopt Pod ${pod.metadata.namespace}/${pod.metadata.name} (${pod.metadata.uid}): ${(e as Error).message}`);
    }
    // The API server rejects it if another ownerReference already has controller: true.
    await this.podControl.patchPod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', ownerRefControllerPatch(this.controller, this.controllerKind, pod.metadata.uid ?? '', ...this.finalizers));
  }

  /** 404 (gone) and 422 (no such reference, or the pod was recreated under a new uid) count as released. */
  // Upstream: controller_ref_manager.go (ReleasePod)
  async releasePod(pod: KubeObject): Promise<void> {
    const patch = generateDeleteOwnerRefStrategicMergeBytes(pod.metadata.uid ?? '', [this.controller.metadata.uid ?? ''], ...this.finalizers);
    try {
      await this.podControl.patchPod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', patch);
    } catch (e) {
      if (isNotFound(e) || isInvalid(e)) return;
      throw e;
    }
  }
}

/** A canAdopt that refuses once the controller, read fresh, is being deleted (Go: `RecheckDeletionTimestamp`). */
// Upstream: controller_ref_manager.go (RecheckDeletionTimestamp)
export function recheckDeletionTimestamp(getObject: () => Promise<KubeObject>): () => Promise<void> {
  return async () => {
    let obj: KubeObject;
    try {
      obj = await getObject();
    } catch (e) {
      throw new Error(`can't recheck DeletionTimestamp: ${(e as Error).message}`);
    }
    if (obj.metadata.deletionTimestamp) throw new Error(`${obj.metadata.namespace ?? ''}/${obj.metadata.name} has just been deleted at ${obj.metadata.deletionTimestamp}`);
  };
}

/**
 * The adoption patch: the controller's reference, and the object's uid so the patch fails on an
 * object recreated under the same name. Field order is Go's struct order (json.Marshal).
 */
// Upstream: controller_ref_manager.go (ownerRefControllerPatch)
export function ownerRefControllerPatch(controller: KubeObject, gvk: GroupVersionKind, uid: string, ...finalizers: string[]): string {
  const ref = { apiVersion: groupVersion(gvk), kind: gvk.kind, name: controller.metadata.name ?? '', uid: controller.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
  return JSON.stringify({ metadata: { ownerReferences: [ref], uid, ...(finalizers.length ? { finalizers } : {}) } });
}

/** The release patch: `$patch: delete` for each owner uid (keys sorted, as Go marshals a map). */
// Upstream: controller_ref_manager.go (GenerateDeleteOwnerRefStrategicMergeBytes)
export function generateDeleteOwnerRefStrategicMergeBytes(objUID: string, ownerUIDs: string[], ...finalizers: string[]): string {
  const metadata: Record<string, unknown> = {};
  if (finalizers.length) metadata['$deleteFromPrimitiveList/finalizers'] = finalizers;
  // A nil slice in Go: null.
  metadata.ownerReferences = ownerUIDs.length ? ownerUIDs.map((uid) => ({ $patch: 'delete', uid })) : null;
  metadata.uid = objUID;
  return JSON.stringify({ metadata });
}

/** Sends a strategic merge patch to a ControllerRevision (Go: `ControllerRevisionControlInterface`). */
export interface ControllerRevisionControl {
  patchControllerRevision(namespace: string, name: string, patch: string): Promise<void>;
}

// Upstream: controller_ref_manager.go (ControllerRevisionControllerRefManager)
export class ControllerRevisionControllerRefManager extends BaseControllerRefManager {
  constructor(
    readonly crControl: ControllerRevisionControl,
    controller: KubeObject,
    selector: Selector,
    readonly controllerKind: GroupVersionKind,
    canAdopt?: () => Promise<void>,
  ) {
    super(controller, selector, canAdopt);
  }

  /** The revisions the controller owns after claiming each; `err` aggregates failed patches (Go: `ClaimControllerRevisions`). */
  // Upstream: controller_ref_manager.go (ClaimControllerRevisions)
  async claimControllerRevisions<T extends KubeObject>(histories: T[]): Promise<{ claimed: T[]; err?: Error }> {
    const match = (h: KubeObject) => this.selector.matches(h.metadata.labels ?? {});
    const claimed: T[] = [];
    const errs: Error[] = [];
    for (const h of histories) {
      try {
        if (await this.claimObject(h, match, (o) => this.adoptControllerRevision(o), (o) => this.releaseControllerRevision(o))) claimed.push(h);
      } catch (e) {
        errs.push(e as Error);
      }
    }
    return { claimed, err: errs.length === 0 ? undefined : new Error(errs.length === 1 ? errs[0].message : `[${errs.map((e) => e.message).join(', ')}]`) };
  }

  // Upstream: controller_ref_manager.go (AdoptControllerRevision)
  async adoptControllerRevision(history: KubeObject): Promise<void> {
    try {
      await this.canAdopt();
    } catch (e) {
      throw new Error(`can't adopt ControllerRevision ${history.metadata.namespace}/${history.metadata.name} (${history.metadata.uid}): ${(e as Error).message}`);
    }
    await this.crControl.patchControllerRevision(history.metadata.namespace ?? '', history.metadata.name ?? '', ownerRefControllerPatch(this.controller, this.controllerKind, history.metadata.uid ?? ''));
  }

  /** 404 and 422 count as released, as for pods. */
  // Upstream: controller_ref_manager.go (ReleaseControllerRevision)
  async releaseControllerRevision(history: KubeObject): Promise<void> {
    const patch = generateDeleteOwnerRefStrategicMergeBytes(history.metadata.uid ?? '', [this.controller.metadata.uid ?? '']);
    try {
      await this.crControl.patchControllerRevision(history.metadata.namespace ?? '', history.metadata.name ?? '', patch);
    } catch (e) {
      if (isNotFound(e) || isInvalid(e)) return;
      throw e;
    }
  }
}
