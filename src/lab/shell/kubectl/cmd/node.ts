/**
 * The node commands kubectl groups under "Cluster Management": `cordon`, `uncordon`, `drain`
 * and `taint`, as kubectl v0.34.0 runs them: pkg/cmd/drain/drain.go (RunCordonOrUncordon,
 * RunDrain), pkg/drain (filters.go: the DaemonSet, local-storage and unmanaged filters with
 * their messages; cordon.go), pkg/cmd/taint/taint.go and utils.go (parseTaints, parseTaint,
 * reorganizeTaints). The model's API server has no Eviction subresource, so drain deletes pods,
 * as kubectl does against a server without the Eviction API (`--disable-eviction`).
 */
import { resourcePath } from '../client/discovery';
import { KubectlError } from '../client/errors';
import { getObject, listObjects, resolveTargets } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import type { FlagSpec } from '../flags';
import { goJson } from '../format/json';
import type { Obj } from '../manifest';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

async function nodesOf(ctx: KubectlContext, args: string[]): Promise<Obj[]> {
  const nodes: Obj[] = [];
  const selector = ctx.flags.str('selector');
  const words = args.length === 1 && !args[0].includes('/') ? ['nodes', args[0]] : args;
  if (words.length === 0 && !selector) throw new KubectlError('USAGE: kubectl <command> NODE [flags]');
  const nodesResource = await ctx.discovery.resourceFor('nodes');
  if (selector && words.length <= 1) {
    nodes.push(...(await listObjects(ctx, nodesResource, { labelSelector: selector })).items);
    return nodes;
  }
  for (const t of await resolveTargets(ctx, words)) {
    if (t.resource.kind !== 'Node') throw new KubectlError(`expected resource of type node, got "${t.resource.name}"`);
    for (const name of t.names) nodes.push(await getObject(ctx, t.resource, name));
  }
  return nodes;
}

async function patchNode(ctx: KubectlContext, name: string, patch: unknown): Promise<void> {
  const nodes = await ctx.discovery.resourceFor('nodes');
  await ctx.rest.do({ verb: 'PATCH', path: resourcePath(nodes, undefined, name), rawBody: goJson(patch), contentType: 'application/strategic-merge-patch+json' });
}

/** Go: `RunCordonOrUncordon`: "node/x cordoned", or "already cordoned" when nothing changes. */
async function cordonOrUncordon(ctx: KubectlContext, nodes: Obj[], desired: boolean): Promise<void> {
  for (const n of nodes) {
    const name = n.metadata?.name ?? '';
    if (!!n.spec?.unschedulable === desired) {
      ctx.io.print(`node/${name} already ${desired ? 'cordoned' : 'uncordoned'}`);
      continue;
    }
    await patchNode(ctx, name, { spec: { unschedulable: desired ? true : null } });
    ctx.io.print(`node/${name} ${desired ? 'cordoned' : 'uncordoned'}`);
  }
}

