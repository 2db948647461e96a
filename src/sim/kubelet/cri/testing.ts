/**
 * Fixtures for the runtime's tests (and for the kubelet's, which may reuse them): a runtime on a
 * FakeClock at 2026-12-05 07:45 UTC, and builders for the CRI configs the kubelet sends.
 */
import { FakeClock } from '../../core/clock';
import { runUntilIdle, runUntilSettled } from '../../core/drive';
import { rngFromSeed } from '../../core/rng';
import { TraceRecorder } from '../../core/trace';
import type { ContainerConfig, PodSandboxConfig } from './api';
import { newFakeContainerRuntime, type FakeContainerRuntimeOptions } from './runtime';

/** 2026-12-05T07:45:00Z in ms. */
export const TEST_EPOCH_MS = 1_796_456_700_000;

export function newTestRuntime(options: Partial<FakeContainerRuntimeOptions> = {}) {
  const clock = options.clock ?? new FakeClock(TEST_EPOCH_MS);
  const trace = options.trace ?? new TraceRecorder();
  const rt = newFakeContainerRuntime({ clock, rng: rngFromSeed(1), trace, nodeName: 'node-1', ...options });
  return {
    clock,
    trace,
    rt,
    /** Drives the clock until `p` settles. */
    run: <T>(p: Promise<T>) => runUntilSettled(clock, p, { forMs: 3_600_000 }),
    /** Moves virtual time by exactly `ms`, letting everything due run. */
    async advance(ms: number) {
      const end = clock.now() + ms;
      await runUntilIdle(clock, { forMs: ms });
      if (clock.now() < end) clock.setTime(end);
      await runUntilIdle(clock, { forMs: 0 });
    },
  };
}

export function sandboxConfig(name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, uid: `uid-${name}`, namespace: 'default', attempt: 0 },
    hostname: name,
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': `uid-${name}` },
    ...extra,
  };
}

export function containerConfig(pod: PodSandboxConfig, name: string, image: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image },
    labels: { 'io.kubernetes.container.name': name, 'io.kubernetes.pod.name': pod.metadata.name, 'io.kubernetes.pod.namespace': pod.metadata.namespace, 'io.kubernetes.pod.uid': pod.metadata.uid },
    logPath: `${name}/${extra.metadata?.attempt ?? 0}.log`,
    ...extra,
  };
}

type Rt = ReturnType<typeof newTestRuntime>;

/** Pulls the image, runs a sandbox and creates + starts one container; returns the ids. */
export async function runPod(t: Rt, name: string, image: string, extra: Partial<ContainerConfig> = {}, sandboxExtra: Partial<PodSandboxConfig> = {}) {
  const pod = sandboxConfig(name, sandboxExtra);
  const ref = await t.run(t.rt.pullImage(image));
  const sandboxId = await t.run(t.rt.runPodSandbox(pod));
  const config = containerConfig(pod, extra.metadata?.name ?? 'main', ref, extra);
  const containerId = await t.run(t.rt.createContainer(sandboxId, config, pod));
  await t.run(t.rt.startContainer(containerId));
  return { pod, sandboxId, containerId, config, ref };
}

/** The log lines of a container without the CRI prefix. */
export function logLines(t: Rt, containerId: string): string[] {
  return (t.rt.containerLog(containerId) ?? []).map((l) => l.replace(/^\S+ (stdout|stderr) [FP] /, ''));
}
