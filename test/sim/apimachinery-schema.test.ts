// CRD schemas against apiextensions-apiserver v0.34.0: pkg/apiserver/validation/validation_test.go
// (TestValidateCustomResource, CEL cases left out), schema/pruning/algorithm_test.go (TestPrune),
// schema/defaulting/algorithm_test.go (TestDefault), schema/validation_test.go and
// apis/apiextensions/validation/validation_test.go (structural schema and CRD errors).
import { describe, expect, it } from 'vitest';
import { newPath } from '../../src/sim/apimachinery/field';
import {
  applyDefaults,
  newStructural,
  prune,
  pruneNonNullableNullsWithoutDefaults,
  validateCustomResource,
  validateCustomResourceDefinition,
  validateCustomResourceTypeMeta,
  validateStructural,
  type CustomResourceDefinition,
  type JSONSchemaProps,
} from '../../src/sim/apimachinery/schema';

const obj = (properties: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'object', properties, ...extra });
const errorsOf = (schema: JSONSchemaProps, value: unknown) => validateCustomResource(null, value, schema).map((e) => e.message);

describe('validateCustomResource (TestValidateCustomResource)', () => {
  const cases: Array<{ name: string; schema: JSONSchemaProps; ok: unknown[]; failing: Array<[unknown, string[]]> }> = [
    {
      name: '!nullable',
      schema: obj({ field: { type: 'object', nullable: false } }),
      ok: [{}, { field: {} }],
      failing: [
        [{ field: 'foo' }, ['field: Invalid value: "string": field in body must be of type object: "string"']],
        [{ field: 42 }, ['field: Invalid value: "integer": field in body must be of type object: "integer"']],
        [{ field: true }, ['field: Invalid value: "boolean": field in body must be of type object: "boolean"']],
        [{ field: 1.2 }, ['field: Invalid value: "number": field in body must be of type object: "number"']],
        [{ field: [] }, ['field: Invalid value: "array": field in body must be of type object: "array"']],
        [{ field: null }, ['field: Invalid value: "null": field in body must be of type object: "null"']],
      ],
    },
    {
      name: 'nullable',
      schema: obj({ field: { type: 'object', nullable: true } }),
      ok: [{}, { field: {} }, { field: null }],
      failing: [[{ field: 'foo' }, ['field: Invalid value: "string": field in body must be of type object: "string"']]],
    },
    {
      name: 'nullable and no type',
      schema: obj({ field: { nullable: true } }),
      ok: [{}, { field: {} }, { field: null }, { field: 'foo' }, { field: 42 }, { field: true }, { field: 1.2 }, { field: [] }],
      failing: [],
    },
    {
      name: 'x-kubernetes-int-or-string',
      schema: obj({ field: { 'x-kubernetes-int-or-string': true } }),
      ok: [{}, { field: 42 }, { field: 'foo' }],
      failing: [
        [{ field: null }, ['field: Invalid value: "null": field in body must be of type integer,string: "null"']],
        [{ field: true }, ['field: Invalid value: "boolean": field in body must be of type integer,string: "boolean"']],
        [{ field: 1.2 }, ['field: Invalid value: "number": field in body must be of type integer,string: "number"']],
        [{ field: {} }, ['field: Invalid value: "object": field in body must be of type integer,string: "object"']],
        [{ field: [] }, ['field: Invalid value: "array": field in body must be of type integer,string: "array"']],
      ],
    },
    {
      name: 'nullable, x-kubernetes-int-or-string and user-provided anyOf',
      schema: obj({ field: { nullable: true, 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } }),
      ok: [{}, { field: null }, { field: 42 }, { field: 'foo' }],
      failing: [
        [
          { field: true },
          [
            '<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)',
            'field: Invalid value: "boolean": field in body must be of type integer,string: "boolean"',
            'field: Invalid value: "boolean": field in body must be of type integer: "boolean"',
          ],
        ],
      ],
    },
    {
      name: 'nullable, x-kubernetes-int-or-string and user-provider allOf',
      schema: obj({ field: { nullable: true, 'x-kubernetes-int-or-string': true, allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }] } }),
      ok: [{}, { field: null }, { field: 42 }, { field: 'foo' }],
      failing: [
        [
          { field: [] },
          [
            '<nil>: Invalid value: "": "field" must validate all the schemas (allOf). None validated',
            '<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)',
            'field: Invalid value: "array": field in body must be of type integer,string: "array"',
            'field: Invalid value: "array": field in body must be of type integer: "array"',
          ],
        ],
      ],
    },
    {
      name: 'invalid regex',
      schema: obj({ field: { type: 'string', pattern: '+' } }),
      ok: [],
      failing: [[{ field: 'foo' }, ["field: Invalid value: \"foo\": field in body should match '+, but pattern is invalid: error parsing regexp: missing argument to repetition operator: `+`'"]]],
    },
    {
      name: 'required field',
      schema: obj({ field: { type: 'object', required: ['nested'], properties: { nested: {} } } }, { required: ['field'] }),
      ok: [],
      failing: [
        [{ test: 'a' }, ['field: Required value']],
        [{ field: {} }, ['field.nested: Required value']],
      ],
    },
    {
      name: 'enum',
      schema: obj({
        field: { type: 'object', required: ['nestedint', 'nestedstring'], properties: { nestedint: { type: 'integer', enum: [1, 2] }, nestedstring: { type: 'string', enum: ['a', 'b'] } } },
      }),
      ok: [],
      failing: [
        [{ field: {} }, ['field.nestedint: Required value', 'field.nestedstring: Required value']],
        [
          { field: { nestedint: 'x', nestedstring: true } },
          [
            'field.nestedint: Invalid value: "string": field.nestedint in body must be of type integer: "string"',
            'field.nestedint: Unsupported value: "x": supported values: "1", "2"',
            'field.nestedstring: Invalid value: "boolean": field.nestedstring in body must be of type string: "boolean"',
            'field.nestedstring: Unsupported value: true: supported values: "a", "b"',
          ],
        ],
      ],
    },
    {
      name: 'maxProperties',
      schema: obj({ fieldX: { type: 'object', maxProperties: 2 } }),
      ok: [],
      failing: [[{ fieldX: { a: true, b: true, c: true } }, ['fieldX: Too many: 3: must have at most 2 items']]],
    },
    { name: 'maxItems', schema: obj({ fieldX: { type: 'array', maxItems: 2 } }), ok: [], failing: [[{ fieldX: ['a', 'b', 'c'] }, ['fieldX: Too many: 3: must have at most 2 items']]] },
    { name: 'maxLength', schema: obj({ fieldX: { type: 'string', maxLength: 2 } }), ok: [], failing: [[{ fieldX: 'abc' }, ['fieldX: Too long: may not be more than 2 bytes']]] },
    {
      name: 'k8sLongName',
      schema: obj({ fieldX: { type: 'string', format: 'k8s-long-name' } }),
      ok: [{ fieldX: 'a.b' }],
      failing: [[{ fieldX: 'a.-' }, ['fieldX: Invalid value: "a.-": fieldX in body must be of type k8s-long-name: "a.-"']]],
    },
    {
      name: 'k8sShortName',
      schema: obj({ fieldX: { type: 'string', format: 'k8s-short-name' } }),
      ok: [{ fieldX: 'a' }],
      failing: [[{ fieldX: 'a-' }, ['fieldX: Invalid value: "a-": fieldX in body must be of type k8s-short-name: "a-"']]],
    },
  ];
  for (const c of cases) {
    it(`${c.name} (TestValidateCustomResource)`, () => {
      for (const o of c.ok) expect(errorsOf(c.schema, o), JSON.stringify(o)).toEqual([]);
      for (const [o, want] of c.failing) expect(new Set(errorsOf(c.schema, o)), JSON.stringify(o)).toEqual(new Set(want));
    });
  }

  it('checks numbers, strings and lists as kube-openapi words it', () => {
    const schema = obj({
      spec: obj({
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', maximum: 1.5, exclusiveMaximum: true },
        name: { type: 'string', minLength: 3, pattern: '^[a-z]+$' },
        step: { type: 'integer', multipleOf: 5 },
        items: { type: 'array', minItems: 1, items: obj({ port: { type: 'integer' } }, { required: ['port'] }) },
        when: { type: 'string', format: 'date-time' },
      }),
    });
    expect(errorsOf(schema, { spec: { replicas: 20, ratio: 1.5, name: 'ab', step: 7, items: [{}], when: 'yesterday' } })).toEqual([
      'spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10',
      'spec.ratio: Invalid value: 1.5: spec.ratio in body should be less than 1.5',
      'spec.name: Invalid value: "ab": spec.name in body should be at least 3 chars long',
      'spec.step: Invalid value: 7: spec.step in body should be a multiple of 5',
      'spec.items[0].port: Required value',
      'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    ]);
    expect(errorsOf(schema, { spec: { replicas: 0, name: 'AB1', items: [] } })).toEqual([
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      "spec.name: Invalid value: \"AB1\": spec.name in body should match '^[a-z]+$'",
      'spec.items: Invalid value: 0: spec.items in body should have at least 1 items',
    ]);
    expect(validateCustomResource(newPath('status'), { ready: 'yes' }, obj({ ready: { type: 'boolean' } })).map((e) => e.message)).toEqual([
      // The status validator's root is status itself, so its messages name fields relative to it.
      'status.ready: Invalid value: "string": ready in body must be of type boolean: "string"',
    ]);
  });
});

