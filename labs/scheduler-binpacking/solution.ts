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
  leastAllocated: { nodesUsed: 4, bigFits: false },
  mostAllocated: { nodesUsed: 3, bigFits: true },
};

/** Step 2: schedule `workload` pod by pod; returns the bound pods (a pod that fits nowhere is left out). */
export function place(profile: KubeSchedulerProfile | undefined, nodes: Node[], workload: Pod[], rng: Rng): Pod[] {
  const bound: Pod[] = [];
  for (const pod of workload) {
    const r = runSchedulingCycle({ pod, nodes, pods: bound, profile, rng });
    // Binding is what the next cycle sees: the pod on its node, as the scheduler's cache assumes it.
    if (r.selectedNode) bound.push({ ...pod, spec: { ...pod.spec, nodeName: r.selectedNode } });
  }
  return bound;
}

/** Step 3: how well the pods are packed. */
export function measure(nodes: Node[], pods: Pod[]) {
  let nodesUsed = 0;
  let usedAllocatable = 0;
  let usedRequested = 0;
  let largestFreeMilliCPU = 0;
  let freeMilliCPU = 0;
  for (const node of nodes) {
    const allocatable = SchedulerResource.from(node.status?.allocatable).milliCPU;
    const mine = pods.filter((p) => p.spec.nodeName === node.metadata.name);
    const requested = mine.reduce((sum, p) => sum + calculateResource(p).resource.milliCPU, 0);
    if (mine.length > 0) {
      nodesUsed++;
      usedAllocatable += allocatable;
      usedRequested += requested;
    }
    largestFreeMilliCPU = Math.max(largestFreeMilliCPU, allocatable - requested);
    freeMilliCPU += allocatable - requested;
  }
  return {
    nodesUsed,
    cpuUtilisation: usedAllocatable > 0 ? usedRequested / usedAllocatable : 0,
    largestFreeMilliCPU,
    // The share of free CPU that no single pod can use at once: 0 when it is all on one node.
    fragmentation: freeMilliCPU > 0 ? 1 - largestFreeMilliCPU / freeMilliCPU : 0,
  };
}

// Step 4: kube-scheduler --config. NodeResourcesFit scores by MostAllocated: the fuller a node
// (cpu and memory, weighted alike), the higher.
export const binpackingConfig = `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
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
