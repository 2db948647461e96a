/**
 * Checks of the workqueue-backoff lab: the learner's MyExponentialRateLimiter against the real
 * one (src/sim's newItemExponentialFailureRateLimiter, which mirrors client-go's
 * TypedItemExponentialFailureRateLimiter at v0.34.0), call for call.
 */
import { check, exportedClass } from '../../src/lab/checks';
import { newItemExponentialFailureRateLimiter, rngFromSeed, type RateLimiter } from '../../src/sim/index';

type LimiterClass = new (baseDelayMs: number, maxDelayMs: number) => RateLimiter<string>;

function makeLimiters(learner: Record<string, unknown>, baseDelayMs: number, maxDelayMs: number) {
  const Mine = exportedClass<LimiterClass>(learner, 'MyExponentialRateLimiter');
  return { mine: new Mine(baseDelayMs, maxDelayMs), real: newItemExponentialFailureRateLimiter<string>(baseDelayMs, maxDelayMs) };
}

const BASES_MS = [1, 5, 10, 50, 250];
const MAXES_MS = [1000, 60_000, 1000 * 1000];

export const doublesPerFailure = check(
  'when() doubles the delay on every failure of an item, starting at baseDelayMs',
  ({ learner, seeds, expect }) => {
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const base = rng.pick(BASES_MS);
      const { mine, real } = makeLimiters(learner, base, 1000 * 1000);
      const yours: number[] = [];
      const expected: number[] = [];
      for (let i = 0; i < 10; i++) {
        yours.push(mine.when('default/web'));
        expected.push(real.when('default/web'));
      }
      expect(yours, `delays of 10 consecutive failures with baseDelayMs = ${base}`).to.deep.equal(expected);
    }
  },
  { hint: 'The first failure waits exactly baseDelayMs; each further failure of the same item waits twice as long as the one before.' },
);

export const capsAtMaxDelay = check(
  'when() never exceeds maxDelayMs, even after 1,100 failures',
  ({ learner, seeds, expect }) => {
    const checkpoints = new Set([10, 20, 31, 32, 33, 40, 53, 54, 63, 64, 65, 100, 1023, 1024, 1025, 1100]);
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const base = rng.pick(BASES_MS);
      const max = rng.pick(MAXES_MS);
      const { mine, real } = makeLimiters(learner, base, max);
      for (let failure = 1; failure <= 1100; failure++) {
        const yours = mine.when('default/web');
        const expected = real.when('default/web');
        if (checkpoints.has(failure) || yours !== expected) {
          expect(yours, `delay of failure ${failure} with baseDelayMs = ${base}, maxDelayMs = ${max}`).to.equal(expected);
        }
      }
    }
  },
  {
    hint: 'Compare with maxDelayMs before returning. In JavaScript 5 * 2 ** 1100 is Infinity, and 5 << 40 is 1280 — shifts wrap at 32 bits.',
  },
);

export const perItemIndependent = check(
  "Each item's failures are counted apart, and numRequeues reports them",
  ({ learner, seeds, expect }) => {
    const items = ['default/web', 'default/api', 'kube-system/dns'];
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const { mine, real } = makeLimiters(learner, 5, 1000 * 1000);
      const history: string[] = [];
      for (let i = 0; i < 30; i++) {
        const item = rng.pick(items);
        history.push(`when(${item})`);
        expect(mine.when(item), `${lastCalls(history)}: the delay`).to.equal(real.when(item));
        for (const other of items) {
          expect(mine.numRequeues(other), `${lastCalls(history)}: numRequeues('${other}')`).to.equal(real.numRequeues(other));
        }
      }
    }
  },
  { hint: 'Keep one failure count per item, e.g. a Map from item to count.' },
);

export const forgetsItem = check(
  'forget(item) resets that item only: it starts again at baseDelayMs and numRequeues is 0',
  ({ learner, seeds, expect }) => {
    const items = ['default/web', 'default/api', 'kube-system/dns'];
    for (const seed of seeds) {
      const rng = rngFromSeed(seed);
      const { mine, real } = makeLimiters(learner, 10, 1000 * 1000);
      const history: string[] = [];
      for (let i = 0; i < 40; i++) {
        const item = rng.pick(items);
        if (rng.chance(0.25)) {
          history.push(`forget(${item})`);
          mine.forget(item);
          real.forget(item);
          expect(mine.numRequeues(item), `${lastCalls(history)}: numRequeues('${item}')`).to.equal(0);
        } else {
          history.push(`when(${item})`);
          expect(mine.when(item), `${lastCalls(history)}: the delay`).to.equal(real.when(item));
        }
        for (const other of items) {
          expect(mine.numRequeues(other), `${lastCalls(history)}: numRequeues('${other}')`).to.equal(real.numRequeues(other));
        }
      }
    }
  },
  { hint: 'forget(item) must undo exactly what when(item) counted for that item — and nothing for the others.' },
);

/** The last few calls, to say where a sequence went wrong. */
function lastCalls(history: string[]): string {
  const shown = history.slice(-6).join(', ');
  return `after ${history.length > 6 ? '…, ' : ''}${shown}`;
}
