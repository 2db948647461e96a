/**
 * Kinds and resources: GroupVersionKind / GroupVersionResource, the built-in kinds the labs use
 * (names, short names, scope, as kube-apiserver v1.34 serves them in discovery), a RESTMapper
 * (apimachinery's DefaultRESTMapper) that CustomResourceDefinitions extend at run time, and
 * `kubectl api-resources` from it.
 * Upstream: apimachinery pkg/runtime/schema/group_version.go, pkg/api/meta/restmapper.go,
 * pkg/api/meta/errors.go, pkg/version/helpers.go (CompareKubeAwareVersionStrings);
 * kubernetes pkg/registry/<kind>/storage (ShortNames, Categories); kubectl v0.34.0
 * pkg/cmd/apiresources (RunAPIResources, HumanReadablePrinter); cli-runtime printers (tab writer).
 */
import { UsageError } from '../core/errors';
import { compareGoStrings, goQuote, sliceStable, tabwriter } from './go';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, type ValidateNameFunc } from './validation';

/** schema.GroupVersionKind. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** schema.GroupVersionResource. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** schema.GroupVersion. */
export interface GroupVersion {
  group: string;
  version: string;
}

/** `apps/v1`, `v1`. Upstream: group_version.go (GroupVersion.String) */
export function groupVersionString(gv: GroupVersion): string {
  return gv.group.length > 0 ? `${gv.group}/${gv.version}` : gv.version;
}

/** `apps/v1, Kind=Deployment`. Upstream: group_version.go (GroupVersionKind.String) */
export function gvkString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}

/** `apps/v1, Resource=deployments`. Upstream: group_version.go (GroupVersionResource.String) */
export function gvrString(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
}

/**
 * `apps/v1` -> `{ group: 'apps', version: 'v1' }`, `v1` -> core; throws
 * `unexpected GroupVersion string: a/b/c` for more than one slash. Upstream: group_version.go (ParseGroupVersion)
 */
