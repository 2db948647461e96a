/**
 * Trace events of the metrics server: one per scrape. Links point at metrics-server v0.7.2.
 */
import { defineEvents, type AnyEventOf } from '../core/events';

export const METRICS_SERVER_TAG = 'v0.7.2';

export type MetricsServerEventMap = {
  /** A scrape stored `pods` pod and `nodes` node points; `ready` pods already have two points (metrics served). */
  'metrics.scrape': { pods: number; nodes: number; ready: number };
};

export type MetricsServerTraceEvent = AnyEventOf<MetricsServerEventMap>;

export const metricsServerEvents = defineEvents<MetricsServerEventMap>(
  'metrics-server',
  { name: 'metrics-server', tag: METRICS_SERVER_TAG, blobUrl: `https://github.com/kubernetes-sigs/metrics-server/blob/${METRICS_SERVER_TAG}/` },
  {
    'metrics.scrape': {
      text: (e) => `scraped ${e.pods} pods and ${e.nodes} nodes (${e.ready} pods with metrics)`,
      source: { file: 'pkg/server/server.go', symbol: 'server.tick' },
    },
  },
);
