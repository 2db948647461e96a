/**
 * The commands that change one field group of live objects: `patch` (--type strategic|merge|json),
 * `label` and `annotate` (a merge patch of metadata), `scale` (a merge patch of the scale
 * subresource).
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import type { ApiResource } from '../client/discovery';
import { groupVersion, resourcePath } from '../client/discovery';
import { AggregateError, KubectlError, StatusError } from '../client/errors';
import { getObject, listObjects, resolveTargets } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import type { FlagSpec } from '../flags';
import { goJson, sortKeysDeep } from '../format/json';
import { visitManifests, type Obj } from '../manifest';
import { createMergePatch, jsonEqual } from '../patch';
import { printYamlOrJson } from '../printers/output';
import { nameOf } from './get';

interface Live {
  resource: ApiResource;
  object: Obj;
  namespace: string;
  name: string;
}

/** The objects a command targets: `-f`, `TYPE NAME...`, `TYPE/NAME`, or a selector / --all. */
async function liveObjects(ctx: KubectlContext, resourceArgs: string[], opts: { selectAllowed: boolean }): Promise<{ objects: Live[]; errors: Error[] }> {
  const f = ctx.flags;
  const objects: Live[] = [];
  const errors: Error[] = [];
  const files = f.list('filename');
  if (files.length) {
    for (const v of await visitManifests(ctx.files, files, ctx.discovery, ctx.namespace, ctx.explicitNamespace)) {
      if (v.error) {
        errors.push(v.error);
        continue;
      }
      try {
        const obj = await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(v.info.resource, v.info.namespace || undefined, v.info.name) });
        objects.push({ resource: v.info.resource, object: { apiVersion: groupVersion(v.info.resource), kind: v.info.resource.kind, ...obj }, namespace: v.info.namespace, name: v.info.name });
      } catch (err) {
        errors.push(err as Error);
      }
    }
    return { objects, errors };
  }
  if (resourceArgs.length === 0) {
    throw new KubectlError(`one or more resources must be specified as <resource> <name> or <resource>/<name>`);
  }
  for (const t of await resolveTargets(ctx, resourceArgs)) {
    if (t.names.length === 0) {
      const selecting = f.bool('all') || !!f.str('selector') || !!f.str('field-selector');
      if (!opts.selectAllowed || !selecting) throw new KubectlError('resource(s) were provided, but no name was specified');
      const listed = await listObjects(ctx, t.resource, { labelSelector: f.str('selector'), fieldSelector: f.str('field-selector'), allNamespaces: f.bool('all-namespaces') });
      for (const o of listed.items) objects.push({ resource: t.resource, object: o, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });
      continue;
    }
    for (const name of t.names) {
      try {
        const o = await getObject(ctx, t.resource, name);
        objects.push({ resource: t.resource, object: o, namespace: o.metadata?.namespace ?? '', name });
      } catch (err) {
        errors.push(err as Error);
      }
    }
  }
  return { objects, errors };
}

function printDone(ctx: KubectlContext, obj: Obj, operation: string): void {
  const o = ctx.flags.str('output');
  if (o === 'name') ctx.io.print(nameOf(obj));
  else if (o === 'yaml' || o === 'json') ctx.io.print(printYamlOrJson(o, obj).replace(/\n$/, ''));
  else ctx.io.print(`${nameOf(obj)} ${operation}`);
}

