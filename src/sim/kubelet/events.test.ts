/** The kubelet's trace events: every type is emitted in a crash-and-delete run, and each reads as a line of text with an upstream link. */
import { describe, expect, it } from 'vitest';
import { eventSource, eventText } from '../catalogs';
import { TraceRecorder } from '../core/trace';
import { kubeletEvents } from './events';
import { makePod, newKubeletHarness } from './testing/fixtures';

describe('kubelet trace events', () => {
  it('covers the sync loop channels, relists, pod worker stages, container states and backoff timers', async () => {
    const trace = new TraceRecorder();
    const h = await newKubeletHarness(31, {}, trace);
    h.runtime.setImages(['app:1']);
    h.runtime.script('app', { exitAfterMs: 2_000, exitCode: 1 });
    await h.createPod(makePod('traced', [{ name: 'app', image: 'app:1' }], { terminationGracePeriodSeconds: 3 }));
    await h.until(() => false, 40_000, 2_000);
    await h.client.coreV1().pods('default').delete('traced');
    expect(await h.until(async () => (await h.getPod('traced')) === undefined, 30_000)).toBe(true);
    h.kubelet.stop();
    const mine = trace.events.filter((e) => e.component === 'kubelet');
    expect(new Set(mine.map((e) => e.type))).toEqual(new Set(kubeletEvents.types));
    for (const e of mine) {
      expect(eventText(e), e.type).toBeTruthy();
      expect(eventSource(e)?.href, e.type).toMatch(/^https:\/\/github.com\/kubernetes\/kubernetes\/blob\/v1.34.0\/pkg\/kubelet\//);
    }
    // Every event names the kubelet's node, so a multi-node trace tells kubelets apart.
    expect(new Set(mine.map((e) => e.node))).toEqual(new Set([h.kubelet.nodeName]));
    const channels = new Set(mine.filter((e) => e.type === 'kubelet.syncLoop').map((e) => e.channel));
    for (const ch of ['config', 'pleg', 'sync', 'housekeeping']) expect(channels.has(ch), ch).toBe(true);
    const backoff = mine.find((e) => e.type === 'kubelet.backoff')!;
    expect(backoff.backoffMs).toBe(10_000);
    expect(mine.filter((e) => e.type === 'kubelet.podWorker').map((e) => `${e.from}->${e.to}`)).toEqual(['SyncPod->TerminatingPod', 'TerminatingPod->TerminatedPod', 'TerminatedPod->Finished']);
  });
});
