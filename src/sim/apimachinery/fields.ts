/**
 * Field selectors, after apimachinery pkg/fields (v0.34.0): `metadata.name=web,spec.nodeName!=`
 * with `=`, `==` and `!=` (values escaped with `\`), and the per-kind side kube-apiserver adds:
 * which field labels a kind accepts (its field label conversion function, `field label not
 * supported: x` otherwise) and the field values an object offers to a selector (its registry's
 * `ToSelectableFields`).
 * Upstream: apimachinery pkg/fields/selector.go, fields.go, requirements.go; pkg/runtime/conversion.go
 * (DefaultMetaV1FieldSelectorConversion); kubernetes pkg/apis/core/v1/conversion.go (the field
 * label conversion funcs) and pkg/registry/<kind>/strategy.go (ToSelectableFields, GetAttrs);
 * apiserver pkg/registry/generic/matcher.go (ObjectMetaFieldsSet); apiextensions-apiserver
 * pkg/apiserver/conversion/converter.go (crConverter.ConvertFieldLabel).
 */
import type { KubeObject } from '../core/object';
import { goQuote, goValue } from './go';

/** A field set (Go: `fields.Set`). */
export type FieldSet = Readonly<Record<string, string>>;

/** selection operators a field requirement can hold. */
export type FieldOperator = '=' | '==' | '!=';

/** A parsed term (Go: `fields.Requirement`). */
export interface FieldRequirement {
  operator: FieldOperator;
  field: string;
  value: string;
}

/** Rewrites a field label and value, or throws (Go: `fields.TransformFunc`). */
export type TransformFunc = (field: string, value: string) => [field: string, value: string];

/** A field selector (Go: `fields.Selector`). */
export interface FieldSelector {
  matches(fields: FieldSet): boolean;
  empty(): boolean;
  requiresExactMatch(field: string): { value: string; found: boolean };
  /** A copy with `fn` applied to every term; a term whose field and value both become `''` is dropped. */
  transform(fn: TransformFunc): FieldSelector;
  requirements(): FieldRequirement[];
  toString(): string;
}

/** `field=value`. Upstream: selector.go (hasTerm) */
class HasTerm implements FieldSelector {
  constructor(
    readonly field: string,
    readonly value: string,
  ) {}

  matches(ls: FieldSet): boolean {
    return (ls[this.field] ?? '') === this.value;
  }

  empty(): boolean {
    return false;
  }

  requiresExactMatch(field: string): { value: string; found: boolean } {
    return this.field === field ? { value: this.value, found: true } : { value: '', found: false };
  }

  transform(fn: TransformFunc): FieldSelector {
    const [field, value] = fn(this.field, this.value);
    return field.length === 0 && value.length === 0 ? everything() : new HasTerm(field, value);
  }

  requirements(): FieldRequirement[] {
    return [{ field: this.field, operator: '=', value: this.value }];
  }

  toString(): string {
    return `${this.field}=${escapeValue(this.value)}`;
  }
}

/** `field!=value`. Upstream: selector.go (notHasTerm) */
class NotHasTerm implements FieldSelector {
  constructor(
    readonly field: string,
    readonly value: string,
  ) {}

  matches(ls: FieldSet): boolean {
    return (ls[this.field] ?? '') !== this.value;
  }

  empty(): boolean {
    return false;
  }

  requiresExactMatch(): { value: string; found: boolean } {
    return { value: '', found: false };
  }

  transform(fn: TransformFunc): FieldSelector {
    const [field, value] = fn(this.field, this.value);
    return field.length === 0 && value.length === 0 ? everything() : new NotHasTerm(field, value);
  }

  requirements(): FieldRequirement[] {
    return [{ field: this.field, operator: '!=', value: this.value }];
  }

  toString(): string {
    return `${this.field}!=${escapeValue(this.value)}`;
  }
}

/** The AND of selectors. Upstream: selector.go (andTerm) */
class AndTerm implements FieldSelector {
  constructor(readonly terms: readonly FieldSelector[]) {}

  matches(ls: FieldSet): boolean {
    return this.terms.every((t) => t.matches(ls));
  }

  empty(): boolean {
    return this.terms.every((t) => t.empty());
  }

  requiresExactMatch(field: string): { value: string; found: boolean } {
    for (const t of this.terms) {
      const r = t.requiresExactMatch(field);
      if (r.found) return r;
    }
    return { value: '', found: false };
  }

  transform(fn: TransformFunc): FieldSelector {
    const next: FieldSelector[] = [];
    for (const t of this.terms) {
      const n = t.transform(fn);
      if (!n.empty()) next.push(n);
    }
    return new AndTerm(next);
  }

