import { describe, expect, it } from 'vitest';
import { TraceRecorder, makeNode, makePod, newEnv, newLabCluster, newInTreeRegistry, rngFromSeed, runUntilIdle, Scheduler, type KubeObject } from '../../../sim/index';
import { stateAt } from './state';

async function tracedRun() {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed: 2, trace }) });
  const cs = cluster.clientset({ qps: 50, burst: 100 });
  for (const [name, cpu] of [['n1', '2'], ['n2', '1']]) await cs.coreV1().nodes().create(makeNode().name(name).capacity({ cpu, memory: '4Gi' }).obj() as unknown as KubeObject);
  const s = new Scheduler({ client: cs, clock: cluster.clock, rng: rngFromSeed(1), registry: newInTreeRegistry(), trace });
  s.start();
  await cs.coreV1().pods('default').create(makePod().name('fits').req({ cpu: '500m' }).obj() as unknown as KubeObject);
  await cs.coreV1().pods('default').create(makePod().name('huge').req({ cpu: '8' }).obj() as unknown as KubeObject);
  await runUntilIdle(cluster.clock, { forMs: 3000 });
  s.stop();
  return trace.events;
}

describe('scheduler view state', () => {
  it('replays the queue, each cycle with its node table, and bindings from the trace', async () => {
    const events = await tracedRun();
    const sched = events.filter((e) => e.component === 'scheduler');
    expect(sched.map((e) => e.type)).toContain('scheduler.cycle');
    const end = stateAt(events, events.length);
    expect(end.bound.get('default/fits')).toBeDefined();
    expect(end.queues.get('default/huge')).toBe('unschedulablePods');
    // The 5-minute flush counts from when it entered unschedulablePods.
    expect(end.unschedulableSince.get('default/huge')).toBeDefined();
    expect(end.last?.pod).toBe('default/huge');
    expect(end.last?.result).toBe('Unschedulable');
    // Both nodes rejected with NodeResourcesFit's reason, each with its allocatable CPU.
    expect(end.last?.rows.map((r) => [r[0], r[1], r[5]])).toEqual([
      ['n1', 'NodeResourcesFit: Insufficient cpu', 2000],
      ['n2', 'NodeResourcesFit: Insufficient cpu', 1000],
    ]);
    // The first cycle, for `fits`: scored on two nodes, the winner first.
    const firstCycle = events.findIndex((e) => e.type === 'scheduler.cycle');
    const mid = stateAt(events, firstCycle + 1);
    expect(mid.last?.pod).toBe('default/fits');
    expect(mid.last?.rows[0][0]).toBe(mid.last?.node);
    expect(mid.last?.plugins).toContain('NodeResourcesFit');
  });
});
