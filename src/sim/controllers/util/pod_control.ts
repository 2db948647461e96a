/**
 * Creating and deleting a controller's pods through the API server, with the events the real
 * controllers record on their owner (shared by the DaemonSet and Job controllers; the ReplicaSet
 * and StatefulSet controllers keep their own, older copies).
 * Upstream: pkg/controller/controller_utils.go (RealPodControl.CreatePods,
 * CreatePodsWithGenerateName, DeletePod, PatchPod, GetPodFromTemplate, getPodsPrefix),
 * apimachinery meta/v1 (NewControllerRef)
 */
import type { Pod, PodSpec } from '../../api/core/v1';
import { isNotFound, isTimeout } from '../../apimachinery/errors';
import { isDNS1123Subdomain } from '../../apimachinery/validation';
import type { Clientset } from '../../client/clientset';
import type { EventRecorder } from '../../client/record';
import { deepCopy, type KubeObject, type ObjectMeta, type OwnerReference } from '../../core/object';
import type { GroupVersionKind, PodControl } from './controller_ref_manager';

export const SuccessfulCreatePodReason = 'SuccessfulCreate';
export const FailedCreatePodReason = 'FailedCreate';
export const SuccessfulDeletePodReason = 'SuccessfulDelete';
export const FailedDeletePodReason = 'FailedDelete';

/** The ownerReference a controller puts on what it creates (Go: `metav1.NewControllerRef`). */
export function newControllerRef(owner: KubeObject, gvk: GroupVersionKind): OwnerReference {
  return { apiVersion: gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, kind: gvk.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** `<name>-`, or the bare name when the dash would make an invalid pod name (Go: `getPodsPrefix`). */
export function getPodsPrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return isDNS1123Subdomain(`${prefix}a`).length ? controllerName : prefix;
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec: PodSpec;
}

/** A pod from a template: its labels, annotations and finalizers, the owner's controllerRef, generateName. */
// Upstream: controller_utils.go (GetPodFromTemplate)
export function getPodFromTemplate(template: PodTemplate, parent: KubeObject, controllerRef?: OwnerReference): Pod {
  const t = deepCopy(template);
  const metadata: ObjectMeta = { generateName: getPodsPrefix(parent.metadata.name ?? '') };
  if (t.metadata?.labels) metadata.labels = t.metadata.labels;
  if (t.metadata?.annotations) metadata.annotations = t.metadata.annotations;
  if (t.metadata?.finalizers) metadata.finalizers = t.metadata.finalizers;
  if (controllerRef) metadata.ownerReferences = [controllerRef];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: t.spec };
}

/** Go's `controller.PodControlInterface`, over the clientset. */
// Upstream: controller_utils.go (RealPodControl)
export class RealPodControl implements PodControl {
  constructor(
    readonly client: Clientset,
    readonly recorder: EventRecorder,
  ) {}

  // Upstream: controller_utils.go (RealPodControl.CreatePods)
  createPods(namespace: string, template: PodTemplate, object: KubeObject, controllerRef: OwnerReference): Promise<Pod> {
    return this.createPodsWithGenerateName(namespace, template, object, controllerRef, '');
  }

  /** Creates the pod; `generateName` overrides the `<owner>-` prefix (Indexed Jobs: `<job>-<index>-`). */
  // Upstream: controller_utils.go (RealPodControl.CreatePodsWithGenerateName, createPods)
  async createPodsWithGenerateName(namespace: string, template: PodTemplate, object: KubeObject, controllerRef: OwnerReference, generateName: string): Promise<Pod> {
    const pod = getPodFromTemplate(template, object, controllerRef);
    if (generateName) pod.metadata.generateName = generateName;
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = (await this.client.coreV1().pods(namespace).create(pod as unknown as KubeObject)) as unknown as Pod;
    } catch (e) {
      // Timeouts are not recorded: the pod may still have been created.
      if (!isTimeout(e)) void this.recorder.event(object, 'Warning', FailedCreatePodReason, `Error creating: ${(e as Error).message}`);
      throw e;
    }
    void this.recorder.event(object, 'Normal', SuccessfulCreatePodReason, `Created pod: ${created.metadata.name}`);
    return created;
  }

  // Upstream: controller_utils.go (RealPodControl.DeletePod)
  async deletePod(namespace: string, podID: string, object: KubeObject): Promise<void> {
    try {
      await this.client.coreV1().pods(namespace).delete(podID);
    } catch (e) {
      if (isNotFound(e)) throw e;
      void this.recorder.event(object, 'Warning', FailedDeletePodReason, `Error deleting: ${(e as Error).message}`);
      throw new Error(`unable to delete pods: ${(e as Error).message}`);
    }
    void this.recorder.event(object, 'Normal', SuccessfulDeletePodReason, `Deleted pod: ${podID}`);
  }

  // Upstream: controller_utils.go (RealPodControl.PatchPod)
  async patchPod(namespace: string, name: string, patch: string): Promise<void> {
    await this.client.coreV1().pods(namespace).patch(name, 'application/strategic-merge-patch+json', JSON.parse(patch));
  }
}
