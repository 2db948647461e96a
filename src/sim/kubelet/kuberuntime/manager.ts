/**
 * The kubelet's generic runtime manager: pkg/kubelet/kuberuntime/kuberuntime_manager.go (GetPods,
 * GetPodStatus, SyncPod, KillPod, doBackOff), kuberuntime_container.go (startContainer,
 * killContainer, executePreStopHook, killContainersWithSyncResult) and kuberuntime_sandbox.go,
 * over the CRI of `../cri/api.ts`. SyncPod carries out computePodActions and reports each step as
 * a SyncResult, from which the kubelet's reason cache takes the waiting reasons.
 */
import type { Container, Pod } from '../../api/core/v1';
import { formatGoDuration, goQuote } from '../../cache/go_strings';
import type { FakeClock } from '../../core/clock';
import type { Backoff } from '../backoff';
import { doBackOff, getStableKey } from '../crashloop';
import type { ImageService, PodNetworkDialer, PodSandboxStatus, RuntimeService } from '../cri/api';
import { computePodActions, isRestartableInitContainer, type ContainerKillReason, type ProbeResultsLookup } from './compute_actions';
import { ContainerConfigError, generateContainerConfig, generatePodSandboxConfig, makeEnvironmentVariables, type EnvSource } from './container_config';
import { containerHashLabel, containerNameLabel, containerRestartCountLabel, hashContainer, podInfraContainerName, podNameLabel, podNamespaceLabel, podUIDLabel } from './labels';
import { findContainerStatusByName, type RuntimeContainerState, type RuntimeContainerStatus, type RuntimePod, type RuntimePodStatus } from './types';

/** The shortest grace period a container gets (minimumGracePeriodInSeconds). */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;
/** The runtime's name in container IDs (`containerd://...`). */
export const RUNTIME_NAME = 'containerd';

/** The sync errors the kubelet's reason cache and waiting states use, by upstream name. */
// Upstream: pkg/kubelet/container/sync_result.go, pkg/kubelet/images/types.go
export type SyncErrorName = 'CrashLoopBackOff' | 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'CreateContainerConfigError' | 'CreateContainerError' | 'RunContainerError' | 'PreStartHookError' | 'PostStartHookError' | 'KillContainerError' | 'CreatePodSandboxError' | 'KillPodSandboxError';

// Upstream: pkg/kubelet/container/sync_result.go (SyncResult)
export interface SyncResult {
  action: 'StartContainer' | 'KillContainer' | 'CreatePodSandbox' | 'KillPodSandbox';
  target: string;
  error?: SyncErrorName;
  message?: string;
}

/** A kubelet Event: on the pod, optionally on one container (`spec.containers{name}`). */
export type RecordEvent = (pod: Pod, fieldPath: string, type: 'Normal' | 'Warning', reason: string, message: string) => void;

export interface RuntimeManagerOptions {
  clock: FakeClock;
  runtime: RuntimeService & ImageService & Partial<PodNetworkDialer>;
  crashLoopBackOff: Backoff;
  imageBackOff: Backoff;
  recordEvent: RecordEvent;
  nodeName: string;
  probes?: ProbeResultsLookup;
  envSource?: EnvSource;
  /** The container's mounts (volumes.ts makeMounts); throws for a bad mount. */
  makeMounts?: (pod: Pod, container: Container) => import('../cri/api').Mount[];
  /** Told about the CRI steps and backoffs (trace). */
  onAction?: (pod: Pod, r: SyncResult) => void;
  onBackOff?: (pod: Pod, container: string, backoffMs: number, restartAtMs: number) => void;
  /** Journal: "Killing container with a grace period". */
  log?: (msg: string, kv: Record<string, string | number>) => void;
}

