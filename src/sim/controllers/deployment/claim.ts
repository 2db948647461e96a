// Which ReplicaSets a Deployment owns: adopt matching orphans, release owned ones that stopped matching.
// Upstream: pkg/controller/controller_ref_manager.go (ReplicaSetControllerRefManager)
import { isInvalid, isNotFound } from '../../apimachinery/errors';
import type { Selector } from '../../apimachinery/labels';
import type { KubeObject } from '../../core/object';
import { BaseControllerRefManager, generateDeleteOwnerRefStrategicMergeBytes, ownerRefControllerPatch, type GroupVersionKind } from '../util/controller_ref_manager';
import type { ReplicaSet } from './types';

/** Sends a strategic merge patch to a ReplicaSet (Go: `RSControlInterface.PatchReplicaSet`). */
export interface RSControl {
  patchReplicaSet(namespace: string, name: string, patch: string): Promise<void>;
}

/** apps/v1 Deployment: the kind a ReplicaSet's controllerRef must name. */
export const controllerKind: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'Deployment' };

// Upstream: controller_ref_manager.go (ReplicaSetControllerRefManager)
export class ReplicaSetControllerRefManager extends BaseControllerRefManager {
  constructor(
    readonly rsControl: RSControl,
    controller: KubeObject,
    selector: Selector,
    readonly controllerKind: GroupVersionKind,
    canAdopt?: () => Promise<void>,
  ) {
    super(controller, selector, canAdopt);
  }

  /** The ReplicaSets owned after claiming each; `err` aggregates the failed patches. */
  // Upstream: controller_ref_manager.go (ClaimReplicaSets)
  async claimReplicaSets(sets: ReplicaSet[]): Promise<{ claimed: ReplicaSet[]; err?: Error }> {
    const match = (o: KubeObject) => this.selector.matches(o.metadata.labels ?? {});
    const claimed: ReplicaSet[] = [];
    const errs: Error[] = [];
    for (const rs of sets) {
      try {
        const obj = rs as unknown as KubeObject;
        if (await this.claimObject(obj, match, (o) => this.adoptReplicaSet(o), (o) => this.releaseReplicaSet(o))) claimed.push(rs);
      } catch (e) {
        errs.push(e as Error);
      }
    }
    return { claimed, err: errs.length === 0 ? undefined : new Error(errs.length === 1 ? errs[0].message : `[${errs.map((e) => e.message).join(', ')}]`) };
  }

  // Upstream: controller_ref_manager.go (AdoptReplicaSet)
  async adoptReplicaSet(rs: KubeObject): Promise<void> {
    try {
      await this.canAdopt();
    } catch (e) {
      throw new Error(`can't adopt ReplicaSet ${rs.metadata.namespace}/${rs.metadata.name} (${rs.metadata.uid}): ${(e as Error).message}`);
    }
    await this.rsControl.patchReplicaSet(rs.metadata.namespace ?? '', rs.metadata.name ?? '', ownerRefControllerPatch(this.controller, this.controllerKind, rs.metadata.uid ?? ''));
  }

  /** 404 (gone) and 422 (no such reference, or recreated under a new uid) count as released. */
  // Upstream: controller_ref_manager.go (ReleaseReplicaSet)
  async releaseReplicaSet(rs: KubeObject): Promise<void> {
    const patch = generateDeleteOwnerRefStrategicMergeBytes(rs.metadata.uid ?? '', [this.controller.metadata.uid ?? '']);
    try {
      await this.rsControl.patchReplicaSet(rs.metadata.namespace ?? '', rs.metadata.name ?? '', patch);
    } catch (e) {
      if (isNotFound(e) || isInvalid(e)) return;
      throw e;
    }
  }
}
