/**
 * `kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS
 * [--cpu=CPU] [--memory=MEMORY]`: builds a HorizontalPodAutoscaler for each scalable object and
 * POSTs it as autoscaling/v2; when that fails, falls back to autoscaling/v1 if the targets fit
 * v1 (a CPU utilization only).
 * Upstream: kubectl v0.34.0 pkg/cmd/autoscale/autoscale.go (Validate, Run, handleHPA,
 * createHorizontalPodAutoscalerV2/V1, canCreateHPAV1, parseResourceInput, parsePercentage).
 */
import { resource as apiResource } from '../../../../sim/apimachinery/index';
import { getObject, resolveTargets } from '../builder';
import { groupVersion, type ApiResource } from '../client/discovery';
import { AggregateError, KubectlError } from '../client/errors';
import type { KubectlContext, Subcommand } from '../context';
import { visitManifests, type Obj } from '../manifest';
import { printYamlOrJson } from '../printers/output';
import { nameOf } from './get';

type TargetType = 'Utilization' | 'AverageValue';
export interface ResourceInput {
  type: TargetType;
  /** The canonical quantity for AverageValue targets (`500m`, `200Mi`). */
  quantity?: string;
  /** The percentage for Utilization targets. */
  utilization?: number;
}

/** `70%` -> 70; not a percentage -> undefined; a bad one throws. */
// Upstream: autoscale.go (parsePercentage)
function parsePercentage(input: string): number | undefined {
  if (!input.endsWith('%')) return undefined;
  const trimmed = input.slice(0, -1);
  const n = /^[-+]?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new KubectlError(`invalid percentage value: ${trimmed}`);
  return n;
}

/** Go's `%g` for the numbers a learner types (`500`, `0.5`, `1e3`). */
const goG = (v: number) => (Math.abs(v) >= 1e21 || (v !== 0 && Math.abs(v) < 1e-4) ? v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2') : String(v));

/** A percentage targets utilization; a quantity (bare numbers in m or Mi) targets an average value. */
// Upstream: autoscale.go (parseResourceInput, getDefaultUnitForResource)
export function parseResourceInput(raw: string, resourceName: 'cpu' | 'memory'): ResourceInput {
  const input = raw.trim();
  if (input === '') throw new KubectlError('empty input');
  const percent = parsePercentage(input);
  if (percent !== undefined) return { type: 'Utilization', utilization: percent };
  const asNumber = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(input) ? Number(input) : NaN;
  const text = Number.isFinite(asNumber) ? `${goG(asNumber)}${resourceName === 'cpu' ? 'm' : 'Mi'}` : input;
  try {
    return { type: 'AverageValue', quantity: apiResource.parseQuantity(text).toString() };
  } catch {
    throw new KubectlError(`invalid resource ${resourceName} value: ${input}`);
  }
}

interface Options {
  name: string;
  min: number;
  max: number;
  cpuPercent: number;
  cpu: string;
  memory: string;
}

// Upstream: autoscale.go (AutoscaleOptions.Validate)
function validate(o: Options): void {
  if (o.max < 1) throw new KubectlError(`--max=MAXPODS is required and must be at least 1, max: ${o.max}`);
  if (o.max < o.min) throw new KubectlError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${o.max}, min: ${o.min}`);
  if (o.cpuPercent > 0 && o.cpu !== '') throw new KubectlError('--cpu-percent and --cpu are mutually exclusive');
  if (o.cpu !== '') parseResourceInput(o.cpu, 'cpu');
  if (o.memory !== '') parseResourceInput(o.memory, 'memory');
}

const resourceMetric = (name: 'cpu' | 'memory', t: ResourceInput): Obj => ({
  type: 'Resource',
  resource: { name, target: t.type === 'Utilization' ? { type: 'Utilization', averageUtilization: t.utilization } : { type: 'AverageValue', averageValue: t.quantity } },
});

/** The autoscaling/v2 object as kubectl serializes it (status included: it is not a pointer). */
// Upstream: autoscale.go (createHorizontalPodAutoscalerV2)
export function hpaV2(o: Options, refName: string, r: ApiResource): Obj {
  const metrics: Obj[] = [];
  if (o.cpuPercent > 0) metrics.push(resourceMetric('cpu', { type: 'Utilization', utilization: o.cpuPercent }));
  if (o.cpu !== '') metrics.push(resourceMetric('cpu', parseResourceInput(o.cpu, 'cpu')));
  if (o.memory !== '') metrics.push(resourceMetric('memory', parseResourceInput(o.memory, 'memory')));
  const spec: Obj = { scaleTargetRef: { apiVersion: groupVersion(r), kind: r.kind, name: refName }, maxReplicas: o.max };
  if (o.min > 0) spec.minReplicas = o.min;
  if (metrics.length) spec.metrics = metrics;
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: o.name || refName }, spec, status: { currentMetrics: null, desiredReplicas: 0 } };
}

// Upstream: autoscale.go (createHorizontalPodAutoscalerV1)
export function hpaV1(o: Options, refName: string, r: ApiResource): Obj {
  const spec: Obj = { scaleTargetRef: { apiVersion: groupVersion(r), kind: r.kind, name: refName }, maxReplicas: o.max };
  if (o.min > 0) spec.minReplicas = o.min;
  if (o.cpuPercent >= 0) spec.targetCPUUtilizationPercentage = o.cpuPercent;
  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: o.name || refName }, spec, status: { currentReplicas: 0, desiredReplicas: 0 } };
}

/**
 * v1 takes only a CPU utilization. Upstream parses --cpu even when it is empty, so a v2 failure
 * without --cpu reports "empty input"; and an incompatible --cpu quantity leaves a nil error.
 */
// Upstream: autoscale.go (canCreateHPAV1)
function canCreateHPAV1(o: Options): { ok: boolean; err?: string } {
  let t: ResourceInput;
  try {
    t = parseResourceInput(o.cpu, 'cpu');
  } catch (err) {
    return { ok: false, err: (err as Error).message };
  }
  return { ok: (o.cpuPercent >= 0 && o.memory === '') || (o.memory === '' && t.type === 'Utilization') };
}

type DryRun = 'none' | 'client' | 'server';

function dryRunOf(ctx: KubectlContext): DryRun {
  const v = ctx.flags.str('dry-run', 'none');
  if (v === 'none' || v === 'client' || v === 'server') return v;
  throw new KubectlError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

function print(ctx: KubectlContext, obj: Obj, operation: string): void {
  const o = ctx.flags.str('output');
  if (o === 'name') ctx.io.print(nameOf(obj));
  else if (o === 'yaml' || o === 'json') ctx.io.print(printYamlOrJson(o, obj).replace(/\n$/, ''));
  else if (o === '') ctx.io.print(`${nameOf(obj)} ${operation}`);
  else throw new KubectlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: json,name,yaml`);
}

