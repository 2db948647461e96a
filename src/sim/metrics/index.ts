// metrics-server (kubernetes-sigs/metrics-server) as a model: scraper, two-point storage, and the
// metrics.k8s.io/v1beta1 aggregated API; plus scripted load profiles. See README.md.
export { newMetricsServer, MetricsServer, MetricsGroup, MetricsVersion, DefaultMetricResolutionMs, type MetricsServerOptions } from './server';
export { loadProfile, steps, constantUsage, type LoadProfileOptions } from './load';
export { PointStorage, type Point, type StoredMetrics } from './storage';
export { metricsServerEvents, type MetricsServerEventMap, type MetricsServerTraceEvent } from './events';
export type { MetricsSource, NodeMetricsSource, PodUsage, ContainerUsage, SampleContext } from './types';
