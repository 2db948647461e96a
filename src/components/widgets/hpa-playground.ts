/**
 * The live part of <HpaPlayground>: one reconcile of an HPA without `behavior` on CPU utilization,
 * computed by the podautoscaler model (src/sim/controllers/podautoscaler): the replica calculator's
 * GetResourceReplicas (groupPods, the tolerance, missing and unready pods filled in pessimistically)
 * over pods the widget builds from the inputs, then the legacy normalization of horizontal.go:
 * stabilizeRecommendation (the 5-minute scale-down window) and convertDesiredReplicasWithRules
 * (min, max, and the max(2 x current, 4) scale-up limit), with the condition reasons and the
 * SuccessfulRescale text the controller would write.
 */
import type { Pod } from '../../sim/api/core/v1';
import { convertDesiredReplicasWithRules, stabilizeRecommendation } from '../../sim/controllers/podautoscaler/horizontal';
import { groupPods } from '../../sim/controllers/podautoscaler/pod_groups';
import { newReplicaCalculator, type PodMetricsResult } from '../../sim/controllers/podautoscaler/replica_calculator';

export interface HpaInput {
  currentReplicas: number;
  /**
   * Per-pod CPU as a percent of its request, comma-separated, the last repeated to fill the
   * replicas: "90, 120". "-" is a pod without a sample; a trailing "*" a pod not Ready yet
   * (started a minute ago, inside the CPU initialization period).
   */
  utilization: string;
  /** averageUtilization, percent. */
  target: number;
  /** --horizontal-pod-autoscaler-tolerance, percent (default 10). */
  tolerancePercent: number;
  minReplicas: number;
  maxReplicas: number;
  /** The highest recommendation of the last 5 minutes (0: none), for the scale-down window. */
  recentRecommendation: number;
}

export interface PodInput {
  name: string;
  /** Percent of request; undefined: no metric sample. */
  utilization?: number;
  ready: boolean;
}

export interface HpaResult {
  pods: PodInput[];
  groups?: { ready: number; unready: number; missing: number };
  /** The calculator's answer: percent of request over the counted pods, and its replicas. */
  utilization?: number;
  calculated?: number;
  /** After the stabilization window and the rules. */
  desired: number;
  /** SuccessfulRescale's reason, or why nothing changes. */
  rescaleReason: string;
  conditions: string[];
  /** Set when the calculator or the input refuses: the controller's message. */
  error?: string;
}

export const DEFAULT_HPA: HpaInput = { currentReplicas: 3, utilization: '90, 80, 130', target: 50, tolerancePercent: 10, minReplicas: 1, maxReplicas: 10, recentRecommendation: 0 };

const REQUEST_MILLI = 500;
const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The pods the inputs describe. Throws for a value that is not a number, "-" or "N*". */
export function parsePods(input: Pick<HpaInput, 'currentReplicas' | 'utilization'>): PodInput[] {
  const items = input.utilization.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new Error('give at least one utilization');
  const pods: PodInput[] = [];
  for (let i = 0; i < input.currentReplicas; i++) {
    const raw = items[Math.min(i, items.length - 1)];
    const name = `web-${i}`;
    if (raw === '-') {
      pods.push({ name, ready: true });
      continue;
    }
    const m = /^([0-9]+(?:\.[0-9]+)?)(\*?)$/.exec(raw);
    if (!m) throw new Error(`"${raw}" is not a utilization: write a percent like 80, "-" for no metric, or 80* for a pod not Ready yet`);
    pods.push({ name, utilization: Number(m[1]), ready: m[2] === '' });
  }
  return pods;
}

function pod(p: PodInput): Pod {
  // A Ready pod started 10 minutes ago (past the 5-minute CPU initialization period); one not
  // Ready yet started a minute ago and has never been Ready.
  const started = p.ready ? NOW_MS - 600_000 : NOW_MS - 60_000;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: `${REQUEST_MILLI}m` } } }] },
    status: {
      phase: 'Running',
      startTime: iso(started),
      conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False', lastTransitionTime: iso(p.ready ? started + 5_000 : started) }],
    },
  } as unknown as Pod;
}