export function parseGroupVersion(gv: string): GroupVersion {
  if (gv.length === 0 || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new Error(`unexpected GroupVersion string: ${gv}`);
}

/** The GVK of an object's `apiVersion` and `kind`. Upstream: group_version.go (FromAPIVersionAndKind) */
export function gvkFromAPIVersionAndKind(apiVersion: string, kind: string): GroupVersionKind {
  try {
    return { ...parseGroupVersion(apiVersion), kind };
  } catch {
    return { group: '', version: '', kind };
  }
}

/** The name kinds and resources are scoped by (Go: `meta.RESTScopeName`). */
export type RESTScopeName = 'namespace' | 'root';

/** A kind, its resource, and how its objects are named (Go: `meta.RESTMapping`). */
export interface RESTMapping {
  resource: GroupVersionResource;
  groupVersionKind: GroupVersionKind;
  scope: RESTScopeName;
}

/** `no matches for kind "Foo" in version "example.com/v1"`. Upstream: meta/errors.go (NoKindMatchError) */
export class NoKindMatchError extends Error {
  constructor(
    readonly groupKind: { group: string; kind: string },
    readonly searchedVersions: readonly string[] = [],
  ) {
    const versions = [...new Set(searchedVersions.map((v) => groupVersionString({ group: groupKind.group, version: v })))].sort(compareGoStrings);
    let msg: string;
    if (versions.length === 0) msg = `no matches for kind ${goQuote(groupKind.kind)} in group ${goQuote(groupKind.group)}`;
    else if (versions.length === 1) msg = `no matches for kind ${goQuote(groupKind.kind)} in version ${goQuote(versions[0])}`;
    else msg = `no matches for kind ${goQuote(groupKind.kind)} in versions [${versions.map(goQuote).join(' ')}]`;
    super(msg);
    this.name = 'NoKindMatchError';
  }
}

/** `no matches for /, Resource=foos`. Upstream: meta/errors.go (NoResourceMatchError) */
export class NoResourceMatchError extends Error {
  constructor(readonly partialResource: GroupVersionResource) {
    super(`no matches for ${gvrString(partialResource)}`);
    this.name = 'NoResourceMatchError';
  }
}

/** A partial resource that names several. Upstream: meta/errors.go (AmbiguousResourceError) */
export class AmbiguousResourceError extends Error {
  constructor(
    readonly partialResource: GroupVersionResource,
    readonly matchingResources: readonly GroupVersionResource[] = [],
    readonly matchingKinds: readonly GroupVersionKind[] = [],
  ) {
    const p = gvrString(partialResource);
    const rs = `[${matchingResources.map(gvrString).join(' ')}]`;
    const ks = `[${matchingKinds.map(gvkString).join(' ')}]`;
    let msg: string;
    if (matchingKinds.length > 0 && matchingResources.length > 0) msg = `${p} matches multiple resources ${rs} and kinds ${ks}`;
    else if (matchingKinds.length > 0) msg = `${p} matches multiple kinds ${ks}`;
    else if (matchingResources.length > 0) msg = `${p} matches multiple resources ${rs}`;
    else msg = `${p} matches multiple resources or kinds`;
    super(msg);
    this.name = 'AmbiguousResourceError';
  }
}

/** Go's `meta.IsAmbiguousError`. */
export function isAmbiguousError(err: unknown): boolean {
  return err instanceof AmbiguousResourceError;
}

/** Go's `meta.IsNoMatchError`. */
export function isNoMatchError(err: unknown): boolean {
  return err instanceof NoKindMatchError || err instanceof NoResourceMatchError;
}

const gvrKey = (r: GroupVersionResource) => `${r.group}/${r.version}/${r.resource}`;
const gvkKey = (k: GroupVersionKind) => `${k.group}/${k.version}/${k.kind}`;
const sameGV = (a: GroupVersion, b: GroupVersion) => a.group === b.group && a.version === b.version;

/**
 * The lower-cased kind and its guessed plural (`Endpoints` stays, `Policy` -> `policies`, `Ingress`
 * -> `ingresses`). Upstream: restmapper.go (UnsafeGuessKindToResource)
 */
export function unsafeGuessKindToResource(kind: GroupVersionKind): { plural: GroupVersionResource; singular: GroupVersionResource } {
  const gv = { group: kind.group, version: kind.version };
  if (kind.kind.length === 0) return { plural: { group: '', version: '', resource: '' }, singular: { group: '', version: '', resource: '' } };
  const singularName = kind.kind.toLowerCase();
  const singular = { ...gv, resource: singularName };
  if (singularName.endsWith('endpoints')) return { plural: singular, singular };
  const last = singularName[singularName.length - 1];
  if (last === 's') return { plural: { ...gv, resource: `${singularName}es` }, singular };
  if (last === 'y') return { plural: { ...gv, resource: `${singularName.slice(0, -1)}ies` }, singular };
  return { plural: { ...gv, resource: `${singularName}s` }, singular };
}

/**
 * apimachinery's DefaultRESTMapper: kinds to resources and back, with the default group versions
 * deciding the order of several matches. Go iterates its maps in random order; this mapper keeps
 * insertion order, and sorts matches as upstream does.
 * Upstream: apimachinery pkg/api/meta/restmapper.go (DefaultRESTMapper)
 */
export class RESTMapper {
  readonly #defaultGroupVersions: GroupVersion[];
  readonly #resourceToKind = new Map<string, { gvr: GroupVersionResource; gvk: GroupVersionKind }>();
  readonly #kindToPluralResource = new Map<string, { gvk: GroupVersionKind; gvr: GroupVersionResource }>();
  readonly #kindToScope = new Map<string, RESTScopeName>();
  readonly #pluralToSingular = new Map<string, { plural: GroupVersionResource; singular: GroupVersionResource }>();

  constructor(defaultGroupVersions: GroupVersion[] = []) {
    this.#defaultGroupVersions = [...defaultGroupVersions];
  }

  /** Upstream: restmapper.go (DefaultRESTMapper.Add) */
  add(kind: GroupVersionKind, scope: RESTScopeName): void {
    const { plural, singular } = unsafeGuessKindToResource(kind);
    this.addSpecific(kind, plural, singular, scope);
  }

  /** Upstream: restmapper.go (DefaultRESTMapper.AddSpecific) */
  addSpecific(kind: GroupVersionKind, plural: GroupVersionResource, singular: GroupVersionResource, scope: RESTScopeName): void {
    this.#pluralToSingular.set(gvrKey(plural), { plural, singular });
    this.#resourceToKind.set(gvrKey(singular), { gvr: singular, gvk: kind });
    this.#resourceToKind.set(gvrKey(plural), { gvr: plural, gvk: kind });
    this.#kindToPluralResource.set(gvkKey(kind), { gvk: kind, gvr: plural });
    this.#kindToScope.set(gvkKey(kind), scope);
  }

  /** Removes a kind and its resources (for a deleted CRD; upstream rebuilds its mapper instead). */
  remove(kind: GroupVersionKind): void {
    const plural = this.#kindToPluralResource.get(gvkKey(kind))?.gvr;
    if (!plural) return;
    const singular = this.#pluralToSingular.get(gvrKey(plural))?.singular;
    this.#pluralToSingular.delete(gvrKey(plural));
    this.#resourceToKind.delete(gvrKey(plural));
    if (singular) this.#resourceToKind.delete(gvrKey(singular));
    this.#kindToPluralResource.delete(gvkKey(kind));
    this.#kindToScope.delete(gvkKey(kind));
  }

  /** Adds a default group version (a CRD's group) to the end of the preference order. */
  addDefaultGroupVersion(gv: GroupVersion): void {
    if (!this.#defaultGroupVersions.some((x) => sameGV(x, gv))) this.#defaultGroupVersions.push(gv);
  }

  /** Sorts by the default group versions (earlier first), then by name within one group version. */
  #sort<T extends GroupVersion>(list: T[], name: (x: T) => string): T[] {
    const indexOf = (gv: GroupVersion) => {
      let idx = -1;
      this.#defaultGroupVersions.forEach((d, i) => {
        if (sameGV(d, gv)) idx = i;
      });
      return idx;
    };
    sliceStable(list, (lhs, rhs) => {
      if (sameGV(lhs, rhs) && name(lhs) === name(rhs)) return false;
      if (sameGV(lhs, rhs)) return compareGoStrings(name(lhs), name(rhs)) < 0;
      const ri = indexOf(rhs);
      if (ri === -1) return true;
      return indexOf(lhs) < ri;
    });
    return list;
  }

  /** The plural resources a partial resource names (any of group, version may be empty). Upstream: restmapper.go (ResourcesFor) */
  resourcesFor(input: Partial<GroupVersionResource> & { resource: string }): GroupVersionResource[] {
    const resource = { group: input.group ?? '', version: input.version === '__internal' ? '' : (input.version ?? ''), resource: input.resource.toLowerCase() };
    if (resource.resource.length === 0) throw new Error(`a resource must be present, got: ${gvrString(resource)}`);
    const ret: GroupVersionResource[] = [];
    const pairs = [...this.#pluralToSingular.values()];
    const hasGroup = resource.group.length > 0;
    const hasVersion = resource.version.length > 0;
    if (hasGroup && hasVersion) {
      for (const { plural, singular } of pairs) {
        if (gvrKey(singular) === gvrKey(resource) || gvrKey(plural) === gvrKey(resource)) {
          ret.push(plural);
          break;
        }
      }
    } else if (hasGroup) {
      let exact = false;
      for (const { plural, singular } of pairs) {
        if (singular.group === resource.group && singular.resource === resource.resource) {
          exact = true;
          ret.push(plural);
        }
        if (plural.group === resource.group && plural.resource === resource.resource) {
          exact = true;
          ret.push(plural);
        }
      }
      if (!exact) {
        for (const { plural, singular } of pairs) {
          if (!plural.group.startsWith(resource.group)) continue;
          if (singular.resource === resource.resource) ret.push(plural);
          if (plural.resource === resource.resource) ret.push(plural);
        }
      }
    } else if (hasVersion) {
      for (const { plural, singular } of pairs) {
        if (singular.version === resource.version && singular.resource === resource.resource) ret.push(plural);
        if (plural.version === resource.version && plural.resource === resource.resource) ret.push(plural);
      }
    } else {
      for (const { plural, singular } of pairs) {
        if (singular.resource === resource.resource) ret.push(plural);
        if (plural.resource === resource.resource) ret.push(plural);
      }
    }
    if (ret.length === 0) throw new NoResourceMatchError(resource);
    return this.#sort(ret, (r) => r.resource);
  }

  /** The one plural resource a partial resource names; throws when none or several. Upstream: restmapper.go (ResourceFor) */
  resourceFor(resource: Partial<GroupVersionResource> & { resource: string }): GroupVersionResource {
    const resources = this.resourcesFor(resource);
    if (resources.length === 1) return resources[0];
    throw new AmbiguousResourceError({ group: resource.group ?? '', version: resource.version ?? '', resource: resource.resource }, resources);
  }

  /** The kinds a partial resource names. Upstream: restmapper.go (KindsFor) */
  kindsFor(input: Partial<GroupVersionResource> & { resource: string }): GroupVersionKind[] {
    const resource = { group: input.group ?? '', version: input.version === '__internal' ? '' : (input.version ?? ''), resource: input.resource.toLowerCase() };
    if (resource.resource.length === 0) throw new Error(`a resource must be present, got: ${gvrString(resource)}`);
    const ret: GroupVersionKind[] = [];
    const entries = [...this.#resourceToKind.values()];
    const hasGroup = resource.group.length > 0;
    const hasVersion = resource.version.length > 0;
    if (hasGroup && hasVersion) {
      const k = this.#resourceToKind.get(gvrKey(resource));
      if (k) ret.push(k.gvk);
    } else if (hasGroup) {
      let exact = false;
      for (const { gvr, gvk } of entries) {
        if (gvr.group === resource.group && gvr.resource === resource.resource) {
          exact = true;
          ret.push(gvk);
        }
      }
      if (!exact) {
        for (const { gvr, gvk } of entries) if (gvr.group.startsWith(resource.group) && gvr.resource === resource.resource) ret.push(gvk);
      }
    } else if (hasVersion) {
      for (const { gvr, gvk } of entries) if (gvr.version === resource.version && gvr.resource === resource.resource) ret.push(gvk);
    } else {
      for (const { gvr, gvk } of entries) if (gvr.resource === resource.resource) ret.push(gvk);
    }
    if (ret.length === 0) throw new NoResourceMatchError({ group: input.group ?? '', version: input.version ?? '', resource: input.resource });
    return this.#sort(ret, (k) => k.kind);
  }

  /** The one kind a partial resource names; throws when none or several. Upstream: restmapper.go (KindFor) */
  kindFor(resource: Partial<GroupVersionResource> & { resource: string }): GroupVersionKind {
    const kinds = this.kindsFor(resource);
    if (kinds.length === 1) return kinds[0];
    throw new AmbiguousResourceError({ group: resource.group ?? '', version: resource.version ?? '', resource: resource.resource }, [], kinds);
  }

  /** The first mapping of a group kind in the versions given (or the default ones). Upstream: restmapper.go (RESTMapping) */
  restMapping(gk: { group: string; kind: string }, ...versions: string[]): RESTMapping {
    const mappings = this.restMappings(gk, ...versions);
    if (mappings.length === 0) throw new NoKindMatchError(gk, versions);
    return mappings[0];
  }

  /** Upstream: restmapper.go (RESTMappings) */
  restMappings(gk: { group: string; kind: string }, ...versions: string[]): RESTMapping[] {
    const potential: GroupVersionKind[] = [];
    let hadVersion = false;
    for (const version of versions) {
      if (version.length === 0 || version === '__internal') continue;
      const cur = { ...gk, version };
      hadVersion = true;
      if (this.#kindToPluralResource.has(gvkKey(cur))) {
        potential.push(cur);
        break;
      }
    }
    if (!hadVersion && potential.length === 0) {
      for (const gv of this.#defaultGroupVersions) if (gv.group === gk.group) potential.push({ ...gk, version: gv.version });
    }
    if (potential.length === 0) throw new NoKindMatchError(gk, versions);
    const mappings: RESTMapping[] = [];
    for (const gvk of potential) {
      const res = this.#kindToPluralResource.get(gvkKey(gvk));
      if (!res) continue;
      const scope = this.#kindToScope.get(gvkKey(gvk));
      if (!scope) throw new Error(`the provided version ${goQuote(groupVersionString(gvk))} and kind ${goQuote(gvk.kind)} cannot be mapped to a supported scope`);
      mappings.push({ resource: res.gvr, groupVersionKind: gvk, scope });
    }
    if (mappings.length === 0) throw new NoResourceMatchError({ group: gk.group, version: '', resource: gk.kind });
    return mappings;
  }

  /** The singular of a resource (`pods` -> `pod`). Upstream: restmapper.go (ResourceSingularizer) */
  resourceSingularizer(resourceType: string): string {
    const resources = this.resourcesFor({ resource: resourceType });
    let singular: GroupVersionResource | undefined;
    for (const cur of resources) {
      const s = this.#pluralToSingular.get(gvrKey(cur))?.singular;
      if (!s) continue;
      if (!singular) {
        singular = s;
        continue;
      }
      if (s.resource !== singular.resource) throw new Error(`multiple possible singular resources (${resources.map(gvrString).join(' ')}) found for ${resourceType}`);
    }
    if (!singular) throw new Error(`no singular of resource ${resourceType} has been defined`);
    return singular.resource;
  }
}

// ---------------------------------------------------------------------------------------------
// The kinds kube-apiserver serves here.

/** What discovery says of a resource (metav1.APIResource), plus how its object names are checked. */
export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  /** The plural resource name (`pods`). */
  plural: string;
  /** The singular resource name (`pod`). */
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  verbs: string[];
  categories: string[];
  /** Subresources served (`status`, `scale`, ...). */
  subresources: string[];
  /** The name rule its registry validates names with. */
  nameValidation: 'DNSSubdomain' | 'DNSLabel' | 'DNS1035Label';
  /** The CRD this kind comes from (`widgets.example.com`), for custom resources. */
  crd?: string;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function builtin(group: string, kind: string, plural: string, shortNames: string[], namespaced: boolean, extra: Partial<KindInfo> = {}): KindInfo {
  return {
    group,
    version: 'v1',
    kind,
    plural,
    singular: extra.singular ?? kind.toLowerCase(),
    shortNames,
    namespaced,
    verbs: VERBS,
    categories: [],
    subresources: [],
    nameValidation: 'DNSSubdomain',
    ...extra,
  };
}

/**
 * The built-in kinds the labs use, as kube-apiserver v1.34 serves them (shortNames and categories
 * from each registry's storage; names as discovery reports them).
 * Upstream: kubernetes pkg/registry/{core,apps,discovery,coordination,events,policy,scheduling,storage}/<kind>/storage/storage.go
 * (ShortNames, Categories), apiextensions-apiserver pkg/registry/customresourcedefinition/etcd.go
 */
export const BUILTIN_KINDS: readonly KindInfo[] = [
  builtin('', 'ConfigMap', 'configmaps', ['cm'], true),
  builtin('', 'Endpoints', 'endpoints', ['ep'], true, { singular: 'endpoints' }),
  builtin('', 'Event', 'events', ['ev'], true),
  builtin('', 'Namespace', 'namespaces', ['ns'], false, { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: ['finalize', 'status'], nameValidation: 'DNSLabel' }),
  builtin('', 'Node', 'nodes', ['no'], false, { subresources: ['proxy', 'status'] }),
  builtin('', 'PersistentVolume', 'persistentvolumes', ['pv'], false, { subresources: ['status'] }),
  builtin('', 'PersistentVolumeClaim', 'persistentvolumeclaims', ['pvc'], true, { subresources: ['status'] }),
  builtin('', 'Pod', 'pods', ['po'], true, {
    categories: ['all'],
    subresources: ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'resize', 'status'],
  }),
  builtin('', 'Secret', 'secrets', [], true),
  builtin('', 'Service', 'services', ['svc'], true, {
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    categories: ['all'],
    subresources: ['proxy', 'status'],
    nameValidation: 'DNS1035Label',
  }),
  builtin('apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', ['crd', 'crds'], false, { categories: ['api-extensions'], subresources: ['status'] }),
  builtin('apps', 'Deployment', 'deployments', ['deploy'], true, { categories: ['all'], subresources: ['scale', 'status'] }),
  builtin('apps', 'ReplicaSet', 'replicasets', ['rs'], true, { categories: ['all'], subresources: ['scale', 'status'] }),
  builtin('apps', 'StatefulSet', 'statefulsets', ['sts'], true, { categories: ['all'], subresources: ['scale', 'status'] }),
  builtin('apps', 'ControllerRevision', 'controllerrevisions', [], true),
  builtin('apps', 'DaemonSet', 'daemonsets', ['ds'], true, { categories: ['all'], subresources: ['status'] }),
  builtin('autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa'], true, { version: 'v2', categories: ['all'], subresources: ['status'] }),
  builtin('batch', 'Job', 'jobs', [], true, { categories: ['all'], subresources: ['status'] }),
  builtin('coordination.k8s.io', 'Lease', 'leases', [], true),
  builtin('discovery.k8s.io', 'EndpointSlice', 'endpointslices', [], true),
  builtin('events.k8s.io', 'Event', 'events', ['ev'], true),
  builtin('policy', 'PodDisruptionBudget', 'poddisruptionbudgets', ['pdb'], true, { subresources: ['status'] }),
  builtin('scheduling.k8s.io', 'PriorityClass', 'priorityclasses', ['pc'], false),
  builtin('storage.k8s.io', 'StorageClass', 'storageclasses', ['sc'], false),
];

