/**
 * Text views of the scheduler for the terminal: `scheduler explain` (a cycle record as a table
 * of nodes: the filter verdict, each score plugin's normalized and weighted score, the total),
 * `scheduler queue` and `scheduler config`. Not upstream output: kube-scheduler prints these
 * only as log lines at -v=10, and kube-scheduler-simulator as pod annotations; the table shows
 * the same numbers.
 */
import { tabwriter } from '../apimachinery/go';
import type { CycleRecord } from './framework/runtime/record';
import type { PriorityQueue } from './backend/queue/scheduling_queue';
import type { Framework } from './framework/runtime/framework';

export interface ExplainOptions {
  /** At most this many nodes (default 50): the feasible ones by score first, then the rejected. */
  maxNodes?: number;
}

function statusText(s: { code: string; reasons: string[]; plugin: string }): string {
  const why = s.reasons.join(', ');
  return `${s.plugin || '?'}: ${why || s.code}${s.code === 'UnschedulableAndUnresolvable' ? ' (unresolvable)' : s.code === 'Error' ? ' (error)' : ''}`;
}

/** The last cycle of a pod as a table, one row per node. */
export function explain(rec: CycleRecord, weights: Map<string, number>, opts: ExplainOptions = {}): string {
  const out: string[] = [];
  const head = rec.result === 'Scheduled'
    ? `pod ${rec.pod}: scheduled to ${rec.selectedNode} (profile ${rec.profile})`
    : `pod ${rec.pod}: ${rec.result === 'Error' ? 'scheduling error' : 'unschedulable'} (profile ${rec.profile})`;
  out.push(head);
  out.push(`nodes: ${rec.numAllNodes} in the snapshot, ${rec.evaluatedNodes} evaluated, ${rec.feasibleNodes} feasible`);
  for (const p of rec.preFilter) {
    if (p.status.code !== 'Success' && p.status.code !== 'Skip') out.push(`PreFilter ${p.plugin}: ${p.status.code}: ${p.status.reasons.join(', ')}`);
    else if (p.nodeNames) out.push(`PreFilter ${p.plugin}: only ${p.nodeNames.length ? p.nodeNames.join(', ') : 'no nodes'}`);
  }
  const skipped = rec.preFilter.filter((p) => p.status.code === 'Skip').map((p) => p.plugin);
  if (skipped.length) out.push(`PreFilter Skip (their Filter does not run): ${skipped.join(', ')}`);
  const scorePlugins: string[] = [];
  for (const byPlugin of Object.values(rec.score)) for (const p of Object.keys(byPlugin)) if (!scorePlugins.includes(p)) scorePlugins.push(p);
  const nodes = Object.keys(rec.filter);
  for (const n of Object.keys(rec.score)) if (!nodes.includes(n)) nodes.push(n);
  const failed = (n: string) => Object.values(rec.filter[n] ?? {}).find((s) => s.code !== 'Success');
  const feasible = nodes.filter((n) => !failed(n)).sort((a, b) => (rec.finalScore[b] ?? 0) - (rec.finalScore[a] ?? 0) || (a < b ? -1 : 1));
  const rejected = nodes.filter((n) => failed(n));
  const shown = [...feasible, ...rejected].slice(0, opts.maxNodes ?? 50);
  const header = ['NODE', 'FILTER', ...scorePlugins.map((p) => `${p}(×${weights.get(p) ?? 1})`), 'TOTAL'];
  const rows = [header.join('\t')];
  for (const n of shown) {
    const f = failed(n);
    const mark = n === rec.selectedNode ? '*' : ' ';
    const cells = [`${mark}${n}`, f ? statusText(f) : 'passed'];
    for (const p of scorePlugins) {
      const s = rec.score[n]?.[p];
      cells.push(s ? `${s.normalized}→${s.weighted}${s.raw !== s.normalized ? ` (raw ${s.raw})` : ''}` : '');
    }
    cells.push(f ? '' : String(rec.finalScore[n] ?? ''));
    rows.push(cells.join('\t'));
  }
  out.push('', tabwriter(rows, 1, 2).trimEnd());
  if (shown.length < nodes.length) out.push(`... and ${nodes.length - shown.length} more nodes`);
  if (rec.evaluatedNodes < rec.numAllNodes && rec.feasibleNodes > 0) out.push(`(${rec.numAllNodes - rec.evaluatedNodes} nodes were not evaluated: percentageOfNodesToScore stopped the search)`);
  if (scorePlugins.length === 0 && rec.result === 'Scheduled' && rec.feasibleNodes === 1) out.push('(only one node passed the filters: no scoring ran)');
  for (const p of rec.postFilter) out.push(`PostFilter ${p.plugin}: ${p.status.code}${p.status.reasons.length ? `: ${p.status.reasons.join(', ')}` : ''}${p.nominatedNodeName ? ` → nominated node ${p.nominatedNodeName}` : ''}`);
  if (rec.message) out.push(`message: ${rec.message}`);
  const timed = Object.entries(rec.timings);
  if (timed.length) {
    out.push('', 'plugin timings (wall clock, summed over nodes):');
    const trows = ['PLUGIN\tEXTENSION POINTS'];
    for (const [plugin, byPoint] of timed) trows.push(`${plugin}\t${Object.entries(byPoint).map(([k, v]) => `${k} ${v.toFixed(3)} ms`).join(', ')}`);
    out.push(tabwriter(trows, 1, 2).trimEnd());
  }
  return out.join('\n');
}

