// Mutants of the scheduler-taints lab: the guesses a learner plausibly makes about NoSchedule and
// PreferNoSchedule, tolerations that work for the wrong reason or not at all, and the NoExecute
// rule misread (the most lenient toleration, a NoSchedule toleration that protects).
import { defineMutants } from './mutants';

const lab = 'scheduler-taints';
const GPU = ".toleration('nvidia.com/gpu', 'Equal', 'present', 'NoSchedule')";
const SPOT = ".toleration('spot', 'Equal', 'true', 'PreferNoSchedule')";

defineMutants([
  {
    name: 'PreferNoSchedule is thought to filter the spot node out',
    lab,
    from: "'spot-1': 0,",
    to: "'spot-1': 'filtered',",
    fails: ['predictsTaintScores'],
    passes: ['trainerOnGpu', 'batchOnSpot', 'agentEverywhere', 'predictsEvictions'],
  },
  {
    name: 'the score is not reversed: one untolerated taint scores 100',
    lab,
    from: "'spot-1': 0, 'general-1': 100, 'general-2': 100",
    to: "'spot-1': 100, 'general-1': 0, 'general-2': 0",
    fails: ['predictsTaintScores'],
  },
  {
    name: 'filtered nodes are thought to be scored 0',
    lab,
    from: "'cp-1': 'filtered', 'gpu-1': 'filtered'",
    to: "'cp-1': 0, 'gpu-1': 0",
    fails: ['predictsTaintScores'],
  },
  {
    name: 'web goes to the emptiest node, the spot one',
    lab,
    from: "node: 'general-2',",
    to: "node: 'spot-1',",
    fails: ['predictsTaintScores'],
  },
  {
    name: 'the GPU toleration has the wrong value',
    lab,
    from: GPU,
    to: ".toleration('nvidia.com/gpu', 'Equal', 'true', 'NoSchedule')",
    fails: ['trainerOnGpu'],
    passes: ['predictsTaintScores', 'batchOnSpot', 'agentEverywhere', 'predictsEvictions'],
  },
  {
    name: 'trainer tolerates every taint: it walks onto a cordoned GPU node',
    lab,
    from: GPU,
    to: ".tolerations([{ operator: 'Exists' }])",
    fails: ['trainerOnGpu'],
  },
  {
    name: 'trainer tolerates every NoSchedule taint, the control plane included',
    lab,
    from: GPU,
    to: ".tolerations([{ operator: 'Exists', effect: 'NoSchedule' }])",
    fails: ['trainerOnGpu'],
  },
  {
    name: 'trainer pinned with nodeName instead',
    lab,
    from: GPU,
    to: ".node('gpu-1')",
    fails: ['trainerOnGpu'],
  },
  {
    name: "batch's spot toleration has effect NoSchedule: Score ignores it",
    lab,
    from: SPOT,
    to: ".toleration('spot', 'Equal', 'true', 'NoSchedule')",
    fails: ['batchOnSpot'],
    passes: ['trainerOnGpu', 'agentEverywhere'],
  },
  {
    name: 'batch tolerates everything: it lands on spot-1, but could land on the control plane',
    lab,
    from: SPOT,
    to: ".tolerations([{ operator: 'Exists' }])",
    fails: ['batchOnSpot'],
  },
  {
    name: 'the agent tolerates only NoSchedule taints of the GPU pool',
    lab,
    from: ".tolerations([{ operator: 'Exists' }])\n  .req({ cpu: '100m'",
    to: ".toleration('nvidia.com/gpu', 'Exists')\n  .req({ cpu: '100m'",
    fails: ['agentEverywhere'],
    passes: ['trainerOnGpu', 'batchOnSpot'],
  },
  {
    name: 'a toleration with an empty key and operator Equal: matches only taints with an empty key',
    lab,
    from: ".tolerations([{ operator: 'Exists' }])\n  .req({ cpu: '100m'",
    to: ".tolerations([{ operator: 'Equal' }])\n  .req({ cpu: '100m'",
    fails: ['agentEverywhere'],
  },
  {
    name: 'a NoSchedule toleration is thought to protect from a NoExecute taint',
    lab,
    from: "'legacy-job': 0,",
    to: "'legacy-job': 'never',",
    fails: ['predictsEvictions'],
    passes: ['predictsTaintScores', 'trainerOnGpu', 'batchOnSpot', 'agentEverywhere'],
  },
  {
    name: 'the most lenient matching toleration is thought to win',
    lab,
    from: "'stateful-db': 30,",
    to: "'stateful-db': 'never',",
    fails: ['predictsEvictions'],
  },
  {
    name: 'the DaemonSet pod is thought to be evicted at once, like the rest',
    lab,
    from: "'dcgm-exporter': 'never',",
    to: "'dcgm-exporter': 0,",
    fails: ['predictsEvictions'],
  },
]);
