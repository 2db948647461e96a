/**
 * The REST handlers of one resource: get, list, watch, create, update, patch and delete, and the
 * subresources (status, scale, binding), each turning the request into registry calls and the
 * result (or error) into the response body kube-apiserver writes.
 * Upstream: apiserver pkg/endpoints/handlers/get.go (GetResource, ListResource), create.go
 * (createHandler), update.go (UpdateResource), patch.go (PatchResource, patcher, jsonPatcher,
 * smpPatcher), delete.go (DeleteResource), watch.go (serveWatch, WatchServer), rest.go
 * (transformDecodeError); kubernetes pkg/registry/core/pod/storage (BindingREST),
 * pkg/registry/apps/deployment/storage (ScaleREST), pkg/registry/core/namespace/storage (FinalizeREST)
 */
import { deepCopy, type KubeObject } from '../../core/object';
import type { RestResponse } from '../../client/transport';
import {
  newBadRequest,
  newConflict,
  newInvalid,
  newMethodNotSupported,
  newNotFound,
  newStatusError,
  newUnsupportedMediaTypeError,
  type Status,
} from '../../apimachinery/errors';
import { field } from '../../apimachinery/field';
import { oneTermEqualSelector } from '../../apimachinery/fields';
import { labelSelectorAsSelector } from '../../apimachinery/labels';
import { applyPatch, ApplyYAMLPatchType, BUILTIN_PATCH_TYPES, CUSTOM_RESOURCE_PATCH_TYPES, StrategicMergePatchType } from '../../apimachinery/patch';
import { attrsOf } from '../registry/resource';
import type { RegistryListOptions, RegistryContext, RegistryStore } from '../registry/store';
import { deleteSuccessStatus } from '../registry/store';
import { apiVersionOf, type ResourceDef } from '../registry/resource';
import type { StorageList } from '../storage/interfaces';
import { checkFields, decodeObject, fieldValidationOf, isDryRun, parseDeleteOptions, parseListOptions, type ParsedListOptions } from './decode';

/** What a handler needs from the server. */
export interface HandlerScope {
  def: ResourceDef;
  store: RegistryStore;
  statusStore?: RegistryStore;
  /** Whether DELETE answers the deleted object (Go: `ReturnDeletedObject`). */
  returnDeletedObject: boolean;
  /** Admission at create (NamespaceLifecycle, and the kind's mutating plugins). */
  admitCreate(ctx: RegistryContext, obj: KubeObject): Promise<void>;
  /** Mutating admission at update of the main resource (the Priority plugin keeps a pod's priority). */
  admitUpdate?(ctx: RegistryContext, obj: KubeObject, old: KubeObject): Promise<void>;
  /** Validating admission of the main resource, after the strategy's validation (the Priority plugin's PriorityClass check). */
  validateAdmission?(obj: KubeObject, old: KubeObject | undefined): Promise<void>;
  /** Refuses a delete before the store sees it (Go: a kind's REST.Delete override). */
  checkDelete?(name: string): void;
  /** Called after a delete removed an object (Go: `AfterDelete`). */
  afterDelete?(obj: KubeObject): void;
  /** The namespace finalize subresource's store (its strategy lets spec.finalizers change). */
  finalizeStore?: RegistryStore;
  /** The current time as metav1.Time. */
  now(): string;
}

export interface HandlerRequest {
  namespace: string;
  name: string;
  subresource: string;
  query: Record<string, string>;
  body: unknown;
  contentType?: string;
}

const ok = (code: number, body: unknown, warnings?: string[]): RestResponse => (warnings && warnings.length > 0 ? { code, body, warnings } : { code, body });

/** ObjectMeta's fields in the order the Go struct declares them (the JSON order kube-apiserver writes). */
const META_ORDER = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

/** A copy of `obj` with its metadata fields in Go's order (unknown fields last). */
export function orderedCopy(obj: KubeObject): KubeObject {
  const out = deepCopy(obj);
  const m = out.metadata;
  if (!m) return out;
  const ordered: Record<string, unknown> = {};
  for (const k of META_ORDER) if (m[k] !== undefined) ordered[k] = m[k];
  for (const k of Object.keys(m)) if (!(k in ordered) && m[k] !== undefined) ordered[k] = m[k];
  out.metadata = ordered;
  return out;
}

