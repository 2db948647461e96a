/**
 * The simulated container runtime (containerd's CRI plugin) behind the CRI interface of api.ts.
 * See README.md in this folder for what it models, the upstream revisions read and divergences.
 */
export { CriError } from './api';
export type * from './api';
export {
  CREATE_CONTAINER_MS,
  PAUSE_IMAGE,
  RUN_POD_SANDBOX_MS,
  START_CONTAINER_MS,
  newFakeContainerRuntime,
  type FakeContainerRuntime,
  type FakeContainerRuntimeOptions,
} from './runtime';
export { DEFAULT_PULL_BANDWIDTH_BYTES_PER_SEC, PULL_RESOLVE_MS, ImageStore } from './imagestore';
export { newPodNetworkDialer } from './dialer';
export { IMAGE_CATALOG, findImage, normalizeImageRef, processArgs, pullError, type ImageSpec, type ParsedImageRef } from './images';
export { crictlImages, crictlInspect, crictlInspectp, crictlLogs, crictlPods, crictlPs, humanDuration, humanSize, tabwrite } from './crictl';
export { ContainerFs, Fs, HostFs, type FileEntry, type MountPoint } from './fs';
export { newHostLocalNetwork, type PodNetwork, type SandboxRef } from './network';
export { criLogLine, formatRfc3339Nano, parseCriLogLine, type LogStream } from './logs';
export { SIGNAL_NUMBERS, type HttpHandler, type HttpRequest, type HttpResponse, type NodeServices, type Program, type Signal } from './process';
export { parseFlags } from './programs/controlplane';
export { HPA_EXAMPLE_CPU_MILLI_PER_RPS } from './programs/hpa';
export { containerRuntimeEvents, type ContainerRuntimeEventMap, type ContainerRuntimeTraceEvent } from './events';
