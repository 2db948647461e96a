import { describe, expect, it } from 'vitest';
import { TraceRecorder, loadProfile, newDeploymentController, newEnv, newHorizontalController, newLabCluster, newMetricsServer, newReplicaSetController, rngFromSeed, runUntilIdle, runUntilSettled, steps, type KubeObject } from '../../../sim/index';
import { newFakeKubelet } from '../../../sim/controllers/testing/index';
import { rolloutRuns } from '../rollout/state';
import { hpaLayout, hpaMarkup, hpaSvg, METRIC_H } from './chart';
import { heldBy, hpaAt, hpaRuns, sampleAt } from './state';

/**
 * A Deployment of pods requesting 500m, scaled by an HPA (cpu 50 %, min 2, max 5) with the
 * metrics server reading `load`: the Deployment and ReplicaSet controllers and the fake kubelet
 * make the pods the HPA asks for.
 */
async function autoscale(load: Array<{ fromMs: number; cpuMilli: number }>, forMs: number, seed = 1) {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed, trace }) });
  const cs = cluster.clientset({ qps: -1 });
  const clock = cluster.clock;
  const rng = rngFromSeed(seed);
  const dc = newDeploymentController({ client: cs, clock, rng: rng.fork('dc'), trace });
  const rsc = newReplicaSetController({ client: cs, clock, rng: rng.fork('rsc'), trace });
  const kubelet = newFakeKubelet({ client: cs, clock, rng: rng.fork('kubelet'), nodeName: 'node-1', readyAfterMs: 2000 });
  const ms = newMetricsServer({ client: cs, clock, source: loadProfile({ selector: 'app=web', totalCpuMilli: steps(...load) }) });
  ms.register(cluster.apiServer);
  await runUntilSettled(clock, Promise.all([dc.run(), rsc.run(), kubelet.run(), ms.start()]));
  const labels = { app: 'web' };
  await runUntilSettled(clock, cs.appsV1().deployments('default').create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app', resources: { requests: { cpu: '500m' } } }] } } } } as KubeObject));
  const hpa = newHorizontalController({ client: cs, clock, rng: rng.fork('hpa'), trace });
  await runUntilSettled(clock, hpa.run());
  await runUntilSettled(clock, cs.autoscalingV2().horizontalPodAutoscalers('default').create({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } } as KubeObject));
  await runUntilIdle(clock, { forMs });
  for (const c of [hpa, dc, rsc, kubelet, ms]) c.stop();
  return trace.events;
}

const LOAD = [{ fromMs: 0, cpuMilli: 1500 }, { fromMs: 120_000, cpuMilli: 300 }, { fromMs: 540_000, cpuMilli: 50 }];
const reconcile = (t: number, hpa: string, o: Record<string, unknown> = {}) => ({ hpa, metric: 'cpu resource utilization (percentage of request)', value: 80, target: 50, currentReplicas: 2, desiredReplicas: 4, finalReplicas: 4, rescaled: true, reason: 'cpu resource utilization (percentage of request) above target', error: '', ...o });

