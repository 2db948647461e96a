/**
 * Trace events of the StatefulSet controller: a sync's outcome, each pod it creates or deletes
 * (and why), where OrderedReady management stops to wait, and the revisions it writes.
 * Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type StatefulSetEventMap = {
  /** One sync of a set (`error` empty on success): the status it computed. */
  'statefulset.sync': { set: string; replicas: number; ready: number; available: number; current: number; updated: number; currentRevision: string; updateRevision: string; error: string };
  /** A pod (and its claims first) created at `revision`. */
  'statefulset.createPod': { set: string; pod: string; ordinal: number; revision: string };
  /** A pod deleted: `scaleDown` (out of the ordinal range), `update` (old revision), `failed` (Failed or Succeeded, to recreate). */
  'statefulset.deletePod': { set: string; pod: string; ordinal: number; reason: 'scaleDown' | 'update' | 'failed' };
  /** OrderedReady stopped at `pod`: `created`, `terminating`, `notReady` or `notAvailable`. */
  'statefulset.wait': { set: string; pod: string; reason: 'created' | 'terminating' | 'notReady' | 'notAvailable' };
  /** A ControllerRevision created, renumbered (a rollback to an earlier template) or truncated. */
  'statefulset.revision': { set: string; name: string; revision: number; op: 'create' | 'renumber' | 'delete' };
};

export type StatefulSetTraceEvent = AnyEventOf<StatefulSetEventMap>;

const go = (symbol: string, file = 'pkg/controller/statefulset/stateful_set_control.go') => ({ file, symbol });

const waitText = { created: 'just created', terminating: 'to terminate', notReady: 'to be Running and Ready', notAvailable: 'to be Available' };

export const statefulSetEvents = defineEvents<StatefulSetEventMap>(
  'statefulset',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'statefulset.sync': {
      text: (e) => (e.error ? `sync ${e.set}: ${e.error}` : `sync ${e.set}: ${e.replicas} replicas, ${e.ready} ready, ${e.current} current, ${e.updated} updated (${e.currentRevision} -> ${e.updateRevision})`),
      source: go('defaultStatefulSetControl.UpdateStatefulSet'),
    },
    'statefulset.createPod': { text: (e) => `${e.set}: create ${e.pod} at ${e.revision}`, source: go('StatefulPodControl.CreateStatefulPod', 'pkg/controller/statefulset/stateful_pod_control.go') },
    'statefulset.deletePod': { text: (e) => `${e.set}: delete ${e.pod} (${e.reason})`, source: go('StatefulPodControl.DeleteStatefulPod', 'pkg/controller/statefulset/stateful_pod_control.go') },
    'statefulset.wait': { text: (e) => `${e.set}: waiting for ${e.pod} ${waitText[e.reason]}`, source: go('defaultStatefulSetControl.processReplica') },
    'statefulset.revision': { text: (e) => `${e.set}: ${e.op} revision ${e.name} (${e.revision})`, source: go('defaultStatefulSetControl.getStatefulSetRevisions') },
  },
);