/** The group versions in kube-apiserver's preference order (the legacy group first). */
const BUILTIN_GROUP_VERSIONS: GroupVersion[] = [
  { group: '', version: 'v1' },
  { group: 'apps', version: 'v1' },
  { group: 'events.k8s.io', version: 'v1' },
  { group: 'autoscaling', version: 'v2' },
  { group: 'autoscaling', version: 'v1' },
  { group: 'batch', version: 'v1' },
  { group: 'policy', version: 'v1' },
  { group: 'storage.k8s.io', version: 'v1' },
  { group: 'scheduling.k8s.io', version: 'v1' },
  { group: 'coordination.k8s.io', version: 'v1' },
  { group: 'discovery.k8s.io', version: 'v1' },
  { group: 'apiextensions.k8s.io', version: 'v1' },
];

/** The name check of a kind. */
export function nameValidationFunc(info: Pick<KindInfo, 'nameValidation'>): ValidateNameFunc {
  switch (info.nameValidation) {
    case 'DNSLabel':
      return nameIsDNSLabel;
    case 'DNS1035Label':
      return nameIsDNS1035Label;
    default:
      return nameIsDNSSubdomain;
  }
}

/**
 * Kube-aware version order: GA before beta before alpha, then by number (`v1` > `v1beta2` >
 * `v1beta1` > `v1alpha1`); other strings after, in reverse lexical order.
 * Upstream: apimachinery pkg/version/helpers.go (CompareKubeAwareVersionStrings)
 */
