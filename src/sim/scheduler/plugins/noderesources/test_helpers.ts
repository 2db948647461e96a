/**
 * Fixtures shared by this folder's tests, after the helpers in upstream's noderesources tests
 * (fit_test.go: newResourcePod, newResourceInitPod, makeAllocatableResources; test_util.go:
 * makeNode) and a score runner in the shape of their loops.
 */
import type { Node, Pod, ResourceList } from '../../../api/core/v1';
import { CycleState } from '../../framework/cycle_state';
import type { Plugin } from '../../framework/interface';
import { codeOf, type Code } from '../../framework/status';
import { makeNode, makePod } from '../../testing/wrappers';
import { newTestHandle } from '../../testing/handle';

export const extendedResourceA = 'example.com/aaa';
export const extendedResourceB = 'example.com/bbb';
export const kubernetesIOResourceA = 'kubernetes.io/something';
export const kubernetesIOResourceB = 'subdomain.kubernetes.io/something';
export const hugePageResourceA = 'hugepages-2Mi';

/** Go: `framework.Resource` as the tables write it. */
export interface Usage {
  milliCPU?: number;
  memory?: number;
  ephemeralStorage?: number;
  scalar?: Record<string, number>;
}

function requestsOf(u: Usage): ResourceList {
  return {
    cpu: `${u.milliCPU ?? 0}m`,
    memory: u.memory ?? 0,
    pods: 0,
    'ephemeral-storage': u.ephemeralStorage ?? 0,
    ...(u.scalar ?? {}),
  };
}

/** One container per usage, each requesting every field (zeros included), as upstream's helper does. */
export function newResourcePod(...usage: Usage[]): Pod {
  const p = makePod();
  for (const u of usage) p.req(requestsOf(u));
  return p.obj();
}

export function newResourceInitPod(pod: Pod, ...usage: Usage[]): Pod {
  pod.spec.initContainers = usage.map((u, i) => ({ name: `init${i}`, resources: { requests: requestsOf(u) } }));
  return pod;
}

export function makeAllocatableResources(milliCPU: number, memory: number, pods: number, extendedA: number, storage: number, hugePageA: number): ResourceList {
  return {
    cpu: `${milliCPU}m`,
    memory,
    pods,
    [extendedResourceA]: extendedA,
    'ephemeral-storage': storage,
    [hugePageResourceA]: hugePageA,
  };
}

/** A node with these as capacity and allocatable (Go: `makeNode` in test_util.go); no `pods`. */
export function makeResourceNode(name: string, milliCPU: number, memory: number, extended?: Record<string, number>): Node {
  const rl: ResourceList = { ...(extended ?? {}), cpu: `${milliCPU}m`, memory };
  const n = makeNode().name(name).obj();
  n.status = { capacity: { ...rl }, allocatable: { ...rl } };
  return n;
}

export interface ScoreRun {
  scores: { name: string; score: number }[];
  codes: Code[];
  preScoreCode: Code;
}

/** PreScore (when asked) and Score over every node of a fresh snapshot, as the upstream loops do. */
export function runScore(plugin: Plugin, pod: Pod, nodes: Node[], existingPods: Pod[] = [], runPreScore = true): ScoreRun {
  const handle = newTestHandle({ pods: existingPods, nodes });
  const state = new CycleState();
  const infos = nodes.map((n) => handle.snapshot.nodeInfos().get(n.metadata.name ?? ''));
  let preScoreCode: Code = 'Success';
  if (runPreScore) preScoreCode = codeOf(plugin.preScore!(state, pod, infos));
  const scores: ScoreRun['scores'] = [];
  const codes: Code[] = [];
  if (preScoreCode === 'Skip') return { scores, codes, preScoreCode };
  for (const ni of infos) {
    const r = plugin.score!(state, pod, ni);
    const [score, status] = typeof r === 'number' ? [r, null] : r;
    scores.push({ name: ni.name, score });
    codes.push(codeOf(status));
  }
  return { scores, codes, preScoreCode };
}

/** Go: `defaultResources`, `extendedRes`, `extendedResourceSet` of the scoring tests. */
export const defaultResources = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
export const extendedRes = 'abc.com/xyz';
export const extendedResourceSet = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: extendedRes, weight: 1 }];

/** Each case carries `ref`: the upstream test and case it ports. */
export function refd<T extends { name: string }>(test: string, cases: T[]): (T & { ref: string })[] {
  return cases.map((c) => ({ ...c, ref: `${test}/${c.name}` }));
}
