// Mutants of the iptables-probabilities lab: probabilities printed the wrong way, shares that
// forget the rules before them, and a readiness change made in place or by removal.
import { defineMutants } from './mutants';

const lab = 'iptables-probabilities';

defineMutants([
  {
    name: 'four digits instead of Go\'s ten',
    lab,
    from: 'return (1 / n).toFixed(10);',
    to: 'return (1 / n).toFixed(4);',
    fails: ['printsProbabilities'],
    passes: ['predictsShares', 'readinessTakesOut'],
  },
  {
    name: 'each rule\'s probability taken as its share',
    lab,
    from: 'out[target] = reaching * p;',
    to: 'out[target] = p;',
    fails: ['predictsShares'],
    passes: ['printsProbabilities', 'readinessTakesOut'],
  },
  {
    name: 'the last rule, which has no probability, taken as never',
    lab,
    from: "const p = Number(/--probability (\\S+)/.exec(line)?.[1] ?? '1');",
    to: "const p = Number(/--probability (\\S+)/.exec(line)?.[1] ?? '0');",
    fails: ['predictsShares'],
  },
  {
    name: 'the informer\'s slices changed in place',
    lab,
    from: 'endpoints: s.endpoints.map((e) => (e.addresses.includes(ip) ? { ...e, conditions: { ...e.conditions, ready: false, serving: false } } : e)),',
    to: 'endpoints: s.endpoints.map((e) => { if (e.addresses.includes(ip)) e.conditions = { ...e.conditions, ready: false, serving: false }; return e; }),',
    fails: ['readinessTakesOut'],
    passes: ['printsProbabilities', 'predictsShares'],
  },
  {
    name: 'the endpoint removed from the slice, as if the pod were gone',
    lab,
    from: 'endpoints: s.endpoints.map((e) => (e.addresses.includes(ip) ? { ...e, conditions: { ...e.conditions, ready: false, serving: false } } : e)),',
    to: 'endpoints: s.endpoints.filter((e) => !e.addresses.includes(ip)),',
    fails: ['readinessTakesOut'],
  },
  {
    name: 'not ready but still serving, as only a terminating pod may be',
    lab,
    from: '{ ...e, conditions: { ...e.conditions, ready: false, serving: false } }',
    to: '{ ...e, conditions: { ...e.conditions, ready: false } }',
    fails: ['readinessTakesOut'],
  },
]);
