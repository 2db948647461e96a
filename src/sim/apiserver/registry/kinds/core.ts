/**
 * The core/v1 kinds the labs use: Namespace, Pod, Node, ConfigMap, Secret, Service, Endpoints,
 * Event. Each with its strategy (status reset, generation), validation with upstream field paths
 * and wording, defaulting, selectable fields and storage prefix.
 * Upstream: kubernetes pkg/registry/core/{namespace,pod,node,configmap,secret,service,endpoint,event}
 * (strategy.go, storage/storage.go), pkg/apis/core/validation/validation.go (ValidateNamespace,
 * ValidatePodCreate, ValidatePodUpdate, ValidateNode, ValidateConfigMap, ValidateSecret,
 * ValidateService, ValidateEndpoints, event validation), pkg/apis/core/v1/defaults.go,
 * pkg/apis/core/v1/conversion.go (field label conversion), pkg/registry/core/service/ipallocator
 */
import type { KubeObject } from '../../../core/object';
import type { Rng } from '../../../core/rng';
import { field, type FieldError } from '../../../apimachinery/field';
import { base64Std } from '../../base64';
import { admitPodPriority } from '../../admission/priority';
import { validateFinalizerName, validateKubeFinalizerName } from '../../../apimachinery/validation';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from '../../../apimachinery/validation';
import { newInternalError, newInvalid } from '../../../apimachinery/errors';
import { kindNames, type ResourceDef } from '../resource';
import { shouldDeleteDuringUpdate } from '../store';
import * as schema from '../schema';
import {
  admitPodDefaults,
  asList,
  asObj,
  bumpGenerationIf,
  defaultPod,
  defaultPodSpec,
  isValidPortName,
  isValidPortNum,
  jsonEqual,
  specOf,
  statusStrategy,
  strategy,
  validatePodSpec,
  type Obj,
} from './common';

const base = {
  group: '',
  version: 'v1',
  watchCache: true,
};

// ---- Namespace ---------------------------------------------------------------------------------

// Upstream: pkg/registry/core/namespace/strategy.go (namespaceStrategy), validation.go (ValidateNamespace)
const namespaceStrategy = strategy({
  namespaced: false,
  validateName: nameIsDNSLabel,
  prepareForCreate(obj) {
    // on create, status is active
    obj.status = { phase: 'Active' };
    const spec = specOf(obj);
    const finalizers = asList(spec.finalizers) as unknown as string[];
    if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
    obj.spec = { ...spec, finalizers };
    const labels = obj.metadata.labels ?? {};
    labels['kubernetes.io/metadata.name'] = obj.metadata.name ?? '';
    obj.metadata.labels = labels;
  },
  prepareForUpdate(obj, old) {
    obj.spec = old.spec;
    obj.status = old.status;
    const labels = obj.metadata.labels ?? {};
    labels['kubernetes.io/metadata.name'] = obj.metadata.name ?? '';
    obj.metadata.labels = labels;
  },
  // Upstream: validation.go (ValidateNamespace): each spec.finalizers entry, on the unindexed path.
  validate: (obj) => namespaceFinalizerErrors(obj, false),
});

/** Each spec.finalizers entry is a qualified name, and a standard one when it has no `/` (Go: `validateFinalizerName`). */
export function namespaceFinalizerErrors(obj: KubeObject, indexed: boolean): FieldError[] {
  const path = field.newPath('spec', 'finalizers');
  return (asList(specOf(obj).finalizers) as unknown as string[]).flatMap((f, i) => {
    const p = indexed ? path.index(i) : path;
    return [...validateFinalizerName(f, p), ...validateKubeFinalizerName(f, p)];
  });
}

export const namespaceDef: ResourceDef = {
  ...base,
  resource: 'namespaces',
  kind: 'Namespace',
  ...kindNames('', 'Namespace'),
  storagePrefix: 'namespaces',
  typeName: '*core.Namespace',
  strategy: namespaceStrategy,
  statusStrategy: statusStrategy(namespaceStrategy, {
    // Upstream: validation.go (ValidateNamespaceStatusUpdate): the phase follows deletionTimestamp.
    validateUpdate: (obj) => {
      const phase = asObj(obj.status).phase;
      if (!obj.metadata.deletionTimestamp) return phase !== 'Active' ? [field.invalid(field.newPath('status', 'Phase'), phase ?? '', "may only be 'Active' if `deletionTimestamp` is empty")] : [];
      return phase !== 'Terminating' ? [field.invalid(field.newPath('status', 'Phase'), phase ?? '', "may only be 'Terminating' if `deletionTimestamp` is not empty")] : [];
    },
  }),
  schema: schema.Namespace,
  // Upstream: pkg/registry/core/namespace/storage/storage.go (ShouldDeleteNamespaceDuringUpdate)
  // A status or label update of a Terminating namespace must not remove it while spec.finalizers
  // still holds the namespace controller's entry: only the update that empties both lists does.
  shouldDeleteDuringUpdate: (obj, existing) => asList(specOf(obj).finalizers).length === 0 && shouldDeleteDuringUpdate(obj, existing),
};

