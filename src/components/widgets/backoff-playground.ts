/**
 * The live part of <BackoffPlayground>: a container that exits after `runSeconds`, over and over,
 * and when the kubelet restarts it. The decisions are the kubelet model's own (src/sim/kubelet):
 * newKubeletCrashLoopBackOff (10 s doubling to 5 min, starting over when the last step is more
 * than 10 minutes old) and doBackOff (in back-off since the exit's finishedAt, or restart now), with
 * its CrashLoopBackOff message. What the widget adds is when the kubelet asks: the PLEG sees the exit
 * at its next relist (every second); a sync that hits the back-off fails, and in v1.34.0 the pod
 * worker retries after its own backOffPeriod (10 s, jittered by up to 50 %, picked up on the sync
 * loop's 1 s tick), so the restart comes at the first retry after the window ends. The "exactly at
 * the end of the back-off" mode is what the documentation's numbers suggest (and what the requeue
 * of kubernetes PR 133066, after v1.34.0, aims at).
 */
import { rngFromSeed } from '../../sim/core/rng';
import { formatGoDuration } from '../../sim/cache/go_strings';
import { doBackOff, newKubeletCrashLoopBackOff, type PodRef } from '../../sim/kubelet/crashloop';
import { RELIST_PERIOD_MS } from '../../sim/kubelet/pleg';
import { WORKER_BACK_OFF_PERIOD_MS, WORKER_JITTER_FACTOR } from '../../sim/kubelet/pod_workers';

export interface BackoffInput {
  /** How long each attempt runs before it exits, seconds. */
  runSeconds: number;
  /** How many exits to follow. */
  crashes: number;
  /** 'podWorker': v1.34.0 (retries every 10–15 s); 'exact': restart the moment the back-off ends. */
  retry: 'podWorker' | 'exact';
  /** Seeds the pod worker's jitter. */
  seed: number;
}

export interface Attempt {
  /** Container attempt number (RESTARTS in `kubectl get pods` once it is restarted). */
  attempt: number;
  startMs: number;
  finishedAtMs: number;
  /** The back-off window in force at the exit (0 for the first exit, restarted at once). */
  backoffMs: number;
  /** The syncs that found the container in back-off (each shows CrashLoopBackOff). */
  refusedAtMs: number[];
  /** When the next attempt starts. */
  restartAtMs: number;
  /** The waiting message of the refused syncs, the kubelet's own words. */
  message?: string;
}

export const DEFAULT_BACKOFF: BackoffInput = { runSeconds: 5, crashes: 9, retry: 'podWorker', seed: 1 };

const POD: PodRef = { name: 'web-0', namespace: 'default', uid: '6b1f2c' };
const SPEC_HASH = 'busybox:1.36';

/** The sync loop's tick (kubelet.ts SYNC_PERIOD_MS; kubelet.go syncLoop's 1 s syncTicker), kept here so the widget's chunk does not pull in the whole kubelet. */
export const SYNC_TICK_MS = 1_000;

const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

/** The restart timeline of a crash-looping container. */
export function crashLoopTimeline(input: BackoffInput): Attempt[] {
  const clock = { ms: 0, now() { return this.ms; } };
  const backoff = newKubeletCrashLoopBackOff(clock);
  const jitter = rngFromSeed(input.seed).fork('pod-workers');
  const attempts: Attempt[] = [];
  let startMs = 0;
  for (let attempt = 0; attempt < input.crashes; attempt++) {
    const finishedAtMs = startMs + input.runSeconds * 1000;
    // The PLEG's next relist after the exit wakes the pod worker.
    let t = (Math.floor(finishedAtMs / RELIST_PERIOD_MS) + 1) * RELIST_PERIOD_MS;
    const refusedAtMs: number[] = [];
    let message: string | undefined;
    let backoffMs = 0;
    for (;;) {
      clock.ms = t;
      const r = doBackOff(backoff, POD, 'app', SPEC_HASH, finishedAtMs);
      if (!r.inBackOff) break;
      refusedAtMs.push(t);
      message = r.message;
      backoffMs = backoff.get(`${POD.name}_${POD.namespace}_${POD.uid}_app_${SPEC_HASH}`);
      if (input.retry === 'exact') {
        t = finishedAtMs + backoffMs;
      } else {
        // Upstream: pod_workers.go (completeWork): requeue after wait.Jitter(backOffPeriod, 0.5).
        const delay = WORKER_BACK_OFF_PERIOD_MS + Math.floor(jitter.float() * WORKER_JITTER_FACTOR * WORKER_BACK_OFF_PERIOD_MS);
        t = ceilTo(t + delay, SYNC_TICK_MS);
      }
    }
    attempts.push({ attempt, startMs, finishedAtMs, backoffMs, refusedAtMs, restartAtMs: t, message });
    startMs = t;
  }
  return attempts;
}

