/**
 * The part of cli-runtime's resource builder the commands share: turning `TYPE NAME...`,
 * `TYPE/NAME...`, `TYPE1,TYPE2` and `all` into resources, listing them in chunks of 500 with
 * `continue`, and getting named objects.
 */
import type { ApiResource } from './client/discovery';
import { groupVersion, resourcePath } from './client/discovery';
import { KubectlError } from './client/errors';
import type { KubectlContext } from './context';
import type { Obj } from './manifest';

/** A resource and the names asked for (none: the whole collection). */
export interface Target {
  resource: ApiResource;
  names: string[];
}

/**
 * Resolves the type/name arguments. `requireNames`: commands such as delete and describe accept
 * a bare type only with a selector or --all.
 */
// Upstream: cli-runtime pkg/resource/builder.go (ResourceTypeOrNameArgs, replaceAliases, visitByName)
export async function resolveTargets(ctx: KubectlContext, args: string[]): Promise<Target[]> {
  if (args.length === 0) return [];
  const slashed = args.filter((a) => a.includes('/'));
  if (slashed.length > 0) {
    if (slashed.length !== args.length) {
      const base = ctx.commandName;
      throw new KubectlError(
        `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${base} get resource/<resource_name>' instead of '${base} get resource resource/<resource_name>'`,
      );
    }
    const targets: Target[] = [];
    for (const a of args) {
      const i = a.indexOf('/');
      const type = a.slice(0, i);
      const name = a.slice(i + 1);
      if (!type || !name) throw new KubectlError(`arguments in resource/name form must have a single resource and name`);
      const resource = await ctx.discovery.resourceFor(type);
      const last = targets[targets.length - 1];
      if (last && last.resource === resource) last.names.push(name);
      else targets.push({ resource, names: [name] });
    }
    return targets;
  }
  const types = [...new Set(args[0].split(','))].filter(Boolean);
  const names = args.slice(1);
  const resources: ApiResource[] = [];
  for (const t of types) {
    if (t === 'all') {
      const all = (await ctx.discovery.resources()).filter((r) => r.preferred && r.categories.includes('all'));
      resources.push(...all);
      continue;
    }
    resources.push(await ctx.discovery.resourceFor(t));
  }
  if (names.length > 0 && resources.length > 1) throw new KubectlError('you must specify only one resource');
  return resources.map((resource) => ({ resource, names: [...names] }));
}

/** Sets `apiVersion` and `kind` on an item of a list (kubectl's unstructured list decoding does). */
export function withTypeMeta(obj: Obj, resource: ApiResource): Obj {
  if (obj.apiVersion && obj.kind) return obj;
  return { apiVersion: groupVersion(resource), kind: resource.kind, ...obj };
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  /** `--chunk-size`: 0 lists in one request. Default 500. */
  chunkSize?: number;
}

/** The namespace a request for this resource uses (none for cluster scope or -A). */
export function namespaceFor(ctx: KubectlContext, r: ApiResource, allNamespaces = false): string | undefined {
  if (!r.namespaced || allNamespaces) return undefined;
  return ctx.namespace;
}

/** Lists a collection in chunks, following `continue`; items get their apiVersion and kind. */
// Upstream: cli-runtime pkg/resource/helper.go (List, FollowContinue)
export async function listObjects(ctx: KubectlContext, r: ApiResource, opts: ListOptions): Promise<{ items: Obj[]; resourceVersion: string }> {
  const items: Obj[] = [];
  let cont = '';
  let resourceVersion = '';
  const chunk = opts.chunkSize ?? 500;
  for (;;) {
    const query: Record<string, string> = {};
    if (opts.labelSelector) query.labelSelector = opts.labelSelector;
    if (opts.fieldSelector) query.fieldSelector = opts.fieldSelector;
    if (chunk > 0) query.limit = String(chunk);
    if (cont) query.continue = cont;
    const list = await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(r, namespaceFor(ctx, r, opts.allNamespaces)), query, accept: 'application/json' });
    for (const item of list.items ?? []) items.push(withTypeMeta(item, r));
    resourceVersion = list.metadata?.resourceVersion ?? '';
    cont = list.metadata?.continue ?? '';
    if (!cont) break;
  }
  return { items, resourceVersion };
}

/** GETs one object. */
export async function getObject(ctx: KubectlContext, r: ApiResource, name: string): Promise<Obj> {
  const obj = await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(r, namespaceFor(ctx, r), name), accept: 'application/json' });
  return withTypeMeta(obj, r);
}
