import { explainCycle, makeNode, makePod, runSchedulingCycle, settle, type Pod, type PodDisruptionBudget } from 'kubelab';

// ---- The cluster: three full nodes of 4 CPUs, running pods of low priority ----
const nodes = ['node-a', 'node-b', 'node-c'].map((n) => makeNode().name(n).capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj());
const running = (name: string, node: string, app: string, priority: number, cpu: string, startTime: string) =>
  makePod().name(name).uid(name).label('app', app).node(node).priority(priority).startTime(startTime).req({ cpu, memory: '1Gi' }).obj();
const pods = [
  running('batch-1', 'node-a', 'batch', 100, '2', '2026-03-01T10:00:00Z'),
  running('batch-2', 'node-a', 'batch', 100, '2', '2026-03-01T11:00:00Z'),
  running('web-1', 'node-b', 'web', 500, '2', '2026-03-01T09:00:00Z'),
  running('web-2', 'node-b', 'web', 500, '2', '2026-03-01T09:30:00Z'),
  running('report-1', 'node-c', 'report', 10, '1500m', '2026-03-01T08:00:00Z'),
  running('report-2', 'node-c', 'report', 10, '1500m', '2026-03-01T08:30:00Z'),
  running('cache-1', 'node-c', 'cache', 100, '1', '2026-03-01T07:00:00Z'),
];

// ---- The preemptor: priority 1000, 2 CPUs; it fits on no node as they are ----
const critical = makePod().name('critical').uid('critical').priority(1000).req({ cpu: '2', memory: '1Gi' }).obj();

// Step 1: on each node, the pods DefaultPreemption would evict for critical; then the node it nominates.
// `victims`: pod names per node; `nominated`: a node name, or 'none'.
export const predictions = {
  victims: { 'node-a': ['?'], 'node-b': ['?'], 'node-c': ['?'] },
  nominated: '?',
  // Step 2: the nominated node and its victims with your PDB.
  withPdb: { nominated: '?', victims: ['?'] },
  // Step 3: the same for nightly.
  nightly: { nominated: '?', victims: ['?'] },
};

// Step 2: protect the report pods: no voluntary disruption allowed.
export const pdb: PodDisruptionBudget = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'report', namespace: 'default' },
  spec: {},
};

// Step 3: a high-priority pod that jumps the queue but never evicts anyone.
export const nightly: Pod = makePod().name('nightly').uid('nightly').priority(1000)
  .req({ cpu: '2', memory: '1Gi' }).obj();

// ---- Run me ----
// The victims are deleted in the background after the cycle (as upstream's preemption does):
// settle() lets that finish before r.victims is read.
for (const [label, pod, pdbs] of [['critical', critical, []], ['critical with your PDB', critical, [pdb]], ['nightly', nightly, [pdb]]] as const) {
  const r = runSchedulingCycle({ pod, nodes, pods, podDisruptionBudgets: [...pdbs] });
  await settle();
  console.log(`--- ${label}: nominated ${r.nominatedNodeName ?? 'none'}, victims [${r.victims.join(', ')}]`);
  console.log(explainCycle(r.record, new Map(Object.entries(r.weights))) + '\n');
}
