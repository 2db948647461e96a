/**
 * Checks of the scheduler-preemption lab. The judge is DefaultPreemption in the scheduler model
 * (runSchedulingCycle, kube-scheduler v1.34): each node's victims come from a cycle with that
 * node as the only candidate, the nomination from a cycle on the whole cluster. A PDB's status
 * is checked against what the disruption controller would write, computed here (the model has
 * no disruption controller yet).
 */
import { AssertionError } from 'chai';
import { check } from '../../src/lab/checks';
import { cycleTable, podCopy } from '../../src/lab/scheduler-lab';
import type { Node, Pod } from '../../src/sim/api/core/v1';
import type { PodDisruptionBudget } from '../../src/sim/api/policy/v1';
import { labelSelectorAsSelector } from '../../src/sim/apimachinery/labels';
import { makeNode, makePod, runSchedulingCycle, settle, type SchedulingCycleResult } from '../../src/sim/index';

const NODE_NAMES = ['node-a', 'node-b', 'node-c'];
const nodesOf = (names = NODE_NAMES): Node[] => names.map((n) => makeNode().name(n).capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj());
const running = (name: string, node: string, app: string, priority: number, cpu: string, startTime: string) =>
  makePod().name(name).uid(name).label('app', app).node(node).priority(priority).startTime(startTime).req({ cpu, memory: '1Gi' }).obj();

/** The pods of main.ts, fresh for every use. */
export function runningPods(): Pod[] {
  return [
    running('batch-1', 'node-a', 'batch', 100, '2', '2026-03-01T10:00:00Z'),
    running('batch-2', 'node-a', 'batch', 100, '2', '2026-03-01T11:00:00Z'),
    running('web-1', 'node-b', 'web', 500, '2', '2026-03-01T09:00:00Z'),
    running('web-2', 'node-b', 'web', 500, '2', '2026-03-01T09:30:00Z'),
    running('report-1', 'node-c', 'report', 10, '1500m', '2026-03-01T08:00:00Z'),
    running('report-2', 'node-c', 'report', 10, '1500m', '2026-03-01T08:30:00Z'),
    running('cache-1', 'node-c', 'cache', 100, '1', '2026-03-01T07:00:00Z'),
  ];
}
const critical = (): Pod => makePod().name('critical').uid('critical').priority(1000).req({ cpu: '2', memory: '1Gi' }).obj();

interface Preemption { nominated: string; victims: string[]; r: SchedulingCycleResult }

