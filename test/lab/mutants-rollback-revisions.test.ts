// Mutants of the rollback-revisions lab: departures from kubectl v0.34.0's
// DeploymentRollbacker.Rollback (and a careless setImage), each caught by the check named, which
// watches the Deployment and ReplicaSet controllers react on a cluster of its own.
import { defineMutants } from './mutants';

const lab = 'rollback-revisions';

defineMutants([
  {
    name: 'setImage forgets the change-cause',
    lab,
    from: '  d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause };\n',
    to: '',
    fails: ['updatesTwice'],
  },
  {
    name: 'the template copied with its pod-template-hash label',
    lab,
    from: 'const template = withoutHash(templateOf(rs));',
    to: 'const template = templateOf(rs);',
    fails: ['rollsBackToRevision1', 'refusesLikeKubectl'],
    passes: ['updatesTwice'],
  },
  {
    name: 'the revision found by age (the oldest ReplicaSet first), not by its annotation',
    lab,
    from: 'const rs = owned.find((r) => Number(r.metadata.annotations?.[REVISION]) === toRevision);',
    to: "const rs = [...owned].sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name)))[toRevision - 1];",
    fails: ['rollsBackToRevision1'],
  },
  {
    name: 'only the template patched: the change-cause of revision 1 does not come back',
    lab,
    from: "    { op: 'replace', path: '/metadata/annotations', value: annotations },\n",
    to: '',
    fails: ['rollsBackToRevision1'],
    passes: ['updatesTwice', 'refusesLikeKubectl'],
  },
  {
    name: 'a paused Deployment rolled back anyway',
    lab,
    from: "  if ((d.spec as { paused?: boolean }).paused) {\n    throw new Error(\"you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\");\n  }\n",
    to: '',
    fails: ['refusesLikeKubectl'],
    passes: ['updatesTwice', 'rollsBackToRevision1'],
  },
  {
    name: 'the current revision patched again instead of skipped',
    lab,
    from: '  if (JSON.stringify(template) === JSON.stringify(withoutHash(templateOf(d)))) {',
    to: '  if (false) {',
    fails: ['refusesLikeKubectl'],
    passes: ['updatesTwice', 'rollsBackToRevision1'],
  },
  {
    name: 'a missing revision falls back to the newest ReplicaSet',
    lab,
    from: 'if (!rs) throw new Error(`unable to find specified revision ${toRevision} in history`);',
    to: 'if (!rs) return `skipped rollback (current template already matches revision ${toRevision})`;',
    fails: ['refusesLikeKubectl'],
  },
]);