/** What the server writes for an object: a copy, with its apiVersion and kind first. */
export function outputObject(def: ResourceDef, obj: KubeObject): KubeObject {
  const out = orderedCopy(obj);
  const { apiVersion: _a, kind: _k, ...rest } = out;
  return { apiVersion: apiVersionOf(def), kind: def.kind, ...rest } as KubeObject;
}

/** A list body: `<Kind>List`, items without their apiVersion and kind (as typed lists are serialized). */
export function outputList(def: ResourceDef, l: StorageList): unknown {
  const metadata: Record<string, unknown> = { resourceVersion: String(l.resourceVersion) };
  if (l.continue) metadata.continue = l.continue;
  if (l.remainingItemCount !== undefined) metadata.remainingItemCount = l.remainingItemCount;
  const items = l.items.map((o) => {
    const c = orderedCopy(o);
    if (!def.custom) {
      delete c.apiVersion;
      delete c.kind;
    }
    return c;
  });
  return { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata, items };
}

/** The registry's list options of a parsed request. */
export function registryListOptions(def: ResourceDef, o: ParsedListOptions, name: string): RegistryListOptions {
  let fieldSelector = o.fieldSelector;
  if (name) {
    // Watches for single objects are routed here: a name is a field selector on metadata.name.
    if (!fieldSelector.empty()) {
      const selected = fieldSelector.requiresExactMatch('metadata.name');
      if (!selected.found || selected.value !== name) throw newBadRequest("fieldSelector metadata.name doesn't match requested name");
    } else fieldSelector = oneTermEqualSelector('metadata.name', name);
  }
  return {
    predicate: { label: o.labelSelector, field: fieldSelector, getAttrs: attrsOf(def), limit: o.limit, continue: o.continue, allowWatchBookmarks: o.allowWatchBookmarks },
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    sendInitialEvents: o.sendInitialEvents,
  };
}

// Upstream: get.go (GetResource)
export async function handleGet(s: HandlerScope, ctx: RegistryContext, r: HandlerRequest): Promise<RestResponse> {
  if (r.subresource === 'scale') return ok(200, scaleOf(s.def, await s.store.get(ctx, r.name, r.query.resourceVersion ?? '')));
  const obj = await s.store.get(ctx, r.name, r.query.resourceVersion ?? '');
  return ok(200, outputObject(s.def, obj));
}

// Upstream: get.go (ListResource, the list branch)
export async function handleList(s: HandlerScope, ctx: RegistryContext, r: HandlerRequest): Promise<RestResponse> {
  const o = parseListOptions(r.query, s.def, false);
  const l = await s.store.list(ctx, registryListOptions(s.def, o, ''));
  return ok(200, outputList(s.def, l));
}

// Upstream: create.go (createHandler)
export async function handleCreate(s: HandlerScope, ctx: RegistryContext, r: HandlerRequest): Promise<RestResponse> {
  if (r.subresource === 'binding') return handleBinding(s, ctx, r.name, r.body);
  if (r.subresource) throw newMethodNotSupported({ group: s.def.group, resource: `${s.def.resource}/${r.subresource}` }, 'create');
  const fv = fieldValidationOf(r.query);
  ctx.dryRun = isDryRun(r.query);
  const warnings: string[] = [];
  ctx.warnings = warnings;
  const obj = decodeObject(r.body, s.def, fv, warnings);
  // WipeObjectMetaSystemFields, then the request namespace (Go: createHandler)
  const m = obj.metadata;
  delete m.creationTimestamp;
  delete m.uid;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  const ns = s.def.namespaced ? ctx.namespace : '';
  if (m.namespace && ns && m.namespace !== ns) throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (ns) m.namespace = ns;
  else if (!s.def.namespaced) delete m.namespace;
  await s.admitCreate(ctx, obj);
  ctx.validateAdmission = s.validateAdmission;
  const out = await s.store.create(ctx, obj);
  return ok(201, outputObject(s.def, out), warnings);
}

/** The store an update of `subresource` goes through. */
function storeFor(s: HandlerScope, subresource: string): RegistryStore {
  if (subresource === 'status') {
    if (!s.statusStore) throw newNotFound({ group: s.def.group, resource: s.def.resource }, '');
    return s.statusStore;
  }
  return s.store;
}

