/**
 * Checks of the scheduler-taints lab. Placements are judged by the scheduler model
 * (runSchedulingCycle, kube-scheduler v1.34's default profile) on the check's own cluster.
 * NoExecute evictions are not the scheduler's work but the taint-eviction controller's
 * (kube-controller-manager); until the controllers module models it, `evictionAfter` below
 * computes its rule from the tolerations, as processPodOnNode does.
 */
import { AssertionError } from 'chai';
import { check } from '../../src/lab/checks';
import { cycleTable, podCopy, rejection, scoreDifference } from '../../src/lab/scheduler-lab';
import type { Node, Pod, Taint, Toleration } from '../../src/sim/api/core/v1';
import { makeNode, makePod, runSchedulingCycle, type SchedulingCycleResult } from '../../src/sim/index';
import { toleratesTaint } from '../../src/sim/scheduler/plugins/helper/taints';

const CONTROL_PLANE: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const GPU: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
const SPOT: Taint = { key: 'spot', value: 'true', effect: 'PreferNoSchedule' };
const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

/** The cluster of main.ts, fresh for every use. */
export function clusterNodes(): Node[] {
  return [
    makeNode().name('cp-1').label('node-role.kubernetes.io/control-plane', '').capacity({ cpu: '4', memory: '16Gi', pods: '110' }).taints([CONTROL_PLANE]).obj(),
    makeNode().name('gpu-1').label('pool', 'gpu').capacity({ cpu: '16', memory: '64Gi', pods: '110', 'nvidia.com/gpu': '4' }).taints([GPU]).obj(),
    makeNode().name('spot-1').label('pool', 'spot').capacity({ cpu: '8', memory: '32Gi', pods: '110' }).taints([SPOT]).obj(),
    makeNode().name('general-1').label('pool', 'general').capacity({ cpu: '8', memory: '32Gi', pods: '110' }).obj(),
    makeNode().name('general-2').label('pool', 'general').capacity({ cpu: '8', memory: '32Gi', pods: '110' }).obj(),
  ];
}
function runningPods(): Pod[] {
  return [
    makePod().name('db-0').node('general-1').req({ cpu: '4', memory: '8Gi' }).obj(),
    makePod().name('api-0').node('general-2').req({ cpu: '3', memory: '8Gi' }).obj(),
  ];
}
const NODE_NAMES = clusterNodes().map((n) => n.metadata.name!);

function schedule(pod: Pod, nodes: Node[] = clusterNodes(), seed = 1): SchedulingCycleResult {
  return runSchedulingCycle({ pod: podCopy(pod), nodes, pods: runningPods(), rng: seed });
}
const cordon = (nodes: Node[], name: string): Node[] => nodes.map((n) => (n.metadata.name === name ? { ...n, spec: { ...n.spec, unschedulable: true } } : n));
const shown = (ts: Toleration[] | undefined) => JSON.stringify(ts ?? []);

/** The learner's pod `name`, checked to be a pod the scheduler still has to place. */
function learnerPod(learner: Record<string, unknown>, name: string): Pod {
  const p = learner[name] as Pod | undefined;
  if (!p || typeof p !== 'object' || !p.spec || !Array.isArray(p.spec.containers)) throw new AssertionError(`main.ts must export \`${name}\`, the pod object (call .obj() on the builder)`);
  const pod = podCopy(p);
  if (pod.spec.nodeName) throw new AssertionError(`${name} sets spec.nodeName = ${JSON.stringify(pod.spec.nodeName)}: that skips the scheduler and its taint checks. Leave nodeName empty.`);
  return pod;
}

