/**
 * A simulated container runtime behind the CRI, shaped after containerd 2.x's CRI plugin: pod
 * sandboxes with IPs, containers that run programs (programs/*.ts) as processes, images pulled
 * from a catalog, logs in the CRI format, memory limits enforced by an OOM killer, and the pod
 * network the kubelet's prober dials. Everything happens on the injected FakeClock; ids come from
 * the injected Rng. The errors are containerd's words (see README.md for the revision read).
 */
import type { FakeClock } from '../../core/clock';
import { EventEmitter } from '../../core/events';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import {
  CriError,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerState,
  type ContainerStats,
  type ContainerStatus,
  type ExecSyncResponse,
  type Image,
  type ImageService,
  type PodNetworkDialer,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type RuntimeService,
} from './api';
import { containerRuntimeEvents, type ContainerRuntimeEventMap } from './events';
import { ContainerFs, HostFs } from './fs';
import { newPodNetworkDialer, type Listener } from './dialer';
import { IMAGE_CATALOG, processArgs, type ImageSpec } from './images';
import { DEFAULT_PULL_BANDWIDTH_BYTES_PER_SEC, ImageStore } from './imagestore';
import { LineWriter, criLogLine, type LogStream } from './logs';
import { newHostLocalNetwork, type PodNetwork } from './network';
import { Process, mountErrorMessage, parseSignal, resolveBinary, startErrorMessage, type NodeServices, type ProcessHost, type Signal } from './process';
import { runProgram } from './programs/index';

/** Virtual time the RPCs take (ms). */
export const RUN_POD_SANDBOX_MS = 60;
export const CREATE_CONTAINER_MS = 5;
export const START_CONTAINER_MS = 10;
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

export interface FakeContainerRuntimeOptions {
  clock: FakeClock;
  rng: Rng;
  trace?: TraceRecorder;
  nodeName: string;
  /** The registry's images (default IMAGE_CATALOG). */
  images?: readonly ImageSpec[];
  /** The CNI seam (default host-local IPAM over `podCidr`). */
  network?: PodNetwork;
  /** Pod CIDR of the default network (default 10.244.0.0/24). */
  podCidr?: string;
  /** The node's IP (hostNetwork pods listen on it; default 172.18.0.2). */
  nodeIp?: string;
  /** Node memory: past it the kernel OOM-kills the container using most memory. */
  memoryCapacityBytes?: number;
  pullBandwidthBytesPerSec?: number;
  /** Images present before anything is pulled (default: the pause image, as kind and kubeadm nodes have it). */
  preloadedImages?: string[];
  /** What the machine offers hostNetwork processes (src/sim/machine): port binds on the node, program hooks. */
  nodeServices?: NodeServices;
  /** The node's file system (default a fresh one); a machine passes one that also sees its host's files (hostPath mounts). */
  hostFs?: HostFs;
}

interface SandboxRecord {
  id: string;
  name: string;
  config: PodSandboxConfig;
  state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
  createdAtMs: number;
  ip: string;
  hostNetwork: boolean;
}

interface ContainerRecord {
  id: string;
  name: string;
  sandboxId: string;
  config: ContainerConfig;
  image: ImageSpec;
  imageRef: string;
  argv: string[];
  state: ContainerState;
  createdAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
  exitCode: number;
  reason: string;
  message: string;
  oomKilled: boolean;
  starting: boolean;
  pid: number;
  fs: ContainerFs;
  process?: Process;
  execs: Set<Process>;
  log: string[];
  writers: LineWriter[];
  cpuCoreNs: number;
  cpuRateMilli: number;
  cpuSinceMs: number;
  exitWaiters: Array<() => void>;
}

const ns = (ms: number) => ms * 1_000_000;
const notFoundContainer = (id: string) => new CriError('NotFound', `an error occurred when try to find container ${JSON.stringify(id)}: not found`);

export type FakeContainerRuntime = ReturnType<typeof newFakeContainerRuntime>;

