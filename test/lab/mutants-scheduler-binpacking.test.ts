// Mutants of the scheduler-binpacking lab: a placement loop that forgets what it bound, metrics
// that count the wrong nodes or divide the wrong way, and configurations that do not pack.
import { defineMutants } from './mutants';

const lab = 'scheduler-binpacking';
const BIND = 'if (r.selectedNode) bound.push({ ...pod, spec: { ...pod.spec, nodeName: r.selectedNode } });';

defineMutants([
  {
    name: 'the prediction: spreading leaves room for big',
    lab,
    from: 'leastAllocated: { nodesUsed: 4, bigFits: false }',
    to: 'leastAllocated: { nodesUsed: 4, bigFits: true }',
    fails: ['predictsPacking'],
    passes: ['placesPodByPod', 'measuresFragmentation', 'mostAllocatedPacks'],
  },
  {
    name: 'the prediction: packing leaves no 3 CPUs free on one node either',
    lab,
    from: 'mostAllocated: { nodesUsed: 3, bigFits: true }',
    to: 'mostAllocated: { nodesUsed: 3, bigFits: false }',
    fails: ['predictsPacking'],
  },
  {
    name: 'the bound pod keeps no nodeName: the next cycles do not count it',
    lab,
    from: BIND,
    to: 'if (r.selectedNode) bound.push(pod);',
    fails: ['placesPodByPod'],
    passes: ['predictsPacking', 'measuresFragmentation', 'mostAllocatedPacks'],
  },
  {
    name: 'each cycle sees only the pod being scheduled',
    lab,
    from: 'pods: bound, profile, rng });',
    to: 'pods: [], profile, rng });',
    fails: ['placesPodByPod'],
  },
  {
    name: 'the profile is not passed on: always LeastAllocated',
    lab,
    from: 'pods: bound, profile, rng });',
    to: 'pods: bound, rng });',
    fails: ['placesPodByPod'],
  },
  {
    name: 'utilisation over every node, used or not',
    lab,
    from: '    if (mine.length > 0) {\n      nodesUsed++;\n      usedAllocatable += allocatable;\n      usedRequested += requested;\n    }',
    to: '    if (mine.length > 0) nodesUsed++;\n    usedAllocatable += allocatable;\n    usedRequested += requested;',
    fails: ['measuresFragmentation'],
    passes: ['placesPodByPod', 'mostAllocatedPacks'],
  },
  {
    name: 'fragmentation the wrong way up',
    lab,
    from: 'fragmentation: freeMilliCPU > 0 ? 1 - largestFreeMilliCPU / freeMilliCPU : 0,',
    to: 'fragmentation: freeMilliCPU > 0 ? largestFreeMilliCPU / freeMilliCPU : 0,',
    fails: ['measuresFragmentation'],
  },
  {
    name: 'fragmentation with nothing free divides by zero',
    lab,
    from: 'fragmentation: freeMilliCPU > 0 ? 1 - largestFreeMilliCPU / freeMilliCPU : 0,',
    to: 'fragmentation: 1 - largestFreeMilliCPU / freeMilliCPU,',
    fails: ['measuresFragmentation'],
  },
  {
    name: 'the largest free CPU is the total free CPU',
    lab,
    from: 'largestFreeMilliCPU = Math.max(largestFreeMilliCPU, allocatable - requested);',
    to: 'largestFreeMilliCPU += allocatable - requested;',
    fails: ['measuresFragmentation'],
  },
  {
    name: 'every node counted as used',
    lab,
    from: '    if (mine.length > 0) {\n      nodesUsed++;',
    to: '    nodesUsed++;\n    if (mine.length > 0) {',
    fails: ['measuresFragmentation'],
  },
  {
    name: 'the args under a misspelt plugin name',
    lab,
    from: '      - name: NodeResourcesFit',
    to: '      - name: NodeResourceFit',
    fails: ['mostAllocatedPacks'],
    passes: ['placesPodByPod', 'measuresFragmentation'],
  },
  {
    name: 'scoringStrategy outside args',
    lab,
    from: '        args:\n          scoringStrategy:',
    to: '        scoringStrategy:\n          x:',
    fails: ['mostAllocatedPacks'],
  },
  {
    name: 'RequestedToCapacityRatio without a shape',
    lab,
    from: 'type: MostAllocated',
    to: 'type: RequestedToCapacityRatio',
    fails: ['mostAllocatedPacks'],
  },
]);
