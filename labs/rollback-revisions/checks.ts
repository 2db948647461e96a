/**
 * Checks of the rollback-revisions lab. Each check builds its own cluster with
 * kube-controller-manager's Deployment and ReplicaSet controllers (src/sim/controllers/deployment,
 * replicaset: pkg/controller at v1.34.0) and the fake kubelet fixture, calls the learner's
 * functions and reads the result back: the rollback is judged by what kubectl v0.34.0's
 * DeploymentRollbacker.Rollback (pkg/polymorphichelpers/rollback.go) leads the controller to do.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction } from '../../src/lab/checks';
import { newDeploymentController, newLabCluster, newEnv, newReplicaSetController, rngFromSeed, runUntilIdle, runUntilSettled, type Clientset, type KubeObject } from '../../src/sim/index';
import { newFakeKubelet } from '../../src/sim/controllers/testing/index';

type SetImage = (client: Clientset, namespace: string, name: string, image: string, changeCause: string) => Promise<void>;
type RollbackTo = (client: Clientset, namespace: string, name: string, toRevision: number) => Promise<string>;

const REVISION = 'deployment.kubernetes.io/revision';
const HISTORY = 'deployment.kubernetes.io/revision-history';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const NS = 'shop';

const image = (o: KubeObject) => (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image;
const labelsOf = (o: KubeObject) => (o.spec as { template: { metadata?: { labels?: Record<string, string> } } }).template.metadata?.labels ?? {};
const rev = (o: KubeObject) => o.metadata.annotations?.[REVISION];

/** A cluster with the controllers, and Deployment `web` (2 replicas of web:1, surging 100 %: short rollouts) rolled out. */
async function bench(seed: number) {
  const cluster = await newLabCluster({ env: newEnv({ seed }) });
  const cs = (agent: string) => cluster.clientset({ qps: -1, userAgent: agent });
  const kcm = cs('kube-controller-manager/v1.34.0');
  const rng = rngFromSeed(`${seed}/rollback-revisions`);
  const parts = [
    newDeploymentController({ client: kcm, clock: cluster.clock, rng: rng.fork('dc') }),
    newReplicaSetController({ client: kcm, clock: cluster.clock, rng: rng.fork('rsc') }),
    newFakeKubelet({ client: cs('kubelet'), clock: cluster.clock, rng: rng.fork('kubelet'), nodeName: 'node-1' }),
  ];
  await runUntilSettled(cluster.clock, Promise.all(parts.map((p) => p.run())));
  const admin = cs('lab-check');
  const learner = cs('kubectl');
  await admin.coreV1().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await admin.appsV1().deployments(NS).create({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', annotations: { [CHANGE_CAUSE]: 'first release' } },
    spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 } }, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
  });
  const settle = () => runUntilIdle(cluster.clock, { forMs: 8_000 });
  await settle();
  const rss = async () => (await admin.appsV1().replicaSets(NS).list()).items;
  const deployment = () => admin.appsV1().deployments(NS).get('web');
  const stop = () => parts.forEach((p) => p.stop());
  return { cluster, admin, learner, settle, rss, deployment, stop };
}
type Bench = Awaited<ReturnType<typeof bench>>;

const table = (rss: KubeObject[]) =>
  rss.map((rs) => `revision ${rev(rs) ?? '?'}${rs.metadata.annotations?.[HISTORY] ? ` (history ${rs.metadata.annotations[HISTORY]})` : ''}: ${image(rs)} x${(rs.spec as { replicas: number }).replicas}`).sort().join('; ');

/** Runs the learner's two updates: web:2 then web:3, each settled. */
async function twoUpdates(b: Bench, setImage: SetImage): Promise<void> {
  for (const [img, cause] of [['web:2', 'faster start'], ['web:3', 'new cache']]) {
    try {
      await setImage(b.learner, NS, 'web', img, cause);
    } catch (err) {
      throw new AssertionError(`setImage(client, '${NS}', 'web', '${img}', '${cause}') rejected: ${(err as Error).message}`);
    }
    await b.settle();
  }
}

