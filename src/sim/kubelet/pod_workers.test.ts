/** Tests after pkg/kubelet/pod_workers_test.go (v1.34), a subset: each case names the upstream test it follows. */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import { FakeClock } from '../core/clock';
import { settle } from '../core/drive';
import { rngFromSeed } from '../core/rng';
import { PodCache } from './pod_cache';
import { PodWorkers, WORKER_BACK_OFF_PERIOD_MS, WORKER_RESYNC_INTERVAL_MS, calculateEffectiveGracePeriod, type PodSyncer } from './pod_workers';
import { WorkQueue } from './work_queue';

const newPod = (uid: string, name: string, extra: Partial<Pod['metadata']> = {}, grace?: number): Pod => ({ metadata: { uid, name, namespace: 'ns', ...extra }, spec: { containers: [{ name: 'c' }], ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}) } });

// Upstream: pod_workers_test.go (fakePodSyncer / createPodWorkers): records each call.
function createPodWorkers(opts: { failSync?: boolean; terminal?: boolean } = {}) {
  const clock = new FakeClock();
  const cache = new PodCache();
  const workQueue = new WorkQueue(clock);
  const calls: string[] = [];
  const syncer: PodSyncer = {
    async syncPod(t, pod) {
      calls.push(`syncPod ${t} ${pod.metadata.name}`);
      if (opts.failSync) throw new Error('sync failed');
      return opts.terminal ?? false;
    },
    async syncTerminatingPod(pod, _s, grace) {
      calls.push(`syncTerminatingPod ${pod.metadata.name} grace=${grace}`);
    },
    async syncTerminatingRuntimePod(rp) {
      calls.push(`syncTerminatingRuntimePod ${rp.name}`);
    },
    async syncTerminatedPod(pod) {
      calls.push(`syncTerminatedPod ${pod.metadata.name}`);
    },
  };
  const transitions: string[] = [];
  const w = new PodWorkers({ clock, rng: rngFromSeed(1), syncer, cache, workQueue, onTransition: (_u, n, from, to) => transitions.push(`${n}: ${from} -> ${to}`) });
  /** Lets the workers run; each step marks the cache fresh, as the PLEG's relist does. */
  const drain = async () => {
    for (let i = 0; i < 5; i++) {
      cache.updateTime(clock.now());
      await settle();
      clock.step(1);
    }
  };
  return { clock, cache, workQueue, calls, transitions, w, drain };
}

