// Mutants of the k8s-gc-cascade lab: plausible wrong predictions and wrong adoptions (each a
// departure from ControllerRefManager.ClaimObject at v1.34.0), each caught by the check written
// for that mistake.
import { describe, expect, it } from 'vitest';
import { defineMutants } from './mutants';
import { runInHost } from './run-host';
import { labManifests, readLab } from '../../src/lab/node/labs';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';

const lab = 'k8s-gc-cascade';
const PATCH = "'application/strategic-merge-patch+json', patch";

defineMutants([
  {
    name: 'Orphan predicted to take the ReplicaSet along',
    lab,
    from: "Orphan: { finalizersRightAfterDelete: ['orphan'], deployments: 0, replicaSets: 1, pods: 3 }",
    to: "Orphan: { finalizersRightAfterDelete: ['orphan'], deployments: 0, replicaSets: 0, pods: 3 }",
    fails: ['predictsPolicies'],
    passes: ['adoptsOrphans', 'adoptsByUid', 'foregroundCascades'],
  },
  {
    name: 'a JSON merge patch: the Pod loses its other ownerReferences',
    lab,
    from: PATCH,
    to: "'application/merge-patch+json', patch",
    fails: ['adoptsOrphans'],
  },
  {
    name: 'the selector ignored: every orphan adopted',
    lab,
    from: 'if (rs.metadata.deletionTimestamp || !matches(pod) || pod.metadata.deletionTimestamp) continue;',
    to: 'if (rs.metadata.deletionTimestamp || pod.metadata.deletionTimestamp) continue;',
    fails: ['adoptsOrphans'],
  },
  {
    name: 'a terminating Pod adopted',
    lab,
    from: 'if (rs.metadata.deletionTimestamp || !matches(pod) || pod.metadata.deletionTimestamp) continue;',
    to: 'if (rs.metadata.deletionTimestamp || !matches(pod)) continue;',
    fails: ['adoptsOrphans'],
    passes: ['adoptsByUid'],
  },
  {
    name: 'a ReplicaSet being deleted still adopts',
    lab,
    from: 'if (rs.metadata.deletionTimestamp || !matches(pod) || pod.metadata.deletionTimestamp) continue;',
    to: 'if (!matches(pod) || pod.metadata.deletionTimestamp) continue;',
    fails: ['adoptsOrphans'],
    passes: ['adoptsByUid', 'foregroundCascades'],
  },
  {
    name: "another controller's Pod patched too (the API server refuses a second controller)",
    lab,
    from: '    if (ref) {\n',
    to: '    if (ref && ref.uid === rs.metadata.uid) {\n',
    fails: ['adoptsOrphans'],
  },
  {
    name: 'Pods it controls already left out of the claim',
    lab,
    from: 'if (ref.uid === rs.metadata.uid && matches(pod)) claimed.push(name);',
    to: '',
    fails: ['adoptsOrphans'],
    passes: ['adoptsByUid'],
  },
  {
    name: 'adopted by name: no uid in the patch',
    lab,
    from: '        uid: pod.metadata.uid,\n',
    to: '',
    fails: ['adoptsByUid'],
    passes: ['adoptsOrphans', 'foregroundCascades'],
  },
  {
    name: 'the first failed adoption stops the claim',
    lab,
    from: "if (!isNotFound(err)) errors.push(`adopting pod ${name}: ${(err as Error).message}`);",
    to: 'if (!isNotFound(err)) throw err;',
    fails: ['adoptsByUid'],
    passes: ['adoptsOrphans', 'foregroundCascades'],
  },
  {
    name: 'failed adoptions swallowed: the claim resolves',
    lab,
    from: "  if (errors.length > 0) throw new Error(errors.join('; '));\n",
    to: '',
    fails: ['adoptsByUid'],
    passes: ['adoptsOrphans', 'foregroundCascades'],
  },
  {
    name: 'blockOwnerDeletion false: a foreground delete does not wait for the Pods',
    lab,
    from: 'controller: true, blockOwnerDeletion: true }],\n        uid',
    to: 'controller: true, blockOwnerDeletion: false }],\n        uid',
    fails: ['foregroundCascades', 'adoptsOrphans'],
    passes: ['adoptsByUid'],
  },
]);

// The lab's terminal step: after a Run of the solution, the session (with its collector) holds
// the adopted Pods, and a foreground delete in the terminal cascades through them.
describe('k8s-gc-cascade: the terminal after a Run', () => {
  it('shows the adopted Pods, and kubectl delete --cascade=foreground takes them with the ReplicaSet', async () => {
    const lab = readLab('k8s-gc-cascade');
    const shell = createShell();
    const lines: string[] = [];
    const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
    const files = labManifests(lab);
    const session = await mountLabCluster({ shell, io, seed: 1, files, apply: ['app.yaml'], garbageCollector: true });
    const out = await runInHost(lab.solution, { labId: 'k8s-gc-cascade', mode: 'run', seed: 1, files, cluster: session.log() });
    expect(out.errors).toEqual([]);
    const back = out.messages.find((m) => m.type === 'cluster');
    if (back?.type !== 'cluster') throw new Error('the run sent no cluster changes');
    await session.apply(back.changes, back.clockMs);
    const run = async (line: string) => {
      lines.length = 0;
      await shell.execute(line, io);
      return lines.join('\n');
    };
    expect(await run(`kubectl get pods -o jsonpath='{.items[*].metadata.ownerReferences[*].name}'`)).toBe('web-7c9d4 web-7c9d4 web-7c9d4');
    expect(await run('kubectl delete rs web-7c9d4 --cascade=foreground')).toBe('replicaset.apps "web-7c9d4" deleted from default namespace');
    expect(await run('kubectl get rs,pods')).toBe('No resources found in default namespace.');
  });
});

// Run, then Check: the check starts from the session the Run left (web-7c9d4 holding the Pods), and
// main.ts must bring app.yaml's chain back before it runs again, or the check never gets to run.
describe('k8s-gc-cascade: Check after a Run', () => {
  it('reruns main.ts on the session a Run left, and every check passes', async () => {
    const lab = readLab('k8s-gc-cascade');
    const shell = createShell();
    const io: ShellIO = { print: () => {}, error: () => {}, clear: () => {} };
    const files = labManifests(lab);
    const session = await mountLabCluster({ shell, io, seed: 1, files, apply: ['app.yaml'], garbageCollector: true });
    const first = await runInHost(lab.solution, { labId: 'k8s-gc-cascade', mode: 'run', seed: 1, files, cluster: session.log() });
    const back = first.messages.find((m) => m.type === 'cluster');
    if (back?.type !== 'cluster') throw new Error('the run sent no cluster changes');
    await session.apply(back.changes, back.clockMs);
    const out = await runInHost(lab.solution, { labId: 'k8s-gc-cascade', mode: 'check', seed: 1, files, cluster: session.log() });
    expect(out.errors.map((e) => e.message)).toEqual([]);
    expect(out.checks.map((c) => c.passed)).toEqual([true, true, true, true]);
  }, 30_000);
});
