// After pkg/controller/tainteviction/taint_eviction_test.go (v1.34): TestCreatePod, TestDeletePod,
// TestCreateNode, TestUpdateNode, TestUpdateNodeWithMultipleTaints, TestGetMinTolerationTime;
// and timed_workers_test.go.
import { describe, expect, it } from 'vitest';
import type { Pod, Taint, Toleration } from '../../api/core/v1';
import { newLabCluster } from '../../cluster/cluster';
import { FakeClock } from '../../core/clock';
import { runUntilIdle, runUntilSettled, settle } from '../../core/drive';
import { newEnv } from '../../core/env';
import type { KubeObject } from '../../core/object';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import { getMinTolerationTime, newTaintEvictionController } from './controller';
import { TimedWorkerQueue } from './timed_workers';

const taint = (key: string, effect: Taint['effect'] = 'NoExecute'): Taint => ({ key, value: '', effect });
const tol = (key: string, seconds?: number): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) });

async function setup() {
  const trace = new TraceRecorder();
  const cluster = await newLabCluster({ env: newEnv({ seed: 4, trace }) });
  const client = cluster.clientset({ qps: -1 });
  const clock = cluster.clock;
  const ctrl = newTaintEvictionController({ client, clock, rng: rngFromSeed(2), trace });
  await runUntilSettled(clock, ctrl.run());
  const nodes = client.coreV1().nodes();
  const pods = client.coreV1().pods('default');
  const node = (name: string, taints: Taint[] = []) => nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } } as KubeObject);
  const setTaints = async (name: string, taints: Taint[]) => {
    const n = await nodes.get(name);
    await nodes.update({ ...n, spec: { ...(n.spec as object), taints } });
  };
  const pod = (name: string, nodeName: string, tolerations: Toleration[] = []) =>
    pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject);
  /** Deleted: gone, or marked for deletion (a bound pod is deleted gracefully). */
  const deleted = async (name: string) => {
    try {
      return (await pods.get(name)).metadata.deletionTimestamp !== undefined;
    } catch {
      return true;
    }
  };
  const run = (ms: number) => runUntilIdle(clock, { forMs: ms });
  const events = async () => (await client.coreV1().events('default').list()).items.map((e) => `${e.reason}: ${e.message}`);
  return { client, clock, ctrl, trace, node, setTaints, pod, pods, deleted, run, events };
}

