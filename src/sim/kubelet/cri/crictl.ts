/**
 * What crictl v1.34 prints, as pure formatters over CRI data: `crictl ps [-a]`, `crictl pods`,
 * `crictl images`, `crictl inspect`, `crictl inspectp`, `crictl logs`. Tables go through Go's
 * text/tabwriter with crictl's settings (minwidth 20, padding 3); ids are cut to 13 characters;
 * CREATED is go-units' HumanDuration + " ago"; sizes are go-units' HumanSizeWithPrecision(3).
 */
import type { Container, ContainerStatus, Image, PodSandbox, PodSandboxStatus } from './api';
import { parseCriLogLine } from './logs';

const TRUNCATED_ID_LEN = 13;

// Upstream: cri-tools cmd/crictl/util.go (getTruncatedID)
export function getTruncatedID(id: string, prefix: string): string {
  const s = id.startsWith(prefix) ? id.slice(prefix.length) : id;
  return s.length > TRUNCATED_ID_LEN ? s.slice(0, TRUNCATED_ID_LEN) : s;
}

/** Go text/tabwriter with cells separated by `\t`; the last cell of a row is not padded. */
// Upstream: go text/tabwriter (Writer.format), cri-tools cmd/crictl/display.go (newDefaultTableDisplay: 20, 1, 3, ' ')
export function tabwrite(rows: string[][], minwidth = 20, padding = 3): string {
  const cols = Math.max(0, ...rows.map((r) => r.length - 1));
  const widths: number[] = [];
  for (let c = 0; c < cols; c++) {
    let w = minwidth;
    for (const r of rows) if (c < r.length - 1) w = Math.max(w, [...r[c]].length + padding);
    widths.push(w);
  }
  return rows.map((r) => r.map((cell, c) => (c < r.length - 1 ? cell + ' '.repeat(widths[c] - [...cell].length) : cell)).join('')).map((l) => `${l}\n`).join('');
}

