/**
 * Mirror pods: pkg/kubelet/pod/mirror_client.go (basicMirrorClient). A static pod has no object in
 * the API server; the kubelet creates a read-only copy of it, the mirror pod, so that `kubectl get
 * pods` shows it. The mirror carries the static pod's hash in `kubernetes.io/config.mirror` and,
 * since the MirrorPodNodeRestriction work, an owner reference to its Node (so the node authorizer
 * and admission let a kubelet create only its own mirrors, and the garbage collector removes them
 * with the Node).
 */
import type { Pod } from '../api/core/v1';
import { isAlreadyExists, isNotFound } from '../apimachinery/errors';
import type { Clientset } from '../client/clientset';
import { deepCopy } from '../core/object';
import { ConfigHashAnnotationKey, ConfigMirrorAnnotationKey } from './config_file';

export interface MirrorClient {
  createMirrorPod(pod: Pod): Promise<void>;
  /** Deletes the mirror (only the one with `uid` when given); true when it was deleted. */
  deleteMirrorPod(namespace: string, name: string, uid?: string): Promise<boolean>;
}

// Upstream: mirror_client.go (NewBasicMirrorClient, CreateMirrorPod, DeleteMirrorPod)
export function newBasicMirrorClient(client: Clientset, nodeName: string): MirrorClient {
  return {
    async createMirrorPod(pod) {
      const copy = deepCopy(pod);
      const hash = pod.metadata.annotations?.[ConfigHashAnnotationKey] ?? '';
      // Every annotation of the kubelet's copy goes along (config.source, config.seen, config.hash), plus the mirror's.
      const annotations = { ...(copy.metadata.annotations ?? {}), [ConfigMirrorAnnotationKey]: hash };
      let node;
      try {
        node = await client.coreV1().nodes().get(nodeName);
      } catch (e) {
        throw new Error(`failed to get node UID: ${(e as Error).message}`);
      }
      const mirror: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: copy.metadata.name,
          namespace: copy.metadata.namespace,
          uid: undefined,
          labels: copy.metadata.labels,
          annotations,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid ?? '', controller: true }],
        },
        spec: copy.spec,
      };
      try {
        await client.coreV1().pods(mirror.metadata.namespace ?? 'default').create(mirror as never);
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        // The existing pod is fine when it mirrors the same static pod.
        const existing = (await client.coreV1().pods(mirror.metadata.namespace ?? 'default').get(mirror.metadata.name ?? '')) as unknown as Pod;
        if (existing.metadata.annotations?.[ConfigMirrorAnnotationKey] !== hash) throw e;
      }
    },
    async deleteMirrorPod(namespace, name, uid) {
      try {
        await client.coreV1().pods(namespace).delete(name, { gracePeriodSeconds: 0, ...(uid ? { preconditions: { uid } } : {}) });
        return true;
      } catch (e) {
        // Gone already, or another pod took the name (the UID precondition failed): not an error.
        if (isNotFound(e) || /Precondition failed/.test((e as Error).message)) return false;
        throw e;
      }
    },
  };
}
