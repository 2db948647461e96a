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
import { isConfigMapKey, isDNS1123Label, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from '../../../apimachinery/validation';
import { kindNames, type ResourceDef } from '../resource';
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
  validate: () => [],
});

export const namespaceDef: ResourceDef = {
  ...base,
  resource: 'namespaces',
  kind: 'Namespace',
  ...kindNames('', 'Namespace'),
  storagePrefix: 'namespaces',
  typeName: '*core.Namespace',
  strategy: namespaceStrategy,
  statusStrategy: statusStrategy(namespaceStrategy, {
    validateUpdate: (obj) => {
      const phase = asObj(obj.status).phase;
      return phase !== undefined && phase !== 'Active' && phase !== 'Terminating' ? [field.notSupported(field.newPath('status', 'phase'), phase, ['Active', 'Terminating'])] : [];
    },
  }),
  schema: schema.Namespace,
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
  admitPodDefaults(spec);
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

/** Allocates Service ClusterIPs (10.96.0.0/12) and NodePorts (30000-32767), as kube-apiserver's allocators do, at random. */
// Upstream: pkg/registry/core/service/ipallocator (Range.AllocateNext), portallocator (PortAllocator.AllocateNext)
export class ServiceAllocators {
  readonly #ips = new Set<string>(['10.96.0.1']);
  readonly #ports = new Set<number>();
  constructor(readonly rng: Rng) {}

  allocateIP(): string {
    for (;;) {
      const offset = 2 + this.rng.int((1 << 20) - 3);
      const ip = `10.${96 + (offset >>> 16)}.${(offset >>> 8) & 255}.${offset & 255}`;
      if (!this.#ips.has(ip)) {
        this.#ips.add(ip);
        return ip;
      }
    }
  }

  claimIP(ip: string): boolean {
    if (this.#ips.has(ip)) return false;
    this.#ips.add(ip);
    return true;
  }

  allocatePort(): number {
    for (;;) {
      const p = 30000 + this.rng.int(2768);
      if (!this.#ports.has(p)) {
        this.#ports.add(p);
        return p;
      }
    }
  }

  claimPort(p: number): boolean {
    if (this.#ports.has(p)) return false;
    this.#ports.add(p);
    return true;
  }

  release(svc: KubeObject): void {
    const spec = specOf(svc);
    for (const ip of asList(spec.clusterIPs) as unknown as string[]) if (ip !== '10.96.0.1') this.#ips.delete(ip);
    for (const port of asList(spec.ports)) if (typeof port.nodePort === 'number') this.#ports.delete(port.nodePort);
  }
}

// Upstream: core/validation (ValidateService)
function validateService(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = specOf(obj);
  const sp = field.newPath('spec');
  const type = String(spec.type ?? 'ClusterIP');
  if (!SERVICE_TYPES.includes(type)) errs.push(field.notSupported(sp.child('type'), spec.type, SERVICE_TYPES));
  const headless = spec.clusterIP === 'None';
  const ports = asList(spec.ports);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(field.required(sp.child('ports'), ''));
  if (type === 'ExternalName' && !spec.externalName) errs.push(field.required(sp.child('externalName'), ''));
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const pp = sp.child('ports').index(i);
    const name = String(port.name ?? '');
    if (ports.length > 1 && !name) errs.push(field.required(pp.child('name'), ''));
    else if (name) {
      for (const m of isDNS1123Label(name)) errs.push(field.invalid(pp.child('name'), name, m));
      if (names.has(name)) errs.push(field.duplicate(pp.child('name'), name));
      names.add(name);
    }
    if (port.port === undefined) errs.push(field.required(pp.child('port'), ''));
    else for (const m of isValidPortNum(port.port)) errs.push(field.invalid(pp.child('port'), port.port, m));
    const protocol = String(port.protocol ?? '');
    if (!['SCTP', 'TCP', 'UDP'].includes(protocol)) errs.push(field.notSupported(pp.child('protocol'), port.protocol, ['SCTP', 'TCP', 'UDP']));
    const tp = port.targetPort;
    if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(field.invalid(pp.child('targetPort'), tp, m));
    if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(field.invalid(pp.child('targetPort'), tp, m));
    const key = `${protocol}/${String(port.port)}`;
    if (seen.has(key)) errs.push(field.duplicate(pp, { port: port.port, protocol }));
    seen.add(key);
    if (port.nodePort !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') errs.push(field.forbidden(pp.child('nodePort'), 'may not be used when `type` is \'ClusterIP\''));
    if (typeof port.nodePort === 'number' && (port.nodePort < 30000 || port.nodePort > 32767)) {
      errs.push(field.invalid(pp.child('nodePort'), port.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
    }
  });
  for (const [k, v] of Object.entries(asObj(spec.selector))) {
    void k;
    void v;
  }
  return errs;
}

export function serviceStrategy(alloc: ServiceAllocators) {
  return strategy({
    validateName: nameIsDNS1035Label,
    validate: validateService,
    // Upstream: service storage's BeginCreate (IP and port allocation) and serviceStrategy.PrepareForCreate
    prepareForCreate(obj) {
      obj.status = { loadBalancer: {} };
      const spec = specOf(obj);
      const type = String(spec.type ?? 'ClusterIP');
      if (type !== 'ExternalName') {
        if (spec.clusterIP === undefined || spec.clusterIP === '') {
          const ip = alloc.allocateIP();
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
        } else if (spec.clusterIP !== 'None') {
          alloc.claimIP(String(spec.clusterIP));
          spec.clusterIPs = [spec.clusterIP];
        } else spec.clusterIPs = ['None'];
        spec.ipFamilies = spec.ipFamilies ?? ['IPv4'];
        spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? 'SingleStack';
        spec.internalTrafficPolicy = spec.internalTrafficPolicy ?? 'Cluster';
      }
      if (type === 'NodePort' || type === 'LoadBalancer') {
        spec.externalTrafficPolicy = spec.externalTrafficPolicy ?? 'Cluster';
        for (const port of asList(spec.ports)) {
          if (port.nodePort === undefined) port.nodePort = alloc.allocatePort();
          else alloc.claimPort(Number(port.nodePort));
        }
        if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
      }
      obj.spec = spec;
    },
    prepareForUpdate(obj, old) {
      obj.status = old.status;
      const spec = specOf(obj);
      const oldSpec = specOf(old);
      if (spec.clusterIP === undefined && oldSpec.clusterIP !== undefined) spec.clusterIP = oldSpec.clusterIP;
      if (spec.clusterIPs === undefined && oldSpec.clusterIPs !== undefined) spec.clusterIPs = oldSpec.clusterIPs;
      for (const f of ['ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy', 'externalTrafficPolicy']) if (spec[f] === undefined && oldSpec[f] !== undefined) spec[f] = oldSpec[f];
      const oldPorts = asList(oldSpec.ports);
      for (const port of asList(spec.ports)) {
        const was = oldPorts.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
        if (port.nodePort === undefined && was?.nodePort !== undefined && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) port.nodePort = was.nodePort;
      }
    },
    validateUpdate(obj, old) {
      const errs = validateService(obj);
      const spec = specOf(obj);
      const oldSpec = specOf(old);
      if (oldSpec.clusterIP && spec.clusterIP !== oldSpec.clusterIP && oldSpec.type !== 'ExternalName' && spec.type !== 'ExternalName') {
        errs.push(field.invalid(field.newPath('spec', 'clusterIPs').index(0), spec.clusterIP ?? '', 'may not change once set'));
      }
      return errs;
    },
  });
}

// Upstream: core/v1 defaults (SetDefaults_Service)
function defaultService(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  if (spec.type === undefined) spec.type = 'ClusterIP';
  if (spec.sessionAffinity === undefined) spec.sessionAffinity = 'None';
  for (const port of asList(spec.ports)) {
    if (port.protocol === undefined) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  obj.spec = spec;
}

export function serviceDef(alloc: ServiceAllocators): ResourceDef {
  const s = serviceStrategy(alloc);
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
