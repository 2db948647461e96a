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
import type { Attrs } from '../storage/interfaces';
import type { Strategy } from './strategy';
import type { TypeSchema } from './schema';

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
  /** Selectable fields (Go: the kind's `GetAttrs` / `ToSelectableFields`). */
  getAttrs(obj: KubeObject): Attrs;
  /** Field selector labels the kind supports, besides `metadata.name` and `metadata.namespace`. */
  fieldLabels: string[];
  /** How an unsupported field label is reported: core/v1 kinds say "field label not supported: x". */
  fieldLabelStyle: 'core' | 'default';
  /** Served from the watch cache (Events are not, as kube-apiserver's DefaultWatchCacheSizes decides). */
  watchCache: boolean;
  /** Objects expire after this many seconds (Events: kube-apiserver's --event-ttl, 1 h). */
  ttlSec?: number;
  /** Defaulting, as the scheme's defaulters apply when a request body is decoded. */
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
  customSchema?: import('../interim_crdschema').JSONSchemaProps;
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
