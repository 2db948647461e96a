/**
 * Discovery and the RESTMapper: which resources the server serves (legacy discovery: `/api`,
 * `/api/v1`, `/apis`, `/apis/<group>/<version>`), cached like kubectl's discovery cache and
 * refreshed when a type is not found (so a CRD created a moment ago is found), and how a type
 * argument (`po`, `pods`, `Pod`, `deployments.apps`, `deploy.v1.apps`) maps to a resource.
 */
import type { RestClient } from './rest';
import { NoKindMatchError, NoResourceMatchError } from './errors';

/** One served resource (metav1.APIResource plus where it is served). */
export interface ApiResource {
  group: string;
  version: string;
  /** Plural resource name: `pods`, `deployments`. */
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  /** The group's preferred version serves it (api-resources lists only these). */
  preferred: boolean;
}

export const groupVersion = (r: { group: string; version: string }) => (r.group ? `${r.group}/${r.version}` : r.version);

/** The collection path: `/api/v1/namespaces/default/pods`, `/apis/apps/v1/deployments`. */
export function resourcePath(r: ApiResource, namespace?: string, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${namespace}`;
  p += `/${r.name}`;
  if (name !== undefined) p += `/${name}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** `deployment.apps`, `pod`: how kubectl names a kind in messages (`deployment.apps/web created`). */
export function kindString(r: { group: string; kind: string }): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

interface ResourceListJson {
  groupVersion?: string;
  resources?: Array<{
    name: string;
    singularName?: string;
    namespaced?: boolean;
    kind: string;
    verbs?: string[];
    shortNames?: string[];
    categories?: string[];
  }>;
}

/** kubectl's default discovery cache lifetime. */
export const DISCOVERY_TTL_MS = 6 * 60 * 60 * 1000;

// Upstream: client-go discovery/discovery_client.go (ServerGroupsAndResources), restmapper/discovery.go,
// restmapper/shortcut.go, apimachinery pkg/api/meta/restmapper.go (DefaultRESTMapper)
export class Discovery {
  #resources: ApiResource[] | undefined;
  #fetchedAt = 0;

  constructor(
    private readonly client: RestClient,
    private readonly now: () => number,
  ) {}

  /** Forgets the cache: the next lookup asks the server again. */
  invalidate(): void {
    this.#resources = undefined;
  }

  get cached(): boolean {
    return this.#resources !== undefined && this.now() - this.#fetchedAt < DISCOVERY_TTL_MS;
  }

  /** The cached resources when the cache is fresh (for synchronous callers such as completion). */
  peek(): ApiResource[] | undefined {
    return this.cached ? this.#resources : undefined;
  }

  /** Every served resource (subresources left out), in discovery order: core first, then groups. */
  async resources(): Promise<ApiResource[]> {
    if (this.#resources && this.cached) return this.#resources;
    const out: ApiResource[] = [];
    const api = await this.client.do<{ versions?: string[] }>({ verb: 'GET', path: '/api', accept: 'application/json, */*' });
    const groups = await this.client.do<{
      groups?: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion?: { version: string } }>;
    }>({ verb: 'GET', path: '/apis', accept: 'application/json, */*' });
    const targets: Array<{ group: string; version: string; preferred: boolean }> = [];
    (api.versions ?? []).forEach((v, i) => targets.push({ group: '', version: v, preferred: i === 0 }));
    for (const g of groups.groups ?? []) {
      const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
      for (const v of g.versions) targets.push({ group: g.name, version: v.version, preferred: v.version === preferred });
    }
    for (const t of targets) {
      const path = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
      let list: ResourceListJson;
      try {
        list = await this.client.do<ResourceListJson>({ verb: 'GET', path, accept: 'application/json, */*' });
      } catch {
        continue; // kubectl skips a group version that fails (and warns at higher verbosity)
      }
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue;
        out.push({
          group: t.group,
          version: t.version,
          name: r.name,
          singularName: r.singularName || r.kind.toLowerCase(),
          kind: r.kind,
          namespaced: !!r.namespaced,
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          preferred: t.preferred,
        });
      }
    }
    this.#resources = out;
    this.#fetchedAt = this.now();
    return out;
  }

  /** Subresources listed by discovery (`deployments/scale`), for checks such as scale support. */
  async hasSubresource(r: ApiResource, sub: string): Promise<boolean> {
    const path = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const list = await this.client.do<ResourceListJson>({ verb: 'GET', path, accept: 'application/json, */*' });
    return (list.resources ?? []).some((x) => x.name === `${r.name}/${sub}`);
  }

  /**
   * The resource a type argument names; looks again (fresh discovery) once before giving up,
   * as kubectl's deferred mapper does.
   */
  async resourceFor(arg: string): Promise<ApiResource> {
    const wasCached = this.cached;
    const hit = matchResource(await this.resources(), arg);
    if (hit) return hit;
    if (wasCached) {
      this.invalidate();
      const again = matchResource(await this.resources(), arg);
      if (again) return again;
    }
    const parsed = parseResourceArg(arg);
    throw new NoResourceMatchError(parsed.resource, parsed.group, parsed.version);
  }

  /** The resource serving a manifest's `apiVersion` + `kind`. */
  async resourceForKind(apiVersion: string, kind: string): Promise<ApiResource> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const find = (rs: ApiResource[]) => rs.find((r) => r.group === group && r.version === version && r.kind === kind);
    const wasCached = this.cached;
    const hit = find(await this.resources());
    if (hit) return hit;
    if (wasCached) {
      this.invalidate();
      const again = find(await this.resources());
      if (again) return again;
    }
    throw new NoKindMatchError(kind, group, [version]);
  }
}

/** `deployments.v1.apps` -> {resource, version, group}; `deployments.apps` -> {resource, group}. */
export function parseResourceArg(arg: string): { resource: string; group: string; version: string } {
  const parts = arg.split('.');
  if (parts.length >= 3) return { resource: parts[0], version: parts[1], group: parts.slice(2).join('.') };
  if (parts.length === 2) return { resource: parts[0], version: '', group: parts[1] };
  return { resource: arg, version: '', group: '' };
}

/**
 * kubectl's matching: short names expand first (`po` -> pods), then plural or singular names,
 * case-insensitively, then kinds; a group (and version) after a dot narrows it. The first match
 * in discovery order wins (the core group first, then groups as the server lists them, and a
 * group's preferred version first).
 */
export function matchResource(resources: ApiResource[], arg: string): ApiResource | undefined {
  const ordered = [...resources.filter((r) => r.preferred), ...resources.filter((r) => !r.preferred)];
  const lower = arg.toLowerCase();
  // Fully specified resource.version.group, then resource.group, then a plain resource name.
  const candidates: Array<{ resource: string; group?: string; version?: string }> = [];
  const parts = lower.split('.');
  if (parts.length >= 3) candidates.push({ resource: parts[0], version: parts[1], group: parts.slice(2).join('.') });
  if (parts.length >= 2) candidates.push({ resource: parts[0], group: parts.slice(1).join('.') });
  candidates.push({ resource: lower });
  for (const c of candidates) {
    const inScope = ordered.filter((r) => (c.group === undefined || r.group === c.group) && (c.version === undefined || r.version === c.version));
    const short = inScope.find((r) => r.shortNames.includes(c.resource));
    if (short) return short;
    const byName = inScope.find((r) => r.name === c.resource || r.singularName === c.resource);
    if (byName) return byName;
    const byKind = inScope.find((r) => r.kind.toLowerCase() === c.resource);
    if (byKind) return byKind;
  }
  return undefined;
}
