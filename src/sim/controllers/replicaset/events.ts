/**
 * Trace events of the ReplicaSet controller: a sync's start and end, the pods it asks for, the
 * expectations it raises and sees met, and the status it writes. Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type ReplicaSetEventMap = {
  /** A worker took `key` from the queue. */
  'replicaset.syncStart': { key: string };
  /**
   * The sync ended. `diff` = active claimed pods - spec.replicas (0 when the RS is gone);
   * `needsSync` false means expectations were pending, so no pod was created or deleted.
   */
  'replicaset.syncEnd': { key: string; pods: number; replicas: number; diff: number; needsSync: boolean; error: string };
  /** One slow-start batch of `size` creates is sent at once. */
  'replicaset.batch': { key: string; size: number };
  /** A pod create was answered (`pod` the server's name; `error` empty on success). */
  'replicaset.podCreate': { key: string; pod: string; error: string };
  /** A pod delete was answered. */
  'replicaset.podDelete': { key: string; pod: string; error: string };
  /** Expectations set before the calls: `add` creations or `del` deletions to be seen by the informer. */
  'replicaset.expect': { key: string; add: number; del: number };
  /** An informer event lowered the expectations to zero: the RS may sync again. */
  'replicaset.satisfied': { key: string; by: 'create' | 'delete' };
  /** UpdateStatus succeeded. */
  'replicaset.status': { key: string; replicas: number; ready: number; available: number; observedGeneration: number };
};

export type ReplicaSetTraceEvent = AnyEventOf<ReplicaSetEventMap>;

const file = 'pkg/controller/replicaset/replica_set.go';
const go = (symbol: string, f = file) => ({ file: f, symbol });

export const replicaSetEvents = defineEvents<ReplicaSetEventMap>(
  'replicaset-controller',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'replicaset.syncStart': { text: (e) => `sync ${e.key}`, source: go('ReplicaSetController.syncReplicaSet') },
    'replicaset.syncEnd': {
      text: (e) =>
        `synced ${e.key}: ${e.pods} pods for ${e.replicas} replicas (diff ${e.diff})${e.needsSync ? '' : ', expectations pending'}${e.error ? `: ${e.error}` : ''}`,
      source: go('ReplicaSetController.syncReplicaSet'),
    },
    'replicaset.batch': { text: (e) => `${e.key}: slow-start batch of ${e.size}`, source: go('slowStartBatch') },
    'replicaset.podCreate': {
      text: (e) => (e.error ? `${e.key}: create failed: ${e.error}` : `${e.key}: created pod ${e.pod}`),
      source: go('RealPodControl.CreatePods', 'pkg/controller/controller_utils.go'),
    },
    'replicaset.podDelete': {
      text: (e) => (e.error ? `${e.key}: delete ${e.pod} failed: ${e.error}` : `${e.key}: deleted pod ${e.pod}`),
      source: go('RealPodControl.DeletePod', 'pkg/controller/controller_utils.go'),
    },
    'replicaset.expect': {
      text: (e) => `${e.key}: expecting ${e.add} creations, ${e.del} deletions`,
      source: go('ReplicaSetController.manageReplicas'),
    },
    'replicaset.satisfied': {
      text: (e) => `${e.key}: expectations satisfied (last ${e.by} observed)`,
      source: (e) => go(e.by === 'create' ? 'ReplicaSetController.addPod' : 'ReplicaSetController.deletePod'),
    },
    'replicaset.status': {
      text: (e) => `${e.key}: status replicas=${e.replicas} ready=${e.ready} available=${e.available} observedGeneration=${e.observedGeneration}`,
      source: go('updateReplicaSetStatus', 'pkg/controller/replicaset/replica_set_utils.go'),
    },
  },
);
