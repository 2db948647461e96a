import {
  calculateResource, loadSchedulerConfig, makeNode, makePod, rngFromSeed, runSchedulingCycle, SchedulerResource,
  type KubeSchedulerProfile, type Rng, type SchedulingCycleInput,
} from 'kubelab';

type Pod = SchedulingCycleInput['pod'];
type Node = SchedulingCycleInput['nodes'][number];

// ---- The cluster and the workload, in the order its pods arrive ----
const nodes: Node[] = ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => makeNode().name(n).capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj());
const sizes: [string, string][] = [['1', '2Gi'], ['500m', '1Gi'], ['1', '4Gi'], ['2', '2Gi'], ['500m', '512Mi'], ['1', '1Gi'], ['1500m', '3Gi'], ['1', '2Gi']];
const workload: Pod[] = sizes.map(([cpu, memory], i) => makePod().name(`job-${i}`).uid(`job-${i}`).req({ cpu, memory }).obj());
const big = makePod().name('big').uid('big').req({ cpu: '3', memory: '2Gi' }).obj();

// Step 1: before you fix anything, predict. With the default profile (LeastAllocated) and then
// with MostAllocated, how many of the four nodes does the workload use, and does \`big\` (3 CPUs)
// fit afterwards?
export const predictions = {
  leastAllocated: { nodesUsed: '?', bigFits: '?' },
  mostAllocated: { nodesUsed: '?', bigFits: '?' },
};

/** Step 2: schedule `workload` pod by pod; returns the bound pods (a pod that fits nowhere is left out). */
export function place(profile: KubeSchedulerProfile | undefined, nodes: Node[], workload: Pod[], rng: Rng): Pod[] {
  const bound: Pod[] = [];
  for (const pod of workload) {
    const r = runSchedulingCycle({ pod, nodes, pods: [], profile, rng });
    // TODO: bind the pod, so that the next cycles count it on its node.
    if (r.selectedNode) bound.push(pod);
  }
  return bound;
}

/** Step 3: how well the pods are packed. */
export function measure(nodes: Node[], pods: Pod[]) {
  // TODO: nodes with at least one pod; the CPU requested on them / their allocatable CPU; the most
  // free CPU on any one node (milliCPU); 1 - largest free / total free (0 when nothing is free).
  return { nodesUsed: 0, cpuUtilisation: 0, largestFreeMilliCPU: 0, fragmentation: 0 };
}

// Step 4: kube-scheduler --config. This one spells out what the default does.
export const binpackingConfig = `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: LeastAllocated
            resources:
              - name: cpu
                weight: 1
              - name: memory
                weight: 1
`;

// ---- Run me: the workload with the default profile, then with yours; then the big pod ----
const profiles: [string, KubeSchedulerProfile | undefined][] = [['LeastAllocated (default)', undefined], ['your configuration', loadSchedulerConfig(binpackingConfig).profiles![0]]];
for (const [label, profile] of profiles) {
  const bound = place(profile, nodes, workload, rngFromSeed(1));
  const m = measure(nodes, bound);
  const r = runSchedulingCycle({ pod: big, nodes, pods: bound, profile });
  console.log(`--- ${label}`);
  for (const n of nodes) console.log(`  ${n.metadata.name}: ${bound.filter((p) => p.spec.nodeName === n.metadata.name).map((p) => p.metadata.name).join(' ') || '(empty)'}`);
  console.log(`  ${m.nodesUsed} nodes used, ${(m.cpuUtilisation * 100).toFixed(0)}% of their CPU requested, largest free ${m.largestFreeMilliCPU}m, fragmentation ${m.fragmentation.toFixed(2)}`);
  console.log(`  big (3 CPU) -> ${r.selectedNode ?? `none: ${r.message}`}`);
}