const OUTPUT_FLAG: FlagSpec = { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (json, yaml, name).', values: ['json', 'yaml', 'name'] };
const FILE_FLAG: FlagSpec = { name: 'filename', short: 'f', type: 'stringArray', help: 'Filename, directory, or URL to files identifying the resource.' };

const PATCH_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export const patchCommand: Subcommand = {
  name: 'patch',
  summary: 'Update fields of a resource',
  usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [flags]',
  examples: `  # Partially update a node using a strategic merge patch
  kubectl patch node node-1 -p '{"spec":{"unschedulable":true}}'

  # Update a deployment's replicas with a JSON merge patch
  kubectl patch deployment web --type merge -p '{"spec":{"replicas":3}}'

  # Update a container's image using a JSON patch
  kubectl patch pod web --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", "value":"nginx:1.27"}]'`,
  flags: [
    { name: 'patch', short: 'p', type: 'string', help: 'The patch to be applied to the resource JSON file.' },
    { name: 'patch-file', type: 'string', help: 'A file containing a patch to be applied to the resource.' },
    { name: 'type', type: 'string', def: 'strategic', help: 'The type of patch being provided; one of [json merge strategic]', values: ['json', 'merge', 'strategic'] },
    { name: 'subresource', type: 'string', help: "If specified, patch will operate on the subresource of the requested object (status, scale)." },
    FILE_FLAG,
    OUTPUT_FLAG,
  ],
  // Upstream: kubectl pkg/cmd/patch/patch.go (RunPatch)
  async run(ctx, args) {
    const f = ctx.flags;
    if (f.has('patch') && f.has('patch-file')) throw new KubectlError('cannot specify --patch and --patch-file together');
    if (!f.has('patch') && !f.has('patch-file')) throw new KubectlError('must specify --patch or --patch-file containing the contents of the patch');
    const type = f.str('type', 'strategic').toLowerCase();
    if (!(type in PATCH_TYPES)) throw new KubectlError(`--type must be one of [json merge strategic], not "${f.str('type')}"`);
    let text = f.str('patch');
    if (f.has('patch-file')) {
      if (!ctx.files) throw new KubectlError(`unable to read patch file: open ${f.str('patch-file')}: no such file or directory`);
      try {
        text = ctx.files.readFile(f.str('patch-file'));
      } catch {
        throw new KubectlError(`unable to read patch file: open ${f.str('patch-file')}: no such file or directory`);
      }
    }
    let patch: unknown;
    try {
      patch = load(text, { schema: CORE_SCHEMA });
    } catch (err) {
      throw new KubectlError(`unable to parse "${text}": ${(err as Error).message.split('\n')[0]}`);
    }
    const body = goJson(sortKeysDeep(patch ?? {}));
    const { objects, errors } = await liveObjects(ctx, args, { selectAllowed: false });
    if (objects.length === 0 && errors.length === 0) throw new KubectlError('no objects passed to patch');
    for (const live of objects) {
      const r = live.resource;
      try {
        const patched = await ctx.rest.do<Obj>({
          verb: 'PATCH',
          path: resourcePath(r, live.namespace || undefined, live.name, f.str('subresource') || undefined),
          query: { fieldManager: 'kubectl-patch' },
          rawBody: body,
          contentType: PATCH_TYPES[type],
        });
        const result = { apiVersion: groupVersion(r), kind: r.kind, ...patched };
        printDone(ctx, result, jsonEqual(live.object, result) ? 'patched (no change)' : 'patched');
      } catch (err) {
        if (err instanceof StatusError && err.code === 415) {
          errors.push(new KubectlError(`${PATCH_TYPES[type]} is not supported by ${r.group}/${r.version}, Kind=${r.kind}: ${err.status.message ?? ''}`));
        } else errors.push(err as Error);
      }
    }
    if (errors.length) throw new AggregateError(errors);
    return 0;
  },
};

/** cmdutil.GetResourcesAndPairs: resources first, then `k=v` / `k-` changes. */
// Upstream: kubectl pkg/cmd/util/helpers.go (GetResourcesAndPairs)
function resourcesAndPairs(args: string[], pairType: string): [string[], string[]] {
  const resources: string[] = [];
  const pairs: string[] = [];
  let found = false;
  for (const s of args) {
    const nonResource = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (nonResource) {
      found = true;
      pairs.push(s);
    } else if (!found) resources.push(s);
    else throw new KubectlError(`all resources must be specified before ${pairType} changes: ${s}`);
  }
  return [resources, pairs];
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** validation.IsValidLabelValue. */
// Upstream: apimachinery pkg/util/validation/validation.go (IsValidLabelValue)
function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(v)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

function metadataCommand(kind: 'label' | 'annotate'): Subcommand {
  const field = kind === 'label' ? 'labels' : 'annotations';
  const noun = kind === 'label' ? 'label' : 'annotation';
  return {
    name: kind,
    summary: kind === 'label' ? 'Update the labels on a resource' : 'Update the annotations on a resource',
    usage: `kubectl ${kind} [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [flags]`,
    examples:
      kind === 'label'
        ? `  # Update pod 'web' with the label 'tier' and the value 'frontend'
  kubectl label pods web tier=frontend

  # Update a pod's label, overwriting any existing value
  kubectl label --overwrite pods web tier=backend

  # Remove the label named 'tier'
  kubectl label pods web tier-`
        : `  # Update pod 'web' with the annotation 'description' and the value 'my frontend'
  kubectl annotate pods web description='my frontend'

  # Remove the annotation named 'description'
  kubectl annotate pods web description-`,
    flags: [
      { name: 'overwrite', type: 'bool', help: `If true, allow ${noun}s to be overwritten, otherwise reject ${noun} updates that overwrite existing ${noun}s.` },
      { name: 'list', type: 'bool', help: `If true, display the ${noun}s for a given resource.` },
      { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on.' },
      { name: 'field-selector', type: 'string', help: 'Selector (field query) to filter on.' },
      { name: 'all', type: 'bool', help: 'Select all resources, in the namespace of the specified resource types.' },
      { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If true, check the specified action in all namespaces.' },
      FILE_FLAG,
      OUTPUT_FLAG,
    ],
    // Upstream: kubectl pkg/cmd/label/label.go (RunLabel), pkg/cmd/annotate/annotate.go (RunAnnotate)
    async run(ctx, args) {
      const f = ctx.flags;
      const [resourceArgs, pairs] = resourcesAndPairs(args, kind === 'label' ? 'label' : 'annotate');
      if (pairs.length === 0 && !f.bool('list')) throw new KubectlError(`at least one ${noun} update is required`);
      if (f.bool('all') && f.str('selector')) throw new KubectlError('cannot set --all and --selector at the same time');
      const set: Record<string, string> = {};
      const remove: string[] = [];
      for (const spec of pairs) {
        if (spec.includes('=')) {
          const parts = spec.split('=');
          if (kind === 'label') {
            if (parts.length !== 2) throw new KubectlError(`invalid label spec: ${spec}`);
            const errs = labelValueErrors(parts[1]);
            if (errs.length) throw new KubectlError(`invalid label value: "${spec}": ${errs.join(';')}`);
            set[parts[0]] = parts[1];
          } else {
            const i = spec.indexOf('=');
            if (i === 0) throw new KubectlError(`invalid annotation format: ${spec}`);
            set[spec.slice(0, i)] = spec.slice(i + 1);
          }
        } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
        else throw new KubectlError(`unknown ${noun} spec: ${spec}`);
      }
      for (const k of remove) {
        if (k in set) {
          throw new KubectlError(kind === 'label' ? 'can not both modify and remove a label in the same command' : `can not both modify and remove the following annotation(s) in the same command: ${k}`);
        }
      }
      const { objects, errors } = await liveObjects(ctx, resourceArgs, { selectAllowed: true });
      for (const live of objects) {
        const obj = live.object;
        const current: Record<string, string> = obj.metadata?.[field] ?? {};
        if (f.bool('list')) {
          for (const [k, v] of Object.entries(current)) ctx.io.print(`${k}=${v}`);
          continue;
        }
        if (!f.bool('overwrite')) {
          const clash = Object.entries(set).filter(([k, v]) => k in current && current[k] !== v);
          if (clash.length) {
            if (kind === 'label') {
              errors.push(new AggregateError(clash.map(([k]) => new KubectlError(`'${k}' already has a value (${current[k]}), and --overwrite is false`))));
            } else {
              errors.push(new KubectlError(`--overwrite is false but found the following declared annotation(s): ${clash.map(([k]) => `'${k}' already has a value (${current[k]})`).join('; ')}`));
            }
            continue;
          }
        }
        for (const k of remove) if (!(k in current)) ctx.io.print(`${noun} "${k}" not found.`);
        const next: Record<string, string> = { ...current, ...set };
        for (const k of remove) delete next[k];
        const before = { ...obj, metadata: { ...(obj.metadata ?? {}) } };
        const after = { ...obj, metadata: { ...(obj.metadata ?? {}), [field]: next } };
        const patch = createMergePatch(sortKeysDeep(before), sortKeysDeep(after));
        let msg = kind === 'label' ? 'not labeled' : 'annotated';
        if (kind === 'label' && !jsonEqual(before.metadata[field] ?? {}, next)) {
          msg = !f.bool('overwrite') && JSON.stringify(after).length < JSON.stringify(before).length ? 'unlabeled' : 'labeled';
        }
        try {
          const patched = await ctx.rest.do<Obj>({
            verb: 'PATCH',
            path: resourcePath(live.resource, live.namespace || undefined, live.name),
            query: { fieldManager: `kubectl-${kind}` },
            rawBody: goJson(patch),
            contentType: 'application/merge-patch+json',
          });
          printDone(ctx, { apiVersion: groupVersion(live.resource), kind: live.resource.kind, ...patched }, msg);
        } catch (err) {
          errors.push(err as Error);
        }
      }
      if (errors.length) throw new AggregateError(errors);
      return 0;
    },
  };
}

export const labelCommand = metadataCommand('label');
export const annotateCommand = metadataCommand('annotate');

export const scaleCommand: Subcommand = {
  name: 'scale',
  summary: 'Set a new size for a deployment, replica set, or stateful set',
  usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [flags]',
  examples: `  # Scale a deployment named 'web' to 3
  kubectl scale --replicas=3 deployment/web

  # If the deployment named web's current size is 2, scale it to 3
  kubectl scale --current-replicas=2 --replicas=3 deployment/web`,
  flags: [
    { name: 'replicas', type: 'int', def: '-1', help: 'The new desired number of replicas. Required.' },
    { name: 'current-replicas', type: 'int', def: '-1', help: 'Precondition for current size. Requires that the current size of the resource match this value in order to scale.' },
    { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on.' },
    { name: 'all', type: 'bool', help: 'Select all resources in the namespace of the specified resource types' },
    FILE_FLAG,
    OUTPUT_FLAG,
  ],
  // Upstream: kubectl pkg/cmd/scale/scale.go (RunScale), pkg/scale/scale.go (ScaleSimple)
  async run(ctx, args) {
    const f = ctx.flags;
    const replicas = f.int('replicas', -1);
    if (replicas < 0) throw new KubectlError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
    const { objects, errors } = await liveObjects(ctx, args, { selectAllowed: true });
    if (objects.length === 0) {
      if (errors.length) throw new KubectlError(`no objects passed to scale ${errors.map((e) => e.message).join(', ')}`);
      throw new KubectlError('no objects passed to scale');
    }
    const current = f.int('current-replicas', -1);
    for (const live of objects) {
      const path = resourcePath(live.resource, live.namespace || undefined, live.name, 'scale');
      if (current !== -1) {
        const scale = await ctx.rest.do<Obj>({ verb: 'GET', path });
        const size = scale.spec?.replicas ?? 0;
        if (size !== current) throw new KubectlError(`Expected replicas to be ${current}, was ${size}`);
        await ctx.rest.do({ verb: 'PUT', path, body: { ...scale, spec: { ...(scale.spec ?? {}), replicas } } });
      } else {
        await ctx.rest.do({ verb: 'PATCH', path, rawBody: goJson({ spec: { replicas } }), contentType: 'application/merge-patch+json' });
      }
      printDone(ctx, live.object, 'scaled');
    }
    if (errors.length) throw new AggregateError(errors);
    return 0;
  },
};