const SELECTOR_FLAG: FlagSpec = { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on' };

export const cordonCommand: Subcommand = {
  name: 'cordon',
  summary: 'Mark node as unschedulable',
  usage: 'kubectl cordon NODE [options]',
  examples: '  # Mark node "foo" as unschedulable\n  kubectl cordon foo',
  flags: [SELECTOR_FLAG],
  async run(ctx, args) {
    await cordonOrUncordon(ctx, await nodesOf(ctx, args), true);
    return 0;
  },
};

export const uncordonCommand: Subcommand = {
  name: 'uncordon',
  summary: 'Mark node as schedulable',
  usage: 'kubectl uncordon NODE [options]',
  examples: '  # Mark node "foo" as schedulable\n  kubectl uncordon foo',
  flags: [SELECTOR_FLAG],
  async run(ctx, args) {
    await cordonOrUncordon(ctx, await nodesOf(ctx, args), false);
    return 0;
  },
};

function controllerOf(pod: Obj): Obj | undefined {
  return (pod.metadata?.ownerReferences ?? []).find((o: Obj) => o.controller);
}

export const drainCommand: Subcommand = {
  name: 'drain',
  summary: 'Drain node in preparation for maintenance',
  usage: 'kubectl drain NODE',
  examples: '  # Drain node "foo", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it\n  kubectl drain foo --force',
  flags: [
    SELECTOR_FLAG,
    { name: 'force', type: 'bool', help: 'Continue even if there are pods that do not declare a controller.' },
    { name: 'ignore-daemonsets', type: 'bool', help: 'Ignore DaemonSet-managed pods.' },
    { name: 'delete-emptydir-data', type: 'bool', help: 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).' },
    { name: 'disable-eviction', type: 'bool', help: 'Force drain to use delete, even if eviction is supported.' },
    { name: 'pod-selector', type: 'string', help: 'Label selector to filter pods on the node' },
  ],
  // Upstream: kubectl pkg/cmd/drain/drain.go (RunDrain, deleteOrEvictPodsSimple), pkg/drain/filters.go (GetPodsForDeletion)
  async run(ctx, args) {
    const f = ctx.flags;
    const nodes = await nodesOf(ctx, args);
    await cordonOrUncordon(ctx, nodes, true);
    const pending: string[] = [];
    const fatal: string[] = [];
    const podsResource = await ctx.discovery.resourceFor('pods');
    for (const n of nodes) {
      const name = n.metadata?.name ?? '';
      const { items } = await listObjects(ctx, podsResource, { allNamespaces: true, fieldSelector: `spec.nodeName=${name}`, labelSelector: f.str('pod-selector') });
      const errors = new Map<string, string[]>();
      const warnings = new Map<string, string[]>();
      const toDelete: Obj[] = [];
      for (const pod of items) {
        const id = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
        const add = (m: Map<string, string[]>, k: string) => m.set(k, [...(m.get(k) ?? []), id]);
        if (pod.metadata?.deletionTimestamp) continue;
        if ((pod.metadata?.annotations ?? {})['kubernetes.io/config.mirror'] !== undefined) continue;
        const ctrl = controllerOf(pod);
        if (ctrl?.kind === 'DaemonSet') {
          if (f.bool('ignore-daemonsets')) add(warnings, 'ignoring DaemonSet-managed Pods');
          else add(errors, 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)');
          continue;
        }
        const phase = pod.status?.phase;
        if (phase !== 'Succeeded' && phase !== 'Failed' && (pod.spec?.volumes ?? []).some((v: Obj) => v.emptyDir)) {
          if (f.bool('delete-emptydir-data')) add(warnings, 'deleting Pods with local storage');
          else {
            add(errors, 'Pods with local storage (use --delete-emptydir-data to override)');
            continue;
          }
        }
        if (!ctrl && phase !== 'Succeeded' && phase !== 'Failed') {
          if (f.bool('force')) add(warnings, 'deleting Pods that declare no controller');
          else {
            add(errors, 'cannot delete Pods that declare no controller (use --force to override)');
            continue;
          }
        }
        toDelete.push(pod);
      }
      if (errors.size) {
        const msgs = [...errors].map(([m, pods]) => `cannot delete ${m}: ${pods.join(', ')}`);
        const msg = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
        ctx.io.error(`error: unable to drain node "${name}" due to error: ${msg}, continuing command...`);
        pending.push(name);
        fatal.push(msg);
        continue;
      }
      if (warnings.size) ctx.io.error(`Warning: ${[...warnings].map(([m, pods]) => `${m}: ${pods.join(', ')}`).join('; ')}`);
      for (const pod of toDelete) {
        await ctx.rest.do({ verb: 'DELETE', path: resourcePath(podsResource, pod.metadata?.namespace, pod.metadata?.name) });
        ctx.io.print(`pod/${pod.metadata?.name} deleted`);
      }
      ctx.io.print(`node/${name} drained`);
    }
    if (pending.length) {
      ctx.io.error('There are pending nodes to be drained:');
      for (const p of pending) ctx.io.error(` ${p}`);
      throw new KubectlError(fatal.length === 1 ? fatal[0] : `[${fatal.join(', ')}]`);
    }
    return 0;
  },
};

/** Go: `parseTaint`. */
function parseTaint(st: string): Taint {
  const parts = st.split(':');
  let key: string;
  let value = '';
  let effect = '';
  if (parts.length === 1) key = parts[0];
  else if (parts.length === 2) {
    effect = parts[1];
    if (!EFFECTS.includes(effect)) throw new KubectlError(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split('=');
    if (kv.length > 2) throw new KubectlError(`invalid taint spec: ${st}`);
    key = kv[0];
    if (kv.length === 2) value = kv[1];
  } else throw new KubectlError(`invalid taint spec: ${st}`);
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key)) {
    throw new KubectlError(`invalid taint spec: ${st}, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`);
  }
  return { key, ...(value ? { value } : {}), effect };
}

