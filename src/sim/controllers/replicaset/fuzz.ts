/**
 * The ReplicaSet protocol as a property (used by invariants.test.ts; `fuzzReplicaSet` runs it
 * longer): whatever the user and the nodes do (scale up and down, delete pods, pods failing), the
 * controller (a) never expects more than burstReplicas creates or deletes from one sync, (b) never
 * creates more pods in a sync than its cache says are missing, and (c) ends with exactly
 * spec.replicas active pods, all its own, a status saying so, and no pending expectations.
 */
import fc from 'fast-check';
import type { Pod } from '../../api/core/v1';
import { runUntilSettled } from '../../core/drive';
import { rngFromSeed } from '../../core/rng';
import type { TraceEvent } from '../../core/trace';
import { isPodActive } from '../util/active_pods';
import { newFakeKubelet } from '../testing/fake_kubelet';
import type { ReplicaSetEventMap } from './events';
import { newReplicaSet, ns, setupRS } from './testing';

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

export type Op = { kind: 'scale'; replicas: number } | { kind: 'delete'; pick: number; force: boolean } | { kind: 'fail'; pick: number } | { kind: 'wait'; ms: number };

export const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(20), force: fc.boolean() }),
  fc.record({ kind: fc.constant('fail' as const), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
);

type Ev<K extends keyof ReplicaSetEventMap> = TraceEvent & ReplicaSetEventMap[K];

/** (a) and (b), read from the trace: each sync's expectations and successful creates. */
function checkSyncs(events: readonly TraceEvent[], burst: number): void {
  let created = 0;
  for (const e of events) {
    if (e.component !== 'replicaset-controller') continue;
    if (e.type === 'replicaset.syncStart') created = 0;
    if (e.type === 'replicaset.expect') {
      const x = e as Ev<'replicaset.expect'>;
      check(x.add <= burst, `${x.add} creates expected in one sync, burst ${burst}`);
      check(x.del <= burst, `${x.del} deletes expected in one sync, burst ${burst}`);
    }
    if (e.type === 'replicaset.podCreate' && !(e as Ev<'replicaset.podCreate'>).error) created++;
    if (e.type === 'replicaset.syncEnd') {
      const x = e as Ev<'replicaset.syncEnd'>;
      check(created <= Math.min(burst, Math.max(0, -x.diff)), `${created} creates in a sync of ${x.pods} pods for ${x.replicas} (burst ${burst})`);
    }
  }
}

export async function scenario(seed: number, burst: number, failRate: number, ops: Op[]): Promise<void> {
  const h = await setupRS({ seed, burstReplicas: burst, workers: 2 });
  const kubelet = newFakeKubelet({ client: h.cs, clock: h.cluster.clock, rng: rngFromSeed(seed), nodeName: 'node-1', readyAfterMs: 500, failRate, terminateAfterMs: 2000 });
  await runUntilSettled(h.cluster.clock, kubelet.run());
  await h.createRS(newReplicaSet('rs', 3));
  await h.run(2000);
  const pods = h.cs.coreV1().pods(ns);
  // The user's calls run while the controllers do: drive the clock until each returns (a read may
  // wait for the watch cache to catch up).
  const drive = <T>(p: Promise<T>) => runUntilSettled(h.cluster.clock, p.catch(() => undefined));
  for (const o of ops) {
    const active = ((await drive(h.pods())) ?? []).filter(isPodActive);
    if (o.kind === 'scale') await drive(h.cs.appsV1().replicaSets(ns).patch('rs', 'application/merge-patch+json', { spec: { replicas: o.replicas } }));
    else if (o.kind === 'delete' && active.length) await drive(pods.delete(active[o.pick % active.length].metadata.name!, o.force ? { gracePeriodSeconds: 0 } : undefined));
    else if (o.kind === 'fail' && active.length) {
      const p = active[o.pick % active.length];
      await drive(pods.patch(p.metadata.name!, 'application/merge-patch+json', { status: { phase: 'Failed' } }, undefined, 'status'));
    } else if (o.kind === 'wait') await h.run(o.ms);
    await h.run(50);
  }
  // Let it settle: no more failures, and time for creates, graceful deletes and status writes.
  kubelet.failRate = 0;
  await h.run(60_000);
  const rs = await h.getRS('rs');
  const owned = (await h.pods()).filter((p: Pod) => isPodActive(p) && p.metadata.ownerReferences?.some((r) => r.controller && r.uid === rs.metadata.uid));
  const context = `seed ${seed} burst ${burst} failRate ${failRate} ops ${JSON.stringify(ops)}`;
  try {
    check(owned.length === rs.spec.replicas, `${owned.length} own active pods for ${rs.spec.replicas} replicas`);
    check(rs.status?.replicas === rs.spec.replicas && rs.status?.readyReplicas === rs.spec.replicas, `status ${JSON.stringify(rs.status)}`);
    check(rs.status?.observedGeneration === rs.metadata.generation, `observedGeneration ${rs.status?.observedGeneration} of ${rs.metadata.generation}`);
    check(h.rsc.expectations.satisfiedExpectations(`${ns}/rs`), 'expectations still pending');
    checkSyncs(h.trace.events, burst);
    check(kubelet.stats.errors.length === 0, kubelet.stats.errors.join('; '));
  } catch (e) {
    throw new Error(`${(e as Error).message} (${context})`);
  } finally {
    kubelet.stop();
    h.rsc.stop();
  }
}


/** One scenario per run: a seed, a burst of 1..4, a node failure rate, up to 8 user actions. */
export const scenarioArbitrary = fc.tuple(fc.nat(1_000_000), fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 0.2, 0.5), fc.array(op, { maxLength: 8 }));

/** Runs the property `numRuns` times (a longer fuzz than the test's); rejects with the shrunk counterexample. */
export async function fuzzReplicaSet(numRuns: number, seed?: number): Promise<void> {
  await fc.assert(fc.asyncProperty(scenarioArbitrary, ([s, burst, failRate, ops]) => scenario(s, burst, failRate, ops)), { numRuns, ...(seed === undefined ? {} : { seed }) });
}