// ---- Pod ---------------------------------------------------------------------------------------

/** Go: `qos.GetPodQOS` for the common shapes: no requests or limits, limits = requests for cpu and memory everywhere, or in between. */
// Upstream: pkg/apis/core/helper/qos/qos.go (GetPodQOS)
export function podQOS(spec: Obj): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const containers = [...asList(spec.containers), ...asList(spec.initContainers)];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const r = asObj(c.resources);
    const req = asObj(r.requests);
    const lim = asObj(r.limits);
    const reqCpuMem = ['cpu', 'memory'].filter((k) => req[k] !== undefined);
    const limCpuMem = ['cpu', 'memory'].filter((k) => lim[k] !== undefined);
    if (reqCpuMem.length > 0 || limCpuMem.length > 0) any = true;
    if (limCpuMem.length < 2) guaranteed = false;
    for (const k of ['cpu', 'memory']) if (req[k] !== undefined && String(req[k]) !== String(lim[k])) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const UPDATABLE_POD_SPEC_FIELDS =
  '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

// Upstream: core/validation (ValidatePodUpdate)
function validatePodUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePodSpec(specOf(obj), field.newPath('spec'));
  const a = JSON.parse(JSON.stringify(specOf(obj))) as Obj;
  const b = JSON.parse(JSON.stringify(specOf(old))) as Obj;
  // the fields an update may change, copied from the new spec onto the old one
  for (const list of ['containers', 'initContainers']) {
    const na = asList(a[list]);
    const nb = asList(b[list]);
    if (na.length === nb.length) na.forEach((c, i) => (nb[i].image = c.image));
  }
  b.activeDeadlineSeconds = a.activeDeadlineSeconds;
  const oldTolerations = asList(b.tolerations);
  const newTolerations = asList(a.tolerations);
  if (oldTolerations.every((t) => newTolerations.some((n) => jsonEqual(n, t)))) b.tolerations = a.tolerations;
  if (typeof b.terminationGracePeriodSeconds === 'number' && b.terminationGracePeriodSeconds < 0 && a.terminationGracePeriodSeconds === 1) b.terminationGracePeriodSeconds = 1;
  // Scheduling gates may only be removed (Go: validateOnlyDeletedSchedulingGates).
  const oldGates = asList(b.schedulingGates).map((g) => String(g.name));
  for (const g of asList(a.schedulingGates)) {
    if (!oldGates.includes(String(g.name))) errs.push(field.forbidden(field.newPath('spec', 'schedulingGates'), `only deletion is allowed, but found new scheduling gate '${String(g.name)}'`));
  }
  b.schedulingGates = a.schedulingGates;
  if (!jsonEqual(a, b)) errs.push(field.forbidden(field.newPath('spec'), `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS}`));
  return errs;
}

// Upstream: pkg/registry/core/pod/strategy.go (podStrategy)
const podStrategy = strategy({
  validate: (obj) => validatePodSpec(specOf(obj), field.newPath('spec')),
  prepareForCreate(obj) {
    obj.metadata.generation = 1;
    obj.status = { phase: 'Pending', qosClass: podQOS(specOf(obj)) };
    // Upstream: strategy.go (applySchedulingGatedCondition)
    if (asList(specOf(obj).schedulingGates).length > 0) {
      (obj.status as Obj).conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
    }
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    bumpGenerationIf(obj, old, !jsonEqual(obj.spec, old.spec));
  },
  validateUpdate: validatePodUpdate,
  warningsOnCreate(obj) {
    const msgs = isDNS1123Label(obj.metadata.name ?? '');
    return msgs.length > 0 ? [`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`] : [];
  },
  // Upstream: podStrategy.CheckGracefulDelete
  checkGracefulDelete(obj, options) {
    const spec = specOf(obj);
    let period = 0;
    if (options.gracePeriodSeconds !== undefined) period = options.gracePeriodSeconds;
    else if (typeof spec.terminationGracePeriodSeconds === 'number') period = spec.terminationGracePeriodSeconds;
    if (!spec.nodeName) period = 0;
    const phase = asObj(obj.status).phase;
    if (phase === 'Failed' || phase === 'Succeeded') period = 0;
    if (period < 0) period = 1;
    options.gracePeriodSeconds = period;
    return true;
  },
});

