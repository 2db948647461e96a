// Whole rollouts: the controller on the API server, with harness.ts playing the ReplicaSet
// controller and the kubelet (pods become ready after a seeded delay; a bad image never does).
import { describe, expect, it } from 'vitest';
import { newLabCluster } from '../../cluster/cluster';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { parseRfc3339 } from '../../apiserver/registry/strategy';
import { catalogOf, eventSource, eventText, eventTypesOf } from '../../catalogs';
import { newDeploymentController } from './controller';
import { ReplicaSetHarness } from './harness';
import type { Deployment, ReplicaSet } from './types';

async function cluster(seed = 11) {
  const trace = new TraceRecorder();
  const c = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = c.clientset({ qps: -1 });
  const rng = rngFromSeed(seed);
  const harness = new ReplicaSetHarness({
    client: cs,
    clock: c.clock,
    rng: rng.fork('harness'),
    failProbability: (rs) => (((rs.spec.template.spec?.containers as { image: string }[]) ?? [])[0]?.image.startsWith('bad') ? 1 : 0),
  });
  const ctrl = newDeploymentController({ client: cs, clock: c.clock, rng: rng.fork('dc'), trace });
  await runUntilSettled(c.clock, Promise.all([ctrl.run(), harness.start()]));
  const deployments = cs.appsV1().deployments('default');
  const getD = async () => (await deployments.get('web')) as unknown as Deployment;
  const rss = async () => ((await cs.appsV1().replicaSets('default').list()).items as unknown as ReplicaSet[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const events = async () => ((await cs.coreV1().events('default').list()).items as unknown as Array<{ reason: string; message: string; metadata: { name: string } }>).map((e) => `${e.reason}: ${e.message}`);
  const run = (forMs = 30_000) => runUntilIdle(c.clock, { forMs });
  /** Changes the Deployment as `kubectl edit` would (get, change, update). */
  const edit = async (f: (d: Deployment) => void) => {
    const d = await getD();
    f(d);
    await deployments.update(d as unknown as KubeObject);
  };
  const setImage = (image: string) => edit((d) => void ((d.spec.template.spec as { containers: { image: string }[] }).containers[0].image = image));
  const stop = () => {
    ctrl.stop();
    harness.stop();
  };
  return { c, cs, trace, harness, ctrl, deployments, getD, rss, events, run, edit, setImage, stop };
}

const web = (replicas: number, spec: Partial<Deployment['spec']> = {}) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
      ...spec,
    },
  }) as unknown as KubeObject;

const cond = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);
const replicasOf = (rss: ReplicaSet[]) => rss.map((rs) => [rs.spec.template.spec?.containers ? ((rs.spec.template.spec.containers as { image: string }[])[0].image) : '', rs.spec.replicas]);