export function newFakeContainerRuntime(options: FakeContainerRuntimeOptions) {
  const { clock, nodeName } = options;
  const rng = options.rng.fork(`cri/${nodeName}`);
  const catalog = options.images ?? IMAGE_CATALOG;
  const network = options.network ?? newHostLocalNetwork(options.podCidr ?? '10.244.0.0/24');
  const nodeIp = options.nodeIp ?? '172.18.0.2';
  const bandwidth = options.pullBandwidthBytesPerSec ?? DEFAULT_PULL_BANDWIDTH_BYTES_PER_SEC;
  const events = new EventEmitter<ContainerRuntimeEventMap, { node: string }>(containerRuntimeEvents, { clock, trace: options.trace }, { node: nodeName });

  const sandboxes = new Map<string, SandboxRecord>();
  const containers = new Map<string, ContainerRecord>();
  const names = new Map<string, string>(); // reserved name -> id (containerd's name index)
  const images = new ImageStore(clock, catalog, bandwidth, events, options.preloadedImages ?? [PAUSE_IMAGE]);
  const listeners = new Map<string, Listener>();
  const loads = new Map<string, number>();
  const loadSubscribers = new Map<string, Set<(rps: number) => void>>();
  let nextPid = 1000;
  let checking = false;

  const hostFs = options.hostFs ?? new HostFs();
  hostFs.onChange = () => checkMemory();

  const newId = () => {
    for (;;) {
      let id = '';
      for (let i = 0; i < 8; i++) id += rng.uint32().toString(16).padStart(8, '0');
      if (!sandboxes.has(id) && !containers.has(id)) return id;
    }
  };
  const wait = (ms: number) => clock.sleep(ms);

  function getContainer(id: string): ContainerRecord | undefined {
    return containers.get(id) ?? [...containers.values()].find((c) => id.length >= 1 && c.id.startsWith(id));
  }
  function getSandbox(id: string): SandboxRecord | undefined {
    return sandboxes.get(id) ?? [...sandboxes.values()].find((s) => id.length >= 1 && s.id.startsWith(id));
  }

  // --- CPU and memory -------------------------------------------------------------------------

  function accrueCpu(c: ContainerRecord): void {
    const now = clock.now();
    c.cpuCoreNs += c.cpuRateMilli * (now - c.cpuSinceMs) * 1000; // millicores x ms = 1e3 ns of CPU
    c.cpuSinceMs = now;
  }

  function processes(c: ContainerRecord): Process[] {
    return [...(c.process && !c.process.exited ? [c.process] : []), ...c.execs];
  }

  function workingSet(c: ContainerRecord): number {
    if (c.state !== 'CONTAINER_RUNNING') return 0;
    return processes(c).reduce((sum, p) => sum + p.memoryBytes, 0) + c.fs.tmpfsBytes();
  }

  function usageChanged(c: ContainerRecord): void {
    accrueCpu(c);
    const want = processes(c).reduce((sum, p) => sum + p.cpuMilli, 0);
    const limit = c.config.linux?.resources?.cpuLimitMilli ?? 0;
    c.cpuRateMilli = limit > 0 ? Math.min(want, limit) : want;
    checkMemory();
  }

  /** The kernel's OOM killer: a container over its cgroup limit, or the biggest one when the node is out of memory. */
  // Upstream: containerd internal/cri/server/events.go (handleContainerExit: OOM reason from the task's oom event)
  function checkMemory(): void {
    if (checking) return;
    checking = true;
    try {
      for (const c of containers.values()) {
        const limit = c.config.linux?.resources?.memoryLimitInBytes ?? 0;
        const ws = workingSet(c);
        if (limit > 0 && ws > limit) oomKill(c, ws, limit);
      }
      // The pod's cgroup (PodSandboxConfig.linux.memoryLimitBytes): the biggest container in it goes.
      for (const sb of sandboxes.values()) {
        const podLimit = sb.config.linux?.memoryLimitBytes ?? 0;
        if (podLimit <= 0) continue;
        for (;;) {
          const inPod = [...containers.values()].filter((c) => c.sandboxId === sb.id && c.state === 'CONTAINER_RUNNING');
          const total = inPod.reduce((sum, c) => sum + workingSet(c), 0);
          if (total <= podLimit || inPod.length === 0) break;
          const victim = inPod.reduce((a, b) => (workingSet(b) > workingSet(a) ? b : a));
          oomKill(victim, workingSet(victim), podLimit);
        }
      }
      const capacity = options.memoryCapacityBytes ?? 0;
      if (capacity > 0) {
        for (;;) {
          const running = [...containers.values()].filter((c) => c.state === 'CONTAINER_RUNNING');
          const total = running.reduce((s, c) => s + workingSet(c), 0);
          if (total <= capacity || running.length === 0) break;
          const victim = running.reduce((a, b) => (workingSet(b) > workingSet(a) ? b : a));
          oomKill(victim, workingSet(victim), capacity);
        }
      }
    } finally {
      checking = false;
    }
  }

  function oomKill(c: ContainerRecord, ws: number, limit: number): void {
    c.oomKilled = true;
    events.emit('cri.oomKill', { container: c.id, name: c.config.metadata.name, workingSetBytes: ws, limitBytes: limit });
    for (const e of [...c.execs]) e.kill('SIGKILL');
    c.process?.kill('SIGKILL');
  }

  // --- processes ------------------------------------------------------------------------------

  function hostFor(c: ContainerRecord, sandbox: SandboxRecord, out: (s: LogStream, t: string) => void): ProcessHost {
    const env: Record<string, string> = {};
    for (const kv of c.image.env ?? []) {
      const eq = kv.indexOf('=');
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    env.HOSTNAME = sandbox.config.hostname ?? sandbox.config.metadata.name;
    for (const kv of c.config.envs ?? []) env[kv.key] = kv.value;
    const ip = sandbox.hostNetwork ? nodeIp : sandbox.ip;
    return {
      clock,
      fs: c.fs,
      env,
      hostname: sandbox.hostNetwork ? nodeName : (sandbox.config.hostname ?? sandbox.config.metadata.name),
      ip,
      image: c.image,
      stdout: (t) => out('stdout', t),
      stderr: (t) => out('stderr', t),
      ...(sandbox.hostNetwork && options.nodeServices ? { services: options.nodeServices } : {}),
      listen(port, handler) {
        const key = `${ip}:${port}`;
        if (listeners.has(key)) return 'address already in use';
        listeners.set(key, { handler, containerId: c.id });
        if (sandbox.hostNetwork) options.nodeServices?.onListen?.(port, handler, c.argv[0]?.slice(c.argv[0].lastIndexOf('/') + 1) ?? '', c.id);
        return undefined;
      },
      unlisten(port) {
        const key = `${ip}:${port}`;
        if (listeners.get(key)?.containerId !== c.id) return;
        listeners.delete(key);
        if (sandbox.hostNetwork) options.nodeServices?.onUnlisten?.(port, c.id);
      },
      usageChanged: () => usageChanged(c),
      offeredLoad: () => loads.get(ip) ?? 0,
      onOfferedLoad(fn) {
        let set = loadSubscribers.get(ip);
        if (!set) loadSubscribers.set(ip, (set = new Set()));
        set.add(fn);
        return () => set.delete(fn);
      },
    };
  }

  function handleExit(c: ContainerRecord, exitCode: number): void {
    accrueCpu(c);
    c.cpuRateMilli = 0;
    for (const w of c.writers) w.flush();
    for (const e of [...c.execs]) e.kill('SIGKILL');
    c.state = 'CONTAINER_EXITED';
    c.finishedAtMs = clock.now();
    c.exitCode = exitCode;
    // Upstream: containerd internal/cri/server/events.go (handleContainerExit), container_status.go (toCRIContainerStatus)
    c.reason = c.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    c.process = undefined;
    events.emit('cri.containerExited', { container: c.id, name: c.config.metadata.name, exitCode, reason: c.reason });
    for (const fn of c.exitWaiters.splice(0)) fn();
  }

  function failStart(c: ContainerRecord, message: string): CriError {
    c.state = 'CONTAINER_EXITED';
    c.finishedAtMs = clock.now();
    c.exitCode = 128;
    c.reason = 'StartError';
    c.message = message;
    events.emit('cri.containerExited', { container: c.id, name: c.config.metadata.name, exitCode: 128, reason: 'StartError' });
    return new CriError('Unknown', message);
  }

  /** Resolves when the container has exited, or after `timeoutMs` (when given) if it has not. */
  function waitExit(c: ContainerRecord, timeoutMs?: number): Promise<void> {
    if (c.state !== 'CONTAINER_RUNNING') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        timer?.stop();
        const i = c.exitWaiters.indexOf(done);
        if (i >= 0) c.exitWaiters.splice(i, 1);
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : clock.afterFunc(timeoutMs, done);
      c.exitWaiters.push(done);
    });
  }

  function signal(c: ContainerRecord, sig: Signal): void {
    events.emit('cri.containerSignal', { container: c.id, name: c.config.metadata.name, signal: sig });
    c.process?.signal(sig);
  }

  // Upstream: containerd internal/cri/server/container_stop.go (stopContainer)
  async function stopContainer(c: ContainerRecord, timeoutSeconds: number): Promise<void> {
    if (c.state !== 'CONTAINER_RUNNING') return;
    if (timeoutSeconds > 0) {
      const sig = parseSignal(c.image.stopSignal ?? 'SIGTERM') ?? 'SIGTERM';
      signal(c, sig);
      await waitExit(c, timeoutSeconds * 1000);
      if (c.state !== 'CONTAINER_RUNNING') return;
    }
    signal(c, 'SIGKILL');
    await waitExit(c);
  }

  function removeContainerRecord(c: ContainerRecord): void {
    containers.delete(c.id);
    names.delete(c.name);
  }

  // --- the services ---------------------------------------------------------------------------

  const runtime: RuntimeService & ImageService & PodNetworkDialer = {
    async version() {
      return { version: '0.1.0', runtimeName: 'containerd', runtimeVersion: 'v2.1.0', runtimeApiVersion: 'v1' };
    },

    async status() {
      return {
        conditions: [
          { type: 'RuntimeReady', status: true, reason: '', message: '' },
          { type: 'NetworkReady', status: true, reason: '', message: '' },
        ],
      };
    },

    // Upstream: containerd internal/cri/server/sandbox_run.go (RunPodSandbox)
    async runPodSandbox(config) {
      const m = config.metadata;
      const name = [m.name, m.namespace, m.uid, m.attempt].join('_');
      const id = newId();
      const holder = names.get(name);
      if (holder) throw new CriError('Unknown', `failed to reserve sandbox name ${JSON.stringify(name)}: name ${JSON.stringify(name)} is reserved for ${JSON.stringify(holder)}`);
      names.set(name, id);
      try {
        if (!images.get(PAUSE_IMAGE)) await runtime.pullImage(PAUSE_IMAGE);
        await wait(RUN_POD_SANDBOX_MS);
        const hostNetwork = config.linux?.hostNetwork === true;
        const record: SandboxRecord = { id, name, config, state: 'SANDBOX_READY', createdAtMs: clock.now(), ip: '', hostNetwork };
        if (!hostNetwork) {
          try {
            record.ip = (await network.setUpPod({ id, config })).ip;
          } catch (e) {
            throw new CriError('Unknown', `failed to setup network for sandbox ${JSON.stringify(id)}: plugin type="host-local" failed (add): ${(e as Error).message}`);
          }
        }
        sandboxes.set(id, record);
        events.emit('cri.sandboxReady', { sandbox: id, pod: `${m.namespace}/${m.name}`, ip: hostNetwork ? nodeIp : record.ip });
        return id;
      } catch (e) {
        names.delete(name);
        throw e;
      }
    },

    // Upstream: containerd internal/cri/server/sandbox_stop.go (StopPodSandbox: containers killed with timeout 0)
    async stopPodSandbox(podSandboxId) {
      const s = getSandbox(podSandboxId);
      if (!s) throw new CriError('NotFound', `an error occurred when try to find sandbox ${JSON.stringify(podSandboxId)}: not found`);
      await Promise.all([...containers.values()].filter((c) => c.sandboxId === s.id).map((c) => stopContainer(c, 0)));
      if (s.state === 'SANDBOX_READY') {
        s.state = 'SANDBOX_NOTREADY';
        if (!s.hostNetwork) await network.tearDownPod({ id: s.id, config: s.config });
        events.emit('cri.sandboxStopped', { sandbox: s.id, pod: `${s.config.metadata.namespace}/${s.config.metadata.name}` });
      }
    },

    // Upstream: containerd internal/cri/server/sandbox_remove.go (RemovePodSandbox)
    async removePodSandbox(podSandboxId) {
      const s = getSandbox(podSandboxId);
      if (!s) return;
      if (s.state === 'SANDBOX_READY') await runtime.stopPodSandbox(s.id);
      for (const c of [...containers.values()]) if (c.sandboxId === s.id) removeContainerRecord(c);
      sandboxes.delete(s.id);
      names.delete(s.name);
    },

    // Upstream: containerd internal/cri/server/sandbox_status.go (PodSandboxStatus, getIPs)
    async podSandboxStatus(podSandboxId) {
      const s = getSandbox(podSandboxId);
      if (!s) throw new CriError('NotFound', 'an error occurred when try to find sandbox: not found');
      return toSandboxStatus(s);
    },

    async listPodSandbox(filter) {
      return [...sandboxes.values()].filter((s) => matchSandbox(s, filter)).map(toSandbox);
    },

    // Upstream: containerd internal/cri/server/container_create.go (CreateContainer)
    async createContainer(podSandboxId, config, sandboxConfig) {
      const s = getSandbox(podSandboxId);
      if (!s) throw new CriError('NotFound', `failed to find sandbox id ${JSON.stringify(podSandboxId)}: not found`);
      const meta = sandboxConfig.metadata;
      const name = [config.metadata.name, meta.name, meta.namespace, meta.uid, config.metadata.attempt].join('_');
      const id = newId();
      const holder = names.get(name);
      if (holder) throw new CriError('Unknown', `failed to reserve container name ${JSON.stringify(name)}: name ${JSON.stringify(name)} is reserved for ${JSON.stringify(holder)}`);
      const image = images.get(config.image.image);
      if (!image) throw new CriError('NotFound', `failed to resolve image ${JSON.stringify(config.image.image)}: not found`);
      const argv = processArgs(image, config.command, config.args);
      if (argv.length === 0) throw new CriError('Unknown', `failed to generate container ${JSON.stringify(id)} spec: no command specified`);
      names.set(name, id);
      await wait(CREATE_CONTAINER_MS);
      const fs = new ContainerFs(
        hostFs,
        (config.mounts ?? []).map((mt) => ({ containerPath: mt.containerPath, hostPath: mt.hostPath, readonly: mt.readonly === true })),
        image.files,
        id,
        config.workingDir || image.workingDir || '/',
      );
      const record: ContainerRecord = {
        id,
        name,
        sandboxId: s.id,
        config,
        image,
        imageRef: image.id,
        argv,
        state: 'CONTAINER_CREATED',
        createdAtMs: clock.now(),
        startedAtMs: 0,
        finishedAtMs: 0,
        exitCode: 0,
        reason: '',
        message: '',
        oomKilled: false,
        starting: false,
        pid: 0,
        fs,
        execs: new Set(),
        log: [],
        writers: [],
        cpuCoreNs: 0,
        cpuRateMilli: 0,
        cpuSinceMs: clock.now(),
        exitWaiters: [],
      };
      containers.set(id, record);
      events.emit('cri.containerCreated', { container: id, sandbox: s.id, name: config.metadata.name, attempt: config.metadata.attempt, image: image.refs[0] });
      return id;
    },

    // Upstream: containerd internal/cri/server/container_start.go (StartContainer, setContainerStarting)
    async startContainer(containerId) {
      const c = getContainer(containerId);
      if (!c) throw notFoundContainer(containerId);
      if (c.state !== 'CONTAINER_CREATED') {
        throw new CriError('Unknown', `failed to set starting state for container ${JSON.stringify(c.id)}: container is in ${c.state} state`);
      }
      if (c.starting) throw new CriError('Unknown', `failed to set starting state for container ${JSON.stringify(c.id)}: container is already in starting state`);
      c.starting = true;
      try {
        const s = sandboxes.get(c.sandboxId);
        if (!s) throw failStart(c, `sandbox ${JSON.stringify(c.sandboxId)} not found: not found`);
        if (s.state !== 'SANDBOX_READY') throw failStart(c, `sandbox container ${JSON.stringify(s.id)} is not running`);
        await wait(START_CONTAINER_MS);
        const missing = (c.config.mounts ?? []).find((m) => !hostFs.exists(m.hostPath));
        if (missing) throw failStart(c, mountErrorMessage(missing.hostPath, missing.containerPath));
        if (!resolveBinary(c.image, c.argv[0])) throw failStart(c, startErrorMessage(c.argv[0]));
        const writers = { stdout: new LineWriter((l) => c.log.push(criLogLine(clock.now(), 'stdout', l))), stderr: new LineWriter((l) => c.log.push(criLogLine(clock.now(), 'stderr', l))) };
        c.writers = [writers.stdout, writers.stderr];
        const p = new Process(hostFor(c, s, (stream, t) => writers[stream].write(t)), [...c.argv], true);
        c.process = p;
        c.pid = nextPid++;
        c.state = 'CONTAINER_RUNNING';
        c.startedAtMs = clock.now();
        c.cpuSinceMs = clock.now();
        p.onExit((e) => handleExit(c, e.exitCode));
        events.emit('cri.containerStarted', { container: c.id, name: c.config.metadata.name, argv: c.argv.join(' ') });
        void runProgram(p);
      } finally {
        c.starting = false;
      }
    },

    async stopContainer(containerId, timeoutSeconds) {
      const c = getContainer(containerId);
      if (!c) return; // StopContainer is idempotent
      await stopContainer(c, timeoutSeconds);
    },

    // Upstream: containerd internal/cri/server/container_remove.go (RemoveContainer: running ones are killed first)
    async removeContainer(containerId) {
      const c = getContainer(containerId);
      if (!c) return;
      if (c.state === 'CONTAINER_RUNNING') await stopContainer(c, 0);
      if (c.starting) throw new CriError('Unknown', `failed to set removing state for container ${JSON.stringify(c.id)}: container is in starting state, can't be removed`);
      removeContainerRecord(c);
    },

    async listContainers(filter) {
      return [...containers.values()].filter((c) => matchContainer(c, filter)).map(toContainer);
    },

    // Upstream: containerd internal/cri/server/container_status.go (ContainerStatus, toCRIContainerStatus)
    async containerStatus(containerId) {
      const c = getContainer(containerId);
      if (!c) throw notFoundContainer(containerId);
      return toContainerStatus(c);
    },

    // Upstream: containerd internal/cri/server/container_execsync.go (ExecSync, execInternal)
    async execSync(containerId, cmd, timeoutSeconds) {
      const c = getContainer(containerId);
      if (!c) throw new CriError('NotFound', `failed to find container ${JSON.stringify(containerId)} in store: not found`);
      if (c.state !== 'CONTAINER_RUNNING') throw new CriError('Unknown', `container is in ${c.state} state`);
      const s = sandboxes.get(c.sandboxId)!;
      const execId = newId();
      if (cmd.length === 0 || !resolveBinary(c.image, cmd[0])) {
        const what = cmd.length === 0 ? 'no command specified' : `exec: ${JSON.stringify(cmd[0])}: executable file not found in $PATH`;
        throw new CriError('Unknown', `failed to exec in container: failed to start exec ${JSON.stringify(execId)}: OCI runtime exec failed: exec failed: unable to start container process: ${what}: unknown`);
      }
      let stdout = '';
      let stderr = '';
      const p = new Process(hostFor(c, s, (stream, t) => (stream === 'stdout' ? (stdout += t) : (stderr += t))), [...cmd], false);
      c.execs.add(p);
      const exited = new Promise<number>((resolve) => p.onExit((e) => resolve(e.exitCode)));
      p.onExit(() => {
        c.execs.delete(p);
        usageChanged(c);
      });
      void runProgram(p);
      if (timeoutSeconds > 0) {
        let timedOut = false;
        const timer = clock.afterFunc(timeoutSeconds * 1000, () => {
          timedOut = true;
          p.kill('SIGKILL');
        });
        const exitCode = await exited;
        timer.stop();
        if (timedOut) throw new CriError('DeadlineExceeded', `timeout ${timeoutSeconds}s exceeded: context deadline exceeded`);
        return { stdout, stderr, exitCode } satisfies ExecSyncResponse;
      }
      const exitCode = await exited;
      return { stdout, stderr, exitCode };
    },

    // Upstream: containerd internal/cri/server/container_stats_list.go (ListContainerStats)
    async listContainerStats(filter) {
      const now = clock.now();
      return [...containers.values()]
        .filter((c) => (!filter?.id || c.id === filter.id) && (!filter?.podSandboxId || c.sandboxId === filter.podSandboxId))
        .map((c): ContainerStats => {
          accrueCpu(c);
          return {
            attributes: { id: c.id, metadata: { ...c.config.metadata }, labels: { ...(c.config.labels ?? {}) } },
            cpu: { timestamp: ns(now), usageCoreNanoSeconds: Math.round(c.cpuCoreNs) },
            memory: { timestamp: ns(now), workingSetBytes: workingSet(c) },
          };
        });
    },

    // --- ImageService ---

    async listImages(filter) {
      return images.list(filter);
    },
    async imageStatus(image) {
      const spec = images.get(image);
      return spec ? images.toImage(spec) : undefined;
    },
    pullImage: (image) => images.pull(image),
    async removeImage(image) {
      images.remove(image);
    },

    // --- PodNetworkDialer ---
    ...newPodNetworkDialer({
      clock,
      listeners,
      nodeIp,
      knownIp: (ip) => ip === nodeIp || [...sandboxes.values()].some((s) => s.state === 'SANDBOX_READY' && s.ip === ip),
    }),
  };

  function toSandbox(s: SandboxRecord): PodSandbox {
    return { id: s.id, metadata: { ...s.config.metadata }, state: s.state, createdAt: ns(s.createdAtMs), labels: { ...(s.config.labels ?? {}) }, annotations: { ...(s.config.annotations ?? {}) } };
  }
  function toSandboxStatus(s: SandboxRecord): PodSandboxStatus {
    // containerd reports no IP for a host-network sandbox (the kubelet uses the node's IPs).
    return { ...toSandbox(s), network: { ip: s.hostNetwork ? '' : s.ip, additionalIps: [] }, linux: { namespaces: { options: { network: s.hostNetwork ? 'NODE' : 'POD' } } } };
  }
  function toContainer(c: ContainerRecord): Container {
    return {
      id: c.id,
      podSandboxId: c.sandboxId,
      metadata: { ...c.config.metadata },
      image: { image: c.config.image.image },
      imageRef: c.imageRef,
      state: c.state,
      createdAt: ns(c.createdAtMs),
      labels: { ...(c.config.labels ?? {}) },
      annotations: { ...(c.config.annotations ?? {}) },
    };
  }
  // Upstream: containerd internal/cri/server/container_status.go (ContainerStatus: the image's first
  // repo tag as `image`, its repo digest as `imageRef`, the image id as `imageId`)
  function toContainerStatus(c: ContainerRecord): ContainerStatus {
    const present = images.has(c.image.id);
    const tag = present ? images.firstTag(c.image.id) : undefined;
    return {
      id: c.id,
      metadata: { ...c.config.metadata },
      state: c.state,
      createdAt: ns(c.createdAtMs),
      startedAt: ns(c.startedAtMs),
      finishedAt: ns(c.finishedAtMs),
      exitCode: c.exitCode,
      image: { image: tag ?? c.config.image.image },
      imageRef: present ? c.image.repoDigest : c.imageRef,
      imageId: c.imageRef,
      reason: c.reason,
      message: c.message,
      labels: { ...(c.config.labels ?? {}) },
      annotations: { ...(c.config.annotations ?? {}) },
      mounts: (c.config.mounts ?? []).map((m) => ({ ...m })),
      logPath: c.config.logPath ?? '',
    };
  }
  function labelsMatch(labels: Record<string, string> | undefined, selector: Record<string, string> | undefined): boolean {
    return !selector || Object.entries(selector).every(([k, v]) => labels?.[k] === v);
  }
  function matchSandbox(s: SandboxRecord, f: PodSandboxFilter | undefined): boolean {
    return !f || ((!f.id || s.id.startsWith(f.id)) && (!f.state || s.state === f.state) && labelsMatch(s.config.labels, f.labelSelector));
  }
  function matchContainer(c: ContainerRecord, f: ContainerFilter | undefined): boolean {
    return !f || ((!f.id || c.id.startsWith(f.id)) && (!f.state || c.state === f.state) && (!f.podSandboxId || c.sandboxId === f.podSandboxId) && labelsMatch(c.config.labels, f.labelSelector));
  }

  return Object.assign(runtime, {
    nodeName,
    nodeIp,
    /** The node's files (the kubelet makes volume directories here). */
    hostFs,
    /** The CRI log lines of one container (one attempt); undefined once the container is removed. */
    containerLog(containerId: string): string[] | undefined {
      const c = getContainer(containerId);
      return c ? [...c.log] : undefined;
    },
    /** Requests per second offered to a pod IP (what a load generator sends); hpa-example turns it into CPU. */
    setOfferedLoad(podIp: string, requestsPerSecond: number): void {
      if (!(requestsPerSecond >= 0)) throw new RangeError(`setOfferedLoad: requestsPerSecond must be >= 0, got ${requestsPerSecond}`);
      loads.set(podIp, requestsPerSecond);
      for (const fn of loadSubscribers.get(podIp) ?? []) fn(requestsPerSecond);
    },
    /** `crictl inspect`'s data: the status plus containerd's verbose info (reduced). */
    inspect(containerId: string) {
      const c = getContainer(containerId);
      if (!c) throw notFoundContainer(containerId);
      return {
        status: toContainerStatus(c),
        info: {
          sandboxID: c.sandboxId,
          pid: c.state === 'CONTAINER_RUNNING' ? c.pid : 0,
          removing: false,
          snapshotKey: c.id,
          snapshotter: 'overlayfs',
          runtimeType: 'io.containerd.runc.v2',
          config: c.config,
          runtimeSpec: { process: { args: c.argv } },
        },
      };
    },
    /** `crictl inspectp`'s data. */
    inspectp(podSandboxId: string) {
      const s = getSandbox(podSandboxId);
      if (!s) throw new CriError('NotFound', 'an error occurred when try to find sandbox: not found');
      return { status: toSandboxStatus(s), info: { pid: 0, processStatus: s.state === 'SANDBOX_READY' ? 'running' : 'deleted', netNamespaceClosed: s.state !== 'SANDBOX_READY', config: s.config } };
    },
    /** The ids of every container the runtime knows (any state). */
    containerIds(): string[] {
      return [...containers.keys()];
    },
  });
}