export const predictsTaintScores = check(
  "Predicts where web lands and TaintToleration's normalized score on each node",
  ({ learner, seed, log }) => {
    const p = (learner.predictions as { web?: { node?: unknown; taintToleration?: Record<string, unknown> } } | undefined)?.web;
    if (!p || !p.taintToleration) throw new AssertionError('main.ts must export `predictions.web` with `node` and `taintToleration` (one entry per node)');
    const open = [p.node === '?' ? 'web.node' : '', ...NODE_NAMES.filter((n) => p.taintToleration![n] === '?' || p.taintToleration![n] === undefined).map((n) => `taintToleration['${n}']`)].filter(Boolean);
    if (open.length) throw new AssertionError(`Predict before you look: ${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} still '?'`);
    const r = schedule(makePod().name('web').req({ cpu: '1', memory: '1Gi' }).obj(), clusterNodes(), seed);
    const problems: string[] = [];
    for (const n of NODE_NAMES) {
      const rej = rejection(r, n);
      const want = rej ? 'filtered' : r.score[n]?.TaintToleration;
      const said = p.taintToleration[n];
      if (said === want) continue;
      if (rej) problems.push(`${n}: ${rej.plugin} filters it out (${rej.reasons.join(', ')}), so no Score plugin ever sees it: write 'filtered'`);
      else if (said === 'filtered') problems.push(`${n}: it passes every Filter (a PreferNoSchedule taint never filters); TaintToleration scores it ${want}`);
      else problems.push(`${n}: TaintToleration scores it ${want} after NormalizeScore (raw ${r.record.score[n]?.TaintToleration?.raw} untolerated PreferNoSchedule taint(s)), not ${JSON.stringify(said)}`);
    }
    if (p.node !== (r.selectedNode ?? 'none')) {
      problems.push(typeof p.node === 'string' && r.finalScore[p.node] !== undefined
        ? `web goes to ${r.selectedNode}, not ${p.node}: ${scoreDifference(r, r.selectedNode!, p.node)}`
        : `web goes to ${r.selectedNode}, not ${JSON.stringify(p.node)}`);
    }
    if (!problems.length) return;
    log(cycleTable(r));
    throw new AssertionError(`${problems.length} prediction(s) differ from the scheduler (the cycle is printed above):\n  - ${problems.join('\n  - ')}`);
  },
  { hint: 'NoSchedule taints are Filter business: the node is out. PreferNoSchedule taints are Score business: TaintToleration counts the untolerated ones per node, and the node with the most gets 0, one with none 100 — then × 3.' },
);

export const trainerOnGpu = check(
  'trainer lands on gpu-1 — and stays Pending when gpu-1 is cordoned',
  ({ learner, seed, log }) => {
    const pod = learnerPod(learner, 'trainer');
    if (pod.spec.nodeSelector?.pool !== 'gpu') throw new AssertionError('trainer must still select the GPU pool: keep nodeSelector pool=gpu (a toleration lets a pod onto a node; it never pulls it there)');
    const r = schedule(pod, clusterNodes(), seed);
    if (r.selectedNode !== 'gpu-1') {
      log(cycleTable(r));
      const rej = rejection(r, 'gpu-1');
      throw new AssertionError(`trainer went to ${r.selectedNode ?? 'no node'}, not gpu-1${rej ? `: ${rej.plugin} rejects gpu-1 (${rej.reasons.join(', ')}) with tolerations ${shown(pod.spec.tolerations)}` : ''}. The table is printed above.`);
    }
    const again = schedule(pod, cordon(clusterNodes(), 'gpu-1'), seed);
    if (again.selectedNode) {
      log(cycleTable(again));
      throw new AssertionError(`with gpu-1 cordoned, trainer still went to ${again.selectedNode}: its tolerations ${shown(pod.spec.tolerations)} also tolerate node.kubernetes.io/unschedulable. Tolerate the GPU taint, not every taint.`);
    }
    if ((pod.spec.tolerations ?? []).some((t) => toleratesTaint(t, CONTROL_PLANE))) {
      throw new AssertionError(`trainer's tolerations ${shown(pod.spec.tolerations)} also tolerate ${CONTROL_PLANE.key}:NoSchedule: without its nodeSelector it could land on the control plane. Tolerate the GPU taint only.`);
    }
  },
  { hint: "Which Filter rejects trainer on gpu-1, and which taint does it name? A toleration matches a taint by key, value (operator Equal) and effect." },
);

export const batchOnSpot = check(
  'batch, tolerating the spot taint, lands on spot-1, the emptiest node',
  ({ learner, seed, log }) => {
    const pod = learnerPod(learner, 'batch');
    const r = schedule(pod, clusterNodes(), seed);
    if (r.selectedNode !== 'spot-1') {
      log(cycleTable(r));
      const spotScore = r.score['spot-1']?.TaintToleration;
      const why = spotScore === 0
        ? `TaintToleration still scores spot-1 0 (×3): its tolerations ${shown(pod.spec.tolerations)} do not count against spot=true:PreferNoSchedule at Score time`
        : r.selectedNode ? scoreDifference(r, r.selectedNode, 'spot-1') : r.message;
      throw new AssertionError(`batch went to ${r.selectedNode ?? 'no node'}, not spot-1: ${why}. The table is printed above.`);
    }
    const wide = [CONTROL_PLANE, GPU].filter((t) => (pod.spec.tolerations ?? []).some((x) => toleratesTaint(x, t)));
    if (wide.length) throw new AssertionError(`batch lands on spot-1, but its tolerations ${shown(pod.spec.tolerations)} also tolerate ${wide.map((t) => `${t.key}:${t.effect}`).join(' and ')}: a batch job on the control plane or on the GPU pool. Tolerate the spot taint only.`);
  },
  { hint: "TaintToleration's Score only counts tolerations whose effect is PreferNoSchedule or empty: a NoSchedule toleration does nothing for a PreferNoSchedule taint." },
);

