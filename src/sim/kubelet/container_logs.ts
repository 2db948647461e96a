/**
 * What `kubectl logs` reaches on the node: the kubelet picks the container (current or previous
 * attempt) from the pod's status, then reads its CRI log file and applies the options.
 * Upstream (kubernetes v1.34): pkg/kubelet/kubelet_pods.go (validateContainerLogStatus,
 * GetKubeletContainerLogs) and pkg/kubelet/kuberuntime/logs/logs.go (parseCRILog, ReadLogs: the
 * `<RFC3339Nano> <stream> <P|F> <text>` format, tail, since, timestamps, limitBytes).
 */
import type { PodStatus } from '../api/core/v1';

/** A container status as the pod status carries it (the fields this reads). */
type StatusEntry = {
  name: string;
  containerID?: string;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { containerID?: string } };
  lastState?: { terminated?: { containerID?: string } };
};

/** An error the kubelet's server answers with 400 (the API server passes it on as BadRequest). */
export class ContainerLogError extends Error {}

/**
 * The container ID (`containerd://<id>`) whose log `kubectl logs [--previous]` reads, or the
 * kubelet's error text for a container with none yet.
 */
// Upstream: pkg/kubelet/kubelet_pods.go (validateContainerLogStatus)
export function validateContainerLogStatus(podName: string, status: PodStatus | undefined, containerName: string, previous: boolean): string {
  const all = [...((status?.containerStatuses as StatusEntry[] | undefined) ?? []), ...((status?.initContainerStatuses as StatusEntry[] | undefined) ?? [])];
  const cs = all.find((c) => c.name === containerName);
  if (!cs) throw new ContainerLogError(`container "${containerName}" in pod "${podName}" is not available`);
  const last = cs.lastState?.terminated;
  const { waiting, running, terminated } = cs.state ?? {};
  if (previous) {
    if (!last?.containerID) throw new ContainerLogError(`previous terminated container "${containerName}" in pod "${podName}" not found`);
    return last.containerID;
  }
  if (running) return cs.containerID ?? '';
  if (terminated) {
    if (terminated.containerID) return terminated.containerID;
    if (last?.containerID) return last.containerID;
    throw new ContainerLogError(`container "${containerName}" in pod "${podName}" is terminated`);
  }
  if (last) {
    if (!last.containerID) throw new ContainerLogError(`container "${containerName}" in pod "${podName}" is terminated`);
    return last.containerID;
  }
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') throw new ContainerLogError(`container "${containerName}" in pod "${podName}" is waiting to start: image can't be pulled`);
    if (waiting.reason === 'ImagePullBackOff') throw new ContainerLogError(`container "${containerName}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
    throw new ContainerLogError(`container "${containerName}" in pod "${podName}" is waiting to start: ${waiting.reason ?? ''}`);
  }
  throw new ContainerLogError(`container "${containerName}" in pod "${podName}" is waiting to start - no logs yet`);
}

export interface LogOptions {
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** One parsed CRI log line. */
export interface CriLogLine {
  timestamp: string;
  stream: 'stdout' | 'stderr';
  /** P: a partial line that the next one continues; F: a full line. */
  tag: 'P' | 'F';
  text: string;
}

// Upstream: kuberuntime/logs/logs.go (parseCRILog)
export function parseCriLog(line: string): CriLogLine {
  const m = /^(\S+) (stdout|stderr) ([PF]) ?(.*)$/.exec(line);
  if (!m) throw new Error(`unexpected log format: ${JSON.stringify(line)}`);
  return { timestamp: m[1], stream: m[2] as 'stdout' | 'stderr', tag: m[3] as 'P' | 'F', text: m[4] };
}

/**
 * The text `kubectl logs` prints for a CRI log file's lines: partial lines joined, then the last
 * `tailLines`, those newer than `sinceSeconds` before `nowMs`, each prefixed by its timestamp with
 * `timestamps`, cut at `limitBytes`.
 */
// Upstream: kuberuntime/logs/logs.go (ReadLogs, NewLogOptions)
export function readLogs(lines: readonly string[], opts: LogOptions, nowMs: number): string {
  const full: CriLogLine[] = [];
  let pending: CriLogLine | undefined;
  for (const raw of lines) {
    const l = parseCriLog(raw);
    if (pending) l.text = pending.text + l.text;
    if (l.tag === 'P') {
      pending = { ...l, timestamp: pending?.timestamp ?? l.timestamp };
      continue;
    }
    full.push(pending ? { ...l, timestamp: pending.timestamp } : l);
    pending = undefined;
  }
  let selected = full;
  if (opts.sinceSeconds !== undefined) {
    const since = nowMs - opts.sinceSeconds * 1000;
    selected = selected.filter((l) => Date.parse(l.timestamp) >= since);
  }
  if (opts.tailLines !== undefined) selected = opts.tailLines === 0 ? [] : selected.slice(-opts.tailLines);
  let out = selected.map((l) => `${opts.timestamps ? `${l.timestamp} ` : ''}${l.text}\n`).join('');
  if (opts.limitBytes !== undefined && out.length > opts.limitBytes) out = out.slice(0, opts.limitBytes);
  return out;
}
