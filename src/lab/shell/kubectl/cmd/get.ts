/**
 * `kubectl get`: tables (and -o wide|yaml|json|name|jsonpath|custom-columns), selectors, -A,
 * --show-labels, -L, -w / --watch-only (a table, then a row per event until Ctrl+C), --raw.
 */
import type { WatchEventJson } from '../../../../sim/client/transport';
import type { ApiResource } from '../client/discovery';
import { kindString, resourcePath } from '../client/discovery';
import { AggregateError, KubectlError, StatusError } from '../client/errors';
import { getObject, listObjects, namespaceFor, resolveTargets, withTypeMeta, type Target } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import type { FlagSpec } from '../flags';
import { TABLE_TABWRITER, TabWriter } from '../format/tabwriter';
import { goJson } from '../format/json';
import { visitManifests, type Obj } from '../manifest';
import { HumanReadablePrinter } from '../printers/table-printer';
import { toTable } from '../printers/tables';
import { asList, forDisplay, parseOutput, printCustomColumns, printJsonPath, printYamlOrJson, type OutputFormat } from '../printers/output';

export const OUTPUT_FORMATS = ['wide', 'yaml', 'json', 'name', 'jsonpath=', 'jsonpath-as-json=', 'custom-columns='] as const;

const FLAGS: readonly FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (json, yaml, name, wide, jsonpath=..., jsonpath-as-json=..., custom-columns=...).', values: OUTPUT_FORMATS },
  { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2)." },
  { name: 'field-selector', type: 'string', help: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2)." },
  { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If present, list the requested object(s) across all namespaces.' },
  { name: 'watch', short: 'w', type: 'bool', help: 'After listing/getting the requested object, watch for changes.' },
  { name: 'watch-only', type: 'bool', help: 'Watch for changes to the requested object(s), without listing/getting first.' },
  { name: 'output-watch-events', type: 'bool', help: 'Output watch event objects when --watch or --watch-only is used.' },
  { name: 'show-labels', type: 'bool', help: 'When printing, show all labels as the last column (default hide labels column).' },
  { name: 'label-columns', short: 'L', type: 'stringArray', help: 'Accepts a comma separated list of labels that are going to be presented as columns.' },
  { name: 'no-headers', type: 'bool', help: "When using the default or custom-column output format, don't print headers (default print headers)." },
  { name: 'show-kind', type: 'bool', help: 'If present, list the resource type for the requested object(s).' },
  { name: 'raw', type: 'string', help: 'Raw URI to request from the server.' },
  { name: 'filename', short: 'f', type: 'stringArray', help: 'Filename, directory, or URL to files identifying the resource to get from a server.' },
  { name: 'recursive', short: 'R', type: 'bool', help: 'Process the directory used in -f, --filename recursively.' },
  { name: 'ignore-not-found', type: 'bool', help: 'If set to true, suppresses NotFound error for specific objects that do not exist.' },
  { name: 'chunk-size', type: 'int', def: '500', help: 'Return large lists in chunks rather than all at once. Pass 0 to disable.' },
];

export const getCommand: Subcommand = {
  name: 'get',
  summary: 'Display one or many resources',
  usage: 'kubectl get [(-o|--output=)json|yaml|name|wide|jsonpath=...|custom-columns=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]',
  examples: `  # List all pods in ps output format
  kubectl get pods

  # List all pods in ps output format with more information (such as node name)
  kubectl get pods -o wide

  # List a single pod in JSON output format
  kubectl get -o json pod web

  # List deployments and services together
  kubectl get deployments,services

  # Watch pods change
  kubectl get pods -w

  # Print the names of all pods
  kubectl get pods -o jsonpath='{.items[*].metadata.name}'`,
  flags: FLAGS,
  async run(ctx, args) {
    const f = ctx.flags;
    const raw = f.str('raw');
    if (f.has('raw')) return getRaw(ctx, raw, args);
    const output = parseOutput(f.str('output'));
    const files = f.list('filename');
    if (args.length === 0 && files.length === 0) {
      ctx.io.print(`You must specify the type of resource to get. Use "${ctx.commandName} api-resources" for a complete list of supported resources.\n`);
      throw new KubectlError(`Required resource not specified.\nUse "${ctx.commandName} explain <resource>" for a detailed description of that resource (e.g. ${ctx.commandName} explain pods).\nSee '${ctx.commandName} get -h' for help and examples`);
    }
    if (f.bool('show-labels') && !['table', 'wide'].includes(output.kind)) {
      throw new KubectlError(`--show-labels option cannot be used with ${f.str('output')} printer`);
    }
    if (f.bool('output-watch-events') && !f.bool('watch') && !f.bool('watch-only')) {
      throw new KubectlError('--output-watch-events option can only be used with --watch or --watch-only');
    }
    if (f.bool('watch') || f.bool('watch-only')) return watch(ctx, args, output);
    return get(ctx, args, output);
  },
};