/** go-units HumanDuration. */
// Upstream: github.com/docker/go-units duration.go (HumanDuration)
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3_600_000 / 24 / 365)} years`;
}

/** Go's `%.<p>g`: p significant digits, trailing zeros dropped, exponent as e+03. */
function goG(x: number, p: number): string {
  const s = x.toPrecision(p);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  const strip = (t: string) => (t.includes('.') ? t.replace(/\.?0+$/, '') : t);
  if (m) return `${strip(m[1])}e${m[2]}${m[3].padStart(2, '0')}`;
  return strip(s);
}

// Upstream: github.com/docker/go-units size.go (HumanSizeWithPrecision)
export function humanSize(bytes: number, precision = 3): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000;
    i++;
  }
  return `${goG(size, precision)}${units[i]}`;
}

const created = (createdAtNs: number, nowMs: number) => `${humanDuration(nowMs - Math.round(createdAtNs / 1e6))} ago`;
const label = (labels: Record<string, string>, key: string) => labels[key] ?? 'unknown';

const CONTAINER_STATES: Record<Container['state'], string> = { CONTAINER_CREATED: 'Created', CONTAINER_RUNNING: 'Running', CONTAINER_EXITED: 'Exited', CONTAINER_UNKNOWN: 'Unknown' };

/** `crictl ps` (running only) or `crictl ps -a`, newest first. */
// Upstream: cri-tools cmd/crictl/container.go (OutputContainers, ListContainers, containerByCreated)
export function crictlPs(containers: readonly Container[], options: { all?: boolean; nowMs: number }): string {
  const rows = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE']];
  const shown = containers.filter((c) => options.all || c.state === 'CONTAINER_RUNNING').sort((a, b) => b.createdAt - a.createdAt);
  for (const c of shown) {
    const image = /^sha256:[0-9a-f]{64}$/.test(c.image.image) ? getTruncatedID(c.image.image, 'sha256:') : c.image.image;
    rows.push([
      getTruncatedID(c.id, ''),
      image,
      created(c.createdAt, options.nowMs),
      CONTAINER_STATES[c.state],
      c.metadata.name,
      String(c.metadata.attempt),
      getTruncatedID(c.podSandboxId, ''),
      label(c.labels, 'io.kubernetes.pod.name'),
      label(c.labels, 'io.kubernetes.pod.namespace'),
    ]);
  }
  return tabwrite(rows);
}

/** `crictl pods`, newest first. */
// Upstream: cri-tools cmd/crictl/sandbox.go (OutputPodSandboxes, convertPodState, getSandboxesRuntimeHandler)
export function crictlPods(sandboxes: readonly PodSandbox[], options: { nowMs: number }): string {
  const rows = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME']];
  for (const s of [...sandboxes].sort((a, b) => b.createdAt - a.createdAt)) {
    rows.push([getTruncatedID(s.id, ''), created(s.createdAt, options.nowMs), s.state === 'SANDBOX_READY' ? 'Ready' : 'NotReady', s.metadata.name, s.metadata.namespace, String(s.metadata.attempt), '(default)']);
  }
  return tabwrite(rows);
}

/** `crictl images`: one row per repo tag. */
// Upstream: cri-tools cmd/crictl/image.go (images command, normalizeRepoTagPair, imageByRef)
export function crictlImages(images: readonly Image[]): string {
  const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
  const sorted = [...images].sort((a, b) => {
    const x = a.repoTags[0] ?? a.repoDigests[0] ?? a.id;
    const y = b.repoTags[0] ?? b.repoDigests[0] ?? b.id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (const img of sorted) {
    const repo = img.repoDigests[0]?.split('@')[0] ?? '<none>';
    const pairs = img.repoTags.length ? img.repoTags.map((t) => [t.slice(0, t.lastIndexOf(':')), t.slice(t.lastIndexOf(':') + 1)]) : [[repo, '<none>']];
    for (const [name, tag] of pairs) rows.push([name, tag, getTruncatedID(img.id, 'sha256:'), humanSize(img.size)]);
  }
  return tabwrite(rows);
}

/**
 * Go's json.Marshal of a map then json.Indent: keys sorted at every level, `<`, `>` and `&`
 * escaped as \u003c, \u003e, \u0026; protojson writes int64 fields as strings.
 */
function goJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sortKeys(value), null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

/** ContainerStatus as protojson (EmitDefaultValues) writes it: int64 times as strings. */
function statusJson(s: ContainerStatus): Record<string, unknown> {
  return {
    id: s.id,
    metadata: { name: s.metadata.name, attempt: s.metadata.attempt },
    state: s.state,
    createdAt: String(s.createdAt),
    startedAt: String(s.startedAt),
    finishedAt: String(s.finishedAt),
    exitCode: s.exitCode,
    image: { image: s.image.image, annotations: {}, userSpecifiedImage: '', runtimeHandler: '' },
    imageRef: s.imageRef,
    reason: s.reason,
    message: s.message,
    labels: s.labels,
    annotations: s.annotations,
    mounts: s.mounts.map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly ?? false, selinuxRelabel: false, propagation: 'PROPAGATION_PRIVATE', uidMappings: [], gidMappings: [], recursiveReadOnly: false, image: null, imageSubPath: '' })),
    logPath: s.logPath,
    resources: null,
    imageId: s.imageId ?? '',
    user: null,
    stopSignal: 'RUNTIME_DEFAULT',
  };
}

/** `crictl inspect <id>`: `{ info: ..., status: ... }` (containerd's verbose info, reduced). */
// Upstream: cri-tools cmd/crictl/container.go (InspectContainer), util.go (outputStatusData)
export function crictlInspect(data: { status: ContainerStatus; info: Record<string, unknown> }): string {
  return goJson({ ...data.info ? { info: data.info } : {}, status: statusJson(data.status) });
}

/** `crictl inspectp <id>`. */
// Upstream: cri-tools cmd/crictl/sandbox.go (PodSandboxStatus), util.go (outputStatusData)
export function crictlInspectp(data: { status: PodSandboxStatus; info: Record<string, unknown> }): string {
  const s = data.status;
  const status = {
    id: s.id,
    metadata: { ...s.metadata },
    state: s.state,
    createdAt: String(s.createdAt),
    network: { ip: s.network?.ip ?? '', additionalIps: s.network?.additionalIps ?? [] },
    linux: { namespaces: { options: { network: s.linux?.namespaces?.options?.network ?? 'POD', pid: 'POD', ipc: 'POD', targetId: '', userNsOptions: null } } },
    labels: s.labels,
    annotations: s.annotations,
    runtimeHandler: '',
  };
  return goJson({ info: data.info, status });
}

/** `crictl logs <id>`: the messages, without the CRI timestamp / stream / tag prefix. */
// Upstream: cri-tools cmd/crictl/logs.go, kubernetes pkg/kubelet/kuberuntime/logs (ReadLogs: parseCRILog)
export function crictlLogs(criLines: readonly string[], options: { stream?: 'stdout' | 'stderr'; tail?: number; timestamps?: boolean } = {}): string {
  let entries = criLines.map((l) => parseCriLogLine(l)).filter((e) => e !== undefined);
  if (options.stream) entries = entries.filter((e) => e.stream === options.stream);
  if (options.tail !== undefined && options.tail >= 0) entries = entries.slice(Math.max(0, entries.length - options.tail));
  return entries.map((e) => `${options.timestamps ? `${e.time} ` : ''}${e.line}\n`).join('');
}
