/**
 * The live part of <CrdPlayground>: what kube-apiserver does with a custom resource you create,
 * step by step, with apiextensions-apiserver's algorithms as src/sim/apimachinery/schema.ts
 * implements them (after apiextensions-apiserver v0.34.0): decode and prune the fields the
 * structural schema does not know (each one an `unknown field` warning under the default
 * fieldValidation=Warn), apply the schema's defaults, drop `status` on create (the status
 * subresource is on), then validate apiVersion/kind and the schema's value rules (a 422).
 * The CRD is sample-controller's Foo, with a free-form `spec.config` whose
 * `x-kubernetes-preserve-unknown-fields` can be switched off.
 *
 * `admit` has no DOM (test/content/widgets.test.ts drives it); `mount` draws it.
 */
import { applyDefaults, newStructural, prune, validateCustomResource, validateCustomResourceTypeMeta, type JSONSchemaProps } from '../../sim/apimachinery/schema';
import { newInvalid } from '../../sim/apimachinery/errors';

export function fooSchema(preserveConfig: boolean): JSONSchemaProps {
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['deploymentName'],
        properties: {
          deploymentName: { type: 'string' },
          replicas: { type: 'integer', format: 'int32', minimum: 1, maximum: 10, default: 1 },
          config: preserveConfig ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } : { type: 'object' },
        },
      },
      status: { type: 'object', properties: { availableReplicas: { type: 'integer', format: 'int32' } } },
    },
  };
}

export interface Admission {
  /** A JSON syntax error: the request is a 400 before any of this. */
  parseError?: string;
  /** `unknown field "spec.foo"` warnings (the fields were pruned). */
  warnings: string[];
  /** Paths the schema's defaults filled in. */
  defaulted: string[];
  /** What the create strategy dropped. */
  dropped: string[];
  /** The 422 message, when validation fails. */
  invalid?: string;
  /** The object as it would be stored (without server-set metadata), when it is valid. */
  stored?: string;
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Leaf paths of `after` that `before` lacks: what defaulting added. */
function added(before: unknown, after: unknown, path = ''): string[] {
  if (!isObj(after)) return before === undefined ? [path] : [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(after)) {
    const p = path ? `${path}.${k}` : k;
    const b = isObj(before) ? before[k] : undefined;
    if (b === undefined) out.push(`${p}: ${JSON.stringify(v)}`);
    else if (isObj(v)) out.push(...added(b, v, p));
  }
  return out;
}

export function admit(text: string, preserveConfig: boolean): Admission {
  const result: Admission = { warnings: [], defaulted: [], dropped: [] };
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    result.parseError = `400 BadRequest: ${err instanceof Error ? err.message : String(err)}`;
    return result;
  }
  if (!isObj(obj)) {
    result.parseError = '400 BadRequest: the body must be a JSON object';
    return result;
  }
  const schema = fooSchema(preserveConfig);
  const structural = newStructural(schema);
  // 1. Decoding prunes what the schema does not know (customresource_handler.go, unstructuredSchemaCoercer).
  result.warnings = prune(obj, structural, true).map((p) => `unknown field "${p}"`);
  // 2. Defaulting (customresource_handler.go, unstructuredDefaulter → structuraldefaulting.Default).
  const before = JSON.parse(JSON.stringify(obj)) as unknown;
  applyDefaults(obj, structural);
  result.defaulted = added(before, obj);
  // 3. The create strategy drops status when the status subresource is on (customresource/strategy.go).
  if ('status' in obj) {
    delete obj.status;
    result.dropped.push('status (the status subresource is on: create cannot set it)');
  }
  // 4. Validation (customresource/validator.go, then the schema's value rules).
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const typeErrs = validateCustomResourceTypeMeta(obj, 'samplecontroller.k8s.io', 'v1alpha1', 'Foo');
  const errs = typeErrs.length > 0 ? typeErrs : validateCustomResource(null, obj, schema);
  if (errs.length > 0) {
    result.invalid = newInvalid('Foo.samplecontroller.k8s.io', name, errs).status.message;
    return result;
  }
  result.stored = JSON.stringify(obj, null, 2);
  return result;
}

