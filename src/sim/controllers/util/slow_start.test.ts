import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slowStartBatch, SlowStartInitialBatchSize } from './slow_start';

/** Records the batches: a call joins the batch of every call started before the last await. */
function recorder(failAt: (i: number) => boolean) {
  const batches: number[][] = [];
  let open: number[] | undefined;
  const fn = async (i: number) => {
    if (!open) {
      open = [];
      batches.push(open);
      queueMicrotask(() => (open = undefined));
    }
    open.push(i);
    if (failAt(i)) throw new Error(`fail ${i}`);
  };
  return { fn, batches };
}

describe('slowStartBatch (ref: TestSlowStartBatch)', () => {
  const fakeErr = (callLimit: number) => (i: number) => i >= callLimit; // upstream: callCnt > callLimit fails
  const cases = [
    { name: 'callback function succeeds', count: 10, initial: 1, failFrom: Infinity, successes: 10, calls: 10 },
    { name: 'callback function fails', count: 10, initial: 1, failFrom: 0, successes: 0, calls: 1 },
    { name: 'callback function fails after 5 successes', count: 10, initial: 1, failFrom: 5, successes: 5, calls: 7 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { fn, batches } = recorder(fakeErr(c.failFrom));
      const res = await slowStartBatch(c.count, c.initial, fn);
      expect(res.successes).toBe(c.successes);
      expect(batches.flat().length).toBe(c.calls);
      expect(res.error === undefined).toBe(c.failFrom === Infinity);
    });
  }

  it('batches double from SlowStartInitialBatchSize and the last takes what is left', async () => {
    const { fn, batches } = recorder(() => false);
    await slowStartBatch(10, SlowStartInitialBatchSize, fn);
    expect(batches.map((b) => b.length)).toEqual([1, 2, 4, 3]);
  });

  it('returns the lowest-indexed failure of the stopping batch', async () => {
    const { fn } = recorder((i) => i === 2 || i === 1);
    const res = await slowStartBatch(10, 1, fn);
    expect(res).toEqual({ successes: 1, error: new Error('fail 1') });
  });

  it('count 0 makes no call', async () => {
    const { fn, batches } = recorder(() => false);
    expect(await slowStartBatch(0, 1, fn)).toEqual({ successes: 0 });
    expect(batches).toEqual([]);
  });

  it('property: stops after the batch holding the first failure; successes = calls - failures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(40), fc.integer({ min: 1, max: 5 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), async (count, initial, fails) => {
        const { fn, batches } = recorder((i) => fails[i]!);
        const res = await slowStartBatch(count, initial, fn);
        const calls = batches.flat();
        expect(calls).toEqual(calls.map((_, i) => i));
        const failed = calls.filter((i) => fails[i]);
        expect(res.successes).toBe(calls.length - failed.length);
        const firstFail = fails.slice(0, count).indexOf(true);
        if (firstFail < 0) expect(calls.length).toBe(count);
        else {
          const last = batches[batches.length - 1]!;
          expect(last).toContain(firstFail);
          expect(res.error).toEqual(new Error(`fail ${firstFail}`));
        }
        batches.slice(1).forEach((b, k) => expect(b.length).toBe(Math.min(2 * batches[k]!.length, count - batches.slice(0, k + 1).flat().length)));
      }),
    );
  });
});
