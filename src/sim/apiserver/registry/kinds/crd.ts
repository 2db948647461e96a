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
import { field, type FieldError } from '../../../apimachinery/field';
import { crdschema, type CustomResourceDefinition, type Structural } from '../../../apimachinery/schema';
import { nameIsDNSSubdomain, validateObjectMeta } from '../../../apimachinery/validation';
import { validatePathSegmentName } from '../path_name';
import { ALL_VERBS, kindNames, type ResourceDef } from '../resource';
import * as schema from '../schema';
import { asObj, bumpGenerationIf, jsonEqual, statusStrategy, strategy } from './common';

/** The finalizer that holds a CRD until its custom resources are gone. */
export const CustomResourceCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

// Upstream: customresourcedefinition/strategy.go (strategy)
const crdStrategy = strategy({
  namespaced: false,
  // strategy.AllowUnconditionalUpdate: false, an update must carry a resourceVersion
  allowUnconditionalUpdate: false,
  validateName: nameIsDNSSubdomain,
  // ValidateCustomResourceDefinition checks the metadata itself (name = <plural>.<group>)
  objectMeta: 'none',
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
    if (s.group !== o.group) errs.push(field.invalid(field.newPath('spec', 'group'), s.group, 'field is immutable'));
    if (s.scope !== o.scope) errs.push(field.invalid(field.newPath('spec', 'scope'), s.scope, 'field is immutable'));
    return errs;
  },
});

export const crdDef: ResourceDef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  ...kindNames('apiextensions.k8s.io', 'CustomResourceDefinition'),
  storagePrefix: 'apiextensions.k8s.io/customresourcedefinitions',
  typeName: '*apiextensions.CustomResourceDefinition',
  strategy: crdStrategy,
  statusStrategy: statusStrategy(crdStrategy),
  watchCache: true,
  // Upstream: apiextensions/v1/defaults.go (SetDefaults_CustomResourceDefinitionSpec: names, then conversion None)
  defaults(obj) {
    const crd = obj as unknown as CustomResourceDefinition;
    if (!crd.spec || typeof crd.spec !== 'object' || !crd.spec.names) return;
    crd.spec = crdschema.setCRDDefaults(crd).spec;
    if (!crd.spec.conversion) crd.spec.conversion = { strategy: 'None' };
  },
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
  const [storageGroup, storageVersion] = storageApiVersion.split('/');
  // Upstream: customresource/validator.go (customResourceValidator.Validate / ValidateUpdate):
  // TypeMeta first and alone, then ObjectMeta (create), then the schema.
  const validateSchema = (obj: KubeObject): FieldError[] => {
    const tm = crdschema.validateCustomResourceTypeMeta(obj, storageGroup, storageVersion, names.kind);
    if (tm.length > 0) return tm;
    return crdschema.validateCustomResource(null, obj, openAPI);
  };
  const validate = (obj: KubeObject): FieldError[] => {
    const tm = crdschema.validateCustomResourceTypeMeta(obj, storageGroup, storageVersion, names.kind);
    if (tm.length > 0) return tm;
    return [...validateObjectMeta(obj.metadata, namespaced, nameIsDNSSubdomain, field.newPath('metadata')), ...crdschema.validateCustomResource(null, obj, openAPI)];
  };
  // Upstream: customresource/strategy.go (customResourceStrategy)
  const s = strategy({
    namespaced,
    // customResourceStrategy.AllowUnconditionalUpdate: false, an update must carry a resourceVersion
    allowUnconditionalUpdate: false,
    validateName: validatePathSegmentName,
    objectMeta: 'none',
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
    validateUpdate: validateSchema,
  });
  const def: ResourceDef = {
    scaleSubresource: v?.subresources?.scale !== undefined,
    selectableFields: (v?.selectableFields ?? []).map((f) => f.jsonPath),
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
    watchCache: true,
    verbs: ALL_VERBS,
    custom: true,
    schema: schema.CustomResourceEnvelope,
    customSchema: structural,
    defaults(obj) {
      crdschema.applyDefaults(obj, structural);
    },
  };
  if (hasStatus) {
    def.statusStrategy = statusStrategy(s, { validateUpdate: validateSchema });
  }
  void apiVersion;
  return def;
}
