// Mutants of the scheduler-custom-plugin lab: the plugins a learner plausibly writes wrong — a
// filter that crashes on a bare node, the wrong code, a score left raw or scaled wrongly — and
// profiles that lose the weight or the defaults.
import { defineMutants } from './mutants';

const lab = 'scheduler-custom-plugin';
const NORMALIZE = 'return { normalizeScore: (_state, _pod, scores) => defaultNormalizeScore(MaxNodeScore, false, scores) };';

defineMutants([
  {
    name: 'the filter assumes every node has labels',
    lab,
    from: "nodeInfo.node?.metadata.labels?.maintenance === 'true'",
    to: "nodeInfo.node!.metadata.labels!.maintenance === 'true'",
    fails: ['filterSurvivesBareNode', 'profileWeights'],
    passes: ['maintenanceFilter', 'zoneScores'],
  },
  {
    name: 'Unschedulable: preemption is asked to help where it cannot',
    lab,
    from: "newStatus('UnschedulableAndUnresolvable', 'node(s) were under maintenance')",
    to: "newStatus('Unschedulable', 'node(s) were under maintenance')",
    fails: ['maintenanceFilter'],
    passes: ['filterSurvivesBareNode', 'zoneScores', 'profileWeights'],
  },
  {
    name: 'a rejection without a reason',
    lab,
    from: "newStatus('UnschedulableAndUnresolvable', 'node(s) were under maintenance')",
    to: "newStatus('UnschedulableAndUnresolvable')",
    fails: ['maintenanceFilter'],
  },
  {
    name: 'any maintenance label rejects, maintenance=false too',
    lab,
    from: "nodeInfo.node?.metadata.labels?.maintenance === 'true'",
    to: 'nodeInfo.node?.metadata.labels?.maintenance !== undefined',
    fails: ['maintenanceFilter'],
  },
  {
    name: 'no NormalizeScore: raw 2 and 1 count for almost nothing',
    lab,
    from: NORMALIZE,
    to: 'return null;',
    fails: ['zoneScores', 'profileWeights'],
    passes: ['maintenanceFilter'],
  },
  {
    name: 'a hand-made NormalizeScore that divides by a zero maximum',
    lab,
    from: NORMALIZE,
    to: 'return { normalizeScore: (_state, _pod, scores) => { const max = Math.max(...scores.map((s) => s.score)); for (const s of scores) s.score = Math.trunc((MaxNodeScore * s.score) / max); return null; } };',
    fails: ['zoneScores'],
    passes: ['profileWeights'],
  },
  {
    name: 'raw scores scaled by 100 instead of normalized: out of range',
    lab,
    from: /return i < 0 \? 0 : zones\.length - i;[\s\S]*defaultNormalizeScore\(MaxNodeScore, false, scores\) \};/,
    to: 'return i < 0 ? 0 : (zones.length - i) * 100;\n    },\n    scoreExtensions() {\n      return null;',
    fails: ['zoneScores', 'profileWeights'],
  },
  {
    name: 'normalized upside down',
    lab,
    from: 'defaultNormalizeScore(MaxNodeScore, false, scores)',
    to: 'defaultNormalizeScore(MaxNodeScore, true, scores)',
    fails: ['zoneScores', 'profileWeights'],
  },
  {
    name: 'the position is counted off by one',
    lab,
    from: 'return i < 0 ? 0 : zones.length - i;',
    to: 'return i < 0 ? 0 : zones.length - i - 1;',
    fails: ['zoneScores'],
  },
  {
    name: 'no weight: ZonePreference counts once',
    lab,
    from: "{ name: 'ZonePreference', weight: 5 }",
    to: "{ name: 'ZonePreference' }",
    fails: ['profileWeights'],
    passes: ['filterSurvivesBareNode', 'maintenanceFilter', 'zoneScores'],
  },
  {
    name: 'the defaults disabled: only the two plugins run',
    lab,
    from: "{ name: 'ZonePreference', weight: 5 }] } },",
    to: "{ name: 'ZonePreference', weight: 5 }], disabled: [{ name: '*' }] } },",
    fails: ['profileWeights'],
  },
]);
