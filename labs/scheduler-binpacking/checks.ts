/**
 * Checks of the scheduler-binpacking lab. The learner's pod-by-pod placement loop and metrics are
 * compared with a reference loop over runSchedulingCycle (the scheduler model, kube-scheduler
 * v1.34) on random workloads; their KubeSchedulerConfiguration is loaded with
 * loadSchedulerConfig and must pack the lab's workload tighter than the default LeastAllocated.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction } from '../../src/lab/checks';
import type { Node, Pod } from '../../src/sim/api/core/v1';
import {
  calculateResource, loadSchedulerConfig, makeNode, makePod, rngFromSeed, runSchedulingCycle, SchedulerResource,
  type KubeSchedulerProfile, type Rng,
} from '../../src/sim/index';

export interface Metrics {
  nodesUsed: number;
  cpuUtilisation: number;
  largestFreeMilliCPU: number;
  fragmentation: number;
}
type Place = (profile: KubeSchedulerProfile | undefined, nodes: Node[], workload: Pod[], rng: Rng) => Pod[];
type Measure = (nodes: Node[], pods: Pod[]) => Metrics;

/** The lab's cluster: four nodes of 4 CPUs and 16 GiB. */
export function labNodes(): Node[] {
  return ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => makeNode().name(n).capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj());
}
/** The lab's workload, in the order it arrives. */
export function labWorkload(): Pod[] {
  const sizes: [string, string][] = [['1', '2Gi'], ['500m', '1Gi'], ['1', '4Gi'], ['2', '2Gi'], ['500m', '512Mi'], ['1', '1Gi'], ['1500m', '3Gi'], ['1', '2Gi']];
  return sizes.map(([cpu, memory], i) => makePod().name(`job-${i}`).uid(`job-${i}`).req({ cpu, memory }).obj());
}
/** The pod that arrives after the workload. */
export const bigPod = (): Pod => makePod().name('big').uid('big').req({ cpu: '3', memory: '2Gi' }).obj();

/** The reference loop: one cycle per pod, each bound pod counted by the next cycles. */
export function referencePlace(profile: KubeSchedulerProfile | undefined, nodes: Node[], workload: Pod[], rng: Rng): Pod[] {
  const bound: Pod[] = [];
  for (const pod of workload) {
    const r = runSchedulingCycle({ pod, nodes, pods: bound, profile, rng });
    if (r.selectedNode) bound.push({ ...pod, spec: { ...pod.spec, nodeName: r.selectedNode } });
  }
  return bound;
}

/** The reference metrics (see the lab's step 2). */
export function referenceMeasure(nodes: Node[], pods: Pod[]): Metrics {
  let used = 0;
  let usedAlloc = 0;
  let usedReq = 0;
  let largest = 0;
  let free = 0;
  for (const n of nodes) {
    const alloc = SchedulerResource.from(n.status?.allocatable).milliCPU;
    const mine = pods.filter((p) => p.spec.nodeName === n.metadata.name);
    const req = mine.reduce((s, p) => s + calculateResource(p).resource.milliCPU, 0);
    if (mine.length) {
      used++;
      usedAlloc += alloc;
      usedReq += req;
    }
    largest = Math.max(largest, alloc - req);
    free += alloc - req;
  }
  return { nodesUsed: used, cpuUtilisation: usedAlloc ? usedReq / usedAlloc : 0, largestFreeMilliCPU: largest, fragmentation: free ? 1 - largest / free : 0 };
}

/** Per node: allocatable CPU, then requested CPU and memory and pod count, sorted (ties between equal nodes may swap them). */
function loads(nodes: Node[], pods: Pod[]): string[] {
  return nodes
    .map((n) => {
      const mine = pods.filter((p) => p.spec?.nodeName === n.metadata.name);
      const cpu = mine.reduce((s, p) => s + calculateResource(p).resource.milliCPU, 0);
      const mem = mine.reduce((s, p) => s + calculateResource(p).resource.memory, 0);
      return `${SchedulerResource.from(n.status?.allocatable).milliCPU / 1000} CPU node: ${mine.length} pods, ${cpu}m CPU, ${mem / 2 ** 20} MiB`;
    })
    .sort();
}

