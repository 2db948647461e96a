/**
 * Fluent builders for pods and nodes in tests, after pkg/scheduler/testing/wrappers.go at v1.34
 * (`st.MakePod()`, `st.MakeNode()`), so a ported upstream case reads like the Go one:
 * `makePod().name('p').req({ cpu: '1' }).obj()`. Each call returns the builder; `obj()` the object.
 */
import type {
  Container, Node, Pod, PodAffinityTerm, ResourceList, Taint, Toleration, TopologySpreadConstraint, NodeSelectorRequirement,
} from '../../api/core/v1';
import type { LabelSelector } from '../../apimachinery/validation';

let uidCounter = 0;

export class PodWrapper {
  readonly pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default' }, spec: { containers: [] } };

  obj(): Pod {
    return this.pod;
  }
  name(n: string): this {
    this.pod.metadata.name = n;
    return this;
  }
  namespace(ns: string): this {
    this.pod.metadata.namespace = ns;
    return this;
  }
  uid(u: string): this {
    this.pod.metadata.uid = u;
    return this;
  }
  /** A UID from a counter, when the case does not care which. */
  autoUid(): this {
    this.pod.metadata.uid = `uid-${++uidCounter}`;
    return this;
  }
  schedulerName(s: string): this {
    this.pod.spec.schedulerName = s;
    return this;
  }
  node(n: string): this {
    this.pod.spec.nodeName = n;
    return this;
  }
  nominatedNodeName(n: string): this {
    this.pod.status = { ...(this.pod.status ?? {}), nominatedNodeName: n };
    return this;
  }
  priority(p: number): this {
    this.pod.spec.priority = p;
    return this;
  }
  preemptionPolicy(p: 'PreemptLowerPriority' | 'Never'): this {
    this.pod.spec.preemptionPolicy = p;
    return this;
  }
  creationTimestamp(t: string): this {
    this.pod.metadata.creationTimestamp = t;
    return this;
  }
  startTime(t: string): this {
    this.pod.status = { ...(this.pod.status ?? {}), startTime: t };
    return this;
  }
  phase(p: NonNullable<Pod['status']>['phase']): this {
    this.pod.status = { ...(this.pod.status ?? {}), phase: p };
    return this;
  }
  label(k: string, v: string): this {
    this.pod.metadata.labels = { ...(this.pod.metadata.labels ?? {}), [k]: v };
    return this;
  }
  labels(ls: Record<string, string>): this {
    this.pod.metadata.labels = { ...(this.pod.metadata.labels ?? {}), ...ls };
    return this;
  }
  ownerReference(name: string, kind = 'ReplicaSet', apiVersion = 'apps/v1'): this {
    this.pod.metadata.ownerReferences = [{ apiVersion, kind, name, uid: `owner-${name}`, controller: true }];
    return this;
  }
  /** A container with these requests (Go: `Req`); each call adds one container. */
  req(requests: ResourceList): this {
    this.pod.spec.containers.push({ name: `con${this.pod.spec.containers.length}`, image: 'pause', resources: { requests: { ...requests } } });
    return this;
  }
  /** A container with these requests and limits (Go: `Res` sets both). */
  res(requests: ResourceList, limits?: ResourceList): this {
    this.pod.spec.containers.push({ name: `con${this.pod.spec.containers.length}`, image: 'pause', resources: { requests: { ...requests }, limits: { ...(limits ?? requests) } } });
    return this;
  }
  container(image: string): this {
    this.pod.spec.containers.push({ name: `con${this.pod.spec.containers.length}`, image });
    return this;
  }
  containers(cs: Container[]): this {
    this.pod.spec.containers.push(...cs);
    return this;
  }
  initReq(requests: ResourceList, restartPolicy?: 'Always'): this {
    const list = (this.pod.spec.initContainers ??= []);
    list.push({ name: `init${list.length}`, image: 'pause', resources: { requests: { ...requests } }, ...(restartPolicy ? { restartPolicy } : {}) });
    return this;
  }
  overhead(rl: ResourceList): this {
    this.pod.spec.overhead = { ...rl };
    return this;
  }
  podLevelReq(rl: ResourceList): this {
    this.pod.spec.resources = { requests: { ...rl } };
    return this;
  }
  /** A container port with a host port (Go: `HostPort` / `ContainerPort`). */
  hostPort(port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP', hostIP?: string): this {
    if (this.pod.spec.containers.length === 0) this.container('pause');
    const c = this.pod.spec.containers[0];
    c.ports = [...(c.ports ?? []), { containerPort: port, hostPort: port, protocol, ...(hostIP ? { hostIP } : {}) }];
    return this;
  }
  nodeSelector(m: Record<string, string>): this {
    this.pod.spec.nodeSelector = { ...m };
    return this;
  }
  toleration(key: string, operator: 'Exists' | 'Equal' = 'Exists', value?: string, effect?: Toleration['effect']): this {
    return this.tolerations([{ key, operator, ...(value !== undefined ? { value } : {}), ...(effect !== undefined ? { effect } : {}) }]);
  }
  tolerations(ts: Toleration[]): this {
    this.pod.spec.tolerations = [...(this.pod.spec.tolerations ?? []), ...ts];
    return this;
  }
  /** Required node affinity: one term with `key In vals` (Go: `NodeAffinityIn`). */
  nodeAffinityIn(key: string, vals: string[]): this {
    return this.requiredNodeAffinity([{ key, operator: 'In', values: vals }]);
  }
  nodeAffinityNotIn(key: string, vals: string[]): this {
    return this.requiredNodeAffinity([{ key, operator: 'NotIn', values: vals }]);
  }
  requiredNodeAffinity(matchExpressions: NodeSelectorRequirement[]): this {
    const a = (this.pod.spec.affinity ??= {});
    const na = (a.nodeAffinity ??= {});
    const sel = (na.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] });
    sel.nodeSelectorTerms.push({ matchExpressions });
    return this;
  }
  preferredNodeAffinity(weight: number, matchExpressions: NodeSelectorRequirement[]): this {
    const a = (this.pod.spec.affinity ??= {});
    const na = (a.nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: { matchExpressions } });
    return this;
  }
  #affinityTerm(topologyKey: string, labelSelector: LabelSelector | null, namespaces?: string[]): PodAffinityTerm {
    return { labelSelector, topologyKey, ...(namespaces ? { namespaces } : {}) };
  }
  /** Required pod affinity on `key In vals` (Go: `PodAffinityIn`). */
  podAffinityIn(labelKey: string, topologyKey: string, vals: string[]): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(this.#affinityTerm(topologyKey, { matchExpressions: [{ key: labelKey, operator: 'In', values: vals }] }));
    return this;
  }
  podAntiAffinityIn(labelKey: string, topologyKey: string, vals: string[]): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(this.#affinityTerm(topologyKey, { matchExpressions: [{ key: labelKey, operator: 'In', values: vals }] }));
    return this;
  }
  podAffinityExists(labelKey: string, topologyKey: string, kind: 'required' | 'preferred' = 'required', weight = 1): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAffinity ??= {});
    const term = this.#affinityTerm(topologyKey, { matchExpressions: [{ key: labelKey, operator: 'Exists' }] });
    if (kind === 'required') (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    else (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term });
    return this;
  }
  podAntiAffinityExists(labelKey: string, topologyKey: string, kind: 'required' | 'preferred' = 'required', weight = 1): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAntiAffinity ??= {});
    const term = this.#affinityTerm(topologyKey, { matchExpressions: [{ key: labelKey, operator: 'Exists' }] });
    if (kind === 'required') (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    else (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: term });
    return this;
  }
  /** Go: `SpreadConstraint(maxSkew, tpKey, mode, selector, minDomains, nodeAffinityPolicy, nodeTaintsPolicy, matchLabelKeys)`. */
  spreadConstraint(
    maxSkew: number, topologyKey: string, whenUnsatisfiable: TopologySpreadConstraint['whenUnsatisfiable'], labelSelector: LabelSelector | null,
    minDomains?: number, nodeAffinityPolicy?: 'Honor' | 'Ignore', nodeTaintsPolicy?: 'Honor' | 'Ignore', matchLabelKeys?: string[],
  ): this {
    const c: TopologySpreadConstraint = { maxSkew, topologyKey, whenUnsatisfiable, labelSelector };
    if (minDomains !== undefined) c.minDomains = minDomains;
    if (nodeAffinityPolicy) c.nodeAffinityPolicy = nodeAffinityPolicy;
    if (nodeTaintsPolicy) c.nodeTaintsPolicy = nodeTaintsPolicy;
    if (matchLabelKeys) c.matchLabelKeys = matchLabelKeys;
    (this.pod.spec.topologySpreadConstraints ??= []).push(c);
    return this;
  }
  pvc(claimName: string, volumeName = claimName): this {
    (this.pod.spec.volumes ??= []).push({ name: volumeName, persistentVolumeClaim: { claimName } });
    return this;
  }
  schedulingGates(names: string[]): this {
    this.pod.spec.schedulingGates = names.map((name) => ({ name }));
    return this;
  }
  terminating(t = '2026-01-01T00:00:00Z'): this {
    this.pod.metadata.deletionTimestamp = t;
    return this;
  }
}

