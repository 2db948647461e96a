// Mutants of the scheduler-predict lab: the guesses a learner plausibly makes (the emptiest node,
// the order of the filters ignored) and the fixes of trainer that work for the wrong reason.
import { defineMutants } from './mutants';

const lab = 'scheduler-predict';
const TOLERATION = ".toleration('gpu', 'Equal', 'true', 'NoSchedule')";

defineMutants([
  {
    name: 'web goes to the emptiest node, which is cordoned',
    lab,
    from: "web: 'node-b1'",
    to: "web: 'node-c1'",
    fails: ['predictsPlacement'],
    passes: ['trainerLandsOnGpuNode'],
  },
  {
    name: 'web goes to the emptiest uncordoned node, which is tainted',
    lab,
    from: "web: 'node-b1'",
    to: "web: 'node-a2'",
    fails: ['predictsPlacement'],
  },
  {
    name: "api's preferred zone is ignored: the most free room wins",
    lab,
    from: "api: 'node-a1'",
    to: "api: 'node-b1'",
    fails: ['predictsPlacement'],
  },
  {
    name: 'the cordoned node is said to fail NodeAffinity (every failing filter, not the first)',
    lab,
    from: "'node-c1': 'NodeUnschedulable'",
    to: "'node-c1': 'NodeAffinity'",
    fails: ['predictsPlacement'],
  },
  {
    name: 'ssd-cache is thought not to fit in the memory left on node-b2',
    lab,
    from: "'ssd-cache': 'node-b2'",
    to: "'ssd-cache': 'none'",
    fails: ['predictsPlacement'],
  },
  {
    name: 'the toleration has the wrong effect',
    lab,
    from: TOLERATION,
    to: ".toleration('gpu', 'Equal', 'true', 'NoExecute')",
    fails: ['trainerLandsOnGpuNode'],
    passes: ['predictsPlacement'],
  },
  {
    name: 'the toleration tolerates every taint, so trainer walks onto a cordoned node',
    lab,
    from: TOLERATION,
    to: ".tolerations([{ operator: 'Exists' }])",
    fails: ['trainerLandsOnGpuNode'],
  },
  {
    name: 'nodeName instead of a toleration: the scheduler is skipped',
    lab,
    from: TOLERATION,
    to: ".node('node-a2')",
    fails: ['trainerLandsOnGpuNode'],
  },
  {
    name: 'the nodeSelector is dropped instead',
    lab,
    from: ".nodeSelector({ gpu: 'true' }).toleration('gpu', 'Equal', 'true', 'NoSchedule')",
    to: '',
    fails: ['trainerLandsOnGpuNode'],
  },
]);
