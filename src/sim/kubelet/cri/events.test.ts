import { describe, expect, it } from 'vitest';
import { eventSource, eventText } from '../../catalogs';
import { newTestRuntime, runPod } from './testing';

describe('containerd trace events', () => {
  it('records a pod\'s life with text and upstream links', async () => {
    const t = newTestRuntime();
    const { containerId } = await runPod(t, 'p', 'busybox', { command: ['sh', '-c', 'exit 1'] });
    await t.advance(10);
    await t.run(t.rt.stopContainer(containerId, 30));
    const types = t.trace.events.map((e) => e.type);
    expect(types).toEqual(['cri.pullStart', 'cri.pullEnd', 'cri.sandboxReady', 'cri.containerCreated', 'cri.containerStarted', 'cri.containerExited']);
    const exited = t.trace.events[5];
    expect(eventText(exited)).toBe(`node-1: main ${containerId.slice(0, 13)} exited with code 1 (Error)`);
    expect(eventSource(exited)?.href).toBe('https://github.com/containerd/containerd/blob/v2.1.0/internal/cri/server/events.go');
    for (const e of t.trace.events) expect(eventText(e)).toBeTruthy();
  });

  it('tells the story of a pod deleted while its process ignores SIGTERM (golden)', async () => {
    const t = newTestRuntime();
    const { sandboxId, containerId } = await runPod(t, 'sleeper', 'busybox:1.36', { command: ['sleep', '3600'] });
    await t.advance(1000);
    await t.run(t.rt.stopContainer(containerId, 30));
    await t.run(t.rt.stopPodSandbox(sandboxId));
    await t.run(t.rt.removePodSandbox(sandboxId));
    const lines = t.trace.events.map((e) => `${new Date(e.t).toISOString().slice(11, 23)} ${eventText(e)}`);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('__snapshots__/sigterm-ignored.trace.txt');
    expect(lines.at(-3)).toMatch(/SIGKILL to main/);
  });
});
