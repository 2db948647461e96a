/**
 * The Go types of the built-in kinds, as far as decoding a request body needs them: known
 * fields (an unknown one is dropped, and reported as `strict decoding error: unknown field
 * "spec.foo"` with fieldValidation=Strict or as a warning with Warn), and scalar types (a string
 * where an int32 belongs is `json: cannot unmarshal string into Go struct field
 * DeploymentSpec.spec.replicas of type int32`). Deep parts no lab needs (affinity, probes, volume
 * sources, security contexts) are `any`: accepted as they come.
 * Upstream: k8s.io/api core/v1, apps/v1, discovery/v1, coordination/v1, storage/v1, policy/v1,
 * scheduling/v1 types.go; the JSON decoding
 * of apimachinery's serializer (sigs.k8s.io/json UnmarshalStrict, encoding/json UnmarshalTypeError).
 */

export type Scalar = 'string' | 'int32' | 'int64' | 'bool' | 'float64' | 'Time' | 'Quantity' | 'IntOrString';

/** A field's type: a scalar, an object type, a list or a map of one, or anything. */
export type FieldType = Scalar | 'any' | TypeSchema | { list: FieldType } | { map: FieldType };

/** A Go struct: its name (for decode errors) and fields. */
export interface TypeSchema {
  goName: string;
  fields: Record<string, FieldType>;
}

const isSchema = (t: FieldType): t is TypeSchema => typeof t === 'object' && 'fields' in t;

/** What decoding found wrong. */
export interface DecodeIssues {
  unknown: string[];
  /** The first type mismatch, worded as encoding/json words it. */
  typeError?: string;
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  return 'string';
}

function scalarOk(t: Scalar, v: unknown): boolean {
  switch (t) {
    case 'string':
    case 'Time':
      return typeof v === 'string';
    case 'int32':
    case 'int64':
      return typeof v === 'number' && Number.isInteger(v);
    case 'float64':
      return typeof v === 'number';
    case 'bool':
      return typeof v === 'boolean';
    case 'Quantity':
    case 'IntOrString':
      return typeof v === 'string' || typeof v === 'number';
  }
}

/** Walks `obj` against `schema`: unknown fields (removed from `obj`), and the first type error. */
// Upstream: sigs.k8s.io/json (UnmarshalStrict: unknown field errors); encoding/json (UnmarshalTypeError.Error)
export function decodeAgainst(obj: Record<string, unknown>, schema: TypeSchema): DecodeIssues {
  const issues: DecodeIssues = { unknown: [] };
  walk(obj, schema, '', issues);
  return issues;
}

function walk(obj: Record<string, unknown>, schema: TypeSchema, path: string, issues: DecodeIssues): void {
  for (const key of Object.keys(obj)) {
    const t = schema.fields[key];
    const p = path ? `${path}.${key}` : key;
    if (t === undefined) {
      if (path === '' && (key === 'apiVersion' || key === 'kind')) continue;
      issues.unknown.push(p);
      delete obj[key];
      continue;
    }
    checkValue(obj[key], t, p, schema.goName, key, issues);
  }
}

function checkValue(v: unknown, t: FieldType, p: string, parent: string, key: string, issues: DecodeIssues): void {
  if (v === null || v === undefined || t === 'any') return;
  if (typeof t === 'string') {
    if (!scalarOk(t, v) && !issues.typeError) {
      const goType = t === 'Time' ? 'v1.Time' : t === 'Quantity' ? 'resource.Quantity' : t === 'IntOrString' ? 'intstr.IntOrString' : t;
      const kind = typeof v === 'number' && (t === 'int32' || t === 'int64') ? `number ${String(v)}` : jsonKind(v);
      issues.typeError = `json: cannot unmarshal ${kind} into Go struct field ${parent}.${p} of type ${goType}`;
    }
    return;
  }
  if (isSchema(t)) {
    if (jsonKind(v) !== 'object') {
      if (!issues.typeError) issues.typeError = `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${parent}.${p} of type v1.${t.goName}`;
      return;
    }
    walk(v as Record<string, unknown>, t, p, issues);
    return;
  }
  if ('list' in t) {
    if (!Array.isArray(v)) {
      if (!issues.typeError) issues.typeError = `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${parent}.${p} of type []${goTypeName(t.list)}`;
      return;
    }
    v.forEach((e, i) => checkValue(e, t.list, `${p}[${i}]`, parent, key, issues));
    return;
  }
  if (jsonKind(v) !== 'object') {
    if (!issues.typeError) issues.typeError = `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${parent}.${p} of type map[string]${goTypeName(t.map)}`;
    return;
  }
  for (const [k, e] of Object.entries(v as Record<string, unknown>)) checkValue(e, t.map, `${p}.${k}`, parent, key, issues);
}

