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
import {
  FieldPath,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isDNS1123Label,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  type FieldError,
} from '../../interim_machinery';
import { defaultAttrs, type Attrs } from '../../storage/interfaces';
import { ALL_VERBS, type ResourceDef } from '../resource';
import * as schema from '../schema';
import {
  admitPodDefaults,
  asList,
  asObj,
  bumpGenerationIf,
  defaultPod,
  defaultPodSpec,
  isConfigMapKey,
  isValidPortName,
  isValidPortNum,
  jsonEqual,
  specOf,
  statusStrategy,
  strategy,
  validatePodSpec,
  type Obj,
} from './common';

/** Field selectors of objects that have only name and namespace. */
const metaOnly = (obj: KubeObject): Attrs => defaultAttrs(obj);

const base = {
  group: '',
  version: 'v1',
  categories: [] as string[],
  namespaced: true,
  fieldLabels: [] as string[],
  fieldLabelStyle: 'core' as const,
  watchCache: true,
  verbs: ALL_VERBS,
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
  singularName: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  storagePrefix: 'namespaces',
  typeName: '*core.Namespace',
  strategy: namespaceStrategy,
  statusStrategy: statusStrategy(namespaceStrategy, {
    validateUpdate: (obj) => {
      const phase = asObj(obj.status).phase;
      return phase !== undefined && phase !== 'Active' && phase !== 'Terminating' ? [fieldNotSupported('status.phase', phase, ['Active', 'Terminating'])] : [];
    },
  }),
  getAttrs: (obj) => {
    const a = defaultAttrs(obj);
    a.fields['status.phase'] = String(asObj(obj.status).phase ?? '');
    return a;
  },
  fieldLabels: ['status.phase'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
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
  const errs = validatePodSpec(specOf(obj), FieldPath.of('spec'));
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
  if (!jsonEqual(a, b)) errs.push(fieldForbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS}`));
  return errs;
}

// Upstream: pkg/registry/core/pod/strategy.go (podStrategy)
const podStrategy = strategy({
  validate: (obj) => validatePodSpec(specOf(obj), FieldPath.of('spec')),
  prepareForCreate(obj) {
    obj.metadata.generation = 1;
    obj.status = { phase: 'Pending', qosClass: podQOS(specOf(obj)) };
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
    if (status.phase !== undefined && !phases.includes(String(status.phase))) errs.push(fieldNotSupported('status.phase', status.phase, phases));
    return errs;
  },
});

// Upstream: pkg/registry/core/pod/strategy.go (ToSelectableFields)
function podAttrs(obj: KubeObject): Attrs {
  const spec = specOf(obj);
  const status = asObj(obj.status);
  const podIPs = asList(status.podIPs);
  const a = defaultAttrs(obj);
  Object.assign(a.fields, {
    'spec.nodeName': String(spec.nodeName ?? ''),
    'spec.restartPolicy': String(spec.restartPolicy ?? ''),
    'spec.schedulerName': String(spec.schedulerName ?? ''),
    'spec.serviceAccountName': String(spec.serviceAccountName ?? ''),
    'spec.hostNetwork': String(spec.hostNetwork === true),
    'status.phase': String(status.phase ?? ''),
    'status.podIP': podIPs.length > 0 ? String(podIPs[0].ip ?? '') : String(status.podIP ?? ''),
    'status.nominatedNodeName': String(status.nominatedNodeName ?? ''),
  });
  return a;
}

export const podDef: ResourceDef = {
  ...base,
  resource: 'pods',
  kind: 'Pod',
  singularName: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  storagePrefix: 'pods',
  typeName: '*core.Pod',
  strategy: podStrategy,
  statusStrategy: podStatusStrategy,
  getAttrs: podAttrs,
  fieldLabels: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
  defaults(obj) {
    const spec = asObj(obj.spec);
    defaultPodSpec(spec);
    defaultPod(spec);
    obj.spec = spec;
  },
  schema: schema.Pod,
};

/** Pod admission at create (the defaults admission plugins add), applied by the create handler. */
export function admitPodCreate(obj: KubeObject): void {
  const spec = asObj(obj.spec);
  admitPodDefaults(spec);
  obj.spec = spec;
}

// ---- Node --------------------------------------------------------------------------------------

// Upstream: pkg/registry/core/node/strategy.go (nodeStrategy), validation (ValidateNode)
const nodeStrategy = strategy({
  namespaced: false,
  allowCreateOnUpdate: false,
  validate(obj) {
    const errs: FieldError[] = [];
    asList(specOf(obj).taints).forEach((t, i) => {
      const p = FieldPath.of('spec', 'taints').index_(i);
      if (!t.key) errs.push(fieldRequired(p.child('key'), ''));
      if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(String(t.effect))) errs.push(fieldNotSupported(p.child('effect'), t.effect ?? '', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
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
  singularName: 'node',
  shortNames: ['no'],
  namespaced: false,
  storagePrefix: 'minions',
  typeName: '*core.Node',
  strategy: nodeStrategy,
  statusStrategy: statusStrategy(nodeStrategy),
  getAttrs: (obj) => {
    const a = defaultAttrs(obj);
    a.fields['spec.unschedulable'] = String(specOf(obj).unschedulable === true);
    return a;
  },
  fieldLabels: ['spec.unschedulable'],
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
    for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(FieldPath.of('data').key(k), k, m));
    total += String(v).length;
  }
  for (const [k, v] of Object.entries(asObj(obj.binaryData))) {
    for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(FieldPath.of('binaryData').key(k), k, m));
    if (k in data) errs.push(fieldInvalid(FieldPath.of('binaryData').key(k), k, 'duplicate of key present in data'));
    total += String(v).length;
  }
  if (total > maxConfigMapBytes) errs.push(fieldTooLong('', maxConfigMapBytes));
  return errs;
}

function immutableUpdate(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldForbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!jsonEqual(obj[f], old[f])) errs.push(fieldForbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

export const configMapDef: ResourceDef = {
  ...base,
  resource: 'configmaps',
  kind: 'ConfigMap',
  singularName: 'configmap',
  shortNames: ['cm'],
  storagePrefix: 'configmaps',
  typeName: '*core.ConfigMap',
  strategy: strategy({
    validate: validateConfigMap,
    validateUpdate: (obj, old) => [...validateConfigMap(obj), ...immutableUpdate(obj, old, ['data', 'binaryData'])],
  }),
  getAttrs: metaOnly,
  fieldLabels: [],
  fieldLabelStyle: 'default',
  schema: schema.ConfigMap,
};

const SECRET_TYPES = ['Opaque', 'kubernetes.io/service-account-token', 'kubernetes.io/dockercfg', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/basic-auth', 'kubernetes.io/ssh-auth', 'kubernetes.io/tls', 'bootstrap.kubernetes.io/token'];

function utf8ToBase64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

// Upstream: core/validation (ValidateSecret)
function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(asObj(obj.data))) for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(FieldPath.of('data').key(k), k, m));
  const type = String(obj.type ?? 'Opaque');
  if (type === 'kubernetes.io/tls') {
    for (const k of ['tls.crt', 'tls.key']) if (!(k in asObj(obj.data))) errs.push(fieldRequired(FieldPath.of('data').key(k), ''));
  }
  void SECRET_TYPES;
  return errs;
}

export const secretDef: ResourceDef = {
  ...base,
  resource: 'secrets',
  kind: 'Secret',
  singularName: 'secret',
  shortNames: [],
  storagePrefix: 'secrets',
  typeName: '*core.Secret',
  strategy: strategy({
    validate: validateSecret,
    validateUpdate: (obj, old) => {
      const errs = [...validateSecret(obj), ...immutableUpdate(obj, old, ['data'])];
      if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) errs.push(fieldInvalid('type', obj.type ?? 'Opaque', 'field is immutable'));
      return errs;
    },
  }),
  getAttrs: (obj) => {
    const a = defaultAttrs(obj);
    a.fields.type = String(obj.type ?? '');
    return a;
  },
  fieldLabels: ['type'],
  // Upstream: core/v1 conversion (stringData is merged into data, base64-encoded)
  defaults(obj) {
    if (obj.type === undefined) obj.type = 'Opaque';
    const stringData = asObj(obj.stringData);
    if (Object.keys(stringData).length > 0) {
      const data = asObj(obj.data);
      for (const [k, v] of Object.entries(stringData)) data[k] = utf8ToBase64(String(v));
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
  const sp = FieldPath.of('spec');
  const type = String(spec.type ?? 'ClusterIP');
  if (!SERVICE_TYPES.includes(type)) errs.push(fieldNotSupported(sp.child('type'), spec.type, SERVICE_TYPES));
  const headless = spec.clusterIP === 'None';
  const ports = asList(spec.ports);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fieldRequired(sp.child('ports'), ''));
  if (type === 'ExternalName' && !spec.externalName) errs.push(fieldRequired(sp.child('externalName'), ''));
  const names = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const pp = sp.child('ports').index_(i);
    const name = String(port.name ?? '');
    if (ports.length > 1 && !name) errs.push(fieldRequired(pp.child('name'), ''));
    else if (name) {
      for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(pp.child('name'), name, m));
      if (names.has(name)) errs.push(fieldDuplicate(pp.child('name'), name));
      names.add(name);
    }
    if (port.port === undefined) errs.push(fieldRequired(pp.child('port'), ''));
    else for (const m of isValidPortNum(port.port)) errs.push(fieldInvalid(pp.child('port'), port.port, m));
    const protocol = String(port.protocol ?? '');
    if (!['SCTP', 'TCP', 'UDP'].includes(protocol)) errs.push(fieldNotSupported(pp.child('protocol'), port.protocol, ['SCTP', 'TCP', 'UDP']));
    const tp = port.targetPort;
    if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(fieldInvalid(pp.child('targetPort'), tp, m));
    if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(fieldInvalid(pp.child('targetPort'), tp, m));
    const key = `${protocol}/${String(port.port)}`;
    if (seen.has(key)) errs.push(fieldDuplicate(pp, { port: port.port, protocol }));
    seen.add(key);
    if (port.nodePort !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') errs.push(fieldForbidden(pp.child('nodePort'), 'may not be used when `type` is \'ClusterIP\''));
    if (typeof port.nodePort === 'number' && (port.nodePort < 30000 || port.nodePort > 32767)) {
      errs.push(fieldInvalid(pp.child('nodePort'), port.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
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
        errs.push(fieldInvalid(FieldPath.of('spec', 'clusterIPs').index_(0), spec.clusterIP ?? '', 'may not change once set'));
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
    singularName: 'service',
    shortNames: ['svc'],
    categories: ['all'],
    storagePrefix: 'services/specs',
    typeName: '*core.Service',
    strategy: s,
    statusStrategy: statusStrategy(s),
    getAttrs: (obj) => {
      const a = defaultAttrs(obj);
      a.fields['spec.clusterIP'] = String(specOf(obj).clusterIP ?? '');
      a.fields['spec.type'] = String(specOf(obj).type ?? '');
      return a;
    },
    fieldLabels: ['spec.clusterIP', 'spec.type'],
    defaults: defaultService,
    schema: schema.Service,
  };
}

// ---- Endpoints ----------------------------------------------------------------------------------

// Upstream: core/validation (ValidateEndpoints)
function validateEndpoints(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asList(obj.subsets).forEach((ss, i) => {
    const p = FieldPath.of('subsets').index_(i);
    const addresses = [...asList(ss.addresses), ...asList(ss.notReadyAddresses)];
    if (addresses.length === 0 && asList(ss.ports).length > 0) errs.push(fieldRequired(p, 'must specify `addresses` or `notReadyAddresses`'));
    asList(ss.addresses).forEach((a, j) => {
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(String(a.ip ?? '')) && !String(a.ip ?? '').includes(':')) errs.push(fieldInvalid(p.child('addresses').index_(j).child('ip'), a.ip ?? '', 'must be a valid IP address'));
    });
    asList(ss.ports).forEach((port, j) => {
      for (const m of isValidPortNum(port.port)) errs.push(fieldInvalid(p.child('ports').index_(j).child('port'), port.port ?? 0, m));
    });
  });
  return errs;
}

export const endpointsDef: ResourceDef = {
  ...base,
  resource: 'endpoints',
  kind: 'Endpoints',
  singularName: 'endpoints',
  shortNames: ['ep'],
  storagePrefix: 'services/endpoints',
  typeName: '*core.Endpoints',
  strategy: strategy({ validateName: nameIsDNSSubdomain, validate: validateEndpoints, allowCreateOnUpdate: true }),
  getAttrs: metaOnly,
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
  if (io.namespace !== undefined && io.namespace !== '' && io.namespace !== ns) errs.push(fieldInvalid('involvedObject.namespace', io.namespace, 'does not match event.namespace'));
  if (obj.type !== undefined && obj.type !== 'Normal' && obj.type !== 'Warning') errs.push(fieldNotSupported('type', obj.type, ['Normal', 'Warning']));
  return errs;
}

export const eventDef: ResourceDef = {
  ...base,
  resource: 'events',
  kind: 'Event',
  singularName: 'event',
  shortNames: ['ev'],
  storagePrefix: 'events',
  typeName: '*core.Event',
  strategy: strategy({ validate: validateEvent, defaultGarbageCollectionPolicy: 'Unsupported' }),
  getAttrs: (obj) => {
    const a = defaultAttrs(obj);
    const io = asObj(obj.involvedObject);
    const src = asObj(obj.source);
    Object.assign(a.fields, {
      'involvedObject.kind': String(io.kind ?? ''),
      'involvedObject.namespace': String(io.namespace ?? ''),
      'involvedObject.name': String(io.name ?? ''),
      'involvedObject.uid': String(io.uid ?? ''),
      'involvedObject.apiVersion': String(io.apiVersion ?? ''),
      'involvedObject.resourceVersion': String(io.resourceVersion ?? ''),
      'involvedObject.fieldPath': String(io.fieldPath ?? ''),
      reason: String(obj.reason ?? ''),
      reportingComponent: String(obj.reportingComponent ?? ''),
      source: String(src.component ?? ''),
      type: String(obj.type ?? ''),
    });
    return a;
  },
  fieldLabels: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  watchCache: false,
  ttlSec: 3600,
  schema: schema.Event,
};