describe('rollouts end to end (harness in place of the ReplicaSet controller)', () => {
  it('RollingUpdate 4 replicas, maxSurge 1, maxUnavailable 1: steps within the bounds, revisions, complete conditions', async () => {
    const h = await cluster();
    await h.deployments.create(web(4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await h.run();
    const first = await h.getD();
    expect(first.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4, readyReplicas: 4 });
    expect(first.status?.unavailableReplicas ?? 0).toBe(0);
    await h.setImage('web:2');
    await h.run();
    const d = await h.getD();
    const [a, b] = await h.rss();
    const [oldRS, newRS] = a.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1' ? [a, b] : [b, a];
    expect(oldRS.spec.replicas).toBe(0);
    expect(newRS.spec.replicas).toBe(4);
    expect(newRS.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status).toMatchObject({ observedGeneration: 2, replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` });
    expect(cond(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    // Every spec change of the rollout kept old + new within 4 + 1.
    const steps = h.trace.events.filter((e) => e.type === 'deployment.rollout') as unknown as Array<{ newReplicas: number; oldReplicas: number; maxSurge: number; maxUnavailable: number }>;
    expect(steps.length).toBeGreaterThan(3);
    expect(steps.every((s) => s.maxSurge === 1 && s.maxUnavailable === 1 && s.newReplicas + s.oldReplicas <= 5)).toBe(true);
    const ev = await h.events();
    expect(ev[0]).toBe(`ScalingReplicaSet: Scaled up replica set ${oldRS.metadata.name} from 0 to 4`);
    expect(ev[1]).toBe(`ScalingReplicaSet: Scaled up replica set ${newRS.metadata.name} from 0 to 1`);
    expect(ev[2]).toBe(`ScalingReplicaSet: Scaled down replica set ${oldRS.metadata.name} from 4 to 3`);
    expect(ev.every((e) => e.startsWith('ScalingReplicaSet: Scaled '))).toBe(true);
    // Each trace event reads as a sentence.
    expect(eventText(h.trace.events.find((e) => e.type === 'deployment.scale')!)).toMatch(/^default\/web: scaled up replica set web-\w+ from 0 to 4 \(rollingNew\)$/);
    h.stop();
  });

  it('Recreate: old pods gone before the new ReplicaSet exists', async () => {
    const h = await cluster();
    await h.deployments.create(web(3, { strategy: { type: 'Recreate' } }));
    await h.run();
    await h.setImage('web:2');
    await h.run();
    const ev = await h.events();
    expect(ev).toHaveLength(3);
    expect(ev[1]).toMatch(/^ScalingReplicaSet: Scaled down replica set web-\w+ from 3 to 0$/);
    expect(ev[2]).toMatch(/^ScalingReplicaSet: Scaled up replica set web-\w+ from 0 to 3$/);
    // The new ReplicaSet was created after the old one reported no pods.
    const created = h.trace.events.find((e) => e.type === 'deployment.newReplicaSet' && (e as unknown as { revision: string }).revision === '2')!;
    const rollouts = h.trace.events.filter((e) => e.type === 'deployment.rollout' && e.t < created.t) as unknown as Array<{ newRS: string; oldReplicas: number }>;
    expect(rollouts[rollouts.length - 1]).toMatchObject({ newRS: '', oldReplicas: 0 });
    expect((await h.getD()).status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    h.stop();
  });

  it('scaling a stuck rollout scales both ReplicaSets in proportion (sync.go scale)', async () => {
    const h = await cluster();
    await h.deployments.create(web(10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await h.run();
    await h.setImage('bad:1');
    await h.run();
    // Stuck: 8 old (10 - maxUnavailable 2) + 5 new that never become ready = 13 = 10 + maxSurge.
    expect(replicasOf(await h.rss()).sort()).toEqual([['bad:1', 5], ['web:1', 8]]);
    await h.edit((d) => void (d.spec.replicas = 15));
    await h.run();
    // 18 allowed (15 + 3): 5 more, in proportion to 8 and 5 of the old 13: round(8*18/13) = 11, then 18 - 11 = 7.
    expect(replicasOf(await h.rss()).sort()).toEqual([['bad:1', 7], ['web:1', 11]]);
    for (const rs of await h.rss()) expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '15', 'deployment.kubernetes.io/max-replicas': '18' });
    h.stop();
  });

  it('pause and resume: Progressing Unknown DeploymentPaused, no rollout while paused, DeploymentResumed, then the rollout', async () => {
    const h = await cluster();
    await h.deployments.create(web(2));
    await h.run();
    await h.edit((d) => void (d.spec.paused = true));
    await h.run();
    expect(cond(await h.getD(), 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    await h.setImage('web:2');
    await h.run();
    expect(await h.rss()).toHaveLength(1);
    await h.edit((d) => void (d.spec.paused = false));
    await h.run(1);
    expect(cond(await h.getD(), 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' });
    await h.run();
    expect(replicasOf(await h.rss()).sort()).toEqual([['web:1', 0], ['web:2', 2]]);
    h.stop();
  });

  it('progressDeadlineSeconds: a rollout that makes no progress is marked ProgressDeadlineExceeded when the deadline falls due', async () => {
    const h = await cluster();
    await h.deployments.create(web(2, { progressDeadlineSeconds: 30 }));
    await h.run();
    await h.setImage('bad:1');
    await h.run(10_000);
    const stuck = await h.getD();
    expect(cond(stuck, 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    await h.run(60_000);
    const d = await h.getD();
    const newRS = (await h.rss()).find((rs) => (rs.spec.template.spec?.containers as { image: string }[])[0].image === 'bad:1')!;
    expect(cond(d, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` });
    // requeueStuckDeployment woke it at lastUpdateTime + 30 s + 1 s.
    const timedOut = h.trace.events.find((e) => e.type === 'deployment.condition' && (e as unknown as { reason: string }).reason === 'ProgressDeadlineExceeded')!;
    // (The API carries whole seconds.)
    const lastUpdate = parseRfc3339(cond(stuck, 'Progressing')!.lastUpdateTime as unknown as string);
    expect(timedOut.t - lastUpdate).toBeGreaterThanOrEqual(30_000);
    expect(timedOut.t - lastUpdate).toBeLessThanOrEqual(32_000);
    h.stop();
  });

  it('revisionHistoryLimit 1 keeps one old ReplicaSet; going back to an old template reuses its ReplicaSet with a new revision and a revision history', async () => {
    const h = await cluster();
    await h.deployments.create(web(2, { revisionHistoryLimit: 1 }));
    await h.run();
    await h.setImage('web:2');
    await h.run();
    await h.setImage('web:3');
    await h.run();
    expect(replicasOf(await h.rss()).sort()).toEqual([['web:2', 0], ['web:3', 2]]);
    // `kubectl rollout undo` copies the previous ReplicaSet's template into the Deployment.
    await h.setImage('web:2');
    await h.run();
    const rss = await h.rss();
    expect(replicasOf(rss).sort()).toEqual([['web:2', 2], ['web:3', 0]]);
    const back = rss.find((rs) => rs.spec.replicas === 2)!;
    expect(back.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/revision-history': '2' });
    h.stop();
  });

  it('golden: a rolling update of 4 replicas at 25%/25%, as the trace tells it', async () => {
    const h = await cluster(21);
    await h.deployments.create(web(4));
    await h.run();
    await h.setImage('web:2');
    await h.run();
    const lines = h.trace.events
      .filter((e) => e.component === 'deployment' && ['deployment.newReplicaSet', 'deployment.scale', 'deployment.condition', 'deployment.cleanup'].includes(e.type))
      .map((e) => `${String(e.t).padStart(6)} ms  ${eventText(e)}`);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('testdata/rolling-update-4.txt');
    h.stop();
  });

  it('every declared event type is recorded, reads as a sentence and links its upstream function', async () => {
    const h = await cluster(9);
    await h.deployments.create(web(2, { revisionHistoryLimit: 0 }));
    await h.run();
    await h.setImage('web:2');
    await h.run();
    // The old ReplicaSet is gone (history 0): a rollback to "the last revision" finds none.
    await h.edit((d) => void (d.metadata.annotations = { ...(d.metadata.annotations ?? {}), 'deprecated.deployment.rollback.to': '0' }));
    await h.run();
    expect(await h.events()).toContain('DeploymentRollbackRevisionNotFound: Unable to find last revision.');
    const mine = h.trace.events.filter((e) => e.component === 'deployment');
    expect(new Set(mine.map((e) => e.type))).toEqual(new Set(eventTypesOf('deployment')));
    for (const e of mine) {
      expect(catalogOf(e), e.type).toBeDefined();
      expect(eventText(e)).toMatch(/^default\/web: /);
      expect(eventSource(e)?.href).toMatch(/^https:\/\/github\.com\/kubernetes\/kubernetes\/blob\/v1\.34\.0\/pkg\/controller\/deployment\//);
    }
    h.stop();
  });

  it('the same seed gives the same trace, byte for byte', async () => {
    const once = async () => {
      const h = await cluster(5);
      await h.deployments.create(web(3, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 } } }));
      await h.run();
      await h.setImage('web:2');
      await h.run();
      h.stop();
      return JSON.stringify(h.trace.events.filter((e) => e.component === 'deployment'));
    };
    const a = await once();
    expect(a.length).toBeGreaterThan(1000);
    expect(await once()).toBe(a);
  });
});