/** A random workload on a random cluster (2 to 4 nodes of 4 or 8 CPUs). */
function randomCase(seed: number): { nodes: Node[]; workload: Pod[] } {
  const rng = rngFromSeed(seed);
  const nodes = Array.from({ length: 2 + rng.int(3) }, (_, i) => makeNode().name(`n${i}`).capacity({ cpu: rng.pick(['4', '8']), memory: '32Gi', pods: '110' }).obj());
  const workload = Array.from({ length: 6 + rng.int(6) }, (_, i) => makePod().name(`p${i}`).uid(`p${i}`).req({ cpu: rng.pick(['250m', '500m', '1', '1500m', '2', '3']), memory: rng.pick(['512Mi', '1Gi', '2Gi', '4Gi']) }).obj());
  return { nodes, workload };
}

const MOST: KubeSchedulerProfile = { pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } }] };

/** The lab's workload under a profile, as main.ts runs it (seed 1), and then the big pod. */
function labOutcome(profile: KubeSchedulerProfile | undefined, seed = 1) {
  const bound = referencePlace(profile, labNodes(), labWorkload(), rngFromSeed(seed));
  let r;
  try {
    r = runSchedulingCycle({ pod: bigPod(), nodes: labNodes(), pods: bound, profile, rng: seed });
  } catch (e) {
    throw new AssertionError(`the scheduler refused profiles[0]: ${(e as Error).message}`);
  }
  return { bound, metrics: referenceMeasure(labNodes(), bound), big: r.selectedNode, message: r.message };
}

export const predictsPacking = check(
  'Predicts how many nodes the workload uses and whether the 3-CPU pod fits afterwards, under LeastAllocated and MostAllocated',
  ({ learner }) => {
    const p = learner.predictions as Record<string, { nodesUsed?: unknown; bigFits?: unknown } | undefined> | undefined;
    if (!p || typeof p !== 'object') throw new AssertionError('main.ts must export `predictions`');
    const problems: string[] = [];
    for (const [key, profile] of [['leastAllocated', undefined], ['mostAllocated', MOST]] as const) {
      const said = p[key];
      if (!said || said.nodesUsed === '?' || said.bigFits === '?') {
        problems.push(`predictions.${key} is still '?'`);
        continue;
      }
      const o = labOutcome(profile);
      const layout = loads(labNodes(), o.bound).join('; ');
      if (said.nodesUsed !== o.metrics.nodesUsed) problems.push(`${key}: the workload uses ${o.metrics.nodesUsed} nodes, not ${JSON.stringify(said.nodesUsed)} (${layout})`);
      if (said.bigFits !== !!o.big) problems.push(`${key}: big ${o.big ? `fits (on ${o.big})` : 'fits nowhere'}, the largest free CPU on one node being ${o.metrics.largestFreeMilliCPU}m`);
    }
    if (problems.length) throw new AssertionError(problems.join('\n'));
  },
  { hint: 'LeastAllocated sends each pod to the node with the most room left; MostAllocated to the fullest node it fits on (CPU and memory averaged). Follow the eight pods by hand, then ask where 3 free CPUs are left.' },
);

export const placesPodByPod = check(
  'place() schedules the workload pod by pod, each bound pod counted by the next cycle — as the default profile and as MostAllocated would',
  ({ learner, seeds, log }) => {
    const place = exportedFunction<Place>(learner, 'place');
    for (const seed of seeds) {
      const { nodes, workload } = randomCase(seed);
      for (const [label, profile] of [['the default profile', undefined], ['MostAllocated', MOST]] as const) {
        const yours = place(profile, nodes, workload.map((p) => structuredClone(p)), rngFromSeed(seed));
        if (!Array.isArray(yours)) throw new AssertionError(`place() must return the bound pods (an array), got ${typeof yours}`);
        const want = loads(nodes, referencePlace(profile, nodes, workload, rngFromSeed(seed)));
        const got = loads(nodes, yours);
        if (JSON.stringify(got) === JSON.stringify(want)) continue;
        log(`seed ${seed}, ${label}, workload: ${workload.map((p) => `${p.metadata.name} ${p.spec.containers[0].resources!.requests!.cpu} CPU`).join(', ')}`);
        const unbound = yours.filter((p) => !p?.spec?.nodeName).length;
        throw new AssertionError(
          `seed ${seed}, ${label}: the nodes end up as\n    ${got.join('\n    ')}\n  but the scheduler, pod by pod, leaves them as\n    ${want.join('\n    ')}` +
            (unbound ? `\n  ${unbound} returned pod(s) have no spec.nodeName: a bound pod names its node` : ''),
        );
      }
    }
  },
  { hint: 'A cycle sees only the pods you pass in `pods`, and counts a pod on a node only when its spec.nodeName says so. After each cycle, the pod you bind must be among them. Pass `rng` to every cycle: ties are broken at random.' },
);

const close = (a: unknown, b: number) => typeof a === 'number' && Math.abs(a - b) < 1e-9;