export function compareKubeAwareVersionStrings(v1: string, v2: string): number {
  if (v1 === v2) return 0;
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), type: m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, minor: m[3] ? Number(m[3]) : 0 };
  };
  const a = parse(v1);
  const b = parse(v2);
  if (!a && !b) return compareGoStrings(v2, v1);
  if (!a) return -1;
  if (!b) return 1;
  if (a.type !== b.type) return a.type - b.type;
  if (a.major !== b.major) return a.major - b.major;
  return a.minor - b.minor;
}

/** A CRD as far as the registry reads it. */
export interface CRDNames {
  metadata: { name?: string };
  spec: {
    group: string;
    scope: string;
    names: { plural: string; singular?: string; kind: string; shortNames?: string[]; categories?: string[] };
    versions: Array<{ name: string; served: boolean; storage?: boolean; subresources?: { status?: object; scale?: object } }>;
  };
}

/** One row of `kubectl api-resources`. */
export interface APIResourceRow {
  name: string;
  /** The group, for `-o name` (`deployments.apps`). */
  group: string;
  shortNames: string[];
  apiVersion: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  categories: string[];
}

/**
 * The kinds served (built-ins plus CRDs added at run time) and the RESTMapper over them. Short
 * names resolve like kubectl's shortcut expander; `lookupResource` picks among groups by
 * preference like kubectl's priority mapper, where the strict `mapper.resourceFor` would call
 * `events` ambiguous.
 */
