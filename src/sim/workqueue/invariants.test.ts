// The invariants from client-go's comments on Typed's fields, checked on snapshots.
import { describe, expect, it } from 'vitest';
import { assertInvariants, checkInvariants, InvariantError } from './invariants';
import { newQueue } from './queue';
import type { QueueSnapshot } from './types';

const base: QueueSnapshot = {
  name: 'q',
  queue: ['a'],
  dirty: ['a', 'b'],
  processing: ['b', 'c'],
  waiting: [{ item: 'w', readyAtMs: 5 }],
  requeues: {},
  lastDelayMs: {},
  waiters: 0,
  shuttingDown: false,
  metrics: { depth: 2, adds: 2, retries: 0 },
};

describe('checkInvariants', () => {
  it.each<{ name: string; change: Partial<QueueSnapshot>; want: string[] }>([
    { name: 'a consistent state', change: {}, want: [] },
    {
      name: 'a queued item that is not dirty',
      change: { queue: ['a', 'x'], metrics: { ...base.metrics } },
      want: ['every element of queue should be in the dirty set: "x" is queued but not dirty'],
    },
    {
      name: 'a queued item that is also processing',
      change: { queue: ['a', 'b'] },
      want: ['no element of queue should be in the processing set: "b" is queued and processing'],
    },
    {
      name: 'an item queued twice',
      change: { queue: ['a', 'a'] },
      want: ['an item is queued at most once: "a" appears more than once in queue'],
    },
    {
      name: 'a dirty item that is neither queued nor processing',
      change: { dirty: ['a', 'b', 'd'], metrics: { depth: 3, adds: 3, retries: 0 } },
      want: ['a dirty item is either queued or being processed: "d" is dirty but neither'],
    },
    {
      name: 'a depth metric that disagrees with dirty',
      change: { metrics: { depth: 1, adds: 2, retries: 0 } },
      want: ['the depth metric counts the dirty items: depth is 1, dirty has 2'],
    },
    {
      name: 'workers waiting while items are queued',
      change: { waiters: 1 },
      want: ['workers wait in get() only while the queue is empty: 1 waiting, 1 queued'],
    },
    {
      name: 'workers and delayed items left after shutdown',
      change: { queue: [], dirty: ['b'], metrics: { depth: 1, adds: 1, retries: 0 }, waiters: 2, shuttingDown: true },
      want: [
        'no worker waits in get() once the queue is shutting down: 2 waiting',
        'nothing waits in the delaying heap once the queue is shutting down: 1 waiting',
      ],
    },
    {
      name: 'a delaying heap out of order or with duplicates',
      change: {
        waiting: [
          { item: 'w', readyAtMs: 9 },
          { item: 'w', readyAtMs: 5 },
        ],
      },
      want: ['an item waits in the delaying heap at most once: "w" appears twice', 'the delaying heap is listed soonest first'],
    },
  ])('$name', ({ change, want }) => {
    expect(checkInvariants({ ...base, ...change })).toEqual(want);
  });

  it('skips the bookkeeping invariants with afterEveryEvent', () => {
    expect(checkInvariants({ ...base, waiters: 1, metrics: { depth: 0, adds: 0, retries: 0 } }, { afterEveryEvent: true })).toEqual([]);
  });

  it('accepts a live queue, and assertInvariants throws an error listing every violation', async () => {
    const q = newQueue({ name: 'live' });
    q.add('a');
    expect(checkInvariants(q)).toEqual([]);
    q.done('a'); // misuse: done without get duplicates the item, as upstream
    expect(() => assertInvariants(q)).toThrow(InvariantError);
    expect(() => assertInvariants(q)).toThrow(/workqueue "live" broke 1 invariant\(s\):\n {2}- an item is queued at most once/);
    await q.get();
  });
});
