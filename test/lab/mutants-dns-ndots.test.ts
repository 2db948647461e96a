// Mutants of the dns-ndots lab: a prediction that forgets AAAA, candidates in the wrong order or
// compared the wrong way with ndots, and a dnsConfig that breaks cluster names.
import { defineMutants } from './mutants';

const lab = 'dns-ndots';

defineMutants([
  {
    name: 'one query per name tried, as if only A were asked',
    lab,
    from: "'example.com': 8,",
    to: "'example.com': 4,",
    fails: ['predictsQueries'],
    passes: ['listsCandidates', 'fixesTheCost'],
  },
  {
    name: 'the search list always first',
    lab,
    from: 'return dots >= ndots ? [asIs, ...searched] : [...searched, asIs];',
    to: 'return [...searched, asIs];',
    fails: ['listsCandidates'],
    passes: ['predictsQueries', 'fixesTheCost'],
  },
  {
    name: 'more dots than ndots needed, not at least as many',
    lab,
    from: 'return dots >= ndots ? [asIs, ...searched] : [...searched, asIs];',
    to: 'return dots > ndots ? [asIs, ...searched] : [...searched, asIs];',
    fails: ['listsCandidates'],
  },
  {
    name: 'a trailing dot ignored',
    lab,
    from: 'if (name.endsWith(\'.\')) return [name];',
    to: 'if (name.endsWith(\'.\')) name = name.slice(0, -1);',
    fails: ['listsCandidates'],
  },
  {
    name: 'dnsPolicy Default: cheap, and cluster names are gone',
    lab,
    from: "return { ...pod, spec: { ...pod.spec, dnsConfig: { options: [{ name: 'ndots', value: '1' }] } } };",
    to: "return { ...pod, spec: { ...pod.spec, dnsPolicy: 'Default' } };",
    fails: ['fixesTheCost'],
    passes: ['predictsQueries', 'listsCandidates'],
  },
]);
