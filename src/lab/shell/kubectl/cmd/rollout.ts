/**
 * `kubectl rollout status|history|undo|pause|resume|restart` for Deployments (and the status and
 * history of StatefulSets and DaemonSets). Everything here is kubectl's client-side logic: since
 * apps/v1 there is no rollback API, so `undo` finds the ReplicaSet of the wanted revision and
 * patches its pod template back into the Deployment; the Deployment controller then rolls
 * forward to it as to any new template.
 * Upstream: kubectl v0.34.0 pkg/cmd/rollout/*.go, pkg/polymorphichelpers/{rollout_status,history,
 * rollback,objectpauser,objectresumer,objectrestarter}.go, pkg/util/deployment/deployment.go.
 * StatefulSets and DaemonSets keep their history as ControllerRevisions whose data is a strategic
 * merge patch restoring one pod template: `history` applies it to show a revision, `undo` sends it.
 */
import { KubectlError } from '../client/errors';
import { resourcePath, type ApiResource } from '../client/discovery';
import type { WatchStream } from '../../../../sim/client/transport';
import { getObject, resolveTargets } from '../builder';
import type { KubectlContext, Subcommand } from '../context';
import type { FlagSpec } from '../flags';
import { formatRFC3339 } from '../format/duration';
import { DESCRIBE_TABWRITER, TabWriter } from '../format/tabwriter';
import { goJson } from '../format/json';
import type { Obj } from '../manifest';
import { jsonEqual } from '../patch';
import { describePodTemplateText, selectorString } from '../printers/describe';
import { printYamlOrJson } from '../printers/output';
import { nameOf } from './get';
import { marshalGoJSON } from '../../../../sim/controllers/history/go_json';

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
const POD_TEMPLATE_HASH = 'pod-template-hash';
const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
/**
 * How long `rollout status` lets the cluster run while it waits, at most (kubectl's --timeout is 0:
 * forever): past the default progressDeadlineSeconds (600 s), so a stuck rollout ends with kubectl's
 * "exceeded its progress deadline" rather than a terminal that waits with the clock stopped.
 */
const statusWaitMs = 11 * 60_000;

/** Annotations a rollback keeps from the Deployment rather than copying from the ReplicaSet. */
// Upstream: polymorphichelpers/rollback.go (annotationsToSkip)
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

const FILE_FLAG: FlagSpec = { name: 'filename', short: 'f', type: 'stringArray', help: 'Filename, directory, or URL to files identifying the resource to get from a server.' };
const SELECTOR_FLAG: FlagSpec = { name: 'selector', short: 'l', type: 'string', help: 'Selector (label query) to filter on.' };

interface Item {
  resource: ApiResource;
  object: Obj;
  name: string;
  namespace: string;
}

/** The objects named by TYPE NAME, TYPE/NAME or TYPE -l selector (kubectl's builder). */
async function targets(ctx: KubectlContext, args: string[]): Promise<Item[]> {
  if (args.length === 0) throw new KubectlError('required resource not specified');
  const items: Item[] = [];
  for (const t of await resolveTargets(ctx, args)) {
    if (t.names.length === 0) {
      const selector = ctx.flags.str('selector');
      if (!selector) throw new KubectlError('resource(s) were provided, but no name was specified');
      const list = await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(t.resource, ctx.namespace), query: { labelSelector: selector } });
      for (const o of list.items ?? []) items.push({ resource: t.resource, object: { apiVersion: list.apiVersion, kind: t.resource.kind, ...o }, name: o.metadata.name, namespace: ctx.namespace });
      continue;
    }
    for (const name of t.names) items.push({ resource: t.resource, object: await getObject(ctx, t.resource, name), name, namespace: ctx.namespace });
  }
  return items;
}

const kindOf = (i: Item) => `${i.resource.group}/${i.resource.kind}`;
const resourceString = (i: Item) => (i.resource.group ? `${i.resource.name}.${i.resource.group}` : i.resource.name);

// ---- status --------------------------------------------------------------------------------------