describe('structural schemas (schema/validation.go ValidateStructural, TestStructuralKubeOpenAPIRoundtrip)', () => {
  const path = newPath('spec', 'validation', 'openAPIV3Schema');
  const errs = (s: JSONSchemaProps) => validateStructural(path, newStructural(s)).map((e) => e.message);

  it('accepts a structural schema', () => {
    expect(errs(obj({ spec: obj({ replicas: { type: 'integer' }, port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } }) }))).toEqual([]);
  });

  it('requires types, items, and forbids types in value validations, sorted by message', () => {
    expect(
      errs({
        type: 'object',
        properties: {
          spec: { properties: { list: { type: 'array' } } },
          meta: { anyOf: [{ type: 'string' }, { properties: { x: { type: 'string' } } }] },
        },
      }),
    ).toEqual([
      'spec.validation.openAPIV3Schema.properties[meta].anyOf[0].type: Forbidden: must be empty to be structural',
      'spec.validation.openAPIV3Schema.properties[meta].anyOf[1].properties[x].type: Forbidden: must be empty to be structural',
      'spec.validation.openAPIV3Schema.properties[meta].type: Required value: must not be empty for specified object fields',
      'spec.validation.openAPIV3Schema.properties[spec].properties[list].items: Required value: must be specified',
      'spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    ]);
  });

  it('checks completeness of the root value validations only, as upstream does (complete.go)', () => {
    expect(errs(obj({ a: { type: 'string' } }, { anyOf: [{ properties: { b: {} } }] }))).toEqual([
      'spec.validation.openAPIV3Schema.properties[b]: Required value: because it is defined in spec.validation.openAPIV3Schema.anyOf[0].properties[b]',
    ]);
  });

  it('restricts metadata at the root to name and generateName', () => {
    expect(errs(obj({ metadata: obj({ name: { type: 'string', maxLength: 10 } }) }))).toEqual([]);
    expect(errs(obj({ metadata: obj({ labels: { type: 'object' } }) }))).toEqual([
      'spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
    ]);
    expect(errs({ type: 'array', items: { type: 'string' } })).toContain('spec.validation.openAPIV3Schema.type: Invalid value: "array": must be object at the root');
    expect(errs(obj({}, { additionalProperties: { type: 'string' } }))).toContain('spec.validation.openAPIV3Schema.additionalProperties: Forbidden: must not be used at the root');
  });

  it('rejects what NewStructural cannot convert', () => {
    expect(() => newStructural({ type: 'object', $ref: '#/x' })).toThrow("OpenAPIV3Schema '$ref' is not supported");
    expect(() => newStructural({ type: 'array', items: [{ type: 'string' }] })).toThrow("OpenAPIV3Schema 'items' must be a schema, but is an array");
    expect(() => newStructural({ 'x-kubernetes-preserve-unknown-fields': false })).toThrow("internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined");
  });
});

describe('pruning and defaulting (TestPrune, TestDefault, TestPruneNonNullableNullsWithoutDefaults)', () => {
  it('prunes unknown fields and reports their paths (TestPrune: object array object)', () => {
    const s = newStructural(
      obj({
        array: { type: 'array', items: obj({ a: { type: 'integer' }, c: { type: 'integer' } }) },
        specified: obj({ a: { type: 'integer' }, c: { type: 'integer' } }),
      }),
    );
    const o = { array: [{ a: 1 }, { b: 1 }, { a: 1, b: 2, c: 3 }], unspecified: { a: 1 }, specified: { a: 1, b: 2, c: 3 } };
    expect(prune(o, s, false)).toEqual(['array[1].b', 'array[2].b', 'specified.b', 'unspecified']);
    expect(o).toEqual({ array: [{ a: 1 }, {}, { a: 1, c: 3 }], specified: { a: 1, c: 3 } });
  });

  it('keeps apiVersion, kind and metadata at the resource root, and preserves unknown fields where asked', () => {
    const s = newStructural(obj({ spec: obj({ known: { type: 'string' }, free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }) }));
    const o = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { known: 'a', extra: 1, free: { anything: { goes: true } } }, status: {} };
    expect(prune(o, s, true)).toEqual(['spec.extra', 'status']);
    expect(o).toEqual({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { known: 'a', free: { anything: { goes: true } } } });
    const nested = { metadata: { x: 1 } };
    expect(prune(nested, newStructural(obj({})), false)).toEqual([]);
    expect(nested).toEqual({});
  });

  it('applies defaults where fields are missing or null (TestDefault)', () => {
    const s = newStructural({ type: 'array', items: obj({ a: { type: 'string', default: 'A' }, b: { type: 'string', default: 'B' }, c: { type: 'string', default: 'C' } }) });
    const o = [{ a: 1 }, { b: 1 }, { c: 1 }];
    applyDefaults(o, s);
    expect(o).toEqual([
      { a: 1, b: 'B', c: 'C' },
      { a: 'A', b: 1, c: 'C' },
      { a: 'A', b: 'B', c: 1 },
    ]);
    const e = newStructural({ type: 'array', items: obj({ a: { default: 'A' } }) });
    const o2: unknown[] = [{}, { a: 1 }, { a: 0 }, { a: '' }, { a: null }, { a: [] }, { a: {} }];
    applyDefaults(o2, e);
    expect(o2).toEqual([{ a: 'A' }, { a: 1 }, { a: 0 }, { a: '' }, { a: 'A' }, { a: [] }, { a: {} }]);
    const m = newStructural(obj({ labels: { type: 'object', additionalProperties: obj({ a: { type: 'string', default: 'alpha' } }) } }));
    const o3 = { labels: { x: {}, y: { a: 'b' } } };
    applyDefaults(o3, m);
    expect(o3).toEqual({ labels: { x: { a: 'alpha' }, y: { a: 'b' } } });
  });

  it('drops nulls that are neither nullable nor defaulted', () => {
    const s = newStructural(obj({ a: { type: 'string' }, b: { type: 'string', nullable: true }, c: { type: 'string', default: 'x' } }));
    const o = { a: null, b: null, c: null };
    pruneNonNullableNullsWithoutDefaults(o, s);
    expect(o).toEqual({ b: null, c: null });
  });
});

