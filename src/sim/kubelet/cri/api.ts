/**
 * The Container Runtime Interface as the kubelet model calls it: k8s.io/cri-api v0.34.0
 * `pkg/apis/runtime/v1/api.proto` (services RuntimeService and ImageService), with the messages'
 * fields in camelCase (protobuf's JSON names) and each RPC a method returning a Promise. Times are
 * nanoseconds of virtual time, as CRI reports them. Only the RPCs and fields the kubelet model uses
 * are here; the runtime (`./runtime.ts`) implements them, the kubelet (`../kubelet.ts`) calls them.
 * An RPC that fails rejects with `CriError` (gRPC status code + message, as containerd words it).
 */

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
}

export interface PortMapping {
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] };
  portMappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** LinuxPodSandboxConfig, reduced: the pod's cgroup limits (bytes, millicores) and host network. */
  linux?: { cgroupParent?: string; hostNetwork?: boolean; memoryLimitBytes?: number };
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: { image: string };
  /** The pod spec's `command` (replaces the image's ENTRYPOINT when set). */
  command?: string[];
  /** The pod spec's `args` (replaces the image's CMD when set). */
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  logPath?: string;
  /** LinuxContainerConfig.resources, reduced (limits in bytes / millicores; 0 = none). */
  linux?: { resources?: { memoryLimitInBytes?: number; cpuLimitMilli?: number; cpuRequestMilli?: number } };
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PodSandboxStatus extends PodSandbox {
  network?: { ip: string; additionalIps?: { ip: string }[] };
  linux?: { namespaces?: { options?: { network?: 'POD' | 'NODE' } } };
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: { image: string };
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  /** 0 until started. */
  startedAt: number;
  /** 0 until exited. */
  finishedAt: number;
  exitCode: number;
  image: { image: string };
  imageRef: string;
  /** The image id (`sha256:...`); containerd reports the repo digest in `imageRef`. Added for the runtime model (optional). */
  imageId?: string;
  /** Set on exit by the runtime: `OOMKilled`, `Completed` (exit 0), `Error` (non-zero), as containerd sets them. */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  logPath: string;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  labelSelector?: Record<string, string>;
}

export interface ExecSyncResponse {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
}

export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata; labels: Record<string, string> };
  /** Cumulative CPU time in nanoseconds, and the sample's timestamp (ns). */
  cpu: { timestamp: number; usageCoreNanoSeconds: number };
  memory: { timestamp: number; workingSetBytes: number };
}

// Upstream: cri-api pkg/apis/services.go (RuntimeService, reduced)
export interface RuntimeService {
  version(): Promise<{ version: string; runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }>;
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string>;
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** SIGTERM (or the image's STOPSIGNAL), then SIGKILL after `timeoutSeconds`; resolves when the process is gone. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /** Runs `cmd` in the container and waits at most `timeoutSeconds` (0: no limit). */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse>;
  listContainerStats(filter?: { podSandboxId?: string; id?: string }): Promise<ContainerStats[]>;
  /** Runtime conditions (RuntimeReady, NetworkReady), what `crictl info` and the kubelet's runtime check read. */
  status(): Promise<{ conditions: { type: 'RuntimeReady' | 'NetworkReady'; status: boolean; reason: string; message: string }[] }>;
}

// Upstream: cri-api pkg/apis/services.go (ImageManagerService, reduced)
export interface ImageService {
  listImages(filter?: { image?: string }): Promise<Image[]>;
  /** Undefined when the image is not present (CRI returns an empty status). */
  imageStatus(image: string): Promise<Image | undefined>;
  /** Resolves with the image ref once pulled; takes virtual time in proportion to the image's size. */
  pullImage(image: string, sandboxConfig?: PodSandboxConfig): Promise<string>;
  removeImage(image: string): Promise<void>;
}

/**
 * The pod network as seen from the node (not CRI: the kubelet's prober dials the pod IP itself).
 * The runtime answers for the processes it runs: an HTTP GET to a port a process serves, a TCP
 * connect to a port something listens on.
 */
export interface PodNetworkDialer {
  /** Resolves with the status code and body; rejects with the Go error text on refusal or timeout. */
  httpGet(ip: string, port: number, path: string, headers: Record<string, string>, timeoutMs: number): Promise<{ statusCode: number; body: string }>;
  /** Resolves when something listens on ip:port; rejects with the Go dial error otherwise. */
  tcpConnect(ip: string, port: number, timeoutMs: number): Promise<void>;
}

/** A CRI RPC's failure: the gRPC code and containerd's message (`rpc error: code = NotFound desc = ...`). */
export class CriError extends Error {
  readonly code: 'Unknown' | 'NotFound' | 'AlreadyExists' | 'DeadlineExceeded' | 'FailedPrecondition' | 'Internal' | 'Unavailable' | 'InvalidArgument';
  readonly desc: string;
  constructor(code: CriError['code'], desc: string) {
    super(`rpc error: code = ${code} desc = ${desc}`);
    this.name = 'CriError';
    this.code = code;
    this.desc = desc;
  }
}
