/**
 * One scheduling attempt: pkg/scheduler/schedule_one.go at v1.34 (`schedulePod`,
 * `findNodesThatFitPod`, `evaluateNominatedNode`, `findNodesThatPassFilters`,
 * `numFeasibleNodesToFind`, `findNodesThatPassExtenders`, `prioritizeNodes`, `selectHost`).
 * Upstream filters nodes on 16 goroutines and stops them once enough nodes fit; the model
 * walks the same round-robin order one node at a time and stops at the same count, so it
 * evaluates the fewest nodes the parallel search could have.
 */
import type { Pod } from '../api/core/v1';
import type { Extender } from './config/types';
import { MaxExtenderPriority } from './config/types';
import { CycleState } from './framework/cycle_state';
import { Diagnosis, ErrNoNodesAvailable, ExtenderName, FitError } from './framework/diagnosis';
import { MaxNodeScore } from './framework/interface';
import type { Framework, NodePluginScores } from './framework/runtime/framework';
import type { CycleRecord } from './framework/runtime/record';
import { asError, isRejected, isSuccess, newStatus } from './framework/status';
import type { NodeInfo } from './framework/types';
import type { Snapshot } from './backend/cache/snapshot';

/** Go: `minFeasibleNodesToFind`, `minFeasibleNodesPercentageToFind`, `numberOfHighestScoredNodesToReport`. */
export const minFeasibleNodesToFind = 100;
export const minFeasibleNodesPercentageToFind = 5;
export const numberOfHighestScoredNodesToReport = 3;

/** What schedulePod needs of the scheduler around it. */
export interface ScheduleContext {
  snapshot: Snapshot;
  extenders: Extender[];
  /** The scheduler-wide percentageOfNodesToScore (0 = adaptive). */
  percentageOfNodesToScore: number;
  /** Where the round-robin node search starts; updated after each attempt. */
  nextStartNodeIndex: number;
  rng: { int(n: number): number };
}

/** Go: `ScheduleResult`. */
export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/**
 * How many feasible nodes to find before scoring: every node below 100; otherwise the
 * percentage (adaptive: 50 - nodes/125, floored at 5 %), and never fewer than 100.
 * Upstream: pkg/scheduler/schedule_one.go (numFeasibleNodesToFind)
 */
export function numFeasibleNodesToFind(profilePercentage: number | undefined, schedulerPercentage: number, numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let percentage = profilePercentage ?? schedulerPercentage;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < minFeasibleNodesPercentageToFind) percentage = minFeasibleNodesPercentageToFind;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < minFeasibleNodesToFind ? minFeasibleNodesToFind : numNodes;
}

/** Upstream: pkg/scheduler/schedule_one.go (findNodesThatPassFilters) */
export function findNodesThatPassFilters(
  ctx: ScheduleContext, fwk: Framework, state: CycleState, pod: Pod, diagnosis: Diagnosis, nodes: NodeInfo[], rec?: CycleRecord,
): NodeInfo[] {
  const numAllNodes = nodes.length;
  const numNodesToFind = numFeasibleNodesToFind(fwk.percentageOfNodesToScore, ctx.percentageOfNodesToScore, numAllNodes);
  const feasible: NodeInfo[] = [];
  if (!fwk.hasFilterPlugins()) {
    for (let i = 0; i < numNodesToFind; i++) feasible.push(nodes[(ctx.nextStartNodeIndex + i) % numAllNodes]);
    return feasible;
  }
  for (let i = 0; i < numAllNodes && feasible.length < numNodesToFind; i++) {
    const nodeInfo = nodes[(ctx.nextStartNodeIndex + i) % numAllNodes];
    const status = fwk.runFilterPluginsWithNominatedPods(state, pod, nodeInfo, rec);
    if (status && status.code === 'Error') throw asError(status)!;
    if (isSuccess(status)) {
      feasible.push(nodeInfo);
    } else {
      diagnosis.nodeToStatus.set(nodeInfo.name, status!);
      diagnosis.addPluginStatus(status!);
    }
  }
  return feasible;
}

/** Upstream: pkg/scheduler/schedule_one.go (findNodesThatPassExtenders) */
export function findNodesThatPassExtenders(extenders: Extender[], pod: Pod, feasible: NodeInfo[], diagnosis: Diagnosis): NodeInfo[] {
  let nodes = feasible;
  for (const ext of extenders) {
    if (nodes.length === 0) break;
    if (!ext.filter) continue;
    let res: ReturnType<NonNullable<Extender['filter']>>;
    try {
      res = ext.filter(pod, nodes.map((n) => n.node!));
    } catch (e) {
      res = { nodes: [], error: (e as Error).message };
    }
    if (res.error) {
      if (ext.ignorable) continue;
      throw new Error(res.error);
    }
    for (const [name, msg] of Object.entries(res.failedAndUnresolvableNodes ?? {})) diagnosis.nodeToStatus.set(name, newStatus('UnschedulableAndUnresolvable', msg));
    for (const [name, msg] of Object.entries(res.failedNodes ?? {})) {
      if (res.failedAndUnresolvableNodes?.[name] !== undefined) continue;
      diagnosis.nodeToStatus.set(name, newStatus('Unschedulable', msg));
    }
    const keep = new Set(res.nodes.map((n) => n.metadata.name));
    nodes = nodes.filter((n) => keep.has(n.name));
  }
  return nodes;
}

