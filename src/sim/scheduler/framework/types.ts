/**
 * Node-level aggregates the plugins read: pkg/scheduler/framework/types.go at v1.34 (`NodeInfo`,
 * `PodInfo`, `AffinityTerm`, `ImageStateSummary`) and k8s.io/kube-scheduler framework/types.go
 * (`HostPortInfo`, `ProtocolPort`). Fields keep Go's exported names in camelCase.
 */
import { labelSelectorAsSelector, type LabelSet, type Selector } from '../../apimachinery/labels';
import type { Node, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../api/core/v1';
import { Resource, calculateResource, type PodResource } from './resource';

/** A processed v1.PodAffinityTerm (Go: `fwk.AffinityTerm`). */
export interface AffinityTerm {
  namespaces: Set<string>;
  selector: Selector;
  topologyKey: string;
  namespaceSelector: Selector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** Whether the pod is one the term selects (Go: `AffinityTerm.Matches`). */
export function affinityTermMatches(term: AffinityTerm, pod: Pod, nsLabels: LabelSet | undefined): boolean {
  if (term.namespaces.has(pod.metadata.namespace ?? '') || term.namespaceSelector.matches(nsLabels ?? {})) {
    return term.selector.matches(pod.metadata.labels ?? {});
  }
  return false;
}

/** Go: `getNamespacesFromPodAffinityTerm`: no namespaces and no selector means the pod's own. */
function namespacesOf(pod: Pod, term: PodAffinityTerm): Set<string> {
  if ((term.namespaces ?? []).length === 0 && term.namespaceSelector == null) return new Set([pod.metadata.namespace ?? '']);
  return new Set(term.namespaces ?? []);
}

/** Go: `newAffinityTerm`. Throws for a selector the API server should not have let through. */
function newAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  return {
    namespaces: namespacesOf(pod, term),
    selector: labelSelectorAsSelector(term.labelSelector ?? null),
    topologyKey: term.topologyKey,
    namespaceSelector: labelSelectorAsSelector(term.namespaceSelector ?? null),
  };
}

/** Go: `PodInfo`: a pod with its affinity terms parsed once. */
export class PodInfo {
  pod: Pod;
  requiredAffinityTerms: AffinityTerm[] = [];
  requiredAntiAffinityTerms: AffinityTerm[] = [];
  preferredAffinityTerms: WeightedAffinityTerm[] = [];
  preferredAntiAffinityTerms: WeightedAffinityTerm[] = [];
  /** Terms that failed to parse (Go: the error `NewPodInfo` returns, which AddPod ignores). */
  parseErrors: string[] = [];
  #resource?: PodResource;

  constructor(pod: Pod) {
    this.pod = pod;
    this.update(pod);
  }

  /** Go: `PodInfo.Update`. */
  update(pod: Pod): void {
    this.pod = pod;
    this.#resource = undefined;
    this.parseErrors = [];
    const a = pod.spec.affinity;
    this.requiredAffinityTerms = this.#terms(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.requiredAntiAffinityTerms = this.#terms(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.preferredAffinityTerms = this.#weighted(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = this.#weighted(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
  }

  #terms(terms: PodAffinityTerm[] | undefined): AffinityTerm[] {
    const out: AffinityTerm[] = [];
    for (const t of terms ?? []) {
      try {
        out.push(newAffinityTerm(this.pod, t));
      } catch (e) {
        this.parseErrors.push((e as Error).message);
      }
    }
    return out;
  }

  #weighted(terms: WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
    const out: WeightedAffinityTerm[] = [];
    for (const t of terms ?? []) {
      try {
        out.push({ ...newAffinityTerm(this.pod, t.podAffinityTerm), weight: t.weight });
      } catch (e) {
        this.parseErrors.push((e as Error).message);
      }
    }
    return out;
  }

  /** Requests and non-zero requests, computed once (Go: `CalculateResource`). */
  calculateResource(): PodResource {
    this.#resource ??= calculateResource(this.pod);
    return this.#resource;
  }
}