function goTypeName(t: FieldType): string {
  if (typeof t === 'string') return t === 'any' ? 'interface {}' : t;
  if (isSchema(t)) return `v1.${t.goName}`;
  if ('list' in t) return `[]${goTypeName(t.list)}`;
  return `map[string]${goTypeName(t.map)}`;
}

// ---- the types -------------------------------------------------------------------------------

const S = 'string' as const;
const I32 = 'int32' as const;
const I64 = 'int64' as const;
const B = 'bool' as const;
const T = 'Time' as const;
const Q = 'Quantity' as const;
const IOS = 'IntOrString' as const;
const A = 'any' as const;
const list = (t: FieldType): FieldType => ({ list: t });
const map = (t: FieldType): FieldType => ({ map: t });
const type = (goName: string, fields: Record<string, FieldType>): TypeSchema => ({ goName, fields });

const OwnerReference = type('OwnerReference', { apiVersion: S, kind: S, name: S, uid: S, controller: B, blockOwnerDeletion: B });
export const ObjectMeta = type('ObjectMeta', {
  name: S,
  generateName: S,
  namespace: S,
  selfLink: S,
  uid: S,
  resourceVersion: S,
  generation: I64,
  creationTimestamp: T,
  deletionTimestamp: T,
  deletionGracePeriodSeconds: I64,
  labels: map(S),
  annotations: map(S),
  ownerReferences: list(OwnerReference),
  finalizers: list(S),
  managedFields: list(A),
});
export const LabelSelector = type('LabelSelector', { matchLabels: map(S), matchExpressions: list(type('LabelSelectorRequirement', { key: S, operator: S, values: list(S) })) });
const ResourceRequirements = type('ResourceRequirements', { limits: map(Q), requests: map(Q), claims: list(A) });
const ContainerPort = type('ContainerPort', { name: S, hostPort: I32, containerPort: I32, protocol: S, hostIP: S });
const EnvVar = type('EnvVar', { name: S, value: S, valueFrom: A });
const VolumeMount = type('VolumeMount', { name: S, readOnly: B, recursiveReadOnly: S, mountPath: S, subPath: S, mountPropagation: S, subPathExpr: S });
const Container = type('Container', {
  name: S,
  image: S,
  command: list(S),
  args: list(S),
  workingDir: S,
  ports: list(ContainerPort),
  envFrom: list(A),
  env: list(EnvVar),
  resources: ResourceRequirements,
  resizePolicy: list(A),
  restartPolicy: S,
  restartPolicyRules: list(A),
  volumeMounts: list(VolumeMount),
  volumeDevices: list(A),
  livenessProbe: A,
  readinessProbe: A,
  startupProbe: A,
  lifecycle: A,
  terminationMessagePath: S,
  terminationMessagePolicy: S,
  imagePullPolicy: S,
  securityContext: A,
  stdin: B,
  stdinOnce: B,
  tty: B,
});
const Toleration = type('Toleration', { key: S, operator: S, value: S, effect: S, tolerationSeconds: I64 });
export const PodSpec = type('PodSpec', {
  volumes: list(A),
  initContainers: list(Container),
  containers: list(Container),
  ephemeralContainers: list(A),
  restartPolicy: S,
  terminationGracePeriodSeconds: I64,
  activeDeadlineSeconds: I64,
  dnsPolicy: S,
  nodeSelector: map(S),
  serviceAccountName: S,
  serviceAccount: S,
  automountServiceAccountToken: B,
  nodeName: S,
  hostNetwork: B,
  hostPID: B,
  hostIPC: B,
  shareProcessNamespace: B,
  securityContext: A,
  imagePullSecrets: list(A),
  hostname: S,
  subdomain: S,
  affinity: A,
  schedulerName: S,
  tolerations: list(Toleration),
  hostAliases: list(A),
  priorityClassName: S,
  priority: I32,
  dnsConfig: A,
  readinessGates: list(A),
  runtimeClassName: S,
  enableServiceLinks: B,
  preemptionPolicy: S,
  overhead: map(Q),
  topologySpreadConstraints: list(A),
  setHostnameAsFQDN: B,
  os: A,
  hostUsers: B,
  schedulingGates: list(A),
  resourceClaims: list(A),
  resources: A,
});
const PodCondition = type('PodCondition', { type: S, observedGeneration: I64, status: S, lastProbeTime: T, lastTransitionTime: T, reason: S, message: S });
const PodStatus = type('PodStatus', {
  observedGeneration: I64,
  phase: S,
  conditions: list(PodCondition),
  message: S,
  reason: S,
  nominatedNodeName: S,
  hostIP: S,
  hostIPs: list(A),
  podIP: S,
  podIPs: list(A),
  startTime: T,
  initContainerStatuses: list(A),
  containerStatuses: list(A),
  qosClass: S,
  ephemeralContainerStatuses: list(A),
  resize: S,
  resourceClaimStatuses: list(A),
  extendedResourceClaimStatus: A,
});
export const Pod = type('Pod', { apiVersion: S, kind: S, metadata: ObjectMeta, spec: PodSpec, status: PodStatus });
const PodTemplateSpec = type('PodTemplateSpec', { metadata: ObjectMeta, spec: PodSpec });
const Condition = type('Condition', { type: S, status: S, observedGeneration: I64, lastUpdateTime: T, lastTransitionTime: T, reason: S, message: S });
export const Deployment = type('Deployment', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('DeploymentSpec', {
    replicas: I32,
    selector: LabelSelector,
    template: PodTemplateSpec,
    strategy: type('DeploymentStrategy', { type: S, rollingUpdate: type('RollingUpdateDeployment', { maxUnavailable: IOS, maxSurge: IOS }) }),
    minReadySeconds: I32,
    revisionHistoryLimit: I32,
    paused: B,
    progressDeadlineSeconds: I32,
  }),
  status: type('DeploymentStatus', {
    observedGeneration: I64,
    replicas: I32,
    updatedReplicas: I32,
    readyReplicas: I32,
    availableReplicas: I32,
    unavailableReplicas: I32,
    terminatingReplicas: I32,
    conditions: list(Condition),
    collisionCount: I32,
  }),
});
export const ReplicaSet = type('ReplicaSet', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('ReplicaSetSpec', { replicas: I32, minReadySeconds: I32, selector: LabelSelector, template: PodTemplateSpec }),
  status: type('ReplicaSetStatus', {
    replicas: I32,
    fullyLabeledReplicas: I32,
    readyReplicas: I32,
    availableReplicas: I32,
    terminatingReplicas: I32,
    observedGeneration: I64,
    conditions: list(Condition),
  }),
});
const ServicePort = type('ServicePort', { name: S, protocol: S, appProtocol: S, port: I32, targetPort: IOS, nodePort: I32 });
export const Service = type('Service', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('ServiceSpec', {
    ports: list(ServicePort),
    selector: map(S),
    clusterIP: S,
    clusterIPs: list(S),
    type: S,
    externalIPs: list(S),
    sessionAffinity: S,
    loadBalancerIP: S,
    loadBalancerSourceRanges: list(S),
    externalName: S,
    externalTrafficPolicy: S,
    healthCheckNodePort: I32,
    publishNotReadyAddresses: B,
    sessionAffinityConfig: A,
    ipFamilies: list(S),
    ipFamilyPolicy: S,
    allocateLoadBalancerNodePorts: B,
    loadBalancerClass: S,
    internalTrafficPolicy: S,
    trafficDistribution: S,
  }),
  status: type('ServiceStatus', { loadBalancer: A, conditions: list(A) }),
});
export const ConfigMap = type('ConfigMap', { apiVersion: S, kind: S, metadata: ObjectMeta, immutable: B, data: map(S), binaryData: map(S) });
export const Secret = type('Secret', { apiVersion: S, kind: S, metadata: ObjectMeta, immutable: B, data: map(S), stringData: map(S), type: S });
export const Namespace = type('Namespace', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('NamespaceSpec', { finalizers: list(S) }),
  status: type('NamespaceStatus', { phase: S, conditions: list(A) }),
});
export const Node = type('Node', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('NodeSpec', { podCIDR: S, podCIDRs: list(S), providerID: S, unschedulable: B, taints: list(type('Taint', { key: S, value: S, effect: S, timeAdded: T })), configSource: A, externalID: S }),
  status: type('NodeStatus', {
    capacity: map(Q),
    allocatable: map(Q),
    phase: S,
    conditions: list(A),
    addresses: list(type('NodeAddress', { type: S, address: S })),
    daemonEndpoints: A,
    nodeInfo: A,
    images: list(A),
    volumesInUse: list(S),
    volumesAttached: list(A),
    config: A,
    runtimeHandlers: list(A),
    features: A,
    declaredFeatures: list(S),
  }),
});
export const Endpoints = type('Endpoints', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  subsets: list(
    type('EndpointSubset', {
      addresses: list(A),
      notReadyAddresses: list(A),
      ports: list(type('EndpointPort', { name: S, port: I32, protocol: S, appProtocol: S })),
    }),
  ),
});
export const EndpointSlice = type('EndpointSlice', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  addressType: S,
  endpoints: list(type('Endpoint', { addresses: list(S), conditions: A, hostname: S, targetRef: A, deprecatedTopology: map(S), nodeName: S, zone: S, hints: A })),
  ports: list(type('EndpointPort', { name: S, protocol: S, port: I32, appProtocol: S })),
});
export const Event = type('Event', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  involvedObject: type('ObjectReference', { kind: S, namespace: S, name: S, uid: S, apiVersion: S, resourceVersion: S, fieldPath: S }),
  reason: S,
  message: S,
  source: type('EventSource', { component: S, host: S }),
  firstTimestamp: T,
  lastTimestamp: T,
  count: I32,
  type: S,
  eventTime: S,
  series: A,
  action: S,
  related: A,
  reportingComponent: S,
  reportingInstance: S,
});
export const Lease = type('Lease', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('LeaseSpec', {
    holderIdentity: S,
    leaseDurationSeconds: I32,
    acquireTime: S,
    renewTime: S,
    leaseTransitions: I32,
    strategy: S,
    preferredHolder: S,
  }),
});
export const CustomResourceDefinition = type('CustomResourceDefinition', { apiVersion: S, kind: S, metadata: ObjectMeta, spec: A, status: A });
/** A custom resource: ObjectMeta is typed, the rest is checked against the CRD's schema. */
export const CustomResourceEnvelope = type('Unstructured', { apiVersion: S, kind: S, metadata: ObjectMeta });