function age(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 120 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
}

/** `scheduler queue`: where each pending pod waits. */
export function queueText(q: PriorityQueue, now: number): string {
  const p = q.pendingPods();
  const name = (x: { podInfo: { pod: { metadata: { namespace?: string; name?: string } } } }) => `${x.podInfo.pod.metadata.namespace ?? 'default'}/${x.podInfo.pod.metadata.name}`;
  const rows = ['QUEUE\tPOD\tPRIORITY\tATTEMPTS\tDETAIL'];
  for (const x of p.activeQ) rows.push(`activeQ\t${name(x)}\t${x.podInfo.pod.spec.priority ?? 0}\t${x.attempts}\twaiting ${age(now - x.timestamp)}`);
  for (const x of p.backoffQ) rows.push(`backoffQ\t${name(x)}\t${x.podInfo.pod.spec.priority ?? 0}\t${x.attempts}\tbackoff ends in ${age(Math.max(0, q.getBackoffTime(x) - now))}`);
  for (const x of p.errorBackoffQ) rows.push(`errorBackoffQ\t${name(x)}\t${x.podInfo.pod.spec.priority ?? 0}\t${x.attempts}\tbackoff ends in ${age(Math.max(0, q.getBackoffTime(x) - now))}`);
  for (const x of p.unschedulablePods) rows.push(`unschedulablePods\t${name(x)}\t${x.podInfo.pod.spec.priority ?? 0}\t${x.attempts}\trejected by ${[...x.unschedulablePlugins].join(', ') || '-'}; flushed after 5m (${age(now - x.timestamp)} so far)`);
  for (const x of p.gated) rows.push(`gated\t${name(x)}\t${x.podInfo.pod.spec.priority ?? 0}\t${x.attempts}\tPreEnqueue ${x.gatingPlugin || '?'}`);
  if (rows.length === 1) return 'No pending pods: activeQ, backoffQ and unschedulablePods are empty.';
  return tabwriter(rows, 1, 2).trimEnd();
}

/** `scheduler config`: a profile's plugins per extension point, in the order they run, with weights. */
export function configText(fwk: Framework): string {
  const lines = [`profile ${fwk.profileName}:`];
  for (const [point, plugins] of Object.entries(fwk.listPlugins())) {
    if (plugins.length === 0) continue;
    lines.push(`  ${point}: ${plugins.map((p) => (p.weight !== undefined ? `${p.name}(${p.weight})` : p.name)).join(', ')}`);
  }
  return lines.join('\n');
}

/** `compareProfiles` as a table: each node's total under both profiles, the winners starred. */
export function compareText(cmp: { results: [{ selectedNode?: string }, { selectedNode?: string }]; totals: Record<string, [number | null, number | null]> }, names: [string, string] = ['A', 'B']): string {
  const [ra, rb] = cmp.results;
  const rows = [`NODE\t${names[0]}\t${names[1]}`];
  for (const [node, [x, y]] of Object.entries(cmp.totals)) {
    const cell = (v: number | null, win: boolean) => `${v ?? '-'}${win ? ' *' : ''}`;
    rows.push(`${node}\t${cell(x, ra.selectedNode === node)}\t${cell(y, rb.selectedNode === node)}`);
  }
  return `${tabwriter(rows, 1, 2).trimEnd()}\n* the node each profile picks`;
}
