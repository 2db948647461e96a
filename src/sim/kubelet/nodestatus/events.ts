/**
 * Trace events of the kubelet's node status and node lease (kubernetes v1.34.0 and
 * component-helpers v0.34.0): registration attempts, status syncs (patched or skipped), and
 * lease renewals.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type NodeStatusEventMap = {
  /** An attempt to register the Node: `result` created, exists (reconciled) or error. */
  'nodestatus.register': { node: string; result: string; error: string };
  /** A status sync: `patched` when the status changed or nodeStatusReportFrequency passed; `ready` the Ready condition's status. */
  'nodestatus.update': { node: string; patched: boolean; changed: boolean; ready: string; error: string };
  /** The node lease was created or renewed (`renewTime` in MicroTime format), or the attempt failed. */
  'nodelease.renew': { node: string; created: boolean; renewTime: string; error: string };
};

export type NodeStatusTraceEvent = AnyEventOf<NodeStatusEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });

export const nodeStatusEvents = defineEvents<NodeStatusEventMap>(
  'nodestatus',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'nodestatus.register': {
      text: (e) => (e.error ? `register ${e.node}: ${e.error}` : `register ${e.node}: ${e.result}`),
      source: go('pkg/kubelet/kubelet_node_status.go', 'Kubelet.tryRegisterWithAPIServer'),
    },
    'nodestatus.update': {
      text: (e) => (e.error ? `node status ${e.node}: ${e.error}` : `node status ${e.node}: ${e.patched ? 'patched' : 'unchanged, not sent'} (Ready=${e.ready})`),
      source: go('pkg/kubelet/kubelet_node_status.go', 'Kubelet.tryUpdateNodeStatus'),
    },
    'nodelease.renew': {
      text: (e) => (e.error ? `lease ${e.node}: ${e.error}` : `lease ${e.node}: ${e.created ? 'created' : 'renewed'} at ${e.renewTime}`),
      source: go('staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go', 'controller.sync'),
    },
  },
);
