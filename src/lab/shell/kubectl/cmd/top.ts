/**
 * `kubectl top pod|node`: reads metrics.k8s.io/v1beta1 (metrics-server, through the API server's
 * aggregation) and prints usage as kubectl's TopCmdPrinter does: CPU in millicores, memory in
 * whole Mi, a node's share of its allocatable. Nothing is computed here that metrics-server did
 * not serve; an empty answer is explained from the pods' ages ("metrics not available yet").
 * Upstream: kubectl v0.34.0 pkg/cmd/top/{top,top_pod,top_node}.go, pkg/metricsutil/
 * {metrics_printer,metrics_sorter}.go.
 */
import { formatGoDuration } from '../../../../sim/cache/go_strings';
import { KubectlError } from '../client/errors';
import type { KubectlContext, Subcommand } from '../context';
import type { FlagSpec } from '../flags';
import { TABLE_TABWRITER, TabWriter } from '../format/tabwriter';
import type { Obj } from '../manifest';
import { parseQuantity, quantityValue } from '../quantity';

const METRICS_GROUP = 'metrics.k8s.io';
const SUPPORTED_VERSIONS = ['v1beta1'];
/** Pods younger than this may simply not have been scraped twice yet. */
const metricsCreationDelayMs = 2 * 60_000;

type Usage = Record<string, string | undefined>;

/** Go's Quantity.MilliValue (rounded up). */
const milli = (q: unknown): bigint => parseQuantity(q ?? '0')?.milli ?? 0n;
/** `250m`: CPU as the printer shows it. */
const cpuText = (q: unknown) => `${milli(q)}m`;
/** Go's Quantity.Value (bytes, rounded up). */
const memValue = (q: unknown): bigint => {
  const p = parseQuantity(q ?? '0');
  return p ? quantityValue(p) : 0n;
};
/** `64Mi`: memory in whole mebibytes (Go: Value() / (1024*1024)). */
const memText = (q: unknown) => `${memValue(q) / 1048576n}Mi`;

/** A pod's usage: the sum of its containers'. */
// Upstream: metrics_printer.go (getPodMetrics)
function podUsage(m: Obj): { cpu: bigint; memory: bigint } {
  let cpu = 0n;
  let memory = 0n;
  for (const c of m.containers ?? []) {
    cpu += milli(c.usage?.cpu);
    memory += memValue(c.usage?.memory);
  }
  return { cpu, memory };
}

const cmp = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Largest first by cpu or memory, else by (namespace,) name. Go's sort.Sort is not stable; ties keep list order here. */
// Upstream: metrics_sorter.go (PodMetricsSorter.Less, NodeMetricsSorter.Less, ContainerMetricsSorter.Less)
function sortUsage<T>(items: T[], sortBy: string, usage: (t: T) => { cpu: bigint; memory: bigint }, key: (t: T) => string): T[] {
  return [...items].sort((a, b) => (sortBy === 'cpu' ? cmp(usage(a).cpu, usage(b).cpu) : sortBy === 'memory' ? cmp(usage(a).memory, usage(b).memory) : byName(key(a), key(b))));
}

// Upstream: top.go (SupportedMetricsAPIVersionAvailable)
async function metricsAPIAvailable(ctx: KubectlContext): Promise<boolean> {
  // ServerGroups asks for the legacy group first, then the named groups.
  await ctx.rest.do({ verb: 'GET', path: '/api', accept: 'application/json, */*' });
  const groups = await ctx.rest.do<{ groups?: Array<{ name: string; versions: Array<{ version: string }> }> }>({ verb: 'GET', path: '/apis', accept: 'application/json, */*' });
  return (groups.groups ?? []).some((g) => g.name === METRICS_GROUP && g.versions.some((v) => SUPPORTED_VERSIONS.includes(v.version)));
}

function validateSortBy(ctx: KubectlContext): string {
  const sortBy = ctx.flags.str('sort-by');
  if (sortBy && sortBy !== 'cpu' && sortBy !== 'memory') throw new KubectlError('--sort-by accepts only cpu or memory');
  return sortBy;
}

function usageError(ctx: KubectlContext, use: string): KubectlError {
  return new KubectlError(`${use}\nSee '${ctx.commandName} top ${use.split(' ')[0]} -h' for help and examples`);
}

// ---- top pod -------------------------------------------------------------------------------------

