// A run against the lab's session cluster: the run rebuilds it from the request's log, learner
// code reaches it with labCluster(), and what the run wrote comes back as a `cluster` message
// that replays into the session; each check gets its own copy.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/lab/checks';
import type { LabChecks } from '../../src/lab/host';
import { newLabCluster, type KubeObject } from '../../src/sim/index';
import { runInHost } from './run-host';

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

describe('a run on the lab cluster', () => {
  it('sees the session state, and its writes come back and replay into the session', async () => {
    const session = await newLabCluster();
    await session.clientset().coreV1().pods('default').create(pod('web'));
    const out = await runInHost(
      `import { labCluster } from 'kubelab';
const cluster = labCluster();
const pods = cluster.clientset().coreV1().pods('default');
console.log((await pods.list()).items.map((p) => p.metadata.name).join(','));
await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
cluster.clock.step(2000);
`,
      { cluster: session.log() },
    );
    expect(out.errors).toEqual([]);
    expect(out.stdout).toBe('web\n');
    const back = out.messages.find((m) => m.type === 'cluster');
    expect(back?.type === 'cluster' && back.clockMs).toBe(2000);
    if (back?.type !== 'cluster') throw new Error('no cluster message');
    await session.apply(back.changes, back.clockMs);
    expect((await session.clientset().coreV1().pods('default').list()).items.map((p) => p.metadata.name)).toEqual(['api', 'web']);
  });

  it("the cluster is another process: its events join the run's trace, its log lines are not the program's stderr", async () => {
    const session = await newLabCluster();
    const out = await runInHost(`import { labCluster } from 'kubelab';\nawait labCluster().clientset().coreV1().pods('default').list();\nconsole.error('mine');\n`, { cluster: session.log() });
    expect(out.errors).toEqual([]);
    const stderr = out.messages.flatMap((m) => (m.type === 'output' && m.stream === 'stderr' ? [m.text] : []));
    expect(stderr).toEqual(['mine\n']);
    const events = out.messages.flatMap((m) => (m.type === 'trace' ? m.events : []));
    expect(events.some((e) => e.process === 'cluster' && e.type.endsWith('.log'))).toBe(true);
    expect(events.some((e) => e.process === 'cluster' && e.component === 'apiserver')).toBe(true);
  });

  it('a run without a cluster says how to get one', async () => {
    const out = await runInHost(`import { labCluster } from 'kubelab';\nlabCluster();\n`);
    expect(out.errors[0]?.message).toMatch(/labCluster\(\): this run has no lab cluster/);
  });

  it('each check gets its own copy, and a check never sends writes back', async () => {
    const session = await newLabCluster();
    const lab = async (): Promise<LabChecks> => ({
      steps: [{ check: 'writes' }, { check: 'fresh' }],
      checks: {
        writes: check('writes', async ({ newCluster, expect }) => {
          const c = await newCluster();
          await c.clientset().coreV1().pods('default').create(pod('from-check'));
          expect((await c.clientset().coreV1().pods("default").list()).items.length).to.equal(1);
        }),
        fresh: check('fresh', async ({ newCluster, expect }) => {
          const c = await newCluster();
          expect((await c.clientset().coreV1().pods("default").list()).items.length).to.equal(0);
        }),
      },
    });
    const out = await runInHost(`export const x = 1;\n`, { mode: 'check', cluster: session.log(), host: { loadLab: lab } });
    expect(out.checks.map((c) => [c.name, c.passed])).toEqual([['writes', true], ['fresh', true]]);
    expect(out.messages.some((m) => m.type === 'cluster')).toBe(false);
  });
});