export class KindRegistry {
  readonly #kinds: KindInfo[] = [];
  #mapper = new RESTMapper(BUILTIN_GROUP_VERSIONS);

  constructor(kinds: readonly KindInfo[] = BUILTIN_KINDS) {
    for (const k of kinds) this.register(k);
  }

  /** The RESTMapper over every registered kind. */
  get mapper(): RESTMapper {
    return this.#mapper;
  }

  /** Every registered kind, in registration order. */
  list(): KindInfo[] {
    return [...this.#kinds];
  }

  /** Registers a kind (replacing one with the same group, version and kind). */
  register(info: KindInfo): void {
    this.unregister(info);
    this.#kinds.push({ ...info, shortNames: [...info.shortNames], verbs: [...info.verbs], categories: [...info.categories], subresources: [...info.subresources] });
    const gvk = { group: info.group, version: info.version, kind: info.kind };
    this.#mapper.addDefaultGroupVersion({ group: info.group, version: info.version });
    this.#mapper.addSpecific(gvk, { group: info.group, version: info.version, resource: info.plural }, { group: info.group, version: info.version, resource: info.singular }, info.namespaced ? 'namespace' : 'root');
  }

  /** Removes a kind. */
  unregister(gvk: GroupVersionKind): void {
    const i = this.#kinds.findIndex((k) => k.group === gvk.group && k.version === gvk.version && k.kind === gvk.kind);
    if (i >= 0) this.#kinds.splice(i, 1);
    this.#mapper.remove({ group: gvk.group, version: gvk.version, kind: gvk.kind });
  }

  /**
   * Serves a CRD's kind in each served version (as the apiextensions-apiserver does once the CRD is
   * Established); the versions are ordered kube-aware, the preferred first.
   */
  addCRD(crd: CRDNames): KindInfo[] {
    this.removeCRD(crd);
    const { group, names, scope } = crd.spec;
    if (!group || !names?.plural || !names.kind) throw new UsageError('addCRD: the CRD needs spec.group, spec.names.plural and spec.names.kind');
    const versions = [...crd.spec.versions.filter((v) => v.served)].sort((a, b) => compareKubeAwareVersionStrings(b.name, a.name));
    const added: KindInfo[] = [];
    for (const v of versions) {
      const subresources = [...(v.subresources?.scale ? ['scale'] : []), ...(v.subresources?.status ? ['status'] : [])];
      const info: KindInfo = {
        group,
        version: v.name,
        kind: names.kind,
        plural: names.plural,
        singular: names.singular || names.kind.toLowerCase(),
        shortNames: names.shortNames ?? [],
        namespaced: scope === 'Namespaced',
        verbs: VERBS,
        categories: names.categories ?? [],
        subresources,
        nameValidation: 'DNSSubdomain',
        crd: crd.metadata.name ?? `${names.plural}.${group}`,
      };
      this.register(info);
      added.push(info);
    }
    return added;
  }

  /** Stops serving a CRD's kind. */
  removeCRD(crd: Pick<CRDNames, 'metadata' | 'spec'>): void {
    const name = crd.metadata.name ?? `${crd.spec.names.plural}.${crd.spec.group}`;
    for (const k of this.#kinds.filter((x) => x.crd === name)) this.unregister(k);
  }

  /** A kind by GVK (or by group and kind in its preferred version). */
  byKind(gvk: { group: string; version?: string; kind: string }): KindInfo | undefined {
    const matches = this.#kinds.filter((k) => k.group === gvk.group && k.kind === gvk.kind && (!gvk.version || k.version === gvk.version));
    return this.#preferred(matches);
  }

  /** A kind by its resource in a group version. */
  byResource(gvr: GroupVersionResource): KindInfo | undefined {
    return this.#kinds.find((k) => k.group === gvr.group && k.version === gvr.version && k.plural === gvr.resource);
  }

  /** The preferred version of each group first, registration order otherwise. */
  #preferred(matches: KindInfo[]): KindInfo | undefined {
    return [...matches].sort((a, b) => compareKubeAwareVersionStrings(b.version, a.version))[0];
  }

  /**
   * Resolves what a user types (`po`, `pods`, `pod`, `deployments.apps`, `deploy.v1.apps`,
   * `Deployment`) to a kind, as kubectl's builder does: the argument is read as
   * `resource.version.group` (two dots or more), then as `resource.group`; in each reading a short
   * name expands unless the resource is some kind's plural or singular name; among several matching
   * groups the one discovery lists first wins (core first, CRD groups last) and within a group the
   * preferred version. Last the argument is tried as a kind (`Kind.version.group`, `Kind.group`).
   * Throws the RESTMapper's `NoResourceMatchError` when nothing matches; kubectl words that as
   * `the server doesn't have a resource type "<resource>"`.
   * Upstream: cli-runtime pkg/resource/builder.go (mappingFor), client-go restmapper/shortcut.go
   * (expandResourceShortcut), apimachinery pkg/runtime/schema/group_version.go (ParseResourceArg,
   * ParseKindArg), meta/priority.go (PriorityRESTMapper.KindFor)
   */
  lookupResource(arg: string): KindInfo {
    const dots = arg.split('.');
    const readings: GroupVersionResource[] = [];
    if (dots.length >= 3) readings.push({ resource: dots[0], version: dots[1], group: dots.slice(2).join('.') });
    const i = arg.indexOf('.');
    const groupResource = i >= 0 ? { group: arg.slice(i + 1), version: '', resource: arg.slice(0, i) } : { group: '', version: '', resource: arg };
    readings.push(groupResource);
    for (const r of readings) {
      const expanded = this.#expandShortcut(r);
      let kinds: GroupVersionKind[];
      try {
        kinds = this.#mapper.kindsFor(expanded);
      } catch {
        continue;
      }
      const found = this.#byPriority(kinds.map((gvk) => this.byKind(gvk)).filter((k): k is KindInfo => k !== undefined));
      if (found) return found;
    }
    // The argument as a kind.
    const kindReadings: Array<{ group: string; version?: string; kind: string }> = [];
    if (dots.length >= 3) kindReadings.push({ kind: dots[0], version: dots[1], group: dots.slice(2).join('.') });
    kindReadings.push(i >= 0 ? { kind: arg.slice(0, i), group: arg.slice(i + 1) } : { kind: arg, group: '' });
    for (const k of kindReadings) {
      const found = this.byKind(k);
      if (found) return found;
    }
    throw new NoResourceMatchError({ group: groupResource.group, version: '', resource: groupResource.resource.toLowerCase() });
  }

  /** Upstream: client-go restmapper/shortcut.go (expandResourceShortcut) */
  #expandShortcut(r: GroupVersionResource): GroupVersionResource {
    const inGroup = (k: KindInfo) => r.group.length === 0 || r.group === k.group;
    if (this.#kinds.some((k) => inGroup(k) && (k.plural === r.resource || k.singular === r.resource))) return r;
    const byShort = this.#byPriority(this.#kinds.filter((k) => inGroup(k) && k.shortNames.includes(r.resource)));
    if (byShort) return { ...r, group: byShort.group, resource: byShort.plural };
    if (r.group.length === 0) return r;
    const byPrefix = this.#kinds.find((k) => k.group.startsWith(r.group) && k.shortNames.includes(r.resource));
    return byPrefix ? { ...r, group: byPrefix.group, resource: byPrefix.plural } : r;
  }

  /** The kind whose group discovery lists first (built-in order, then CRD groups), in its preferred version. */
  #byPriority(candidates: KindInfo[]): KindInfo | undefined {
    const rank = (k: KindInfo) => {
      const idx = BUILTIN_GROUP_VERSIONS.findIndex((gv) => gv.group === k.group);
      return idx < 0 ? BUILTIN_GROUP_VERSIONS.length : idx;
    };
    return [...candidates].sort((a, b) => rank(a) - rank(b) || compareKubeAwareVersionStrings(b.version, a.version))[0];
  }