// Upstream: autoscale.go (handleHPA)
async function handleHPA(ctx: KubectlContext, hpa: Obj, namespace: string, dryRun: DryRun): Promise<void> {
  if (dryRun === 'client') return print(ctx, hpa, 'created (dry run)');
  const query: Record<string, string> = { fieldManager: ctx.flags.str('field-manager') || 'kubectl-autoscale' };
  if (dryRun === 'server') query.dryRun = 'All';
  const version = String(hpa.apiVersion).split('/')[1];
  const created = await ctx.rest.do<Obj>({ verb: 'POST', path: `/apis/autoscaling/${version}/namespaces/${namespace}/horizontalpodautoscalers`, query, body: hpa });
  print(ctx, { ...created, apiVersion: hpa.apiVersion, kind: 'HorizontalPodAutoscaler' }, dryRun === 'server' ? 'autoscaled (server dry run)' : 'autoscaled');
}

interface Info {
  resource: ApiResource;
  name: string;
  namespace: string;
}

async function infos(ctx: KubectlContext, args: string[]): Promise<{ items: Info[]; errors: Error[] }> {
  const items: Info[] = [];
  const errors: Error[] = [];
  const files = ctx.flags.list('filename');
  if (files.length) {
    for (const v of await visitManifests(ctx.files, files, ctx.discovery, ctx.namespace, ctx.explicitNamespace)) {
      if (v.error) errors.push(v.error);
      else items.push({ resource: v.info.resource, name: v.info.name, namespace: v.info.namespace || ctx.namespace });
    }
    return { items, errors };
  }
  for (const t of await resolveTargets(ctx, args)) {
    if (t.names.length === 0) throw new KubectlError(`resource(s) were provided, but no name was specified`);
    for (const name of t.names) {
      try {
        const obj = await getObject(ctx, t.resource, name);
        items.push({ resource: t.resource, name: obj.metadata?.name ?? name, namespace: obj.metadata?.namespace ?? ctx.namespace });
      } catch (err) {
        errors.push(err as Error);
      }
    }
  }
  return { items, errors };
}

