/**
 * Which candidate node to preempt on. Upstream: pkg/scheduler/framework/preemption/preemption.go
 * (pickOneNodeForPreemption).
 */
import type { Victims } from './candidate';
import { earliestPodStartTime, podPriority } from './pod_util';

/** Scores a node; higher is better. int64 in Go, bigint here. */
export type NodeScoreFunc = (node: string) => bigint;

const MinInt64 = -(1n << 63n);
/** Go: `math.MaxInt32 + 1`: lifts every priority to >= 0 before summing. */
const priorityOffset = 2147483648n;

/** The default criteria, in order: fewest PDB violations, lowest highest-victim priority, smallest priority sum, fewest victims, latest start of the most important victims. */
export function defaultScoreFuncs(nodesToVictims: Map<string, Victims>): NodeScoreFunc[] {
  const v = (node: string): Victims => nodesToVictims.get(node)!;
  return [
    (node) => -BigInt(v(node).numPDBViolations),
    (node) => -BigInt(podPriority(v(node).pods[0])),
    (node) => {
      let sum = 0n;
      for (const p of v(node).pods) sum += BigInt(podPriority(p)) + priorityOffset;
      return -sum;
    },
    (node) => -BigInt(v(node).pods.length),
    (node) => earliestPodStartTime(v(node).pods) ?? MinInt64,
  ];
}

/**
 * Each score function keeps the nodes with the highest score; the first function that leaves a
 * single node decides, else the first remaining node wins. Upstream collects the nodes from a Go
 * map, so "first" is random there; here it is the candidates' order (insertion order of the map).
 * Upstream: preemption.go (pickOneNodeForPreemption)
 */
export function pickOneNodeForPreemption(nodesToVictims: Map<string, Victims>, scoreFuncs: NodeScoreFunc[] | null): string {
  if (nodesToVictims.size === 0) return '';
  let all = [...nodesToVictims.keys()];
  const funcs = scoreFuncs && scoreFuncs.length ? scoreFuncs : defaultScoreFuncs(nodesToVictims);
  for (const f of funcs) {
    let selected: string[] = [];
    let max = MinInt64;
    for (const node of all) {
      const score = f(node);
      if (score > max) {
        max = score;
        selected = [];
      }
      if (score === max) selected.push(node);
    }
    if (selected.length === 1) return selected[0];
    all = selected;
  }
  return all[0];
}
