/**
 * Validation and defaulting shared by the built-in kinds: containers, ports, pod specs and
 * templates, label selectors; the generation rules and strategy builders.
 * Upstream: kubernetes pkg/apis/core/validation/validation.go (validateContainers,
 * validateContainerPorts, validateRestartPolicy, validateDNSPolicy, ValidatePodSpec,
 * ValidatePodTemplateSpec), pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec,
 * SetDefaults_Container, SetDefaults_ContainerPort), apimachinery apis/meta/v1/validation
 * (ValidateLabelSelector), util/validation (IsValidPortNum, IsValidPortName, IsConfigMapKey)
 */
import { deepCopy, type KubeObject } from '../../../core/object';
import { field, type FieldError, type Path } from '../../../apimachinery/field';
import { labelSelectorAsSelector } from '../../../apimachinery/labels';
import {
  inclusiveRangeError,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum as isValidPortNumber,
  nameIsDNSSubdomain,
  validateKubeObjectMeta,
  validateLabelSelector as validateMetaLabelSelector,
  type LabelSelector,
} from '../../../apimachinery/validation';
import type { Strategy } from '../strategy';

export type Obj = Record<string, unknown>;
export const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
export const specOf = (o: KubeObject): Obj => asObj(o.spec);

/** Semantic equality of JSON values (Go: `apiequality.Semantic.DeepEqual` on decoded objects). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null) || (isEmpty(a) && isEmpty(b));
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a as Obj).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b as Obj).filter((k) => (b as Obj)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Obj)[k], (b as Obj)[k]));
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null;
}

/** IsValidPortNum over a decoded JSON value (a non-number is out of range). */
export function isValidPortNum(port: unknown): string[] {
  return typeof port === 'number' && Number.isInteger(port) ? isValidPortNumber(port) : [inclusiveRangeError(1, 65535)];
}

export { isValidPortName };

const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

// Upstream: core/validation (validateContainerPorts)
function validateContainerPorts(ports: Obj[], p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const ip = p.index(i);
    if (typeof port.name === 'string' && port.name) {
      for (const m of isValidPortName(port.name)) errs.push(field.invalid(ip.child('name'), port.name, m));
      if (names.has(port.name)) errs.push(field.duplicate(ip.child('name'), port.name));
      names.add(port.name);
    }
    if (port.containerPort === undefined || port.containerPort === 0) errs.push(field.required(ip.child('containerPort'), ''));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(field.invalid(ip.child('containerPort'), port.containerPort, m));
    if (port.hostPort !== undefined && port.hostPort !== 0) for (const m of isValidPortNum(port.hostPort)) errs.push(field.invalid(ip.child('hostPort'), port.hostPort, m));
    if (!port.protocol) errs.push(field.required(ip.child('protocol'), ''));
    else if (!SUPPORTED_PROTOCOLS.includes(String(port.protocol))) errs.push(field.notSupported(ip.child('protocol'), port.protocol, SUPPORTED_PROTOCOLS));
  });
  return errs;
}

// Upstream: core/validation (validateContainers, validateContainerCommon)
function validateContainers(containers: Obj[], p: Path, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const cp = p.index(i);
    const name = typeof c.name === 'string' ? c.name : '';
    if (!name) errs.push(field.required(cp.child('name'), ''));
    else {
      for (const m of isDNS1123Label(name)) errs.push(field.invalid(cp.child('name'), name, m));
      if (names.has(name)) errs.push(field.duplicate(cp.child('name'), name));
      names.add(name);
    }
    if (!c.image) errs.push(field.required(cp.child('image'), ''));
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(String(c.imagePullPolicy))) {
      errs.push(field.notSupported(cp.child('imagePullPolicy'), c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
    }
    errs.push(...validateContainerPorts(asList(c.ports), cp.child('ports')));
    const envNames = asList(c.env);
    envNames.forEach((e, j) => {
      if (!e.name) errs.push(field.required(cp.child('env').index(j).child('name'), ''));
    });
  });
  return errs;
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