describe('CustomResourceDefinition validation (apis/apiextensions/validation TestValidateCustomResourceDefinition)', () => {
  const crd = (over: Partial<CustomResourceDefinition['spec']> = {}, name = 'widgets.example.com'): CustomResourceDefinition => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: 'example.com',
      names: { plural: 'widgets', kind: 'Widget' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: obj({ spec: obj({ size: { type: 'integer', default: 1 } }) }) } }],
      ...over,
    },
  });
  const msgs = (c: CustomResourceDefinition) => validateCustomResourceDefinition(c).map((e) => e.message);

  it('accepts a valid CRD (singular and listKind defaulted)', () => {
    expect(msgs(crd())).toEqual([]);
  });

  it('rejects a non-structural schema at spec.validation when every version shares it', () => {
    expect(msgs(crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: obj({ spec: { properties: { size: { type: 'integer' } } } }) } }] }))).toEqual([
      'spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    ]);
  });

  it('checks names, group, scope, versions and defaults', () => {
    const out = msgs(
      crd(
        {
          group: 'example',
          scope: 'Global',
          versions: [
            { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: obj({ spec: obj({ size: { type: 'integer', default: 'big' } }) }) } },
            { name: 'V2', served: true, storage: true },
          ],
        },
        'widgets',
      ),
    );
    expect(out).toContain('metadata.name: Invalid value: "widgets": must be spec.names.plural+"."+spec.group');
    expect(out).toContain('spec.group: Invalid value: "example": should be a domain with at least one dot');
    expect(out).toContain('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"');
    expect(out).toContain('spec.versions[1].schema.openAPIV3Schema: Required value');
    expect(out.some((m) => m.startsWith('spec.versions[1].name: Invalid value: "V2": a DNS-1035 label'))).toBe(true);
    expect(out.some((m) => m.startsWith('spec.versions: Invalid value: ') && m.endsWith('must have exactly one version marked as storage version'))).toBe(true);
    // Upstream validates a default with the default as the validator's root: the name is empty.
    expect(out).toContain('spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].default: Invalid value: "string":  in body must be of type integer: "string"');
  });

  it('validates the type meta of a custom resource (customresource validator.go ValidateTypeMeta)', () => {
    expect(validateCustomResourceTypeMeta({ apiVersion: 'example.com/v2', kind: 'Gadget' }, 'example.com', 'v1', 'Widget').map((e) => e.message)).toEqual([
      'kind: Invalid value: "Gadget": must be Widget',
      'apiVersion: Invalid value: "example.com/v2": must be example.com/v1',
    ]);
  });
});