/** One status line and whether the rollout is done; throws when it failed. */
// Upstream: polymorphichelpers/rollout_status.go (DeploymentStatusViewer, DaemonSetStatusViewer, StatefulSetStatusViewer)
export function rolloutStatus(kind: string, o: Obj, revision = 0): { message: string; done: boolean } {
  const name = o.metadata?.name;
  const generation = o.metadata?.generation ?? 0;
  const s = o.status ?? {};
  if (kind === 'apps/Deployment') {
    if (revision > 0) {
      const current = Number(o.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0);
      if (revision !== current) throw new KubectlError(`desired revision (${revision}) is different from the running revision (${current})`);
    }
    if (generation > (s.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...', done: false };
    const progressing = (s.conditions ?? []).find((c: Obj) => c.type === 'Progressing');
    if (progressing?.reason === TIMED_OUT_REASON) throw new KubectlError(`deployment "${name}" exceeded its progress deadline`);
    const replicas = o.spec?.replicas;
    const updated = s.updatedReplicas ?? 0;
    if (replicas !== undefined && updated < replicas) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`, done: false };
    if ((s.replicas ?? 0) > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...`, done: false };
    if ((s.availableReplicas ?? 0) < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`, done: false };
    return { message: `deployment "${name}" successfully rolled out`, done: true };
  }
  if (kind === 'apps/DaemonSet') {
    if (o.spec?.updateStrategy?.type !== 'RollingUpdate') throw new KubectlError('rollout status is only available for RollingUpdate strategy type');
    // DaemonSets ignore --revision (kubectl: "DaemonSets does not have history yet").
    if (generation > (s.observedGeneration ?? 0)) return { message: 'Waiting for daemon set spec update to be observed...', done: false };
    const desired = s.desiredNumberScheduled ?? 0;
    if ((s.updatedNumberScheduled ?? 0) < desired) return { message: `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...`, done: false };
    if ((s.numberAvailable ?? 0) < desired) return { message: `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...`, done: false };
    return { message: `daemon set "${name}" successfully rolled out`, done: true };
  }
  if (kind === 'apps/StatefulSet') {
    const strategy = o.spec?.updateStrategy ?? {};
    if (strategy.type !== 'RollingUpdate') throw new KubectlError('rollout status is only available for RollingUpdate strategy type');
    if (!s.observedGeneration || generation > s.observedGeneration) return { message: 'Waiting for statefulset spec update to be observed...', done: false };
    const replicas = o.spec?.replicas;
    if (replicas !== undefined && (s.readyReplicas ?? 0) < replicas) return { message: `Waiting for ${replicas - (s.readyReplicas ?? 0)} pods to be ready...`, done: false };
    // Any rollingUpdate block (the API server defaults one with partition 0) reads as a partitioned roll out.
    if (strategy.rollingUpdate) {
      const partition = strategy.rollingUpdate.partition;
      if (replicas !== undefined && partition !== undefined && (s.updatedReplicas ?? 0) < replicas - partition) {
        return { message: `Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...`, done: false };
      }
      return { message: `partitioned roll out complete: ${s.updatedReplicas ?? 0} new pods have been updated...`, done: true };
    }
    if (s.updateRevision !== s.currentRevision) return { message: `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision}...`, done: false };
    return { message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...`, done: true };
  }
  throw new KubectlError(`no status viewer has been implemented for ${kind.replace(/^\//, '').split('/').reverse().join('.')}`);
}

