/**
 * `kubectl apply -f` (client-side apply: the last-applied-configuration annotation and a
 * three-way merge patch) and `kubectl create -f`.
 */
import { groupVersion, resourcePath } from '../client/discovery';
import { AggregateError, KubectlError, StatusError, addSourceToErr } from '../client/errors';
import type { KubectlContext, Subcommand } from '../context';
import type { FlagSpec } from '../flags';
import { goJson } from '../format/json';
import { visitManifests, type Info, type Obj } from '../manifest';
import { PreconditionError, createThreeWayJsonMergePatch } from '../patch';
import { printYamlOrJson } from '../printers/output';
import { createPriorityClassCommand } from './create_priorityclass';
import { nameOf } from './get';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const COMMON: readonly FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringArray', help: 'The files that contain the configurations to apply.' },
  { name: 'recursive', short: 'R', type: 'bool', help: 'Process the directory used in -f, --filename recursively.' },
  { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (json, yaml, name).', values: ['json', 'yaml', 'name'] },
  { name: 'dry-run', type: 'string', def: 'none', help: 'Must be "none", "server", or "client".', values: ['none', 'server', 'client'] },
  { name: 'validate', type: 'string', def: 'strict', help: "Must be one of: strict (or true), warn, ignore (or false)." },
  { name: 'field-manager', type: 'string', help: 'Name of the manager used to track field ownership.' },
];

/** `GET`-based info string kubectl puts in patch errors. */
function infoString(info: Info): string {
  const r = info.resource;
  return `Resource: "${r.group}/${r.version}, Resource=${r.name}", GroupVersionKind: "${r.group}/${r.version}, Kind=${r.kind}"\nName: "${info.name}", Namespace: "${info.namespace}"`;
}

export function dryRun(ctx: KubectlContext): 'none' | 'client' | 'server' {
  const v = ctx.flags.str('dry-run', 'none');
  if (v === 'none' || v === 'client' || v === 'server') return v;
  if (v === 'true') return 'client';
  if (v === 'false') return 'none';
  throw new KubectlError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

export function validationQuery(ctx: KubectlContext, manager: string): Record<string, string> {
  const v = ctx.flags.str('validate', 'strict');
  const directive = v === 'strict' || v === 'true' ? 'Strict' : v === 'warn' ? 'Warn' : v === 'ignore' || v === 'false' ? 'Ignore' : undefined;
  if (!directive) throw new KubectlError(`invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
  const q: Record<string, string> = { fieldManager: ctx.flags.str('field-manager') || manager, fieldValidation: directive };
  if (dryRun(ctx) === 'server') q.dryRun = 'All';
  return q;
}

export function printResult(ctx: KubectlContext, obj: Obj, operation: string): void {
  const o = ctx.flags.str('output');
  const mode = dryRun(ctx);
  const op = mode === 'client' ? `${operation} (dry run)` : mode === 'server' ? `${operation} (server dry run)` : operation;
  if (o === 'name') ctx.io.print(nameOf(obj));
  else if (o === 'yaml' || o === 'json') ctx.io.print(printYamlOrJson(o, obj).replace(/\n$/, ''));
  else if (o === '') ctx.io.print(`${nameOf(obj)} ${op}`);
  else throw new KubectlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: json,name,yaml`);
}

/**
 * The object's JSON without the annotation, then with it set to that JSON (what apply sends and
 * stores). The annotations map stays, empty, as Go's unstructured SetAnnotations leaves it.
 */
// Upstream: kubectl pkg/util/apply.go (GetModifiedConfiguration)
export function modifiedConfiguration(obj: Obj, annotate: boolean): { object: Obj; lastApplied: string } {
  const metadata = { ...(obj.metadata ?? {}) };
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const without = { ...obj, metadata: { ...metadata, annotations } };
  const lastApplied = goJson(without) + '\n';
  if (!annotate) return { object: without, lastApplied };
  return { object: { ...obj, metadata: { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: lastApplied } } }, lastApplied };
}

async function needFiles(ctx: KubectlContext, args: string[], verb: string): Promise<Info[]> {
  if (args.length > 0) throw new KubectlError(`Unexpected args: [${args.join(' ')}]\nSee '${ctx.commandName} ${verb} -h' for help and examples`);
  if (ctx.flags.list('filename').length === 0) throw new KubectlError('must specify one of -f and -k');
  return [];
}

export const applyCommand: Subcommand = {
  name: 'apply',
  summary: 'Apply a configuration to a resource by file name',
  usage: 'kubectl apply (-f FILENAME) [flags]',
  examples: `  # Apply the configuration in web.yaml to a pod
  kubectl apply -f ./web.yaml

  # Apply every manifest in a directory
  kubectl apply -f manifests/`,
  flags: COMMON,
  async run(ctx, args) {
    await needFiles(ctx, args, 'apply');
    const errors: Error[] = [];
    const visits = await visitManifests(ctx.files, ctx.flags.list('filename'), ctx.discovery, ctx.namespace, ctx.explicitNamespace, ctx.flags.bool('recursive'));
    let count = 0;
    for (const v of visits) {
      if (v.error) {
        errors.push(v.error);
        continue;
      }
      count++;
      try {
        await applyOne(ctx, v.info);
      } catch (err) {
        errors.push(err as Error);
      }
    }
    if (count === 0 && errors.length === 0) throw new KubectlError('no objects passed to apply');
    if (errors.length) throw new AggregateError(errors);
    return 0;
  },
};

