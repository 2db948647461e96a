/**
 * How workload controllers write pods: kubernetes pkg/controller/controller_utils.go (v1.34)
 * `RealPodControl` (CreatePods, DeletePod, PatchPod), `GetPodFromTemplate`, `getPodsPrefix`, the
 * event reasons, and metav1 `NewControllerRef`; plus pkg/api/v1/pod `IsPodAvailable`.
 */
import type { Pod } from '../../api/core/v1';
import { hasStatusCause, isNotFound } from '../../apimachinery/errors';
import { nameIsDNSSubdomain } from '../../apimachinery/validation';
import type { Clientset } from '../../client/clientset';
import type { EventRecorder } from '../../client/record';
import { deepCopy, type KubeObject, type OwnerReference } from '../../core/object';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import type { GroupVersionKind, PodControl } from '../util/controller_ref_manager';
import { getPodReadyCondition, isPodReady } from '../util/pod';
import type { PodTemplateSpec } from './types';

// Upstream: controller_utils.go (the event reasons of PodControlInterface)
export const FailedCreatePodReason = 'FailedCreate';
export const SuccessfulCreatePodReason = 'SuccessfulCreate';
export const FailedDeletePodReason = 'FailedDelete';
export const SuccessfulDeletePodReason = 'SuccessfulDelete';

/** Upstream: core/v1 (NamespaceTerminatingCause): a create refused because the namespace is going away. */
export const NamespaceTerminatingCause = 'NamespaceTerminating';

/** What a controller does to pods (Go: `controller.PodControlInterface`); tests may wrap it. */
export interface PodControlInterface extends PodControl {
  createPods(namespace: string, template: PodTemplateSpec, object: KubeObject, controllerRef: OwnerReference): Promise<Pod>;
  deletePod(namespace: string, podId: string, object: KubeObject): Promise<void>;
}

/** A reference that makes `owner` the controller of a dependent. Upstream: apimachinery meta/v1 (NewControllerRef) */
export function newControllerRef(owner: KubeObject, gvk: GroupVersionKind): OwnerReference {
  return {
    apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version,
    kind: gvk.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    blockOwnerDeletion: true,
    controller: true,
  };
}

/** `<name>-` when that is a valid generateName, else the bare name. Upstream: controller_utils.go (getPodsPrefix) */
export function getPodsPrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return nameIsDNSSubdomain(prefix, true).length ? controllerName : prefix;
}

/** The pod a template stamps out: its labels, annotations and finalizers, generateName, the controller ref. */
// Upstream: controller_utils.go (GetPodFromTemplate)
export function getPodFromTemplate(template: PodTemplateSpec, parent: KubeObject, controllerRef?: OwnerReference): Pod {
  const m = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(m.labels ? { labels: { ...m.labels } } : {}),
      ...(m.annotations ? { annotations: { ...m.annotations } } : {}),
      generateName: getPodsPrefix(parent.metadata.name ?? ''),
      ...(m.finalizers ? { finalizers: [...m.finalizers] } : {}),
    },
    spec: deepCopy(template.spec),
  };
  if (controllerRef) pod.metadata.ownerReferences = [controllerRef];
  return pod;
}

/** Writes pods through the clientset and records the controller's events. */
// Upstream: controller_utils.go (RealPodControl)
export class RealPodControl implements PodControlInterface {
  constructor(
    readonly kubeClient: Clientset,
    readonly recorder: EventRecorder,
  ) {}

  /** Creates one pod from the template; the event is recorded before the promise resolves. */
  // Upstream: RealPodControl.CreatePods, createPods
  async createPods(namespace: string, template: PodTemplateSpec, object: KubeObject, controllerRef: OwnerReference): Promise<Pod> {
    const pod = getPodFromTemplate(template, object, controllerRef);
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = (await this.kubeClient.coreV1().pods(namespace).create(pod as unknown as KubeObject)) as unknown as Pod;
    } catch (e) {
      // No event when the namespace is being deleted: every create would fail the same way.
      if (!hasStatusCause(e, NamespaceTerminatingCause)) await this.recorder.event(object, 'Warning', FailedCreatePodReason, `Error creating: ${(e as Error).message}`);
      throw e;
    }
    await this.recorder.event(object, 'Normal', SuccessfulCreatePodReason, `Created pod: ${created.metadata.name}`);
    return created;
  }

  /** A 404 is returned as is (the caller ignores it); any other failure is wrapped. */
  // Upstream: RealPodControl.DeletePod
  async deletePod(namespace: string, podId: string, object: KubeObject): Promise<void> {
    try {
      await this.kubeClient.coreV1().pods(namespace).delete(podId);
    } catch (e) {
      if (isNotFound(e)) throw e;
      await this.recorder.event(object, 'Warning', FailedDeletePodReason, `Error deleting: ${(e as Error).message}`);
      throw new Error(`unable to delete pods: ${(e as Error).message}`);
    }
    await this.recorder.event(object, 'Normal', SuccessfulDeletePodReason, `Deleted pod: ${podId}`);
  }

  // Upstream: RealPodControl.PatchPod
  async patchPod(namespace: string, name: string, patch: string): Promise<void> {
    await this.kubeClient.coreV1().pods(namespace).patch(name, 'application/strategic-merge-patch+json', JSON.parse(patch));
  }
}

/**
 * Ready, and (with minReadySeconds) Ready since strictly more than minReadySeconds before `nowMs`.
 * A Ready condition without lastTransitionTime is never available when minReadySeconds > 0.
 */
// Upstream: pkg/api/v1/pod/util.go (IsPodAvailable)
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const t = getPodReadyCondition(pod)?.lastTransitionTime;
  return t !== undefined && parseRfc3339(t) + minReadySeconds * 1000 < nowMs;
}
