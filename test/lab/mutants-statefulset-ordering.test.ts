// Mutants of the statefulset-ordering lab: manifests a learner plausibly writes (no headless
// Service, Parallel start, no serviceName, a claim under another name), each caught by the check
// named, which runs the StatefulSet controller on the learner's manifests.
import { describe, expect, it } from 'vitest';
import { defineMutants } from './mutants';
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

// R1 (wt-pv): the terminal's cluster is the lab's (scheduler, StatefulSet and PV binder controllers,
// two nodes, local-path storage): the finished web.yaml applied there starts web-0..2 in order on
// real kubelets, each claim Bound to a local-path volume on its pod's node.
describe('statefulset-ordering: the terminal', () => {
  it('kubectl apply -f web.yaml (finished): web-0..2 Running in order, data-web-0..2 Bound', async () => {
    const lab = readLab('statefulset-ordering');
    const finished = /const FINISHED_WEB_YAML = `([^`]*)`/.exec(lab.solution)?.[1];
    if (!finished) throw new Error('the solution holds no FINISHED_WEB_YAML');
    const spec = lab.yaml.cluster as { scheduler?: boolean; controllers?: string[]; nodes?: number };
    const shell = createShell();
    const lines: string[] = [];
    const io: ShellIO = { print: (t) => lines.push(stripAnsi(t)), error: (t) => lines.push(`E: ${stripAnsi(t)}`), clear: () => {} };
    const files = { ...labManifests(lab), 'web.yaml': finished };
    await mountLabCluster({ shell, io, seed: 1, files, apply: [], scheduler: spec.scheduler, controllers: spec.controllers, nodes: spec.nodes });
    const run = async (line: string) => {
      lines.length = 0;
      await shell.execute(line, io);
      return lines.join('\n');
    };
    expect(await run('kubectl apply -f web.yaml')).toBe('service/web created\nstatefulset.apps/web created');
    await run('sleep 60s');
    const cols = (out: string) => out.split('\n').slice(1).filter(Boolean).map((l) => l.split(/\s+/));
    expect(cols(await run('kubectl get pods')).map((r) => `${r[0]} ${r[2]}`)).toEqual(['web-0 Running', 'web-1 Running', 'web-2 Running']);
    expect(cols(await run('kubectl get pvc')).map((r) => `${r[0]} ${r[1]}`)).toEqual(['data-web-0 Bound', 'data-web-1 Bound', 'data-web-2 Bound']);
    // In order: each member is created after the one before it (OrderedReady).
    const created: string[] = [];
    for (const p of ['web-0', 'web-1', 'web-2']) created.push(await run(`kubectl get pod ${p} -o jsonpath='{.metadata.creationTimestamp}'`));
    expect([...created].sort()).toEqual(created);
    expect(new Set(created).size).toBe(3);
    expect(await run("kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).toBe('None');
  }, 30_000);
});