export class NodeWrapper {
  readonly node: Node = { apiVersion: 'v1', kind: 'Node', metadata: {}, spec: {}, status: {} };

  obj(): Node {
    return this.node;
  }
  name(n: string): this {
    this.node.metadata.name = n;
    this.node.metadata.uid ??= n;
    return this.label('kubernetes.io/hostname', n);
  }
  uid(u: string): this {
    this.node.metadata.uid = u;
    return this;
  }
  label(k: string, v: string): this {
    this.node.metadata.labels = { ...(this.node.metadata.labels ?? {}), [k]: v };
    return this;
  }
  labels(ls: Record<string, string>): this {
    this.node.metadata.labels = { ...(this.node.metadata.labels ?? {}), ...ls };
    return this;
  }
  /** Capacity and allocatable alike; `pods` defaults to 32 as upstream's wrapper does. */
  capacity(rl: ResourceList): this {
    const full: ResourceList = { pods: 32, ...rl };
    this.node.status = { ...this.node.status, capacity: { ...full }, allocatable: { ...full } };
    return this;
  }
  allocatable(rl: ResourceList): this {
    this.node.status = { ...this.node.status, allocatable: { ...rl } };
    return this;
  }
  taints(ts: Taint[]): this {
    this.node.spec = { ...this.node.spec, taints: ts };
    return this;
  }
  unschedulable(u = true): this {
    this.node.spec = { ...this.node.spec, unschedulable: u };
    return this;
  }
  images(images: Record<string, number>): this {
    this.node.status = { ...this.node.status, images: Object.entries(images).map(([name, sizeBytes]) => ({ names: [name], sizeBytes })) };
    return this;
  }
}

export function makePod(): PodWrapper {
  return new PodWrapper();
}
export function makeNode(): NodeWrapper {
  return new NodeWrapper();
}
