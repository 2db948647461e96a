/**
 * The discovery documents: `/api` (APIVersions), `/apis` (APIGroupList), `/apis/<group>`
 * (APIGroup), `/api/v1` and `/apis/<group>/<version>` (APIResourceList), the aggregated
 * discovery (`apidiscovery.k8s.io/v2` APIGroupDiscoveryList, when the request's Accept asks for
 * it), and `/version`.
 * Upstream: apiserver pkg/endpoints/discovery/legacy.go, root.go, group.go, version.go,
 * discovery/aggregated/handler.go, pkg/endpoints/installer.go (the APIResource entries and their
 * verbs), kubernetes pkg/controlplane (the groups a v1.34 kube-apiserver serves, in priority order)
 */
import { compareKubeAwareVersionStrings } from '../../apimachinery/kinds';
import { encodeByteString } from '../base64';
import { apiVersionOf, type ResourceDef } from '../registry/resource';

/** The address the apiserver advertises (Go: `serverAddressByClientCIDRs`). */
export const SERVER_ADDRESS = '10.0.0.1:6443';

/** The priority order of groups in /apis (Go: kube-apiserver's group priorities). */
const GROUP_ORDER = ['apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io', 'flowcontrol.apiserver.k8s.io'];

function groupRank(g: string): number {
  const i = GROUP_ORDER.indexOf(g);
  return i < 0 ? GROUP_ORDER.length : i;
}

/** The subresource entries a resource has (`pods/status`, `deployments/scale`, ...). */
export interface SubresourceDef {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ServedResource {
  def: ResourceDef;
  subresources: SubresourceDef[];
}

function storageVersionHash(def: ResourceDef): string {
  // A stable 8-byte hash of group/version/kind, base64 (Go: discovery.StorageVersionHash).
  let h = 0x811c9dc5;
  for (const ch of `${def.group}/${def.version}/${def.kind}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const bytes = [h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255, (h * 31) >>> 24, ((h * 31) >>> 16) & 255, ((h * 7) >>> 8) & 255, (h * 7) & 255];
  return encodeByteString(String.fromCharCode(...bytes), 'std');
}

// Upstream: installer.go (the APIResource of a resource and its subresources)
function apiResources(r: ServedResource): Array<Record<string, unknown>> {
  const def = r.def;
  const main: Record<string, unknown> = { name: def.resource, singularName: def.singularName, namespaced: def.namespaced, kind: def.kind, verbs: def.verbs };
  if (def.shortNames.length > 0) main.shortNames = def.shortNames;
  if (def.categories.length > 0) main.categories = def.categories;
  main.storageVersionHash = storageVersionHash(def);
  const out = [main];
  for (const s of r.subresources) {
    const sub: Record<string, unknown> = { name: `${def.resource}/${s.name}`, singularName: '', namespaced: def.namespaced, kind: s.kind, verbs: s.verbs };
    if (s.group !== undefined) sub.group = s.group;
    if (s.version !== undefined) sub.version = s.version;
    out.push(sub);
  }
  return out;
}

/** `/api` */
// Upstream: discovery/legacy.go (legacyRootAPIHandler)
export function apiVersions(): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: SERVER_ADDRESS }] };
}

function groupsOf(resources: ServedResource[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const custom = new Set<string>();
  for (const r of resources) {
    if (r.def.group === '') continue;
    const vs = groups.get(r.def.group) ?? [];
    if (!vs.includes(r.def.version)) vs.push(r.def.version);
    groups.set(r.def.group, vs);
    if (r.def.custom) custom.add(r.def.group);
  }
  // A CRD group's versions, highest first by Kubernetes version order (v2 > v1 > v1beta2 > v1alpha1 > foo):
  // the first is the preferred version, whatever order the CRDs list them in.
  // Upstream: apiextensions-apiserver customresource_discovery_controller.go (sortGroupDiscoveryByKubeAwareVersion)
  for (const g of custom) groups.get(g)!.sort((a, b) => compareKubeAwareVersionStrings(b, a));
  return new Map([...groups.entries()].sort((a, b) => groupRank(a[0]) - groupRank(b[0]) || (a[0] < b[0] ? -1 : 1)));
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

/** `/apis` */
// Upstream: discovery/root.go (rootAPIsHandler)
export function apiGroupList(resources: ServedResource[]): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groupsOf(resources)].map(([g, vs]) => apiGroup(g, vs)) };
}

/** `/apis/<group>` (undefined: not served) */
// Upstream: discovery/group.go (APIGroupHandler)
export function apiGroupDoc(resources: ServedResource[], group: string): unknown {
  const vs = groupsOf(resources).get(group);
  return vs ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, vs) } : undefined;
}

/** `/api/v1`, `/apis/<group>/<version>` (undefined: not served) */
// Upstream: discovery/version.go (APIVersionHandler)
export function apiResourceList(resources: ServedResource[], group: string, version: string): unknown {
  const rs = resources.filter((r) => r.def.group === group && r.def.version === version);
  if (rs.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: rs.flatMap(apiResources) };
}

/** The aggregated discovery document of `/api` or `/apis` (apidiscovery.k8s.io/v2 APIGroupDiscoveryList). */
// Upstream: discovery/aggregated/handler.go (resourceDiscoveryManager.serveHTTP), apidiscovery/v2 types
export function aggregatedDiscovery(resources: ServedResource[], legacy: boolean): unknown {
  const groups = legacy ? new Map([['', ['v1']]]) : groupsOf(resources);
  const items = [...groups].map(([g, vs]) => ({
    metadata: g ? { name: g } : { creationTimestamp: null },
    versions: vs.map((v) => ({
      version: v,
      resources: resources
        .filter((r) => r.def.group === g && r.def.version === v)
        .map((r) => {
          const e: Record<string, unknown> = {
            resource: r.def.resource,
            responseKind: { group: g, version: v, kind: r.def.kind },
            scope: r.def.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: r.def.singularName,
            verbs: r.def.verbs,
          };
          if (r.def.shortNames.length > 0) e.shortNames = r.def.shortNames;
          if (r.def.categories.length > 0) e.categories = r.def.categories;
          if (r.subresources.length > 0) {
            e.subresources = r.subresources.map((s) => ({ subresource: s.name, responseKind: { group: s.group ?? g, version: s.version ?? v, kind: s.kind }, verbs: s.verbs }));
          }
          return e;
        }),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

/** `/version` */
export function versionInfo(): unknown {
  return {
    major: '1',
    minor: '34',
    emulationMajor: '1',
    emulationMinor: '34',
    minCompatibilityMajor: '1',
    minCompatibilityMinor: '33',
    gitVersion: 'v1.34.0',
    gitCommit: 'f28b4c9efbca5c5c0af716d9f2d5702667ee8a45',
    gitTreeState: 'clean',
    buildDate: '2025-08-27T10:09:13Z',
    goVersion: 'go1.24.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export { apiVersionOf };