/** One cycle, then the victims' deletions (they run after PostFilter returns, as upstream's do). */
async function preempt(pod: Pod, nodes: string[], pdbs: PodDisruptionBudget[], seed: number): Promise<Preemption> {
  const pods = runningPods().filter((p) => nodes.includes(p.spec.nodeName!));
  const r = runSchedulingCycle({ pod, nodes: nodesOf(nodes), pods, podDisruptionBudgets: pdbs, rng: seed });
  await settle();
  return { nominated: r.nominatedNodeName ?? 'none', victims: r.victims.map((v) => v.replace(/^default\//, '')).sort(), r };
}

const PRIORITY = Object.fromEntries(runningPods().map((p) => [p.metadata.name!, p.spec.priority!]));
const START = Object.fromEntries(runningPods().map((p) => [p.metadata.name!, p.status!.startTime!.slice(11, 16)]));

/** Each node's candidate, with the numbers pickOneNodeForPreemption compares. */
async function candidates(pdbs: PodDisruptionBudget[], seed: number): Promise<{ text: string; victims: Record<string, string[]> }> {
  const victims: Record<string, string[]> = {};
  const rows: string[] = [];
  for (const n of NODE_NAMES) {
    const v = (await preempt(critical(), [n], pdbs, seed)).victims;
    victims[n] = v;
    const prios = v.map((x) => PRIORITY[x]);
    const top = Math.max(...prios);
    const violations = pdbs.length ? ` (${v.filter((x) => pdbs.some((p) => matches(p, runningPods().find((q) => q.metadata.name === x)!))).length} of them covered by a PDB)` : '';
    rows.push(`${n}: victims [${v.map((x) => `${x} prio ${PRIORITY[x]} started ${START[x]}`).join(', ')}]${violations}; highest priority ${top}, sum ${prios.reduce((a, b) => a + b, 0)}, ${v.length} victim(s)`);
  }
  return { text: rows.join('\n'), victims };
}

const sameSet = (a: unknown, b: string[]) => Array.isArray(a) && JSON.stringify([...a].map(String).sort()) === JSON.stringify([...b].sort());
const list = (v: string[]) => `[${v.join(', ')}]`;

type Predictions = {
  victims?: Record<string, unknown>;
  nominated?: unknown;
  withPdb?: { nominated?: unknown; victims?: unknown };
  nightly?: { nominated?: unknown; victims?: unknown };
};
const predictionsOf = (learner: Record<string, unknown>): Predictions => {
  const p = learner.predictions as Predictions | undefined;
  if (!p || typeof p !== 'object') throw new AssertionError('main.ts must export `predictions`');
  return p;
};
const isOpen = (v: unknown) => v === '?' || v === undefined || (Array.isArray(v) && v.includes('?'));

export const predictsVictims = check(
  "Predicts critical's victims on each node and the node DefaultPreemption nominates",
  async ({ learner, seed, log }) => {
    const p = predictionsOf(learner);
    const open = [...NODE_NAMES.filter((n) => isOpen(p.victims?.[n])).map((n) => `victims['${n}']`), ...(isOpen(p.nominated) ? ['nominated'] : [])];
    if (open.length) throw new AssertionError(`Predict before you look: ${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} still '?'`);
    const c = await candidates([], seed);
    const whole = await preempt(critical(), NODE_NAMES, [], seed);
    const problems: string[] = [];
    for (const n of NODE_NAMES) {
      if (sameSet(p.victims![n], c.victims[n])) continue;
      const said = Array.isArray(p.victims![n]) ? (p.victims![n] as unknown[]).map(String) : [];
      const extra = said.filter((x) => !c.victims[n].includes(x));
      problems.push(`${n}: the victims are ${list(c.victims[n])}, not ${JSON.stringify(p.victims![n])}` +
        (extra.length && said.length > c.victims[n].length ? ': after removing every lower-priority pod, the scheduler puts back all it can, most important first — it evicts no more than it must' :
          extra.length ? `: ${extra.join(' and ')} ${extra.length > 1 ? 'are' : 'is'} put back before ${c.victims[n].join(' and ')}, being more important (higher priority, or the same priority and started earlier)` : ''));
    }
    if (p.nominated !== whole.nominated) problems.push(`the nominated node is ${whole.nominated}, not ${JSON.stringify(p.nominated)}: with no PDB involved, the lowest "highest victim priority" wins before the number of victims counts`);
    if (!problems.length) return;
    log(`the candidates (each node alone):\n${c.text}\n`);
    log(cycleTable(whole.r));
    throw new AssertionError(`${problems.length} prediction(s) differ from DefaultPreemption (the candidates and the cycle are printed above):\n  - ${problems.join('\n  - ')}`);
  },
  { hint: 'selectVictimsOnNode: remove every lower-priority pod, then reprieve them one by one, most important first (priority, then earlier start), while critical still fits. pickOneNodeForPreemption: fewest PDB violations, then lowest highest-victim priority, then lowest sum, then fewest victims.' },
);

function matches(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if ((pdb.metadata?.namespace ?? '') !== (pod.metadata.namespace ?? '')) return false;
  try {
    const s = labelSelectorAsSelector(pdb.spec?.selector);
    return !s.empty() && s.matches(pod.metadata.labels ?? {});
  } catch {
    return false;
  }
}

/** Go's intstr scaled value, rounding up (as the disruption controller calls it). */
function scaled(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new AssertionError(`${JSON.stringify(v)} is neither an integer nor a percentage like "50%"`);
  return Math.ceil((Number(m[1]) * total) / 100);
}

/**
 * The status the disruption controller would write, every matching pod healthy. Simplified: the
 * expected count of a percentage or maxUnavailable is the matching pods, where upstream reads the
 * controllers' scale (the same here: each app's pods are all of its ReplicaSet's replicas).
 * Upstream: pkg/controller/disruption/disruption.go (getExpectedPodCount, updatePdbStatus)
 */
function controllerStatus(pdb: PodDisruptionBudget, pods: Pod[]): { expectedPods: number; currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number } {
  const matching = pods.filter((p) => matches(pdb, p)).length;
  let desired = 0;
  if (pdb.spec.maxUnavailable !== undefined) desired = Math.max(0, matching - scaled(pdb.spec.maxUnavailable, matching));
  else if (pdb.spec.minAvailable !== undefined) desired = scaled(pdb.spec.minAvailable, matching);
  const allowed = matching - desired;
  return { expectedPods: matching, currentHealthy: matching, desiredHealthy: desired, disruptionsAllowed: matching <= 0 || allowed <= 0 ? 0 : allowed };
}

function learnerPdb(learner: Record<string, unknown>): PodDisruptionBudget {
  const pdb = learner.pdb as PodDisruptionBudget | undefined;
  if (!pdb || typeof pdb !== 'object' || !pdb.spec) throw new AssertionError('main.ts must export `pdb`, a PodDisruptionBudget object with metadata, spec and status');
  const copy = JSON.parse(JSON.stringify(pdb)) as PodDisruptionBudget;
  if (copy.spec.minAvailable !== undefined && copy.spec.maxUnavailable !== undefined) throw new AssertionError('spec.minAvailable and spec.maxUnavailable are both set: the API server rejects it ("minAvailable and maxUnavailable cannot be both set")');
  if ((copy.metadata?.namespace ?? '') !== 'default') throw new AssertionError(`the PDB's metadata.namespace is ${JSON.stringify(copy.metadata?.namespace)}: a PDB only covers pods in its own namespace, and the report pods are in "default" (the API server would fill it in from the request; here write it)`);
  const pods = runningPods();
  const covered = pods.filter((p) => matches(copy, p)).map((p) => p.metadata.name!);
  if (!sameSet(covered, ['report-1', 'report-2'])) throw new AssertionError(`the PDB's selector ${JSON.stringify(copy.spec.selector)} covers ${list(covered)}; it must cover exactly the report pods (label app=report)`);
  const want = controllerStatus(copy, pods);
  const got = copy.status?.disruptionsAllowed;
  if (got !== want.disruptionsAllowed) {
    throw new AssertionError(`status.disruptionsAllowed is ${JSON.stringify(got)}, but the disruption controller would write ${want.disruptionsAllowed} (${want.currentHealthy} healthy, ${want.desiredHealthy} desired): DefaultPreemption trusts the status and never reads the spec`);
  }
  if (want.disruptionsAllowed > 0) throw new AssertionError(`the PDB allows ${want.disruptionsAllowed} disruption(s) (${want.currentHealthy} healthy, ${want.desiredHealthy} desired): one report pod may still go. Allow none.`);
  return copy;
}

export const pdbMovesPreemption = check(
  'Your PDB protects both report pods, its status is what the disruption controller would write, and you predict where critical now preempts',
  async ({ learner, seed, log }) => {
    const pdb = learnerPdb(learner);
    const p = predictionsOf(learner).withPdb;
    if (!p || isOpen(p.nominated) || isOpen(p.victims)) throw new AssertionError("Predict before you look: predictions.withPdb's nominated and victims are still '?'");
    const whole = await preempt(critical(), NODE_NAMES, [pdb], seed);
    const problems: string[] = [];
    if (p.nominated !== whole.nominated) problems.push(`the nominated node is now ${whole.nominated}, not ${JSON.stringify(p.nominated)}`);
    if (!sameSet(p.victims, whole.victims)) problems.push(`the victims are now ${list(whole.victims)}, not ${JSON.stringify(p.victims)}`);
    if (!problems.length) return;
    log(`the candidates with your PDB (each node alone):\n${(await candidates([pdb], seed)).text}\n`);
    log(cycleTable(whole.r));
    throw new AssertionError(`with your PDB (the candidates and the cycle are printed above):\n  - ${problems.join('\n  - ')}\n  A candidate that violates a PDB loses to any that does not, before priorities are compared.`);
  },
  { hint: 'On node-c, evicting either report pod now breaks the budget. The first criterion of pickOneNodeForPreemption is the number of PDB violations; among the nodes with none, the usual order applies.' },
);

export const neverPreempts = check(
  'nightly has priority 1000 and preemptionPolicy Never: no nomination, no victims',
  async ({ learner, seed, log }) => {
    const n = learner.nightly as Pod | undefined;
    if (!n || typeof n !== 'object' || !n.spec) throw new AssertionError('main.ts must export `nightly`, the pod object (call .obj() on the builder)');
    const pod = podCopy(n);
    if (pod.spec.nodeName) throw new AssertionError('nightly sets spec.nodeName: that skips the scheduler, and the queue, altogether');
    if (pod.spec.priority !== 1000) throw new AssertionError(`nightly's spec.priority is ${JSON.stringify(pod.spec.priority)}: give it 1000, so the queue sorts it before the low-priority work`);
    const p = predictionsOf(learner).nightly;
    if (!p || isOpen(p.nominated) || isOpen(p.victims)) throw new AssertionError("Predict before you look: predictions.nightly's nominated and victims are still '?'");
    const r = await preempt(pod, NODE_NAMES, [], seed);
    if (r.nominated !== 'none' || r.victims.length) {
      log(cycleTable(r.r));
      throw new AssertionError(`nightly (preemptionPolicy ${JSON.stringify(pod.spec.preemptionPolicy ?? 'PreemptLowerPriority (the default)')}) was nominated to ${r.nominated} and evicts ${list(r.victims)}: at priority 1000 it may preempt every running pod. Forbid it.`);
    }
    const msg = r.r.message ?? '';
    if (!msg.includes('preemption: not eligible due to preemptionPolicy=Never.')) {
      log(cycleTable(r.r));
      throw new AssertionError(`nightly evicts nobody, but not because of its preemption policy: the message is ${JSON.stringify(msg)}`);
    }
    const problems: string[] = [];
    if (p.nominated !== 'none') problems.push(`it is nominated to no node ('none'), not ${JSON.stringify(p.nominated)}`);
    if (!sameSet(p.victims, [])) problems.push(`it evicts nobody ([]), not ${JSON.stringify(p.victims)}`);
    if (problems.length) {
      log(cycleTable(r.r));
      throw new AssertionError(`your prediction for nightly differs (FailedScheduling: "${msg}"):\n  - ${problems.join('\n  - ')}`);
    }
  },
  { hint: "The policy lives in the pod's spec (admission copies it from the PriorityClass). With Never, the pod waits like any unschedulable pod — first in the queue, but for room to free itself." },
);
