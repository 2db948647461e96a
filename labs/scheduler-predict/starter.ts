import { explainCycle, getDefaultPlugins, makeNode, makePod, runSchedulingCycle } from 'kubelab';

const ZONE = 'topology.kubernetes.io/zone';

// ---- The cluster: five nodes, three pods already running ----
const nodes = [
  makeNode().name('node-a1').label(ZONE, 'a').capacity({ cpu: '4', memory: '8Gi', pods: '110' }).obj(),
  makeNode().name('node-a2').label(ZONE, 'a').label('gpu', 'true').capacity({ cpu: '8', memory: '32Gi', pods: '110' })
    .taints([{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]).obj(),
  makeNode().name('node-b1').label(ZONE, 'b').capacity({ cpu: '8', memory: '16Gi', pods: '110' }).obj(),
  makeNode().name('node-b2').label(ZONE, 'b').label('disktype', 'ssd').capacity({ cpu: '2', memory: '4Gi', pods: '110' }).obj(),
  makeNode().name('node-c1').label(ZONE, 'c').capacity({ cpu: '16', memory: '64Gi', pods: '110' }).unschedulable().obj(), // cordoned
];
const running = [
  makePod().name('db-0').node('node-a1').req({ cpu: '2', memory: '4Gi' }).obj(),
  makePod().name('queue-0').node('node-b1').req({ cpu: '2', memory: '2Gi' }).obj(),
  makePod().name('cache-0').node('node-b2').req({ cpu: '1', memory: '3Gi' }).obj(),
];

// ---- Four pods, each scheduled alone against the cluster above (default profile) ----
const web = makePod().name('web').req({ cpu: '1', memory: '1Gi' }).obj();
const ssdCache = makePod().name('ssd-cache').nodeSelector({ disktype: 'ssd' }).req({ cpu: '500m', memory: '512Mi' }).obj();
const api = makePod().name('api').preferredNodeAffinity(50, [{ key: ZONE, operator: 'In', values: ['a'] }]).req({ cpu: '1', memory: '1Gi' }).obj();
// Step 2: change only this pod so that it lands on node-a2.
export const trainer = makePod().name('trainer').nodeSelector({ gpu: 'true' }).req({ cpu: '2', memory: '4Gi' }).obj();

// Step 1: before you press Run, predict. `node`: a node name, or 'none' if the pod fits nowhere.
// `trainerRejectedBy`: for each node, the Filter plugin that rejects trainer there ('none' if none does).
export const predictions = {
  node: { web: '?', 'ssd-cache': '?', api: '?', trainer: '?' },
  trainerRejectedBy: { 'node-a1': '?', 'node-a2': '?', 'node-b1': '?', 'node-b2': '?', 'node-c1': '?' },
};

// ---- Run me: one scheduling cycle per pod, and the node table that explains it ----
// The default profile's Score weights (TaintToleration 3, NodeAffinity 2, ...), for the table.
const weights = new Map(getDefaultPlugins().multiPoint!.enabled!.map((p) => [p.name, p.weight ?? 1] as [string, number]));
for (const pod of [web, ssdCache, api, trainer]) {
  const r = runSchedulingCycle({ pod, nodes, pods: running });
  console.log(`${pod.metadata.name} -> ${r.selectedNode ?? 'none'}`);
  console.log(explainCycle(r.record, weights) + '\n');
}