// Upstream: kubectl pkg/cmd/apply/apply.go (applyOneObject), patcher.go (patchSimple)
async function applyOne(ctx: KubectlContext, info: Info): Promise<void> {
  if (!info.name) {
    const generate = info.object.metadata?.generateName;
    if (generate) throw new KubectlError(`from ${generate}: cannot use generate name with apply`);
  }
  const r = info.resource;
  const ns = info.namespace || undefined;
  const { object: modified } = modifiedConfiguration(info.object, true);
  let current: Obj;
  try {
    current = await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(r, ns, info.name) });
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 404)) {
      throw addSourceToErr(`retrieving current configuration of:\n${infoString(info)}\nfrom server for:`, info.source, err);
    }
    // Not there: create it with the annotation (nulls pruned, as a later apply would send them).
    const { object: toCreate } = modifiedConfiguration(pruneNulls(info.object), true);
    if (dryRun(ctx) === 'client') return printResult(ctx, toCreate, 'created');
    try {
      const created = await ctx.rest.do<Obj>({ verb: 'POST', path: resourcePath(r, ns), query: validationQuery(ctx, 'kubectl-client-side-apply'), body: toCreate });
      printResult(ctx, { apiVersion: groupVersion(r), kind: r.kind, ...created }, 'created');
    } catch (e) {
      throw addSourceToErr('creating', info.source, e);
    }
    return;
  }
  if (dryRun(ctx) === 'client') return printResult(ctx, current, 'configured');
  const original = current.metadata?.annotations?.[LAST_APPLIED];
  if (original === undefined) {
    ctx.io.print(
      `Warning: resource ${r.name}/${info.name} is missing the ${LAST_APPLIED} annotation which is required by ${ctx.commandName} apply. ${ctx.commandName} apply should only be used on resources created declaratively by either ${ctx.commandName} create --save-config or ${ctx.commandName} apply. The missing annotation will be patched automatically.`,
    );
  }
  let originalObj: unknown = undefined;
  if (original) {
    try {
      originalObj = JSON.parse(original);
    } catch {
      throw new KubectlError(`retrieving original configuration from:\n${infoString(info)}\nfor: invalid character in last-applied-configuration`);
    }
  }
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  let patch: unknown;
  let contentType = 'application/merge-patch+json';
  const smp = ctx.strategicMerge?.createThreeWayMergePatch(originalObj ?? {}, modified, current, gvk);
  if (smp !== undefined) {
    patch = smp;
    contentType = 'application/strategic-merge-patch+json';
  } else {
    try {
      // Upstream sends a strategic merge patch for built-in kinds and a JSON merge patch for
      // custom resources; without the strategic seam, built-ins get the JSON merge patch with
      // lists the manifest did not change left alone (see patch.ts).
      patch = createThreeWayJsonMergePatch(originalObj, modified, current, { keepDefaultedLists: isBuiltinGroup(r.group) });
    } catch (err) {
      if (err instanceof PreconditionError) throw new KubectlError(err.message);
      throw err;
    }
  }
  const patchText = goJson(patch);
  if (patchText === '{}') {
    printResult(ctx, current, 'unchanged');
    return;
  }
  try {
    const patched = await ctx.rest.do<Obj>({
      verb: 'PATCH',
      path: resourcePath(r, ns, info.name),
      query: validationQuery(ctx, 'kubectl-client-side-apply'),
      rawBody: patchText,
      contentType,
    });
    if (patched?.metadata?.deletionTimestamp) ctx.io.print(`Warning: Detected changes to resource ${info.name} which is currently being deleted.`);
    printResult(ctx, { apiVersion: groupVersion(r), kind: r.kind, ...patched }, 'configured');
  } catch (err) {
    throw addSourceToErr(`applying patch:\n${patchText}\nto:\n${infoString(info)}\nfor:`, info.source, err);
  }
}

/** Kinds served by Kubernetes itself (strategic merge upstream), not custom resources. */
export function isBuiltinGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

function pruneNulls(v: Obj): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    out[k] = x && typeof x === 'object' && !Array.isArray(x) ? pruneNulls(x) : Array.isArray(x) ? x.map((i) => (i && typeof i === 'object' && !Array.isArray(i) ? pruneNulls(i) : i)) : x;
  }
  return out;
}

export const createCommand: Subcommand = {
  name: 'create',
  subcommands: [createPriorityClassCommand],
  summary: 'Create a resource from a file',
  usage: 'kubectl create -f FILENAME [flags]',
  examples: `  # Create a pod using the data in web.yaml
  kubectl create -f ./web.yaml`,
  flags: [...COMMON, { name: 'save-config', type: 'bool', help: "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged." }],
  async run(ctx, args) {
    await needFiles(ctx, args, 'create');
    const errors: Error[] = [];
    const visits = await visitManifests(ctx.files, ctx.flags.list('filename'), ctx.discovery, ctx.namespace, ctx.explicitNamespace, ctx.flags.bool('recursive'));
    let count = 0;
    for (const v of visits) {
      if (v.error) {
        errors.push(v.error);
        continue;
      }
      count++;
      const { info } = v;
      const r = info.resource;
      const body = ctx.flags.bool('save-config') ? modifiedConfiguration(info.object, true).object : info.object;
      if (dryRun(ctx) === 'client') {
        printResult(ctx, body, 'created');
        continue;
      }
      try {
        const created = await ctx.rest.do<Obj>({ verb: 'POST', path: resourcePath(r, info.namespace || undefined), query: validationQuery(ctx, 'kubectl-create'), body });
        printResult(ctx, { apiVersion: groupVersion(r), kind: r.kind, ...created }, 'created');
      } catch (err) {
        errors.push(addSourceToErr('creating', info.source, err));
      }
    }
    if (count === 0 && errors.length === 0) throw new KubectlError('no objects passed to create');
    if (errors.length) throw new AggregateError(errors);
    return 0;
  },
};
