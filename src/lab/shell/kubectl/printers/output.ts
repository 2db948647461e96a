/**
 * `-o` formats other than tables: yaml, json, name, jsonpath, jsonpath-as-json, custom-columns.
 * Objects are printed as kubectl prints unstructured objects (keys sorted, managedFields hidden).
 */
import { goJson } from '../format/json';
import { JsonPath, JsonPathError } from '../format/jsonpath';
import { TABLE_TABWRITER, TabWriter } from '../format/tabwriter';
import { toYaml } from '../format/yaml';
import { KubectlError } from '../client/errors';
import type { Obj } from '../manifest';

export type OutputKind = 'table' | 'wide' | 'yaml' | 'json' | 'name' | 'jsonpath' | 'jsonpath-as-json' | 'custom-columns';

export interface OutputFormat {
  kind: OutputKind;
  /** The template of jsonpath / custom-columns. */
  template?: string;
}

const ALLOWED = 'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** Parses `-o`; an unknown format is cli-runtime's NoCompatiblePrinterError. */
// Upstream: cli-runtime pkg/genericclioptions/print_flags.go, jsonpath_flags.go
export function parseOutput(o: string): OutputFormat {
  if (o === '') return { kind: 'table' };
  if (o === 'wide' || o === 'yaml' || o === 'json' || o === 'name') return { kind: o };
  for (const k of ['jsonpath-as-json', 'jsonpath', 'custom-columns'] as const) {
    if (o === k) throw new KubectlError(k === 'custom-columns' ? 'custom-columns format specified but no custom columns given' : 'template format specified but no template given');
    if (o.startsWith(`${k}=`)) return { kind: k, template: o.slice(k.length + 1) };
  }
  throw new KubectlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: ${ALLOWED}`);
}

/** The object as kubectl shows it: managedFields hidden (`--show-managed-fields=false`). */
export function forDisplay(obj: Obj): Obj {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The `List` kubectl prints for several objects (or a list request) with -o yaml/json/jsonpath. */
export function asList(items: Obj[], resourceVersion = ''): Obj {
  return { apiVersion: 'v1', items: items.map(forDisplay), kind: 'List', metadata: { resourceVersion } };
}

/** `-o jsonpath=...`: the template's text for the data; errors as kubectl words them. */
// Upstream: cli-runtime pkg/printers/jsonpath.go (JSONPathPrinter)
export function printJsonPath(template: string, data: unknown, asJson = false): string {
  let jp: JsonPath;
  try {
    jp = new JsonPath(template);
  } catch (err) {
    throw new KubectlError(`error parsing jsonpath ${template}, ${(err as Error).message}`);
  }
  jp.allowMissingKeys = true;
  try {
    return asJson ? jp.executeJson(data) : jp.execute(data);
  } catch (err) {
    throw jsonPathExecError(template, err);
  }
}

function jsonPathExecError(template: string, err: unknown): KubectlError {
  const msg = err instanceof JsonPathError || err instanceof Error ? err.message : String(err);
  return new KubectlError(`error executing jsonpath "${template}": Error executing template: ${msg}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n`);
}

/** kubectl's RelaxedJSONPathExpression: `.a.b` or `a.b` or `{.a.b}` -> `{.a.b}`. */
// Upstream: kubectl pkg/cmd/get/customcolumn.go (RelaxedJSONPathExpression)
export function relaxedJsonPath(expr: string): string {
  if (expr === '') return expr;
  const m = /^\{?(\.?)([^{}]*)\}?$/.exec(expr);
  if (!m) throw new KubectlError('unexpected path string, expected a \'name1.name2\' or \'.name1.name2\' or \'{name1.name2}\' or \'{.name1.name2}\'');
  return `{.${m[2]}}`;
}

/** `-o custom-columns=NAME:.metadata.name,...` over the objects. */
// Upstream: kubectl pkg/cmd/get/customcolumn.go (CustomColumnsPrinter)
export function printCustomColumns(spec: string, objects: Obj[], noHeaders: boolean): string {
  const columns = spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new KubectlError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, i), path: relaxedJsonPath(part.slice(i + 1)) };
  });
  const w = new TabWriter(TABLE_TABWRITER);
  if (!noHeaders) w.write(columns.map((c) => c.header).join('\t') + '\n');
  for (const obj of objects) {
    const cells = columns.map((c) => {
      const jp = new JsonPath(c.path);
      jp.allowMissingKeys = true;
      const text = jp.execute(obj);
      return text === '' ? '<none>' : text.split(' ').join(',');
    });
    w.write(cells.join('\t') + '\n');
  }
  return w.flush();
}

/** yaml / json text of one object or list. */
export function printYamlOrJson(kind: 'yaml' | 'json', obj: Obj): string {
  return kind === 'yaml' ? toYaml(forDisplay(obj)) : goJson(forDisplay(obj), '    ') + '\n';
}