// ---- storage, policy and scheduling kinds (k8s.io/api v0.34.0) ----------------------------------

const PV_SOURCES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local', 'storageos', 'csi'];
export const PersistentVolume = type('PersistentVolume', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('PersistentVolumeSpec', {
    capacity: map(Q),
    ...Object.fromEntries(PV_SOURCES.map((k) => [k, A])),
    accessModes: list(S),
    claimRef: type('ObjectReference', { kind: S, namespace: S, name: S, uid: S, apiVersion: S, resourceVersion: S, fieldPath: S }),
    persistentVolumeReclaimPolicy: S,
    storageClassName: S,
    mountOptions: list(S),
    volumeMode: S,
    nodeAffinity: A,
    volumeAttributesClassName: S,
  }),
  status: type('PersistentVolumeStatus', { phase: S, message: S, reason: S, lastPhaseTransitionTime: T }),
});
export const PersistentVolumeClaim = type('PersistentVolumeClaim', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('PersistentVolumeClaimSpec', {
    accessModes: list(S),
    selector: LabelSelector,
    resources: type('VolumeResourceRequirements', { limits: map(Q), requests: map(Q) }),
    volumeName: S,
    storageClassName: S,
    volumeMode: S,
    dataSource: A,
    dataSourceRef: A,
    volumeAttributesClassName: S,
  }),
  status: type('PersistentVolumeClaimStatus', {
    phase: S,
    accessModes: list(S),
    capacity: map(Q),
    conditions: list(A),
    allocatedResources: map(Q),
    allocatedResourceStatuses: map(S),
    currentVolumeAttributesClassName: S,
    modifyVolumeStatus: A,
  }),
});
export const StorageClass = type('StorageClass', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  provisioner: S,
  parameters: map(S),
  reclaimPolicy: S,
  mountOptions: list(S),
  allowVolumeExpansion: B,
  volumeBindingMode: S,
  allowedTopologies: list(A),
});
export const PodDisruptionBudget = type('PodDisruptionBudget', {
  apiVersion: S,
  kind: S,
  metadata: ObjectMeta,
  spec: type('PodDisruptionBudgetSpec', { minAvailable: IOS, selector: LabelSelector, maxUnavailable: IOS, unhealthyPodEvictionPolicy: S }),
  status: type('PodDisruptionBudgetStatus', {
    observedGeneration: I64,
    disruptedPods: map(T),
    disruptionsAllowed: I32,
    currentHealthy: I32,
    desiredHealthy: I32,
    expectedPods: I32,
    conditions: list(A),
  }),
});
export const PriorityClass = type('PriorityClass', { apiVersion: S, kind: S, metadata: ObjectMeta, value: I32, globalDefault: B, description: S, preemptionPolicy: S });
