/**
 * metrics-server: scrapes every pod's and node's usage every `--metric-resolution` (15 s as the released manifests set it), keeps
 * the last two scrapes, and serves metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics (get, list)
 * as an aggregated API of the API server. The HPA's resource metrics and `kubectl top` read it.
 * Upstream: kubernetes-sigs/metrics-server pkg/server/server.go (server.runScrape, server.tick),
 * pkg/api/pod.go (podMetrics.List, Get, getPodMetrics), pkg/api/node.go (nodeMetrics),
 * pkg/storage/pod.go (podStorage), pkg/api/install.go (the v1beta1 group)
 */
import type { Node, Pod } from '../api/core/v1';
import type { ServedResource } from '../apiserver/endpoints/discovery';
import type { RequestInfo } from '../apiserver/endpoints/request_info';
import { strategy } from '../apiserver/registry/kinds/common';
import type { ResourceDef } from '../apiserver/registry/resource';
import { rfc3339 } from '../apiserver/registry/strategy';
import { newGenericServerResponse, newNotFound } from '../apimachinery/errors';
import { BinarySI, newQuantity, newScaledQuantity, Nano } from '../apimachinery/quantity';
import { formatGoDuration } from '../cache/go_strings';
import type { Clientset } from '../client/clientset';
import type { RestRequest, RestResponse } from '../client/transport';
import type { FakeClock } from '../core/clock';
import { resolveEnv } from '../core/env';
import { EventEmitter } from '../core/events';
import type { KubeObject } from '../core/object';
import type { TraceRecorder } from '../core/trace';
import { metricsServerEvents, type MetricsServerEventMap } from './events';
import { PointStorage, type Point, type StoredMetrics } from './storage';
import type { ContainerUsage, MetricsSource, NodeMetricsSource, SampleContext } from './types';

/** The group and version metrics-server serves. */
export const MetricsGroup = 'metrics.k8s.io';
export const MetricsVersion = 'v1beta1';
/**
 * `--metric-resolution` as the released components.yaml and Helm chart set it (15 s); the binary's own
 * default (pkg/server/options NewOptions) is 60 s.
 */
export const DefaultMetricResolutionMs = 15_000;

export interface MetricsServerOptions {
  /** Lists pods and nodes (give it `qps: -1`: a scrape and each API call list through it). */
  client: Clientset;
  clock: FakeClock;
  /** Pod usage (the kubelets' resource metrics). */
  source: MetricsSource;
  /** Node usage; omitted: the sum of the node's pods. */
  nodeSource?: NodeMetricsSource;
  /** `--metric-resolution` in ms (default 15 s, the released manifests' value). */
  metricResolutionMs?: number;
  trace?: TraceRecorder;
}

const podKey = (p: { metadata: { namespace?: string; name?: string } }) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;

// Usage as metrics-server writes it: CPU in nanocores (canonical form, e.g. `250m`, `1234567n`), memory in bytes (BinarySI).
function usageOf(cpuMilli: number, memoryBytes: number): Record<string, string> {
  return { cpu: newScaledQuantity(Math.round(cpuMilli * 1_000_000), Nano).toString(), memory: newQuantity(Math.round(memoryBytes), BinarySI).toString() };
}

const readOnly = (kind: string, resource: string, namespaced: boolean): ResourceDef => ({
  group: MetricsGroup,
  version: MetricsVersion,
  resource,
  kind,
  singularName: '',
  shortNames: [],
  categories: [],
  namespaced,
  verbs: ['get', 'list'],
  storagePrefix: '',
  typeName: `*metrics.${kind}`,
  strategy: strategy({ validate: () => [] }),
  watchCache: false,
});

/** Use `newMetricsServer`. */
export class MetricsServer {
  readonly metricResolutionMs: number;
  readonly #o: MetricsServerOptions;
  readonly #pods = new PointStorage();
  readonly #nodes = new PointStorage();
  readonly #events: EventEmitter<MetricsServerEventMap, Record<string, never>>;
  readonly #defs = { pods: readOnly('PodMetrics', 'pods', true), nodes: readOnly('NodeMetrics', 'nodes', false) };
  #timer: { stop(): void } | undefined;
  #stopped = true;
  /** Scrapes done. */
  scrapes = 0;

