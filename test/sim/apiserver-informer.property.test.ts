// Properties of informers against the API server over random histories (fast-check prints the
// seed and the shrunk history on failure). Random creates, label changes and deletes of pods in
// two namespaces, bursts of writes that push the watch cache's window forward, dropped watches
// (the informers watch again from their resourceVersion, or relist after a 410), etcd
// compactions and passing time; three informers watch (all pods; one namespace; a label
// selector). Once quiet:
// 1. every informer's store holds exactly what a consistent list with its scope returns, object
//    for object (same resourceVersions);
// 2. each informer's handlers saw a consistent sequence: an add only for an absent key, an update
//    or delete only for a present one, update resourceVersions increasing, and replaying the
//    notifications gives the store;
// 3. every watch cache keeps its invariants (invariants.ts) after every step;
// 4. the same seed and history give the same trace, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { history, opArb, type Op } from './apiserver-history';

describe('informers converge to the API server (property)', () => {
  it('every informer store equals a consistent list of its scope, and handlers saw a consistent sequence', async () => {
    const totals = { relists: 0, expired: 0, runs: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), fc.array(opArb, { minLength: 10, maxLength: 40 }), async (seed, ops) => {
        const { truth, result, stats, violations } = await history(seed, ops);
        expect(violations).toEqual([]);
        totals.relists += stats.relists;
        totals.expired += stats.expired;
        totals.runs++;
        for (const r of result) {
          expect(r.errors).toEqual([]);
          expect(r.store).toEqual(truth.get(r.name));
          expect(r.seen).toEqual(r.store);
        }
      }),
      { numRuns: 40 },
    );
    // the histories do reach the interesting paths: watches ended by 410 and relists
    expect(totals.expired).toBeGreaterThan(0);
    expect(totals.relists).toBeGreaterThan(totals.runs);
  }, 240_000);

  it('the same seed and history give the same trace', async () => {
    const ops: Op[] = [
      { kind: 'create', ns: 'default', name: 'a', label: 'x' },
      { kind: 'drop' },
      { kind: 'burst', n: 60 },
      { kind: 'restart' },
      { kind: 'relabel', ns: 'default', name: 'a', label: 'y' },
      { kind: 'advance', ms: 100_000 },
      { kind: 'compact' },
      { kind: 'delete', ns: 'default', name: 'a', label: 'x' },
    ];
    const a = await history(7, ops);
    const b = await history(7, ops);
    expect(a.trace).toBe(b.trace);
    expect(a.trace.length).toBeGreaterThan(1000);
  }, 60_000);
});
