// A property with a dumb oracle: for any run of probe outcomes and thresholds, the result a worker
// writes equals what "the last N outcomes were all the same" says (worker_test.go's threshold
// tests, generalised), and a liveness worker stays on hold after its first Failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock';
import { getTestPod, newFakeRunner, newTestHost, runningStatus } from './testing';
import { Worker } from './worker';

const cid = 'containerd://test-container-id';

/** The result after outcome i: the newest threshold-long streak decides; before any, the initial value. */
function oracle(outcomes: boolean[], successThreshold: number, failureThreshold: number, initial: string, holdOnFailure: boolean): string[] {
  const out: string[] = [];
  let result = initial;
  let held = false;
  let streak = 0;
  for (let i = 0; i < outcomes.length; i++) {
    if (held) {
      out.push(result);
      continue;
    }
    streak = i > 0 && outcomes[i] === outcomes[i - 1] ? streak + 1 : 1;
    if (outcomes[i] && streak >= successThreshold) result = 'Success';
    if (!outcomes[i] && streak >= failureThreshold) {
      result = 'Failure';
      if (holdOnFailure) held = true;
    }
    out.push(result);
  }
  return out;
}

describe('worker thresholds (property)', () => {
  for (const probeType of ['Readiness', 'Liveness'] as const) {
    it(`${probeType}: the written result matches the streak oracle`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), async (outcomes, s0, failureThreshold) => {
          // Liveness and startup probes must have successThreshold 1 (API validation).
          const successThreshold = probeType === 'Liveness' ? 1 : s0;
          const clock = new FakeClock(1_000_000);
          const runner = newFakeRunner();
          const env = newTestHost(clock, runner);
          const pod = getTestPod(probeType, { httpGet: { port: 8080 }, successThreshold, failureThreshold });
          const w = new Worker(env.host, probeType, pod, pod.spec.containers[0]);
          env.status.statuses.set('test-pod-uid', runningStatus(clock));
          const rm = env.host.resultsManagerFor(probeType);
          const seen: string[] = [];
          for (const ok of outcomes) {
            runner.config.http = () => ({ statusCode: ok ? 200 : 500 });
            await w.doProbe();
            seen.push(rm.get(cid) ?? 'none');
          }
          expect(seen).toEqual(oracle(outcomes, successThreshold, failureThreshold, w.initialValue, probeType === 'Liveness'));
        }),
        { numRuns: 200, seed: 42 },
      );
    });
  }
});
