// Mutants of the statefulset-ordering lab: manifests a learner plausibly writes (no headless
// Service, Parallel start, no serviceName, a claim under another name), each caught by the check
// named, which runs the StatefulSet controller on the learner's manifests.
import { describe, expect, it } from 'vitest';
import { defineMutants } from './mutants';
import { runInHost } from './run-host';
import { labManifests, readLab } from '../../src/lab/node/labs';
import { mountLabCluster } from '../../src/lab/lab-cluster';
import { createShell, stripAnsi, type ShellIO } from '../../src/lab/shell/index';

const lab = 'statefulset-ordering';

defineMutants([
  {
    name: 'the Service gets a virtual IP (not headless)',
    lab,
    from: 'clusterIP: None          # headless',
    to: 'type: ClusterIP          # not headless',
    fails: ['manifestIsComplete'],
    passes: ['startsInOrder', 'keepsIdentity'],
  },
  {
    name: 'Parallel pod management: every member at once',
    lab,
    from: 'podManagementPolicy: OrderedReady',
    to: 'podManagementPolicy: Parallel',
    fails: ['manifestIsComplete', 'startsInOrder', 'keepsIdentity'],
  },
  {
    name: 'no serviceName: the pods get no subdomain',
    lab,
    from: '  serviceName: web         # the headless Service that gives each pod its DNS name\n',
    to: '',
    fails: ['manifestIsComplete', 'keepsIdentity'],
    passes: ['startsInOrder'],
  },
  {
    name: 'the claim template named www, the mount still data',
    lab,
    from: '  - metadata:\n      name: data\n',
    to: '  - metadata:\n      name: www\n',
    fails: ['manifestIsComplete', 'keepsIdentity'],
  },
  {
    name: 'a volume per member requested, but never mounted',
    lab,
    from: '        volumeMounts:\n        - name: data\n          mountPath: /var/lib/broker\n',
    to: '',
    fails: ['manifestIsComplete'],
  },
]);

// After a Run, the terminal's cluster holds what main.ts made: three Ready members and their claims.
describe('statefulset-ordering: the terminal after a Run', () => {
  it('kubectl shows web-0..2 and data-web-0..2', async () => {
    const lab = readLab('statefulset-ordering');
    const shell = createShell();
    const lines: string[] = [];
    const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
    const files = labManifests(lab);
    const session = await mountLabCluster({ shell, io, seed: 1, files, apply: [] });
    const out = await runInHost(lab.solution, { labId: 'statefulset-ordering', mode: 'run', seed: 1, files, cluster: session.log() });
    expect(out.errors).toEqual([]);
    const back = out.messages.find((m) => m.type === 'cluster');
    if (back?.type !== 'cluster') throw new Error('the run sent no cluster changes');
    await session.apply(back.changes, back.clockMs);
    const run = async (line: string) => {
      lines.length = 0;
      await shell.execute(line, io);
      return lines.join('\n');
    };
    expect(await run('kubectl get pods -o name')).toBe('pod/web-0\npod/web-1\npod/web-2');
    expect(await run('kubectl get pvc -o name')).toBe('persistentvolumeclaim/data-web-0\npersistentvolumeclaim/data-web-1\npersistentvolumeclaim/data-web-2');
    expect(await run("kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).toBe('None');
  }, 30_000);
});
