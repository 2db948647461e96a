/**
 * A protocol invariant of the PLEG (generic.go): whatever the runtime does between relists, a
 * listener that applies the events it receives (Started -> running, Died -> exited, Removed ->
 * gone) knows the state of every running or exited container after each relist. Checked over
 * random runtime histories with fast-check; the oracle is the runtime's own listing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import type { RuntimeContainerState, RuntimePod } from './kuberuntime/types';
import { GenericPLEG, type PodLifecycleEvent } from './pleg';

const state = fc.constantFrom<RuntimeContainerState | 'gone'>('running', 'exited', 'unknown', 'created', 'gone');
// A history: per relist, the state of containers c0..c3 in pods p0..p1.
const history = fc.array(fc.array(state, { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 12 });

function snapshot(row: Array<RuntimeContainerState | 'gone'>): RuntimePod[] {
  const pods: RuntimePod[] = [];
  for (let p = 0; p < 2; p++) {
    const containers = row
      .slice(p * 4, p * 4 + 4)
      .map((s, i) => ({ id: `p${p}c${i}`, name: `c${i}`, state: s }))
      .filter((c): c is { id: string; name: string; state: RuntimeContainerState } => c.state !== 'gone');
    if (containers.length) pods.push({ id: `p${p}`, name: `p${p}`, namespace: 'ns', containers, sandboxes: [] });
  }
  return pods;
}

describe('GenericPLEG property', () => {
  it('the events of each relist bring a listener up to date with every running and exited container', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (rows) => {
        let current: RuntimePod[] = [];
        const events: PodLifecycleEvent[] = [];
        const pleg = new GenericPLEG({ clock: new FakeClock(), runtime: { getPods: async () => current, getPodStatus: async () => { throw new Error('unused'); } }, send: (e) => (events.push(e), true) });
        const known = new Map<string, 'running' | 'exited'>();
        for (const row of rows) {
          current = snapshot(row);
          await pleg.relist();
          for (const e of events.splice(0)) {
            if (e.type === 'ContainerStarted') known.set(e.data, 'running');
            else if (e.type === 'ContainerDied') known.set(e.data, 'exited');
            else if (e.type === 'ContainerRemoved') known.delete(e.data);
          }
          const live = new Map(current.flatMap((p) => p.containers.map((c) => [c.id, c.state] as const)));
          for (const [id, s] of live) if (s === 'running' || s === 'exited') expect(known.get(id), id).toBe(s);
          // Nothing the listener believes alive is gone from the runtime.
          for (const id of known.keys()) expect(live.has(id), id).toBe(true);
        }
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});