/** One reconcile of the HPA's CPU metric. */
export async function reconcileOnce(input: HpaInput): Promise<HpaResult> {
  let pods: PodInput[];
  try {
    pods = parsePods(input);
  } catch (e) {
    return { pods: [], desired: input.currentReplicas, rescaleReason: '', conditions: [], error: (e as Error).message };
  }
  const min = input.minReplicas;
  const conditions: string[] = [];
  // Upstream: horizontal.go (reconcileAutoscaler): the count itself out of bounds comes first.
  if (input.currentReplicas > input.maxReplicas) return { pods, desired: input.maxReplicas, rescaleReason: 'Current number of replicas above Spec.MaxReplicas', conditions };
  if (input.currentReplicas < min) return { pods, desired: min, rescaleReason: 'Current number of replicas below Spec.MinReplicas', conditions };

  const apiPods = pods.map(pod);
  const metrics: PodMetricsResult = {
    timestampMs: NOW_MS - 30_000,
    metrics: Object.fromEntries(pods.filter((p) => p.utilization !== undefined).map((p) => [p.name, { value: Math.round((REQUEST_MILLI * p.utilization!) / 100), timestampMs: NOW_MS - 30_000, windowMs: 30_000 }])),
  };
  const clock = { now: () => NOW_MS };
  const calc = newReplicaCalculator({
    tolerance: input.tolerancePercent / 100,
    clock,
    podLister: { list: () => apiPods },
    metricsClient: { getResourceMetric: () => metrics },
  });
  const sampled = new Map(Object.entries(metrics.metrics).map(([k, v]) => [k, { ...v }]));
  const g = groupPods(apiPods, sampled, 'cpu', 300_000, 30_000, NOW_MS);
  const groups = { ready: g.readyPodCount, unready: g.unreadyPods.size, missing: g.missingPods.size };
  let r: Awaited<ReturnType<typeof calc.getResourceReplicas>>;
  try {
    r = await calc.getResourceReplicas(input.currentReplicas, input.target, 'cpu', 'default', {});
  } catch (e) {
    // Upstream: horizontal.go (computeStatusForResourceMetric, getUnableComputeReplicaCountCondition)
    const msg = `failed to get cpu utilization: ${(e as Error).message}`;
    return { pods, groups, desired: input.currentReplicas, rescaleReason: '', conditions: [`ScalingActive False FailedGetResourceMetric: the HPA was unable to compute the replica count: ${msg}`], error: msg };
  }
  let rescaleReason = '';
  if (r.replicas > input.currentReplicas) rescaleReason = 'cpu resource utilization (percentage of request) above target';
  if (r.replicas < input.currentReplicas) rescaleReason = 'All metrics below target';
  // Upstream: horizontal.go (normalizeDesiredReplicas)
  const recent = input.recentRecommendation > 0 ? [{ recommendation: input.recentRecommendation, timestampMs: NOW_MS - 120_000 }] : [];
  const stabilized = stabilizeRecommendation(recent, r.replicas, 300_000, NOW_MS).replicas;
  conditions.push(stabilized !== r.replicas ? 'AbleToScale True ScaleDownStabilized: recent recommendations were higher than current one, applying the highest recent recommendation' : 'AbleToScale True ReadyForNewScale: recommended size matches current size');
  const limited = convertDesiredReplicasWithRules(input.currentReplicas, stabilized, min, input.maxReplicas);
  conditions.push(`ScalingLimited ${limited.replicas === stabilized ? 'False' : 'True'} ${limited.condition}: ${limited.reason}`);
  return { pods, groups, utilization: r.utilization, calculated: r.replicas, desired: limited.replicas, rescaleReason, conditions };
}

/** The result in words, for the live region. */
export function describeResult(input: HpaInput, r: HpaResult): string {
  if (r.error) return r.error;
  if (r.calculated === undefined) return `${r.rescaleReason}: the controller sets ${r.desired} replicas without asking the metrics.`;
  const ratio = (r.utilization! / input.target).toFixed(2);
  const g = r.groups!;
  const counted = `${g.ready} ready${g.unready ? `, ${g.unready} not Ready yet` : ''}${g.missing ? `, ${g.missing} without metrics` : ''}`;
  const change = r.desired === input.currentReplicas ? `stays at ${r.desired}` : `goes from ${input.currentReplicas} to ${r.desired} (SuccessfulRescale "New size: ${r.desired}; reason: ${r.rescaleReason}")`;
  return `Pods: ${counted}. Utilization ${r.utilization}% of request against ${input.target}%: ratio ${ratio}. The calculator says ${r.calculated}; the Deployment ${change}.`;
}

export function mount(root: HTMLElement): void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const fields = {
    currentReplicas: q<HTMLInputElement>('input[data-current]'),
    utilization: q<HTMLInputElement>('input[data-util]'),
    target: q<HTMLInputElement>('input[data-target]'),
    tolerancePercent: q<HTMLInputElement>('input[data-tolerance]'),
    minReplicas: q<HTMLInputElement>('input[data-min]'),
    maxReplicas: q<HTMLInputElement>('input[data-max]'),
    recentRecommendation: q<HTMLInputElement>('input[data-recent]'),
  };
  const said = q<HTMLElement>('[data-said]');
  const podsOut = q<HTMLElement>('[data-pods]');
  const condOut = q<HTMLElement>('[data-conditions]');
  let generation = 0;
  const int = (el: HTMLInputElement, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.trunc(Number(el.value)) || lo));
  const render = async () => {
    const mine = ++generation;
    const input: HpaInput = {
      currentReplicas: int(fields.currentReplicas, 1, 30),
      utilization: fields.utilization.value,
      target: int(fields.target, 1, 500),
      tolerancePercent: Math.max(0, Math.min(100, Number(fields.tolerancePercent.value) || 0)),
      minReplicas: int(fields.minReplicas, 1, 30),
      maxReplicas: int(fields.maxReplicas, 1, 30),
      recentRecommendation: Math.max(0, Math.min(30, Math.trunc(Number(fields.recentRecommendation.value)) || 0)),
    };
    const r = await reconcileOnce(input);
    if (mine !== generation) return;
    podsOut.textContent = r.pods.map((p) => `${p.name} ${p.utilization === undefined ? 'no metric' : `${p.utilization}%`}${p.ready ? '' : ' (not Ready)'}`).join(' · ');
    condOut.textContent = r.conditions.join('\n');
    said.textContent = describeResult(input, r);
  };
  for (const el of Object.values(fields)) {
    el.disabled = false;
    el.addEventListener('input', () => void render());
  }
  root.querySelector('[data-status]')?.replaceChildren('Live: change a value.');
  root.removeAttribute('data-kl-pending');
  void render();
}