describe('hpa view: samples from the HPA controller over a Deployment it scales', () => {
  it('scale-up cut by the legacy limit, max proven by TooManyReplicas, a load drop held by the 5-minute window, min proven by TooFewReplicas', async () => {
    const events = await autoscale(LOAD, 900_000);
    const runs = hpaRuns(events);
    expect(runs.map((r) => r.hpa)).toEqual(['default/web']);
    const run = runs[0];
    // One reconcile per 15 s sync period, the first one period after the HPA appeared.
    expect(run.samples.length).toBeGreaterThan(55);
    expect(run.samples[1].t - run.samples[0].t).toBe(15_000);
    // The first reconcile comes before the metrics server has two points per pod: no metrics, an error.
    expect(run.samples[0]).toMatchObject({ value: null, desiredReplicas: -1, finalReplicas: 2, rescaled: false });
    expect(run.samples[0].error).toMatch(/^failed to compute desired number of replicas based on listed metrics for Deployment\/default\/web: /);
    const [first, second] = run.samples.slice(1);
    // 150 % of a 50 % target wants 6; the legacy limit max(2 x 2, 4) allows 4.
    expect(first).toMatchObject({ value: 150, target: 50, currentReplicas: 2, desiredReplicas: 6, finalReplicas: 4, rescaled: true });
    expect(heldBy(first)).toBe('limited');
    // The window's 6 (clamped to max 5) carries the next step although the metrics then want 4.
    expect(second).toMatchObject({ currentReplicas: 4, desiredReplicas: 4, finalReplicas: 5, rescaled: true, reason: '' });
    expect(heldBy(second)).toBe('stabilized');
    expect(run.maxReplicas).toBe(5);
    expect(run.minReplicas).toBe(2);
    // The drop at 120 s: recommended 2, applied 5, until 5 minutes after the last high recommendation.
    const held = run.samples.filter((s) => s.t > 120_000 && s.t < 400_000);
    expect(held.length).toBeGreaterThan(15);
    expect(held.every((s) => s.desiredReplicas === 2 && s.finalReplicas === 5 && heldBy(s) === 'stabilized')).toBe(true);
    const down = run.samples.find((s) => s.rescaled && s.finalReplicas === 2)!;
    const lastHigh = Math.max(...run.samples.filter((s) => s.desiredReplicas >= 5).map((s) => s.t));
    expect(down.t).toBeGreaterThan(lastHigh + 300_000 - 15_000);
    expect(down).toMatchObject({ currentReplicas: 5, reason: 'All metrics below target' });
    // At 50m the metrics want 1: the window holds 2 first, then minReplicas does.
    expect(run.samples.at(-1)).toMatchObject({ desiredReplicas: 1, finalReplicas: 2, reason: 'TooFewReplicas' });
    expect(heldBy(run.samples.at(-1)!)).toBe('bounded');
    // The same trace feeds the rollout view: the ReplicaSet followed the HPA.
    const rollout = rolloutRuns(events).find((r) => r.deployment === 'default/web')!;
    expect(rollout.steps.at(-1)).toMatchObject({ new: { replicas: 2, pods: 2, available: 2 } });
    expect(Math.max(...rollout.steps.map((s) => s.new.pods))).toBe(5);

    // Layout at a held reconcile: the hold spans the recommendation (2) to the count applied (5).
    const k = run.samples.indexOf(held[3]);
    const L = hpaLayout(run, held[3].index + 1);
    expect(L.current).toBe(k);
    expect(L.recommended).toHaveLength(k); // the error recommended nothing
    const hold = L.holds.find((h) => h.sample === k)!;
    expect(hold).toMatchObject({ held: 'stabilized', y1: L.yReplicas(2), y2: L.yReplicas(5) });
    expect(L.cursorX).toBe(L.x(held[3].t));
    expect(L.maxY).toBe(L.yReplicas(5));
    expect(L.minY).toBe(L.yReplicas(2));
    expect(L.value).toHaveLength(1);
    expect(L.errors.map((m) => m.sample)).toEqual([0]);
    expect(L.value[0].split(' ').at(-1)).toBe(`${Math.round(L.x(held[3].t) * 10) / 10},${Math.round(L.yValue(12) * 10) / 10}`);
    expect(L.yValue(0) - L.yValue(50)).toBeCloseTo((METRIC_H * 50) / (150 * 1.15), 6);
    // The axes do not move while scrubbing; only what is drawn grows.
    const end = hpaLayout(run, events.length);
    expect(end.valueTicks).toEqual(L.valueTicks);
    expect(end.timeTicks).toEqual(L.timeTicks);
    expect(end.recommended).toHaveLength(run.samples.length - 1);
    const svg = hpaSvg(run, held[3].index + 1);
    expect(svg.match(/class="kl-hpa-rec[^"]*is-current/g)).toHaveLength(1);
    expect(svg).toMatch(/aria-label="HPA default\/web, reconcile \d+ of \d+, t=[\d.]+ s: cpu resource utilization \(percentage of request\) 12% for a target of 50%, the metrics recommend 2; kept 5 \(held by the stabilization window: ScaleDownStabilized\)\."/);
    const html = hpaMarkup(events, runs, 0, held[3].index + 1);
    expect(html).toMatch(/HPA <b>default\/web<\/b> · cpu resource utilization \(percentage of request\) · min <b>2<\/b> · max <b>5<\/b> · reconcile \d+ of \d+/);
    expect(html).toContain('class="kl-hpa-status is-stabilized" role="status"');
    expect(html.match(/aria-current="step"/g)).toHaveLength(1);
  }, 30_000);
});