describe('taint eviction', () => {
  it('TestCreatePod: a pod on a tainted node that does not tolerate the taint is deleted at once', async () => {
    const s = await setup();
    await s.node('node1', [taint('testTaint1')]);
    await s.pod('pod1', 'node1');
    await s.run(100);
    expect(await s.deleted('pod1')).toBe(true);
    const p = (await s.pods.get('pod1')) as unknown as Pod;
    expect(p.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    expect(await s.events()).toContain('TaintManagerEviction: Marking for deletion Pod default/pod1');
  });

  it('TestCreatePod: a finite toleration delays the deletion by tolerationSeconds; an infinite one keeps the pod', async () => {
    const s = await setup();
    await s.node('node1', [taint('testTaint1')]);
    await s.pod('finite', 'node1', [tol('testTaint1', 100)]);
    await s.pod('forever', 'node1', [tol('testTaint1')]);
    await s.run(99_000);
    expect(await s.deleted('finite')).toBe(false);
    await s.run(2000);
    expect(await s.deleted('finite')).toBe(true);
    await s.run(600_000);
    expect(await s.deleted('forever')).toBe(false);
  });

  it('TestDeletePod: deleting the pod cancels its scheduled eviction', async () => {
    const s = await setup();
    await s.node('node1', [taint('testTaint1')]);
    await s.pod('pod1', 'node1', [tol('testTaint1', 100)]);
    await s.run(1000);
    expect(s.ctrl.taintEvictionQueue.workers.has('default/pod1')).toBe(true);
    await s.pods.delete('pod1', { gracePeriodSeconds: 0 });
    await s.run(1000);
    expect(s.ctrl.taintEvictionQueue.workers.has('default/pod1')).toBe(false);
  });

  it('TestUpdateNode: adding a taint deletes an intolerant pod; removing it cancels a scheduled eviction', async () => {
    const s = await setup();
    await s.node('node1');
    await s.pod('intolerant', 'node1');
    await s.pod('patient', 'node1', [tol('testTaint1', 100)]);
    await s.run(1000);
    expect(await s.deleted('intolerant')).toBe(false);
    await s.setTaints('node1', [taint('testTaint1')]);
    await s.run(50_000);
    expect(await s.deleted('intolerant')).toBe(true);
    expect(await s.deleted('patient')).toBe(false);
    await s.setTaints('node1', []);
    await s.run(100_000);
    expect(await s.deleted('patient')).toBe(false);
    expect(await s.events()).toContain('TaintManagerEviction: Cancelling deletion of Pod default/patient');
  });

  it('TestUpdateNodeWithMultipleTaints: the shortest toleration of the taints present decides', async () => {
    const s = await setup();
    await s.node('node1', [taint('testTaint1')]);
    await s.pod('pod1', 'node1', [tol('testTaint1', 500), tol('testTaint2', 100)]);
    await s.run(1000);
    await s.setTaints('node1', [taint('testTaint1'), taint('testTaint2')]);
    await s.run(1000);
    const w = s.ctrl.taintEvictionQueue.getWorkerUnsafe('default/pod1');
    // Re-scheduled from the first sighting: created at ~0 s, fires 100 s after it.
    expect(w && w.fireAtMs - w.createdAtMs).toBe(100_000);
    await s.run(100_000);
    expect(await s.deleted('pod1')).toBe(true);
  });

  it('TestCreateNode: pods on a node created with an untolerated taint go', async () => {
    const s = await setup();
    await s.pod('pod1', 'node1');
    await s.run(100);
    await s.node('node1', [taint('testTaint1')]);
    await s.run(100);
    expect(await s.deleted('pod1')).toBe(true);
  });

  it('NoSchedule taints do not evict', async () => {
    const s = await setup();
    await s.node('node1', [taint('testTaint1', 'NoSchedule')]);
    await s.pod('pod1', 'node1');
    await s.run(10_000);
    expect(await s.deleted('pod1')).toBe(false);
  });
});

describe('helpers', () => {
  it('TestGetMinTolerationTime', () => {
    const cases: { tolerations: Toleration[]; expected: number }[] = [
      { tolerations: [], expected: 0 },
      { tolerations: [{ tolerationSeconds: 1 }], expected: 1000 },
      { tolerations: [{ tolerationSeconds: 1 }, { tolerationSeconds: 2 }], expected: 1000 },
      { tolerations: [{ tolerationSeconds: 1 }, {}], expected: 1000 },
      { tolerations: [{}, { tolerationSeconds: 1 }], expected: 1000 },
      { tolerations: [{}], expected: -1 },
      { tolerations: [{ tolerationSeconds: -2 }, { tolerationSeconds: 1 }], expected: 0 },
    ];
    for (const c of cases) expect(getMinTolerationTime(c.tolerations)).toBe(c.expected);
  });

  it('TestExecute / TestCancel (timed_workers): work fires at its time unless cancelled; a done key blocks re-adding until cancelled', async () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    const q = new TimedWorkerQueue(clock, async (_at, a) => {
      fired.push(a.name);
      return undefined;
    });
    q.addWork({ namespace: 'ns', name: 'now' }, 0, 0);
    q.addWork({ namespace: 'ns', name: 'later' }, 0, 1000);
    q.addWork({ namespace: 'ns', name: 'cancelled' }, 0, 1000);
    expect(q.cancelWork('ns/cancelled')).toBe(true);
    await settle();
    expect(fired).toEqual(['now']);
    clock.step(1000);
    await settle();
    expect(fired).toEqual(['now', 'later']);
    q.addWork({ namespace: 'ns', name: 'now' }, 1000, 1000);
    await settle();
    expect(fired).toEqual(['now', 'later']);
    expect(q.cancelWork('ns/now')).toBe(false); // done: removed without an event
    q.addWork({ namespace: 'ns', name: 'now' }, 1000, 1000);
    await settle();
    expect(fired).toEqual(['now', 'later', 'now']);
  });
});