/** Go: `GetPodKey`: the pod's UID, which every cache keys pods by. */
export function getPodKey(pod: Pod): string {
  const uid = pod.metadata.uid;
  if (!uid) throw new Error(`cannot get cache key for pod with empty UID`);
  return uid;
}

/** The pod's namespace/name, for messages and tables. */
export function podName(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}

/** Go: `fwk.ProtocolPort` as a string key `TCP/8080`. */
export type HostPortKey = string;

const DefaultBindAllHostIP = '0.0.0.0';

/** Host ports in use on a node: hostIP -> set of `protocol/port` (Go: `fwk.HostPortInfo`). */
export class HostPortInfo {
  readonly byIP = new Map<string, Set<HostPortKey>>();

  static #sanitize(ip: string | undefined, protocol: string | undefined): [string, string] {
    return [ip ? ip : DefaultBindAllHostIP, protocol ? protocol : 'TCP'];
  }

  add(ip: string | undefined, protocol: string | undefined, port: number): void {
    const [i, p] = HostPortInfo.#sanitize(ip, protocol);
    let set = this.byIP.get(i);
    if (!set) this.byIP.set(i, (set = new Set()));
    set.add(`${p}/${port}`);
  }

  remove(ip: string | undefined, protocol: string | undefined, port: number): void {
    const [i, p] = HostPortInfo.#sanitize(ip, protocol);
    const set = this.byIP.get(i);
    if (!set) return;
    set.delete(`${p}/${port}`);
    if (set.size === 0) this.byIP.delete(i);
  }

  len(): number {
    let n = 0;
    for (const s of this.byIP.values()) n += s.size;
    return n;
  }

  /** 0.0.0.0 conflicts with every IP on the same protocol and port (Go: `CheckConflict`). */
  checkConflict(ip: string | undefined, protocol: string | undefined, port: number): boolean {
    if (port <= 0) return false;
    const [i, p] = HostPortInfo.#sanitize(ip, protocol);
    const key = `${p}/${port}`;
    if (i === DefaultBindAllHostIP) {
      for (const set of this.byIP.values()) if (set.has(key)) return true;
      return false;
    }
    for (const addr of [i, DefaultBindAllHostIP]) if (this.byIP.get(addr)?.has(key)) return true;
    return false;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, set] of this.byIP) c.byIP.set(ip, new Set(set));
    return c;
  }
}

/** A container's host ports (pkg/scheduler/util: `GetHostPorts`). */
export function getHostPorts(pod: Pod): { hostIP?: string; protocol?: string; hostPort: number }[] {
  const out: { hostIP?: string; protocol?: string; hostPort: number }[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) out.push({ hostIP: p.hostIP, protocol: p.protocol, hostPort: p.hostPort });
  }
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) out.push({ hostIP: p.hostIP, protocol: p.protocol, hostPort: p.hostPort });
  }
  return out;
}

/** An image on a node, and how many nodes have it (Go: `fwk.ImageStateSummary`). */
export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

/** Keys `namespace/claim` of the PVCs a pod uses (Go: `PodPVCKeys`). */
export function podPVCKeys(pod: Pod): string[] {
  const ns = pod.metadata.namespace ?? 'default';
  const keys: string[] = [];
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim) keys.push(`${ns}/${v.persistentVolumeClaim.claimName}`);
    else if (v.ephemeral) keys.push(`${ns}/${pod.metadata.name}-${v.name}`);
  }
  return keys;
}

let generation = 0;
/** Go: `nextGeneration`: every change bumps a process-wide counter. */
export function nextGeneration(): number {
  return ++generation;
}

