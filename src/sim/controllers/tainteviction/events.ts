/**
 * Trace events of the taint eviction controller (kubernetes v1.34.0): a pod's deletion scheduled
 * (at once, or after its tolerationSeconds), cancelled, or carried out.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type TaintEvictionEventMap = {
  /** The pod does not tolerate a NoExecute taint of its node (for ever): deletion at `fireAtMs`. */
  'tainteviction.schedule': { pod: string; node: string; fireAtMs: number; tolerationSeconds: number };
  /** A scheduled deletion was cancelled (taints removed, tolerations changed, pod gone). */
  'tainteviction.cancel': { pod: string };
  /** The pod was marked with DisruptionTarget and deleted (`error` empty on success). */
  'tainteviction.delete': { pod: string; error: string };
};

export type TaintEvictionTraceEvent = AnyEventOf<TaintEvictionEventMap>;

const go = (symbol: string) => ({ file: 'pkg/controller/tainteviction/taint_eviction.go', symbol });

export const taintEvictionEvents = defineEvents<TaintEvictionEventMap>(
  'tainteviction',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'tainteviction.schedule': {
      text: (e) => (e.tolerationSeconds < 0 ? `${e.pod} on ${e.node}: not tolerated, delete now` : `${e.pod} on ${e.node}: tolerated for ${e.tolerationSeconds} s, delete at ${e.fireAtMs} ms`),
      source: go('Controller.processPodOnNode'),
    },
    'tainteviction.cancel': { text: (e) => `${e.pod}: deletion cancelled`, source: go('Controller.cancelWorkWithEvent') },
    'tainteviction.delete': { text: (e) => (e.error ? `${e.pod}: delete failed: ${e.error}` : `${e.pod}: deleted`), source: go('deletePodHandler') },
  },
);