/** `--raw /path`: the body as the server sent it. */
async function getRaw(ctx: KubectlContext, raw: string, args: string[]): Promise<number> {
  if (args.length > 0) throw new KubectlError('arguments may not be passed when --raw is specified');
  if (!raw.startsWith('/')) throw new KubectlError(`--raw must be a valid URL path: parse "${raw}": invalid URI for request`);
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const part of raw.slice(q + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const k = decodeURIComponent((eq >= 0 ? part.slice(0, eq) : part).replace(/\+/g, ' '));
      query[k] = eq >= 0 ? decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' ')) : '';
    }
  }
  const res = await ctx.rest.send({ verb: 'GET', path, query, accept: 'application/json, */*' });
  if (res.code < 200 || res.code > 299) {
    // rawhttp prints the body, then the error.
    if (res.body !== undefined) ctx.io.print(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
    const err = new StatusError({ ...(res.body as object), code: res.code });
    throw err;
  }
  ctx.io.print(typeof res.body === 'string' ? res.body.replace(/\n$/, '') : JSON.stringify(res.body));
  return 0;
}

interface Fetched {
  resource: ApiResource;
  objects: Obj[];
  /** A list request (not names): -o yaml prints a List even for one item. */
  isList: boolean;
  resourceVersion: string;
  /** How many names the arguments gave for this resource (Go: what IntoSingleItemImplied counts). */
  names?: number;
}

async function fetchTargets(ctx: KubectlContext, args: string[], errors: Error[]): Promise<Fetched[]> {
  const f = ctx.flags;
  const allNamespaces = f.bool('all-namespaces');
  const out: Fetched[] = [];
  const files = f.list('filename');
  if (files.length) {
    if (args.length) throw new KubectlError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    for (const v of await visitManifests(ctx.files, files, ctx.discovery, ctx.namespace, ctx.explicitNamespace, f.bool('recursive'))) {
      if (v.error) {
        errors.push(v.error);
        continue;
      }
      const { info } = v;
      try {
        const obj = withTypeMeta(await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(info.resource, info.namespace || undefined, info.name) }), info.resource);
        const last = out[out.length - 1];
        if (last && last.resource === info.resource) last.objects.push(obj);
        else out.push({ resource: info.resource, objects: [obj], isList: false, resourceVersion: '' });
      } catch (err) {
        if (!(f.bool('ignore-not-found') && err instanceof StatusError && err.code === 404)) errors.push(err as Error);
      }
    }
    return out;
  }
  const targets = await resolveTargets(ctx, args);
  for (const t of targets) {
    if (t.names.length === 0) {
      try {
        const { items, resourceVersion } = await listObjects(ctx, t.resource, {
          labelSelector: f.str('selector'),
          fieldSelector: f.str('field-selector'),
          allNamespaces,
          chunkSize: f.int('chunk-size', 500),
        });
        out.push({ resource: t.resource, objects: items, isList: true, resourceVersion });
      } catch (err) {
        errors.push(err as Error);
      }
      continue;
    }
    if (allNamespaces) throw new KubectlError('a resource cannot be retrieved by name across all namespaces');
    const fetched: Fetched = { resource: t.resource, objects: [], isList: false, resourceVersion: '', names: t.names.length };
    for (const name of t.names) {
      try {
        fetched.objects.push(await getObject(ctx, t.resource, name));
      } catch (err) {
        if (!(f.bool('ignore-not-found') && err instanceof StatusError && err.code === 404)) errors.push(err as Error);
      }
    }
    out.push(fetched);
  }
  return out;
}