function podWithAffinity(p: Pod): boolean {
  const a = p.spec.affinity;
  return !!a && (!!a.podAffinity || !!a.podAntiAffinity);
}
function podWithRequiredAntiAffinity(p: Pod): boolean {
  return (p.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

/** Go: `framework.NodeInfo`. */
export class NodeInfo {
  node: Node | null = null;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  requested = new Resource();
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  imageStates = new Map<string, ImageStateSummary>();
  pvcRefCounts = new Map<string, number>();
  generation = nextGeneration();

  /** Go: `NewNodeInfo(pods...)`. */
  constructor(...pods: Pod[]) {
    for (const p of pods) this.addPod(p);
  }

  #nameOf: Node | null = null;
  #name = '';

  /**
   * The node's name, or "" before `setNode`. Remembered per Node object: every plugin asks on
   * every node, and the name sits three objects away. A node's name never changes.
   */
  get name(): string {
    const n = this.node;
    if (n !== this.#nameOf) {
      this.#nameOf = n;
      this.#name = n?.metadata.name ?? '';
    }
    return this.#name;
  }

  /** Go: `SetNode`. */
  setNode(node: Node): void {
    this.node = node;
    this.allocatable = Resource.from(node.status?.allocatable);
    this.generation = nextGeneration();
  }

  /** Go: `RemoveNode`. */
  removeNode(): void {
    this.node = null;
    this.generation = nextGeneration();
  }

  addPod(pod: Pod): void {
    this.addPodInfo(new PodInfo(pod));
  }

  /** Go: `AddPodInfo`. */
  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    if (podWithAffinity(pi.pod)) this.podsWithAffinity.push(pi);
    if (podWithRequiredAntiAffinity(pi.pod)) this.podsWithRequiredAntiAffinity.push(pi);
    this.#update(pi, 1);
  }

  /** Go: `RemovePod`: throws when the pod is not on the node. */
  removePod(pod: Pod): void {
    const k = getPodKey(pod);
    const drop = (list: PodInfo[]): PodInfo | undefined => {
      const i = list.findIndex((p) => p.pod.metadata.uid === k);
      if (i < 0) return undefined;
      // Upstream swaps the last element in: the order of the rest changes the same way.
      const [removed] = [list[i]];
      list[i] = list[list.length - 1];
      list.pop();
      return removed;
    };
    if (podWithAffinity(pod)) drop(this.podsWithAffinity);
    if (podWithRequiredAntiAffinity(pod)) drop(this.podsWithRequiredAntiAffinity);
    const removed = drop(this.pods);
    if (!removed) throw new Error(`no corresponding pod ${pod.metadata.name} in pods of node ${this.name}`);
    this.#update(removed, -1);
  }

  #update(pi: PodInfo, sign: 1 | -1): void {
    const res = pi.calculateResource();
    this.requested.milliCPU += sign * res.resource.milliCPU;
    this.requested.memory += sign * res.resource.memory;
    this.requested.ephemeralStorage += sign * res.resource.ephemeralStorage;
    for (const [k, v] of res.resource.scalarResources) this.requested.scalarResources.set(k, (this.requested.scalarResources.get(k) ?? 0) + sign * v);
    this.nonZeroRequested.milliCPU += sign * res.non0CPU;
    this.nonZeroRequested.memory += sign * res.non0Mem;
    for (const hp of getHostPorts(pi.pod)) {
      if (sign > 0) this.usedPorts.add(hp.hostIP, hp.protocol, hp.hostPort);
      else this.usedPorts.remove(hp.hostIP, hp.protocol, hp.hostPort);
    }
    for (const key of podPVCKeys(pi.pod)) {
      const n = (this.pvcRefCounts.get(key) ?? 0) + sign;
      if (n <= 0) this.pvcRefCounts.delete(key);
      else this.pvcRefCounts.set(key, n);
    }
    this.generation = nextGeneration();
  }

  /** A copy whose lists and aggregates can change without touching this one (Go: `Snapshot`). */
  snapshot(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = this.usedPorts.clone();
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable.clone();
    c.imageStates = new Map([...this.imageStates].map(([k, v]) => [k, { ...v }]));
    c.pvcRefCounts = new Map(this.pvcRefCounts);
    c.generation = this.generation;
    return c;
  }
}
