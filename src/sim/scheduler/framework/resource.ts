/**
 * Compute resources as the scheduler counts them: pkg/scheduler/framework/types.go (`Resource`,
 * `NewResource`, `Resource.Add`, `PodInfo.CalculateResource`) and k8s.io/component-helpers
 * resource/helpers.go (`PodRequests`) at v1.34. CPU in millicores, everything else in units.
 */
import { parseQuantity } from '../../apimachinery/quantity';
import type { Container, Pod, ResourceList } from '../../api/core/v1';

/** util.DefaultMilliCPURequest: what a container without a CPU request counts for in scoring. */
export const DefaultMilliCPURequest = 100;
/** util.DefaultMemoryRequest: 200 MiB, the same for memory. */
export const DefaultMemoryRequest = 200 * 1024 * 1024;

/**
 * Parsed quantities by their string, millicores and units apart. Every cycle sums the pod's
 * requests several times (PreFilter, PreScore, the cache) and the strings repeat, so each is
 * parsed once (bounded, so a long session cannot grow it without end). Upstream parses at decode.
 */
const milliValues = new Map<string, number>();
const unitValues = new Map<string, number>();

/** Quantity of one resource as the scheduler reads it: millicores for cpu, units otherwise. */
export function quantityValue(name: string, q: string | number | undefined): number {
  if (q === undefined || q === null) return 0;
  const str = String(q);
  const milli = name === 'cpu';
  const memo = milli ? milliValues : unitValues;
  let v = memo.get(str);
  if (v === undefined) {
    const quantity = parseQuantity(str);
    v = milli ? quantity.milliValue() : quantity.value();
    if (memo.size >= 4096) memo.clear();
    memo.set(str, v);
  }
  return v;
}

/** Go: `framework.Resource`. */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  /** From the node's allocatable `pods`; unused for requests. */
  allowedPodNumber = 0;
  /** Extended resources, hugepages and the like: name -> units. */
  scalarResources = new Map<string, number>();

  /** Go: `NewResource(rl)`. */
  static from(rl: ResourceList | undefined): Resource {
    const r = new Resource();
    r.add(rl);
    return r;
  }

  /** Adds a ResourceList (Go: `Resource.Add`). */
  add(rl: ResourceList | undefined): void {
    if (!rl) return;
    for (const [name, q] of Object.entries(rl)) {
      const v = quantityValue(name, q);
      switch (name) {
        case 'cpu': this.milliCPU += v; break;
        case 'memory': this.memory += v; break;
        case 'pods': this.allowedPodNumber += v; break;
        case 'ephemeral-storage': this.ephemeralStorage += v; break;
        default:
          if (isScalarResourceName(name)) this.scalarResources.set(name, (this.scalarResources.get(name) ?? 0) + v);
      }
    }
  }

  /** Go: `Resource.SetMaxResource`. */
  setMaxResource(rl: ResourceList | undefined): void {
    if (!rl) return;
    for (const [name, q] of Object.entries(rl)) {
      const v = quantityValue(name, q);
      switch (name) {
        case 'cpu': this.milliCPU = Math.max(this.milliCPU, v); break;
        case 'memory': this.memory = Math.max(this.memory, v); break;
        case 'ephemeral-storage': this.ephemeralStorage = Math.max(this.ephemeralStorage, v); break;
        default:
          if (isScalarResourceName(name)) this.scalarResources.set(name, Math.max(this.scalarResources.get(name) ?? 0, v));
      }
    }
  }

  /** The amount of one resource by name (cpu in millicores). */
  get(name: string): number {
    switch (name) {
      case 'cpu': return this.milliCPU;
      case 'memory': return this.memory;
      case 'ephemeral-storage': return this.ephemeralStorage;
      case 'pods': return this.allowedPodNumber;
      default: return this.scalarResources.get(name) ?? 0;
    }
  }

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    r.scalarResources = new Map(this.scalarResources);
    return r;
  }

  toJSON(): Record<string, number> {
    const out: Record<string, number> = { milliCPU: this.milliCPU, memory: this.memory, ephemeralStorage: this.ephemeralStorage, allowedPodNumber: this.allowedPodNumber };
    for (const [k, v] of this.scalarResources) out[k] = v;
    return out;
  }
}

/** Go: `IsNativeResource`: no domain, or a kubernetes.io domain. */
function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/**
 * Extended resources: a domain prefix outside kubernetes.io, and not quota's `requests.` form.
 * Upstream: pkg/apis/core/v1/helper/helpers.go (IsExtendedResourceName)
 */
export function isExtendedResourceName(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith('requests.');
}