const nsToMs = (ns: number) => Math.floor(ns / 1_000_000);
const stateOf: Record<string, RuntimeContainerState> = { CONTAINER_CREATED: 'created', CONTAINER_RUNNING: 'running', CONTAINER_EXITED: 'exited', CONTAINER_UNKNOWN: 'unknown' };
export const fieldPathOf = (pod: Pod, name: string) => ((pod.spec.initContainers ?? []).some((c) => c.name === name) ? `spec.initContainers{${name}}` : `spec.containers{${name}}`);
const podKey = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

// Upstream: kuberuntime_manager.go (kubeGenericRuntimeManager)
export class KubeGenericRuntimeManager {
  constructor(readonly o: RuntimeManagerOptions) {}

  /** Every pod the runtime has, sandboxes and containers grouped by the pod UID label. */
  // Upstream: kuberuntime_manager.go (GetPods)
  async getPods(all: boolean): Promise<RuntimePod[]> {
    const rt = this.o.runtime;
    const pods = new Map<string, RuntimePod>();
    const podOf = (labels: Record<string, string>) => {
      const uid = labels[podUIDLabel] ?? '';
      let p = pods.get(uid);
      if (!p) pods.set(uid, (p = { id: uid, name: labels[podNameLabel] ?? '', namespace: labels[podNamespaceLabel] ?? '', containers: [], sandboxes: [] }));
      return p;
    };
    for (const s of await rt.listPodSandbox(all ? undefined : { state: 'SANDBOX_READY' })) {
      podOf(s.labels).sandboxes.push({ id: s.id, name: podInfraContainerName, state: s.state === 'SANDBOX_READY' ? 'running' : 'exited' });
    }
    for (const c of await rt.listContainers(all ? undefined : { state: 'CONTAINER_RUNNING' })) {
      podOf(c.labels).containers.push({ id: `${RUNTIME_NAME}://${c.id}`, name: c.labels[containerNameLabel] ?? c.metadata.name, state: stateOf[c.state] });
    }
    return [...pods.values()];
  }

  /** The pod's sandboxes and containers with their full status, newest first. */
  // Upstream: kuberuntime_manager.go (GetPodStatus), kuberuntime_container.go (getPodContainerStatuses)
  async getPodStatus(uid: string, name: string, namespace: string): Promise<RuntimePodStatus> {
    const rt = this.o.runtime;
    const timestampMs = this.o.clock.now();
    const sandboxes = (await rt.listPodSandbox({ labelSelector: { [podUIDLabel]: uid } })).sort((a, b) => b.createdAt - a.createdAt);
    const sandboxStatuses: PodSandboxStatus[] = [];
    for (const s of sandboxes) sandboxStatuses.push(await rt.podSandboxStatus(s.id));
    const ips = sandboxStatuses[0]?.state === 'SANDBOX_READY' && sandboxStatuses[0].network?.ip ? [sandboxStatuses[0].network.ip] : [];
    const containerStatuses: RuntimeContainerStatus[] = [];
    for (const c of await rt.listContainers({ labelSelector: { [podUIDLabel]: uid } })) {
      const s = await rt.containerStatus(c.id);
      containerStatuses.push({
        id: `${RUNTIME_NAME}://${s.id}`,
        rawId: s.id,
        name: s.labels[containerNameLabel] ?? s.metadata.name,
        state: stateOf[s.state],
        createdAtMs: nsToMs(s.createdAt),
        startedAtMs: nsToMs(s.startedAt),
        finishedAtMs: nsToMs(s.finishedAt),
        exitCode: s.exitCode,
        image: s.image.image,
        imageRef: s.imageRef,
        restartCount: Number(s.annotations[containerRestartCountLabel] ?? s.metadata.attempt),
        hash: s.annotations[containerHashLabel] ?? '',
        reason: s.reason,
        message: s.message,
      });
    }
    containerStatuses.sort((a, b) => b.createdAtMs - a.createdAtMs || b.restartCount - a.restartCount);
    return { id: uid, name, namespace, ips, sandboxStatuses, containerStatuses, timestampMs };
  }