export const EXAMPLES: Record<string, Json> = {
  valid: { apiVersion: 'samplecontroller.k8s.io/v1alpha1', kind: 'Foo', metadata: { name: 'example-foo' }, spec: { deploymentName: 'example-foo', replicas: 1 } },
  unknown: { apiVersion: 'samplecontroller.k8s.io/v1alpha1', kind: 'Foo', metadata: { name: 'example-foo' }, spec: { deploymentName: 'example-foo', replica: 3 } },
  wrongType: { apiVersion: 'samplecontroller.k8s.io/v1alpha1', kind: 'Foo', metadata: { name: 'example-foo' }, spec: { deploymentName: 'example-foo', replicas: '3' } },
  outOfRange: { apiVersion: 'samplecontroller.k8s.io/v1alpha1', kind: 'Foo', metadata: { name: 'example-foo' }, spec: { deploymentName: 'example-foo', replicas: 0 } },
  freeForm: { apiVersion: 'samplecontroller.k8s.io/v1alpha1', kind: 'Foo', metadata: { name: 'example-foo' }, spec: { deploymentName: 'example-foo', config: { logLevel: 'debug', limits: { cpu: 2 } } } },
  withStatus: { apiVersion: 'samplecontroller.k8s.io/v1alpha1', kind: 'Foo', metadata: { name: 'example-foo' }, spec: { deploymentName: 'example-foo' }, status: { availableReplicas: 5 } },
  missing: { apiVersion: 'samplecontroller.k8s.io/v1alpha1', kind: 'Foo', metadata: { name: 'example-foo' }, spec: { replicas: 2 } },
};

// ---------------------------------------------------------------------------------------------

export function mount(root: HTMLElement): void {
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const input = $<HTMLTextAreaElement>('textarea[data-input]');
  const preserve = $<HTMLInputElement>('input[data-preserve]');
  const example = $<HTMLSelectElement>('select[data-example]');

  const list = (ul: HTMLElement, rows: string[], cls: string, empty: string) => {
    ul.replaceChildren(
      ...(rows.length === 0 ? [empty] : rows).map((r) => {
        const li = document.createElement('li');
        li.textContent = r;
        li.className = rows.length === 0 ? 'kl-w-empty' : cls;
        return li;
      }),
    );
  };

  const render = () => {
    const r = admit(input.value, preserve.checked);
    const verdict = $('[data-verdict]');
    if (r.parseError) {
      verdict.textContent = r.parseError;
      verdict.className = 'kl-crd-verdict kl-crd-bad';
      list($('[data-warnings]'), [], '', 'not reached');
      list($('[data-defaulted]'), [], '', 'not reached');
      $('[data-stored]').textContent = '';
      return;
    }
    list($('[data-warnings]'), r.warnings, 'kl-w-chip kl-w-chip-warn', 'none');
    list($('[data-defaulted]'), [...r.defaulted, ...r.dropped.map((d) => `dropped: ${d}`)], 'kl-w-chip', 'none');
    if (r.invalid) {
      verdict.textContent = `422 Invalid: ${r.invalid}`;
      verdict.className = 'kl-crd-verdict kl-crd-bad';
      $('[data-stored]').textContent = '';
    } else {
      verdict.textContent = r.warnings.length > 0 ? `201 Created, with ${r.warnings.length} Warning header${r.warnings.length === 1 ? '' : 's'}` : '201 Created';
      verdict.className = 'kl-crd-verdict kl-crd-ok';
      $('[data-stored]').textContent = r.stored ?? '';
    }
    const live = root.querySelector('[data-live]');
    if (live) live.textContent = verdict.textContent ?? '';
  };

  const load = (id: string) => {
    input.value = JSON.stringify(EXAMPLES[id] ?? EXAMPLES.valid, null, 2);
    render();
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(render, 150);
  });
  preserve.addEventListener('change', render);
  example.addEventListener('change', () => load(example.value));

  for (const el of root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) el.disabled = false;
  $('[data-status]').textContent = 'Live: apiextensions-apiserver\u2019s pruning, defaulting and validation from src/sim.';
  root.dataset.ready = 'true';
  load(example.value);
}