/** Upstream: pkg/scheduler/schedule_one.go (findNodesThatFitPod, evaluateNominatedNode) */
export function findNodesThatFitPod(ctx: ScheduleContext, fwk: Framework, state: CycleState, pod: Pod, rec?: CycleRecord): [NodeInfo[], Diagnosis] {
  const diagnosis = new Diagnosis();
  const allNodes = ctx.snapshot.nodeInfos().list();
  const [preRes, s, unscheduledPlugins] = fwk.runPreFilterPlugins(state, pod, rec);
  for (const p of unscheduledPlugins) diagnosis.unschedulablePlugins.add(p);
  if (!isSuccess(s)) {
    if (!isRejected(s)) throw asError(s)!;
    diagnosis.nodeToStatus.setAbsentNodesStatus(s!);
    diagnosis.preFilterMsg = s!.message();
    diagnosis.addPluginStatus(s!);
    return [[], diagnosis];
  }
  // A node nominated by an earlier preemption is likely the only one that fits: try it first.
  const nnn = pod.status?.nominatedNodeName;
  if (nnn) {
    const info = ctx.snapshot.nodeInfoMap.get(nnn);
    if (info?.node) {
      const one = findNodesThatPassExtenders(ctx.extenders, pod, findNodesThatPassFilters({ ...ctx, nextStartNodeIndex: 0 }, fwk, state, pod, diagnosis, [info], rec), diagnosis);
      if (one.length) return [one, diagnosis];
    }
  }
  let nodes = allNodes;
  if (preRes && preRes.nodeNames) {
    // Upstream ranges over a Go map here (random order); the model keeps the snapshot's order.
    nodes = allNodes.filter((n) => preRes.nodeNames!.has(n.name));
    diagnosis.nodeToStatus.setAbsentNodesStatus(newStatus('UnschedulableAndUnresolvable', `node(s) didn't satisfy plugin(s) [${[...unscheduledPlugins].sort().join(' ')}]`));
  }
  let feasible: NodeInfo[] = [];
  try {
    feasible = findNodesThatPassFilters(ctx, fwk, state, pod, diagnosis, nodes, rec);
  } finally {
    // Every node gets its turn: the next search starts where this one stopped.
    const processed = feasible.length + diagnosis.nodeToStatus.len();
    if (allNodes.length) ctx.nextStartNodeIndex = (ctx.nextStartNodeIndex + processed) % allNodes.length;
  }
  const afterExtenders = findNodesThatPassExtenders(ctx.extenders, pod, feasible, diagnosis);
  if (afterExtenders.length !== feasible.length) diagnosis.unschedulablePlugins.add(ExtenderName);
  return [afterExtenders, diagnosis];
}

/** Upstream: pkg/scheduler/schedule_one.go (prioritizeNodes) */
export function prioritizeNodes(ctx: ScheduleContext, fwk: Framework, state: CycleState, pod: Pod, nodes: NodeInfo[], rec?: CycleRecord): NodePluginScores[] {
  const extenders = ctx.extenders.filter((e) => e.prioritize);
  if (extenders.length === 0 && !fwk.hasScorePlugins()) return nodes.map((n) => ({ name: n.name, scores: [], totalScore: 1 }));
  const pre = fwk.runPreScorePlugins(state, pod, nodes, rec);
  if (!isSuccess(pre)) throw asError(pre)!;
  const [scores, st] = fwk.runScorePlugins(state, pod, nodes, rec);
  if (!isSuccess(st)) throw asError(st)!;
  if (extenders.length && nodes.length) {
    const byNode = new Map<string, { name: string; score: number }[]>();
    for (const ext of extenders) {
      let list;
      try {
        list = ext.prioritize!(pod, nodes.map((n) => n.node!));
      } catch {
        continue; // Upstream logs a prioritize error and lets the others decide.
      }
      const weight = ext.weight ?? 1;
      for (const hp of list) {
        const finalScore = hp.score * weight * Math.trunc(MaxNodeScore / MaxExtenderPriority);
        let arr = byNode.get(hp.host);
        if (!arr) byNode.set(hp.host, (arr = []));
        arr.push({ name: ext.urlPrefix, score: finalScore });
        if (rec) (rec.extenderScore[hp.host] ??= {})[ext.urlPrefix] = finalScore;
      }
    }
    for (const ns of scores) {
      for (const s of byNode.get(ns.name) ?? []) {
        ns.scores.push(s);
        ns.totalScore += s.score;
      }
    }
  }
  return scores;
}