// Upstream: pkg/cmd/rollout/rollout_status.go (RolloutStatusOptions.Run): a watch on the one object, a line per event until done
async function status(ctx: KubectlContext, args: string[]): Promise<number> {
  const f = ctx.flags;
  const revision = f.int('revision', 0);
  if (revision < 0) throw new KubectlError(`revision must be a positive integer: ${revision}`);
  const items = await targets(ctx, args);
  if (items.length === 0) {
    ctx.io.error(`No resources found in ${ctx.namespace} namespace.`);
    return 0;
  }
  for (const item of items) {
    const kind = kindOf(item);
    let done = false;
    let failure: unknown;
    let stream: WatchStream | undefined;
    const report = (o: Obj): boolean => {
      const st = rolloutStatus(kind, o, revision);
      ctx.io.print(st.message);
      return st.done || !f.bool('watch', true);
    };
    const watching = (async () => {
      // UntilWithSync: the current object first, then each change.
      const listed = await ctx.rest.do<Obj>({ verb: 'GET', path: resourcePath(item.resource, item.namespace), query: { fieldSelector: `metadata.name=${item.name}` } });
      const current = (listed.items ?? [])[0];
      if (!current) throw new KubectlError(`object has been deleted`);
      if (report(current)) return (done = true);
      stream = await ctx.rest.watch({ verb: 'GET', path: resourcePath(item.resource, item.namespace), query: { fieldSelector: `metadata.name=${item.name}`, resourceVersion: String(listed.metadata?.resourceVersion ?? ''), watch: 'true' } });
      for (;;) {
        const ev = await stream.next();
        if (ev === undefined || ctx.interrupt.interrupted) return false;
        if (ev.type === 'BOOKMARK') continue;
        if (ev.type === 'DELETED') throw new KubectlError('object has been deleted');
        if (ev.type === 'ERROR') continue;
        if (report(ev.object as Obj)) return (done = true);
      }
    })().catch((err) => {
      failure = err;
      done = true;
      return false;
    });
    const interrupted = ctx.interrupt.promise.then(() => 'interrupted' as const);
    try {
      // The controllers and kubelets act while kubectl waits: let the cluster's time run.
      const waited = ctx.passTime?.(() => done || ctx.interrupt.interrupted, statusWaitMs);
      if (waited) await Promise.race([waited, interrupted]);
      const finished = await Promise.race([watching, interrupted]);
      if (failure) throw failure;
      if (finished !== true) return 1;
    } finally {
      stream?.close();
    }
  }
  return 0;
}

// ---- history -------------------------------------------------------------------------------------

/** The Deployment's ReplicaSets: those its selector lists that it controls (kubectl's GetAllReplicaSets). */
// Upstream: pkg/util/deployment/deployment.go (listReplicaSets), polymorphichelpers/history.go (getDeploymentReplicaSets)
async function deploymentReplicaSets(ctx: KubectlContext, d: Obj): Promise<Obj[]> {
  const list = await ctx.rest.do<Obj>({ verb: 'GET', path: `/apis/apps/v1/namespaces/${d.metadata.namespace}/replicasets`, query: { labelSelector: selectorString(d.spec?.selector) } });
  return (list.items ?? []).filter((rs: Obj) => (rs.metadata?.ownerReferences ?? []).some((r: Obj) => r.controller && r.uid === d.metadata.uid));
}

/** The ControllerRevisions a StatefulSet or DaemonSet controls. */
// Upstream: polymorphichelpers/history.go (controlledHistoryV1, controlledHistory, daemonSetHistory, statefulSetHistory)
async function controlledRevisions(ctx: KubectlContext, o: Obj): Promise<Obj[]> {
  const list = await ctx.rest.do<Obj>({ verb: 'GET', path: `/apis/apps/v1/namespaces/${o.metadata.namespace}/controllerrevisions`, query: { labelSelector: selectorString(o.spec?.selector) } });
  return (list.items ?? []).filter((r: Obj) => (r.metadata?.ownerReferences ?? []).some((ref: Obj) => ref.controller && ref.uid === o.metadata.uid));
}

/**
 * The object as it was at `revision`: the revision's patch applied to a copy. Its `$patch: replace`
 * swaps the whole pod template, so applying it is taking the template out of the data.
 */
// Upstream: polymorphichelpers/history.go (applyDaemonSetHistory, applyStatefulSetHistory), rollback.go (applyRevision)
export function applyHistory(o: Obj, revision: Obj): Obj {
  const clone = JSON.parse(JSON.stringify(o));
  const t = revision.data?.spec?.template;
  if (t) {
    const { $patch: _replace, ...template } = JSON.parse(JSON.stringify(t));
    clone.spec = { ...(clone.spec ?? {}), template };
  }
  return clone;
}