export const updatesTwice = check(
  'setImage() twice: three ReplicaSets with revisions 1, 2, 3, each with its change-cause; the Deployment at revision 3',
  async ({ learner, seed }) => {
    const setImage = exportedFunction<SetImage>(learner, 'setImage');
    const b = await bench(seed);
    try {
      await twoUpdates(b, setImage);
      const rss = await b.rss();
      const byRev = new Map(rss.map((rs) => [rev(rs), rs]));
      const want: Array<[string, string, string]> = [['1', 'web:1', 'first release'], ['2', 'web:2', 'faster start'], ['3', 'web:3', 'new cache']];
      if (rss.length !== 3) throw new AssertionError(`expected 3 ReplicaSets after two image changes, found ${rss.length}: ${table(rss)}`);
      for (const [r, img, cause] of want) {
        const rs = byRev.get(r);
        if (!rs || image(rs) !== img) throw new AssertionError(`revision ${r} should be the ReplicaSet of ${img}; the ReplicaSets: ${table(rss)}`);
        const got = rs.metadata.annotations?.[CHANGE_CAUSE];
        if (got !== cause) throw new AssertionError(`revision ${r} (${img}) carries change-cause ${JSON.stringify(got)}, expected ${JSON.stringify(cause)}: set the annotation in the same write as the image`);
      }
      const d = await b.deployment();
      if (rev(d) !== '3') throw new AssertionError(`the Deployment's ${REVISION} is ${JSON.stringify(rev(d))}, expected "3"`);
    } finally {
      b.stop();
    }
  },
  { hint: 'One write that changes both spec.template and metadata.annotations: the controller copies the Deployment\'s annotations onto the new ReplicaSet when it creates it.' },
);

/** Rolls back to `to` after the two updates and checks what the controller made of it. */
async function expectRollback(b: Bench, rollbackTo: RollbackTo, to: number, newRevision: string): Promise<void> {
  const before = await b.rss();
  const target = before.find((rs) => rev(rs) === String(to))!;
  const wantImage = image(target);
  const wantCause = target.metadata.annotations?.[CHANGE_CAUSE];
  let result: unknown;
  try {
    result = await rollbackTo(b.learner, NS, 'web', to);
  } catch (err) {
    throw new AssertionError(`rollbackTo(client, '${NS}', 'web', ${to}) rejected: ${(err as Error).message}`);
  }
  if (result !== 'rolled back') throw new AssertionError(`rollbackTo(..., ${to}) resolved to ${JSON.stringify(result)}; kubectl says 'rolled back'`);
  const patched = await b.deployment();
  const hash = labelsOf(patched)['pod-template-hash'];
  if (hash !== undefined) throw new AssertionError(`after the rollback the Deployment's template has the label pod-template-hash=${hash}: kubectl deletes it from the copied template (the controller adds its own to each ReplicaSet)`);
  if (image(patched) !== wantImage) throw new AssertionError(`after rollbackTo(..., ${to}) the Deployment runs ${image(patched)}, expected ${wantImage} (revision ${to}'s template)`);
  await b.settle();
  const after = await b.rss();
  const d = await b.deployment();
  if (after.length !== 3) throw new AssertionError(`the controller should reuse revision ${to}'s ReplicaSet, but there are ${after.length} ReplicaSets now: ${table(after)}`);
  const reused = after.find((rs) => rs.metadata.uid === target.metadata.uid);
  if (!reused || rev(reused) !== newRevision || image(reused) !== wantImage) {
    throw new AssertionError(`revision ${to}'s ReplicaSet ${target.metadata.name} should now be revision ${newRevision} with ${wantImage}; the ReplicaSets: ${table(after)}`);
  }
  if ((reused.spec as { replicas: number }).replicas !== 2) throw new AssertionError(`${reused.metadata.name} should be scaled back to 2: ${table(after)}`);
  const history = reused.metadata.annotations?.[HISTORY] ?? '';
  if (history.split(',').pop() !== String(to)) throw new AssertionError(`${reused.metadata.name} should add its old revision ${to} to ${HISTORY}, has ${JSON.stringify(history)}`);
  if (after.some((rs) => rev(rs) === String(to))) throw new AssertionError(`revision ${to} should be gone from the history: ${table(after)}`);
  if (rev(d) !== newRevision) throw new AssertionError(`the Deployment's ${REVISION} is ${JSON.stringify(rev(d))}, expected "${newRevision}"`);
  if (d.metadata.annotations?.[CHANGE_CAUSE] !== wantCause) {
    throw new AssertionError(`the Deployment's change-cause is ${JSON.stringify(d.metadata.annotations?.[CHANGE_CAUSE])}, expected revision ${to}'s ${JSON.stringify(wantCause)}: annotations other than the controller's bookkeeping come back from the ReplicaSet`);
  }
}