// Upstream: update.go (UpdateResource)
export async function handleUpdate(s: HandlerScope, ctx: RegistryContext, r: HandlerRequest): Promise<RestResponse> {
  const fv = fieldValidationOf(r.query);
  ctx.dryRun = isDryRun(r.query, 'UpdateOptions');
  const warnings: string[] = [];
  ctx.warnings = warnings;
  if (r.subresource === 'scale') return handleScaleUpdate(s, ctx, r, (cur) => decodeScale(r.body, cur));
  if (r.subresource === 'finalize' && s.def.resource === 'namespaces') return handleFinalize(s, ctx, r);
  if (r.subresource && r.subresource !== 'status') throw newMethodNotSupported({ group: s.def.group, resource: `${s.def.resource}/${r.subresource}` }, 'update');
  const obj = decodeObject(r.body, s.def, fv, warnings);
  if (obj.metadata.name !== undefined && obj.metadata.name !== r.name) {
    throw newBadRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${r.name})`);
  }
  obj.metadata.name = r.name;
  const ns = s.def.namespaced ? ctx.namespace : '';
  if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  const store = storeFor(s, r.subresource);
  if (!r.subresource) ctx.validateAdmission = s.validateAdmission;
  const { obj: out, created } = await store.update(ctx, r.name, {
    preconditions: undefined,
    updatedObject: async (existing) => {
      const o = deepCopy(obj);
      if (!existing) await s.admitCreate(ctx, o);
      else if (!r.subresource) await s.admitUpdate?.(ctx, o, existing);
      return o;
    },
  });
  return ok(created ? 201 : 200, outputObject(s.def, out), warnings);
}

/** Go's `%+v` of a patch map (what a failed strategic merge patch shows as the bad value). */
function goMapText(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goMapText).join(' ')}]`;
  if (v && typeof v === 'object') return `map[${Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${k}:${goMapText(x)}`).join(' ')}]`;
  return v === null ? '<nil>' : String(v);
}

// Upstream: patch.go (PatchResource, patcher.patchResource, jsonPatcher.applyPatchToCurrentObject, smpPatcher)
export async function handlePatch(s: HandlerScope, ctx: RegistryContext, r: HandlerRequest): Promise<RestResponse> {
  const contentType = (r.contentType ?? StrategicMergePatchType).split(';')[0].trim();
  const supportedTypes = s.def.custom ? CUSTOM_RESOURCE_PATCH_TYPES : BUILTIN_PATCH_TYPES;
  if (!supportedTypes.includes(contentType)) throw newUnsupportedMediaTypeError(supportedTypes);
  // Divergence: server-side apply is not modelled.
  if (contentType === ApplyYAMLPatchType) throw newStatusError(415, 'UnsupportedMediaType', 'server-side apply is not modelled by this API server; use a merge or strategic merge patch');
  const fv = fieldValidationOf(r.query);
  ctx.dryRun = isDryRun(r.query, 'PatchOptions');
  const warnings: string[] = [];
  ctx.warnings = warnings;
  const patch = r.body;
  const apiVersion = apiVersionOf(s.def);
  const apply = (current: KubeObject): KubeObject => {
    const versioned = outputObject(s.def, current);
    const patched = applyPatch(contentType, versioned, patch, { apiVersion, kind: s.def.kind, supportedTypes });
    if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) {
      // Upstream: patch.go (jsonPatcher.applyPatchToCurrentObject: runtime.DecodeInto fails on the codec's version/kind probe)
      const jsonKind = Array.isArray(patched) ? 'array' : patched === null ? 'null' : typeof patched === 'boolean' ? 'bool' : typeof patched;
      const msg = `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`;
      throw newInvalid({ group: '', kind: '' }, '', [field.invalid(field.newPath('patch'), JSON.stringify(patched), msg)]);
    }
    const obj = patched as unknown as KubeObject;
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    {
      const issues = checkFields(obj, s.def);
      const bad = contentType === StrategicMergePatchType ? goMapText(patch) : JSON.stringify(patched);
      if (issues.typeError) throw newInvalid({ group: '', kind: '' }, '', [field.invalid(field.newPath('patch'), bad, issues.typeError)]);
      if (issues.unknown.length > 0) {
        const msgs = issues.unknown.map((f) => `unknown field "${f}"`);
        if (fv === 'Strict') throw newInvalid({ group: '', kind: '' }, '', [field.invalid(field.newPath('patch'), bad, `strict decoding error: ${msgs.join(', ')}`)]);
        if (fv === 'Warn') warnings.push(...msgs);
      }
    }
    obj.apiVersion = apiVersionOf(s.def);
    obj.kind = s.def.kind;
    s.def.defaults?.(obj);
    return obj;
  };
  if (r.subresource === 'scale') {
    return handleScaleUpdate(s, ctx, r, (cur) => {
      const scale = scaleOf(s.def, cur) as KubeObject;
      return decodeScale(applyPatch(contentType, scale, patch, { apiVersion: 'autoscaling/v1', kind: 'Scale', supportedTypes }), cur);
    });
  }
  if (r.subresource && r.subresource !== 'status') throw newMethodNotSupported({ group: s.def.group, resource: `${s.def.resource}/${r.subresource}` }, 'patch');
  const store = storeFor(s, r.subresource);
  if (!r.subresource) ctx.validateAdmission = s.validateAdmission;
  const { obj: out } = await store.update(ctx, r.name, {
    updatedObject: async (existing) => {
      if (!existing) throw newNotFound({ group: s.def.group, resource: s.def.resource }, r.name);
      const o = apply(existing);
      if (!r.subresource) await s.admitUpdate?.(ctx, o, existing);
      return o;
    },
  });
  return ok(200, outputObject(s.def, out), warnings);
}

// Upstream: delete.go (DeleteResource)
export async function handleDelete(s: HandlerScope, ctx: RegistryContext, r: HandlerRequest): Promise<RestResponse> {
  if (r.subresource) throw newMethodNotSupported({ group: s.def.group, resource: `${s.def.resource}/${r.subresource}` }, 'delete');
  const options = parseDeleteOptions(r.body, r.query);
  if (options.dryRun && options.dryRun.some((d) => d !== 'All')) isDryRun({ dryRun: options.dryRun[0] }, 'DeleteOptions');
  ctx.dryRun = (options.dryRun ?? []).includes('All');
  s.checkDelete?.(r.name);
  const { obj, deleted } = await s.store.delete(ctx, r.name, options);
  if (deleted && !ctx.dryRun) s.afterDelete?.(obj);
  if (s.returnDeletedObject) return ok(200, outputObject(s.def, obj));
  const status = deleteSuccessStatus(s.def, obj);
  const code = !deleted && options.orphanDependents === false ? 202 : 200;
  return ok(code, status);
}

// ---- subresources ------------------------------------------------------------------------------

/** autoscaling/v1 Scale of a workload (Go: `scaleFromDeployment`). */
// Upstream: kubernetes pkg/registry/apps/deployment/storage/storage.go (scaleFromDeployment)
export function scaleOf(def: ResourceDef, obj: KubeObject): unknown {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const status = (obj.status ?? {}) as Record<string, unknown>;
  // Go: metav1.LabelSelectorAsSelector(spec.Selector).String(): matchExpressions too, requirements sorted.
  let selector = '';
  try {
    selector = labelSelectorAsSelector(spec.selector as Parameters<typeof labelSelectorAsSelector>[0]).toString();
  } catch {
    selector = '';
  }
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

function decodeScale(body: unknown, cur: KubeObject): { replicas: number; resourceVersion?: string } {
  const b = (body ?? {}) as { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: string; name?: string } };
  const replicas = b.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw newBadRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  if (replicas < 0) throw newInvalid({ group: 'autoscaling', kind: 'Scale' }, cur.metadata.name ?? '', [field.invalid(field.newPath('spec', 'replicas'), replicas, 'must be greater than or equal to 0')]);
  return { replicas, resourceVersion: b.metadata?.resourceVersion };
}

// Upstream: deployment storage (ScaleREST.Update, scaleUpdatedObjectInfo)
async function handleScaleUpdate(s: HandlerScope, ctx: RegistryContext, r: HandlerRequest, decode: (cur: KubeObject) => { replicas: number; resourceVersion?: string }): Promise<RestResponse> {
  if (!['deployments', 'replicasets'].includes(s.def.resource) && !s.def.custom && !s.def.scaleSubresource) throw newNotFound({ group: s.def.group, resource: s.def.resource }, r.name);
  const { obj } = await s.store.update(ctx, r.name, {
    updatedObject: (existing) => {
      if (!existing) throw newNotFound({ group: s.def.group, resource: s.def.resource }, r.name);
      const scale = decode(existing);
      const o = deepCopy(existing);
      if (scale.resourceVersion && scale.resourceVersion !== existing.metadata.resourceVersion) {
        throw newConflict({ group: s.def.group, resource: s.def.resource }, r.name);
      }
      o.spec = { ...((o.spec ?? {}) as object), replicas: scale.replicas };
      return o;
    },
  });
  return ok(200, scaleOf(s.def, obj));
}

/** POST pods/<name>/binding: assigns the pod to a node (what the scheduler does). */
// Upstream: kubernetes pkg/registry/core/pod/storage/storage.go (BindingREST.Create, assignPod, setPodNodeAndMetadata)
async function handleBinding(s: HandlerScope, ctx: RegistryContext, name: string, body: unknown): Promise<RestResponse> {
  if (s.def.resource !== 'pods') throw newMethodNotSupported({ group: s.def.group, resource: `${s.def.resource}/binding` }, 'create');
  const b = (body ?? {}) as { metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> }; target?: { name?: string; kind?: string } };
  const podName = name || b.metadata?.name || '';
  if (b.metadata?.name && name && b.metadata.name !== name) throw newBadRequest(`name in URL does not match name in Binding object`);
  const node = b.target?.name ?? '';
  if (!node) throw newInvalid({ group: '', kind: 'Binding' }, podName, [field.required(field.newPath('target', 'name'), '')]);
  if (b.target?.kind && b.target.kind !== 'Node') throw newInvalid({ group: '', kind: 'Binding' }, podName, [field.invalid(field.newPath('target', 'kind'), b.target.kind, 'must be empty or \'Node\'')]);
  const gr = { group: '', resource: 'pods/binding' };
  await s.store.rawUpdate(ctx, podName, (existing) => {
    const pod = existing;
    if (pod.metadata.deletionTimestamp) throw newConflict(gr, podName, new Error(`pod ${podName} is being deleted, cannot be assigned to a host`));
    const spec = (pod.spec ?? {}) as Record<string, unknown>;
    if (spec.nodeName) throw newConflict(gr, podName, new Error(`pod ${podName} is already assigned to node ${JSON.stringify(spec.nodeName)}`));
    spec.nodeName = node;
    pod.spec = spec;
    const annotations = b.metadata?.annotations;
    if (annotations) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...annotations };
    const status = (pod.status ?? {}) as Record<string, unknown>;
    const conditions = ((status.conditions as Array<Record<string, unknown>>) ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: s.now() });
    status.conditions = conditions;
    pod.status = status;
    return pod;
  });
  return ok(201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** PUT namespaces/<name>/finalize: replaces spec.finalizers (the namespace controller's last step). */
// Upstream: kubernetes pkg/registry/core/namespace/storage/storage.go (FinalizeREST), namespaceFinalizeStrategy
async function handleFinalize(s: HandlerScope, ctx: RegistryContext, r: HandlerRequest): Promise<RestResponse> {
  const body = (r.body ?? {}) as { metadata?: { resourceVersion?: string }; spec?: { finalizers?: string[] } };
  const { obj } = await (s.finalizeStore ?? s.store).update(ctx, r.name, {
    updatedObject: (existing) => {
      if (!existing) throw newNotFound({ group: '', resource: 'namespaces' }, r.name);
      // A resourceVersion in the body is a precondition (the deleter's retryOnConflictError relies
      // on it); without one the update is unconditional, as namespaces allow.
      const rv = body.metadata?.resourceVersion;
      if (rv && rv !== existing.metadata.resourceVersion) throw newConflict({ group: '', resource: 'namespaces' }, r.name);
      const ns = deepCopy(existing);
      ns.spec = { ...((ns.spec ?? {}) as object), finalizers: body.spec?.finalizers ?? [] };
      return ns;
    },
  });
  return ok(200, outputObject(s.def, obj));
}
