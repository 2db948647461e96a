// Mutants of the deployment-rollout lab: the arithmetic a learner plausibly gets wrong (rounding,
// the first sync, the caps of each reconcile function), each caught by the check named, which
// compares with the Deployment and ReplicaSet controllers syncing one step at a time.
import { defineMutants } from './mutants';

const lab = 'deployment-rollout';

defineMutants([
  {
    name: 'the first sync only creates the new ReplicaSet (the old one waits for the next sync)',
    lab,
    from: 'let old = replicas - Math.max(0, replicas - minAvailable);',
    to: 'let old = replicas;',
    fails: ['predictsIntegerRollouts', 'predictsPercentRollouts'],
    passes: ['rejectsZeroZero'],
  },
  {
    name: 'maxSurge rounded down',
    lab,
    from: 'const surge = scaled(maxSurge, replicas, true);',
    to: 'const surge = scaled(maxSurge, replicas, false);',
    fails: ['predictsPercentRollouts'],
    passes: ['predictsIntegerRollouts', 'rejectsZeroZero'],
  },
  {
    name: 'maxUnavailable rounded up',
    lab,
    from: 'let unavailable = scaled(maxUnavailable, replicas, false);',
    to: 'let unavailable = scaled(maxUnavailable, replicas, true);',
    fails: ['predictsPercentRollouts'],
    passes: ['predictsIntegerRollouts', 'rejectsZeroZero'],
  },
  {
    name: 'the new ReplicaSet grows by the whole surge room, beyond replicas',
    lab,
    from: 'next += Math.min(maxTotal - (old + next), replicas - next);',
    to: 'next += maxTotal - (old + next);',
    fails: ['predictsIntegerRollouts'],
  },
  {
    name: 'the old ReplicaSet shrinks by maxUnavailable each time, not down to minAvailable',
    lab,
    from: 'old -= Math.min(old, old + next - minAvailable);',
    to: 'old -= Math.min(old, unavailable);',
    fails: ['predictsIntegerRollouts'],
  },
  {
    name: 'maxUnavailable not capped at replicas',
    lab,
    from: 'unavailable = Math.min(unavailable, replicas);',
    to: '',
    fails: ['predictsIntegerRollouts'],
  },
  {
    name: 'maxSurge 0 with maxUnavailable 0 accepted',
    lab,
    from: "if (isZero(maxSurge) && isZero(maxUnavailable)) throw new Error('spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when `maxSurge` is 0');",
    to: '',
    fails: ['rejectsZeroZero'],
    passes: ['predictsIntegerRollouts', 'predictsPercentRollouts'],
  },
  {
    name: 'the rounded values checked instead of the literal ones: 10% of 5 with maxSurge 0 refused',
    lab,
    from: 'if (surge === 0 && unavailable === 0) unavailable = 1;',
    to: "if (surge === 0 && unavailable === 0) throw new Error('may not be 0 when `maxSurge` is 0');",
    fails: ['predictsPercentRollouts'],
    passes: ['predictsIntegerRollouts'],
  },
]);
