/**
 * OpenAPI v3 schemas of CustomResourceDefinitions, after apiextensions-apiserver v0.34.0:
 * the structural schema (`newStructural`, `validateStructural`: what makes a schema
 * "structural", with upstream's messages), pruning of unknown fields, defaulting, value
 * validation of a custom resource (kube-openapi's validator as apiextensions wires it, its errors
 * turned into field errors: `spec.replicas: Invalid value: "string": spec.replicas in body must
 * be of type integer: "string"`), and the parts of CRD validation that reject a bad schema.
 * Upstream: apiextensions-apiserver pkg/apiserver/schema/{structural,convert,validation,complete,
 * unfold}.go, schema/pruning/algorithm.go, schema/defaulting/{algorithm,prunenulls}.go,
 * pkg/apiserver/validation/{validation,formats}.go, pkg/apis/apiextensions/validation/validation.go,
 * pkg/apis/apiextensions/v1/{conversion,defaults}.go; kube-openapi pkg/validation/validate
 * (schema, type, object_validator, slice_validator, validator, values, schema_props) and
 * pkg/validation/errors/schema.go at f3f2b991d03b (the version apiextensions-apiserver v0.34.0 requires).
 */
import { forbidden, invalid, newPath, notSupported, pathString, required, tooLong, tooMany, typeInvalid, type ErrorList, type FieldError, type Path } from './field';
import { goFloat, goJSONMarshal, goQuote, goValue, isJSONObject, jsonClone, jsonEqual } from './go';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain, validateObjectMeta } from './validation';

/** A CRD schema node (apiextensions/v1 JSONSchemaProps), as written in YAML or JSON. */
export interface JSONSchemaProps {
  id?: string;
  $schema?: string;
  $ref?: string;
  description?: string;
  type?: string;
  format?: string;
  title?: string;
  default?: unknown;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  enum?: unknown[];
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  items?: JSONSchemaProps | JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  patternProperties?: Record<string, JSONSchemaProps>;
  dependencies?: Record<string, unknown>;
  additionalItems?: JSONSchemaProps | boolean;
  definitions?: Record<string, JSONSchemaProps>;
  externalDocs?: unknown;
  example?: unknown;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: unknown[];
}

// ---------------------------------------------------------------------------------------------
// structural.go, convert.go

/** Generic schema fields. Upstream: structural.go (Generic) */
export interface Generic {
  description: string;
  type: string;
  title: string;
  /** The default, or undefined (Go: `Default.Object == nil`). */
  default: unknown;
  nullable: boolean;
}

/** Kubernetes vendor extensions. Upstream: structural.go (Extensions) */
export interface Extensions {
  xPreserveUnknownFields: boolean;
  xEmbeddedResource: boolean;
  xIntOrString: boolean;
  xListMapKeys: string[];
  xListType?: string;
  xMapType?: string;
}

/** Value validations, nested ones under allOf / anyOf / oneOf / not. Upstream: structural.go (ValueValidation) */
export interface ValueValidation {
  format: string;
  maximum?: number;
  exclusiveMaximum: boolean;
  minimum?: number;
  exclusiveMinimum: boolean;
  maxLength?: number;
  minLength?: number;
  pattern: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems: boolean;
  multipleOf?: number;
  enum: unknown[];
  maxProperties?: number;
  minProperties?: number;
  required: string[];
  allOf: NestedValueValidation[];
  oneOf: NestedValueValidation[];
  anyOf: NestedValueValidation[];
  not?: NestedValueValidation;
}

/** A value validation inside a logical junctor; generics and extensions there must stay empty. Upstream: structural.go (NestedValueValidation) */
export interface NestedValueValidation {
  valueValidation: ValueValidation;
  xValidations: unknown[];
  items?: NestedValueValidation;
  properties?: Record<string, NestedValueValidation>;
  additionalProperties?: NestedValueValidation;
  forbiddenGenerics: Generic;
  forbiddenExtensions: Extensions;
}

/** A structural schema: every field and item typed outside of value validations. Upstream: structural.go (Structural) */
export interface Structural {
  items?: Structural;
  properties?: Record<string, Structural>;
  additionalProperties?: { structural?: Structural; bool: boolean };
  generic: Generic;
  extensions: Extensions;
  xValidations: unknown[];
  valueValidation?: ValueValidation;
}

/** Upstream: convert.go (validateUnsupportedFields) */
function validateUnsupportedFields(s: JSONSchemaProps): void {
  if (s.id) throw new Error("OpenAPIV3Schema 'id' is not supported");
  if (s.$schema) throw new Error("OpenAPIV3Schema 'schema' is not supported");
  if (s.$ref) throw new Error("OpenAPIV3Schema '$ref' is not supported");
  if (s.patternProperties && Object.keys(s.patternProperties).length > 0) throw new Error("OpenAPIV3Schema 'patternProperties' is not supported");
  if (s.dependencies && Object.keys(s.dependencies).length > 0) throw new Error("OpenAPIV3Schema 'dependencies' is not supported");
  if (s.additionalItems !== undefined) throw new Error("OpenAPIV3Schema 'additionalItems' is not supported");
  if (s.definitions && Object.keys(s.definitions).length > 0) throw new Error("OpenAPIV3Schema 'definitions' is not supported");
}

function newGenerics(s: JSONSchemaProps): Generic {
  return { type: s.type ?? '', description: s.description ?? '', title: s.title ?? '', nullable: s.nullable ?? false, default: s.default === null ? undefined : s.default };
}

function newExtensions(s: JSONSchemaProps): Extensions {
  const x: Extensions = {
    xPreserveUnknownFields: false,
    xEmbeddedResource: s['x-kubernetes-embedded-resource'] ?? false,
    xIntOrString: s['x-kubernetes-int-or-string'] ?? false,
    xListMapKeys: s['x-kubernetes-list-map-keys'] ?? [],
    xListType: s['x-kubernetes-list-type'],
    xMapType: s['x-kubernetes-map-type'],
  };
  if (s['x-kubernetes-preserve-unknown-fields'] !== undefined) {
    if (!s['x-kubernetes-preserve-unknown-fields']) throw new Error("internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined");
    x.xPreserveUnknownFields = true;
  }
  return x;
}

function itemsSchema(s: JSONSchemaProps): JSONSchemaProps | undefined {
  if (s.items === undefined) return undefined;
  if (Array.isArray(s.items)) throw new Error("OpenAPIV3Schema 'items' must be a schema, but is an array");
  return s.items;
}

/** Upstream: convert.go (newValueValidation) */
function newValueValidation(s: JSONSchemaProps): ValueValidation {
  return {
    format: s.format ?? '',
    maximum: s.maximum,
    exclusiveMaximum: s.exclusiveMaximum ?? false,
    minimum: s.minimum,
    exclusiveMinimum: s.exclusiveMinimum ?? false,
    maxLength: s.maxLength,
    minLength: s.minLength,
    pattern: s.pattern ?? '',
    maxItems: s.maxItems,
    minItems: s.minItems,
    uniqueItems: s.uniqueItems ?? false,
    multipleOf: s.multipleOf,
    enum: s.enum ?? [],
    maxProperties: s.maxProperties,
    minProperties: s.minProperties,
    required: s.required ?? [],
    allOf: (s.allOf ?? []).map(newNestedValueValidation),
    oneOf: (s.oneOf ?? []).map(newNestedValueValidation),
    anyOf: (s.anyOf ?? []).map(newNestedValueValidation),
    not: s.not ? newNestedValueValidation(s.not) : undefined,
  };
}