export const rollsBackToRevision1 = check(
  'rollbackTo(1) restores revision 1\'s template: the controller reuses its ReplicaSet as revision 4, and revision 1 leaves the history (then back to 2, and to 4)',
  async ({ learner, seed }) => {
    const setImage = exportedFunction<SetImage>(learner, 'setImage');
    const rollbackTo = exportedFunction<RollbackTo>(learner, 'rollbackTo');
    const b = await bench(seed);
    try {
      await twoUpdates(b, setImage);
      // Back to 1 (it becomes 4), to 2 (5), then to 4 (6: web:1 again): the history is 3, 5, 6.
      for (const [to, newRevision] of [[1, '4'], [2, '5'], [4, '6']] as const) {
        try {
          await expectRollback(b, rollbackTo, to, newRevision);
        } catch (err) {
          if (err instanceof AssertionError) throw new AssertionError(`rolling back to revision ${to}: ${err.message}`);
          throw err;
        }
      }
    } finally {
      b.stop();
    }
  },
  { hint: 'Find the ReplicaSet by its deployment.kubernetes.io/revision annotation (not by its age or name), copy its template without pod-template-hash, and patch the template and the annotations in one request.' },
);

export const refusesLikeKubectl = check(
  'rollbackTo() refuses a missing revision and a paused Deployment, and skips the current revision, with kubectl\'s words',
  async ({ learner, seed, expect }) => {
    const setImage = exportedFunction<SetImage>(learner, 'setImage');
    const rollbackTo = exportedFunction<RollbackTo>(learner, 'rollbackTo');
    const b = await bench(seed);
    try {
      await twoUpdates(b, setImage);
      const rvBefore = (await b.deployment()).metadata.resourceVersion;
      const outcome = (p: Promise<string>) => p.then((v) => ({ value: v }), (err: Error) => ({ error: err.message }));
      expect(await outcome(rollbackTo(b.learner, NS, 'web', 7)), 'rollbackTo(..., 7): revision 7 does not exist').to.deep.equal({ error: 'unable to find specified revision 7 in history' });
      expect(await outcome(rollbackTo(b.learner, NS, 'web', 3)), 'rollbackTo(..., 3): revision 3 is the current template').to.deep.equal({ value: 'skipped rollback (current template already matches revision 3)' });
      expect((await b.deployment()).metadata.resourceVersion, 'nothing may be written when the rollback is skipped or refused').to.equal(rvBefore);
      await b.admin.appsV1().deployments(NS).patch('web', 'application/merge-patch+json', { spec: { paused: true } });
      // Reads wait for the watch cache to catch up with a write: let the cluster run.
      await b.settle();
      expect(await outcome(rollbackTo(b.learner, NS, 'web', 1)), 'rollbackTo(..., 1) of a paused Deployment').to.deep.equal({ error: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" });
      expect(image(await b.deployment()), 'a paused Deployment keeps its template').to.equal('web:3');
    } finally {
      b.stop();
    }
  },
  { hint: 'kubectl checks in this order: the revision exists, the Deployment is not paused, the template differs from the current one (hash label ignored).' },
);