// Upstream: pkg/registry/core/pod/strategy.go (podStatusStrategy.PrepareForUpdate, preserveOldObservedGeneration)
const podStatusStrategy = statusStrategy(podStrategy, {
  prepare(obj, old) {
    const status = asObj(obj.status);
    const oldStatus = asObj(old.status);
    if (!status.qosClass && oldStatus.qosClass) status.qosClass = oldStatus.qosClass;
    if (!status.observedGeneration && oldStatus.observedGeneration) status.observedGeneration = oldStatus.observedGeneration;
    obj.status = status;
  },
  validateUpdate(obj) {
    const status = asObj(obj.status);
    const errs: FieldError[] = [];
    const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
    if (status.phase !== undefined && !phases.includes(String(status.phase))) errs.push(field.notSupported(field.newPath('status', 'phase'), status.phase, phases));
    return errs;
  },
});

export const podDef: ResourceDef = {
  ...base,
  resource: 'pods',
  kind: 'Pod',
  ...kindNames('', 'Pod'),
  storagePrefix: 'pods',
  typeName: '*core.Pod',
  strategy: podStrategy,
  statusStrategy: podStatusStrategy,
  defaults(obj) {
    const spec = asObj(obj.spec);
    defaultPodSpec(spec);
    defaultPod(spec);
    obj.spec = spec;
  },
  schema: schema.Pod,
};

/**
 * Pod admission at create, applied by the create handler: the defaults the admission plugins add,
 * and the Priority plugin over `priorityClasses` (every PriorityClass stored; throws 403 Forbidden).
 */
export function admitPodCreate(obj: KubeObject, priorityClasses: readonly KubeObject[]): void {
  const spec = asObj(obj.spec);
  // The ServiceAccount plugin leaves a static pod's mirror as the kubelet sent it (no account, no token).
  // Upstream: plugin/pkg/admission/serviceaccount/admission.go (Admit: the mirror-pod branch)
  if (asObj(obj.metadata?.annotations)['kubernetes.io/config.mirror'] === undefined) admitPodDefaults(spec);
  obj.spec = spec;
  admitPodPriority(obj, priorityClasses);
}

// ---- Node --------------------------------------------------------------------------------------

// Upstream: pkg/registry/core/node/strategy.go (nodeStrategy), validation (ValidateNode)
const nodeStrategy = strategy({
  namespaced: false,
  allowCreateOnUpdate: false,
  validate(obj) {
    const errs: FieldError[] = [];
    asList(specOf(obj).taints).forEach((t, i) => {
      const p = field.newPath('spec', 'taints').index(i);
      if (!t.key) errs.push(field.required(p.child('key'), ''));
      if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(String(t.effect))) errs.push(field.notSupported(p.child('effect'), t.effect ?? '', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
    });
    return errs;
  },
  prepareForCreate(obj) {
    obj.status = obj.status ?? {};
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
  },
});

export const nodeDef: ResourceDef = {
  ...base,
  resource: 'nodes',
  kind: 'Node',
  ...kindNames('', 'Node'),
  storagePrefix: 'minions',
  typeName: '*core.Node',
  strategy: nodeStrategy,
  statusStrategy: statusStrategy(nodeStrategy),
  schema: schema.Node,
};

// ---- ConfigMap and Secret ----------------------------------------------------------------------

const maxConfigMapBytes = 1024 * 1024;

// Upstream: core/validation (ValidateConfigMap, ValidateConfigMapUpdate)
function validateConfigMap(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const data = asObj(obj.data);
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(field.newPath('data').key(k), k, m));
    total += String(v).length;
  }
  for (const [k, v] of Object.entries(asObj(obj.binaryData))) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(field.newPath('binaryData').key(k), k, m));
    if (k in data) errs.push(field.invalid(field.newPath('binaryData').key(k), k, 'duplicate of key present in data'));
    total += String(v).length;
  }
  if (total > maxConfigMapBytes) errs.push(field.tooLong(field.newPath(''), '', maxConfigMapBytes));
  return errs;
}

function immutableUpdate(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(field.forbidden(field.newPath('immutable'), 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!jsonEqual(obj[f], old[f])) errs.push(field.forbidden(field.newPath(f), 'field is immutable when `immutable` is set'));
  return errs;
}

export const configMapDef: ResourceDef = {
  ...base,
  resource: 'configmaps',
  kind: 'ConfigMap',
  ...kindNames('', 'ConfigMap'),
  storagePrefix: 'configmaps',
  typeName: '*core.ConfigMap',
  strategy: strategy({
    validate: validateConfigMap,
    validateUpdate: (obj, old) => [...validateConfigMap(obj), ...immutableUpdate(obj, old, ['data', 'binaryData'])],
  }),
  schema: schema.ConfigMap,
};

const SECRET_TYPES = ['Opaque', 'kubernetes.io/service-account-token', 'kubernetes.io/dockercfg', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/basic-auth', 'kubernetes.io/ssh-auth', 'kubernetes.io/tls', 'bootstrap.kubernetes.io/token'];

// Upstream: core/validation (ValidateSecret)
function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(asObj(obj.data))) for (const m of isConfigMapKey(k)) errs.push(field.invalid(field.newPath('data').key(k), k, m));
  const type = String(obj.type ?? 'Opaque');
  if (type === 'kubernetes.io/tls') {
    for (const k of ['tls.crt', 'tls.key']) if (!(k in asObj(obj.data))) errs.push(field.required(field.newPath('data').key(k), ''));
  }
  void SECRET_TYPES;
  return errs;
}