/** The DaemonSet controller pins each of its pods to one node with a matchFields term. */
function pinned(pod: Pod, node: string): Pod {
  const p = podCopy(pod);
  p.metadata.name = `${pod.metadata.name}-${node}`;
  p.spec.affinity = { ...p.spec.affinity, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
  return p;
}

export const agentEverywhere = check(
  'node-exporter runs on every node, control plane and GPU pool included, pinned as a DaemonSet pins it',
  ({ learner, seed, log }) => {
    const pod = learnerPod(learner, 'agent');
    const missing: string[] = [];
    for (const n of NODE_NAMES) {
      const r = schedule(pinned(pod, n), clusterNodes(), seed);
      if (r.selectedNode === n) continue;
      const rej = rejection(r, n);
      missing.push(`${n}: ${rej ? `${rej.plugin}: ${rej.reasons.join(', ')}` : r.message}`);
      if (missing.length === 1) log(cycleTable(r));
    }
    if (missing.length) throw new AssertionError(`with tolerations ${shown(pod.spec.tolerations)}, the DaemonSet's pod cannot run on ${missing.length} node(s):\n  - ${missing.join('\n  - ')}`);
  },
  { hint: 'A node agent must run wherever there is a node, whatever taints come tomorrow. A toleration with no key and operator Exists matches every taint.' },
);

/**
 * Seconds after the NoExecute taints until the taint-eviction controller deletes the pod (0: at
 * once), or 'never'. Each taint takes the first toleration that tolerates it; the shortest
 * tolerationSeconds among those wins, and a taint nothing tolerates evicts at once.
 * Upstream: pkg/controller/tainteviction/taint_eviction.go (processPodOnNode, getMinTolerationTime)
 * and pkg/apis/core/v1/helper/helpers.go (GetMatchingTolerations)
 */
export function evictionAfter(tolerations: Toleration[], taints: Taint[]): number | 'never' {
  const used: Toleration[] = [];
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const t = tolerations.find((x) => toleratesTaint(x, taint));
    if (!t) return 0;
    used.push(t);
  }
  const seconds = used.map((t) => t.tolerationSeconds).filter((s): s is number => s !== undefined && s !== null);
  if (seconds.some((s) => s <= 0)) return 0;
  return seconds.length ? Math.min(...seconds) : 'never';
}

const unreachable = (seconds?: number): Toleration => ({ key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });
/** The pods on gpu-1 in main.ts, with their tolerations. */
export const GPU1_PODS: Record<string, Toleration[]> = {
  'trainer-0': [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, unreachable(300)],
  'dcgm-exporter': [{ operator: 'Exists' }],
  'legacy-job': [{ key: 'nvidia.com/gpu', operator: 'Exists' }, { key: UNREACHABLE.key, operator: 'Exists', effect: 'NoSchedule' }],
  'stateful-db': [{ key: 'nvidia.com/gpu', operator: 'Exists' }, unreachable(30), unreachable()],
  inference: [{ key: 'nvidia.com/gpu', operator: 'Exists' }, unreachable()],
};

function evictionReason(tolerations: Toleration[], taints: Taint[]): string {
  const t = tolerations.find((x) => toleratesTaint(x, UNREACHABLE));
  if (!t) return `no toleration tolerates ${UNREACHABLE.key}:NoExecute (a toleration with another effect does not count), so it is deleted at once`;
  const all = evictionAfter(tolerations, taints);
  return `its first toleration that matches is ${JSON.stringify(t)}: ${all === 'never' ? 'no tolerationSeconds, so it stays for good' : `deleted ${all} s after the taint`}`;
}

export const predictsEvictions = check(
  'Predicts which pods on gpu-1 the unreachable NoExecute taint evicts, and after how many seconds',
  ({ learner }) => {
    const said = learner.evictions as Record<string, unknown> | undefined;
    if (!said || typeof said !== 'object') throw new AssertionError('main.ts must export `evictions`: pod name -> seconds (0 for at once) or \'never\'');
    const open = Object.keys(GPU1_PODS).filter((n) => said[n] === '?' || said[n] === undefined);
    if (open.length) throw new AssertionError(`Predict before you look: ${open.join(', ')} ${open.length === 1 ? 'is' : 'are'} still '?'`);
    const taints = [GPU, UNREACHABLE];
    const problems = Object.entries(GPU1_PODS)
      .filter(([n, ts]) => said[n] !== evictionAfter(ts, taints))
      .map(([n, ts]) => `${n}: ${JSON.stringify(evictionAfter(ts, taints))}, not ${JSON.stringify(said[n])}: ${evictionReason(ts, taints)}`);
    if (problems.length) throw new AssertionError(`${problems.length} prediction(s) differ from the taint-eviction controller's rule:\n  - ${problems.join('\n  - ')}`);
  },
  { hint: 'Only NoExecute tolerations protect a running pod. For each NoExecute taint, the first toleration that matches it counts; no tolerationSeconds means forever.' },
);