/** The patch that would restore `o`'s current template, as the bytes Go marshals (keys sorted). */
// Upstream: polymorphichelpers/rollback.go (getDaemonSetPatch, getStatefulSetPatch)
export function templatePatch(o: Obj): string {
  return marshalGoJSON({ spec: { template: { ...(o.spec?.template ?? {}), $patch: 'replace' } } });
}

/** Revision -> (template, change cause) of a workload, sorted by revision. */
async function historyOf(ctx: KubectlContext, item: Item): Promise<Map<number, { template: Obj | undefined; changeCause: string; object: Obj }>> {
  const out = new Map<number, { template: Obj | undefined; changeCause: string; object: Obj }>();
  const kind = kindOf(item);
  if (kind === 'apps/Deployment') {
    for (const rs of await deploymentReplicaSets(ctx, item.object)) {
      const v = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]);
      if (!Number.isInteger(v)) continue;
      out.set(v, { template: rs.spec?.template, changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '', object: { apiVersion: 'apps/v1', kind: 'ReplicaSet', ...rs } });
    }
  } else if (kind === 'apps/StatefulSet' || kind === 'apps/DaemonSet') {
    // -o prints the workload as it was at each revision (GetHistory), not the ControllerRevision.
    const workload = { ...item.object, apiVersion: 'apps/v1', kind: item.resource.kind };
    for (const r of await controlledRevisions(ctx, item.object)) {
      const applied = applyHistory(workload, r);
      out.set(Number(r.revision ?? 0), { template: applied.spec?.template, changeCause: r.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '', object: applied });
    }
  } else {
    throw new KubectlError(`no history viewer has been implemented for "${item.resource.kind}.${item.resource.group}"`);
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

/** `Pod Template:` and the template's description (kubectl's printTemplate). */
function templateText(template: Obj | undefined): string {
  return describePodTemplateText(template);
}

// Upstream: pkg/cmd/rollout/rollout_history.go (RolloutHistoryOptions.Run), history.go (ViewHistory)
async function history(ctx: KubectlContext, args: string[]): Promise<number> {
  const revision = ctx.flags.int('revision', 0);
  if (revision < 0) throw new KubectlError(`revision must be a positive integer: ${revision}`);
  const output = ctx.flags.str('output');
  for (const item of await targets(ctx, args)) {
    const h = await historyOf(ctx, item);
    if (output === 'json' || output === 'yaml' || output === 'name') {
      const objs = revision > 0 ? [h.get(revision)?.object] : [...h.values()].map((e) => e.object);
      if (objs[0] === undefined) throw new KubectlError('unable to find the specified revision');
      for (const o of objs) ctx.io.print(output === 'name' ? nameOf(o!) : output === 'json' ? goJson(o) : printYamlOrJson('yaml', o!).replace(/\n$/, ''));
      continue;
    }
    let text: string;
    if (h.size === 0) text = 'No rollout history found.';
    else if (revision > 0) {
      const entry = h.get(revision);
      if (!entry) throw new KubectlError('unable to find the specified revision');
      text = templateText(entry.template);
    } else {
      const w = new TabWriter(DESCRIBE_TABWRITER);
      w.write('REVISION\tCHANGE-CAUSE\n');
      for (const [r, e] of h) w.write(`${r}\t${e.changeCause || '<none>'}\n`);
      text = w.flush();
    }
    const withRevision = revision > 0 ? `with revision #${revision}` : '';
    ctx.io.print(`${nameOf(item.object)} ${withRevision}\n${text}`.replace(/\n+$/, '\n'));
  }
  return 0;
}

// ---- undo ----------------------------------------------------------------------------------------

/** The pod templates are equal but for the pod-template-hash label (kubectl's EqualIgnoreHash). */
// Upstream: polymorphichelpers/rollback.go (equalIgnoreHash)
function equalIgnoreHash(a: Obj | undefined, b: Obj | undefined): boolean {
  const strip = (t: Obj | undefined) => {
    const c = JSON.parse(JSON.stringify(t ?? {}));
    if (c.metadata?.labels) {
      delete c.metadata.labels[POD_TEMPLATE_HASH];
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
    }
    return c;
  };
  return jsonEqual(strip(a), strip(b));
}

// Upstream: polymorphichelpers/rollback.go (DeploymentRollbacker.Rollback, deploymentRevision)
async function rollbackDeployment(ctx: KubectlContext, item: Item, toRevision: number, dryRun: DryRun): Promise<string> {
  if (toRevision < 0) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  const d = item.object;
  const rss = await deploymentReplicaSets(ctx, d);
  let target: Obj | undefined;
  if (toRevision > 0) {
    target = rss.find((rs) => Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]) === toRevision);
    if (!target) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  } else {
    // The second newest revision: the one before the current.
    const byRevision = rss.filter((rs) => Number.isInteger(Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]))).sort((a, b) => Number(b.metadata.annotations[REVISION_ANNOTATION]) - Number(a.metadata.annotations[REVISION_ANNOTATION]));
    target = byRevision[1];
    if (!target) throw new KubectlError(`no rollout history found for deployment "${d.metadata.name}"`);
  }
  if (dryRun === 'client') return templateText(target.spec?.template);
  if (d.spec?.paused) throw new KubectlError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  // kubectl prints the flag's value: 0 when --to-revision was not given.
  if (equalIgnoreHash(target.spec?.template, d.spec?.template)) return `skipped rollback (current template already matches revision ${toRevision})`;
  const template = JSON.parse(JSON.stringify(target.spec.template));
  delete template.metadata?.labels?.[POD_TEMPLATE_HASH];
  const annotations: Record<string, string> = {};
  for (const k of ANNOTATIONS_TO_SKIP) if (d.metadata?.annotations?.[k] !== undefined) annotations[k] = d.metadata.annotations[k];
  for (const [k, v] of Object.entries<string>(target.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  const patch = [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  try {
    await ctx.rest.do({ verb: 'PATCH', path: resourcePath(item.resource, item.namespace, item.name), query: dryRunQuery(dryRun), rawBody: JSON.stringify(patch), contentType: 'application/json-patch+json' });
  } catch (err) {
    throw new KubectlError(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
  }
  return 'rolled back';
}

/** The revision to roll back to: `toRevision`'s, or for 0 the second highest (Go: `findHistory`). */
// Upstream: polymorphichelpers/rollback.go (findHistory)
function findHistory(toRevision: number, all: Obj[]): Obj | undefined {
  if (toRevision === 0) return all.length <= 1 ? undefined : [...all].sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0))[all.length - 2];
  return all.find((h) => Number(h.revision ?? 0) === toRevision);
}

/**
 * Rolls a StatefulSet or DaemonSet back by sending the revision's data, as it is stored, as a
 * strategic merge patch; the controller then finds that template's revision and renumbers it.
 */
// Upstream: polymorphichelpers/rollback.go (DaemonSetRollbacker.Rollback, StatefulSetRollbacker.Rollback, daemonSetMatch, statefulsetMatch)
async function rollbackFromRevision(ctx: KubectlContext, item: Item, toRevision: number, dryRun: DryRun): Promise<string> {
  if (toRevision < 0) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  const fresh = await getObject(ctx, item.resource, item.name);
  const history = await controlledRevisions(ctx, fresh);
  if (toRevision === 0 && history.length <= 1) throw new KubectlError('no last revision to roll back to');
  const toHistory = findHistory(toRevision, history);
  if (!toHistory) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  if (dryRun === 'client') return `will roll back to ${templateText(applyHistory(fresh, toHistory).spec?.template)}`;
  const raw = marshalGoJSON(toHistory.data);
  if (templatePatch(fresh) === raw) return `skipped rollback (current template already matches revision ${toRevision})`;
  try {
    await ctx.rest.do({ verb: 'PATCH', path: resourcePath(item.resource, item.namespace, item.name), query: dryRunQuery(dryRun), rawBody: raw, contentType: 'application/strategic-merge-patch+json' });
  } catch (err) {
    throw new KubectlError(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
  }
  return 'rolled back';
}

type DryRun = 'none' | 'client' | 'server';
const dryRunQuery = (d: DryRun | boolean) => (d === 'server' ? { dryRun: 'All' } : undefined);

// Upstream: pkg/cmd/rollout/rollout_undo.go (UndoOptions.RunUndo)
async function undo(ctx: KubectlContext, args: string[]): Promise<number> {
  const toRevision = ctx.flags.int('to-revision', 0);
  const dryRun = ctx.flags.str('dry-run', 'none') as DryRun;
  for (const item of await targets(ctx, args)) {
    const kind = kindOf(item);
    let result: string;
    if (kind === 'apps/Deployment') result = await rollbackDeployment(ctx, item, toRevision, dryRun);
    else if (kind === 'apps/StatefulSet' || kind === 'apps/DaemonSet') result = await rollbackFromRevision(ctx, item, toRevision, dryRun);
    else throw new KubectlError(`no rollbacker has been implemented for "${item.resource.kind}.${item.resource.group}"`);
    // The name printer with the result as its operation (PrintFlagsWithDryRunStrategy appends the dry-run mark).
    const mark = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
    ctx.io.print(`${nameOf(item.object)} ${result}${mark}`);
  }
  return 0;
}

// ---- pause / resume / restart --------------------------------------------------------------------

type Mutation = (o: Obj) => Obj | string;

// Upstream: pkg/cmd/rollout/rollout_pause.go (RunPause), rollout_resume.go, rollout_restart.go: a strategic merge patch per object
async function patchEach(ctx: KubectlContext, args: string[], mutate: Mutation, done: string, unchanged: string): Promise<number> {
  const errors: string[] = [];
  const items = await targets(ctx, args);
  if (items.length === 0) {
    ctx.io.error(`No resources found in ${ctx.namespace} namespace.`);
    return 0;
  }
  for (const item of items) {
    const result = mutate(item.object);
    if (typeof result === 'string') {
      errors.push(`error: ${resourceString(item)} "${item.name}" ${result}`);
      continue;
    }
    if (Object.keys(result).length === 0) {
      ctx.io.print(`${nameOf(item.object)} ${unchanged}`);
      continue;
    }
    try {
      await ctx.rest.do({ verb: 'PATCH', path: resourcePath(item.resource, item.namespace, item.name), query: { fieldManager: 'kubectl-rollout' }, rawBody: JSON.stringify(result), contentType: 'application/strategic-merge-patch+json' });
    } catch (err) {
      errors.push(`failed to patch: ${(err as Error).message}`);
      continue;
    }
    ctx.io.print(`${nameOf(item.object)} ${done}`);
  }
  if (errors.length) throw new KubectlError(errors.join('\n'));
  return 0;
}

// Upstream: polymorphichelpers/objectpauser.go (defaultObjectPauser)
const pauser: (pause: boolean) => Mutation = (pause) => (o) => {
  if (o.kind !== 'Deployment') return pause ? 'pausing is not supported' : 'resuming is not supported';
  if (Boolean(o.spec?.paused) === pause) return pause ? 'is already paused' : 'is not paused';
  return { spec: { paused: pause } };
};

// Upstream: polymorphichelpers/objectrestarter.go (defaultObjectRestarter)
const restarter = (nowMs: number): Mutation => (o) => {
  if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind)) return 'restarting is not supported';
  if (o.kind === 'Deployment' && o.spec?.paused) return "can't restart paused deployment (run rollout resume first)";
  return { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': formatRFC3339(nowMs) } } } } };
};

const TYPES = '  * deployments\n  * daemonsets\n  * statefulsets';

export const rolloutCommand: Subcommand = {
  name: 'rollout',
  summary: 'Manage the rollout of a resource',
  usage: 'kubectl rollout SUBCOMMAND',
  examples: `  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc

  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo

  # Restart a deployment
  kubectl rollout restart deployment/abc`,
  flags: [],
  subcommands: [
    {
      name: 'rollout status',
      summary: 'Show the status of the rollout',
      usage: 'kubectl rollout status (TYPE NAME | TYPE/NAME) [flags]',
      examples: `  # Watch the rollout status of a deployment\n  kubectl rollout status deployment/nginx`,
      flags: [
        FILE_FLAG,
        SELECTOR_FLAG,
        { name: 'watch', short: 'w', type: 'bool', def: 'true', help: 'Watch the status of the rollout until it\'s done.' },
        { name: 'revision', type: 'int', def: '0', help: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).' },
        { name: 'timeout', type: 'string', def: '0s', help: 'The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).' },
      ],
      run: status,
    },
    {
      name: 'rollout history',
      summary: 'View rollout history',
      usage: 'kubectl rollout history (TYPE NAME | TYPE/NAME) [flags]',
      examples: `  # View the rollout history of a deployment\n  kubectl rollout history deployment/abc\n\n  # View the details of daemonset revision 3\n  kubectl rollout history daemonset/abc --revision=3`,
      flags: [FILE_FLAG, SELECTOR_FLAG, { name: 'revision', type: 'int', def: '0', help: 'See the details, including podTemplate of the revision specified' }, { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (json, yaml, name).', values: ['json', 'yaml', 'name'] }],
      run: history,
    },
    {
      name: 'rollout undo',
      summary: 'Undo a previous rollout',
      usage: 'kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags]',
      examples: `  # Roll back to the previous deployment\n  kubectl rollout undo deployment/abc\n\n  # Roll back to daemonset revision 3\n  kubectl rollout undo daemonset/abc --to-revision=3`,
      flags: [FILE_FLAG, SELECTOR_FLAG, { name: 'to-revision', type: 'int', def: '0', help: 'The revision to rollback to. Default to 0 (last revision).' }, { name: 'dry-run', type: 'string', def: 'none', help: 'Must be "none", "server", or "client".', values: ['none', 'server', 'client'] }],
      run: undo,
    },
    {
      name: 'rollout pause',
      summary: 'Mark the provided resource as paused',
      usage: 'kubectl rollout pause RESOURCE',
      examples: `  # Mark the nginx deployment as paused\n  # Any current state of the deployment will continue its function; new updates\n  # to the deployment will not have an effect as long as the deployment is paused\n  kubectl rollout pause deployment/nginx`,
      flags: [FILE_FLAG, SELECTOR_FLAG],
      run: (ctx, args) => patchEach(ctx, args, pauser(true), 'paused', 'already paused'),
    },
    {
      name: 'rollout resume',
      summary: 'Resume a paused resource',
      usage: 'kubectl rollout resume RESOURCE',
      examples: `  # Resume an already paused deployment\n  kubectl rollout resume deployment/nginx`,
      flags: [FILE_FLAG, SELECTOR_FLAG],
      run: (ctx, args) => patchEach(ctx, args, pauser(false), 'resumed', 'already resumed'),
    },
    {
      name: 'rollout restart',
      summary: 'Restart a resource',
      usage: 'kubectl rollout restart RESOURCE',
      examples: `  # Restart all deployments in the test-namespace namespace\n  kubectl rollout restart deployment -n test-namespace\n\n  # Restart a deployment\n  kubectl rollout restart deployment/nginx`,
      flags: [FILE_FLAG, SELECTOR_FLAG],
      run: (ctx, args) => patchEach(ctx, args, restarter(ctx.now()), 'restarted', 'restarted'),
    },
  ],
  async run(ctx) {
    ctx.io.print(`Manage the deployment of one or many resources.\n\n Valid resource types include:\n\n${TYPES}\n\nUse "kubectl rollout <command> --help" for more information about a given command.`);
    return 0;
  },
};