export const secretDef: ResourceDef = {
  ...base,
  resource: 'secrets',
  kind: 'Secret',
  ...kindNames('', 'Secret'),
  storagePrefix: 'secrets',
  typeName: '*core.Secret',
  strategy: strategy({
    validate: validateSecret,
    validateUpdate: (obj, old) => {
      const errs = [...validateSecret(obj), ...immutableUpdate(obj, old, ['data'])];
      if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) errs.push(field.invalid(field.newPath('type'), obj.type ?? 'Opaque', 'field is immutable'));
      return errs;
    },
  }),
  // Upstream: core/v1 conversion (stringData is merged into data, base64-encoded)
  defaults(obj) {
    if (obj.type === undefined) obj.type = 'Opaque';
    const stringData = asObj(obj.stringData);
    if (Object.keys(stringData).length > 0) {
      const data = asObj(obj.data);
      for (const [k, v] of Object.entries(stringData)) data[k] = base64Std(String(v));
      obj.data = data;
    }
    delete obj.stringData;
  },
  schema: schema.Secret,
};

// ---- Service -----------------------------------------------------------------------------------

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
/** v1.34 accepts PreferClose and, with PreferSameTrafficDistribution (beta, on), PreferSameZone and PreferSameNode. */
const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameNode', 'PreferSameZone'];

/**
 * A bitmap allocator over `size` items with a static band of `offset` items at the bottom:
 * AllocateNext scans from a random item of the upper (dynamic) band, then the lower band, so
 * addresses and ports chosen by hand (kube-dns's 10.96.0.10, a fixed nodePort) rarely collide with
 * allocated ones. Upstream: pkg/registry/core/service/allocator/bitmap.go
 * (randomScanStrategyWithOffset) and the offsets of KEP-3070 (IPs) and KEP-3668 (ports).
 */
