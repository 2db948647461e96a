/** Tests after pkg/kubelet/pleg/generic_test.go (v1.34): each case names the upstream test it follows. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import type { RuntimeContainerState, RuntimePod, RuntimePodStatus } from './kuberuntime/types';
import { GenericPLEG, RELIST_THRESHOLD_MS, generateEvents, type PodLifecycleEvent } from './pleg';
import { PodCache } from './pod_cache';

const c = (id: string, state: RuntimeContainerState) => ({ id, name: id, state });
const pod = (id: string, ...containers: ReturnType<typeof c>[]): RuntimePod => ({ id, name: `pod-${id}`, namespace: 'ns', containers, sandboxes: [] });
const status = (p: RuntimePod): RuntimePodStatus => ({ id: p.id, name: p.name, namespace: p.namespace, ips: [], sandboxStatuses: [], containerStatuses: [], timestampMs: 0 });
const sortEvents = (es: PodLifecycleEvent[]) => [...es].sort((a, b) => (a.id + a.data + a.type).localeCompare(b.id + b.data + b.type));

function newTestGenericPLEG(channelSize = 1000, withCache = false) {
  const clock = new FakeClock();
  const runtime = { pods: [] as RuntimePod[], statusErr: new Map<string, Error>(), getPods: async () => runtime.pods, getPodStatus: async (uid: string) => {
    const err = runtime.statusErr.get(uid);
    if (err) throw err;
    return status(runtime.pods.find((p) => p.id === uid)!);
  } };
  const ch: PodLifecycleEvent[] = [];
  const cache = withCache ? new PodCache() : undefined;
  const pleg = new GenericPLEG({ clock, runtime, cache, send: (e) => (ch.length < channelSize ? (ch.push(e), true) : false) });
  const drain = () => ch.splice(0);
  return { clock, runtime, pleg, cache, drain };
}

describe('GenericPLEG', () => {
  it('reports running and exited containers on the first relist, then only transitions (TestRelisting)', async () => {
    const { runtime, pleg, drain } = newTestGenericPLEG();
    runtime.pods = [pod('1234', c('c1', 'exited'), c('c2', 'running'), c('c3', 'unknown')), pod('4567', c('c1', 'exited'))];
    await pleg.relist();
    expect(sortEvents(drain())).toEqual(sortEvents([
      { id: '1234', type: 'ContainerStarted', data: 'c2' },
      { id: '4567', type: 'ContainerDied', data: 'c1' },
      { id: '1234', type: 'ContainerDied', data: 'c1' },
    ]));
    await pleg.relist();
    expect(drain()).toEqual([]);
    runtime.pods = [pod('1234', c('c2', 'exited'), c('c3', 'running')), pod('4567', c('c4', 'running'))];
    await pleg.relist();
    expect(sortEvents(drain())).toEqual(sortEvents([
      { id: '1234', type: 'ContainerRemoved', data: 'c1' },
      { id: '1234', type: 'ContainerDied', data: 'c2' },
      { id: '1234', type: 'ContainerStarted', data: 'c3' },
      { id: '4567', type: 'ContainerRemoved', data: 'c1' },
      { id: '4567', type: 'ContainerStarted', data: 'c4' },
    ]));
  });

  it('drops the events that do not fit in a full channel (TestEventChannelFull)', async () => {
    const { runtime, pleg, drain } = newTestGenericPLEG(4);
    runtime.pods = [pod('1234', c('c1', 'exited'), c('c2', 'running'), c('c3', 'unknown')), pod('4567', c('c1', 'exited'))];
    await pleg.relist();
    expect(drain()).toHaveLength(3);
    runtime.pods = [pod('1234', c('c2', 'exited'), c('c3', 'running')), pod('4567', c('c4', 'running'))];
    await pleg.relist();
    // The channel holds 4: one of the 5 events of this relist is discarded.
    const all = [
      { id: '1234', type: 'ContainerRemoved', data: 'c1' },
      { id: '1234', type: 'ContainerDied', data: 'c2' },
      { id: '1234', type: 'ContainerStarted', data: 'c3' },
      { id: '4567', type: 'ContainerRemoved', data: 'c1' },
      { id: '4567', type: 'ContainerStarted', data: 'c4' },
    ];
    const got = drain();
    expect(got).toHaveLength(4);
    for (const e of got) expect(all).toContainEqual(e);
  });

  for (const numRelists of [1, 3]) {
    it(`reports a container that vanished between relists as died and removed, after ${numRelists} relists (TestDetectingContainerDeaths: testReportMissingContainers)`, async () => {
      const { runtime, pleg, drain } = newTestGenericPLEG();
      runtime.pods = [pod('1234', c('c1', 'running'), c('c2', 'running'), c('c3', 'exited'))];
      for (let i = 0; i < numRelists; i++) {
        await pleg.relist();
        drain();
      }
      runtime.pods = [pod('1234', c('c1', 'running'))];
      await pleg.relist();
      expect(sortEvents(drain())).toEqual(sortEvents([
        { id: '1234', type: 'ContainerDied', data: 'c2' },
        { id: '1234', type: 'ContainerRemoved', data: 'c2' },
        { id: '1234', type: 'ContainerRemoved', data: 'c3' },
      ]));
    });

    it(`reports the containers of a vanished pod, after ${numRelists} relists (TestDetectingContainerDeaths: testReportMissingPods)`, async () => {
      const { runtime, pleg, drain } = newTestGenericPLEG();
      runtime.pods = [pod('1234', c('c2', 'running'))];
      for (let i = 0; i < numRelists; i++) {
        await pleg.relist();
        drain();
      }
      runtime.pods = [];
      await pleg.relist();
      expect(drain()).toEqual([
        { id: '1234', type: 'ContainerDied', data: 'c2' },
        { id: '1234', type: 'ContainerRemoved', data: 'c2' },
      ]);
    });
  }

  it('caches each changed pod status; a failed inspection is retried and its events held back (TestRelistWithCache)', async () => {
    const { runtime, pleg, cache, drain } = newTestGenericPLEG(1000, true);
    runtime.pods = [pod('0', c('c0', 'running')), pod('1', c('c1', 'running'))];
    const statusErr = new Error('unable to get status');
    runtime.statusErr.set('1', statusErr);
    await pleg.relist();
    expect(cache!.get('0')).toEqual({ status: status(runtime.pods[0]), error: undefined });
    expect(cache!.get('1')).toEqual({ status: undefined, error: statusErr });
    expect(drain()).toEqual([{ id: '0', type: 'ContainerStarted', data: 'c0' }]);
    runtime.statusErr.delete('1');
    await pleg.relist();
    expect(cache!.get('1')).toEqual({ status: status(runtime.pods[1]), error: undefined });
    expect(drain()).toEqual([{ id: '1', type: 'ContainerStarted', data: 'c1' }]);
  });

  it('is unhealthy before the first relist and once a relist is older than 3 minutes (TestHealthy)', async () => {
    const { clock, pleg } = newTestGenericPLEG();
    expect(pleg.healthy()).toEqual({ ok: false, error: 'pleg has yet to be successful' });
    await pleg.relist();
    expect(pleg.healthy().ok).toBe(true);
    clock.step(RELIST_THRESHOLD_MS + 60_000);
    expect(pleg.healthy()).toEqual({ ok: false, error: 'pleg was last seen active 4m0s ago; threshold is 3m0s' });
    await pleg.relist();
    expect(pleg.healthy().ok).toBe(true);
  });

  it('maps state pairs to events (generateEvents)', () => {
    const table: Array<[Parameters<typeof generateEvents>[2], Parameters<typeof generateEvents>[3], string[]]> = [
      ['non-existent', 'running', ['ContainerStarted']],
      ['running', 'exited', ['ContainerDied']],
      ['running', 'unknown', ['ContainerChanged']],
      ['exited', 'non-existent', ['ContainerRemoved']],
      ['running', 'non-existent', ['ContainerDied', 'ContainerRemoved']],
      ['running', 'running', []],
    ];
    for (const [from, to, want] of table) expect(generateEvents('p', 'c', from, to).map((e) => e.type)).toEqual(want);
  });

  it('releases a pod worker waiting for a newer status once a relist passes its time (cache.go GetNewerThan / UpdateTime)', async () => {
    const { clock, runtime, pleg, cache } = newTestGenericPLEG(1000, true);
    runtime.pods = [pod('0', c('c0', 'running'))];
    await pleg.relist();
    clock.step(500);
    let got = false;
    void cache!.getNewerThan('0', 500).then(() => (got = true));
    await Promise.resolve();
    expect(got).toBe(false);
    clock.step(500);
    await pleg.relist();
    await Promise.resolve();
    expect(got).toBe(true);
  });
});
