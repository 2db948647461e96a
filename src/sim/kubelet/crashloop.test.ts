import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FakeClock } from '../core/clock';
import {
  CRASH_LOOP_BACK_OFF_RESET_MS,
  doBackOff,
  formatPod,
  newCrashLoopBackOff,
  newKubeletCrashLoopBackOff,
  type CrashLoopBackOffConfig,
} from './crashloop';

const S = 1000;
const pod = { name: 'web', namespace: 'default', uid: 'u-1' };

/**
 * A container that exits `runMs` after each start, synced by the kubelet every second: returns the
 * start times and the CrashLoopBackOff messages in order of first appearance.
 */
function crashLoop(cfg: CrashLoopBackOffConfig, runMs: (restart: number) => number, untilMs: number, syncMs = S) {
  const clock = new FakeClock(0);
  const backoff = newKubeletCrashLoopBackOff(clock, cfg);
  const starts = [0];
  let finishedAt = runMs(0);
  const messages: string[] = [];
  while (clock.now() < untilMs) {
    clock.step(syncMs);
    if (clock.now() < finishedAt) continue; // still running
    const r = doBackOff(backoff, pod, 'app', 'nginx:1.27', finishedAt);
    if (r.inBackOff) {
      if (messages.at(-1) !== r.message) messages.push(r.message);
      continue;
    }
    starts.push(clock.now());
    finishedAt = clock.now() + runMs(starts.length - 1);
  }
  return { starts, messages };
}

describe('CrashLoopBackOff settings (pkg/kubelet/kubelet.go newCrashLoopBackOff)', () => {
  it.each([
    { name: 'defaults', cfg: {}, want: { initialMs: 10 * S, maxMs: 300 * S } },
    { name: 'ReduceDefaultCrashLoopBackOffDecay', cfg: { reduceDefaultCrashLoopBackOffDecay: true }, want: { initialMs: 1 * S, maxMs: 60 * S } },
    { name: 'node max above initial', cfg: { kubeletCrashLoopBackOffMax: true, maxContainerRestartPeriodMs: 120 * S }, want: { initialMs: 10 * S, maxMs: 120 * S } },
    { name: 'node max below initial pulls initial down', cfg: { kubeletCrashLoopBackOffMax: true, maxContainerRestartPeriodMs: 5 * S }, want: { initialMs: 5 * S, maxMs: 5 * S } },
    { name: 'both gates: node max wins', cfg: { reduceDefaultCrashLoopBackOffDecay: true, kubeletCrashLoopBackOffMax: true, maxContainerRestartPeriodMs: 200 * S }, want: { initialMs: 1 * S, maxMs: 200 * S } },
    { name: 'node max ignored without its gate', cfg: { maxContainerRestartPeriodMs: 5 * S }, want: { initialMs: 10 * S, maxMs: 300 * S } },
  ])('$name', ({ cfg, want }) => {
    expect(newCrashLoopBackOff(cfg)).toEqual(want);
  });

  it('refuses a node max outside 1s..300s', () => {
    expect(() => newCrashLoopBackOff({ kubeletCrashLoopBackOffMax: true, maxContainerRestartPeriodMs: 500 })).toThrow(/between 1s and 300s, got 500ms/);
    expect(() => newCrashLoopBackOff({ kubeletCrashLoopBackOffMax: true, maxContainerRestartPeriodMs: 301 * S })).toThrow(/got 5m1s/);
    expect(() => newCrashLoopBackOff({ kubeletCrashLoopBackOffMax: true })).toThrow(/got nothing/);
  });
});

