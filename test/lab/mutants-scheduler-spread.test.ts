// Mutants of the scheduler-spread lab: constraints that spread the wrong thing, softly, or too
// strictly, and the predictions a learner plausibly gets wrong (the full zone forgotten, the
// filter order ignored, soft constraints taken for hard ones, minDomains misread).
import { defineMutants } from './mutants';

const lab = 'scheduler-spread';

defineMutants([
  {
    name: 'ScheduleAnyway: the replicas 9 and 10 run anyway, two apart',
    lab,
    from: "whenUnsatisfiable: 'DoNotSchedule',\n  labelSelector",
    to: "whenUnsatisfiable: 'ScheduleAnyway',\n  labelSelector",
    fails: ['spreadsEvenly'],
    passes: ['predictsPending', 'predictsVariants'],
  },
  {
    name: 'spread over nodes instead of zones',
    lab,
    from: 'topologyKey: ZONE,',
    to: "topologyKey: 'kubernetes.io/hostname',",
    fails: ['spreadsEvenly'],
  },
  {
    name: 'the selector matches another app: every zone counts 0',
    lab,
    from: "labelSelector: { matchLabels: { app: 'web' } },\n};",
    to: "labelSelector: { matchLabels: { app: 'api' } },\n};",
    fails: ['spreadsEvenly'],
  },
  {
    name: 'no labelSelector at all',
    lab,
    from: "  labelSelector: { matchLabels: { app: 'web' } },\n};",
    to: '};',
    fails: ['spreadsEvenly'],
  },
  {
    name: 'maxSkew 2',
    lab,
    from: 'maxSkew: 1,',
    to: 'maxSkew: 2,',
    fails: ['spreadsEvenly'],
  },
  {
    name: 'minDomains 4 on a three-zone cluster: too strict',
    lab,
    from: "whenUnsatisfiable: 'DoNotSchedule',\n  labelSelector",
    to: "whenUnsatisfiable: 'DoNotSchedule',\n  minDomains: 4,\n  labelSelector",
    fails: ['spreadsEvenly'],
  },
  {
    name: 'the full zone c is forgotten: replicas run until the cluster is full',
    lab,
    from: 'firstPending: 9,',
    to: 'firstPending: 11,',
    fails: ['predictsPending'],
    passes: ['spreadsEvenly', 'predictsVariants'],
  },
  {
    name: 'zone a, with two nodes, is thought to take more',
    lab,
    from: 'zones: { a: 3, b: 3, c: 2 },',
    to: 'zones: { a: 4, b: 2, c: 2 },',
    fails: ['predictsPending'],
  },
  {
    name: 'c1 is thought to fail PodTopologySpread (filter order ignored)',
    lab,
    from: "c1: 'NodeResourcesFit' }",
    to: "c1: 'PodTopologySpread' }",
    fails: ['predictsPending'],
  },
  {
    name: 'ScheduleAnyway is thought to stop at the same replica',
    lab,
    from: 'scheduleAnyway: 10,',
    to: 'scheduleAnyway: 8,',
    fails: ['predictsVariants'],
    passes: ['spreadsEvenly', 'predictsPending'],
  },
  {
    name: 'minDomains is thought to change nothing while the zones are balanced',
    lab,
    from: 'minDomains4: 3,',
    to: 'minDomains4: 8,',
    fails: ['predictsVariants'],
  },
  {
    name: 'the system defaults are thought to be hard',
    lab,
    from: 'systemDefaults: 10,',
    to: 'systemDefaults: 8,',
    fails: ['predictsVariants'],
  },
]);
