/**
 * Trace events of the HPA controller: one per reconcile of an HPA, with what a chart of the HPA
 * needs (the first metric's value against its target, the replicas the metrics want, and the
 * replicas decided). Links point at kubernetes v1.34.0.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const KUBERNETES_TAG = 'v1.34.0';

export type HPAEventMap = {
  /**
   * One reconcile. `value` / `target`: the first metric's current value and target (a percentage
   * for utilization targets, else milli-units; null when unknown). `desiredReplicas`: what the
   * metrics want before normalization (-1: none computed). `finalReplicas`: the replicas set (or kept).
   * `reason`: the rescale reason, or the limiting condition's reason, or the error.
   */
  'hpa.reconcile': {
    hpa: string;
    metric: string;
    value: number | null;
    target: number | null;
    currentReplicas: number;
    desiredReplicas: number;
    /** The HPA's bounds (spec.minReplicas, default 1; spec.maxReplicas), for the chart. */
    minReplicas: number;
    maxReplicas: number;
    finalReplicas: number;
    rescaled: boolean;
    reason: string;
    error: string;
  };
};

export type HPATraceEvent = AnyEventOf<HPAEventMap>;

export const hpaEvents = defineEvents<HPAEventMap>(
  'horizontal-pod-autoscaler',
  { name: 'kubernetes', tag: KUBERNETES_TAG, blobUrl: `https://github.com/kubernetes/kubernetes/blob/${KUBERNETES_TAG}/` },
  {
    'hpa.reconcile': {
      text: (e) =>
        e.error
          ? `${e.hpa}: ${e.error}`
          : `${e.hpa}: ${e.metric || 'metrics'} ${e.value ?? '?'}/${e.target ?? '?'}, ${e.currentReplicas} -> ${e.finalReplicas}${e.rescaled ? ` (${e.reason})` : e.reason ? ` [${e.reason}]` : ''}`,
      source: { file: 'pkg/controller/podautoscaler/horizontal.go', symbol: 'HorizontalController.reconcileAutoscaler' },
    },
  },
);