// Upstream: kubectl pkg/cmd/get/get.go (GetOptions.Run, printGeneric)
async function get(ctx: KubectlContext, args: string[], output: OutputFormat): Promise<number> {
  const f = ctx.flags;
  const errors: Error[] = [];
  const fetched = await fetchTargets(ctx, args, errors);
  const allObjects = fetched.flatMap((x) => x.objects);
  if (output.kind === 'table' || output.kind === 'wide') {
    const kinds = new Set(fetched.filter((x) => x.objects.length).map((x) => `${x.resource.group}/${x.resource.kind}`));
    const printWithKind = kinds.size > 1 || f.bool('show-kind');
    const parts: string[] = [];
    let allNamespaced = !f.bool('all-namespaces');
    for (const x of fetched) {
      allNamespaced = allNamespaced && x.resource.namespaced;
      if (x.objects.length === 0) continue;
      const w = new TabWriter(TABLE_TABWRITER);
      const printer = new HumanReadablePrinter({
        wide: output.kind === 'wide',
        noHeaders: f.bool('no-headers'),
        withNamespace: f.bool('all-namespaces') && x.resource.namespaced,
        showLabels: f.bool('show-labels'),
        columnLabels: f.list('label-columns').flatMap((l) => l.split(',')).filter(Boolean),
        withKind: printWithKind,
        kind: kindString(x.resource),
      });
      printer.printTable(toTable(x.resource.group, x.resource.kind, x.objects, ctx.now()), w);
      parts.push(w.flush());
    }
    const text = parts.filter(Boolean).join('\n');
    if (text) ctx.io.print(text.replace(/\n$/, ''));
    if (!text && !f.bool('ignore-not-found') && errors.length === 0) {
      ctx.io.print(allNamespaced ? `No resources found in ${ctx.namespace} namespace.` : 'No resources found');
    }
  } else {
    const singleItem = fetched.length === 1 && !fetched[0].isList && fetched[0].objects.length === 1 && !f.list('filename').length;
    const singleFile = f.list('filename').length === 1 && allObjects.length === 1;
    // One name asked for and not found: kubectl returns the error alone, no empty List (Go: printGeneric, singleItemImplied).
    const singleItemImplied = fetched.length === 1 && fetched[0].names === 1 && !f.list('filename').length;
    if (allObjects.length > 0 || !(singleItem || singleItemImplied)) {
      // Items are flattened and composed into a new List, whose resourceVersion is empty.
      const data = singleItem || singleFile ? forDisplay(allObjects[0]) : asList(allObjects);
      if (!(allObjects.length === 0 && f.bool('ignore-not-found'))) printGeneric(ctx, output, data, allObjects);
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return 0;
}

function printGeneric(ctx: KubectlContext, output: OutputFormat, data: Obj, objects: Obj[]): void {
  const f = ctx.flags;
  switch (output.kind) {
    case 'yaml':
    case 'json':
      ctx.io.print(printYamlOrJson(output.kind, data).replace(/\n$/, ''));
      return;
    case 'name':
      for (const o of objects) ctx.io.print(nameOf(o));
      return;
    case 'jsonpath':
    case 'jsonpath-as-json': {
      const text = printJsonPath(output.template ?? '', data, output.kind === 'jsonpath-as-json');
      if (text !== '') ctx.io.print(text.replace(/\n$/, ''));
      return;
    }
    case 'custom-columns': {
      const text = printCustomColumns(output.template ?? '', objects, f.bool('no-headers'));
      if (text) ctx.io.print(text.replace(/\n$/, ''));
      return;
    }
  }
}

/** `pod/web`, `deployment.apps/web` (cli-runtime NamePrinter). */
export function nameOf(o: Obj): string {
  const apiVersion = String(o.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const kind = String(o.kind ?? '').toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${o.metadata?.name || '<unknown>'}`;
}

/** The single target of a watch (kubectl: "watch is only supported on individual resources..."). */
async function watchTarget(ctx: KubectlContext, args: string[]): Promise<Target> {
  const targets = await resolveTargets(ctx, args);
  if (targets.length === 0) throw new KubectlError('you must provide one or more resources by argument or filename');
  if (targets.length > 1) throw new KubectlError('watch is only supported on individual resources and resource collections - more than 1 resource was found');
  if (targets[0].names.length > 1) throw new KubectlError('watch is only supported on individual resources and resource collections - more than 1 resource was found');
  return targets[0];
}

// Upstream: kubectl pkg/cmd/get/get.go (GetOptions.watch)
async function watch(ctx: KubectlContext, args: string[], output: OutputFormat): Promise<number> {
  const f = ctx.flags;
  const t = await watchTarget(ctx, args);
  const r = t.resource;
  const allNamespaces = f.bool('all-namespaces');
  const name = t.names[0];
  let initial: Obj[];
  let rv: string;
  if (name === undefined) {
    const listed = await listObjects(ctx, r, { labelSelector: f.str('selector'), fieldSelector: f.str('field-selector'), allNamespaces, chunkSize: f.int('chunk-size', 500) });
    initial = listed.items;
    rv = listed.resourceVersion;
  } else {
    if (allNamespaces) throw new KubectlError('a resource cannot be retrieved by name across all namespaces');
    initial = [await getObject(ctx, r, name)];
    rv = '0';
  }
  const w = new TabWriter(TABLE_TABWRITER);
  const printer = new HumanReadablePrinter({
    wide: output.kind === 'wide',
    noHeaders: f.bool('no-headers'),
    withNamespace: allNamespaces && r.namespaced,
    showLabels: f.bool('show-labels'),
    columnLabels: f.list('label-columns').flatMap((l) => l.split(',')).filter(Boolean),
    kind: kindString(r),
  });
  const events = f.bool('output-watch-events');
  let yamlCount = 0;
  const flush = () => {
    const text = w.flush();
    if (text) ctx.io.print(text.replace(/\n$/, ''));
  };
  const print = (obj: Obj, type: WatchEventJson['type'], flushNow = true) => {
    if (output.kind === 'table' || output.kind === 'wide') {
      printer.printTable(toTable(r.group, r.kind, [obj], ctx.now()), w, events ? type : undefined);
      if (flushNow) flush();
      return;
    }
    if (events && output.kind === 'json') {
      ctx.io.print(goJson({ type, object: forDisplay(obj) }));
      return;
    }
    const data = events ? { object: forDisplay(obj), type } : obj;
    if (output.kind === 'yaml') {
      ctx.io.print(((yamlCount++ > 0 ? '---\n' : '') + printYamlOrJson('yaml', data)).replace(/\n$/, ''));
    } else printGeneric(ctx, output, data, [obj]);
  };
  // The current objects print as one block (one flush), so their columns line up.
  if (!f.bool('watch-only')) for (const o of initial) print(o, 'ADDED', false);
  flush();
  // A watch started for one object first sends a synthetic ADDED event: kubectl skips it.
  let skipFirst = name !== undefined;
  const query: Record<string, string> = {};
  if (name !== undefined) query.fieldSelector = `metadata.name=${name}`;
  else {
    if (f.str('selector')) query.labelSelector = f.str('selector');
    if (f.str('field-selector')) query.fieldSelector = f.str('field-selector');
  }
  query.resourceVersion = rv;
  query.watch = 'true';
  const stream = await ctx.rest.watch({ verb: 'GET', path: resourcePath(r, namespaceFor(ctx, r, allNamespaces)), query });
  const interrupted = ctx.interrupt.promise.then(() => 'interrupted' as const);
  try {
    for (;;) {
      if (ctx.interrupt.interrupted) return 1;
      const next = await Promise.race([stream.next(), interrupted]);
      if (next === 'interrupted') return 1;
      if (next === undefined) return 0;
      if (next.type === 'BOOKMARK') continue;
      if (next.type === 'ERROR') return 0; // kubectl's watch loop ends; the error is not printed
      if (skipFirst) {
        skipFirst = false;
        continue;
      }
      print(withTypeMeta(next.object as Obj, r), next.type);
    }
  } finally {
    stream.close();
  }
}
