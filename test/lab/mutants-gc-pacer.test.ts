// Mutants of the gc-pacer lab: the goal without roots or heapMinimum, gctrace fields read from the
// wrong place, and settings that crash the process, get it OOM-killed or burn CPU.
import { defineMutants } from './mutants';

const lab = 'gc-pacer';

defineMutants([
  {
    name: 'the pre-1.18 goal: stacks and globals left out',
    lab,
    from: 'const goal = liveHeap + Math.floor(((liveHeap + stackBytes + globalsBytes) * gogc) / 100);',
    to: 'const goal = liveHeap + Math.floor((liveHeap * gogc) / 100);',
    fails: ['computesHeapGoal'],
    passes: ['readsGctrace', 'hitsTarget'],
  },
  {
    name: 'no heapMinimum: a tiny heap collected at every allocation',
    lab,
    from: 'return Math.max(goal, heapMinimum);',
    to: 'return goal;',
    fails: ['computesHeapGoal'],
  },
  {
    name: 'heapMinimum not scaled by GOGC',
    lab,
    from: 'const heapMinimum = Math.floor((4 * MiB * gogc) / 100);',
    to: 'const heapMinimum = 4 * MiB;',
    fails: ['computesHeapGoal'],
  },
  {
    name: 'the live heap read from H0, the heap at the start of the cycle',
    lab,
    from: 'liveMB: Number(heap[3]),',
    to: 'liveMB: Number(heap[1]),',
    fails: ['readsGctrace'],
    passes: ['computesHeapGoal', 'hitsTarget'],
  },
  {
    name: 'every cycle that is not heap-triggered taken as forced',
    lab,
    from: "forced: line.endsWith(' (forced)'),",
    to: 'forced: Number(heap[1]) < Number(heap[4]),',
    fails: ['readsGctrace'],
  },
  {
    name: 'GOMEMLIMIT in MB, which the runtime does not parse',
    lab,
    from: "GOMEMLIMIT: '120MiB' }",
    to: "GOMEMLIMIT: '120MB' }",
    // The runtime dies at start-up, so the starter's run dies with it: every check fails.
    fails: ['hitsTarget'],
  },
  {
    name: 'GOMEMLIMIT at the container limit: no headroom for the overshoot',
    lab,
    from: "GOMEMLIMIT: '120MiB' }",
    to: "GOMEMLIMIT: '128MiB' }",
    fails: ['hitsTarget'],
  },
  {
    name: 'GOGC=50 and no limit: fits, but collects too often',
    lab,
    from: "{ GOGC: 'off', GOMEMLIMIT: '120MiB' }",
    to: "{ GOGC: '50' }",
    fails: ['hitsTarget'],
  },
  {
    name: 'GOGC=off and no limit: the heap never collects',
    lab,
    from: "{ GOGC: 'off', GOMEMLIMIT: '120MiB' }",
    to: "{ GOGC: 'off' }",
    fails: ['hitsTarget'],
  },
  {
    name: 'the limit alone, GOGC left at 100',
    lab,
    from: "{ GOGC: 'off', GOMEMLIMIT: '120MiB' }",
    to: "{ GOMEMLIMIT: '120MiB' }",
    fails: ['hitsTarget'],
  },
]);