function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

export const taintCommand: Subcommand = {
  name: 'taint',
  summary: 'Update the taints on one or more nodes',
  usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N',
  examples: "  # Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'\n  kubectl taint nodes foo dedicated=special-user:NoSchedule\n\n  # Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists\n  kubectl taint nodes foo dedicated:NoSchedule-\n\n  # Remove from node 'foo' all the taints with key 'dedicated'\n  kubectl taint nodes foo dedicated-",
  flags: [
    SELECTOR_FLAG,
    { name: 'overwrite', type: 'bool', help: 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.' },
    { name: 'all', type: 'bool', help: 'Select all nodes in the cluster' },
  ],
  // Upstream: kubectl pkg/cmd/taint/taint.go (Complete, RunTaint, updateTaints), utils.go (parseTaints, reorganizeTaints)
  async run(ctx, args) {
    const taintArgs = args.filter((a) => a.includes('=') || a.includes(':') || a.endsWith('-'));
    const resourceArgs = args.filter((a) => !taintArgs.includes(a));
    if (resourceArgs.length === 0 && !ctx.flags.bool('all') && !ctx.flags.str('selector')) throw new KubectlError('one or more resources must be specified as <resource> <name>');
    if (taintArgs.length === 0) throw new KubectlError('at least one taint update is required');
    const add: Taint[] = [];
    const remove: Taint[] = [];
    const seen = new Set<string>();
    for (const spec of taintArgs) {
      if (spec.endsWith('-')) {
        const t = parseTaint(spec.slice(0, -1));
        remove.push({ key: t.key, effect: t.effect });
        continue;
      }
      const t = parseTaint(spec);
      if (!t.effect) throw new KubectlError(`invalid taint spec: ${spec}`);
      if (seen.has(`${t.key}:${t.effect}`)) throw new KubectlError(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
      seen.add(`${t.key}:${t.effect}`);
      add.push(t);
    }
    const conflicts = remove.filter((r) => add.some((a) => a.key === r.key && a.effect === r.effect)).map((r) => `${r.key}=${r.effect}`);
    if (conflicts.length) throw new KubectlError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
    let nodes: Obj[];
    if (ctx.flags.bool('all')) nodes = (await listObjects(ctx, await ctx.discovery.resourceFor('nodes'), {})).items;
    else nodes = await nodesOf(ctx, resourceArgs);
    for (const n of nodes) {
      const name = n.metadata?.name ?? '';
      const old: Taint[] = n.spec?.taints ?? [];
      if (!ctx.flags.bool('overwrite')) {
        const exists = add.filter((t) => old.some((o) => o.key === t.key && o.effect === t.effect)).map((t) => t.key);
        if (exists.length) throw new KubectlError(`node ${name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
      }
      // Go: reorganizeTaints: the new ones, then the old ones they do not replace, less the removed.
      let next: Taint[] = [...add];
      for (const o of old) if (!next.some((t) => t.key === o.key && t.effect === o.effect)) next.push(o);
      const added = old.length !== next.length;
      const errs: string[] = [];
      let deleted = false;
      for (const r of remove) {
        const before = next.length;
        next = next.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
        deleted = next.length !== before;
        if (!deleted) errs.push(`taint "${taintString(r)}" not found`);
      }
      if (errs.length) throw new KubectlError(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
      const op = (added && deleted) || ctx.flags.bool('overwrite') ? 'modified' : added ? 'tainted' : 'untainted';
      await patchNode(ctx, name, { spec: { taints: next.length ? next : null } });
      ctx.io.print(`node/${name} ${op}`);
    }
    return 0;
  },
};