describe('podWorkers', () => {
  it('syncs a new pod once, then queues its resync (TestUpdatePod: a new pod)', async () => {
    const { w, calls, drain, workQueue } = createPodWorkers();
    w.updatePod({ updateType: 'SyncPodCreate', pod: newPod('1', 'foo') });
    await drain();
    expect(calls).toEqual(['syncPod SyncPodCreate foo']);
    const at = workQueue.readyAt('1')!;
    expect(at).toBeGreaterThanOrEqual(WORKER_RESYNC_INTERVAL_MS);
    expect(at).toBeLessThan(WORKER_RESYNC_INTERVAL_MS * 1.5 + 10);
  });

  it('a pod with a deletionTimestamp goes SyncPod -> terminating -> terminated -> finished (TestUpdatePod: deleted pod)', async () => {
    const { w, calls, transitions, drain } = createPodWorkers();
    w.updatePod({ updateType: 'SyncPodCreate', pod: newPod('1', 'foo', {}, 30) });
    await drain();
    w.updatePod({ updateType: 'SyncPodUpdate', pod: newPod('1', 'foo', { deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 10 }, 30) });
    await drain();
    expect(calls).toEqual(['syncPod SyncPodCreate foo', 'syncTerminatingPod foo grace=10', 'syncTerminatedPod foo']);
    expect(transitions).toEqual(['ns/foo: SyncPod -> TerminatingPod', 'ns/foo: TerminatingPod -> TerminatedPod', 'ns/foo: TerminatedPod -> Finished']);
    expect(w.isFinished('1')).toBe(true);
    // Finished: further updates are ignored.
    w.updatePod({ updateType: 'SyncPodSync', pod: newPod('1', 'foo') });
    await drain();
    expect(calls).toHaveLength(3);
  });

  it('updates that arrive while a sync runs collapse into the latest one (TestUpdatePodDoesNotForgetSyncPodKill, reduced)', async () => {
    const { w, calls, drain } = createPodWorkers();
    w.updatePod({ updateType: 'SyncPodCreate', pod: newPod('1', 'a') });
    w.updatePod({ updateType: 'SyncPodUpdate', pod: newPod('1', 'b') });
    w.updatePod({ updateType: 'SyncPodUpdate', pod: newPod('1', 'c') });
    await drain();
    expect(calls).toEqual(['syncPod SyncPodCreate a', 'syncPod SyncPodUpdate c']);
  });

  it('a pod that became terminal (syncPod says so) is terminated without a deletion (TestUpdatePod: terminal phase)', async () => {
    const { w, calls, drain } = createPodWorkers({ terminal: true });
    w.updatePod({ updateType: 'SyncPodCreate', pod: newPod('1', 'job', {}, 5) });
    await drain();
    expect(calls).toEqual(['syncPod SyncPodCreate job', 'syncTerminatingPod job grace=5', 'syncTerminatedPod job']);
  });

  it('an orphan found only in the runtime is killed and finished (TestUpdatePod: runtime-only pod)', async () => {
    const { w, calls, drain } = createPodWorkers();
    w.updatePod({ updateType: 'SyncPodKill', runningPod: { id: '9', name: 'orphan', namespace: 'ns', containers: [], sandboxes: [] } });
    await drain();
    expect(calls).toEqual(['syncTerminatingRuntimePod orphan']);
    expect(w.isFinished('9')).toBe(true);
  });

  it('a failed sync is retried after the 10 s backoff, jittered by up to 50 % (completeWork)', async () => {
    const { w, drain, workQueue } = createPodWorkers({ failSync: true });
    w.updatePod({ updateType: 'SyncPodCreate', pod: newPod('1', 'foo') });
    await drain();
    const at = workQueue.readyAt('1')!;
    expect(at).toBeGreaterThanOrEqual(WORKER_BACK_OFF_PERIOD_MS);
    expect(at).toBeLessThan(WORKER_BACK_OFF_PERIOD_MS * 1.5 + 10);
  });

  it('housekeeping forgets finished workers of pods no longer desired and kills known ones that vanished (TestSyncKnownPods)', async () => {
    const { w, calls, drain } = createPodWorkers();
    w.updatePod({ updateType: 'SyncPodCreate', pod: newPod('1', 'keep') });
    w.updatePod({ updateType: 'SyncPodCreate', pod: newPod('2', 'gone') });
    await drain();
    w.syncKnownPods(new Set(['1']));
    await drain();
    expect(calls.filter((c) => c.includes('gone'))).toEqual(['syncPod SyncPodCreate gone', 'syncTerminatingPod gone grace=30', 'syncTerminatedPod gone']);
    w.syncKnownPods(new Set(['1']));
    expect([...w.states().keys()]).toEqual(['1']);
  });
});

describe('calculateEffectiveGracePeriod (TestCalculateEffectiveGracePeriod)', () => {
  const table: Array<{ name: string; current?: number; pod: Pod; override?: number; want: number }> = [
    { name: 'the spec', pod: newPod('1', 'p', {}, 20), want: 20 },
    { name: 'the default 30 s', pod: newPod('1', 'p'), want: 30 },
    { name: 'the deletion grace period over the spec', pod: newPod('1', 'p', { deletionGracePeriodSeconds: 5 }, 20), want: 5 },
    { name: 'an override over both', pod: newPod('1', 'p', { deletionGracePeriodSeconds: 5 }, 20), override: 1, want: 1 },
    { name: 'never longer than the termination already in progress', current: 3, pod: newPod('1', 'p', { deletionGracePeriodSeconds: 5 }, 20), want: 3 },
    { name: 'a force deletion (0) still gets 1 s', pod: newPod('1', 'p', { deletionGracePeriodSeconds: 0 }, 20), want: 1 },
  ];
  for (const c of table) it(c.name, () => expect(calculateEffectiveGracePeriod(c.current, c.pod, c.override)).toBe(c.want));
});