/** A pod spec's field errors (Go: `ValidatePodSpec`, the checks the labs run into). */
// Upstream: core/validation (ValidatePodSpec)
export function validatePodSpec(spec: Obj, p: Path): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const containers = asList(spec.containers);
  if (containers.length === 0) errs.push(field.required(p.child('containers'), ''));
  errs.push(...validateContainers(asList(spec.initContainers), p.child('initContainers'), names));
  errs.push(...validateContainers(containers, p.child('containers'), names));
  if (spec.restartPolicy === undefined || spec.restartPolicy === '') errs.push(field.required(p.child('restartPolicy'), ''));
  else if (!RESTART_POLICIES.includes(String(spec.restartPolicy))) errs.push(field.notSupported(p.child('restartPolicy'), spec.restartPolicy, RESTART_POLICIES));
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(String(spec.dnsPolicy))) errs.push(field.notSupported(p.child('dnsPolicy'), spec.dnsPolicy, DNS_POLICIES));
  if (typeof spec.nodeName === 'string' && spec.nodeName) for (const m of isDNS1123Subdomain(spec.nodeName)) errs.push(field.invalid(p.child('nodeName'), spec.nodeName, m));
  for (const [k, v] of Object.entries(asObj(spec.nodeSelector))) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(p.child('nodeSelector'), k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(field.invalid(p.child('nodeSelector'), v, m));
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    errs.push(field.invalid(p.child('terminationGracePeriodSeconds'), spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds <= 0) {
    errs.push(field.invalid(p.child('activeDeadlineSeconds'), spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName) for (const m of isDNS1123Subdomain(spec.serviceAccountName)) errs.push(field.invalid(p.child('serviceAccountName'), spec.serviceAccountName, m));
  asList(spec.tolerations).forEach((t, i) => {
    const tp = p.child('tolerations').index(i);
    if (t.operator !== undefined && !['Equal', 'Exists'].includes(String(t.operator))) errs.push(field.notSupported(tp.child('operator'), t.operator, ['Equal', 'Exists']));
    if (t.effect !== undefined && t.effect !== '' && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(String(t.effect))) {
      errs.push(field.notSupported(tp.child('effect'), t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
    }
  });
  return errs;
}

/** metav1.LabelSelector validation with the options the apps kinds use (invalid label values rejected). */
// Upstream: apimachinery apis/meta/v1/validation (ValidateLabelSelector)
export function validateLabelSelector(sel: Obj, p: Path): FieldError[] {
  return validateMetaLabelSelector(sel as LabelSelector, { allowInvalidLabelValueInSelector: false }, p);
}

/** Whether a metav1.LabelSelector selects a label set (nil selects nothing, `{}` everything; an invalid one nothing). */
// Upstream: apimachinery apis/meta/v1/helpers.go (LabelSelectorAsSelector)
export function selectorMatches(sel: Obj | undefined, labels: Record<string, string> | undefined): boolean {
  try {
    return labelSelectorAsSelector(sel as LabelSelector | undefined).matches(labels ?? {});
  } catch {
    return false;
  }
}

// ---- defaulting ---------------------------------------------------------------------------------

/** Go: `SetDefaults_PodSpec` + `SetDefaults_Container` + `SetDefaults_ContainerPort`. */
// Upstream: core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_ContainerPort)
export function defaultPodSpec(spec: Obj): void {
  if (spec.dnsPolicy === undefined) spec.dnsPolicy = 'ClusterFirst';
  if (spec.restartPolicy === undefined) spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined) spec.terminationGracePeriodSeconds = 30;
  if (spec.schedulerName === undefined) spec.schedulerName = 'default-scheduler';
  for (const list of ['initContainers', 'containers']) {
    for (const c of asList(spec[list])) {
      if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
        const tag = c.image.includes('@') ? '' : (c.image.split('/').pop() ?? '').split(':')[1];
        c.imagePullPolicy = c.image.includes('@') ? 'IfNotPresent' : !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
      }
      if (c.terminationMessagePath === undefined) c.terminationMessagePath = '/dev/termination-log';
      if (c.terminationMessagePolicy === undefined) c.terminationMessagePolicy = 'File';
      if (c.resources === undefined) c.resources = {};
      for (const port of asList(c.ports)) if (port.protocol === undefined) port.protocol = 'TCP';
    }
  }
}

/** Go: `SetDefaults_Pod` (a Pod, not a template): service links on, requests from limits where unset. */
// Upstream: core/v1/defaults.go (SetDefaults_Pod)
export function defaultPod(spec: Obj): void {
  for (const list of ['initContainers', 'containers']) {
    for (const c of asList(spec[list])) {
      const r = asObj(c.resources);
      const limits = asObj(r.limits);
      if (Object.keys(limits).length > 0) {
        const requests = asObj(r.requests);
        for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
        r.requests = requests;
        c.resources = r;
      }
    }
  }
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
}

/**
 * What admission adds to every pod the labs create: the default service account (the not-ready /
 * unreachable tolerations come from admission/default_toleration_seconds.ts, priority from
 * admission/priority.ts).
 */
// Upstream: kubernetes plugin/pkg/admission/serviceaccount (default account)
export function admitPodDefaults(spec: Obj): void {
  if (spec.serviceAccountName === undefined || spec.serviceAccountName === '') spec.serviceAccountName = 'default';
  if (spec.serviceAccount === undefined) spec.serviceAccount = spec.serviceAccountName;
}

// ---- strategies --------------------------------------------------------------------------------

/** A strategy with the defaults most kinds share (namespaced, no create-on-update, conditional updates). */
export function strategy(s: Partial<Strategy> & Pick<Strategy, 'validate'> & { objectMeta?: 'kube' | 'none' }): Strategy {
  const { objectMeta = 'kube', ...rest } = s;
  const merged = {
    namespaced: true,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    validateName: nameIsDNSSubdomain,
    prepareForCreate: () => {},
    prepareForUpdate: () => {},
    validateUpdate: (obj: KubeObject) => s.validate(obj),
    ...rest,
  } as Strategy;
  if (objectMeta === 'none') return merged;
  // Every built-in kind's ValidateXxx starts with core's ValidateObjectMeta (Go: e.g. ValidatePodCreate,
  // ValidateConfigMap, ValidateDeployment), so metadata errors come first, beside the spec's.
  // ('none': the kind's validate checks the metadata itself, as CRDs and custom resources do.)
  const validate = merged.validate;
  merged.validate = (obj) => [...validateKubeObjectMeta(obj.metadata, merged.namespaced, merged.validateName), ...validate(obj)];
  return merged;
}

/** A status subresource's strategy: the spec and most of the metadata stay as stored. */
// Upstream: apimachinery apis/meta/v1 (ResetObjectMetaForStatus) and each kind's statusStrategy.PrepareForUpdate
export function statusStrategy(main: Strategy, extra?: { prepare?: (obj: KubeObject, old: KubeObject) => void; validateUpdate?: (obj: KubeObject, old: KubeObject) => FieldError[]; /** Metadata a status write may change (the Deployment's status strategy keeps only spec and labels). */ writableMetadata?: ReadonlyArray<'annotations'> }): Strategy {
  return {
    ...main,
    prepareForUpdate(obj, old) {
      const keep: Array<keyof KubeObject> = Object.keys(old).filter((k) => k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind');
      for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
      for (const k of keep) obj[k] = deepCopy(old[k]);
      const m = obj.metadata;
      const o = old.metadata;
      for (const f of ['deletionTimestamp', 'generation', 'selfLink', 'labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
        if ((extra?.writableMetadata as readonly string[] | undefined)?.includes(f)) continue;
        if (o[f] === undefined) delete m[f];
        else m[f] = deepCopy(o[f]) as never;
      }
      extra?.prepare?.(obj, old);
    },
    validateUpdate: (obj, old) => extra?.validateUpdate?.(obj, old) ?? [],
  };
}

/** Generation 1 on create, +1 whenever `changed(new, old)` (Go: each kind's PrepareForUpdate). */
export function bumpGenerationIf(obj: KubeObject, old: KubeObject, changed: boolean): void {
  obj.metadata.generation = (old.metadata.generation ?? 0) + (changed ? 1 : 0);
}

