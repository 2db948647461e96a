/**
 * The HPA's metrics clients over the API server: resource metrics from metrics.k8s.io (metrics-
 * server), pod and object metrics from custom.metrics.k8s.io, external metrics from
 * external.metrics.k8s.io (served only when an adapter registers them; otherwise the request
 * fails as it does on a cluster without one). Values come back in milli-units, times in ms.
 * Upstream: pkg/controller/podautoscaler/metrics/client.go (resourceMetricsClient.GetResourceMetric,
 * getContainerMetrics, getPodMetrics, customMetricsClient.GetRawMetric, GetObjectMetric,
 * externalMetricsClient.GetExternalMetric)
 */
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import type { LabelSelector } from '../../apimachinery/validation';
import { parseQuantity } from '../../apimachinery/quantity';
import type { Clientset } from '../../client/clientset';
import type { MetricsClient, ObjectRef, PodMetricsResult } from './replica_calculator';
import type { PodMetric } from './utilization';

/** The window upstream assumes when a custom metric has none. Upstream: metrics/client.go (metricServerDefaultMetricWindow) */
export const metricServerDefaultMetricWindowMs = 60_000;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const milli = (q: unknown): number => parseQuantity(String(q)).milliValue();

interface PodMetricsItem {
  metadata: { name: string; namespace?: string };
  timestamp: string;
  window: string;
  containers: Array<{ name: string; usage: Record<string, string> }>;
}

interface MetricValue {
  describedObject: { kind?: string; name: string };
  timestamp: string;
  windowSeconds?: number;
  value: string;
}

// Go duration strings as metav1.Duration prints them (`15s`, `1m0s`, `1.5s`) back to ms.
function parseGoDurationMs(s: string): number {
  let ms = 0;
  for (const [, n, unit] of s.matchAll(/([0-9.]+)(h|ms|m|s|µs|us|ns)/g)) {
    ms += Number(n) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1, µs: 1e-3, us: 1e-3, ns: 1e-6 } as Record<string, number>)[unit];
  }
  return ms;
}

/** A selector as the query carries it: a string as is, a metav1.LabelSelector through LabelSelectorAsSelector. */
function selectorString(sel: unknown): string {
  if (sel === undefined || sel === null) return '';
  if (typeof sel === 'string') return sel;
  return labelSelectorAsSelector(sel as LabelSelector).toString();
}

// Upstream: metrics/client.go (getContainerMetrics)
function getContainerMetrics(items: PodMetricsItem[], resource: string, container: string): Record<string, PodMetric> {
  const res: Record<string, PodMetric> = {};
  for (const m of items) {
    const c = m.containers.find((x) => x.name === container);
    if (!c) throw new Error(`container ${container} not present in metrics for pod ${m.metadata.namespace ?? ''}/${m.metadata.name}`);
    if (c.usage[resource] !== undefined) res[m.metadata.name] = { value: milli(c.usage[resource]), timestampMs: parseRfc3339(m.timestamp), windowMs: parseGoDurationMs(m.window) };
  }
  return res;
}

// Upstream: metrics/client.go (getPodMetrics): a pod missing the resource in any container is left out.
function getPodMetrics(items: PodMetricsItem[], resource: string): Record<string, PodMetric> {
  const res: Record<string, PodMetric> = {};
  for (const m of items) {
    let sum = 0;
    let missing = m.containers.length === 0;
    for (const c of m.containers) {
      if (c.usage[resource] === undefined) {
        missing = true;
        break;
      }
      sum += milli(c.usage[resource]);
    }
    if (!missing) res[m.metadata.name] = { value: sum, timestampMs: parseRfc3339(m.timestamp), windowMs: parseGoDurationMs(m.window) };
  }
  return res;
}

// The plural resource of a described object's kind (Go: the RESTMapper of the custom metrics client).
const resourceOfKind = (kind: string): string => {
  const k = kind.toLowerCase();
  return k.endsWith('s') ? `${k}es` : k.endsWith('y') ? `${k.slice(0, -1)}ies` : `${k}s`;
};