describe('doBackOff (kuberuntime_manager.go)', () => {
  it('restarts at once the first time, then waits 10s, 20s, 40s, 1m20s, 2m40s, 5m0s, 5m0s', () => {
    const { starts, messages } = crashLoop({}, () => 0, 1300 * S);
    const gaps = starts.slice(2).map((t, i) => (t - starts[i + 1]) / S);
    expect(starts.slice(0, 2)).toEqual([0, 1 * S]);
    expect(gaps.slice(0, 7)).toEqual([10, 20, 40, 80, 160, 300, 300]);
    expect(messages).toEqual(
      ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s'].map((d) => `back-off ${d} restarting failed container=app pod=web_default(u-1)`),
    );
  });

  it('reduced decay: 1s, 2s, 4s ... capped at 1m0s', () => {
    const { messages } = crashLoop({ reduceDefaultCrashLoopBackOffDecay: true }, () => 0, 400 * S, 100);
    const uniq = [...new Set(messages.map((m) => m.split(' ')[1]))];
    expect(uniq).toEqual(['1s', '2s', '4s', '8s', '16s', '32s', '1m0s']);
  });

  it('a container that ran more than 10 minutes starts over at 10s', () => {
    // Crash fast five times (backoff reaches 2m40s), then run 11 minutes, then crash fast again.
    const run = (n: number) => (n === 6 ? 11 * 60 * S : 0);
    const { starts, messages } = crashLoop({}, run, 2400 * S);
    const longStart = starts[6];
    const restartAfterLong = starts[7];
    expect(restartAfterLong - (longStart + 11 * 60 * S)).toBe(0); // no wait: the entry expired
    expect(starts[8] - starts[7]).toBe(10 * S);
    expect(messages).toContain('back-off 10s restarting failed container=app pod=web_default(u-1)');
  });

  it('exactly 10 minutes is not enough: the reset needs more than 600s', () => {
    const clock = new FakeClock(0);
    const b = newKubeletCrashLoopBackOff(clock);
    b.next('k', 0);
    clock.setTime(CRASH_LOOP_BACK_OFF_RESET_MS);
    b.next('k', clock.now());
    expect(b.get('k')).toBe(20 * S);
    clock.setTime(2 * CRASH_LOOP_BACK_OFF_RESET_MS + 1);
    b.next('k', clock.now());
    expect(b.get('k')).toBe(10 * S);
  });

  it('the kubelet resets after 600s, not after 2 x max (which would be 10 minutes too, but only by coincidence)', () => {
    const clock = new FakeClock(0);
    const b = newKubeletCrashLoopBackOff(clock, { reduceDefaultCrashLoopBackOffDecay: true });
    b.next('k', 0);
    clock.setTime(121 * S); // past 2 x 60s, still inside 600s
    b.next('k', clock.now());
    expect(b.get('k')).toBe(2 * S);
  });

  it('names the pod like format.Pod and emits the BackOff event', () => {
    const clock = new FakeClock(0);
    const b = newKubeletCrashLoopBackOff(clock);
    expect(doBackOff(b, pod, 'app', 'h', undefined)).toEqual({ inBackOff: false });
    expect(doBackOff(b, pod, 'app', 'h', 0)).toEqual({ inBackOff: false });
    const r = doBackOff(b, pod, 'app', 'h', 0);
    expect(formatPod(pod)).toBe('web_default(u-1)');
    expect(r).toEqual({
      inBackOff: true,
      reason: 'CrashLoopBackOff',
      message: 'back-off 10s restarting failed container=app pod=web_default(u-1)',
      event: { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container app in pod web_default(u-1)' },
    });
    // A changed container spec is a new key: no inherited backoff.
    expect(doBackOff(b, pod, 'app', 'h2', 0)).toEqual({ inBackOff: false });
  });

  it('property: the wait between restarts never exceeds the cap and never shrinks without a long run', () => {
    fc.assert(
      fc.property(fc.boolean(), (reduced) => {
        const cfg = { reduceDefaultCrashLoopBackOffDecay: reduced };
        const { maxMs } = newCrashLoopBackOff(cfg);
        const { starts } = crashLoop(cfg, () => 0, 900 * S);
        const gaps = starts.slice(2).map((t, i) => t - starts[i + 1]);
        for (let i = 0; i < gaps.length; i++) {
          expect(gaps[i]).toBeLessThanOrEqual(maxMs);
          if (i > 0) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]);
        }
      }),
      { numRuns: 4 },
    );
  });
});