/** m:ss of virtual time. */
export function clockText(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function describeAttempt(a: Attempt): string {
  const gap = a.restartAtMs - a.finishedAtMs;
  const wait = a.backoffMs === 0 ? 'no back-off yet' : `back-off ${formatGoDuration(a.backoffMs)}, ${a.refusedAtMs.length} sync${a.refusedAtMs.length === 1 ? '' : 's'} refused`;
  return `attempt ${a.attempt} exited at ${clockText(a.finishedAtMs)}; ${wait}; restarted at ${clockText(a.restartAtMs)}, ${formatGoDuration(gap)} after the exit`;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 70;

function svgEl(name: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function draw(svg: SVGSVGElement, attempts: Attempt[]): void {
  const end = attempts.at(-1)?.restartAtMs ?? 1;
  const x = (ms: number) => 8 + (ms / end) * (W - 16);
  const parts: SVGElement[] = [];
  for (const a of attempts) {
    parts.push(svgEl('rect', { class: 'kl-bp-run', x: x(a.startMs), y: 14, width: Math.max(1, x(a.finishedAtMs) - x(a.startMs)), height: 18 }));
    if (a.backoffMs > 0) parts.push(svgEl('rect', { class: 'kl-bp-window', x: x(a.finishedAtMs), y: 36, width: Math.max(1, x(a.finishedAtMs + a.backoffMs) - x(a.finishedAtMs)), height: 10 }));
    for (const r of a.refusedAtMs) parts.push(svgEl('line', { class: 'kl-bp-retry', x1: x(r), x2: x(r), y1: 34, y2: 50 }));
  }
  const axis = svgEl('text', { class: 'kl-bp-axis', x: W - 8, y: H - 4, 'text-anchor': 'end' });
  axis.textContent = clockText(end);
  parts.push(axis);
  svg.replaceChildren(...parts);
}

export function mount(root: HTMLElement): void {
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const run = q<HTMLInputElement>('input[data-run]');
  const crashes = q<HTMLInputElement>('input[data-crashes]');
  const exact = q<HTMLInputElement>('input[data-exact]');
  const seed = q<HTMLInputElement>('input[data-seed]');
  const svg = q<SVGSVGElement>('svg[data-chart]');
  const body = q<HTMLTableSectionElement>('tbody[data-rows]');
  const summary = q<HTMLElement>('[data-summary]');
  const out = (name: string) => root.querySelector<HTMLElement>(`[data-out="${name}"]`);
  const render = () => {
    const input: BackoffInput = { runSeconds: Number(run.value) || 0, crashes: Number(crashes.value) || 1, retry: exact.checked ? 'exact' : 'podWorker', seed: Number(seed.value) || 1 };
    out('run')?.replaceChildren(formatGoDuration(input.runSeconds * 1000));
    out('crashes')?.replaceChildren(String(input.crashes));
    seed.disabled = exact.checked;
    const attempts = crashLoopTimeline(input);
    draw(svg, attempts);
    body.replaceChildren(
      ...attempts.map((a) => {
        const tr = document.createElement('tr');
        for (const text of [String(a.attempt), clockText(a.finishedAtMs), a.backoffMs ? formatGoDuration(a.backoffMs) : '—', a.refusedAtMs.map(clockText).join(' ') || '—', clockText(a.restartAtMs), formatGoDuration(a.restartAtMs - a.finishedAtMs)]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.append(td);
        }
        return tr;
      }),
    );
    const last = attempts.at(-1)!;
    const withMessage = [...attempts].reverse().find((a) => a.message);
    summary.textContent = `${describeAttempt(last)}.${withMessage ? ` While waiting, kubectl get pods shows CrashLoopBackOff and describe says: ${withMessage.message}.` : ' Every exit restarted at once: the container ran long enough that the back-off started over each time.'}`;
  };
  for (const i of [run, crashes, exact, seed]) {
    i.disabled = false;
    i.addEventListener('input', render);
  }
  root.querySelector('[data-status]')?.replaceChildren('Live: move a slider.');
  root.removeAttribute('data-kl-pending');
  render();
}
