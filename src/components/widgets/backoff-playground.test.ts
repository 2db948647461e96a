import { describe, expect, it } from 'vitest';
import { clockText, crashLoopTimeline, DEFAULT_BACKOFF, describeAttempt, SYNC_TICK_MS } from './backoff-playground';
import { SYNC_PERIOD_MS } from '../../sim/kubelet/index';

const gapsS = (input = DEFAULT_BACKOFF) => crashLoopTimeline(input).map((a) => (a.restartAtMs - a.finishedAtMs) / 1000);

// The windows are the kubelet model's (newKubeletCrashLoopBackOff + doBackOff); the retries are the pod worker's.
describe('BackoffPlayground timeline', () => {
  it('exact mode: the first exit restarts at the next relist, then 10 s doubling to 5 min (kubelet.go newCrashLoopBackOff)', () => {
    const attempts = crashLoopTimeline({ ...DEFAULT_BACKOFF, retry: 'exact' });
    expect(attempts.map((a) => a.backoffMs / 1000)).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect(gapsS({ ...DEFAULT_BACKOFF, retry: 'exact' })).toEqual([1, 10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('v1.34.0: the restart waits for the pod worker\'s next retry, 10-15 s after a refused sync (as kubelet.e2e.test pins)', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const attempts = crashLoopTimeline({ ...DEFAULT_BACKOFF, seed });
      attempts.forEach((a) => {
        const gap = a.restartAtMs - a.finishedAtMs;
        expect(gap).toBeGreaterThanOrEqual(a.backoffMs);
        // The last refused sync came before the window ended; the retry after it is at most 15 s (+ the tick) later.
        if (a.refusedAtMs.length) {
          expect(a.refusedAtMs.at(-1)!).toBeLessThan(a.finishedAtMs + a.backoffMs);
          expect(a.restartAtMs - a.refusedAtMs.at(-1)!).toBeGreaterThanOrEqual(10_000);
          expect(a.restartAtMs - a.refusedAtMs.at(-1)!).toBeLessThanOrEqual(16_000);
        }
        expect(gap).toBeLessThan(a.backoffMs + 17_000);
      });
    }
  });

  it('the CrashLoopBackOff message is the kubelet\'s (kuberuntime_manager.go doBackOff)', () => {
    const a = crashLoopTimeline(DEFAULT_BACKOFF)[3];
    expect(a.message).toBe('back-off 40s restarting failed container=app pod=web-0_default(6b1f2c)');
    expect(describeAttempt(a)).toMatch(/^attempt 3 exited at \d+:\d\d; back-off 40s, \d syncs? refused; restarted at/);
  });

  it('a container that runs more than 10 minutes starts the back-off over (the kubelet\'s 600 s rule)', () => {
    const long = crashLoopTimeline({ ...DEFAULT_BACKOFF, runSeconds: 601, retry: 'exact' });
    expect(long.map((a) => a.backoffMs)).toEqual(long.map(() => 0));
    // 10 minutes exactly is not more than 600 s: the back-off keeps doubling.
    const edge = crashLoopTimeline({ ...DEFAULT_BACKOFF, runSeconds: 599, crashes: 4, retry: 'exact' });
    expect(edge.map((a) => a.backoffMs / 1000)).toEqual([0, 10, 20, 40]);
  });

  it('is seeded: the same seed, the same retries; the tick is the sync loop\'s', () => {
    expect(crashLoopTimeline(DEFAULT_BACKOFF)).toEqual(crashLoopTimeline(DEFAULT_BACKOFF));
    expect(SYNC_TICK_MS).toBe(SYNC_PERIOD_MS);
    expect([0, 59_000, 61_400, 600_000].map(clockText)).toEqual(['0:00', '0:59', '1:01', '10:00']);
  });
});