  /**
   * The rows of `kubectl api-resources`: each group's preferred version, kinds without verbs left
   * out, filtered like `--namespaced`, `--api-group`, `--verbs` and `--categories` (every one
   * given must be present), sorted by group (or `sortBy` name or kind), then by name.
   * Upstream: kubectl pkg/cmd/apiresources/apiresources.go (RunAPIResources, sortableResource)
   */
  apiResources(opts: { namespaced?: boolean; apiGroup?: string; verbs?: readonly string[]; categories?: readonly string[]; sortBy?: 'name' | 'kind' } = {}): APIResourceRow[] {
    const preferred = new Map<string, string>();
    for (const k of this.#kinds) {
      const cur = preferred.get(k.group);
      if (cur === undefined || compareKubeAwareVersionStrings(k.version, cur) > 0) preferred.set(k.group, k.version);
    }
    const rows: APIResourceRow[] = this.#kinds
      .filter((k) => preferred.get(k.group) === k.version && k.verbs.length > 0)
      .filter((k) => opts.apiGroup === undefined || k.group === opts.apiGroup)
      .filter((k) => opts.namespaced === undefined || k.namespaced === opts.namespaced)
      .filter((k) => (opts.verbs ?? []).every((v) => k.verbs.includes(v)))
      .filter((k) => (opts.categories ?? []).every((c) => k.categories.includes(c)))
      .map((k) => ({
        name: k.plural,
        group: k.group,
        shortNames: [...k.shortNames],
        apiVersion: groupVersionString(k),
        namespaced: k.namespaced,
        kind: k.kind,
        verbs: [...k.verbs],
        categories: [...k.categories],
      }));
    const key = (r: APIResourceRow) => (opts.sortBy === 'name' ? r.name : opts.sortBy === 'kind' ? r.kind : r.group);
    sliceStable(rows, (a, b) => {
      const c = compareGoStrings(key(a), key(b));
      if (c > 0) return false;
      if (c === 0) return compareGoStrings(a.name, b.name) < 0;
      return true;
    });
    return rows;
  }
}

