/**
 * Trace events of the kubelet's prober (kubernetes v1.34.0): a worker starting and stopping, each
 * probe run, each result written to a results manager, and a worker put on hold.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

/** Every prober event names the kubelet's node (the emitter's base field). */
export type ProberEventBase = { node: string };
type WorkerFields = ProberEventBase & { pod: string; container: string; probe: string };

export type ProberEventMap = {
  /** A worker was created for one probe of one container (`delayMs`: the first run's random delay). */
  'prober.workerStart': WorkerFields & { delayMs: number };
  /** A worker exited (stopped, or the pod terminated); its result was removed. */
  'prober.workerStop': WorkerFields;
  /** A probe ran: the handler's result as the worker sees it (`error` non-empty: thrown away). */
  'prober.run': WorkerFields & { result: string; output: string; error: string };
  /** A result was written to the results manager (the initial value, a threshold crossed, a non-running container). */
  'prober.set': WorkerFields & { containerId: string; result: string };
  /** A liveness or startup failure put the worker on hold until the container ID changes. */
  'prober.onHold': WorkerFields & { containerId: string };
};

export type ProberTraceEvent = AnyEventOf<ProberEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });
const who = (e: WorkerFields) => `${e.probe} ${e.pod}/${e.container}`;

export const proberEvents = defineEvents<ProberEventMap>(
  'prober',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'prober.workerStart': { text: (e) => `${who(e)}: worker started, first probe in ${e.delayMs} ms`, source: go('pkg/kubelet/prober/worker.go', 'worker.run') },
    'prober.workerStop': { text: (e) => `${who(e)}: worker stopped`, source: go('pkg/kubelet/prober/worker.go', 'worker.run') },
    'prober.run': {
      text: (e) => (e.error ? `${who(e)}: probe errored: ${e.error}` : `${who(e)}: ${e.result}${e.output ? `: ${e.output}` : ''}`),
      source: go('pkg/kubelet/prober/prober.go', 'prober.probe'),
    },
    'prober.set': { text: (e) => `${who(e)}: result ${e.result} for ${e.containerId}`, source: go('pkg/kubelet/prober/worker.go', 'worker.doProbe') },
    'prober.onHold': { text: (e) => `${who(e)}: on hold until ${e.containerId} is replaced`, source: go('pkg/kubelet/prober/worker.go', 'worker.doProbe') },
  },
);
