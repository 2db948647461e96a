/**
 * Trace events of the node lifecycle controller (kubernetes v1.34.0): a node seen, its Ready
 * condition set Unknown, taints swapped, pods marked not ready, a zone changing state.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type NodeLifecycleEventMap = {
  /** A node the controller had not seen (RegisteredNode) or that disappeared (RemovingNode). */
  'nodelifecycle.node': { node: string; op: string };
  /** No heartbeat (lease or status) within the grace period: the conditions were set Unknown. */
  'nodelifecycle.unknown': { node: string; sinceProbeMs: number; gracePeriodMs: number };
  /** Taints the controller added and removed on a node (`key:Effect` each). */
  'nodelifecycle.taint': { node: string; added: string[]; removed: string[] };
  /** The node's pods got Ready=False. */
  'nodelifecycle.markPodsNotReady': { node: string; pods: number };
  /** A zone changed state (Initial, Normal, PartialDisruption, FullDisruption); `qps` the new eviction rate. */
  'nodelifecycle.zoneState': { zone: string; state: string; qps: number };
};

export type NodeLifecycleTraceEvent = AnyEventOf<NodeLifecycleEventMap>;

const go = (symbol: string) => ({ file: 'pkg/controller/nodelifecycle/node_lifecycle_controller.go', symbol });
const zoneName = (z: string) => (z === '' ? '(no zone)' : z.replace(':\x00:', '/'));

export const nodeLifecycleEvents = defineEvents<NodeLifecycleEventMap>(
  'nodelifecycle',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'nodelifecycle.node': { text: (e) => `${e.op} ${e.node}`, source: go('Controller.monitorNodeHealth') },
    'nodelifecycle.unknown': { text: (e) => `${e.node}: no heartbeat for ${e.sinceProbeMs} ms (grace ${e.gracePeriodMs} ms): conditions Unknown`, source: go('Controller.tryUpdateNodeHealth') },
    'nodelifecycle.taint': { text: (e) => `${e.node}: taints +[${e.added.join(', ')}] -[${e.removed.join(', ')}]`, source: { file: 'pkg/controller/util/node/controller_utils.go', symbol: 'SwapNodeControllerTaint' } },
    'nodelifecycle.markPodsNotReady': { text: (e) => `${e.node}: ${e.pods} pod(s) marked not ready`, source: { file: 'pkg/controller/util/node/controller_utils.go', symbol: 'MarkPodsNotReady' } },
    'nodelifecycle.zoneState': { text: (e) => `zone ${zoneName(e.zone)}: ${e.state} (eviction qps ${e.qps})`, source: go('Controller.handleDisruption') },
  },
);
