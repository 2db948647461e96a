/**
 * `kubectl explain TYPE[.field...]`: kubectl's OpenAPI v3 plaintext template over the kinds'
 * schemas (a built-in table, or a CustomResourceDefinition's openAPIV3Schema).
 */
import type { ApiResource } from '../client/discovery';
import { KubectlError } from '../client/errors';
import type { KubectlContext, Subcommand } from '../context';
import { BUILTIN_SCHEMAS, DEFINITIONS, type Schema } from '../printers/explain-schemas';

/** mitchellh/go-wordwrap WrapString: breaks at whitespace so lines fit `lim` where possible. */
// Upstream: github.com/mitchellh/go-wordwrap wordwrap.go (WrapString)
export function wrapString(s: string, lim: number): string {
  let buf = '';
  let current = 0;
  let word = '';
  let space = '';
  for (const ch of s) {
    if (ch === '\n') {
      if (word.length === 0) {
        if (current + space.length > lim) current = 0;
        else buf += space;
      } else buf += space + word;
      space = '';
      word = '';
      buf += ch;
      current = 0;
    } else if (/\s/.test(ch) && ch !== '\u00a0') {
      if (space.length === 0 || word.length > 0) {
        current += space.length + [...word].length;
        buf += space + word;
        space = '';
        word = '';
      }
      space += ch;
    } else {
      word += ch;
      const wl = [...word].length;
      if (current + space.length + wl > lim && wl < lim) {
        buf += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (word.length === 0) {
    if (current + space.length <= lim) buf += space;
  } else buf += space + word;
  return buf;
}

const indent = (amount: number, text: string) => ' '.repeat(amount) + text.split('\n').join('\n' + ' '.repeat(amount));

function resolve(schema: Schema, defs: Record<string, Schema>): Schema {
  return schema.$ref ? { ...(defs[schema.$ref] ?? {}), description: schema.description || defs[schema.$ref]?.description } : schema;
}

// Upstream: kubectl pkg/explain/v2/templates/plaintext.tmpl (typeGuess)
function typeGuess(schema: Schema, defs: Record<string, Schema>): string {
  if (schema.items) return `[]${typeGuess(schema.items, defs)}`;
  if (schema.additionalProperties && typeof schema.additionalProperties !== 'boolean') return `map[string]${typeGuess(schema.additionalProperties, defs)}`;
  if (schema.$ref) {
    const target = defs[schema.$ref];
    if (!target || !target.type || target.type === 'object') return schema.$ref.split('.').pop() || 'Object';
    return target.type;
  }
  if (schema.type === 'object') return 'Object';
  return schema.type || 'Object';
}

function enumText(schema: Schema, longView: boolean, indentAmount: number): string {
  const values = schema.enum;
  if (!values?.length) return '';
  let out = longView ? 'ENUM:' : `\n${' '.repeat(indentAmount)}enum: `;
  values.forEach((v, i) => {
    if (!longView && i >= 4) {
      if (i === 4) out += ', ....';
      return;
    }
    if (i > 0 && !longView) out += ', ';
    else if (longView) out += '\n    ';
    out += v === '' ? '""' : String(v);
  });
  return out;
}

function fieldList(schema: Schema, defs: Record<string, Schema>, level: number, recursive: boolean, seen: Set<string>): string {
  if (schema.$ref && seen.has(schema.$ref)) return '';
  const next = new Set(seen);
  if (schema.$ref) next.add(schema.$ref);
  const resolved = resolve(schema, defs);
  let out = '';
  for (const name of Object.keys(resolved.properties ?? {}).sort()) {
    const field = resolved.properties![name];
    const indentAmount = level * 2;
    out += `${' '.repeat(indentAmount)}${name}\t<${typeGuess(field, defs)}>`;
    if (resolved.required?.includes(name)) out += ' -required-';
    out += enumText(field, false, indentAmount) + '\n';
    if (!recursive) {
      out += indent(indentAmount + 2, wrapString(field.description || '<no description>', 78 - indentAmount)) + '\n\n';
    } else out += fieldList(field, defs, level + 1, recursive, next);
  }
  if (resolved.items) out += fieldList(resolved.items, defs, level, recursive, next);
  if (resolved.additionalProperties && typeof resolved.additionalProperties !== 'boolean') out += fieldList(resolved.additionalProperties, defs, level, recursive, next);
  return out;
}

function description(schema: Schema, defs: Record<string, Schema>): string {
  const r = resolve(schema, defs);
  let out = r.description ? r.description + '\n' : '';
  if (r.items) out += description(r.items, defs);
  if (r.additionalProperties && typeof r.additionalProperties !== 'boolean') out += description(r.additionalProperties, defs);
  return out;
}

/** The template's "output": follow the field path, then DESCRIPTION and FIELDS. */
function output(schema: Schema, defs: Record<string, Schema>, path: string[], recursive: boolean): string | undefined {
  const resolved = resolve(schema, defs);
  if (path.length === 0) {
    let out = 'DESCRIPTION:\n' + indent(4, wrapString(description(schema, defs) || '<empty>', 76)) + '\n';
    const fields = fieldList(schema, defs, 1, recursive, new Set());
    if (fields) out += 'FIELDS:\n' + fields;
    return out;
  }
  const sub = resolved.properties?.[path[0]];
  if (sub) {
    let out = '';
    if (path.length === 1) out += `FIELD: ${path[0]} <${typeGuess(sub, defs)}>\n${enumText(sub, true, 0)}\n\n`;
    const rest = output(sub, defs, path.slice(1), recursive);
    return rest === undefined ? undefined : out + rest;
  }
  if (resolved.items) return output(resolved.items, defs, path, recursive);
  if (resolved.additionalProperties && typeof resolved.additionalProperties !== 'boolean') return output(resolved.additionalProperties, defs, path, recursive);
  return undefined;
}

/** The schema of a served kind: the built-in table, the CRD's, or a caller's (the kinds registry). */
async function schemaFor(ctx: KubectlContext, r: ApiResource): Promise<Schema | undefined> {
  const builtin = BUILTIN_SCHEMAS[`${r.group}/${r.kind}`];
  if (builtin) return builtin;
  try {
    const crd = await ctx.rest.do<Record<string, any>>({ verb: 'GET', path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${r.name}.${r.group}` });
    const version = (crd.spec?.versions ?? []).find((v: Record<string, any>) => v.name === r.version);
    return version?.schema?.openAPIV3Schema as Schema | undefined;
  } catch {
    return undefined;
  }
}

export const explainCommand: Subcommand = {
  name: 'explain',
  summary: 'Get documentation for a resource',
  usage: 'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [flags]',
  examples: `  # Get the documentation of the resource and its fields
  kubectl explain pods

  # Get the documentation of a specific field of a resource
  kubectl explain pods.spec.containers

  # Get all the fields in the resource
  kubectl explain pods --recursive`,
  flags: [
    { name: 'recursive', type: 'bool', help: 'When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.' },
    { name: 'api-version', type: 'string', help: 'Use given api-version (group/version) of the resource.' },
    { name: 'output', short: 'o', type: 'string', def: 'plaintext', help: 'Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).' },
  ],
  // Upstream: kubectl pkg/cmd/explain/explain.go (Run), pkg/explain/v2/explain.go (PrintModelDescription)
  async run(ctx, args) {
    if (args.length === 0) {
      throw new KubectlError(`You must specify the type of resource to explain. Use "${ctx.commandName} api-resources" for a complete list of supported resources.\n`);
    }
    if (args.length > 1) throw new KubectlError(`We accept only this format: explain RESOURCE\n`);
    const [resourceArg, ...path] = args[0].split('.');
    let r = await ctx.discovery.resourceFor(resourceArg);
    const apiVersion = ctx.flags.str('api-version');
    if (apiVersion) {
      const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      const match = (await ctx.discovery.resources()).find((x) => x.name === r.name && x.group === g && x.version === v);
      if (!match) throw new KubectlError(`couldn't find resource for "${g ? `${g}/` : ''}${v}, Resource=${r.name}"`);
      r = match;
    }
    const schema = await schemaFor(ctx, r);
    if (!schema) throw new KubectlError(`GVR (${r.group}/${r.version}, Resource=${r.name}) not found in OpenAPI schema`);
    let text = '';
    if (r.group) text += `GROUP:      ${r.group}\n`;
    text += `KIND:       ${r.kind}\nVERSION:    ${r.version}\n\n`;
    const body = output(schema, DEFINITIONS, path, ctx.flags.bool('recursive'));
    if (body === undefined) throw new KubectlError(`field "${path[path.length - 1]}" does not exist`);
    ctx.io.print((text + body).replace(/\n$/, ''));
    return 0;
  },
};
