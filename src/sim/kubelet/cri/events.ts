/**
 * Trace events of the simulated container runtime (containerd's CRI plugin): sandboxes and
 * containers created, started and exited, OOM kills and image pulls. Links point at containerd
 * (the revision the README names); the component is `containerd`.
 */
import { defineEvents, type AnyEventOf } from '../../core/events';

export const CONTAINERD_TAG = 'v2.1.0';

export type ContainerRuntimeEventMap = {
  /** RunPodSandbox finished: the pause container runs and the sandbox has its IP. */
  'cri.sandboxReady': { node: string; sandbox: string; pod: string; ip: string };
  /** StopPodSandbox: every container was killed and the network torn down. */
  'cri.sandboxStopped': { node: string; sandbox: string; pod: string };
  'cri.containerCreated': { node: string; container: string; sandbox: string; name: string; attempt: number; image: string };
  'cri.containerStarted': { node: string; container: string; name: string; argv: string };
  /** The process ended (or never started: reason StartError). */
  'cri.containerExited': { node: string; container: string; name: string; exitCode: number; reason: string };
  /** The stop signal (or SIGKILL) delivered by StopContainer. */
  'cri.containerSignal': { node: string; container: string; name: string; signal: string };
  /** The kernel's OOM killer ended the container: its working set went over its memory limit. */
  'cri.oomKill': { node: string; container: string; name: string; workingSetBytes: number; limitBytes: number };
  'cri.pullStart': { node: string; image: string };
  /** `error` empty on success; `ms` is how long the pull took. */
  'cri.pullEnd': { node: string; image: string; ref: string; ms: number; error: string };
};

export type ContainerRuntimeTraceEvent = AnyEventOf<ContainerRuntimeEventMap>;

const go = (file: string, symbol: string) => ({ file, symbol });
const server = 'internal/cri/server/';

export const containerRuntimeEvents = defineEvents<ContainerRuntimeEventMap>(
  'containerd',
  { name: 'containerd', tag: CONTAINERD_TAG, blobUrl: `https://github.com/containerd/containerd/blob/${CONTAINERD_TAG}/` },
  {
    'cri.sandboxReady': { text: (e) => `${e.node}: sandbox ${e.sandbox.slice(0, 13)} for ${e.pod} ready, IP ${e.ip}`, source: go(`${server}sandbox_run.go`, 'criService.RunPodSandbox') },
    'cri.sandboxStopped': { text: (e) => `${e.node}: sandbox ${e.sandbox.slice(0, 13)} for ${e.pod} stopped`, source: go(`${server}sandbox_stop.go`, 'criService.StopPodSandbox') },
    'cri.containerCreated': {
      text: (e) => `${e.node}: created container ${e.name} (attempt ${e.attempt}) ${e.container.slice(0, 13)} from ${e.image}`,
      source: go(`${server}container_create.go`, 'criService.CreateContainer'),
    },
    'cri.containerStarted': { text: (e) => `${e.node}: started ${e.name} ${e.container.slice(0, 13)}: ${e.argv}`, source: go(`${server}container_start.go`, 'criService.StartContainer') },
    'cri.containerExited': {
      text: (e) => `${e.node}: ${e.name} ${e.container.slice(0, 13)} exited with code ${e.exitCode} (${e.reason})`,
      source: go(`${server}events.go`, 'criService.handleContainerExit'),
    },
    'cri.containerSignal': { text: (e) => `${e.node}: ${e.signal} to ${e.name} ${e.container.slice(0, 13)}`, source: go(`${server}container_stop.go`, 'criService.stopContainer') },
    'cri.oomKill': {
      text: (e) => `${e.node}: OOM kill of ${e.name} ${e.container.slice(0, 13)} (working set ${e.workingSetBytes} > limit ${e.limitBytes})`,
      source: go(`${server}events.go`, 'criService.handleContainerExit'),
    },
    'cri.pullStart': { text: (e) => `${e.node}: pulling ${e.image}`, source: go(`${server}images/image_pull.go`, 'CRIImageService.PullImage') },
    'cri.pullEnd': {
      text: (e) => (e.error ? `${e.node}: pull of ${e.image} failed: ${e.error}` : `${e.node}: pulled ${e.image} in ${e.ms} ms`),
      source: go(`${server}images/image_pull.go`, 'CRIImageService.PullImage'),
    },
  },
);
