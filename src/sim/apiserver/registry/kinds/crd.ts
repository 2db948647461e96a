/**
 * CustomResourceDefinitions and the custom resources they define: the CRD's strategy and
 * validation, and, per served version, the ResourceDef of its custom resource (validated,
 * pruned and defaulted against the version's OpenAPI v3 schema; generation 1 on create and +1 on
 * any change outside metadata and status; status only through /status when the subresource is on).
 * Upstream: apiextensions-apiserver v0.34.0 pkg/registry/customresourcedefinition/strategy.go,
 * pkg/registry/customresource/strategy.go (customResourceStrategy: PrepareForCreate,
 * PrepareForUpdate, Validate, ValidateUpdate), status_strategy.go, pkg/apiserver/customresource_handler.go
 */
import type { KubeObject } from '../../../core/object';
import { crdschema, type CustomResourceDefinition, type JSONSchemaProps } from '../../interim_crdschema';
import { nameIsDNSSubdomain, validatePathSegmentName, type FieldError } from '../../interim_machinery';
import { defaultAttrs } from '../../storage/interfaces';
import { ALL_VERBS, type ResourceDef } from '../resource';
import * as schema from '../schema';
import { asObj, bumpGenerationIf, jsonEqual, statusStrategy, strategy } from './common';

/** The finalizer that holds a CRD until its custom resources are gone. */
export const CustomResourceCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

// Upstream: customresourcedefinition/strategy.go (strategy)
const crdStrategy = strategy({
  namespaced: false,
  validateName: nameIsDNSSubdomain,
  validate: (obj) => crdschema.validateCustomResourceDefinition(obj as unknown as CustomResourceDefinition),
  prepareForCreate(obj) {
    obj.status = {};
    obj.metadata.generation = 1;
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
    bumpGenerationIf(obj, old, !jsonEqual(obj.spec, old.spec));
  },
  validateUpdate: (obj, old) => {
    const errs = crdschema.validateCustomResourceDefinition(obj as unknown as CustomResourceDefinition);
    const s = asObj(obj.spec);
    const o = asObj(old.spec);
    if (s.group !== o.group) errs.push({ type: 'FieldValueInvalid', field: 'spec.group', badValue: s.group, detail: 'field is immutable' });
    if (s.scope !== o.scope) errs.push({ type: 'FieldValueInvalid', field: 'spec.scope', badValue: s.scope, detail: 'field is immutable' });
    return errs;
  },
});

export const crdDef: ResourceDef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  singularName: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  storagePrefix: 'apiextensions.k8s.io/customresourcedefinitions',
  typeName: '*apiextensions.CustomResourceDefinition',
  strategy: crdStrategy,
  statusStrategy: statusStrategy(crdStrategy),
  getAttrs: defaultAttrs,
  fieldLabels: [],
  fieldLabelStyle: 'default',
  watchCache: true,
  defaults: (obj) => void crdschema.setCRDDefaults(obj as unknown as CustomResourceDefinition),
  verbs: ALL_VERBS,
  schema: schema.CustomResourceDefinition,
};

/** The ResourceDef of a CRD's custom resource at one served version. */
// Upstream: customresource_handler.go (crdHandler.getOrCreateServingInfoFor)
export function customResourceDef(crd: CustomResourceDefinition, version: string, storageApiVersion = `${crd.spec.group}/${version}`): ResourceDef {
  const spec = crd.spec;
  const names = spec.names;
  const v = spec.versions.find((x) => x.name === version);
  const openAPI = crdschema.schemaForVersion(crd, version);
  const structural = crdschema.newStructural(openAPI);
  const hasStatus = v?.subresources?.status !== undefined;
  const namespaced = spec.scope === 'Namespaced';
  const apiVersion = `${spec.group}/${version}`;
  const gk = { group: spec.group, kind: names.kind };
  void gk;
  const validate = (obj: KubeObject): FieldError[] => crdschema.validateCustomResource(null, obj, openAPI as JSONSchemaProps) as FieldError[];
  // Upstream: customresource/strategy.go (customResourceStrategy)
  const s = strategy({
    namespaced,
    validateName: validatePathSegmentName,
    validate,
    prepareForCreate(obj) {
      if (hasStatus) delete obj.status;
      obj.metadata.generation = 1;
      // conversion strategy None: stored at the storage version, only apiVersion differs
      obj.apiVersion = storageApiVersion;
    },
    prepareForUpdate(obj, old) {
      obj.apiVersion = storageApiVersion;
      if (hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
      const strip = (o: KubeObject) => {
        const { metadata: _m, status: _s, ...rest } = o;
        return rest;
      };
      bumpGenerationIf(obj, old, !jsonEqual(strip(obj), strip(old)));
    },
    validateUpdate: validate,
  });
  const def: ResourceDef = {
    scaleSubresource: v?.subresources?.scale !== undefined,
    group: spec.group,
    version,
    resource: names.plural,
    kind: names.kind,
    singularName: names.singular ?? names.kind.toLowerCase(),
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    namespaced,
    storagePrefix: `${spec.group}/${names.plural}`,
    typeName: '*unstructured.Unstructured',
    strategy: s,
    getAttrs: defaultAttrs,
    fieldLabels: [],
    fieldLabelStyle: 'default',
    watchCache: true,
    verbs: ALL_VERBS,
    custom: true,
    schema: schema.CustomResourceEnvelope,
    customSchema: structural as JSONSchemaProps | undefined,
    defaults(obj) {
      crdschema.applyDefaults(obj, structural);
    },
  };
  if (hasStatus) {
    def.statusStrategy = statusStrategy(s, { validateUpdate: validate });
  }
  void apiVersion;
  return def;
}
