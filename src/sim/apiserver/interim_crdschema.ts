/**
 * INTERIM: the CRD schema functions the API server calls, with the names and signatures of the
 * apimachinery model's `crdschema` (src/sim/apimachinery/schema.ts) so the switch is one import;
 * this file goes when that model is merged. Covers what the labs' CRDs use: types, required,
 * enum, minimum / maximum, minLength / maxLength, pattern, minItems / maxItems, items,
 * properties, additionalProperties, x-kubernetes-preserve-unknown-fields, defaults, pruning.
 * Upstream: apiextensions-apiserver v0.34.0 pkg/apiserver/schema (pruning, defaulting),
 * pkg/apiserver/validation, pkg/apis/apiextensions/validation (ValidateCustomResourceDefinition),
 * kube-openapi pkg/validation/validate and errors/schema.go (the wording).
 */
import {
  FieldPath,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  fieldTypeInvalid,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  type FieldError,
} from './interim_machinery';

export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
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
  enum?: unknown[];
  required?: string[];
  items?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

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
      subresources?: { status?: object; scale?: { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string } };
      [k: string]: unknown;
    }>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** The schema of a served version. */
// Upstream: apiextensions helpers (GetSchemaForVersion)
export function schemaForVersion(crd: CustomResourceDefinition, version: string): JSONSchemaProps | undefined {
  return crd.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'boolean' : 'string');
const goVal = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

// Upstream: kube-openapi validate (type, object, slice, string, number validators) as apiextensions reports them
function validateValue(s: JSONSchemaProps | undefined, v: unknown, p: FieldPath, errs: FieldError[]): void {
  if (!s || v === undefined) return;
  const path = p.toString();
  const where = path || '<nil>';
  if (v === null) {
    if (!s.nullable && s.type) errs.push(fieldTypeInvalid(p, 'null', `${where} in body must be of type ${s.type}: "null"`));
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) errs.push(fieldTypeInvalid(p, typeOf(v), `${where} in body must be of type integer,string: "${typeOf(v)}"`));
  } else if (s.type) {
    const t = typeOf(v);
    const ok = s.type === t || (s.type === 'number' && t === 'integer');
    if (!ok) {
      errs.push(fieldTypeInvalid(p, t, `${where} in body must be of type ${s.type}: "${t}"`));
      return;
    }
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) errs.push(fieldNotSupported(p, v, s.enum.map((e) => String(e))));
  if (typeof v === 'number') {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) errs.push(fieldInvalid(p, v, `${where} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
    if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) errs.push(fieldInvalid(p, v, `${where} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (s.maxLength !== undefined && len > s.maxLength) errs.push(fieldTooLong(p, s.maxLength));
    if (s.minLength !== undefined && len < s.minLength) errs.push(fieldInvalid(p, v, `${where} in body should be at least ${s.minLength} chars long`));
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(v)) errs.push(fieldInvalid(p, v, `${where} in body should match '${s.pattern}'`));
  }
  if (Array.isArray(v)) {
    if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(fieldTooMany(p, v.length, s.maxItems));
    if (s.minItems !== undefined && v.length < s.minItems) errs.push(fieldInvalid(p, v, `${where} in body should have at least ${s.minItems} items`));
    v.forEach((e, i) => validateValue(s.items, e, p.index_(i), errs));
  }
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) errs.push(fieldRequired(p.child(r), ''));
    for (const [k, x] of Object.entries(o)) {
      const ps = s.properties?.[k];
      if (ps) validateValue(ps, x, p.child(k), errs);
      else if (typeof s.additionalProperties === 'object') validateValue(s.additionalProperties, x, p.child(k), errs);
    }
  }
  void goVal;
}

/** A custom resource's value errors against its version's schema (metadata excepted). */
// Upstream: apiextensions-apiserver pkg/apiserver/validation (ValidateCustomResource)
export function validateCustomResource(fldPath: FieldPath | null, obj: unknown, schema: JSONSchemaProps | undefined): FieldError[] {
  if (!schema) return [];
  const errs: FieldError[] = [];
  const o = { ...(obj as Record<string, unknown>) };
  delete o.metadata;
  delete o.apiVersion;
  delete o.kind;
  const s: JSONSchemaProps = { ...schema, properties: { ...(schema.properties ?? {}) } };
  delete s.properties?.metadata;
  delete s.properties?.apiVersion;
  delete s.properties?.kind;
  for (const [k, x] of Object.entries(o)) {
    const ps = s.properties?.[k];
    if (ps) validateValue(ps, x, fldPath ? fldPath.child(k) : FieldPath.of(k), errs);
  }
  for (const r of s.required ?? []) if (!['metadata', 'apiVersion', 'kind'].includes(r) && !(r in o)) errs.push(fieldRequired(fldPath ? fldPath.child(r) : FieldPath.of(r), ''));
  return errs;
}

/** The structural schema (here the schema itself). */
export function newStructural(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  return s;
}