  requirements(): FieldRequirement[] {
    return this.terms.flatMap((t) => t.requirements());
  }

  toString(): string {
    return this.terms.map((t) => t.toString()).join(',');
  }
}

/** Matches nothing. Upstream: selector.go (nothingSelector) */
class NothingSelector implements FieldSelector {
  matches(): boolean {
    return false;
  }

  empty(): boolean {
    return false;
  }

  requiresExactMatch(): { value: string; found: boolean } {
    return { value: '', found: false };
  }

  transform(): FieldSelector {
    return this;
  }

  requirements(): FieldRequirement[] {
    return [];
  }

  toString(): string {
    return '';
  }
}

/** Upstream: selector.go (Everything) */
export function everything(): FieldSelector {
  return new AndTerm([]);
}

/** Upstream: selector.go (Nothing) */
export function nothing(): FieldSelector {
  return new NothingSelector();
}

/** `field=value` for each entry (in insertion order; Go's map order is random). Upstream: selector.go (SelectorFromSet) */
export function selectorFromSet(ls: FieldSet | null | undefined): FieldSelector {
  if (!ls) return everything();
  const items = Object.entries(ls).map(([f, v]) => new HasTerm(f, v));
  return items.length === 1 ? items[0] : new AndTerm(items);
}

/** Upstream: selector.go (OneTermEqualSelector) */
export function oneTermEqualSelector(k: string, v: string): FieldSelector {
  return new HasTerm(k, v);
}

/** Upstream: selector.go (OneTermNotEqualSelector) */
export function oneTermNotEqualSelector(k: string, v: string): FieldSelector {
  return new NotHasTerm(k, v);
}

/** Upstream: selector.go (AndSelectors) */
export function andSelectors(...selectors: FieldSelector[]): FieldSelector {
  return new AndTerm(selectors);
}

/** Escapes `\`, `,` and `=` with a backslash. Upstream: selector.go (EscapeValue) */
export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * The literal value of an escaped one; throws `invalid field selector: invalid escape sequence: \x`
 * or `invalid field selector: unescaped character in value: 44` (Go prints the rune as a number).
 * Upstream: selector.go (UnescapeValue)
 */