/** Upstream: convert.go (newNestedValueValidation) */
function newNestedValueValidation(s: JSONSchemaProps): NestedValueValidation {
  validateUnsupportedFields(s);
  const v: NestedValueValidation = {
    valueValidation: newValueValidation(s),
    xValidations: s['x-kubernetes-validations'] ?? [],
    forbiddenGenerics: newGenerics(s),
    forbiddenExtensions: newExtensions(s),
  };
  const items = itemsSchema(s);
  if (items) v.items = newNestedValueValidation(items);
  if (s.properties) v.properties = Object.fromEntries(Object.entries(s.properties).map(([k, x]) => [k, newNestedValueValidation(x)]));
  if (s.additionalProperties !== undefined) {
    if (typeof s.additionalProperties === 'object') v.additionalProperties = newNestedValueValidation(s.additionalProperties);
    else if (s.additionalProperties) v.additionalProperties = emptyNested();
  }
  return v;
}

const emptyGeneric = (): Generic => ({ description: '', type: '', title: '', default: undefined, nullable: false });
const emptyExtensions = (): Extensions => ({ xPreserveUnknownFields: false, xEmbeddedResource: false, xIntOrString: false, xListMapKeys: [] });
const emptyValueValidation = (): ValueValidation => newValueValidation({});
const emptyNested = (): NestedValueValidation => ({ valueValidation: emptyValueValidation(), xValidations: [], forbiddenGenerics: emptyGeneric(), forbiddenExtensions: emptyExtensions() });

/**
 * The structural form of a schema; throws for what a structural schema cannot express
 * (`OpenAPIV3Schema '$ref' is not supported`, items as an array, ...). Upstream: convert.go (NewStructural)
 */
export function newStructural(s: JSONSchemaProps | undefined): Structural | undefined {
  if (!s) return undefined;
  validateUnsupportedFields(s);
  const ss: Structural = { generic: newGenerics(s), extensions: newExtensions(s), valueValidation: newValueValidation(s), xValidations: s['x-kubernetes-validations'] ?? [] };
  const items = itemsSchema(s);
  if (items) ss.items = newStructural(items);
  if (s.properties && Object.keys(s.properties).length > 0) {
    ss.properties = Object.fromEntries(Object.entries(s.properties).map(([k, x]) => [k, newStructural(x)!]));
  }
  if (s.additionalProperties !== undefined) {
    if (typeof s.additionalProperties === 'object') ss.additionalProperties = { structural: newStructural(s.additionalProperties), bool: true };
    else ss.additionalProperties = { bool: s.additionalProperties };
  }
  return ss;
}

// ---------------------------------------------------------------------------------------------
// validation.go, complete.go: what makes a schema structural

type Level = 'root' | 'item' | 'field';

/** Go's reflect.DeepEqual against a zero value, field by field (absent and undefined alike). */
const isEmptyGeneric = (g: Generic): boolean => g.description === '' && g.type === '' && g.title === '' && g.default === undefined && !g.nullable;
const isEmptyExtensions = (x: Extensions): boolean =>
  !x.xPreserveUnknownFields && !x.xEmbeddedResource && !x.xIntOrString && x.xListMapKeys.length === 0 && x.xListType === undefined && x.xMapType === undefined;
function isEmptyValueValidation(v: ValueValidation): boolean {
  return (
    v.format === '' &&
    v.maximum === undefined &&
    !v.exclusiveMaximum &&
    v.minimum === undefined &&
    !v.exclusiveMinimum &&
    v.maxLength === undefined &&
    v.minLength === undefined &&
    v.pattern === '' &&
    v.maxItems === undefined &&
    v.minItems === undefined &&
    !v.uniqueItems &&
    v.multipleOf === undefined &&
    v.enum.length === 0 &&
    v.maxProperties === undefined &&
    v.minProperties === undefined &&
    v.required.length === 0 &&
    v.allOf.length === 0 &&
    v.oneOf.length === 0 &&
    v.anyOf.length === 0 &&
    v.not === undefined
  );
}

/** `{type: <type>}` and nothing else, as a nested value validation. */
const isTypeOnly = (n: NestedValueValidation, type: string): boolean =>
  isEmptyValueValidation(n.valueValidation) &&
  n.xValidations.length === 0 &&
  !n.items &&
  !n.properties &&
  !n.additionalProperties &&
  isEmptyExtensions(n.forbiddenExtensions) &&
  isEmptyGeneric({ ...n.forbiddenGenerics, type: '' }) &&
  n.forbiddenGenerics.type === type;

/** `anyOf: [{type: integer}, {type: string}]`. Upstream: validation.go (isIntOrStringAnyOfPattern) */
function isIntOrStringAnyOfPattern(s: Structural): boolean {
  const vv = s.valueValidation;
  return !!vv && vv.anyOf.length === 2 && isTypeOnly(vv.anyOf[0], 'integer') && isTypeOnly(vv.anyOf[1], 'string');
}

/** `allOf: [{anyOf: [{type: integer}, {type: string}]}, ...]`. Upstream: validation.go (isIntOrStringAllOfPattern) */
function isIntOrStringAllOfPattern(s: Structural): boolean {
  const vv = s.valueValidation;
  if (!vv || vv.allOf.length < 1) return false;
  const a = vv.allOf[0].valueValidation.anyOf;
  return a.length === 2 && isTypeOnly(a[0], 'integer') && isTypeOnly(a[1], 'string');
}

/**
 * The errors that make a schema non-structural, sorted by message as upstream sorts them
 * (`spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields`).
 * Upstream: validation.go (ValidateStructural, ValidateStructuralWithOptions)
 */