// Upstream: autoscale.go (AutoscaleOptions.Run)
async function run(ctx: KubectlContext, args: string[]): Promise<number> {
  const f = ctx.flags;
  if (!f.has('max')) throw new KubectlError('required flag(s) "max" not set');
  const o: Options = { name: f.str('name'), min: f.int('min', -1), max: f.int('max', -1), cpuPercent: f.int('cpu-percent', -1), cpu: f.str('cpu'), memory: f.str('memory') };
  if (f.has('cpu-percent')) ctx.io.print("Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).");
  const dryRun = dryRunOf(ctx);
  validate(o);
  if (args.length === 0 && f.list('filename').length === 0) {
    throw new KubectlError(`You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  }
  const { items, errors } = await infos(ctx, args);
  let count = 0;
  for (const info of items) {
    try {
      const r = info.resource;
      if (!(await ctx.discovery.hasSubresource(r, 'scale'))) {
        throw new KubectlError(`cannot autoscale a ${r.kind}: could not find scale subresource for ${r.group}/${r.version}, Resource=${r.name} in discovery information`);
      }
      try {
        await handleHPA(ctx, hpaV2(o, info.name, r), info.namespace, dryRun);
      } catch {
        // Any v2 failure (even AlreadyExists) falls back to v1 when the targets fit it.
        const can = canCreateHPAV1(o);
        if (!can.ok) throw new KubectlError(`failed to create autoscaling/v2 HPA and the configuration is incompatible with autoscaling/v1: ${can.err ?? '%!w(<nil>)'}`);
        await handleHPA(ctx, hpaV1(o, info.name, r), info.namespace, dryRun);
      }
      count++;
    } catch (err) {
      errors.push(err as Error);
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
  if (count === 0) throw new KubectlError('no objects passed to autoscale');
  return 0;
}

export const autoscaleCommand: Subcommand = {
  name: 'autoscale',
  summary: 'Auto-scale a deployment, replica set, stateful set, or replication controller',
  usage: 'kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu=CPU] [--memory=MEMORY]',
  examples: `  # Auto scale a deployment "foo", with the number of pods between 2 and 10, no target CPU utilization specified so a default autoscaling policy will be used
  kubectl autoscale deployment foo --min=2 --max=10

  # Auto scale a replication controller "foo", with the number of pods between 1 and 5, target CPU utilization at 80%
  kubectl autoscale rc foo --max=5 --cpu=80%

  # Auto scale a deployment "bar", with the number of pods between 3 and 6, target average CPU of 500m and memory of 200Mi
  kubectl autoscale deployment bar --min=3 --max=6 --cpu=500m --memory=200Mi`,
  flags: [
    { name: 'min', type: 'int', def: '-1', help: "The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value." },
    { name: 'max', type: 'int', def: '-1', help: 'The upper limit for the number of pods that can be set by the autoscaler. Required.' },
    { name: 'cpu-percent', type: 'int', def: '-1', help: "The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used." },
    { name: 'cpu', type: 'string', help: 'Target CPU utilization over all the pods: a percentage ("70%") targets average utilization, a quantity ("500m") an average value; a bare number is in milliCPU.' },
    { name: 'memory', type: 'string', help: 'Target memory utilization over all the pods: a percentage ("60%") targets average utilization, a quantity ("200Mi") an average value; a bare number is in mebibytes.' },
    { name: 'name', type: 'string', help: 'The name for the newly created object. If not specified, the name of the input resource will be used.' },
    { name: 'filename', short: 'f', type: 'stringArray', help: 'Filename, directory, or URL to files identifying the resource to autoscale.' },
    { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (json, yaml, name).', values: ['json', 'yaml', 'name'] },
    { name: 'dry-run', type: 'string', def: 'none', help: 'Must be "none", "server", or "client".', values: ['none', 'server', 'client'] },
    { name: 'field-manager', type: 'string', def: 'kubectl-autoscale', help: 'Name of the manager used to track field ownership.' },
  ],
  run,
};
