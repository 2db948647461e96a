/**
 * `kubectl delete`: by name, type/name, selector, --all or -f; DeleteOptions with
 * propagationPolicy (--cascade) and gracePeriodSeconds (--grace-period, --now, --force); then,
 * like kubectl, waits until each object is gone (--wait, on by default; Ctrl+C stops waiting).
 */
import type { ApiResource } from '../client/discovery';
import { kindString, resourcePath } from '../client/discovery';
import { AggregateError, KubectlError, StatusError, addSourceToErr } from '../client/errors';
import { listObjects, namespaceFor, resolveTargets } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import type { FlagSpec } from '../flags';
import { parseGoBool } from '../flags';
import { visitManifests, type Obj } from '../manifest';
import type { WatchStream } from '../../../../sim/client/transport';

const FLAGS: readonly FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringArray', help: 'containing the resource to delete.' },
  { name: 'recursive', short: 'R', type: 'bool', help: 'Process the directory used in -f, --filename recursively.' },
  { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on.' },
  { name: 'field-selector', type: 'string', help: 'Selector (field query) to filter on.' },
  { name: 'all', type: 'bool', help: 'Delete all resources, in the namespace of the specified resource types.' },
  { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If present, list the requested object(s) across all namespaces.' },
  { name: 'grace-period', type: 'int', def: '-1', help: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
  { name: 'now', type: 'bool', help: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).' },
  { name: 'force', type: 'bool', help: 'If true, immediately remove resources from API and bypass graceful deletion.' },
  { name: 'cascade', type: 'string', def: 'background', help: 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController).', values: ['background', 'foreground', 'orphan'] },
  { name: 'wait', type: 'bool', def: 'true', help: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
  { name: 'ignore-not-found', type: 'bool', help: 'Treat "resource not found" as a successful delete.' },
  { name: 'output', short: 'o', type: 'string', help: "Output mode. Use \"-o name\" for shorter output (resource/name).", values: ['name'] },
  { name: 'dry-run', type: 'string', def: 'none', help: 'Must be "none", "server", or "client".', values: ['none', 'server', 'client'] },
];

interface Item {
  resource: ApiResource;
  namespace: string;
  name: string;
  source?: string;
}

// Upstream: kubectl pkg/cmd/delete/delete_flags.go (parseCascadingFlag)
function cascade(ctx: KubectlContext): string {
  const v = ctx.flags.str('cascade', 'background');
  const b = parseGoBool(v);
  if (b === undefined) {
    if (v === 'orphan') return 'Orphan';
    if (v === 'foreground') return 'Foreground';
    if (v === 'background') return 'Background';
    throw new KubectlError(`invalid cascade value (${v}). Must be "background", "foreground", or "orphan"`);
  }
  ctx.io.print(`warning: --cascade=${v} is deprecated (boolean value) and can be replaced with --cascade=${b ? 'background' : 'orphan'}.`);
  return b ? 'Background' : 'Orphan';
}

export const deleteCommand: Subcommand = {
  name: 'delete',
  summary: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  usage: 'kubectl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [flags]',
  examples: `  # Delete a pod by name
  kubectl delete pod web

  # Delete pods and services with label app=web
  kubectl delete pods,services -l app=web

  # Delete a pod with minimal delay
  kubectl delete pod web --now`,
  flags: FLAGS,
  // Upstream: kubectl pkg/cmd/delete/delete.go (Complete, Validate, DeleteResult, PrintObj)
  async run(ctx, args) {
    const f = ctx.flags;
    const output = f.str('output');
    if (output !== '' && output !== 'name') throw new KubectlError(`unexpected -o output mode: ${output}. We only support '-o name'`);
    if (f.bool('all') && f.str('selector')) throw new KubectlError('cannot set --all and --selector at the same time');
    if (f.bool('all') && f.str('field-selector')) throw new KubectlError('cannot set --all and --field-selector at the same time');
    let grace = f.int('grace-period', -1);
    if (f.bool('now')) {
      if (grace !== -1) throw new KubectlError('--now and --grace-period cannot be specified together');
      grace = 1;
    }
    if (grace === 0 && !f.bool('force')) grace = 1;
    if (f.bool('force') && grace < 0) grace = 0;
    if (grace > 0 && f.bool('force')) throw new KubectlError('--force and --grace-period greater than 0 cannot be specified together');
    const propagationPolicy = cascade(ctx);
    if (grace === 0 && f.bool('force')) {
      ctx.io.print('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.');
    }
    const selecting = f.bool('all') || !!f.str('selector') || !!f.str('field-selector');
    const ignoreNotFound = f.has('ignore-not-found') ? f.bool('ignore-not-found') : selecting;
    const dry = f.str('dry-run', 'none');
    const errors: Error[] = [];
    const items: Item[] = [];
    const files = f.list('filename');
    if (files.length) {
      for (const v of await visitManifests(ctx.files, files, ctx.discovery, ctx.namespace, ctx.explicitNamespace, f.bool('recursive'))) {
        if (v.error) errors.push(v.error);
        else items.push({ resource: v.info.resource, namespace: v.info.namespace, name: v.info.name, source: v.info.source });
      }
    } else {
      if (args.length === 0) {
        throw new KubectlError(`You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
      }
      for (const t of await resolveTargets(ctx, args)) {
        if (t.names.length === 0) {
          if (!selecting) throw new KubectlError('resource(s) were provided, but no name was specified');
          const listed = await listObjects(ctx, t.resource, {
            labelSelector: f.str('selector'),
            fieldSelector: f.str('field-selector'),
            allNamespaces: f.bool('all-namespaces'),
            chunkSize: 0,
          });
          for (const o of listed.items) items.push({ resource: t.resource, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });
        } else {
          for (const name of t.names) items.push({ resource: t.resource, namespace: namespaceFor(ctx, t.resource) ?? '', name });
        }
      }
    }
    const deleted: Array<Item & { uid?: string }> = [];
    for (const item of items) {
      const body: Obj = {};
      if (grace >= 0) body.gracePeriodSeconds = grace;
      body.propagationPolicy = propagationPolicy;
      if (dry === 'server') body.dryRun = ['All'];
      let operation = grace === 0 ? 'force deleted' : 'deleted';
      if (item.resource.namespaced) operation = `${operation} from ${item.namespace} namespace`;
      if (dry === 'client') operation += ' (dry run)';
      else if (dry === 'server') operation += ' (server dry run)';
      if (dry !== 'client') {
        try {
          const res = await ctx.rest.do<Obj>({ verb: 'DELETE', path: resourcePath(item.resource, item.namespace || undefined, item.name), body });
          deleted.push({ ...item, uid: res?.kind === 'Status' ? res.details?.uid : res?.metadata?.uid });
        } catch (err) {
          if (ignoreNotFound && err instanceof StatusError && err.code === 404) continue;
          errors.push(item.source ? addSourceToErr('deleting', item.source, err) : (err as Error));
          continue;
        }
      }
      const kind = kindString(item.resource);
      ctx.io.print(output === 'name' ? `${kind}/${item.name}` : `${kind} "${item.name}" ${operation}`);
    }
    if (items.length === 0 && errors.length === 0) {
      ctx.io.print('No resources found');
      return 0;
    }
    if (errors.length) throw new AggregateError(errors);
    if (f.bool('wait', true) && dry === 'none') {
      for (const d of deleted) {
        const status = await waitForDeletion(ctx, d);
        if (status !== 0) return status;
      }
    }
    return 0;
  },
};

/**
 * cmdwait.IsDeleted: gone when a GET answers 404 or a new object (another uid) has the name;
 * otherwise watch the name until a DELETED event. A watch the server closes is opened again from
 * a fresh GET, as the informer of watchtools.UntilWithSync relists and rewatches.
 */
// Upstream: kubectl pkg/cmd/wait/delete.go (IsDeleted)
async function waitForDeletion(ctx: KubectlContext, d: Item & { uid?: string }): Promise<number> {
  const interrupted = ctx.interrupt.promise.then(() => 'interrupted' as const);
  let gone = false;
  let stream: WatchStream | undefined;
  const deleted = (async () => {
    for (;;) {
      const current = await getUnlessGone(ctx, d);
      if (current === undefined) return (gone = true);
      if (ctx.interrupt.interrupted) return false;
      const opened = ctx.now();
      stream = await ctx.rest.watch({
        verb: 'GET',
        path: resourcePath(d.resource, d.namespace || undefined),
        query: { fieldSelector: `metadata.name=${d.name}`, resourceVersion: String(current.metadata?.resourceVersion ?? ''), watch: 'true' },
      });
      for (;;) {
        const ev = await stream.next();
        if (ev === undefined) break;
        if (ev.type === 'DELETED') return (gone = true);
      }
      // Closed with no time passed: opening it again at once would spin; wait for Ctrl+C instead.
      if (ctx.now() === opened) return false;
    }
  })();
  try {
    // The cluster's controllers (the garbage collector finishing a cascade) act while kubectl waits.
    const waited = ctx.passTime?.(() => gone || ctx.interrupt.interrupted, deleteWaitTimeoutMs);
    if (waited) await Promise.race([waited, interrupted]);
    if (ctx.interrupt.interrupted) return 1;
    if ((await Promise.race([deleted, interrupted])) === true) return 0;
    await interrupted;
    return 1;
  } finally {
    stream?.close();
  }
}

/** The object as a GET answers it, or undefined when it is gone (404, or another uid has the name). */
async function getUnlessGone(ctx: KubectlContext, d: Item & { uid?: string }): Promise<Obj | undefined> {
  let current: Obj;
  try {
    current = await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(d.resource, d.namespace || undefined, d.name) });
  } catch (err) {
    if (err instanceof StatusError && err.code === 404) return undefined;
    throw err;
  }
  return d.uid && current.metadata?.uid && current.metadata.uid !== d.uid ? undefined : current;
}

/** delete's --timeout=0: "determine a timeout", which the wait makes a week. */
// Upstream: kubectl pkg/cmd/delete/delete.go (DeleteOptions.DeleteResult)
const deleteWaitTimeoutMs = 168 * 3_600_000;