  constructor(o: MetricsServerOptions) {
    this.#o = o;
    this.metricResolutionMs = o.metricResolutionMs ?? DefaultMetricResolutionMs;
    if (!(this.metricResolutionMs > 0)) throw new RangeError(`metric-resolution must be positive, got ${this.metricResolutionMs} ms`);
    this.#events = new EventEmitter(metricsServerEvents, resolveEnv({ clock: o.clock, trace: o.trace }), {});
  }

  /** Scrapes now, then every resolution (Go: `runScrape`'s first tick and its ticker). */
  // Upstream: pkg/server/server.go (server.runScrape)
  start(): Promise<void> {
    this.#stopped = false;
    const loop = () => {
      this.#timer = this.#o.clock.afterFunc(this.metricResolutionMs, () => {
        if (this.#stopped) return;
        loop();
        void this.scrape();
      });
    };
    loop();
    return this.scrape();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.stop();
  }

  /** One scrape: every running pod's usage from the source, each node's, stored as the newest points. */
  // Upstream: pkg/server/server.go (server.tick), pkg/scraper (Scrape), pkg/storage (Store)
  async scrape(): Promise<void> {
    const nowMs = this.#o.clock.now();
    const [podList, nodeList] = await Promise.all([this.#o.client.coreV1().pods('').list(), this.#o.client.coreV1().nodes().list()]);
    // The kubelet reports running pods only.
    const pods = (podList.items as unknown as Pod[]).filter((p) => p.status?.phase === 'Running');
    const ctx: SampleContext = { nowMs, pods };
    const podBatch = new Map<string, Point>();
    for (const pod of pods) {
      const usage = this.#o.source(pod, ctx);
      if (usage && usage.containers.length > 0) podBatch.set(podKey(pod), { timestampMs: nowMs, containers: usage.containers.map((c) => ({ ...c })) });
    }
    const nodeBatch = new Map<string, Point>();
    for (const node of nodeList.items as unknown as Node[]) {
      const name = node.metadata.name ?? '';
      const own = this.#o.nodeSource?.(name, ctx) ?? sumOfPods(pods.filter((p) => p.spec.nodeName === name), podBatch);
      nodeBatch.set(name, { timestampMs: nowMs, containers: [{ name: '', ...own }] });
    }
    this.#pods.store(podBatch);
    this.#nodes.store(nodeBatch);
    this.scrapes++;
    const ready = [...podBatch.keys()].filter((k) => this.#pods.get(k)).length;
    this.#events.emit('metrics.scrape', { pods: podBatch.size, nodes: nodeBatch.size, ready });
  }

  /** A pod's metrics as stored (undefined until it was scraped twice in a row). */
  podMetrics(namespace: string, name: string): StoredMetrics | undefined {
    return this.#pods.get(`${namespace}/${name}`);
  }

  // ---- the aggregated API -----------------------------------------------------------------------

  /** Serves metrics.k8s.io on `apiServer` (Go: the metrics-server APIService); returns the unregister function. */
  register(apiServer: { registerAPIService(group: string, provider: { resources(): ServedResource[]; serve(req: RestRequest, info: RequestInfo): Promise<RestResponse> }): () => void }): () => void {
    return apiServer.registerAPIService(MetricsGroup, this);
  }

  resources(): ServedResource[] {
    return [
      { def: this.#defs.nodes, subresources: [] },
      { def: this.#defs.pods, subresources: [] },
    ];
  }

  async serve(req: RestRequest, info: RequestInfo): Promise<RestResponse> {
    const def = this.#defs[info.resource as 'pods' | 'nodes'];
    // What kube-apiserver answers for a path or verb nothing serves (Go: NewGenericServerResponse 404 / 405).
    if (info.apiVersion !== MetricsVersion || !def || info.subresource) throw newGenericServerResponse(404, '', { group: '', resource: '' }, '', '', 0, false);
    if (info.verb !== 'get' && info.verb !== 'list') throw newGenericServerResponse(405, '', { group: '', resource: '' }, '', '', 0, false);
    const labelSelector = req.query?.labelSelector ?? '';
    return info.resource === 'pods' ? this.#servePods(info, labelSelector) : this.#serveNodes(info, labelSelector);
  }

  // Upstream: pkg/api/pod.go (podMetrics.List, podMetrics.Get, getPodMetrics)
  async #servePods(info: RequestInfo, labelSelector: string): Promise<RestResponse> {
    const client = this.#o.client.coreV1().pods(info.namespace);
    const item = (pod: Pod) => this.#podItem(pod);
    if (info.verb === 'get') {
      // A missing pod is the pod lister's NotFound, a pod without metrics the metrics' own.
      const pod = (await client.get(info.name)) as unknown as Pod;
      const out = item(pod);
      if (!out) throw newNotFound({ group: MetricsGroup, resource: 'podmetrics' }, `${info.namespace}/${info.name}`);
      return { code: 200, body: { kind: 'PodMetrics', apiVersion: `${MetricsGroup}/${MetricsVersion}`, ...out } };
    }
    const pods = ((await client.list({ labelSelector })).items as unknown as Pod[]).slice();
    pods.sort((a, b) => (podKey(a) < podKey(b) ? -1 : podKey(a) > podKey(b) ? 1 : 0));
    const items = pods.flatMap((p) => item(p) ?? []);
    return { code: 200, body: { kind: 'PodMetricsList', apiVersion: `${MetricsGroup}/${MetricsVersion}`, metadata: {}, items } };
  }

  #podItem(pod: Pod): KubeObject | undefined {
    if (pod.status?.phase !== 'Running') return undefined;
    const m = this.#pods.get(podKey(pod));
    if (!m) return undefined;
    return {
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: rfc3339(this.#o.clock.now()) },
      timestamp: rfc3339(m.timestampMs),
      window: formatGoDuration(m.windowMs),
      containers: m.containers.map((c: ContainerUsage) => ({ name: c.name, usage: usageOf(c.cpuMilli, c.memoryBytes) })),
    } as unknown as KubeObject;
  }

  // Upstream: pkg/api/node.go (nodeMetrics.List, nodeMetrics.Get, getNodeMetrics)
  async #serveNodes(info: RequestInfo, labelSelector: string): Promise<RestResponse> {
    const client = this.#o.client.coreV1().nodes();
    const item = (node: Node): KubeObject | undefined => {
      const m = this.#nodes.get(node.metadata.name ?? '');
      if (!m) return undefined;
      const u = m.containers[0];
      return { metadata: { name: node.metadata.name, creationTimestamp: rfc3339(this.#o.clock.now()) }, timestamp: rfc3339(m.timestampMs), window: formatGoDuration(m.windowMs), usage: usageOf(u.cpuMilli, u.memoryBytes) } as unknown as KubeObject;
    };
    if (info.verb === 'get') {
      const out = item((await client.get(info.name)) as unknown as Node);
      if (!out) throw newNotFound({ group: MetricsGroup, resource: 'nodemetrics' }, info.name);
      return { code: 200, body: { kind: 'NodeMetrics', apiVersion: `${MetricsGroup}/${MetricsVersion}`, ...out } };
    }
    const nodes = ((await client.list({ labelSelector })).items as unknown as Node[]).slice();
    nodes.sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
    return { code: 200, body: { kind: 'NodeMetricsList', apiVersion: `${MetricsGroup}/${MetricsVersion}`, metadata: {}, items: nodes.flatMap((n) => item(n) ?? []) } };
  }
}

function sumOfPods(pods: readonly Pod[], batch: ReadonlyMap<string, Point>): { cpuMilli: number; memoryBytes: number } {
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const p of pods) for (const c of batch.get(podKey(p))?.containers ?? []) {
    cpuMilli += c.cpuMilli;
    memoryBytes += c.memoryBytes;
  }
  return { cpuMilli, memoryBytes };
}

/** A metrics server; `start()` it and `register(apiServer)` to serve metrics.k8s.io. */
export function newMetricsServer(o: MetricsServerOptions): MetricsServer {
  return new MetricsServer(o);
}
