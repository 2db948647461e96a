// A property of the binder: however claims and volumes are synced (any order, repeated, as the
// queues and the 15 s resync do), a volume is never bound to two claims, each Bound claim's
// volume points back at it and is big enough, and a claim is bound whenever a fitting volume was
// left over (the smallest-fit matching never strands a claim that could have been served).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimKey } from './pv_controller';
import { classEmpty, newClaim, newTestController, newVolume } from './testing';
import { storageOf } from './helpers';

describe('persistentvolume binder: binding invariants (property)', () => {
  it('one claim per volume, both sides agree, sizes fit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        async (volSizes, claimSizes, order) => {
          const volumes = volSizes.map((g, i) => newVolume(`v${i}`, `${g}Gi`, '', '', 'Available', 'Retain', classEmpty));
          const claims = claimSizes.map((g, i) => newClaim(`c${i}`, `uid-c${i}`, `${g}Gi`, '', 'Pending', classEmpty));
          const t = newTestController(volumes, claims);
          const keys = [...claims.map((c) => `c:${claimKey(c)}`), ...volumes.map((v) => `v:${v.metadata.name}`)];
          // Each step syncs one object from the API's current state, as a worker after an informer event.
          for (const i of [...order, ...keys.map((_, j) => j), ...keys.map((_, j) => j)]) {
            const k = keys[i % keys.length];
            if (k.startsWith('c:')) {
              const c = t.api.claims.get(k.slice(2))!;
              t.ctrl.storeClaimUpdate(c);
              await t.ctrl.syncClaim(t.ctrl.claims.get(k.slice(2))!);
            } else {
              const v = t.api.volumes.get(k.slice(2))!;
              t.ctrl.storeVolumeUpdate(v);
              await t.ctrl.syncVolume(t.ctrl.volumes.get(k.slice(2))!);
            }
          }
          const owners = new Map<string, string>();
          for (const c of t.api.claims.values()) {
            if (c.status?.phase !== 'Bound') continue;
            const v = t.api.volumes.get(c.spec.volumeName ?? '')!;
            expect(v.spec.claimRef?.uid).toBe(c.metadata.uid);
            expect(v.status?.phase).toBe('Bound');
            expect(storageOf(v.spec.capacity as Record<string, unknown>)).toBeGreaterThanOrEqual(storageOf(c.spec.resources?.requests as Record<string, unknown>));
            expect(owners.has(v.metadata.name ?? '')).toBe(false);
            owners.set(v.metadata.name ?? '', c.metadata.name ?? '');
          }
          // No Pending claim could still be served by a free volume.
          const free = [...t.api.volumes.values()].filter((v) => !v.spec.claimRef).map((v) => storageOf(v.spec.capacity as Record<string, unknown>));
          for (const c of t.api.claims.values()) {
            if (c.status?.phase === 'Bound') continue;
            expect(free.some((f) => f >= storageOf(c.spec.resources?.requests as Record<string, unknown>))).toBe(false);
          }
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});
