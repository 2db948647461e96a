// Mutants of the hpa-calculator lab: the plausible slips in GetResourceReplicas (rounding, the
// tolerance, averaging per pod, the fill-ins of the second pass), each caught by the check
// named, which compares with the model's replica calculator.
import { defineMutants } from './mutants';

const lab = 'hpa-calculator';

defineMutants([
  {
    name: 'rounded instead of ceil',
    lab,
    from: 'return { replicas: Math.ceil(ratio * ready.length), utilization };',
    to: 'return { replicas: Math.round(ratio * ready.length), utilization };',
    fails: ['countsReadyPods', 'matchesOnRandomPods'],
  },
  {
    name: 'no tolerance',
    lab,
    from: 'if (Math.abs(1 - ratio) <= tolerance) return keep;',
    to: '',
    fails: ['countsReadyPods'],
  },
  {
    name: 'utilization not truncated to whole percent',
    lab,
    from: 'return Math.trunc((usage * 100) / requests);',
    to: 'return (usage * 100) / requests;',
    fails: ['countsReadyPods'],
  },
  {
    name: 'utilization averaged per pod, not weighed by requests',
    lab,
    from: 'return Math.trunc((usage * 100) / requests);',
    to: 'return Math.trunc(pods.reduce((n, p) => n + (p.usageMilli * 100) / p.requestMilli, 0) / pods.length);',
    fails: ['countsReadyPods'],
  },
  {
    name: 'Failed pods counted',
    lab,
    from: "if (p.deleting || p.phase === 'Failed') continue;",
    to: 'if (p.deleting) continue;',
    fails: ['countsReadyPods'],
  },
  {
    name: 'missing pods left out (no second pass for them)',
    lab,
    from: 'if (!scaleUpWithUnready && missing.length === 0) {',
    to: 'if (!scaleUpWithUnready) {',
    fails: ['fillsInMissingAndUnready', 'matchesOnRandomPods'],
    passes: ['countsReadyPods'],
  },
  {
    name: 'a missing pod counts 100 % on a scale-down even above a 100 % target',
    lab,
    from: 'Math.max(100, targetUtilization)',
    to: '100',
    fails: ['fillsInMissingAndUnready'],
    passes: ['countsReadyPods'],
  },
  {
    name: 'unready pods filled in on a scale-down too',
    lab,
    from: 'const scaleUpWithUnready = unready.length > 0 && ratio > 1;',
    to: 'const scaleUpWithUnready = unready.length > 0;',
    fails: ['fillsInMissingAndUnready'],
    passes: ['countsReadyPods'],
  },
  {
    name: 'a direction flip still scales',
    lab,
    from: ' || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return keep;',
    to: ') return keep;',
    fails: ['fillsInMissingAndUnready'],
    passes: ['countsReadyPods'],
  },
  {
    name: 'the second pass multiplies by the ready pods only',
    lab,
    from: 'const replicas = Math.ceil(newRatio * counted.length);',
    to: 'const replicas = Math.ceil(newRatio * ready.length);',
    fails: ['fillsInMissingAndUnready'],
    passes: ['countsReadyPods'],
  },
  {
    name: 'no pod to count returns the current count instead of throwing',
    lab,
    from: "if (ready.length === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');",
    to: 'if (ready.length === 0) return { replicas: currentReplicas, utilization: 0 };',
    fails: ['fillsInMissingAndUnready'],
    passes: ['countsReadyPods'],
  },
]);
