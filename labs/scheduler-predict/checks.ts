/**
 * Checks of the scheduler-predict lab. The judge is the scheduler model itself
 * (src/sim/scheduler, kube-scheduler v1.34 with its default profile): every prediction is
 * compared with runSchedulingCycle on the check's own copy of the cluster, and a wrong one is
 * explained with the cycle's node table and the plugin that decided.
 */
import { AssertionError } from 'chai';
import { check } from '../../src/lab/checks';
import { cycleTable, podCopy, rejection, scoreDifference } from '../../src/lab/scheduler-lab';
import type { Node, Pod } from '../../src/sim/api/core/v1';
import { makeNode, makePod, runSchedulingCycle, type SchedulingCycleResult } from '../../src/sim/index';

const ZONE = 'topology.kubernetes.io/zone';

/** The cluster of main.ts: five nodes, three pods already running. Built fresh for every use. */
export function clusterNodes(): Node[] {
  return [
    makeNode().name('node-a1').label(ZONE, 'a').capacity({ cpu: '4', memory: '8Gi', pods: '110' }).obj(),
    makeNode().name('node-a2').label(ZONE, 'a').label('gpu', 'true').capacity({ cpu: '8', memory: '32Gi', pods: '110' }).taints([{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]).obj(),
    makeNode().name('node-b1').label(ZONE, 'b').capacity({ cpu: '8', memory: '16Gi', pods: '110' }).obj(),
    makeNode().name('node-b2').label(ZONE, 'b').label('disktype', 'ssd').capacity({ cpu: '2', memory: '4Gi', pods: '110' }).obj(),
    makeNode().name('node-c1').label(ZONE, 'c').capacity({ cpu: '16', memory: '64Gi', pods: '110' }).unschedulable().obj(),
  ];
}

export function runningPods(): Pod[] {
  return [
    makePod().name('db-0').node('node-a1').req({ cpu: '2', memory: '4Gi' }).obj(),
    makePod().name('queue-0').node('node-b1').req({ cpu: '2', memory: '2Gi' }).obj(),
    makePod().name('cache-0').node('node-b2').req({ cpu: '1', memory: '3Gi' }).obj(),
  ];
}

/** The four pods to predict, as main.ts declares them. */
export function podsToPredict(): Record<string, Pod> {
  return {
    web: makePod().name('web').req({ cpu: '1', memory: '1Gi' }).obj(),
    'ssd-cache': makePod().name('ssd-cache').nodeSelector({ disktype: 'ssd' }).req({ cpu: '500m', memory: '512Mi' }).obj(),
    api: makePod().name('api').preferredNodeAffinity(50, [{ key: ZONE, operator: 'In', values: ['a'] }]).req({ cpu: '1', memory: '1Gi' }).obj(),
    trainer: makePod().name('trainer').nodeSelector({ gpu: 'true' }).req({ cpu: '2', memory: '4Gi' }).obj(),
  };
}

/** One cycle for `pod` alone against `nodes` and the running pods. */
export function schedule(pod: Pod, nodes: Node[] = clusterNodes(), seed = 1): SchedulingCycleResult {
  return runSchedulingCycle({ pod, nodes, pods: runningPods(), rng: seed });
}

const NODE_NAMES = clusterNodes().map((n) => n.metadata.name!);

/** What is wrong with one placement prediction, in a sentence (undefined when right). */
function placementProblem(name: string, predicted: unknown, r: SchedulingCycleResult): string | undefined {
  const actual = r.selectedNode ?? 'none';
  if (predicted === actual) return undefined;
  if (typeof predicted !== 'string' || (predicted !== 'none' && !NODE_NAMES.includes(predicted))) {
    return `${name}: ${JSON.stringify(predicted)} is neither a node (${NODE_NAMES.join(', ')}) nor 'none'`;
  }
  if (!r.selectedNode) return `${name}: you predicted ${predicted}, but it fits no node: ${r.message}`;
  if (predicted === 'none') return `${name}: you predicted 'none', but ${r.record.feasibleNodes} node(s) pass every Filter; the scheduler chose ${actual}`;
  const rej = rejection(r, predicted);
  if (rej) return `${name}: you predicted ${predicted}, but the Filter plugin ${rej.plugin} rejects it there (${rej.reasons.join(', ') || rej.code}); the scheduler chose ${actual}`;
  return `${name}: you predicted ${predicted}, which passes the filters, but the scores decide: ${scoreDifference(r, actual, predicted)}`;
}

const FILTER_PLUGINS = new Set(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity', 'DynamicResources']);

/** What is wrong with trainer's predicted rejection on one node (undefined when right). */
function rejectionProblem(node: string, said: unknown, r: SchedulingCycleResult): string | undefined {
  const rej = rejection(r, node);
  if (said === (rej?.plugin ?? 'none')) return undefined;
  if (!rej) return `trainer on ${node}: you said ${JSON.stringify(said)}, but it passes every Filter there (write 'none')`;
  const skipped = typeof said === 'string' && FILTER_PLUGINS.has(said) && r.filter[node]?.[said] === undefined;
  return `trainer on ${node}: you said ${JSON.stringify(said)}, but ${rej.plugin} rejected it (${rej.reasons.join(', ')})${skipped ? `; ${said} never ran there: the framework stops at the first Filter that fails, in the profile's order` : ''}`;
}

export const predictsPlacement = check(
  'Predicts where each of the four pods lands, and which Filter plugin rejects trainer on each node',
  ({ learner, seed, log }) => {
    const p = learner.predictions as { node?: Record<string, unknown>; trainerRejectedBy?: Record<string, unknown> } | undefined;
    if (!p || typeof p !== 'object' || !p.node || !p.trainerRejectedBy) {
      throw new AssertionError('main.ts must export `predictions` with `node` (one entry per pod) and `trainerRejectedBy` (one entry per node)');
    }
    const pods = podsToPredict();
    const open = [...Object.keys(pods).filter((n) => p.node![n] === '?' || p.node![n] === undefined), ...NODE_NAMES.filter((n) => p.trainerRejectedBy![n] === '?' || p.trainerRejectedBy![n] === undefined).map((n) => `trainerRejectedBy['${n}']`)];
    if (open.length) throw new AssertionError(`Predict before you look: ${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} still '?'`);
    const problems: string[] = [];
    const tables = new Set<string>();
    for (const [name, pod] of Object.entries(pods)) {
      const r = schedule(pod, clusterNodes(), seed);
      const found = [placementProblem(name, p.node[name], r)];
      if (name === 'trainer') for (const node of NODE_NAMES) found.push(rejectionProblem(node, p.trainerRejectedBy[node], r));
      const wrong = found.filter((x): x is string => !!x);
      if (wrong.length) tables.add(cycleTable(r));
      problems.push(...wrong);
    }
    if (!problems.length) return;
    for (const t of tables) log(`${t}\n`);
    throw new AssertionError(`${problems.length} prediction(s) differ from the scheduler (the cycles are printed above):\n  - ${problems.join('\n  - ')}`);
  },
  { hint: 'Filters first, in the profile order (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, ...): the first to fail decides. Only the nodes that pass all of them are scored, and each score is multiplied by its plugin weight.' },
);

/** The learner's trainer pod, checked to be a pod the scheduler still has to place. */
function learnerTrainer(learner: Record<string, unknown>): Pod {
  const t = learner.trainer as Pod | undefined;
  if (!t || typeof t !== 'object' || !t.spec || !Array.isArray(t.spec.containers)) throw new AssertionError('main.ts must export `trainer`, the pod object (call .obj() on the builder)');
  const pod = podCopy(t);
  if (pod.spec.nodeName) throw new AssertionError(`trainer sets spec.nodeName = ${JSON.stringify(pod.spec.nodeName)}: that skips the scheduler (the kubelet just runs it). Leave nodeName empty and let the Filters choose.`);
  if (pod.spec.nodeSelector?.gpu !== 'true') throw new AssertionError('trainer must still ask for a GPU node: keep nodeSelector gpu=true (without it, it could land on any node)');
  return pod;
}

export const trainerLandsOnGpuNode = check(
  'trainer, still selecting gpu=true, lands on node-a2 — and stays off a GPU node that is cordoned',
  ({ learner, seed, log }) => {
    const pod = learnerTrainer(learner);
    const r = schedule(pod, clusterNodes(), seed);
    if (r.selectedNode !== 'node-a2') {
      log(cycleTable(r));
      const rej = rejection(r, 'node-a2');
      throw new AssertionError(`trainer went to ${r.selectedNode ?? 'no node'}, not node-a2${rej ? `: ${rej.plugin} still rejects node-a2 (${rej.reasons.join(', ')})` : ''}. The table is printed above.`);
    }
    // The same GPU node, cordoned for maintenance: kubectl cordon sets spec.unschedulable, and
    // NodeUnschedulable lets through only pods that tolerate node.kubernetes.io/unschedulable.
    const cordoned = clusterNodes().map((n) => (n.metadata.name === 'node-a2' ? { ...n, spec: { ...n.spec, unschedulable: true } } : n));
    const again = schedule(podCopy(pod), cordoned, seed);
    if (again.selectedNode) {
      log(cycleTable(again));
      throw new AssertionError(`with node-a2 cordoned, trainer still went to ${again.selectedNode}: its tolerations ${JSON.stringify(pod.spec.tolerations)} also tolerate node.kubernetes.io/unschedulable, so it walks onto cordoned nodes (as DaemonSet pods do). Tolerate only the taint you mean.`);
    }
  },
  { hint: "A taint keeps off every pod that does not tolerate it. Look at node-a2's taint — key, value and effect — and give trainer a toleration that matches exactly that one." },
);
