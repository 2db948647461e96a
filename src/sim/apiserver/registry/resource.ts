/**
 * What the API server serves for one resource: its names (group, version, resource, kind, short
 * names), scope, storage prefix, strategies, defaulting, known fields and selectable fields.
 * Upstream: the RESTStorage of each kind in kubernetes pkg/registry/<group>/<kind>/storage/storage.go
 * (genericregistry.Store{NewFunc, DefaultQualifiedResource, SingularQualifiedResource,
 * CreateStrategy, UpdateStrategy, DeleteStrategy, TableConvertor}), the discovery entries of
 * apiserver pkg/endpoints/installer.go, and kube-apiserver's storage prefixes
 * (pkg/kubeapiserver/default_storage_factory_builder.go SpecialDefaultResourcePrefixes).
 */
import type { KubeObject } from '../../core/object';
import type { AttrFunc } from '../storage/interfaces';
import { customResourceFieldLabelConversionFunc, customResourceSelectableFields, fieldLabelConversionFunc, toSelectableFields, type TransformFunc } from '../../apimachinery/fields';
import type { Strategy } from './strategy';
import type { TypeSchema } from './schema';
import type { Structural } from '../../apimachinery/schema';
import { BUILTIN_KINDS } from '../../apimachinery/kinds';

export interface ResourceDef {
  group: string;
  version: string;
  /** Plural, lower case: `pods`. */
  resource: string;
  kind: string;
  singularName: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  /** The etcd key prefix under `/registry/`: `pods`, `services/specs`, `minions`, `apps/...`. */
  storagePrefix: string;
  /** The internal type in logs (`*core.Pod`). */
  typeName: string;
  strategy: Strategy;
  /** The status subresource's strategy (undefined: no status subresource). */
  statusStrategy?: Strategy;
  /** A custom resource version's `selectableFields[].jsonPath` (`.spec.color`). */
  selectableFields?: string[];
  /** Served from the watch cache (Events are not, as kube-apiserver's DefaultWatchCacheSizes decides). */
  watchCache: boolean;
  /** Objects expire after this many seconds (Events: kube-apiserver's --event-ttl, 1 h). */
  ttlSec?: number;
  /** Defaulting, as the scheme's defaulters apply when a request body is decoded. */
  /**
   * Go: `Store.BeginCreate`: runs after validation, before the write (the Service allocators);
   * throws to refuse; `finish(ok)` learns whether the write happened.
   */
  beginCreate?(obj: KubeObject, dryRun: boolean): (ok: boolean) => void;
  /** Go: `Store.BeginUpdate`, as beginCreate for an update. */
  beginUpdate?(obj: KubeObject, old: KubeObject, dryRun: boolean): (ok: boolean) => void;
  /** Go: `Store.ShouldDeleteDuringUpdate` when the kind overrides it (namespaces: spec.finalizers too). */
  shouldDeleteDuringUpdate?(obj: KubeObject, existing: KubeObject): boolean;
  defaults?(obj: KubeObject): void;
  /** The known fields, for unknown-field detection and pruning (undefined: anything goes). */
  schema?: TypeSchema;
  /** Whether `kubectl delete` cascades by default (Go: `DefaultGarbageCollectionPolicy`). */
  verbs: string[];
  /** Whether the resource has a scale subresource (a CRD's `subresources.scale`). */
  scaleSubresource?: boolean;
  /** A CustomResourceDefinition's resource. */
  custom?: boolean;
  /** A custom resource's structural schema (what pruning keeps). */
  customSchema?: Structural;
}

/** `pods`, `deployments.apps` (Go: `GroupResource.String()`). */
export function qualifiedResource(def: ResourceDef): { group: string; resource: string } {
  return { group: def.group, resource: def.resource };
}

/** `v1`, `apps/v1`. */
export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const attrFuncs = new WeakMap<ResourceDef, AttrFunc>();

/**
 * The kind's GetAttrs: its labels, and the fields a field selector can match (apimachinery's
 * per-kind selectable fields; a custom resource's metadata and `selectableFields`).
 * Upstream: each kind's registry `GetAttrs` / `ToSelectableFields`; apiextensions-apiserver
 * customresource/strategy.go (GetAttrs)
 */
export function attrsOf(def: ResourceDef): AttrFunc {
  let fn = attrFuncs.get(def);
  if (!fn) {
    const { group, kind, namespaced, custom } = def;
    const paths = def.selectableFields ?? [];
    fn = custom
      ? (obj) => ({ labels: obj.metadata.labels ?? {}, fields: customResourceSelectableFields(obj, namespaced, paths) })
      : (obj) => ({ labels: obj.metadata.labels ?? {}, fields: toSelectableFields(group, kind, obj, namespaced) });
    attrFuncs.set(def, fn);
  }
  return fn;
}

/**
 * How the list handler converts a field selector's labels for the kind (Go:
 * `scope.Convertor.ConvertFieldLabel`); an unsupported label throws.
 */
export function fieldLabelConversionOf(def: ResourceDef): TransformFunc {
  return def.custom ? customResourceFieldLabelConversionFunc(!def.namespaced, (def.selectableFields ?? []).map((p) => p.replace(/^\./, ''))) : fieldLabelConversionFunc(def.group, def.kind);
}

/**
 * A built-in kind's names, scope and verbs as discovery reports them, from apimachinery's kinds
 * registry (one place for short names and categories).
 */
export function kindNames(group: string, kind: string): Pick<ResourceDef, 'singularName' | 'shortNames' | 'categories' | 'namespaced' | 'verbs'> {
  const k = BUILTIN_KINDS.find((x) => x.group === group && x.kind === kind);
  if (!k) throw new Error(`kindNames: ${kind}.${group} is not a built-in kind`);
  return { singularName: k.singular, shortNames: [...k.shortNames], categories: [...k.categories], namespaced: k.namespaced, verbs: [...k.verbs] };
}
