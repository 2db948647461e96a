/**
 * A scriptable CRI for the kubelet's tests, after cri-api v0.34.0 `pkg/apis/testing/
 * fake_runtime_service.go` and `fake_image_service.go`: every call is recorded in `called`,
 * `injectError(method, err)` makes the next call of `method` fail, sandbox and container IDs are
 * upstream's `BuildSandboxName` / `BuildContainerName`. Unlike upstream's fake, containers run on
 * virtual time: a test scripts what a container does once started (`script(name, { exitAfterMs,
 * exitCode })`) or ends it by hand (`exitContainer`), and `stopContainer` honours the timeout
 * (a process that ignores SIGTERM is killed with 137 when it runs out).
 */
import { deepCopy } from '../../../core/object';
import type { FakeClock } from '../../../core/clock';
import {
  CriError,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStats,
  type ContainerStatus,
  type ExecSyncResponse,
  type Image,
  type ImageService,
  type PodNetworkDialer,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxMetadata,
  type PodSandboxStatus,
  type RuntimeService,
} from '../api';

/** Upstream's FakePodSandboxIPs[0]. */
export const FAKE_POD_SANDBOX_IP = '192.168.192.168';

/** What a container's process does once started. */
export interface ContainerScript {
  /** Exits by itself this long after starting (undefined: runs until stopped). */
  exitAfterMs?: number;
  exitCode?: number;
  /** Ends by the kernel's OOM killer (reason OOMKilled, exit 137) instead. */
  oomKilled?: boolean;
  /** How long the process takes to exit after SIGTERM (default 0; longer than the timeout: SIGKILL). */
  termDelayMs?: number;
}

interface FakeContainer extends ContainerStatus {
  podSandboxId: string;
  timer?: { stop(): void };
}

// Upstream: cri-api pkg/apis/testing/utils.go (BuildSandboxName)
export const buildSandboxName = (m: PodSandboxMetadata) => `${m.name}_${m.namespace}_${m.uid}_${m.attempt}`;
// Upstream: cri-api pkg/apis/testing/utils.go (BuildContainerName)
export const buildContainerName = (name: string, attempt: number, sandboxId: string) => `${sandboxId}_${name}_${attempt}`;

const matchLabels = (labels: Record<string, string>, selector?: Record<string, string>) => !selector || Object.entries(selector).every(([k, v]) => labels[k] === v);

// Upstream: cri-api pkg/apis/testing/fake_runtime_service.go (FakeRuntimeService) + fake_image_service.go (FakeImageService)
export class FakeRuntimeService implements RuntimeService, ImageService, PodNetworkDialer {
  /** Every RPC by name, in call order (upstream's `Called`). */
  readonly called: string[] = [];
  readonly sandboxes = new Map<string, PodSandboxStatus>();
  readonly containers = new Map<string, FakeContainer>();
  /** Images present, by name. */
  readonly images = new Map<string, Image>();
  /** Images whose pull fails, with the runtime's message. */
  readonly pullErrors = new Map<string, string>();
  /** How long a pull takes (virtual ms). */
  pullDelayMs = 0;
  /** Answers exec calls (preStop / probes); default exit 0. */
  execHandler: (containerId: string, cmd: string[]) => ExecSyncResponse = () => ({ stdout: '', stderr: '', exitCode: 0 });
  /** Answers HTTP GETs (preStop / probes); default 200. */
  httpHandler: (ip: string, port: number, path: string) => { statusCode: number; body: string } = () => ({ statusCode: 200, body: '' });
  readonly #errors = new Map<string, Error[]>();
  readonly #scripts = new Map<string, ContainerScript>();

  constructor(readonly clock: FakeClock) {}

  #ns = () => this.clock.now() * 1_000_000;