export function validateStructural(fldPath: Path | null, s: Structural | undefined): ErrorList {
  const errs = [...validateStructuralInvariants(s, 'root', fldPath), ...validateStructuralCompleteness(s, fldPath)];
  return errs.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

const child = (p: Path | null, ...names: string[]): Path => (p ? p.child(names[0], ...names.slice(1)) : newPath(names[0], ...names.slice(1)));

/** Upstream: validation.go (validateStructuralInvariants) */
function validateStructuralInvariants(s: Structural | undefined, lvl: Level, fldPath: Path | null): ErrorList {
  if (!s) return [];
  const errs: ErrorList = [];
  if (s.generic.type === 'array' && !s.items) errs.push(required(child(fldPath, 'items'), 'must be specified'));
  errs.push(...validateStructuralInvariants(s.items, 'item', child(fldPath, 'items')));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...validateStructuralInvariants(v, 'field', child(fldPath, 'properties').key(k)));
  if (s.additionalProperties) {
    if (lvl === 'root') errs.push(forbidden(child(fldPath, 'additionalProperties'), 'must not be used at the root'));
    if (s.additionalProperties.structural) errs.push(...validateStructuralInvariants(s.additionalProperties.structural, 'field', child(fldPath, 'additionalProperties')));
  }
  const x = s.extensions;
  if (x.xIntOrString && x.xPreserveUnknownFields) errs.push(invalid(child(fldPath, 'x-kubernetes-preserve-unknown-fields'), x.xPreserveUnknownFields, 'must be false if x-kubernetes-int-or-string is true'));
  if (x.xIntOrString && x.xEmbeddedResource) errs.push(invalid(child(fldPath, 'x-kubernetes-embedded-resource'), x.xEmbeddedResource, 'must be false if x-kubernetes-int-or-string is true'));
  errs.push(...validateValueValidation(s.valueValidation, isIntOrStringAnyOfPattern(s), isIntOrStringAllOfPattern(s), lvl, fldPath));

  const checkMetadata = lvl === 'root' || x.xEmbeddedResource;
  const type = s.generic.type;
  if (x.xEmbeddedResource && type !== 'object') {
    if (type.length === 0) errs.push(required(child(fldPath, 'type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(invalid(child(fldPath, 'type'), type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (type.length === 0 && !x.xIntOrString && !x.xPreserveUnknownFields) {
    const detail = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' }[lvl];
    errs.push(required(child(fldPath, 'type'), detail));
  }
  if (x.xEmbeddedResource && s.additionalProperties) errs.push(forbidden(child(fldPath, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && type.length > 0 && type !== 'object') errs.push(invalid(child(fldPath, 'type'), type, 'must be object at the root'));
  const props = s.properties ?? {};
  if (props.kind && checkMetadata && props.kind.generic.type !== 'string') errs.push(invalid(child(fldPath, 'properties').key('kind').child('type'), props.kind.generic.type, 'must be string'));
  if (props.apiVersion && checkMetadata && props.apiVersion.generic.type !== 'string') {
    errs.push(invalid(child(fldPath, 'properties').key('apiVersion').child('type'), props.apiVersion.generic.type, 'must be string'));
  }
  if (props.metadata) errs.push(...validateStructuralMetadataInvariants(props.metadata, checkMetadata, lvl, child(fldPath, 'properties').key('metadata')));
  if (x.xEmbeddedResource && !x.xPreserveUnknownFields && Object.keys(props).length === 0) {
    errs.push(required(child(fldPath, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** metadata may only restrict name and generateName. Upstream: validation.go (validateStructuralMetadataInvariants) */
function validateStructuralMetadataInvariants(s: Structural, checkMetadata: boolean, lvl: Level, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  if (checkMetadata && s.generic.type !== 'object') errs.push(invalid(fldPath.child('type'), s.generic.type, 'must be object'));
  if (lvl === 'root') {
    // A shallow copy, as upstream mutates its copy.
    const m: Structural = { ...s, generic: { ...s.generic } };
    const props = m.properties ?? {};
    const foundName = 'name' in props;
    const foundGenerateName = 'generateName' in props;
    const n = Object.keys(props).length;
    if ((foundName && foundGenerateName && n === 2) || ((foundName || foundGenerateName) && n === 1)) m.properties = undefined;
    m.generic.type = '';
    m.generic.default = undefined;
    const vv = m.valueValidation ?? emptyValueValidation();
    const onlyEmpty =
      !m.items &&
      m.properties === undefined &&
      !m.additionalProperties &&
      isEmptyGeneric(m.generic) &&
      isEmptyExtensions(m.extensions) &&
      m.xValidations.length === 0 &&
      isEmptyValueValidation(vv);
    if (!onlyEmpty) errs.push(forbidden(fldPath, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  return errs;
}

/** Upstream: validation.go (validateValueValidation) */
function validateValueValidation(v: ValueValidation | undefined, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, fldPath: Path | null): ErrorList {
  if (!v) return [];
  const errs: ErrorList = [];
  if (!skipAnyOf) v.anyOf.forEach((n, i) => errs.push(...validateNestedValueValidation(n, false, false, lvl, child(fldPath, 'anyOf').index(i))));
  v.allOf.forEach((n, i) => errs.push(...validateNestedValueValidation(n, skipFirstAllOfAnyOf && i === 0, false, lvl, child(fldPath, 'allOf').index(i))));
  v.oneOf.forEach((n, i) => errs.push(...validateNestedValueValidation(n, false, false, lvl, child(fldPath, 'oneOf').index(i))));
  if (v.not) errs.push(...validateNestedValueValidation(v.not, false, false, lvl, child(fldPath, 'not')));
  if (v.pattern.length > 0) {
    try {
      compilePattern(v.pattern);
    } catch (e) {
      errs.push(invalid(child(fldPath, 'pattern'), v.pattern, `must be a valid regular expression, but isn't: ${(e as Error).message}`));
    }
  }
  return errs;
}

/** Upstream: validation.go (validateNestedValueValidation) */
function validateNestedValueValidation(v: NestedValueValidation | undefined, skipAnyOf: boolean, skipAllOfAnyOf: boolean, lvl: Level, fldPath: Path): ErrorList {
  if (!v) return [];
  const errs: ErrorList = [];
  errs.push(...validateValueValidation(v.valueValidation, skipAnyOf, skipAllOfAnyOf, lvl, fldPath));
  errs.push(...validateNestedValueValidation(v.items, false, false, lvl, fldPath.child('items')));
  for (const [k, f] of Object.entries(v.properties ?? {})) errs.push(...validateNestedValueValidation(f, false, false, 'field', fldPath.child('properties').key(k)));
  const g = v.forbiddenGenerics;
  const x = v.forbiddenExtensions;
  if (g.type.length > 0) errs.push(forbidden(fldPath.child('type'), 'must be empty to be structural'));
  if (v.additionalProperties) errs.push(forbidden(fldPath.child('additionalProperties'), 'must be undefined to be structural'));
  if (g.default !== undefined) errs.push(forbidden(fldPath.child('default'), 'must be undefined to be structural'));
  if (g.title.length > 0) errs.push(forbidden(fldPath.child('title'), 'must be empty to be structural'));
  if (g.description.length > 0) errs.push(forbidden(fldPath.child('description'), 'must be empty to be structural'));
  if (g.nullable) errs.push(forbidden(fldPath.child('nullable'), 'must be false to be structural'));
  if (x.xPreserveUnknownFields) errs.push(forbidden(fldPath.child('x-kubernetes-preserve-unknown-fields'), 'must be false to be structural'));
  if (x.xEmbeddedResource) errs.push(forbidden(fldPath.child('x-kubernetes-embedded-resource'), 'must be false to be structural'));
  if (x.xIntOrString) errs.push(forbidden(fldPath.child('x-kubernetes-int-or-string'), 'must be false to be structural'));
  if (x.xListMapKeys.length > 0) errs.push(forbidden(fldPath.child('x-kubernetes-list-map-keys'), 'must be empty to be structural'));
  if (x.xListType !== undefined) errs.push(forbidden(fldPath.child('x-kubernetes-list-type'), 'must be undefined to be structural'));
  if (x.xMapType !== undefined) errs.push(forbidden(fldPath.child('x-kubernetes-map-type'), 'must be undefined to be structural'));
  if (v.xValidations.length > 0) errs.push(forbidden(fldPath.child('x-kubernetes-validations'), 'must be empty to be structural'));
  if (v.properties && 'metadata' in v.properties) errs.push(forbidden(fldPath.child('properties').key('metadata'), 'must not be specified in a nested context'));
  return errs;
}

/** Every field a value validation names must be specified structurally. Upstream: complete.go (validateStructuralCompleteness) */
function validateStructuralCompleteness(s: Structural | undefined, fldPath: Path | null): ErrorList {
  if (!s) return [];
  return validateValueValidationCompleteness(s.valueValidation, s, fldPath, fldPath);
}

function validateValueValidationCompleteness(v: ValueValidation | undefined, s: Structural | undefined, sPath: Path | null, vPath: Path | null): ErrorList {
  if (!v) return [];
  if (!s) return [required(sPath, `because it is defined in ${pathString(vPath)}`)];
  const errs: ErrorList = [];
  if (v.not) errs.push(...validateNestedValueValidationCompleteness(v.not, s, sPath, child(vPath, 'not')));
  v.allOf.forEach((n, i) => errs.push(...validateNestedValueValidationCompleteness(n, s, sPath, child(vPath, 'allOf').index(i))));
  v.anyOf.forEach((n, i) => errs.push(...validateNestedValueValidationCompleteness(n, s, sPath, child(vPath, 'anyOf').index(i))));
  v.oneOf.forEach((n, i) => errs.push(...validateNestedValueValidationCompleteness(n, s, sPath, child(vPath, 'oneOf').index(i))));
  return errs;
}

function validateNestedValueValidationCompleteness(v: NestedValueValidation | undefined, s: Structural | undefined, sPath: Path | null, vPath: Path): ErrorList {
  if (!v) return [];
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const errs: ErrorList = [];
  errs.push(...validateValueValidationCompleteness(v.valueValidation, s, sPath, vPath));
  errs.push(...validateNestedValueValidationCompleteness(v.items, s.items, child(sPath, 'items'), vPath.child('items')));
  for (const [k, vFld] of Object.entries(v.properties ?? {})) {
    const sFld = s.properties?.[k];
    if (!sFld) errs.push(required(child(sPath, 'properties').key(k), `because it is defined in ${vPath.child('properties').key(k)}`));
    else errs.push(...validateNestedValueValidationCompleteness(vFld, sFld, child(sPath, 'properties').key(k), vPath.child('properties').key(k)));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// pruning/algorithm.go, defaulting/{algorithm,prunenulls}.go

const metaFields = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Drops fields the schema does not specify, in place, and returns their paths sorted
 * (`spec.foo`, `status.items[0].bar`), which kube-apiserver reports as `unknown field "spec.foo"`
 * warnings. At the resource root, apiVersion, kind and metadata are kept.
 * Upstream: pruning/algorithm.go (PruneWithOptions, prune, skipPrune)
 */
export function prune(obj: unknown, s: Structural | undefined, isResourceRoot: boolean): string[] {
  let schema = s;
  if (isResourceRoot) {
    schema = schema ?? { generic: emptyGeneric(), extensions: emptyExtensions(), xValidations: [] };
    if (!schema.extensions.xEmbeddedResource) schema = { ...schema, extensions: { ...schema.extensions, xEmbeddedResource: true } };
  }
  const unknown: string[] = [];
  pruneRec(obj, schema, [], unknown);
  return unknown.sort();
}

function pathOf(parent: string[], key: string): string[] {
  return parent.length > 0 ? [...parent, '.', key] : [key];
}

function pruneRec(x: unknown, s: Structural | undefined, parent: string[], unknown: string[]): void {
  if (s && s.extensions.xPreserveUnknownFields) {
    skipPrune(x, s, parent, unknown);
    return;
  }
  if (isJSONObject(x)) {
    if (!s) {
      for (const k of Object.keys(x)) {
        unknown.push(pathOf(parent, k).join(''));
        delete x[k];
      }
      return;
    }
    for (const [k, v] of Object.entries(x)) {
      if (s.extensions.xEmbeddedResource && metaFields.has(k)) continue;
      const prop = s.properties?.[k];
      if (prop) pruneRec(v, prop, pathOf(parent, k), unknown);
      else if (s.additionalProperties) pruneRec(v, s.additionalProperties.structural, pathOf(parent, k), unknown);
      else {
        if (!metaFields.has(k) || parent.length > 0) unknown.push(pathOf(parent, k).join(''));
        delete x[k];
      }
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => pruneRec(v, s?.items, [...parent, '[', String(i), ']'], unknown));
  }
}

function skipPrune(x: unknown, s: Structural | undefined, parent: string[], unknown: string[]): void {
  if (!s) return;
  if (isJSONObject(x)) {
    for (const [k, v] of Object.entries(x)) {
      if (s.extensions.xEmbeddedResource && metaFields.has(k)) continue;
      const prop = s.properties?.[k];
      if (prop) pruneRec(v, prop, pathOf(parent, k), unknown);
      else if (s.additionalProperties) pruneRec(v, s.additionalProperties.structural, pathOf(parent, k), unknown);
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => skipPrune(v, s.items, [...parent, '[', String(i), ']'], unknown));
  }
}

const isNonNullableNull = (x: unknown, s: Structural | undefined): boolean => x === null && !!s && !s.generic.nullable;

/**
 * Sets defaults in place: a property the schema defaults is set when missing, or null where
 * null is not allowed; then recurses. Upstream: defaulting/algorithm.go (Default)
 */
export function applyDefaults(x: unknown, s: Structural | undefined): void {
  if (!s) return;
  if (isJSONObject(x)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (prop.generic.default === undefined) continue;
      if (!(k in x) || isNonNullableNull(x[k], prop)) x[k] = jsonClone(prop.generic.default);
    }
    for (const k of Object.keys(x)) {
      const prop = s.properties?.[k];
      if (prop) applyDefaults(x[k], prop);
      else if (s.additionalProperties) {
        const ap = s.additionalProperties.structural;
        if (isNonNullableNull(x[k], ap)) x[k] = jsonClone(ap!.generic.default);
        applyDefaults(x[k], ap);
      }
    }
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], s.items)) x[i] = jsonClone(s.items!.generic.default);
      applyDefaults(x[i], s.items);
    }
  }
}

/** Drops null values the schema neither allows nor defaults, in place. Upstream: defaulting/prunenulls.go (PruneNonNullableNullsWithoutDefaults) */
export function pruneNonNullableNullsWithoutDefaults(x: unknown, s: Structural | undefined): void {
  if (isJSONObject(x)) {
    for (const [k, v] of Object.entries(x)) {
      const schema = s ? (s.properties?.[k] ?? s.additionalProperties?.structural) : undefined;
      if (v === null && schema && !schema.generic.nullable && schema.generic.default === undefined) delete x[k];
      else pruneNonNullableNullsWithoutDefaults(v, schema);
    }
  } else if (Array.isArray(x)) {
    for (const v of x) pruneNonNullableNullsWithoutDefaults(v, s?.items);
  }
}

// ---------------------------------------------------------------------------------------------
// Value validation: kube-openapi's SchemaValidator over the CRD schema as apiextensions converts it.

/** A kube-openapi validation error: its code decides the field error it becomes. */
interface OpenAPIError {
  code: 'required' | 'enum' | 'tooLong' | 'maxItems' | 'tooManyProperties' | 'invalidType' | 'other' | 'composite';
  /** The path as kube-openapi names it (`spec.replicas`, `.spec` for a required root field). */
  name: string;
  value?: unknown;
  /** The limit (max length, max items, max properties), or the enum values. */
  valid?: unknown;
  message: string;
}

/** Formats apiextensions keeps (others are stripped and not validated). Upstream: pkg/apiserver/validation/formats.go (supportedVersionedFormats) */
const SUPPORTED_FORMATS = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
  // Since 1.34. Upstream stores the names without dashes, as go-openapi normalizes them.
  'k8sshortname',
  'k8slongname',
]);

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** The simple format checks of kube-openapi's strfmt registry; formats without one here accept any string. */
function formatValid(format: string, v: string): boolean {
  switch (format.replace(/-/g, '')) {
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v);
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v);
    case 'byte':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0;
    case 'ipv4':
      return IPV4.test(v);
    case 'ipv6':
      return v.includes(':') && /^[0-9A-Fa-f:.]+$/.test(v);
    case 'cidr': {
      const [ip, bits, ...rest] = v.split('/');
      if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits)) return false;
      return IPV4.test(ip) ? Number(bits) <= 32 : ip.includes(':') && Number(bits) <= 128;
    }
    case 'uuid':
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v);
    case 'email':
      return /^[^@\s]+@[^@\s]+$/.test(v);
    case 'hostname':
      return /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*\.?$/.test(v) && v.length <= 255;
    case 'mac':
      return /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(v);
    case 'duration':
      return /^([0-9]+(\.[0-9]+)?\s*(ns|us|µs|ms|s|m|h|d|w)\s*)+$/.test(v);
    case 'k8sshortname':
      return isDNS1123Label(v).length === 0;
    case 'k8slongname':
      return isDNS1123Subdomain(v).length === 0;
    default:
      return true;
  }
}

/**
 * A Go (RE2) pattern compiled as a JavaScript RegExp (the syntax agrees for the patterns CRDs
 * use); a bad pattern throws Go's `error parsing regexp: ...` text for the common mistakes.
 * Upstream: Go's regexp/syntax (ErrMissingRepeatArgument, ErrMissingParen, ErrMissingBracket)
 */
function compilePattern(pattern: string): RegExp {
  const rep = /(?:^|(?<!\\)\|)([*+?])|(?<!\\)\(([*+])/.exec(pattern);
  if (rep) throw new Error(`error parsing regexp: missing argument to repetition operator: \`${rep[1] ?? rep[2]}\``);
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch (e) {
      let open = 0;
      for (const c of pattern.replace(/\\./g, '')) open += c === '(' ? 1 : c === ')' ? -1 : 0;
      if (open > 0) throw new Error(`error parsing regexp: missing closing ): \`${pattern}\``);
      if (open < 0) throw new Error(`error parsing regexp: unexpected ): \`${pattern}\``);
      if (/\[[^\]]*$/.test(pattern)) throw new Error(`error parsing regexp: missing closing ]: \`${pattern.slice(pattern.lastIndexOf('['))}\``);
      throw new Error(`error parsing regexp: ${(e as Error).message}`);
    }
  }
}

/** The OpenAPI type name of a decoded JSON value (integers as kube-apiserver decodes them, int64). */
function schemaTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** The schema's types: `["integer","string"]` for x-kubernetes-int-or-string. Upstream: pkg/apiserver/validation/validation.go (ConvertJSONSchemaPropsWithPostProcess) */
function typesOf(s: JSONSchemaProps): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

const formatOf = (s: JSONSchemaProps): string => (s.format && SUPPORTED_FORMATS.has(s.format.replace(/-/g, '')) ? s.format : '');

/** `%s in %s must be of type %s: %q` and its variants. Upstream: errors/schema.go (InvalidType) */
function invalidType(path: string, typeName: string, value: unknown): OpenAPIError {
  const msg = typeof value === 'string' ? `${path} in body must be of type ${typeName}: ${goQuote(value)}` : `${path} in body must be of type ${typeName}`;
  return { code: 'invalidType', name: path, value, message: msg };
}

/** `%v` of a bound: int64 when the value is an integer, else float64. */
const bound = (n: number, asInt: boolean) => (asInt ? String(Math.trunc(n)) : goFloat(n));

/**
 * Validates one value against one schema node, as kube-openapi's SchemaValidator: type, the
 * logical junctors, string, format, number, list, enum, object, in that order.
 * Upstream: kube-openapi validate/schema.go (SchemaValidator.Validate) and the validators it runs
 */
function validateValue(s: JSONSchemaProps, data: unknown, path: string): OpenAPIError[] {
  const errs: OpenAPIError[] = [];
  const types = typesOf(s);
  const format = formatOf(s);
  const nullable = s.nullable ?? false;

  if (data === null || data === undefined) {
    if (types.length > 0 && !nullable) errs.push(invalidType(path, types.join(','), 'null'));
    errs.push(...enumErrors(s, data, path));
    return errs;
  }
  const kind = schemaTypeOf(data);

  // type.go (typeValidator.Validate)
  if (types.length > 0 || format !== '') {
    const goFormat = kind === 'integer' ? 'int64' : kind === 'number' ? 'float64' : '';
    const isFloatInt = kind === 'number' && Number.isInteger(data) && types.includes('integer');
    const isIntFloat = kind === 'integer' && types.includes('number');
    if (kind !== 'string' && kind !== 'array' && format !== '' && !(types.includes(kind) || goFormat === format || isFloatInt || isIntFloat)) {
      errs.push(invalidType(path, format, goFormat));
    } else if (!(!(types.includes('number') || types.includes('integer')) && format !== '' && (kind === 'string' || kind === 'array'))) {
      if (!(types.includes(kind) || isFloatInt || isIntFloat)) errs.push(invalidType(path, types.join(','), kind));
    }
  }

  errs.push(...schemaPropsErrors(s, data, path));

  if (kind === 'string') {
    const str = data as string;
    const runes = [...str].length;
    // validator.go (stringValidator): the first failure only.
    if (s.maxLength !== undefined && runes > s.maxLength) {
      errs.push({ code: 'tooLong', name: path, value: str, valid: s.maxLength, message: `${path} in body should be at most ${s.maxLength} chars long` });
    } else if (s.minLength !== undefined && runes < s.minLength) {
      errs.push({ code: 'other', name: path, value: str, message: `${path} in body should be at least ${s.minLength} chars long` });
    } else if (s.pattern) {
      let re: RegExp | undefined;
      try {
        re = compilePattern(s.pattern);
      } catch (e) {
        errs.push({ code: 'other', name: path, value: str, message: `${path} in body should match '${s.pattern}, but pattern is invalid: ${(e as Error).message}'` });
      }
      if (re && !re.test(str)) errs.push({ code: 'other', name: path, value: str, message: `${path} in body should match '${s.pattern}'` });
    }
    // formats.go (formatValidator)
    if (format !== '' && !formatValid(format, str)) errs.push(invalidType(path, format, str));
  }

  if (kind === 'integer' || kind === 'number') {
    const n = data as number;
    const asInt = kind === 'integer';
    // validator.go (numberValidator): multipleOf, minimum, maximum.
    if (s.multipleOf !== undefined) {
      const factor = asInt ? Math.trunc(s.multipleOf) : s.multipleOf;
      if (factor <= 0) errs.push({ code: 'other', name: path, value: factor, message: `factor MultipleOf declared for ${path} must be positive: ${bound(factor, asInt)}` });
      else {
        const ok = asInt ? n % factor === 0 : Number.isInteger(factor < 1 ? (1 / factor) * n : n / factor);
        if (!ok) errs.push({ code: 'other', name: path, value: n, message: `${path} in body should be a multiple of ${bound(factor, asInt)}` });
      }
    }
    if (s.minimum !== undefined) {
      const min = asInt ? Math.trunc(s.minimum) : s.minimum;
      const excl = s.exclusiveMinimum ?? false;
      if ((!excl && n < min) || (excl && n <= min)) {
        errs.push({ code: 'other', name: path, value: n, message: `${path} in body should be greater than ${excl ? '' : 'or equal to '}${bound(min, asInt)}` });
      }
    }
    if (s.maximum !== undefined) {
      const max = asInt ? Math.trunc(s.maximum) : s.maximum;
      const excl = s.exclusiveMaximum ?? false;
      if ((!excl && n > max) || (excl && n >= max)) {
        errs.push({ code: 'other', name: path, value: n, message: `${path} in body should be less than ${excl ? '' : 'or equal to '}${bound(max, asInt)}` });
      }
    }
  }

  if (kind === 'array') {
    const list = data as unknown[];
    // slice_validator.go
    const items = Array.isArray(s.items) ? undefined : s.items;
    if (items) list.forEach((v, i) => errs.push(...validateValue(items, v, `${path}[${i}]`)));
    if (s.minItems !== undefined && list.length < s.minItems) errs.push({ code: 'other', name: path, value: list.length, message: `${path} in body should have at least ${s.minItems} items` });
    if (s.maxItems !== undefined && list.length > s.maxItems) {
      errs.push({ code: 'maxItems', name: path, value: list.length, valid: s.maxItems, message: `${path} in body should have at most ${s.maxItems} items` });
    }
    if (s.uniqueItems && list.some((v, i) => list.slice(0, i).some((u) => jsonEqual(u, v)))) errs.push({ code: 'other', name: path, message: `${path} in body shouldn't contain duplicates` });
  }

  errs.push(...enumErrors(s, data, path));

  if (kind === 'object') errs.push(...objectErrors(s, data as Record<string, unknown>, path));
  return errs;
}

/** validator.go (basicCommonValidator): the value must equal one of the enum values. */
function enumErrors(s: JSONSchemaProps, data: unknown, path: string): OpenAPIError[] {
  const values = s.enum ?? [];
  if (values.length === 0) return [];
  // A null value matches no enum value (reflect.ValueOf(nil) is not valid upstream).
  if (data !== null && data !== undefined && values.some((e) => jsonEqual(e, data) || (typeof e === 'number' && typeof data === 'number' && e === data))) return [];
  return [{ code: 'enum', name: path, value: data, valid: values, message: `${path} in body should be one of ${goValue(values)}` }];
}

/** object_validator.go (objectValidator.Validate) */
function objectErrors(s: JSONSchemaProps, val: Record<string, unknown>, path: string): OpenAPIError[] {
  const errs: OpenAPIError[] = [];
  const n = Object.keys(val).length;
  if (s.minProperties !== undefined && n < s.minProperties) errs.push({ code: 'other', name: path, value: n, message: `${path} in body should have at least ${s.minProperties} properties` });
  if (s.maxProperties !== undefined && n > s.maxProperties) {
    errs.push({ code: 'tooManyProperties', name: path, value: n, valid: s.maxProperties, message: `${path} in body should have at most ${s.maxProperties} properties` });
  }
  const props = s.properties ?? {};
  if (s.additionalProperties === false) {
    for (const k of Object.keys(val)) if (!(k in props)) errs.push({ code: 'other', name: path, value: k, message: `${path}.${k} in body is a forbidden property` });
  } else if (typeof s.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(val)) if (!(k in props)) errs.push(...validateValue(s.additionalProperties, v, `${path}.${k}`));
  }
  for (const [pName, pSchema] of Object.entries(props)) {
    if (pName in val) errs.push(...validateValue(pSchema, val[pName], path === '' ? pName : `${path}.${pName}`));
  }
  for (const k of s.required ?? []) {
    if (!(k in val)) errs.push({ code: 'required', name: `${path}.${k}`, message: `${path}.${k} in body is required` });
  }
  return errs;
}

/**
 * schema_props.go: allOf, oneOf, anyOf, not. When no alternative of anyOf / oneOf validates, the
 * errors of the first one are reported with the junctor's own error.
 */
function schemaPropsErrors(s: JSONSchemaProps, data: unknown, path: string): OpenAPIError[] {
  const errs: OpenAPIError[] = [];
  const composite = (message: string): OpenAPIError => ({ code: 'composite', name: path, message });
  if (s.anyOf && s.anyOf.length > 0) {
    const results = s.anyOf.map((a) => validateValue(a, data, path));
    if (!results.some((r) => r.length === 0)) errs.push(composite(`${goQuote(path)} must validate at least one schema (anyOf)`), ...results[0]);
  }
  if (s.oneOf && s.oneOf.length > 0) {
    const results = s.oneOf.map((a) => validateValue(a, data, path));
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      errs.push(composite(`${goQuote(path)} must validate one and only one schema (oneOf). ${valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`}`));
      if (valid === 0) errs.push(...results[0]);
    }
  }
  if (s.allOf && s.allOf.length > 0) {
    const results = s.allOf.map((a) => validateValue(a, data, path));
    const valid = results.filter((r) => r.length === 0).length;
    for (const r of results) errs.push(...r);
    if (valid !== results.length) errs.push(composite(`${goQuote(path)} must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`));
  }
  if (s.not && validateValue(s.not, data, path).length === 0) errs.push(composite(`${goQuote(path)} must not validate the schema (not)`));
  return errs;
}

/**
 * A custom resource (or its status) against a CRD version's openAPIV3Schema, as field errors:
 * `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`,
 * `spec: Required value`, `spec.color: Unsupported value: "purple": supported values: "red", "blue"`.
 * `fldPath` is null for the whole object (as upstream passes nil) or e.g. `status`.
 * Upstream: apiextensions-apiserver pkg/apiserver/validation/validation.go (ValidateCustomResource, kubeOpenAPIResultToFieldErrors)
 */
export function validateCustomResource(fldPath: Path | null, obj: unknown, schema: JSONSchemaProps | undefined): ErrorList {
  if (!schema) return [];
  return validateValue(schema, obj, '').map((e) => toFieldError(fldPath, e));
}

/** Upstream: validation.go (kubeOpenAPIResultToFieldErrors) */
function toFieldError(fldPath: Path | null, e: OpenAPIError): FieldError {
  if (e.code === 'composite') return invalid(fldPath, '', e.message);
  let errPath: Path | null = fldPath;
  if (e.name.length > 0 && e.name !== '.') errPath = child(fldPath, e.name.replace(/^\./, ''));
  const value = e.value === undefined || e.value === null ? '' : e.value;
  switch (e.code) {
    case 'required':
      return required(errPath, '');
    case 'enum':
      return notSupported(
        errPath,
        e.value,
        (e.valid as unknown[]).map((v) => (typeof v === 'string' ? v : goJSONMarshal(v))),
      );
    case 'tooLong':
      return tooLong(errPath, '', e.valid as number);
    case 'maxItems':
    case 'tooManyProperties':
      return tooMany(errPath, e.value as number, e.valid as number);
    case 'invalidType':
      return typeInvalid(errPath, value, e.message);
    default:
      return invalid(errPath, value, e.message);
  }
}

// ---------------------------------------------------------------------------------------------
// The CRD: defaults, the schema of a version, and the validation that rejects a bad schema.

/** The parts of a CustomResourceDefinition (apiextensions.k8s.io/v1) read here. */
export interface CustomResourceDefinition {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; [k: string]: unknown };
  spec: {
    group: string;
    names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
    scope: string;
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema?: { openAPIV3Schema?: JSONSchemaProps };
      subresources?: { status?: object; scale?: object };
      selectableFields?: Array<{ jsonPath: string }>;
      [k: string]: unknown;
    }>;
    preserveUnknownFields?: boolean;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** singular = lower(kind) and listKind = kind + "List" when unset. Upstream: apiextensions/v1/defaults.go (SetDefaults_CustomResourceDefinitionSpec) */
export function setCRDDefaults(crd: CustomResourceDefinition): CustomResourceDefinition {
  const out = jsonClone(crd);
  const names = out.spec.names;
  if (!names.singular) names.singular = (names.kind ?? '').toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  return out;
}

/** The openAPIV3Schema of a version, or undefined. */
export function schemaForVersion(crd: CustomResourceDefinition, version: string): JSONSchemaProps | undefined {
  return crd.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
}

const openapiV3Types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/** The static checks of one schema node and below. Upstream: apis/apiextensions/validation/validation.go (ValidateCustomResourceDefinitionOpenAPISchema, specStandardValidatorV3.validate) */
function validateOpenAPISchema(s: JSONSchemaProps | undefined, fldPath: Path): ErrorList {
  if (!s) return [];
  const errs: ErrorList = [];
  if (s.type && !openapiV3Types.includes(s.type)) errs.push(notSupported(fldPath.child('type'), s.type, openapiV3Types));
  if (s.id) errs.push(forbidden(fldPath.child('id'), 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(forbidden(fldPath.child('additionalItems'), 'additionalItems is not supported'));
  if (s.patternProperties && Object.keys(s.patternProperties).length > 0) errs.push(forbidden(fldPath.child('patternProperties'), 'patternProperties is not supported'));
  if (s.definitions && Object.keys(s.definitions).length > 0) errs.push(forbidden(fldPath.child('definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(forbidden(fldPath.child('dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(forbidden(fldPath.child('$ref'), '$ref is not supported'));
  if (s.type === 'null') errs.push(forbidden(fldPath.child('type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items)) errs.push(forbidden(fldPath.child('items'), 'items must be a schema object and not an array'));
  if (s.uniqueItems) errs.push(forbidden(fldPath.child('uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined && Object.keys(s.properties ?? {}).length !== 0) {
    if (s.additionalProperties === false || typeof s.additionalProperties === 'object') {
      errs.push(forbidden(fldPath.child('additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
  }
  if (typeof s.additionalProperties === 'object') errs.push(...validateOpenAPISchema(s.additionalProperties, fldPath.child('additionalProperties')));
  for (const [k, p] of Object.entries(s.properties ?? {})) errs.push(...validateOpenAPISchema(p, fldPath.child('properties').key(k)));
  errs.push(...validateOpenAPISchema(s.not, fldPath.child('not')));
  (s.allOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, fldPath.child('allOf').index(i))));
  (s.oneOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, fldPath.child('oneOf').index(i))));
  (s.anyOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, fldPath.child('anyOf').index(i))));
  if (s.items && !Array.isArray(s.items)) errs.push(...validateOpenAPISchema(s.items, fldPath.child('items')));
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalid(fldPath.child('x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined && s.type !== 'array') {
    if (!s.type) errs.push(required(fldPath.child('type'), 'must be array if x-kubernetes-list-type is specified'));
    else errs.push(invalid(fldPath.child('type'), s.type, 'must be array if x-kubernetes-list-type is specified'));
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) errs.push(notSupported(fldPath.child('x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    if (!s.type) errs.push(required(fldPath.child('type'), 'must be object if x-kubernetes-map-type is specified'));
    else errs.push(invalid(fldPath.child('type'), s.type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') errs.push(notSupported(fldPath.child('x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  return errs;
}

/** Does every version carry the same schema (then upstream's internal form holds it once, at spec.validation)? Upstream: apiextensions/v1/conversion.go (Convert_v1_CustomResourceDefinitionSpec_To_apiextensions_CustomResourceDefinitionSpec) */
function hoistedSchema(crd: CustomResourceDefinition): boolean {
  const vs = crd.spec.versions;
  return vs.length > 0 && vs.every((v) => jsonEqual(v.schema ?? null, vs[0].schema ?? null));
}

/** The checks of one schema: structural, then the static ones, then defaults. Upstream: validation.go (validateCustomResourceDefinitionValidation) */
function validateCRDSchema(schema: JSONSchemaProps | undefined, statusEnabled: boolean, fldPath: Path): ErrorList {
  if (!schema) return [];
  const errs: ErrorList = [];
  if (statusEnabled && schema.type !== undefined && schema.type !== 'object') {
    errs.push(invalid(fldPath.child('openAPIV3Schema.type'), schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
  }
  if (schema.nullable) errs.push(forbidden(fldPath.child('openAPIV3Schema.nullable'), 'nullable cannot be true at the root'));
  let initErrs: ErrorList = [];
  let structural: Structural | undefined;
  try {
    structural = newStructural(schema);
  } catch (e) {
    initErrs = [invalid(fldPath.child('openAPIV3Schema'), '', (e as Error).message)];
  }
  if (structural) {
    const se = validateStructural(fldPath.child('openAPIV3Schema'), structural);
    if (se.length > 0) errs.push(...se);
    else errs.push(...validateDefaults(structural, schema, fldPath.child('openAPIV3Schema')));
  }
  errs.push(...validateOpenAPISchema(schema, fldPath.child('openAPIV3Schema')));
  if (errs.length === 0) errs.push(...initErrs);
  return errs;
}

/**
 * Each default has no unknown fields and validates against its own schema (the validator's root
 * is the default itself, so a scalar's message starts with an empty name: ` in body must be ...`).
 * Upstream: schema/defaulting/validation.go (ValidateDefaults, validate), without the metadata and CEL checks
 */
function validateDefaults(s: Structural, props: JSONSchemaProps, fldPath: Path): ErrorList {
  const errs: ErrorList = [];
  const visit = (st: Structural | undefined, p: JSONSchemaProps | undefined, path: Path) => {
    if (!st || !p) return;
    if (st.generic.default !== undefined) {
      const pruned = jsonClone(st.generic.default);
      prune(pruned, st, st.extensions.xEmbeddedResource);
      if (!jsonEqual(pruned, st.generic.default)) errs.push(invalid(path.child('default'), st.generic.default, 'must not have unknown fields'));
      else for (const e of validateCustomResource(path.child('default'), st.generic.default, p)) errs.push(e);
    }
    for (const [k, c] of Object.entries(st.properties ?? {})) visit(c, p.properties?.[k], path.child('properties').key(k));
    if (st.items && p.items && !Array.isArray(p.items)) visit(st.items, p.items, path.child('items'));
    if (st.additionalProperties?.structural && typeof p.additionalProperties === 'object') visit(st.additionalProperties.structural, p.additionalProperties, path.child('additionalProperties'));
  };
  visit(s, props, fldPath);
  return errs;
}

/**
 * A CustomResourceDefinition as kube-apiserver checks one on create (defaults applied first):
 * metadata.name `<plural>.<group>`, the group (a domain with a dot), scope, names, versions
 * (unique, exactly one storage version, DNS-1035 names), and each schema (required, structural,
 * static checks, defaults valid). When every version has the same schema, upstream validates it
 * once at `spec.validation.openAPIV3Schema`, and so does this. CEL rules, conversion webhooks,
 * printer columns and managed fields are not checked.
 * Upstream: apis/apiextensions/validation/validation.go (ValidateCustomResourceDefinition,
 * validateCustomResourceDefinitionSpec, ValidateCustomResourceDefinitionNames, ...)
 */
export function validateCustomResourceDefinition(input: CustomResourceDefinition): ErrorList {
  const crd = setCRDDefaults(input);
  const spec = crd.spec;
  const errs: ErrorList = [];
  const nameFn = (name: string, prefix: boolean) => {
    const ret = nameIsDNSSubdomain(name, prefix);
    if (name !== `${spec.names.plural}.${spec.group}`) ret.push('must be spec.names.plural+"."+spec.group');
    return ret;
  };
  errs.push(...validateObjectMeta(crd.metadata, false, nameFn, newPath('metadata')));
  const fld = newPath('spec');
  if (!spec.group) errs.push(required(fld.child('group'), ''));
  else {
    const ge = isDNS1123Subdomain(spec.group);
    if (ge.length > 0) errs.push(invalid(fld.child('group'), spec.group, ge.join(',')));
    else if (spec.group.split('.').length < 2) errs.push(invalid(fld.child('group'), spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(required(fld.child('scope'), ''));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(notSupported(fld.child('scope'), spec.scope, ['Cluster', 'Namespaced']));

  const hoisted = hoistedSchema(crd);
  const versions = spec.versions ?? [];
  if (!(hoisted && versions[0]?.schema?.openAPIV3Schema)) {
    versions.forEach((v, i) => {
      if (!v.schema?.openAPIV3Schema) errs.push(required(fld.child('versions').index(i).child('schema').child('openAPIV3Schema'), ''));
    });
  }
  let storage = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    if (v.storage) storage++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const ve = isDNS1035Label(v.name);
    if (ve.length > 0) errs.push(invalid(fld.child('versions').index(i).child('name'), v.name, ve.join(',')));
    if (!hoisted) errs.push(...validateCRDSchema(v.schema?.openAPIV3Schema, !!v.subresources?.status, fld.child('versions').index(i).child('schema')));
  });
  if (!unique) errs.push(invalid(fld.child('versions'), versions, 'must contain unique version names'));
  if (storage !== 1) errs.push(invalid(fld.child('versions'), versions, 'must have exactly one version marked as storage version'));

  const names = spec.names;
  if (!names.plural) errs.push(required(fld.child('names', 'plural'), ''));
  if (!names.singular) errs.push(required(fld.child('names', 'singular'), ''));
  if (!names.kind) errs.push(required(fld.child('names', 'kind'), ''));
  if (!names.listKind) errs.push(required(fld.child('names', 'listKind'), ''));
  const nf = fld.child('names');
  const d1035 = (v: string) => isDNS1035Label(v).join(',');
  if (names.plural && d1035(names.plural)) errs.push(invalid(nf.child('plural'), names.plural, d1035(names.plural)));
  if (names.singular && d1035(names.singular)) errs.push(invalid(nf.child('singular'), names.singular, d1035(names.singular)));
  if (names.kind && d1035(names.kind.toLowerCase())) errs.push(invalid(nf.child('kind'), names.kind, `may have mixed case, but should otherwise match: ${d1035(names.kind.toLowerCase())}`));
  if (names.listKind && d1035(names.listKind.toLowerCase())) {
    errs.push(invalid(nf.child('listKind'), names.listKind, `may have mixed case, but should otherwise match: ${d1035(names.listKind.toLowerCase())}`));
  }
  (names.shortNames ?? []).forEach((sn, i) => {
    if (d1035(sn)) errs.push(invalid(nf.child('shortNames').index(i), sn, d1035(sn)));
  });
  if (names.kind && names.kind === names.listKind) errs.push(invalid(nf.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  if (hoisted) {
    const statusEnabled = versions.some((v) => !!v.subresources?.status);
    errs.push(...validateCRDSchema(versions[0]?.schema?.openAPIV3Schema, statusEnabled, fld.child('validation')));
  }
  return errs;
}

/**
 * `kind` and `apiVersion` of a custom resource match its CRD version (checked before anything else).
 * Upstream: apiextensions-apiserver pkg/registry/customresource/validator.go (ValidateTypeMeta)
 */
export function validateCustomResourceTypeMeta(obj: { kind?: unknown; apiVersion?: unknown }, group: string, version: string, kind: string): ErrorList {
  const errs: ErrorList = [];
  if (obj.kind !== kind) errs.push(invalid(newPath('kind'), obj.kind ?? '', `must be ${kind}`));
  if (obj.apiVersion !== `${group}/${version}`) errs.push(invalid(newPath('apiVersion'), obj.apiVersion ?? '', `must be ${group}/${version}`));
  return errs;
}

/** CRD schemas after apiextensions-apiserver (structural schema, pruning, defaulting, validation), for `import { crdschema } from 'kubelab'`. */
export const crdschema = {
  newStructural,
  validateStructural,
  prune,
  applyDefaults,
  pruneNonNullableNullsWithoutDefaults,
  validateCustomResource,
  validateCustomResourceTypeMeta,
  validateCustomResourceDefinition,
  setCRDDefaults,
  schemaForVersion,
} as const;