/** A registry of the built-in kinds. */
export function newKindRegistry(kinds: readonly KindInfo[] = BUILTIN_KINDS): KindRegistry {
  return new KindRegistry(kinds);
}

/**
 * `kubectl api-resources` text: `NAME  SHORTNAMES  APIVERSION  NAMESPACED  KIND` (plus `VERBS
 * CATEGORIES` for `-o wide`) through kubectl's tab writer, or one `name[.group]` a line for `-o name`.
 * Upstream: kubectl pkg/cmd/apiresources/apiresources.go (printContextHeaders), print_flags.go
 * (HumanReadablePrinter, NamePrinter)
 */
export function formatAPIResources(rows: readonly APIResourceRow[], opts: { output?: '' | 'wide' | 'name'; wide?: boolean; noHeaders?: boolean } = {}): string {
  const output = opts.output ?? (opts.wide ? 'wide' : '');
  if (output === 'name') return rows.map((r) => `${r.group ? `${r.name}.${r.group}` : r.name}\n`).join('');
  const wide = output === 'wide';
  const lines: string[] = [];
  if (!opts.noHeaders) lines.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])].join('\t'));
  for (const r of rows) {
    const cells = [r.name, r.shortNames.join(','), r.apiVersion, String(r.namespaced), r.kind];
    if (wide) cells.push(r.verbs.join(','), r.categories.join(','));
    lines.push(cells.join('\t'));
  }
  return tabwriter(lines);
}

/** Go's `meta` RESTMapper and `schema` group/version helpers, with the kind registry, for `import { meta } from 'kubelab'`. */
export const meta = {
  RESTMapper,
  KindRegistry,
  newKindRegistry,
  BUILTIN_KINDS,
  formatAPIResources,
  nameValidationFunc,
  parseGroupVersion,
  gvkFromAPIVersionAndKind,
  groupVersionString,
  gvkString,
  gvrString,
  unsafeGuessKindToResource,
  compareKubeAwareVersionStrings,
  NoKindMatchError,
  NoResourceMatchError,
  AmbiguousResourceError,
  isNoMatchError,
  isAmbiguousError,
} as const;