  #call(method: string): void {
    this.called.push(method);
    const errs = this.#errors.get(method);
    const err = errs?.shift();
    if (err) throw err;
  }

  /** The next call of `method` fails with `err` (upstream's InjectError). */
  injectError(method: string, err: Error): void {
    this.#errors.set(method, [...(this.#errors.get(method) ?? []), err]);
  }

  /** What every container named `name` does once started (every attempt). */
  script(name: string, s: ContainerScript): void {
    this.#scripts.set(name, s);
  }

  /** Makes images present (upstream's SetFakeImages). */
  setImages(names: string[], size = 1_000_000): void {
    for (const n of names) this.images.set(n, { id: `sha256:${n}`, repoTags: [n], repoDigests: [], size });
  }

  /** The container of the latest attempt named `name` (optionally in pod `podUid`). */
  latest(name: string, podUid?: string): FakeContainer | undefined {
    let best: FakeContainer | undefined;
    for (const c of this.containers.values()) {
      if (c.metadata.name !== name) continue;
      if (podUid && c.labels['io.kubernetes.pod.uid'] !== podUid) continue;
      if (!best || c.createdAt >= best.createdAt) best = c;
    }
    return best;
  }

  /** Ends a running container's process now with `exitCode` (the test's "it crashed"). */
  exitContainer(id: string, exitCode: number, opts: { oomKilled?: boolean } = {}): void {
    const c = this.containers.get(id);
    if (!c || c.state !== 'CONTAINER_RUNNING') return;
    c.timer?.stop();
    c.state = 'CONTAINER_EXITED';
    c.finishedAt = this.#ns();
    c.exitCode = opts.oomKilled ? 137 : exitCode;
    c.reason = opts.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
  }

  async version() {
    this.#call('Version');
    return { version: '0.1.0', runtimeName: 'fakeRuntime', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async status() {
    this.#call('Status');
    return {
      conditions: [
        { type: 'RuntimeReady' as const, status: true, reason: '', message: '' },
        { type: 'NetworkReady' as const, status: true, reason: '', message: '' },
      ],
    };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.#call('RunPodSandbox');
    const id = buildSandboxName(config.metadata);
    this.sandboxes.set(id, {
      id,
      metadata: { ...config.metadata },
      state: 'SANDBOX_READY',
      createdAt: this.#ns(),
      labels: { ...config.labels },
      annotations: { ...config.annotations },
      network: config.linux?.hostNetwork ? { ip: '' } : { ip: FAKE_POD_SANDBOX_IP },
      linux: { namespaces: { options: { network: config.linux?.hostNetwork ? 'NODE' : 'POD' } } },
    });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.#call('StopPodSandbox');
    const s = this.sandboxes.get(id);
    if (!s) throw new CriError('NotFound', `pod sandbox ${id} not found`);
    s.state = 'SANDBOX_NOTREADY';
    for (const c of this.containers.values()) if (c.podSandboxId === id) this.#kill(c, 137);
  }

  async removePodSandbox(id: string): Promise<void> {
    this.#call('RemovePodSandbox');
    this.sandboxes.delete(id);
    for (const [cid, c] of this.containers) if (c.podSandboxId === id) this.containers.delete(cid);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    this.#call('PodSandboxStatus');
    const s = this.sandboxes.get(id);
    if (!s) throw new CriError('NotFound', `pod sandbox ${id} not found`);
    return deepCopy(s);
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    this.#call('ListPodSandbox');
    return [...this.sandboxes.values()]
      .filter((s) => (!filter?.id || s.id === filter.id) && (!filter?.state || s.state === filter.state) && matchLabels(s.labels, filter?.labelSelector))
      .map(({ id, metadata, state, createdAt, labels, annotations }) => deepCopy({ id, metadata, state, createdAt, labels, annotations }));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, _sandboxConfig?: PodSandboxConfig): Promise<string> {
    this.#call('CreateContainer');
    if (!this.sandboxes.has(podSandboxId)) throw new CriError('NotFound', `pod sandbox ${podSandboxId} not found`);
    const id = buildContainerName(config.metadata.name, config.metadata.attempt, podSandboxId);
    this.containers.set(id, {
      id,
      podSandboxId,
      metadata: { ...config.metadata },
      state: 'CONTAINER_CREATED',
      createdAt: this.#ns(),
      startedAt: 0,
      finishedAt: 0,
      exitCode: 0,
      image: { ...config.image },
      imageRef: this.images.get(config.image.image)?.id ?? config.image.image,
      reason: '',
      message: '',
      labels: { ...config.labels },
      annotations: { ...config.annotations },
      mounts: (config.mounts ?? []).map((m) => ({ ...m })),
      logPath: config.logPath ?? '',
      // Kept so tests can read what the kubelet passed (command/args after $(VAR) expansion, env).
      ...({ config: deepCopy(config) } as object),
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.#call('StartContainer');
    const c = this.containers.get(id);
    if (!c) throw new CriError('NotFound', `container ${id} not found`);
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = this.#ns();
    const s = this.#scripts.get(c.metadata.name);
    if (s?.exitAfterMs !== undefined) {
      c.timer = this.clock.afterFunc(s.exitAfterMs, () => this.exitContainer(id, s.exitCode ?? 0, { oomKilled: s.oomKilled }));
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    this.#call('StopContainer');
    const c = this.containers.get(id);
    if (!c) throw new CriError('NotFound', `container "${id}" not found`);
    if (c.state !== 'CONTAINER_RUNNING') return;
    const termDelayMs = this.#scripts.get(c.metadata.name)?.termDelayMs ?? 0;
    const timeoutMs = Math.max(0, timeoutSeconds) * 1000;
    // SIGTERM ends the process after termDelayMs (exit 143); past the timeout, SIGKILL (137).
    await this.clock.sleep(Math.min(termDelayMs, timeoutMs));
    this.#kill(c, termDelayMs <= timeoutMs ? 143 : 137);
  }

  #kill(c: FakeContainer, exitCode: number): void {
    if (c.state !== 'CONTAINER_RUNNING' && c.state !== 'CONTAINER_CREATED') return;
    c.timer?.stop();
    c.state = 'CONTAINER_EXITED';
    c.finishedAt = this.#ns();
    c.exitCode = exitCode;
    c.reason = 'Error';
  }

  async removeContainer(id: string): Promise<void> {
    this.#call('RemoveContainer');
    this.containers.get(id)?.timer?.stop();
    this.containers.delete(id);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    this.#call('ListContainers');
    return [...this.containers.values()]
      .filter((c) => (!filter?.id || c.id === filter.id) && (!filter?.state || c.state === filter.state) && (!filter?.podSandboxId || c.podSandboxId === filter.podSandboxId) && matchLabels(c.labels, filter?.labelSelector))
      .map((c) => deepCopy({ id: c.id, podSandboxId: c.podSandboxId, metadata: c.metadata, image: c.image, imageRef: c.imageRef, state: c.state, createdAt: c.createdAt, labels: c.labels, annotations: c.annotations }));
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    this.#call('ContainerStatus');
    const c = this.containers.get(id);
    if (!c) throw new CriError('NotFound', `container ${id} not found`);
    const { podSandboxId: _s, timer: _t, ...status } = c;
    return deepCopy(status);
  }

  async execSync(id: string, cmd: string[]): Promise<ExecSyncResponse> {
    this.#call('ExecSync');
    if (!this.containers.has(id)) throw new CriError('NotFound', `container ${id} not found`);
    return this.execHandler(id, cmd);
  }

  async listContainerStats(): Promise<ContainerStats[]> {
    this.#call('ListContainerStats');
    return [];
  }

  // ImageService (fake_image_service.go)
  async listImages(filter?: { image?: string }): Promise<Image[]> {
    this.#call('ListImages');
    return [...this.images.values()].filter((i) => !filter?.image || i.repoTags.includes(filter.image));
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    this.#call('ImageStatus');
    return this.images.get(image);
  }

  async pullImage(image: string): Promise<string> {
    this.#call('PullImage');
    if (this.pullDelayMs > 0) await this.clock.sleep(this.pullDelayMs);
    const err = this.pullErrors.get(image);
    if (err !== undefined) throw new CriError('NotFound', err);
    this.setImages([image]);
    return this.images.get(image)!.id;
  }

  async removeImage(image: string): Promise<void> {
    this.#call('RemoveImage');
    this.images.delete(image);
  }

  // PodNetworkDialer
  async httpGet(ip: string, port: number, path: string): Promise<{ statusCode: number; body: string }> {
    this.#call('HTTPGet');
    return this.httpHandler(ip, port, path);
  }

  async tcpConnect(): Promise<void> {
    this.#call('TCPConnect');
  }
}
