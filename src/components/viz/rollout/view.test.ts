import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceRecorder, newEnv, newLabCluster, newDeploymentController, newReplicaSetController, rngFromSeed, runUntilIdle, runUntilSettled, type KubeObject } from '../../../sim/index';
import { newFakeKubelet } from '../../../sim/controllers/testing/index';
import { PLOT_H, rolloutLayout, rolloutMarkup, rolloutSvg } from './chart';
import { rolloutRuns, runAt, stepAt } from './state';

type Strategy = { type: 'RollingUpdate'; rollingUpdate: { maxSurge: number | string; maxUnavailable: number | string } } | { type: 'Recreate' };

const deployment = (name: string, replicas: number, strategy: Strategy, image = 'web:1') =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, strategy, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } } } }) as unknown as KubeObject;

/** The Deployment and ReplicaSet controllers and the fake kubelet on a lab cluster: create, then change the image of each Deployment. */
async function rollout(ds: Array<{ name: string; replicas: number; strategy: Strategy }>, seed = 1) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  const clock = cluster.clock;
  const dc = newDeploymentController({ client: cs, clock, rng: rngFromSeed(seed), trace });
  const rsc = newReplicaSetController({ client: cs, clock, rng: rngFromSeed(seed + 1), trace });
  const kubelet = newFakeKubelet({ client: cs, clock, rng: rngFromSeed(seed + 2), nodeName: 'node-1', readyAfterMs: 2000 });
  await runUntilSettled(clock, Promise.all([dc.run(), rsc.run(), kubelet.run()]));
  const api = cs.appsV1().deployments('default');
  for (const d of ds) await runUntilSettled(clock, api.create(deployment(d.name, d.replicas, d.strategy)));
  await runUntilIdle(clock, { forMs: 30_000 });
  const rolled = trace.events.length;
  for (const d of ds) await runUntilSettled(clock, api.patch(d.name, 'application/merge-patch+json', { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } } as unknown as KubeObject));
  await runUntilIdle(clock, { forMs: 60_000 });
  dc.stop();
  rsc.stop();
  kubelet.stop();
  return { events: trace.events, rolled };
}

/** The RollingUpdate most tests read (4 replicas, maxSurge 1, maxUnavailable 1), run once. */
let cached: ReturnType<typeof rollout> | undefined;
const standard = () => (cached ??= rollout([{ name: 'web', replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }]));

describe('rollout view: steps from the Deployment and ReplicaSet controllers', () => {
  it('RollingUpdate 4 replicas, maxSurge 1, maxUnavailable 1: every step within the band once the first rollout is available', async () => {
    const { events, rolled } = await standard();
    const runs = rolloutRuns(events);
    expect(runs.map((r) => r.deployment)).toEqual(['default/web']);
    const run = runs[0];
    expect(run.replicaSets).toHaveLength(2);
    const last = run.steps.at(-1)!;
    expect(last).toMatchObject({ newRS: run.replicaSets[1], new: { replicas: 4, pods: 4, available: 4 }, old: { replicas: 0, pods: 0, available: 0 }, replicas: 4, maxSurge: 1, maxUnavailable: 1 });
    // Steps only when something shown changed, in trace order.
    for (let i = 1; i < run.steps.length; i++) expect(run.steps[i].index).toBeGreaterThan(run.steps[i - 1].index);
    const during = run.steps.filter((s) => s.index >= rolled);
    expect(during.some((s) => s.old.pods > 0 && s.new.pods > 0)).toBe(true);
    for (const s of during) {
      // The Deployment controller's promise: spec.replicas summed within replicas + maxSurge, available at least replicas - maxUnavailable.
      expect(s.old.replicas + s.new.replicas).toBeLessThanOrEqual(5);
      expect(s.old.available + s.new.available).toBeGreaterThanOrEqual(3);
      expect(s.old.pods + s.new.pods).toBeLessThanOrEqual(5);
    }
    // Between the Deployment's syncs the ReplicaSet controller's status moves the bars too.
    expect(run.steps.some((s) => s.cause.endsWith('status'))).toBe(true);
    expect(run.steps.some((s) => /^scale web-.* 4 → 3 \(rollingOld\)$/.test(s.cause))).toBe(true);
  }, 20_000);

  it('Recreate: the old pods are gone before a new one is created', async () => {
    const { events, rolled } = await rollout([{ name: 'web', replicas: 3, strategy: { type: 'Recreate' } }]);
    const run = rolloutRuns(events)[0];
    const during = run.steps.filter((s) => s.index >= rolled);
    expect(during.some((s) => s.old.pods > 0)).toBe(true);
    expect(during.some((s) => s.old.pods > 0 && s.new.pods > 0)).toBe(false);
    expect(during.at(-1)).toMatchObject({ new: { pods: 3, available: 3 }, old: { pods: 0 } });
    // Between the two, no pod is available: the outage Recreate accepts.
    expect(during.some((s) => s.old.available + s.new.available === 0)).toBe(true);
  }, 20_000);
  it('property: for any fenceposts and seed, the steps of a rolling update stay in the band the view draws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 1000 }), async (replicas, surge, unavailable, seed) => {
        fc.pre(surge + unavailable > 0);
        const { events, rolled } = await rollout([{ name: 'web', replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } }], seed);
        const run = rolloutRuns(events)[0];
        for (const s of run.steps.filter((x) => x.index >= rolled)) {
          expect(s.old.replicas + s.new.replicas).toBeLessThanOrEqual(replicas + surge);
          expect(s.old.available + s.new.available).toBeGreaterThanOrEqual(replicas - unavailable);
        }
        expect(run.steps.at(-1)).toMatchObject({ new: { pods: replicas, available: replicas }, old: { pods: 0 } });
        const L = rolloutLayout(run, events.length);
        expect(L.bars).toHaveLength(run.steps.length);
        expect(L.y(replicas + surge)).toBeGreaterThanOrEqual(L.y(L.yMax));
      }),
      { numRuns: 4, seed: 13 },
    );
  }, 30_000);
});