/**
 * Extended, hugepages-*, prefixed native (`kubernetes.io/...`) and attachable-volumes-* resources.
 * Upstream: pkg/apis/core/v1/helper/helpers.go (IsScalarResourceName)
 */
export function isScalarResourceName(name: string): boolean {
  return isExtendedResourceName(name) || name.startsWith('hugepages-') || name.includes('kubernetes.io/') || name.startsWith('attachable-volumes-');
}

/** Sum of two resource lists by name, as numbers (cpu in millicores). */
type Amounts = Map<string, number>;

function amountsOf(rl: ResourceList | undefined, nonMissing?: Amounts): Amounts {
  const out: Amounts = new Map();
  for (const [name, q] of Object.entries(rl ?? {})) out.set(name, quantityValue(name, q));
  if (nonMissing) for (const [name, v] of nonMissing) if (!out.has(name)) out.set(name, v);
  return out;
}
function addTo(into: Amounts, from: Amounts): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}
function maxInto(into: Amounts, from: Amounts): void {
  for (const [k, v] of from) into.set(k, Math.max(into.get(k) ?? 0, v));
}

function isRestartable(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** Resources pod-level `resources` may set: cpu, memory and hugepages (component-helpers: `IsSupportedPodLevelResource`). */
const isPodLevelResource = (name: string): boolean => name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');

/**
 * A pod's effective requests: the sum of its containers, sidecars added, the largest init
 * container step, pod-level requests where set, plus overhead.
 * Upstream: k8s.io/component-helpers resource/helpers.go (PodRequests, AggregateContainerRequests)
 */
export function podRequests(pod: Pod, nonMissingContainerRequests?: Amounts): Amounts {
  const reqs: Amounts = new Map();
  for (const c of pod.spec.containers ?? []) addTo(reqs, amountsOf(c.resources?.requests, nonMissingContainerRequests));
  // Init containers run one at a time, each beside the sidecars started before it.
  const restartableInitReqs: Amounts = new Map();
  const initReqs: Amounts = new Map();
  for (const c of pod.spec.initContainers ?? []) {
    const cReqs = amountsOf(c.resources?.requests, nonMissingContainerRequests);
    if (isRestartable(c)) {
      addTo(reqs, cReqs);
      addTo(restartableInitReqs, cReqs);
      maxInto(initReqs, restartableInitReqs);
    } else {
      const step = new Map(cReqs);
      addTo(step, restartableInitReqs);
      maxInto(initReqs, step);
    }
  }
  maxInto(reqs, initReqs);
  // Pod-level requests win for the resources they may set.
  const podLevel = pod.spec.resources?.requests;
  if (podLevel) for (const [name, q] of Object.entries(podLevel)) if (isPodLevelResource(name)) reqs.set(name, quantityValue(name, q));
  if (pod.spec.overhead) addTo(reqs, amountsOf(pod.spec.overhead));
  return reqs;
}

/** What NodeInfo adds up for a pod (Go: `fwk.PodResource`). */
export interface PodResource {
  resource: Resource;
  non0CPU: number;
  non0Mem: number;
}

function resourceOfAmounts(a: Amounts): Resource {
  const r = new Resource();
  for (const [name, v] of a) {
    switch (name) {
      case 'cpu': r.milliCPU += v; break;
      case 'memory': r.memory += v; break;
      case 'ephemeral-storage': r.ephemeralStorage += v; break;
      case 'pods': break;
      default: if (isScalarResourceName(name)) r.scalarResources.set(name, (r.scalarResources.get(name) ?? 0) + v);
    }
  }
  return r;
}

function hasPodLevelRequests(pod: Pod): boolean {
  const rq = pod.spec.resources?.requests;
  return !!rq && Object.keys(rq).some((k) => k === 'cpu' || k === 'memory');
}

/**
 * Requests and the non-zero requests (100m CPU and 200Mi memory for each container that asks
 * for none). Upstream: pkg/scheduler/framework/types.go (PodInfo.CalculateResource)
 */
export function calculateResource(pod: Pod): PodResource {
  const requests = podRequests(pod);
  // With pod-level requests, the defaults stand in only for what neither level sets
  // (Go: getNonMissingContainerRequests).
  const nonMissing = new Map<string, number>();
  const podLevel = hasPodLevelRequests(pod);
  if (!podLevel || !requests.has('cpu')) nonMissing.set('cpu', DefaultMilliCPURequest);
  if (!podLevel || !requests.has('memory')) nonMissing.set('memory', DefaultMemoryRequest);
  const non0 = nonMissing.size > 0 ? podRequests(pod, nonMissing) : requests;
  return { resource: resourceOfAmounts(requests), non0CPU: non0.get('cpu') ?? 0, non0Mem: non0.get('memory') ?? 0 };
}