/** Why a list came back empty: no pods, pods too young (not yet scraped twice), or older ones without metrics. */
// Upstream: top_pod.go (verifyEmptyMetrics, checkPodAge)
async function verifyEmptyMetrics(ctx: KubectlContext, labelSelector: string, fieldSelector: string): Promise<void> {
  const query: Record<string, string> = {};
  if (labelSelector) query.labelSelector = labelSelector;
  if (fieldSelector) query.fieldSelector = fieldSelector;
  // Upstream lists the context's namespace even with -A.
  const pods = await ctx.rest.do<Obj>({ verb: 'GET', path: `/api/v1/namespaces/${ctx.namespace}/pods`, query });
  const items: Obj[] = pods.items ?? [];
  if (items.length === 0) return;
  for (const pod of items) {
    const age = ctx.now() - (Date.parse(pod.metadata?.creationTimestamp ?? '') || 0);
    if (age > metricsCreationDelayMs) throw new KubectlError(`Metrics not available for pod ${pod.metadata?.namespace}/${pod.metadata?.name}, age: ${formatGoDuration(age)}`);
  }
  throw new KubectlError('metrics not available yet');
}

// Upstream: top_pod.go (TopPodOptions.Validate, RunTopPod, getMetricsFromMetricsAPI); metrics_printer.go (PrintPodMetrics)
async function topPod(ctx: KubectlContext, args: string[]): Promise<number> {
  const f = ctx.flags;
  if (args.length > 1) throw usageError(ctx, 'pod [NAME | -l label]');
  const name = args[0] ?? '';
  const sortBy = validateSortBy(ctx);
  const labelSelector = f.str('selector');
  const fieldSelector = f.str('field-selector');
  if (name && (labelSelector || fieldSelector)) throw new KubectlError('only one of NAME or selector can be provided');
  if (!(await metricsAPIAvailable(ctx))) throw new KubectlError('Metrics API not available');
  const all = f.bool('all-namespaces');
  const base = `/apis/${METRICS_GROUP}/v1beta1${all ? '' : `/namespaces/${ctx.namespace}`}/pods`;
  let metrics: Obj[];
  if (name) metrics = [await ctx.rest.do<Obj>({ verb: 'GET', path: `${base}/${name}` })];
  else {
    const query: Record<string, string> = {};
    if (labelSelector) query.labelSelector = labelSelector;
    if (fieldSelector) query.fieldSelector = fieldSelector;
    metrics = (await ctx.rest.do<Obj>({ verb: 'GET', path: base, query })).items ?? [];
  }
  if (metrics.length === 0) {
    await verifyEmptyMetrics(ctx, labelSelector, fieldSelector);
    ctx.io.print(all ? 'No resources found' : `No resources found in ${ctx.namespace} namespace.`);
    return 0;
  }
  const containers = f.bool('containers');
  const w = new TabWriter(TABLE_TABWRITER);
  const cells: string[][] = [];
  if (!f.bool('no-headers')) cells.push([...(all ? ['NAMESPACE'] : []), ...(containers ? ['POD'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
  const sorted = sortUsage(metrics, sortBy, podUsage, (m) => (all ? `${m.metadata?.namespace}\u0000` : '') + m.metadata?.name);
  for (const m of sorted) {
    const ns = all ? [String(m.metadata?.namespace ?? '')] : [];
    if (containers) {
      const cs = sortUsage<Obj>(m.containers ?? [], sortBy, (c) => ({ cpu: milli(c.usage?.cpu), memory: memValue(c.usage?.memory) }), (c) => c.name);
      for (const c of cs) cells.push([...ns, m.metadata?.name, c.name, cpuText(c.usage?.cpu), memText(c.usage?.memory)]);
    } else {
      const u = podUsage(m);
      cells.push([...ns, m.metadata?.name, `${u.cpu}m`, `${u.memory / 1048576n}Mi`]);
    }
  }
  if (f.bool('sum')) {
    const total = metrics.map(podUsage).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0n, memory: 0n });
    // Upstream counts the NAMESPACE and POD columns only when it prints the headers.
    const width = 3 + (f.bool('no-headers') ? 0 : (all ? 1 : 0) + (containers ? 1 : 0));
    cells.push([...Array(width - 2).fill(''), '________', '________']);
    cells.push([...Array(width - 3).fill(''), '', `${total.cpu}m`, `${total.memory / 1048576n}Mi`]);
  }
  // Every cell ends with a tab (printValue), the last one too.
  for (const row of cells) w.write(row.map((c) => `${c}\t`).join('') + '\n');
  ctx.io.print(w.flush().replace(/\n$/, ''));
  return 0;
}

// ---- top node ------------------------------------------------------------------------------------

// Upstream: top_node.go (TopNodeOptions.Validate, RunTopNode, getNodeMetricsFromMetricsAPI); metrics_printer.go (PrintNodeMetrics, printAllResourceUsages, printMissingMetricsNodeLine)
async function topNode(ctx: KubectlContext, args: string[]): Promise<number> {
  const f = ctx.flags;
  if (args.length > 1) throw usageError(ctx, 'node [NAME | -l label]');
  const name = args[0] ?? '';
  const sortBy = validateSortBy(ctx);
  const selector = f.str('selector');
  if (name && selector) throw new KubectlError('only one of NAME or --selector can be provided');
  if (!(await metricsAPIAvailable(ctx))) throw new KubectlError('Metrics API not available');
  const base = `/apis/${METRICS_GROUP}/v1beta1/nodes`;
  const query: Record<string, string> = selector ? { labelSelector: selector } : {};
  const metrics: Obj[] = name ? [await ctx.rest.do<Obj>({ verb: 'GET', path: `${base}/${name}` })] : (await ctx.rest.do<Obj>({ verb: 'GET', path: base, query })).items ?? [];
  if (metrics.length === 0) throw new KubectlError('metrics not available yet');
  const nodes: Obj[] = name ? [await ctx.rest.do<Obj>({ verb: 'GET', path: `/api/v1/nodes/${name}` })] : (await ctx.rest.do<Obj>({ verb: 'GET', path: '/api/v1/nodes', query })).items ?? [];
  const available = new Map<string, Usage>();
  for (const n of nodes) available.set(n.metadata?.name, (f.bool('show-capacity') ? n.status?.capacity : n.status?.allocatable) ?? {});
  const cells: string[][] = [];
  if (!f.bool('no-headers')) cells.push(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
  const usage = (m: Obj) => ({ cpu: milli(m.usage?.cpu), memory: memValue(m.usage?.memory) });
  for (const m of sortUsage(metrics, sortBy, usage, (x) => x.metadata?.name)) {
    const nodeName = String(m.metadata?.name ?? '');
    const avail = available.get(nodeName);
    const row = [nodeName];
    for (const res of ['cpu', 'memory']) {
      row.push(res === 'cpu' ? cpuText(m.usage?.cpu) : memText(m.usage?.memory));
      if (avail && avail[res] !== undefined) {
        const den = milli(avail[res]);
        const num = milli(m.usage?.[res]);
        // float64 division truncated to an integer, as int64(fraction)
        row.push(`${den === 0n ? 0 : Math.trunc((Number(num) / Number(den)) * 100)}%`);
      }
    }
    cells.push(row);
    available.delete(nodeName);
  }
  // Nodes without metrics (Go iterates a map: the order is random; here, by name).
  for (const nodeName of [...available.keys()].sort(byName)) cells.push([nodeName, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  const w = new TabWriter(TABLE_TABWRITER);
  for (const row of cells) w.write(row.map((c) => `${c}\t`).join('') + '\n');
  ctx.io.print(w.flush().replace(/\n$/, ''));
  return 0;
}

const SELECTOR: FlagSpec = { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." };
const SORT_BY: FlagSpec = { name: 'sort-by', type: 'string', help: "If non-empty, sort the list using specified field. The field can be either 'cpu' or 'memory'.", values: ['cpu', 'memory'] };
const NO_HEADERS: FlagSpec = { name: 'no-headers', type: 'bool', help: 'If present, print output without headers.' };

const topPodCommand: Subcommand = {
  name: 'top pod',
  aliases: ['pods', 'po'],
  summary: 'Display resource (CPU/memory) usage of pods',
  usage: 'kubectl top pod [NAME | -l label]',
  examples: `  # Show metrics for all pods in the default namespace
  kubectl top pod

  # Show metrics for a given pod and its containers
  kubectl top pod POD_NAME --containers

  # Show metrics for the pods defined by label name=myLabel
  kubectl top pod -l name=myLabel`,
  flags: [
    SELECTOR,
    { name: 'field-selector', type: 'string', help: "Selector (field query) to filter on, supports '=', '==', and '!='." },
    SORT_BY,
    { name: 'containers', type: 'bool', help: 'If present, print usage of containers within a pod.' },
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
    NO_HEADERS,
    { name: 'sum', type: 'bool', help: 'Print the sum of the resource usage' },
  ],
  run: topPod,
};

const topNodeCommand: Subcommand = {
  name: 'top node',
  aliases: ['nodes', 'no'],
  summary: 'Display resource (CPU/memory) usage of nodes',
  usage: 'kubectl top node [NAME | -l label]',
  examples: `  # Show metrics for all nodes
  kubectl top node

  # Show metrics for a given node
  kubectl top node NODE_NAME`,
  flags: [SELECTOR, SORT_BY, NO_HEADERS, { name: 'show-capacity', type: 'bool', help: 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.' }],
  run: topNode,
};

export const topCommand: Subcommand = {
  name: 'top',
  summary: 'Display resource (CPU/memory) usage',
  usage: 'kubectl top [flags] [options]',
  flags: [],
  subcommands: [topNodeCommand, topPodCommand],
  // cobra's DefaultSubCommandRun: without a subcommand, the help.
  async run(ctx) {
    ctx.io.print(`Display resource (CPU/memory) usage.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n\nUsage:\n  kubectl top [flags] [options]`);
    return 0;
  },
};