/** Go's container/heap over `less`, so ties pop in the order Go's heap pops them. */
function goHeap<T>(items: T[], less: (a: T, b: T) => boolean): { pop(): T; len(): number } {
  const h = items;
  const down = (i0: number, n: number): void => {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && less(h[j2], h[j1])) j = j2;
      if (!less(h[j], h[i])) break;
      const t = h[i];
      h[i] = h[j];
      h[j] = t;
      i = j;
    }
  };
  for (let i = Math.trunc(h.length / 2) - 1; i >= 0; i--) down(i, h.length);
  return {
    len: () => h.length,
    pop: () => {
      const n = h.length - 1;
      const t = h[0];
      h[0] = h[n];
      h[n] = t;
      down(0, n);
      return h.pop()!;
    },
  };
}

/**
 * The highest total score wins; among equals, reservoir sampling picks each with equal chance
 * (the seeded rng stands for Go's math/rand). Returns the host and the top `count` nodes.
 * Upstream pops the heap until it has `count` nodes and no more ties, which with more ties than
 * `count` means every node. The model counts the ties first, draws the same numbers from the rng
 * in the same order, and pops only as far as the chosen tie and the top `count`: the pops it
 * skips could not change the answer.
 * Upstream: pkg/scheduler/schedule_one.go (selectHost)
 */
export function selectHost(list: NodePluginScores[], count: number, rng: { int(n: number): number }): [string, NodePluginScores[]] {
  if (list.length === 0) throw new Error('empty priorityList');
  let maxScore = list[0].totalScore;
  for (const ns of list) if (ns.totalScore > maxScore) maxScore = ns.totalScore;
  let cntOfMaxScore = 0;
  for (const ns of list) if (ns.totalScore === maxScore) cntOfMaxScore++;
  let selectedIndex = 0;
  for (let cnt = 2; cnt <= cntOfMaxScore; cnt++) if (rng.int(cnt) === 0) selectedIndex = cnt - 1;
  const h = goHeap([...list], (a, b) => a.totalScore > b.totalScore);
  const sorted: NodePluginScores[] = [];
  const need = Math.max(selectedIndex + 1, count);
  while (h.len() > 0 && sorted.length < need) sorted.push(h.pop());
  if (selectedIndex !== 0) [sorted[0], sorted[selectedIndex]] = [sorted[selectedIndex], sorted[0]];
  return [sorted[0].name, sorted.slice(0, count)];
}

/**
 * Filters, scores and picks a node; throws FitError when none fits.
 * Upstream: pkg/scheduler/schedule_one.go (schedulePod)
 */
export function schedulePod(ctx: ScheduleContext, fwk: Framework, state: CycleState, pod: Pod, rec?: CycleRecord): ScheduleResult {
  const numAllNodes = ctx.snapshot.numNodes();
  if (rec) rec.numAllNodes = numAllNodes;
  if (numAllNodes === 0) throw new Error(ErrNoNodesAvailable);
  const [feasible, diagnosis] = findNodesThatFitPod(ctx, fwk, state, pod, rec);
  if (feasible.length === 0) {
    if (rec) rec.evaluatedNodes = diagnosis.preFilterMsg ? numAllNodes : diagnosis.nodeToStatus.len();
    throw new FitError(pod.metadata.name ?? '', numAllNodes, diagnosis);
  }
  if (feasible.length === 1) {
    const r = { suggestedHost: feasible[0].name, evaluatedNodes: 1 + diagnosis.nodeToStatus.len(), feasibleNodes: 1 };
    if (rec) Object.assign(rec, { evaluatedNodes: r.evaluatedNodes, feasibleNodes: 1, topNodes: [{ name: r.suggestedHost, totalScore: 0 }] });
    return r;
  }
  const priorityList = prioritizeNodes(ctx, fwk, state, pod, feasible, rec);
  if (rec) for (const ns of priorityList) rec.finalScore[ns.name] = ns.totalScore;
  const [host, top] = selectHost(priorityList, numberOfHighestScoredNodesToReport, ctx.rng);
  const r = { suggestedHost: host, evaluatedNodes: feasible.length + diagnosis.nodeToStatus.len(), feasibleNodes: feasible.length };
  if (rec) Object.assign(rec, { evaluatedNodes: r.evaluatedNodes, feasibleNodes: r.feasibleNodes, topNodes: top.map((t) => ({ name: t.name, totalScore: t.totalScore })) });
  return r;
}

export { CycleState };
