// Mutants of the scheduler-preemption lab: the usual misreadings of selectVictimsOnNode and
// pickOneNodeForPreemption, PDBs that the scheduler reads differently from what was meant, and a
// pod that is high priority without giving up preemption.
import { defineMutants } from './mutants';

const lab = 'scheduler-preemption';
const STATUS = 'status: { currentHealthy: 2, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 },';

defineMutants([
  {
    name: 'fewest victims is thought to win: node-a',
    lab,
    from: "nominated: 'node-c',",
    to: "nominated: 'node-a',",
    fails: ['predictsVictims'],
    passes: ['pdbMovesPreemption', 'neverPreempts'],
  },
  {
    name: 'the pod started first is thought to be evicted first',
    lab,
    from: "'node-a': ['batch-2']",
    to: "'node-a': ['batch-1']",
    fails: ['predictsVictims'],
  },
  {
    name: 'every lower-priority pod on the node is thought to go',
    lab,
    from: "'node-c': ['report-1', 'report-2']",
    to: "'node-c': ['report-1', 'report-2', 'cache-1']",
    fails: ['predictsVictims'],
  },
  {
    name: 'the cheapest pod by CPU is thought to be evicted',
    lab,
    from: "'node-c': ['report-1', 'report-2']",
    to: "'node-c': ['cache-1', 'report-2']",
    fails: ['predictsVictims'],
  },
  {
    name: 'the PDB has no status: nothing the disruption controller would leave',
    lab,
    from: STATUS,
    to: '',
    fails: ['pdbMovesPreemption'],
    passes: ['predictsVictims', 'neverPreempts'],
  },
  {
    name: 'the status allows two disruptions while minAvailable is 2',
    lab,
    from: 'disruptionsAllowed: 0 },',
    to: 'disruptionsAllowed: 2 },',
    fails: ['pdbMovesPreemption'],
  },
  {
    name: 'minAvailable 1: one report pod may still go',
    lab,
    from: `spec: { minAvailable: 2, selector: { matchLabels: { app: 'report' } } },\n  ${STATUS}`,
    to: "spec: { minAvailable: 1, selector: { matchLabels: { app: 'report' } } },\n  status: { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 },",
    fails: ['pdbMovesPreemption'],
  },
  {
    name: 'the PDB selects the batch pods',
    lab,
    from: "matchLabels: { app: 'report' }",
    to: "matchLabels: { app: 'batch' }",
    fails: ['pdbMovesPreemption'],
  },
  {
    name: 'the PDB lives in another namespace',
    lab,
    from: "metadata: { name: 'report', namespace: 'default' },",
    to: "metadata: { name: 'report', namespace: 'reports' },",
    fails: ['pdbMovesPreemption'],
  },
  {
    name: 'the PDB is thought to stop preemption altogether',
    lab,
    from: "withPdb: { nominated: 'node-a', victims: ['batch-2'] },",
    to: "withPdb: { nominated: 'none', victims: [] },",
    fails: ['pdbMovesPreemption'],
  },
  {
    name: 'with the PDB, node-c is thought to keep the nomination with another victim',
    lab,
    from: "withPdb: { nominated: 'node-a', victims: ['batch-2'] },",
    to: "withPdb: { nominated: 'node-c', victims: ['cache-1'] },",
    fails: ['pdbMovesPreemption'],
  },
  {
    name: 'nightly keeps the default preemption policy',
    lab,
    from: ".priority(1000).preemptionPolicy('Never')",
    to: '.priority(1000)',
    fails: ['neverPreempts'],
    passes: ['predictsVictims', 'pdbMovesPreemption'],
  },
  {
    name: 'nightly avoids preemption by having no priority',
    lab,
    from: ".priority(1000).preemptionPolicy('Never')",
    to: ".preemptionPolicy('Never')",
    fails: ['neverPreempts'],
  },
  {
    name: 'nightly is thought to be nominated anyway, to wait for room',
    lab,
    from: "nightly: { nominated: 'none', victims: [] as string[] },",
    to: "nightly: { nominated: 'node-c', victims: [] as string[] },",
    fails: ['neverPreempts'],
  },
]);