describe('rollout view: layout and markup', () => {
  it('stacks old under new, available under unavailable, inside the band; reveals up to the cursor and rings the current step', async () => {
    const { events, rolled } = await standard();
    const run = rolloutRuns(events)[0];
    const mid = run.steps.find((s) => s.index >= rolled && s.old.pods > 0 && s.new.pods > 0 && s.new.available < s.new.pods)!;
    const k = run.steps.indexOf(mid);
    const L = rolloutLayout(run, mid.index + 1);
    expect(L.current).toBe(k);
    expect(L.bars).toHaveLength(k + 1);
    const bar = L.bars[k];
    expect(bar.segments.map((g) => g.kind)).toEqual([...(mid.old.available ? ['old-available'] : []), ...(mid.old.pods > mid.old.available ? ['old-unavailable'] : []), ...(mid.new.available ? ['new-available'] : []), 'new-unavailable']);
    // Heights are pod counts on the y scale; segments touch.
    for (const g of bar.segments) expect(g.h).toBeCloseTo((PLOT_H * g.pods) / L.yMax, 6);
    for (let i = 1; i < bar.segments.length; i++) expect(bar.segments[i].y + bar.segments[i].h).toBeCloseTo(bar.segments[i - 1].y, 6);
    // The band: replicas + maxSurge = 5 above, replicas - maxUnavailable = 3 below.
    expect(L.upper.split(' ').at(-1)!.split(',')[1]).toBe(String(Math.round(L.y(5) * 10) / 10));
    expect(L.lower.split(' ').at(-1)!.split(',')[1]).toBe(String(Math.round(L.y(3) * 10) / 10));
    // The axes do not move while scrubbing.
    expect(rolloutLayout(run, events.length).ticks).toEqual(L.ticks);
    const svg = rolloutSvg(run, mid.index + 1);
    expect(svg.match(/class="kl-ro-bar/g)).toHaveLength(k + 1);
    expect(svg.match(/kl-ro-bar is-current/g)).toHaveLength(1);
    expect(svg).toMatch(/role="img" aria-label="Rollout of default\/web, step \d+ of \d+, t=[^"]*new web-[^"]* pods \(\d available, \d wanted\), old \d pods/);
    const html = rolloutMarkup(events, [run], 0, mid.index + 1);
    expect(html).toMatch(/Deployment <b>default\/web<\/b> · replicas <b>4<\/b> · maxSurge <b>1<\/b> · maxUnavailable <b>1<\/b>/);
    expect(html.match(/aria-current="step"/g)).toHaveLength(1);
    expect(html).toContain('role="status"');
  }, 20_000);

  it('two Deployments: the one the cursor last moved is shown', async () => {
    const { events } = await rollout([
      { name: 'a', replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
      { name: 'b', replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } },
    ]);
    const runs = rolloutRuns(events);
    expect(runs.map((r) => r.deployment).sort()).toEqual(['default/a', 'default/b']);
    const a = runs.find((r) => r.deployment === 'default/a')!;
    // 25% of 2: maxSurge rounds up to 1, maxUnavailable down to 0.
    expect(a.steps.at(-1)).toMatchObject({ maxSurge: 1, maxUnavailable: 0 });
    // At each run's last step, that run is the one shown (each event belongs to one Deployment).
    for (const [i, r] of runs.entries()) expect(runAt(runs, r.steps.at(-1)!.index + 1)).toBe(i);
    expect(stepAt(a, 0)).toBe(-1);
    const last = runs.reduce((x, y) => (x.steps.at(-1)!.index > y.steps.at(-1)!.index ? x : y));
    expect(runs[runAt(runs, events.length)]).toBe(last);
    expect(rolloutMarkup(events, runs, runAt(runs, events.length), events.length)).toMatch(/Deployment \d of 2: <b>default\/[ab]<\/b>/);
  }, 20_000);

  it('says so without a rollout', () => {
    expect(rolloutMarkup([], [], 0, 0)).toMatch(/Run your code/);
    expect(rolloutMarkup([{ t: 0, seq: 0, component: 'x', type: 'x.y' }], rolloutRuns([{ t: 0, seq: 0, component: 'x', type: 'x.y' }]), 0, 1)).toMatch(/No Deployment rollout/);
  });
});