/** Removes fields the schema does not know; returns their paths, sorted (Go: `pruning.PruneWithOptions`). */
// Upstream: apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go (Prune)
export function prune(obj: unknown, s: JSONSchemaProps | undefined, isResourceRoot: boolean): string[] {
  const unknown: string[] = [];
  const rec = (x: unknown, sch: JSONSchemaProps | undefined, path: string[], root: boolean) => {
    if (!sch) return;
    if (Array.isArray(x)) {
      x.forEach((e, i) => rec(e, sch.items, [...path.slice(0, -1), `${path[path.length - 1] ?? ''}[${i}]`], false));
      return;
    }
    if (x === null || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (root && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      const ps = sch.properties?.[k];
      if (ps) rec(o[k], ps, [...path, k], false);
      else if (typeof sch.additionalProperties === 'object') rec(o[k], sch.additionalProperties, [...path, k], false);
      else if (sch.additionalProperties === true || sch['x-kubernetes-preserve-unknown-fields']) continue;
      else {
        unknown.push([...path, k].join('.'));
        delete o[k];
      }
    }
  };
  rec(obj, s ?? {}, [], isResourceRoot);
  return unknown.sort();
}

/** Sets the schema's defaults where fields are absent (Go: `structuraldefaulting.Default`). */
// Upstream: apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go (Default)
export function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    for (const e of x) applyDefaults(e, s.items);
    return;
  }
  if (x === null || typeof x !== 'object') return;
  const o = x as Record<string, unknown>;
  for (const [k, ps] of Object.entries(s.properties ?? {})) {
    if (ps.default !== undefined && !(k in o)) o[k] = JSON.parse(JSON.stringify(ps.default));
  }
  for (const [k, v] of Object.entries(o)) {
    const ps = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    applyDefaults(v, ps);
  }
}

/** The CRD's own validation (names, group, scope, versions). */
// Upstream: apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go (ValidateCustomResourceDefinition, ValidateCustomResourceDefinitionSpec, ValidateCustomResourceDefinitionNames)
export function validateCustomResourceDefinition(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec ?? ({} as CustomResourceDefinition['spec']);
  const names = spec.names ?? ({} as CustomResourceDefinition['spec']['names']);
  const sp = FieldPath.of('spec');
  if (crd.metadata.name !== `${names.plural}.${spec.group}`) errs.push(fieldInvalid('metadata.name', crd.metadata.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  if (!spec.group) errs.push(fieldRequired(sp.child('group'), ''));
  else {
    for (const m of isDNS1123Subdomain(spec.group)) errs.push(fieldInvalid(sp.child('group'), spec.group, m));
    if (spec.group.split('.').length < 2) errs.push(fieldInvalid(sp.child('group'), spec.group, 'should be a domain with at least one dot'));
  }
  if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(fieldNotSupported(sp.child('scope'), spec.scope ?? '', ['Cluster', 'Namespaced']));
  const np = sp.child('names');
  if (!names.plural) errs.push(fieldRequired(np.child('plural'), ''));
  else for (const m of isDNS1123Label(names.plural)) errs.push(fieldInvalid(np.child('plural'), names.plural, m));
  if (names.singular) for (const m of isDNS1123Label(names.singular)) errs.push(fieldInvalid(np.child('singular'), names.singular, m));
  if (!names.kind) errs.push(fieldRequired(np.child('kind'), ''));
  else for (const m of isDNS1035Label(names.kind.toLowerCase())) errs.push(fieldInvalid(np.child('kind'), names.kind, m));
  (names.shortNames ?? []).forEach((s, i) => {
    for (const m of isDNS1123Label(s)) errs.push(fieldInvalid(np.child('shortNames').index_(i), s, m));
  });
  const versions = spec.versions ?? [];
  if (versions.length === 0) errs.push(fieldRequired(sp.child('versions'), 'must have exactly one version marked as storage version'));
  const storage = versions.filter((v) => v.storage).length;
  if (versions.length > 0 && storage !== 1) errs.push(fieldInvalid(sp.child('versions'), versions, 'must have exactly one version marked as storage version'));
  if (versions.length > 0 && !versions.some((v) => v.served)) errs.push(fieldInvalid(sp.child('versions'), versions, 'must have at least one version marked as served'));
  versions.forEach((v, i) => {
    const vp = sp.child('versions').index_(i);
    for (const m of isDNS1035Label(v.name ?? '')) errs.push(fieldInvalid(vp.child('name'), v.name ?? '', m));
    const schema = v.schema?.openAPIV3Schema;
    if (!schema) errs.push(fieldRequired(vp.child('schema', 'openAPIV3Schema'), 'schemas are required'));
    else if (schema.type !== 'object') errs.push(fieldInvalid(vp.child('schema', 'openAPIV3Schema', 'type'), schema.type ?? '', 'must be object at the root'));
  });
  return errs;
}

/** Defaults of a CRD (Go: `SetDefaults_CustomResourceDefinition` and friends). */
// Upstream: apiextensions-apiserver pkg/apis/apiextensions/v1/defaults.go
export function setCRDDefaults(crd: CustomResourceDefinition): CustomResourceDefinition {
  const names = crd.spec.names;
  if (names && !names.singular && names.kind) names.singular = names.kind.toLowerCase();
  if (names && !names.listKind && names.kind) names.listKind = `${names.kind}List`;
  if (!crd.spec.conversion) crd.spec.conversion = { strategy: 'None' };
  return crd;
}

export const crdschema = { newStructural, prune, applyDefaults, validateCustomResource, validateCustomResourceDefinition, setCRDDefaults, schemaForVersion } as const;