class BandAllocator {
  readonly #used: Uint8Array;
  constructor(
    readonly size: number,
    readonly offset: number,
    readonly rng: Rng,
  ) {
    this.#used = new Uint8Array(size);
  }
  has(i: number): boolean {
    return this.#used[i] === 1;
  }
  allocate(i: number): boolean {
    if (this.#used[i]) return false;
    this.#used[i] = 1;
    return true;
  }
  release(i: number): void {
    this.#used[i] = 0;
  }
  /** Go: `randomScanStrategyWithOffset.AllocateBit`; -1 when full. */
  allocateNext(): number {
    const scan = (from: number, to: number): number => {
      const n = to - from;
      if (n <= 0) return -1;
      const start = this.rng.int(n);
      for (let k = 0; k < n; k++) {
        const i = from + ((start + k) % n);
        if (!this.#used[i]) {
          this.#used[i] = 1;
          return i;
        }
      }
      return -1;
    };
    const upper = scan(this.offset, this.size);
    return upper >= 0 ? upper : scan(0, this.offset);
  }
}

/** Go: ipallocator's and portallocator's `calculateRangeOffset`: min(max(min, size/step), max). */
function rangeOffset(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

const SERVICE_CIDR = { base: 0x0a600000, bits: 12, text: '10.96.0.0/12' };
const NODE_PORTS = { base: 30000, size: 2768, text: '30000-32767' };

function ipToIndex(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m || m.slice(1).some((x) => Number(x) > 255)) return undefined;
  const n = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  // The network and broadcast addresses are not in the range.
  return n - SERVICE_CIDR.base - 1;
}

function indexToIp(i: number): string {
  const n = (SERVICE_CIDR.base + 1 + i) >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * The Service ClusterIP (10.96.0.0/12) and NodePort (30000-32767) allocators of kube-apiserver
 * (--service-cluster-ip-range, --service-node-port-range), with their static and dynamic bands.
 * Upstream: pkg/registry/core/service/ipallocator, portallocator, and storage/alloc.go.
 */
export class ServiceAllocators {
  readonly #ips: BandAllocator;
  readonly #ports: BandAllocator;
  constructor(readonly rng: Rng) {
    const ipSize = 2 ** (32 - SERVICE_CIDR.bits) - 2;
    this.#ips = new BandAllocator(ipSize, rangeOffset(2 ** (32 - SERVICE_CIDR.bits), 16, 256, 16), rng);
    this.#ports = new BandAllocator(NODE_PORTS.size, rangeOffset(NODE_PORTS.size, 16, 128, 32), rng);
  }

  /** A free address from the dynamic band first; throws when the range is full. */
  allocateIP(): string {
    const i = this.#ips.allocateNext();
    if (i < 0) throw new Error('range is full');
    return indexToIp(i);
  }

  /** Go: `Allocate(ip)`: undefined, or the allocator's error text. */
  claimIP(ip: string): string | undefined {
    const i = ipToIndex(ip);
    if (i === undefined || i < 0 || i >= this.#ips.size) return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR.text}`;
    return this.#ips.allocate(i) ? undefined : 'provided IP is already allocated';
  }

  releaseIP(ip: string): void {
    const i = ipToIndex(ip);
    if (i !== undefined && i >= 0 && i < this.#ips.size) this.#ips.release(i);
  }

  allocatePort(): number {
    const i = this.#ports.allocateNext();
    if (i < 0) throw new Error('range is full');
    return NODE_PORTS.base + i;
  }

  claimPort(p: number): string | undefined {
    const i = p - NODE_PORTS.base;
    if (!Number.isInteger(p) || i < 0 || i >= NODE_PORTS.size) return `provided port is not in the valid range. The range of valid ports is ${NODE_PORTS.text}`;
    return this.#ports.allocate(i) ? undefined : 'provided port is already allocated';
  }

  releasePort(p: number): void {
    const i = p - NODE_PORTS.base;
    if (i >= 0 && i < NODE_PORTS.size) this.#ports.release(i);
  }

  release(svc: KubeObject): void {
    const spec = specOf(svc);
    for (const ip of asList(spec.clusterIPs) as unknown as string[]) if (ip !== 'None') this.releaseIP(String(ip));
    for (const port of asList(spec.ports)) if (typeof port.nodePort === 'number') this.releasePort(port.nodePort);
    if (typeof spec.healthCheckNodePort === 'number') this.releasePort(spec.healthCheckNodePort);
  }
}

/** Go: apiservice.ExternallyAccessible. */
function externallyAccessible(spec: Record<string, any>): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && asList(spec.externalIPs).length > 0);
}

/** Go: apiservice.NeedsHealthCheck. */
function needsHealthCheck(spec: Record<string, any>): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const isIPv4 = (s: string) => IPV4.test(s) && s.split('.').every((x) => Number(x) <= 255);
const VALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

// Upstream: core/validation (ValidateService, validateServicePort, validateServiceExternalTrafficPolicy,
// validateServiceInternalTrafficFieldsValue, validateServiceTrafficDistribution, validateClientIPAffinityConfig)
function validateService(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = specOf(obj);
  const sp = field.newPath('spec');
  const type = String(spec.type ?? '');
  const headless = spec.clusterIP === 'None';
  const ports = asList(spec.ports);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(field.required(sp.child('ports'), ''));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) errs.push(field.invalid(sp.child('clusterIPs').index(0), 'None', `may not be set to 'None' for ${type} services`));
  if (type === 'ExternalName') {
    if (spec.clusterIP) errs.push(field.forbidden(sp.child('clusterIPs'), 'may not be set for ExternalName services'));
    const cname = String(spec.externalName ?? '').replace(/\.$/, '');
    if (!cname) errs.push(field.required(sp.child('externalName'), ''));
    else for (const m of isDNS1123Subdomain(cname)) errs.push(field.invalid(sp.child('externalName'), cname, m));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const pp = sp.child('ports').index(i);
    const name = String(port.name ?? '');
    if (ports.length > 1 && !name) errs.push(field.required(pp.child('name'), ''));
    else if (name) {
      for (const m of isDNS1123Label(name)) errs.push(field.invalid(pp.child('name'), name, m));
      if (names.has(name)) errs.push(field.duplicate(pp.child('name'), name));
      names.add(name);
    }
    for (const m of isValidPortNum(port.port)) errs.push(field.invalid(pp.child('port'), port.port ?? 0, m));
    const protocol = String(port.protocol ?? '');
    if (!protocol) errs.push(field.required(pp.child('protocol'), ''));
    else if (!['SCTP', 'TCP', 'UDP'].includes(protocol)) errs.push(field.notSupported(pp.child('protocol'), port.protocol, ['SCTP', 'TCP', 'UDP']));
    const tp = port.targetPort;
    if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(field.invalid(pp.child('targetPort'), tp, m));
    if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(field.invalid(pp.child('targetPort'), tp, m));
  });
  for (const [k, v] of Object.entries(asObj(spec.selector))) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(sp.child('selector'), k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(field.invalid(sp.child('selector').key(k), v, m));
  }
  const affinity = String(spec.sessionAffinity ?? '');
  if (!affinity) errs.push(field.required(sp.child('sessionAffinity'), ''));
  else if (!['ClientIP', 'None'].includes(affinity)) errs.push(field.notSupported(sp.child('sessionAffinity'), affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') {
    const cfg = asObj(spec.sessionAffinityConfig);
    const t = asObj(cfg.clientIP).timeoutSeconds;
    const tp = sp.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds');
    if (t === undefined) errs.push(field.required(tp, ''));
    else if (typeof t !== 'number' || t <= 0 || t > 86400) errs.push(field.invalid(tp, t, 'must be greater than 0 and less than 86400'));
  } else if (affinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(field.forbidden(sp.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }
  if (spec.clusterIP && spec.clusterIP !== 'None' && !isIPv4(String(spec.clusterIP)) && type !== 'ExternalName') {
    errs.push(field.invalid(sp.child('clusterIPs').index(0), spec.clusterIP, VALID_IP));
  }
  asList(spec.externalIPs).forEach((ip, i) => {
    if (!isIPv4(String(ip))) errs.push(field.invalid(sp.child('externalIPs').index(i), ip, VALID_IP));
  });
  if (!type) errs.push(field.required(sp.child('type'), ''));
  else if (!SERVICE_TYPES.includes(type)) errs.push(field.notSupported(sp.child('type'), spec.type, SERVICE_TYPES));
  if (type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (port.nodePort) errs.push(field.forbidden(sp.child('ports').index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const pp = sp.child('ports').index(i);
    if (port.nodePort) {
      const key = `${String(port.protocol)}/${String(port.nodePort)}`;
      if (nodePorts.has(key)) errs.push(field.duplicate(pp.child('nodePort'), port.nodePort));
      nodePorts.add(key);
    }
    const key = `${String(port.protocol)}/${String(port.port)}`;
    if (seen.has(key)) errs.push(field.duplicate(pp, { port: port.port, protocol: port.protocol }));
    seen.add(key);
  });
  if (asList(spec.loadBalancerSourceRanges).length > 0 && type !== 'LoadBalancer') {
    errs.push(field.forbidden(sp.child('LoadBalancerSourceRanges'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && type !== 'LoadBalancer') {
    errs.push(field.forbidden(sp.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  }
  // Go: validateServiceExternalTrafficPolicy.
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(field.invalid(sp.child('externalTrafficPolicy'), spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) errs.push(field.required(sp.child('externalTrafficPolicy'), ''));
  else if (!['Cluster', 'Local'].includes(String(spec.externalTrafficPolicy))) errs.push(field.notSupported(sp.child('externalTrafficPolicy'), spec.externalTrafficPolicy, ['Cluster', 'Local']));
  if (!needsHealthCheck(spec) && spec.healthCheckNodePort) {
    errs.push(field.invalid(sp.child('healthCheckNodePort'), spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (spec.internalTrafficPolicy !== undefined && !['Cluster', 'Local'].includes(String(spec.internalTrafficPolicy))) {
    errs.push(field.notSupported(sp.child('internalTrafficPolicy'), spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (spec.trafficDistribution !== undefined && !TRAFFIC_DISTRIBUTIONS.includes(String(spec.trafficDistribution))) {
    errs.push(field.notSupported(sp.child('trafficDistribution'), spec.trafficDistribution, TRAFFIC_DISTRIBUTIONS));
  }
  return errs;
}

/**
 * Allocates what a Service needs once it validated: its ClusterIP, node ports and health-check
 * node port; an address or port taken or out of range is an Invalid error on its field, and
 * nothing stays allocated. Returns `finish(ok)`, which gives everything back unless the write
 * succeeded (a dry run always gives it back).
 * Upstream: pkg/registry/core/service/storage/alloc.go (allocateCreate, allocClusterIPs,
 * allocNodePorts, allocHealthCheckNodePort) and storage.go (beginCreate, beginUpdate).
 */
function allocateService(alloc: ServiceAllocators, obj: KubeObject, old: KubeObject | undefined, dryRun: boolean): (ok: boolean) => void {
  const spec = specOf(obj);
  const oldSpec = old ? specOf(old) : {};
  const type = String(spec.type ?? 'ClusterIP');
  const undo: Array<() => void> = [];
  const errs: FieldError[] = [];
  const internal = (what: string, e: unknown) => {
    for (const u of undo) u();
    throw newInternalError(new Error(`failed to allocate a ${what}: ${(e as Error).message}`));
  };
  if (type !== 'ExternalName') {
    const had = oldSpec.type !== 'ExternalName' && oldSpec.clusterIP ? String(oldSpec.clusterIP) : undefined;
    if (had) {
      spec.clusterIP = had;
      spec.clusterIPs = [had];
    } else if (!spec.clusterIP) {
      let ip = '';
      try {
        ip = alloc.allocateIP();
      } catch (e) {
        internal('serviceIP', e);
      }
      undo.push(() => alloc.releaseIP(ip));
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    } else if (spec.clusterIP !== 'None') {
      const ip = String(spec.clusterIP);
      const err = alloc.claimIP(ip);
      if (err) errs.push(field.invalid(field.newPath('spec', 'clusterIPs'), [ip], `failed to allocate IP ${ip}: ${err}`));
      else undo.push(() => alloc.releaseIP(ip));
      spec.clusterIPs = [ip];
    } else spec.clusterIPs = ['None'];
  }
  const oldPorts = new Set(asList(oldSpec.ports).map((p) => p.nodePort).filter((n) => typeof n === 'number') as number[]);
  if (type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)) {
    asList(spec.ports).forEach((port, i) => {
      if (typeof port.nodePort === 'number' && oldPorts.has(port.nodePort)) return;
      if (port.nodePort) {
        const np = Number(port.nodePort);
        const err = alloc.claimPort(np);
        if (err) errs.push(field.invalid(field.newPath('spec', 'ports').index(i).child('nodePort'), np, err));
        else undo.push(() => alloc.releasePort(np));
        return;
      }
      let np = 0;
      try {
        np = alloc.allocatePort();
      } catch (e) {
        internal('nodePort', e);
      }
      undo.push(() => alloc.releasePort(np));
      port.nodePort = np;
    });
  }
  if (needsHealthCheck(spec) && !spec.healthCheckNodePort) {
    let np = 0;
    try {
      np = alloc.allocatePort();
    } catch (e) {
      internal('healthCheck nodePort', e);
    }
    undo.push(() => alloc.releasePort(np));
    spec.healthCheckNodePort = np;
  }
  if (errs.length) {
    for (const u of undo) u();
    throw newInvalid({ group: '', kind: 'Service' }, obj.metadata.name ?? '', errs);
  }
  obj.spec = spec;
  // On a successful update, what the old Service held and the new one does not goes back.
  const released = () => {
    if (!old) return;
    const keep = new Set(asList(spec.ports).map((p) => p.nodePort));
    for (const p of oldPorts) if (!keep.has(p)) alloc.releasePort(p);
    if (oldSpec.clusterIP && oldSpec.clusterIP !== 'None' && (type === 'ExternalName' || spec.clusterIP !== oldSpec.clusterIP)) alloc.releaseIP(String(oldSpec.clusterIP));
    if (typeof oldSpec.healthCheckNodePort === 'number' && oldSpec.healthCheckNodePort !== spec.healthCheckNodePort) alloc.releasePort(oldSpec.healthCheckNodePort);
  };
  return (ok) => {
    if (ok && !dryRun) released();
    else for (const u of undo) u();
  };
}

export function serviceStrategy() {
  return strategy({
    validateName: nameIsDNS1035Label,
    validate: validateService,
    // Upstream: serviceStrategy.PrepareForCreate (the allocation is beginCreate's, after validation)
    prepareForCreate(obj) {
      obj.status = { loadBalancer: {} };
      const spec = specOf(obj);
      if (String(spec.type ?? 'ClusterIP') !== 'ExternalName') {
        spec.ipFamilies = spec.ipFamilies ?? ['IPv4'];
        spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? 'SingleStack';
      }
      obj.spec = spec;
    },
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      const spec = specOf(obj);
      const oldSpec = specOf(old);
      if (spec.type !== 'ExternalName') {
        if (spec.clusterIP === undefined && oldSpec.clusterIP !== undefined) spec.clusterIP = oldSpec.clusterIP;
        if (spec.clusterIPs === undefined && oldSpec.clusterIPs !== undefined) spec.clusterIPs = oldSpec.clusterIPs;
        for (const f of ['ipFamilies', 'ipFamilyPolicy']) if (spec[f] === undefined) spec[f] = oldSpec[f] ?? (f === 'ipFamilies' ? ['IPv4'] : 'SingleStack');
      }
      if (spec.healthCheckNodePort === undefined && needsHealthCheck(spec) && oldSpec.healthCheckNodePort !== undefined) spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
      const oldPorts = asList(oldSpec.ports);
      const wantsNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
      for (const port of asList(spec.ports)) {
        const was = oldPorts.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
        if (port.nodePort === undefined && was?.nodePort !== undefined && wantsNodePorts) port.nodePort = was.nodePort;
        // Go: dropTypeDependentFields: a node port the user left as it was goes with the type that needed it.
        if (!wantsNodePorts && port.nodePort !== undefined && was?.nodePort === port.nodePort) delete port.nodePort;
      }
      if (!needsHealthCheck(spec) && spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort === oldSpec.healthCheckNodePort) delete spec.healthCheckNodePort;
      if (spec.type === 'ExternalName' && oldSpec.type !== 'ExternalName') {
        if (spec.clusterIP === oldSpec.clusterIP) delete spec.clusterIP;
        if (JSON.stringify(spec.clusterIPs) === JSON.stringify(oldSpec.clusterIPs)) delete spec.clusterIPs;
        if (JSON.stringify(spec.ipFamilies) === JSON.stringify(oldSpec.ipFamilies)) delete spec.ipFamilies;
        if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
      }
      if (!externallyAccessible(spec) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
    },
    validateUpdate(obj, old) {
      const errs: FieldError[] = [];
      const spec = specOf(obj);
      const oldSpec = specOf(old);
      if (oldSpec.clusterIP && spec.clusterIP !== oldSpec.clusterIP && oldSpec.type !== 'ExternalName' && spec.type !== 'ExternalName') {
        errs.push(field.invalid(field.newPath('spec', 'clusterIPs').index(0), spec.clusterIP ?? '', 'may not change once set'));
      }
      if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && spec.healthCheckNodePort !== oldSpec.healthCheckNodePort) {
        errs.push(field.forbidden(field.newPath('spec', 'healthCheckNodePort'), 'field is immutable'));
      }
      return [...errs, ...validateService(obj)];
    },
  });
}

// Upstream: core/v1 defaults (SetDefaults_Service)
function defaultService(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  if (spec.type === undefined) spec.type = 'ClusterIP';
  if (spec.sessionAffinity === undefined) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = asObj(spec.sessionAffinityConfig);
    const clientIP = asObj(cfg.clientIP);
    if (clientIP.timeoutSeconds === undefined) clientIP.timeoutSeconds = 10800;
    cfg.clientIP = clientIP;
    spec.sessionAffinityConfig = cfg;
  }
  for (const port of asList(spec.ports)) {
    if (port.protocol === undefined) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec) && spec.externalTrafficPolicy === undefined) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type !== 'ExternalName' && spec.internalTrafficPolicy === undefined) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  obj.spec = spec;
}

export function serviceDef(alloc: ServiceAllocators): ResourceDef {
  const s = serviceStrategy();
  return {
    ...base,
    resource: 'services',
    kind: 'Service',
    ...kindNames('', 'Service'),
    storagePrefix: 'services/specs',
    typeName: '*core.Service',
    strategy: s,
    statusStrategy: statusStrategy(s),
    defaults: defaultService,
    schema: schema.Service,
    beginCreate: (obj, dryRun) => allocateService(alloc, obj, undefined, dryRun),
    beginUpdate: (obj, old, dryRun) => allocateService(alloc, obj, old, dryRun),
  };
}

// ---- Endpoints ----------------------------------------------------------------------------------

// Upstream: core/validation (ValidateEndpoints)
function validateEndpoints(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asList(obj.subsets).forEach((ss, i) => {
    const p = field.newPath('subsets').index(i);
    const addresses = [...asList(ss.addresses), ...asList(ss.notReadyAddresses)];
    if (addresses.length === 0 && asList(ss.ports).length > 0) errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    asList(ss.addresses).forEach((a, j) => {
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(String(a.ip ?? '')) && !String(a.ip ?? '').includes(':')) errs.push(field.invalid(p.child('addresses').index(j).child('ip'), a.ip ?? '', 'must be a valid IP address'));
    });
    asList(ss.ports).forEach((port, j) => {
      for (const m of isValidPortNum(port.port)) errs.push(field.invalid(p.child('ports').index(j).child('port'), port.port ?? 0, m));
    });
  });
  return errs;
}

export const endpointsDef: ResourceDef = {
  ...base,
  resource: 'endpoints',
  kind: 'Endpoints',
  ...kindNames('', 'Endpoints'),
  storagePrefix: 'services/endpoints',
  typeName: '*core.Endpoints',
  strategy: strategy({ validateName: nameIsDNSSubdomain, validate: validateEndpoints, allowCreateOnUpdate: true }),
  defaults(obj) {
    for (const ss of asList(obj.subsets)) for (const p of asList(ss.ports)) if (p.protocol === undefined) p.protocol = 'TCP';
  },
  schema: schema.Endpoints,
};

// ---- Event --------------------------------------------------------------------------------------

// Upstream: pkg/apis/core/validation/events.go (ValidateEventCreate, legacyValidateEvent)
function validateEvent(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const io = asObj(obj.involvedObject);
  const ns = obj.metadata.namespace ?? '';
  if (io.namespace !== undefined && io.namespace !== '' && io.namespace !== ns) errs.push(field.invalid(field.newPath('involvedObject', 'namespace'), io.namespace, 'does not match event.namespace'));
  if (obj.type !== undefined && obj.type !== 'Normal' && obj.type !== 'Warning') errs.push(field.notSupported(field.newPath('type'), obj.type, ['Normal', 'Warning']));
  return errs;
}

export const eventDef: ResourceDef = {
  ...base,
  resource: 'events',
  kind: 'Event',
  ...kindNames('', 'Event'),
  storagePrefix: 'events',
  typeName: '*core.Event',
  strategy: strategy({ validate: validateEvent, defaultGarbageCollectionPolicy: 'Unsupported' }),
  watchCache: false,
  ttlSec: 3600,
  schema: schema.Event,
};