/** Upstream: metrics/client.go (NewRESTMetricsClient) */
export function newRESTMetricsClient(client: Clientset): Required<MetricsClient> {
  const get = (group: string, version: string, path: string, query: Record<string, string>) => {
    const r = client.restClient(group, version).get().absPath(`/apis/${group}/${version}${path}`);
    for (const [k, v] of Object.entries(query)) if (v) r.param(k, v);
    return r.do();
  };
  return {
    // Upstream: resourceMetricsClient.GetResourceMetric
    async getResourceMetric(resource, namespace, selector, container): Promise<PodMetricsResult> {
      let items: PodMetricsItem[];
      try {
        items = ((await get('metrics.k8s.io', 'v1beta1', `/namespaces/${namespace}/pods`, { labelSelector: selectorString(selector) })) as { items: PodMetricsItem[] }).items ?? [];
      } catch (e) {
        throw new Error(`unable to fetch metrics from resource metrics API: ${message(e)}`);
      }
      if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
      let metrics: Record<string, PodMetric>;
      if (container !== '') {
        try {
          metrics = getContainerMetrics(items, resource, container);
        } catch (e) {
          throw new Error(`failed to get container metrics: ${message(e)}`);
        }
      } else metrics = getPodMetrics(items, resource);
      return { metrics, timestampMs: parseRfc3339(items[0].timestamp) };
    },

    // Upstream: customMetricsClient.GetRawMetric
    async getRawMetric(metricName, namespace, selector, metricSelector): Promise<PodMetricsResult> {
      let items: MetricValue[];
      try {
        items = ((await get('custom.metrics.k8s.io', 'v1beta2', `/namespaces/${namespace}/pods/*/${metricName}`, { labelSelector: selectorString(selector), metricLabelSelector: selectorString(metricSelector) })) as { items: MetricValue[] }).items ?? [];
      } catch (e) {
        throw new Error(`unable to fetch metrics from custom metrics API: ${message(e)}`);
      }
      if (items.length === 0) throw new Error('no metrics returned from custom metrics API');
      const metrics: Record<string, PodMetric> = {};
      for (const m of items) {
        metrics[m.describedObject.name] = { value: milli(m.value), timestampMs: parseRfc3339(m.timestamp), windowMs: m.windowSeconds !== undefined ? m.windowSeconds * 1000 : metricServerDefaultMetricWindowMs };
      }
      return { metrics, timestampMs: parseRfc3339(items[0].timestamp) };
    },

    // Upstream: customMetricsClient.GetObjectMetric
    async getObjectMetric(metricName, namespace, objectRef, metricSelector) {
      const ref = objectRef as ObjectRef;
      try {
        const list = (await get('custom.metrics.k8s.io', 'v1beta2', `/namespaces/${namespace}/${resourceOfKind(ref.kind)}/${ref.name}/${metricName}`, { metricLabelSelector: selectorString(metricSelector) })) as { items: MetricValue[] };
        const items = list.items ?? [];
        if (items.length !== 1) throw new Error(`the custom metrics API server returned ${items.length} results when we asked for exactly one`);
        return { value: milli(items[0].value), timestampMs: parseRfc3339(items[0].timestamp) };
      } catch (e) {
        throw new Error(`unable to fetch metrics from custom metrics API: ${message(e)}`);
      }
    },

    // Upstream: externalMetricsClient.GetExternalMetric
    async getExternalMetric(metricName, namespace, metricSelector) {
      let items: Array<{ value: string; timestamp: string }>;
      try {
        items = ((await get('external.metrics.k8s.io', 'v1beta1', `/namespaces/${namespace}/${metricName}`, { labelSelector: selectorString(metricSelector) })) as { items: typeof items }).items ?? [];
      } catch (e) {
        throw new Error(`unable to fetch metrics from external metrics API: ${message(e)}`);
      }
      if (items.length === 0) throw new Error('no metrics returned from external metrics API');
      return { values: items.map((m) => milli(m.value)), timestampMs: parseRfc3339(items[0].timestamp) };
    },
  };
}