describe('hpa view: layout and markup', () => {
  it('an error breaks the metric line and is marked; two HPAs: the one reconciled last is shown', () => {
    const trace = new TraceRecorder();
    trace.emit(15_000, 'horizontal-pod-autoscaler', 'hpa.reconcile', reconcile(15_000, 'default/a'));
    trace.emit(16_000, 'horizontal-pod-autoscaler', 'hpa.reconcile', reconcile(16_000, 'default/b', { value: 5000, target: 2000, metric: 'packets-per-second', desiredReplicas: 5, finalReplicas: 4, rescaled: true }));
    trace.emit(30_000, 'horizontal-pod-autoscaler', 'hpa.reconcile', reconcile(30_000, 'default/a', { metric: '', value: null, target: null, currentReplicas: 4, desiredReplicas: -1, finalReplicas: 4, rescaled: false, reason: '', error: 'failed to compute desired number of replicas based on listed metrics for Deployment/default/a: boom' }));
    trace.emit(45_000, 'horizontal-pod-autoscaler', 'hpa.reconcile', reconcile(45_000, 'default/a', { value: 40, currentReplicas: 4, desiredReplicas: 4, finalReplicas: 4, rescaled: false, reason: '' }));
    const events = trace.events;
    const runs = hpaRuns(events);
    expect(runs.map((r) => r.hpa)).toEqual(['default/a', 'default/b']);
    const a = runs[0];
    const L = hpaLayout(a, events.length);
    expect(L.value).toHaveLength(2);
    expect(L.errors).toEqual([{ x: L.x(30_000), y: expect.any(Number), sample: 1 }]);
    expect(L.recommended.map((m) => m.sample)).toEqual([0, 2]);
    expect(L.rescales.map((m) => m.sample)).toEqual([0]);
    // No bound proven: no min / max lines.
    expect(L.minY).toBeUndefined();
    expect(L.maxY).toBeUndefined();
    expect(hpaAt(runs, 2)).toBe(1);
    expect(hpaAt(runs, events.length)).toBe(0);
    expect(sampleAt(a, 0)).toBe(-1);
    expect(hpaMarkup(events, runs, 1, 2)).toMatch(/HPA 2 of 2: <b>default\/b<\/b> · packets-per-second \(units\)/);
    expect(hpaMarkup(events, runs, 1, 2)).toContain('packets-per-second 5 for a target of 2, the metrics recommend 5; scaled 2 → 4 (cut by a scaling limit');
    expect(hpaMarkup(events, runs, 0, 3)).toContain('class="kl-hpa-status is-error"');
    // Bounds carried by the event win over inference.
    const withBounds = hpaRuns([{ t: 1, seq: 0, component: 'horizontal-pod-autoscaler', type: 'hpa.reconcile', ...reconcile(1, 'x/y', { minReplicas: 1, maxReplicas: 9 }) } as never]);
    expect(withBounds[0]).toMatchObject({ minReplicas: 1, maxReplicas: 9 });
  });

  it('says so without a reconcile', () => {
    expect(hpaMarkup([], [], 0, 0)).toMatch(/Run your code/);
    expect(hpaMarkup([{ t: 0, seq: 0, component: 'x', type: 'x.y' }], [], 0, 1)).toMatch(/No HorizontalPodAutoscaler reconcile/);
  });
});