export const measuresFragmentation = check(
  'measure() reports the nodes in use, their CPU utilisation, the largest free CPU on one node and the fragmentation',
  ({ learner, seeds }) => {
    const measure = exportedFunction<Measure>(learner, 'measure');
    const cases = [
      { what: "the lab's workload, default profile", nodes: labNodes(), pods: referencePlace(undefined, labNodes(), labWorkload(), rngFromSeed(1)) },
      { what: 'an empty cluster', nodes: labNodes(), pods: [] as Pod[] },
      { what: 'two full nodes', nodes: labNodes().slice(0, 2), pods: ['node-1', 'node-2'].map((n) => makePod().name(`full-${n}`).node(n).req({ cpu: '4' }).obj()) },
      ...seeds.map((seed) => {
        const { nodes, workload } = randomCase(seed);
        return { what: `random case ${seed}, MostAllocated`, nodes, pods: referencePlace(MOST, nodes, workload, rngFromSeed(seed)) };
      }),
    ];
    for (const c of cases) {
      const got = measure(c.nodes, c.pods.map((p) => structuredClone(p)));
      const want = referenceMeasure(c.nodes, c.pods);
      for (const k of Object.keys(want) as (keyof Metrics)[]) {
        if (close(got?.[k], want[k])) continue;
        const layout = loads(c.nodes, c.pods).join('; ');
        throw new AssertionError(`${c.what} (${layout}): ${k} is ${JSON.stringify(got?.[k])}, expected ${want[k]}`);
      }
    }
  },
  { hint: 'calculateResource(pod).resource.milliCPU is what a pod requests; SchedulerResource.from(node.status.allocatable).milliCPU what a node offers. Utilisation counts only the nodes in use; fragmentation is 1 − largest free / total free (0 when nothing is free).' },
);

export const mostAllocatedPacks = check(
  'Your KubeSchedulerConfiguration switches NodeResourcesFit to MostAllocated: the workload uses fewer nodes, and the 3-CPU pod still fits afterwards',
  ({ learner, seed, log }) => {
    const text = learner.binpackingConfig;
    if (typeof text !== 'string') throw new AssertionError('main.ts must export `binpackingConfig`, the configuration as a YAML string');
    let profile: KubeSchedulerProfile | undefined;
    try {
      profile = loadSchedulerConfig(text).profiles?.[0];
    } catch (e) {
      throw new AssertionError(`kube-scheduler would not start with it: ${(e as Error).message}`);
    }
    if (!profile) throw new AssertionError('the configuration has no profiles: kube-scheduler would run the default one (LeastAllocated)');
    const entry = profile.pluginConfig?.find((c) => c.name === 'NodeResourcesFit');
    const fit = entry?.args as { scoringStrategy?: { type?: string } } | undefined;
    if (fit?.scoringStrategy?.type !== 'MostAllocated') {
      const where = !entry
        ? `profiles[0].pluginConfig has no entry named NodeResourcesFit (names: ${JSON.stringify((profile.pluginConfig ?? []).map((c) => c.name))})`
        : !fit ? "profiles[0]'s NodeResourcesFit entry has no args" : `profiles[0]'s NodeResourcesFit args.scoringStrategy.type is ${JSON.stringify(fit.scoringStrategy?.type)}`;
      throw new AssertionError(`${where}: NodeResourcesFit keeps its default, LeastAllocated; bin packing needs MostAllocated`);
    }
    const least = labOutcome(undefined, seed);
    const most = labOutcome(profile, seed);
    const report = (label: string, o: typeof least) => `${label}: ${o.metrics.nodesUsed} nodes used, largest free ${o.metrics.largestFreeMilliCPU}m CPU, fragmentation ${o.metrics.fragmentation.toFixed(2)}; big -> ${o.big ?? `none (${o.message})`}`;
    log(`${report('LeastAllocated (default)', least)}\n${report('your configuration', most)}`);
    if (most.bound.length !== least.bound.length) throw new AssertionError(`with your configuration only ${most.bound.length} of ${labWorkload().length} pods were placed`);
    if (!(most.metrics.nodesUsed < least.metrics.nodesUsed) || !most.big) {
      throw new AssertionError(`your configuration does not pack: ${report('', most).slice(2)} (the default: ${report('', least).slice(2)})`);
    }
  },
  { hint: "NodeResourcesFit's args (pluginConfig, name NodeResourcesFit) take scoringStrategy: { type, resources: [{ name, weight }] }. The YAML keys are the v1 field names, camelCase." },
);
