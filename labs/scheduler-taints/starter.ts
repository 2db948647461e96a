import { explainCycle, makeNode, makePod, runSchedulingCycle, type Pod, type Taint } from 'kubelab';

// ---- The cluster: a control-plane node, a GPU pool, a spot node and two general nodes ----
const CONTROL_PLANE: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const GPU: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
const SPOT: Taint = { key: 'spot', value: 'true', effect: 'PreferNoSchedule' };
const nodes = [
  makeNode().name('cp-1').label('node-role.kubernetes.io/control-plane', '').capacity({ cpu: '4', memory: '16Gi', pods: '110' }).taints([CONTROL_PLANE]).obj(),
  makeNode().name('gpu-1').label('pool', 'gpu').capacity({ cpu: '16', memory: '64Gi', pods: '110', 'nvidia.com/gpu': '4' }).taints([GPU]).obj(),
  makeNode().name('spot-1').label('pool', 'spot').capacity({ cpu: '8', memory: '32Gi', pods: '110' }).taints([SPOT]).obj(),
  makeNode().name('general-1').label('pool', 'general').capacity({ cpu: '8', memory: '32Gi', pods: '110' }).obj(),
  makeNode().name('general-2').label('pool', 'general').capacity({ cpu: '8', memory: '32Gi', pods: '110' }).obj(),
];
const running = [
  makePod().name('db-0').node('general-1').req({ cpu: '4', memory: '8Gi' }).obj(),
  makePod().name('api-0').node('general-2').req({ cpu: '3', memory: '8Gi' }).obj(),
];

// ---- Step 1: predict where web lands, and TaintToleration's score on each node ----
const web = makePod().name('web').req({ cpu: '1', memory: '1Gi' }).obj();
// `node`: a node name, or 'none'. `taintToleration`: TaintToleration's score on each node after
// NormalizeScore (before its weight), or 'filtered' where a Filter plugin rejects web.
export const predictions = {
  web: {
    node: '?',
    taintToleration: { 'cp-1': '?', 'gpu-1': '?', 'spot-1': '?', 'general-1': '?', 'general-2': '?' },
  },
};

// ---- Steps 2-4: tolerations, and nothing else, so that each pod lands where it should ----
// Step 2: trainer must land on gpu-1.
export const trainer = makePod().name('trainer').nodeSelector({ pool: 'gpu' })
  .req({ cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' }).obj();
// Step 3: batch may run on spot capacity, and should land on spot-1.
export const batch = makePod().name('batch')
  .req({ cpu: '2', memory: '4Gi' }).obj();
// Step 4: the node-exporter DaemonSet must run on every node.
export const agent = makePod().name('node-exporter')
  .req({ cpu: '100m', memory: '128Mi' }).obj();

// ---- Step 5: gpu-1 becomes unreachable ----
// The node lifecycle controller taints it node.kubernetes.io/unreachable:NoExecute. Which of
// its pods does the taint-eviction controller delete, and how many seconds after the taint?
// A number of seconds (0: at once), or 'never'.
const tolerate = (seconds?: number) => ({ key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute' as const, ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });
const onGpu1: Pod[] = [
  // DefaultTolerationSeconds admission added the 300 s toleration to this one.
  makePod().name('trainer-0').node('gpu-1').toleration('nvidia.com/gpu', 'Exists', undefined, 'NoSchedule').tolerations([tolerate(300)]).obj(),
  makePod().name('dcgm-exporter').node('gpu-1').tolerations([{ operator: 'Exists' }]).obj(),
  makePod().name('legacy-job').node('gpu-1').toleration('nvidia.com/gpu', 'Exists').toleration('node.kubernetes.io/unreachable', 'Exists', undefined, 'NoSchedule').obj(),
  makePod().name('stateful-db').node('gpu-1').toleration('nvidia.com/gpu', 'Exists').tolerations([tolerate(30), tolerate()]).obj(),
  makePod().name('inference').node('gpu-1').toleration('nvidia.com/gpu', 'Exists').tolerations([tolerate()]).obj(),
];
export const evictions = { 'trainer-0': '?', 'dcgm-exporter': '?', 'legacy-job': '?', 'stateful-db': '?', inference: '?' };

// ---- Run me: one cycle per pod, and the node table that explains it ----
for (const pod of [web, trainer, batch, agent]) {
  const r = runSchedulingCycle({ pod, nodes, pods: running });
  console.log(`${pod.metadata.name} -> ${r.selectedNode ?? 'none'}`);
  console.log(explainCycle(r.record, new Map(Object.entries(r.weights))) + '\n');
}
console.log(`on gpu-1 when it becomes unreachable: ${onGpu1.map((p) => p.metadata.name).join(', ')}`);