  /**
   * Brings the pod's sandbox and containers to the spec: kill what must go, (re)create the
   * sandbox, start the next init containers, then the regular containers. Never throws: each
   * step's outcome is a SyncResult.
   */
  // Upstream: kuberuntime_manager.go (SyncPod)
  async syncPod(pod: Pod, status: RuntimePodStatus): Promise<SyncResult[]> {
    const o = this.o;
    const results: SyncResult[] = [];
    const push = (r: SyncResult) => {
      results.push(r);
      o.onAction?.(pod, r);
    };
    const changes = computePodActions(pod, status, o.probes);
    if (changes.createSandbox && changes.sandboxId !== '') o.recordEvent(pod, '', 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');

    if (changes.killPod) {
      results.push(...(await this.killPod(pod, status)));
      if (!changes.createSandbox) return results;
    } else {
      for (const [id, info] of changes.containersToKill) {
        const r: SyncResult = { action: 'KillContainer', target: info.name };
        try {
          await this.killContainer(pod, id, info.container, info.name, info.message, info.reason);
        } catch (e) {
          r.error = 'KillContainerError';
          r.message = (e as Error).message;
        }
        push(r);
        if (r.error) return results;
      }
    }

    let sandboxId = changes.sandboxId;
    const sandboxConfig = generatePodSandboxConfig(pod, changes.attempt);
    if (changes.createSandbox) {
      const r: SyncResult = { action: 'CreatePodSandbox', target: podKey(pod) };
      try {
        sandboxId = await o.runtime.runPodSandbox(sandboxConfig);
      } catch (e) {
        r.error = 'CreatePodSandboxError';
        r.message = `Failed to create pod sandbox: ${(e as Error).message}`;
        o.recordEvent(pod, '', 'Warning', 'FailedCreatePodSandBox', r.message);
      }
      push(r);
      if (r.error) return results;
    }
    const sandbox = await o.runtime.podSandboxStatus(sandboxId);
    const podIP = sandbox.network?.ip ?? '';

    const start = async (container: Container): Promise<boolean> => {
      const r: SyncResult = { action: 'StartContainer', target: container.name };
      const last = status.containerStatuses.find((c) => c.name === container.name && c.state === 'exited');
      const backoff = doBackOff(o.crashLoopBackOff, podRef(pod), container.name, hashContainer(container), last?.finishedAtMs);
      if (backoff.inBackOff) {
        o.recordEvent(pod, fieldPathOf(pod, container.name), 'Warning', backoff.event.reason, backoff.event.message);
        const key = getStableKey(podRef(pod), container.name, hashContainer(container));
        const ms = o.crashLoopBackOff.get(key);
        o.onBackOff?.(pod, container.name, ms, (last?.finishedAtMs ?? 0) + ms);
        r.error = 'CrashLoopBackOff';
        r.message = backoff.message;
      } else {
        const failed = await this.startContainer(pod, container, status, sandboxId, sandboxConfig, podIP);
        if (failed) Object.assign(r, failed);
      }
      push(r);
      return !r.error;
    };

    const inits = pod.spec.initContainers ?? [];
    for (const idx of changes.initContainersToStart) {
      const c = inits[idx];
      const ok = await start(c);
      if (!ok && !isRestartableInitContainer(c)) return results;
      // Regular init containers run one at a time: the next one waits for this one's exit.
      if (!isRestartableInitContainer(c)) break;
    }
    for (const idx of changes.containersToStart) await start(pod.spec.containers[idx]);
    return results;
  }

  /**
   * Pulls the image if needed, creates and starts the container; an Event per step. Returns the
   * failure (sync error name and message), or undefined on success.
   */
  // Upstream: kuberuntime_container.go (startContainer)
  async startContainer(pod: Pod, container: Container, status: RuntimePodStatus, sandboxId: string, sandboxConfig: import('../cri/api').PodSandboxConfig, podIP: string): Promise<{ error: SyncErrorName; message: string } | undefined> {
    const o = this.o;
    const fieldPath = fieldPathOf(pod, container.name);
    const failed = (error: SyncErrorName, message: string, eventMessage = message) => {
      o.recordEvent(pod, fieldPath, 'Warning', 'Failed', `Error: ${eventMessage}`);
      return { error, message };
    };
    const pulled = await this.ensureImageExists(pod, container, fieldPath);
    if (!pulled.ok) return failed(pulled.error, pulled.message, pulled.error);
    const prev = findContainerStatusByName(status, container.name);
    const restartCount = prev ? prev.restartCount + 1 : 0;
    let config;
    try {
      const envs = await makeEnvironmentVariables(pod, container, podIP, o.nodeName, o.envSource);
      const mounts = o.makeMounts?.(pod, container) ?? [];
      config = generateContainerConfig(pod, container, restartCount, pulled.imageRef, envs, mounts);
    } catch (e) {
      if (e instanceof ContainerConfigError) return failed('CreateContainerConfigError', e.message);
      return failed('CreateContainerConfigError', (e as Error).message);
    }
    let id: string;
    try {
      id = await o.runtime.createContainer(sandboxId, config, sandboxConfig);
    } catch (e) {
      return failed('CreateContainerError', (e as Error).message);
    }
    o.recordEvent(pod, fieldPath, 'Normal', 'Created', `Created container: ${container.name}`);
    try {
      await o.runtime.startContainer(id);
    } catch (e) {
      return failed('RunContainerError', (e as Error).message);
    }
    o.recordEvent(pod, fieldPath, 'Normal', 'Started', `Started container ${container.name}`);
    const postStart = (container.lifecycle as { postStart?: LifecycleHandler } | undefined)?.postStart;
    if (postStart) {
      const err = await this.runHook(id, postStart, podIP, 0);
      if (err !== undefined) {
        o.recordEvent(pod, fieldPath, 'Warning', 'FailedPostStartHook', err);
        await this.killContainer(pod, id, container, container.name, 'FailedPostStartHook', '').catch(() => {});
        return { error: 'PostStartHookError', message: err };
      }
    }
    return undefined;
  }

  /**
   * Makes the image present: pull policy (Always for `:latest` or no tag, else IfNotPresent),
   * the per pod+image backoff, and the Pulling / Pulled / Failed / BackOff events.
   */
  // Upstream: pkg/kubelet/images/image_manager.go (EnsureImageExists)
  async ensureImageExists(pod: Pod, container: Container, fieldPath: string): Promise<{ ok: true; imageRef: string } | { ok: false; error: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull'; message: string }> {
    const o = this.o;
    const image = container.image ?? '';
    const quoted = goQuote(image);
    const tagless = !/[:@]/.test(image.slice(image.lastIndexOf('/') + 1));
    const policy = (container.imagePullPolicy as string | undefined) ?? (tagless || image.endsWith(':latest') ? 'Always' : 'IfNotPresent');
    const present = await o.runtime.imageStatus(image);
    if (present && policy !== 'Always') {
      o.recordEvent(pod, fieldPath, 'Normal', 'Pulled', `Container image ${quoted} already present on machine and can be accessed by the pod`);
      return { ok: true, imageRef: present.id };
    }
    if (policy === 'Never') {
      const message = `Container image ${quoted} is not present with pull policy of Never`;
      o.recordEvent(pod, fieldPath, 'Warning', 'ErrImageNeverPull', message);
      return { ok: false, error: 'ErrImageNeverPull', message };
    }
    const key = `${pod.metadata.uid}_${image}`;
    const now = o.clock.now();
    if (o.imageBackOff.isInBackOffSinceUpdate(key, now)) {
      const message = `Back-off pulling image ${quoted}`;
      o.recordEvent(pod, fieldPath, 'Normal', 'BackOff', message);
      return { ok: false, error: 'ImagePullBackOff', message };
    }
    o.recordEvent(pod, fieldPath, 'Normal', 'Pulling', `Pulling image ${quoted}`);
    const startMs = o.clock.now();
    try {
      const imageRef = await o.runtime.pullImage(image);
      const took = formatGoDuration(o.clock.now() - startMs);
      const size = (await o.runtime.imageStatus(image))?.size ?? 0;
      o.recordEvent(pod, fieldPath, 'Normal', 'Pulled', `Successfully pulled image ${quoted} in ${took} (${took} including waiting). Image size: ${size} bytes.`);
      o.imageBackOff.gc();
      return { ok: true, imageRef };
    } catch (e) {
      const message = (e as Error).message;
      o.recordEvent(pod, fieldPath, 'Warning', 'Failed', `Failed to pull image ${quoted}: ${message}`);
      o.imageBackOff.next(key, o.clock.now());
      return { ok: false, error: 'ErrImagePull', message };
    }
  }

  /**
   * Stops one container: the Killing event, the preStop hook (its time comes out of the grace
   * period), then StopContainer with what is left (at least 2 s): SIGTERM, SIGKILL at the end.
   */
  // Upstream: kuberuntime_container.go (killContainer, setTerminationGracePeriod)
  async killContainer(pod: Pod, containerId: string, spec: Container | undefined, name: string, message: string, reason: ContainerKillReason | 'FailedPostStartHook', gracePeriodOverrideSeconds?: number): Promise<void> {
    const o = this.o;
    let gracePeriod = MINIMUM_GRACE_PERIOD_SECONDS;
    if (typeof pod.metadata.deletionGracePeriodSeconds === 'number') gracePeriod = pod.metadata.deletionGracePeriodSeconds;
    else if (typeof pod.spec.terminationGracePeriodSeconds === 'number') {
      gracePeriod = pod.spec.terminationGracePeriodSeconds;
      const probe = reason === 'LivenessProbe' ? spec?.livenessProbe : reason === 'StartupProbe' ? spec?.startupProbe : undefined;
      const probeGrace = (probe as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
      if (typeof probeGrace === 'number') gracePeriod = probeGrace;
    } else gracePeriod = 30;
    o.recordEvent(pod, fieldPathOf(pod, name), 'Normal', 'Killing', message || `Stopping container ${name}`);
    // The pod worker's effective grace period (a deletion's) replaces the spec's; the preStop hook's time comes out of it.
    if (gracePeriodOverrideSeconds !== undefined) gracePeriod = gracePeriodOverrideSeconds;
    const preStop = (spec?.lifecycle as { preStop?: LifecycleHandler } | undefined)?.preStop;
    if (preStop && gracePeriod > 0) {
      const started = o.clock.now();
      const err = await this.runHook(containerId, preStop, '', gracePeriod);
      if (err !== undefined) o.recordEvent(pod, fieldPathOf(pod, name), 'Warning', 'FailedPreStopHook', 'PreStopHook failed');
      gracePeriod -= Math.floor((o.clock.now() - started) / 1000);
    }
    // Always a minimal shutdown window: a force deletion (grace 0) still gets 2 s of SIGTERM.
    if (gracePeriod < MINIMUM_GRACE_PERIOD_SECONDS) gracePeriod = MINIMUM_GRACE_PERIOD_SECONDS;
    o.log?.('Killing container with a grace period', { pod: podKey(pod), podUID: pod.metadata.uid ?? '', containerName: name, containerID: `${RUNTIME_NAME}://${containerId}`, gracePeriod });
    await o.runtime.stopContainer(containerId, gracePeriod);
  }

  /** Runs a lifecycle hook; returns the failure text, or undefined. Bounded by `timeoutSeconds` (0: none). */
  // Upstream: pkg/kubelet/lifecycle/handlers.go (handlerRunner.Run), kuberuntime_container.go (executePreStopHook)
  async runHook(containerId: string, h: LifecycleHandler, podIP: string, timeoutSeconds: number): Promise<string | undefined> {
    const rt = this.o.runtime;
    const run = async (): Promise<string | undefined> => {
      if (h.exec) {
        const r = await rt.execSync(containerId, h.exec.command, timeoutSeconds);
        return r.exitCode === 0 ? undefined : `command '${h.exec.command.join(' ')}' exited with ${r.exitCode}: ${r.stderr}`;
      }
      if (h.httpGet && rt.httpGet) {
        const r = await rt.httpGet(h.httpGet.host ?? podIP, Number(h.httpGet.port), h.httpGet.path ?? '/', {}, timeoutSeconds * 1000);
        return r.statusCode >= 200 && r.statusCode < 400 ? undefined : `HTTP lifecycle hook (${h.httpGet.path ?? '/'}) failed: status ${r.statusCode}`;
      }
      if (h.sleep) {
        await this.o.clock.sleep(h.sleep.seconds * 1000);
        return undefined;
      }
      return undefined;
    };
    if (timeoutSeconds <= 0) return run().catch((e: Error) => e.message);
    // The hook gets at most the grace period; the kill goes ahead when it runs out.
    return Promise.race([run().catch((e: Error) => e.message), this.o.clock.sleep(timeoutSeconds * 1000).then(() => undefined)]);
  }

  /**
   * Kills every running container (regular ones together, then sidecars last to first) and stops
   * the sandboxes.
   */
  // Upstream: kuberuntime_manager.go (KillPod, killPodWithSyncResult), kuberuntime_container.go (killContainersWithSyncResult)
  async killPod(pod: Pod, status: RuntimePodStatus, gracePeriodOverrideSeconds?: number): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    const running = status.containerStatuses.filter((c) => c.state === 'running' || c.state === 'created' || c.state === 'unknown');
    const specOf = (name: string) => [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === name);
    const isSidecar = (name: string) => (pod.spec.initContainers ?? []).some((c) => c.name === name && isRestartableInitContainer(c));
    const kill = async (c: RuntimeContainerStatus) => {
      const r: SyncResult = { action: 'KillContainer', target: c.name };
      try {
        await this.killContainer(pod, c.rawId, specOf(c.name), c.name, '', '', gracePeriodOverrideSeconds);
      } catch (e) {
        r.error = 'KillContainerError';
        r.message = (e as Error).message;
      }
      results.push(r);
      this.o.onAction?.(pod, r);
    };
    await Promise.all(running.filter((c) => !isSidecar(c.name)).map(kill));
    const sidecars = (pod.spec.initContainers ?? []).filter(isRestartableInitContainer).reverse();
    for (const s of sidecars) for (const c of running.filter((x) => x.name === s.name)) await kill(c);
    for (const s of status.sandboxStatuses) {
      if (s.state !== 'SANDBOX_READY') continue;
      const r: SyncResult = { action: 'KillPodSandbox', target: podKey(pod) };
      try {
        await this.o.runtime.stopPodSandbox(s.id);
      } catch (e) {
        r.error = 'KillPodSandboxError';
        r.message = (e as Error).message;
      }
      results.push(r);
      this.o.onAction?.(pod, r);
    }
    return results;
  }

  /** Removes the pod's containers and sandboxes from the runtime (container GC of a deleted pod). */
  // Upstream: kuberuntime_gc.go (evictPodLogsDirectories / removeSandbox for deleted pods), reduced
  async removePod(uid: string): Promise<void> {
    for (const s of await this.o.runtime.listPodSandbox({ labelSelector: { [podUIDLabel]: uid } })) await this.o.runtime.removePodSandbox(s.id);
  }
}

export interface LifecycleHandler {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; host?: string };
  sleep?: { seconds: number };
}

const podRef = (pod: Pod) => ({ name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '', uid: pod.metadata.uid ?? '' });
