import { explainCycle, makeNode, makePod, runSchedulingCycle, type Pod, type TopologySpreadConstraint } from 'kubelab';

const ZONE = 'topology.kubernetes.io/zone';

// ---- The cluster: three zones of unequal size ----
const nodes = [
  makeNode().name('a1').label(ZONE, 'a').capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj(),
  makeNode().name('a2').label(ZONE, 'a').capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj(),
  makeNode().name('b1').label(ZONE, 'b').capacity({ cpu: '4', memory: '16Gi', pods: '110' }).obj(),
  makeNode().name('c1').label(ZONE, 'c').capacity({ cpu: '2', memory: '8Gi', pods: '110' }).obj(),
];

// ---- Step 1: spread the web Deployment's pods evenly over the zones ----
// One constraint: maxSkew, topologyKey, whenUnsatisfiable, labelSelector.
export const spread: TopologySpreadConstraint | null = null;

/** Replica i of the web Deployment, as its ReplicaSet would create it. */
function webPod(i: number, constraints: TopologySpreadConstraint[]): Pod {
  const pod = makePod().name(`web-${i}`).uid(`web-${i}`).label('app', 'web').req({ cpu: '1', memory: '1Gi' }).obj();
  if (constraints.length) pod.spec.topologySpreadConstraints = constraints.map((c) => ({ ...c }));
  return pod;
}

// ---- Steps 2 and 3: predict ----
export const predictions = {
  // With your constraint: the first replica (1-based) that stays Pending, the pods per zone at
  // that moment, and the Filter plugin that rejects it on each node.
  firstPending: '?',
  zones: { a: '?', b: '?', c: '?' },
  rejectedBy: { a1: '?', a2: '?', b1: '?', c1: '?' },
  // How many of the 10 replicas run in each variant (step 3).
  placed: {
    scheduleAnyway: '?',
    minDomains4: '?',
    systemDefaults: '?',
  },
};

// ---- Run me: ten replicas, one cycle each, every bound pod counted by the next cycles ----
function place(constraints: TopologySpreadConstraint[], replicas: number): void {
  const bound: Pod[] = [];
  for (let i = 1; i <= replicas; i++) {
    const pod = webPod(i, constraints);
    const r = runSchedulingCycle({ pod, nodes, pods: bound });
    if (!r.selectedNode) {
      console.log(`web-${i} is Pending:\n${explainCycle(r.record, new Map(Object.entries(r.weights)))}\n`);
      continue;
    }
    bound.push({ ...pod, spec: { ...pod.spec, nodeName: r.selectedNode } });
    const zones: Record<string, number> = {};
    for (const p of bound) {
      const zone = nodes.find((n) => n.metadata.name === p.spec.nodeName)!.metadata.labels![ZONE];
      zones[zone] = (zones[zone] ?? 0) + 1;
    }
    console.log(`web-${i} -> ${r.selectedNode}   per zone: ${Object.entries(zones).sort().map(([z, n]) => `${z}=${n}`).join(' ')}`);
  }
}
place(spread ? [spread] : [], 10);
