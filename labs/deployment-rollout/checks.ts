/**
 * Checks of the deployment-rollout lab. The judge is the model itself: for each (replicas,
 * maxSurge, maxUnavailable) the Deployment and ReplicaSet controllers roll web:1 to web:2 on a lab
 * cluster, one sync per step (rollout-model.ts), and the learner's steps are compared with theirs.
 * A wrong step is explained with the upstream function that wrote the model's numbers.
 */
import { AssertionError } from 'chai';
import { check, exportedFunction, type Expect } from '../../src/lab/checks';
import { newLabCluster, newEnv } from '../../src/sim/index';
import { modelRollout, type ModelStep, type RolloutInput } from './rollout-model';

type Step = [number, number];
type PredictRollout = (r: RolloutInput) => Step[];

const label = (r: RolloutInput) => `replicas ${r.replicas}, maxSurge ${JSON.stringify(r.maxSurge)}, maxUnavailable ${JSON.stringify(r.maxUnavailable)}`;
const show = (steps: readonly { 0: number; 1: number }[]) => steps.map((s) => `${s[0]}/${s[1]}`).join(' -> ');

/** Compares the learner's steps with the model's; fails on the first step that differs. */
async function expectSameRollout(expect: Expect, predict: PredictRollout, r: RolloutInput, seed: number): Promise<void> {
  const model: ModelStep[] = await modelRollout(r, seed);
  const want: Step[] = model.map((s) => [s.old, s.new]);
  let got: Step[];
  try {
    got = predict({ ...r });
  } catch (err) {
    throw new AssertionError(`${label(r)}: predictRollout threw: ${(err as Error).message}. The controllers roll it out as (old/new) ${show(want)}`);
  }
  expect(got, `${label(r)}: predictRollout must return an array of [old, new] pairs`).to.be.an('array');
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    const g = got[i];
    const w = model[i];
    if (!w) throw new AssertionError(`${label(r)}: the rollout is over after ${model.length} steps (old/new ${show(want)}), but you predicted a step ${i + 1}: ${JSON.stringify(g)}`);
    if (!Array.isArray(g) || g[0] !== w.old || g[1] !== w.new) {
      const yours = Array.isArray(g) ? `old ${g[0]}, new ${g[1]}` : JSON.stringify(g ?? 'nothing');
      throw new AssertionError(
        `${label(r)}: step ${i + 1} differs: you predicted ${yours}, the controller wrote old ${w.old}, new ${w.new} ` +
          `in that sync (${w.by.join(', then ')}). The model's steps (old/new): ${show(want)}; yours: ${show(got.filter(Array.isArray))}`,
      );
    }
  }
}

export const INTEGER_ROLLOUTS: RolloutInput[] = [
  { replicas: 4, maxSurge: 1, maxUnavailable: 1 },
  { replicas: 3, maxSurge: 1, maxUnavailable: 0 },
  { replicas: 3, maxSurge: 0, maxUnavailable: 1 },
  { replicas: 7, maxSurge: 3, maxUnavailable: 2 },
  { replicas: 6, maxSurge: 10, maxUnavailable: 0 },
  { replicas: 5, maxSurge: 0, maxUnavailable: 5 },
  { replicas: 3, maxSurge: 0, maxUnavailable: 10 },
];

export const PERCENT_ROLLOUTS: RolloutInput[] = [
  { replicas: 10, maxSurge: '25%', maxUnavailable: '25%' },
  { replicas: 3, maxSurge: '25%', maxUnavailable: '25%' },
  { replicas: 2, maxSurge: '50%', maxUnavailable: 0 },
  { replicas: 8, maxSurge: '30%', maxUnavailable: 2 },
  { replicas: 5, maxSurge: 0, maxUnavailable: '10%' },
];

export const predictsIntegerRollouts = check(
  'predictRollout() gives the ReplicaSets\' replicas after every sync of a RollingUpdate with integer maxSurge / maxUnavailable',
  async ({ learner, seed, expect }) => {
    const predict = exportedFunction<PredictRollout>(learner, 'predictRollout');
    for (const r of INTEGER_ROLLOUTS) await expectSameRollout(expect, predict, r, seed);
  },
  { hint: 'One sync does one thing: grow the new ReplicaSet if the total stays within replicas + maxSurge, else shrink the old ones while replicas - maxUnavailable pods stay available. The first sync is special: it creates the new ReplicaSet and, since its pods are not available yet, goes on to the old one.' },
);

export const predictsPercentRollouts = check(
  'predictRollout() also takes percentages: maxSurge rounds up, maxUnavailable rounds down, and both at 0 still roll',
  async ({ learner, seed, expect }) => {
    const predict = exportedFunction<PredictRollout>(learner, 'predictRollout');
    for (const r of PERCENT_ROLLOUTS) await expectSameRollout(expect, predict, r, seed);
  },
  { hint: 'A percentage is of spec.replicas. Rounding surge up and unavailable down is the cautious direction for each. If both come out 0, the controller lets one pod be unavailable (ResolveFenceposts).' },
);

export const rejectsZeroZero = check(
  'predictRollout() refuses maxSurge 0 with maxUnavailable 0, as the API server does',
  async ({ learner, seed, expect }) => {
    const predict = exportedFunction<PredictRollout>(learner, 'predictRollout');
    // What the API server says, in the learner's failure message.
    const cluster = await newLabCluster({ env: newEnv({ seed }) });
    const refused = await cluster
      .clientset({ qps: -1 })
      .appsV1()
      .deployments('default')
      .create({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
        spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
      })
      .then(() => 'created (unexpected)', (err: Error) => err.message);
    for (const r of [{ replicas: 3, maxSurge: 0, maxUnavailable: 0 }, { replicas: 3, maxSurge: 0, maxUnavailable: '0%' }, { replicas: 10, maxSurge: '0%', maxUnavailable: '0%' }]) {
      expect(() => predict(r), `${label(r)} must throw: kubectl apply gets ${refused}`).to.throw();
    }
  },
  { hint: 'With no surge and no unavailability allowed, no old pod may go and no new pod may come.' },
);