export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new Error(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new Error(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas not escaped by a backslash. Upstream: selector.go (splitTerms) */
function splitTerms(fieldSelector: string): string[] {
  if (fieldSelector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < fieldSelector.length; i++) {
    const c = fieldSelector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(fieldSelector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(fieldSelector.slice(start));
  return terms;
}

const termOperators: FieldOperator[] = ['!=', '==', '='];

/** The first operator in the term splits it (`!=` and `==` before `=`). Upstream: selector.go (splitTerm) */
function splitTerm(term: string): { lhs: string; op: FieldOperator; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const remaining = term.slice(i);
    for (const op of termOperators) if (remaining.startsWith(op)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
  }
  return undefined;
}

/** Upstream: selector.go (parseSelector) */
function parseSelectorWith(selector: string, fn: TransformFunc): FieldSelector {
  // Go sorts the raw terms with sort.StringSlice (byte order; terms are ASCII in practice).
  const parts = splitTerms(selector).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const items: FieldSelector[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new Error(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeValue(t.rhs);
    items.push(t.op === '!=' ? new NotHasTerm(t.lhs, value) : new HasTerm(t.lhs, value));
  }
  return items.length === 1 ? items[0].transform(fn) : new AndTerm(items).transform(fn);
}

/** Parses `a=b,c!=d` (terms sorted); throws upstream's `invalid selector: ...`. Upstream: selector.go (ParseSelector) */
export function parseSelector(selector: string): FieldSelector {
  return parseSelectorWith(selector, (f, v) => [f, v]);
}

/** Parses and transforms each term (e.g. a kind's field label conversion). Upstream: selector.go (ParseAndTransformSelector) */
export function parseAndTransformSelector(selector: string, fn: TransformFunc): FieldSelector {
  return parseSelectorWith(selector, fn);
}

// ---------------------------------------------------------------------------------------------
// Per kind: which field labels are accepted, and the field values an object offers.

/** `field label not supported: x`, the error of the field label conversion funcs. */
function notSupported(label: string): Error {
  return new Error(`field label not supported: ${label}`);
}

/** Accepts the labels listed, rejects the rest with `field label not supported: x`. */
function acceptOnly(labels: readonly string[], aliases: Record<string, string> = {}): TransformFunc {
  return (label, value) => {
    if (labels.includes(label)) return [label, value];
    if (aliases[label]) return [aliases[label], value];
    throw notSupported(label);
  };
}

/**
 * The conversion for kinds that register none: `metadata.name` and `metadata.namespace` only,
 * `"x" is not a known field selector: only "metadata.name", "metadata.namespace"` otherwise.
 * Upstream: apimachinery pkg/runtime/conversion.go (DefaultMetaV1FieldSelectorConversion)
 */
export const defaultMetaV1FieldSelectorConversion: TransformFunc = (label, value) => {
  if (label === 'metadata.name' || label === 'metadata.namespace') return [label, value];
  throw new Error(`${goQuote(label)} is not a known field selector: only ${goQuote('metadata.name')}, ${goQuote('metadata.namespace')}`);
};

/** The field label conversion funcs the built-in kinds register, by `group/Kind` (`/Pod` for core). */
const FIELD_LABEL_CONVERSIONS: Record<string, TransformFunc> = {
  // Upstream: kubernetes pkg/apis/core/v1/conversion.go (addConversionFuncs)
  '/Pod': acceptOnly(
    [
      'metadata.name',
      'metadata.namespace',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
    { 'spec.host': 'spec.nodeName' },
  ),
  '/Node': acceptOnly(['metadata.name', 'spec.unschedulable']),
  '/ReplicationController': acceptOnly(['metadata.name', 'metadata.namespace', 'status.replicas']),
  // Upstream: kubernetes pkg/apis/core/v1/conversion.go (AddFieldLabelConversionsFor{Event,Namespace,Secret,Service})
  '/Event': acceptOnly([
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
    'metadata.namespace',
    'metadata.name',
  ]),
  '/Namespace': acceptOnly(['status.phase', 'metadata.name']),
  '/Secret': acceptOnly(['type', 'metadata.namespace', 'metadata.name']),
  '/Service': acceptOnly(['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type']),
};

/**
 * A kind's field label conversion (Go: `scheme.ConvertFieldLabel`): its own when it registers
 * one, else the metav1 default.
 * Upstream: apimachinery pkg/runtime/scheme.go (Scheme.ConvertFieldLabel)
 */
export function fieldLabelConversionFunc(group: string, kind: string): TransformFunc {
  return FIELD_LABEL_CONVERSIONS[`${group}/${kind}`] ?? defaultMetaV1FieldSelectorConversion;
}

/**
 * A custom resource's field label conversion: `metadata.name`, `metadata.namespace` when
 * namespaced, and the CRD version's `selectableFields` (`jsonPath` without the leading dot).
 * Upstream: apiextensions-apiserver pkg/apiserver/conversion/converter.go (crConverter.ConvertFieldLabel)
 */
export function customResourceFieldLabelConversionFunc(clusterScoped: boolean, selectableFields: readonly string[] = []): TransformFunc {
  return (label, value) => {
    if (label === 'metadata.name') return [label, value];
    if (!clusterScoped && label === 'metadata.namespace') return [label, value];
    if (selectableFields.includes(label)) return [label, value];
    throw notSupported(label);
  };
}

/**
 * A field selector string as the list handler turns it into one for a kind: parsed, then each
 * term through the kind's conversion (throws the conversion's or the parser's error; kube-apiserver
 * answers 400 BadRequest with that message).
 * Upstream: apiserver pkg/endpoints/handlers/get.go (ListResource: opts.FieldSelector.Transform)
 */
export function parseFieldSelectorForKind(selector: string, group: string, kind: string): FieldSelector {
  return parseSelector(selector).transform(fieldLabelConversionFunc(group, kind));
}

/**
 * `metadata.name` and, for namespaced kinds, `metadata.namespace`.
 * Upstream: apiserver pkg/registry/generic/matcher.go (ObjectMetaFieldsSet, AddObjectMetaFieldsSet)
 */
export function objectMetaFieldsSet(obj: KubeObject, hasNamespaceField: boolean): Record<string, string> {
  const out: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
  if (hasNamespaceField) out['metadata.namespace'] = obj.metadata?.namespace ?? '';
  return out;
}

type Getter = (obj: KubeObject) => Record<string, string>;
const get = (obj: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Each kind's own selectable fields (beyond metadata), by `group/Kind`. */
const SELECTABLE_FIELDS: Record<string, Getter> = {
  // Upstream: kubernetes pkg/registry/core/pod/strategy.go (ToSelectableFields)
  '/Pod': (pod) => {
    const podIPs = get(pod, 'status', 'podIPs');
    return {
      'spec.nodeName': str(get(pod, 'spec', 'nodeName')),
      'spec.restartPolicy': str(get(pod, 'spec', 'restartPolicy')),
      'spec.schedulerName': str(get(pod, 'spec', 'schedulerName')),
      'spec.serviceAccountName': str(get(pod, 'spec', 'serviceAccountName')),
      'spec.hostNetwork': get(pod, 'spec', 'hostNetwork') === true ? 'true' : 'false',
      'status.phase': str(get(pod, 'status', 'phase')),
      'status.podIP': Array.isArray(podIPs) && podIPs.length > 0 ? str(get(podIPs[0], 'ip')) : '',
      'status.nominatedNodeName': str(get(pod, 'status', 'nominatedNodeName')),
    };
  },
  // Upstream: kubernetes pkg/registry/core/node/strategy.go (NodeToSelectableFields)
  '/Node': (node) => ({ 'spec.unschedulable': get(node, 'spec', 'unschedulable') === true ? 'true' : 'false' }),
  // Upstream: kubernetes pkg/registry/core/namespace/strategy.go (NamespaceToSelectableFields); "name" is kept there for compatibility
  '/Namespace': (ns) => ({ 'status.phase': str(get(ns, 'status', 'phase')), name: str(ns.metadata?.name) }),
  // Upstream: kubernetes pkg/registry/core/secret/strategy.go (SelectableFields)
  '/Secret': (s) => ({ type: str(get(s, 'type')) }),
  // Upstream: kubernetes pkg/registry/core/service/strategy.go (SelectableFields)
  '/Service': (s) => ({ 'spec.clusterIP': str(get(s, 'spec', 'clusterIP')), 'spec.type': str(get(s, 'spec', 'type')) }),
  // Upstream: kubernetes pkg/registry/core/replicationcontroller/strategy.go (ControllerToSelectableFields)
  '/ReplicationController': (rc) => ({ 'status.replicas': str(get(rc, 'status', 'replicas') ?? 0) }),
  // Upstream: kubernetes pkg/registry/core/event/strategy.go (ToSelectableFields)
  '/Event': (e) => ({
    'involvedObject.kind': str(get(e, 'involvedObject', 'kind')),
    'involvedObject.namespace': str(get(e, 'involvedObject', 'namespace')),
    'involvedObject.name': str(get(e, 'involvedObject', 'name')),
    'involvedObject.uid': str(get(e, 'involvedObject', 'uid')),
    'involvedObject.apiVersion': str(get(e, 'involvedObject', 'apiVersion')),
    'involvedObject.resourceVersion': str(get(e, 'involvedObject', 'resourceVersion')),
    'involvedObject.fieldPath': str(get(e, 'involvedObject', 'fieldPath')),
    reason: str(get(e, 'reason')),
    reportingComponent: str(get(e, 'reportingComponent')),
    source: str(get(e, 'source', 'component')),
    type: str(get(e, 'type')),
  }),
  // Upstream: kubernetes pkg/registry/apps/replicaset/strategy.go (ReplicaSetToSelectableFields)
  'apps/ReplicaSet': (rs) => ({ 'status.replicas': str(get(rs, 'status', 'replicas') ?? 0) }),
};

/**
 * The fields an object of the kind offers to a field selector (Go: the registry's `GetAttrs`):
 * its metadata fields and the kind's own.
 */
export function toSelectableFields(group: string, kind: string, obj: KubeObject, namespaced: boolean): Record<string, string> {
  const own = SELECTABLE_FIELDS[`${group}/${kind}`]?.(obj) ?? {};
  return { ...own, ...objectMetaFieldsSet(obj, namespaced) };
}

/**
 * A custom resource's selectable fields: metadata, plus each `selectableFields[].jsonPath`
 * (`.spec.color`) read from the object and printed with Go's `fmt.Sprint` (`''` when absent).
 * Upstream: apiextensions-apiserver pkg/registry/customresource/strategy.go (objectMetaFieldsSet, selectableFields)
 */
export function customResourceSelectableFields(obj: KubeObject, namespaced: boolean, jsonPaths: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const jp of jsonPaths) {
    const path = jp.replace(/^\./, '');
    const v = get(obj, ...path.split('.'));
    out[path] = v === undefined || v === null ? '' : goValue(v);
  }
  return { ...out, ...objectMetaFieldsSet(obj, namespaced) };
}

/** Go's package `fields` (k8s.io/apimachinery/pkg/fields) and the per-kind field labels, for `import { fields } from 'kubelab'`. */
export const fields = {
  parseSelector,
  parseAndTransformSelector,
  everything,
  nothing,
  selectorFromSet,
  oneTermEqualSelector,
  oneTermNotEqualSelector,
  andSelectors,
  escapeValue,
  unescapeValue,
  defaultMetaV1FieldSelectorConversion,
  fieldLabelConversionFunc,
  customResourceFieldLabelConversionFunc,
  parseFieldSelectorForKind,
  objectMetaFieldsSet,
  toSelectableFields,
  customResourceSelectableFields,
} as const;
