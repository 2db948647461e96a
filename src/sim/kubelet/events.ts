/**
 * Trace events of the kubelet model: what its sync loop, PLEG, pod workers, runtime manager and
 * status manager did, small and plain, for the kubelet view (channels, relists, container states,
 * backoff timers), the terminal's `trace` and checks. Each carries the kubelet's `node` (the
 * emitter's base field). Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type SyncLoopChannel = 'config' | 'pleg' | 'sync' | 'housekeeping' | 'liveness' | 'readiness' | 'startup';

/** Every kubelet event names its node, so a multi-node session's views can tell kubelets apart. */
export type KubeletEventBase = { node: string };

type WithNode<M> = { [K in keyof M]: M[K] & KubeletEventBase };

export type KubeletEventMap = WithNode<{
  /** One syncLoopIteration: which channel fired, what it did (ADD, UPDATE, DELETE, REMOVE, RECONCILE, PLEG event type, probe result...), for which pods. */
  'kubelet.syncLoop': { channel: SyncLoopChannel; op: string; pods: string[] };
  /** One PLEG relist: pods seen, events sent. */
  'kubelet.relist': { pods: number; events: number };
  /** One lifecycle event the PLEG sent (ContainerStarted / ContainerDied / ContainerRemoved / ContainerChanged). */
  'kubelet.plegEvent': { pod: string; event: string; containerId: string };
  /** A pod worker moved its pod to another stage (SyncPod -> SyncTerminatingPod -> SyncTerminatedPod -> finished). */
  'kubelet.podWorker': { pod: string; from: string; to: string };
  /** A container's state as the status manager reports it changed (waiting / running / terminated with reason). */
  'kubelet.container': { pod: string; container: string; state: string; reason: string; restartCount: number };
  /** A container's restart is held off: the backoff and when the next start is allowed (virtual ms). */
  'kubelet.backoff': { pod: string; container: string; backoffMs: number; restartAtMs: number };
  /** One CRI action of a SyncPod / killPod and its outcome (`error` empty on success). */
  'kubelet.action': { pod: string; action: string; target: string; error: string };
  /** The status manager wrote a pod's status (or deleted the pod once terminal). */
  'kubelet.status': { pod: string; phase: string; op: 'patch' | 'delete' };
  /** An Event the kubelet recorded on a pod (what `kubectl describe pod` lists). */
  'kubelet.event': { pod: string; type: string; reason: string; message: string; fieldPath: string };
  /** A journal line (klog): `message` is the rendered line without the header; `v` its klog verbosity. */
  'kubelet.log': { message: string; level: string; source: string; v: number };
}>;

export type KubeletTraceEvent = AnyEventOf<KubeletEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });

export const kubeletEvents = defineEvents<KubeletEventMap>(
  'kubelet',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'kubelet.syncLoop': { text: (e) => `syncLoop ${e.channel}: ${e.op} ${e.pods.join(', ')}`, source: go('pkg/kubelet/kubelet.go', 'Kubelet.syncLoopIteration') },
    'kubelet.relist': { text: (e) => `PLEG relist: ${e.pods} pods, ${e.events} events`, source: go('pkg/kubelet/pleg/generic.go', 'GenericPLEG.Relist') },
    'kubelet.plegEvent': { text: (e) => `PLEG ${e.event} ${e.pod} ${e.containerId}`, source: go('pkg/kubelet/pleg/generic.go', 'generateEvents') },
    'kubelet.podWorker': { text: (e) => `pod worker ${e.pod}: ${e.from} -> ${e.to}`, source: go('pkg/kubelet/pod_workers.go', 'podWorkers.podWorkerLoop') },
    'kubelet.container': { text: (e) => `${e.pod} ${e.container}: ${e.state}${e.reason ? ` (${e.reason})` : ''}, restarts ${e.restartCount}`, source: go('pkg/kubelet/kubelet_pods.go', 'Kubelet.convertToAPIContainerStatuses') },
    'kubelet.backoff': { text: (e) => `${e.pod} ${e.container}: back-off ${e.backoffMs} ms, restart allowed at ${e.restartAtMs} ms`, source: go('pkg/kubelet/kuberuntime/kuberuntime_manager.go', 'kubeGenericRuntimeManager.doBackOff') },
    'kubelet.action': { text: (e) => `${e.action} ${e.target} (${e.pod})${e.error ? `: ${e.error}` : ''}`, source: go('pkg/kubelet/kuberuntime/kuberuntime_manager.go', 'kubeGenericRuntimeManager.SyncPod') },
    'kubelet.status': { text: (e) => (e.op === 'delete' ? `status manager deleted ${e.pod}` : `status manager patched ${e.pod}: ${e.phase}`), source: go('pkg/kubelet/status/status_manager.go', 'manager.syncPod') },
    'kubelet.event': { text: (e) => `${e.type} ${e.reason} ${e.pod}${e.fieldPath ? ` ${e.fieldPath}` : ''}: ${e.message}`, source: go('pkg/kubelet/events/event.go', 'events') },
    'kubelet.log': { text: (e) => e.message, source: go('pkg/kubelet/kubelet.go', 'klog') },
  },
);
