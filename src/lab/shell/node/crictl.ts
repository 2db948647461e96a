/**
 * `crictl ps [-a] | pods | images | inspect ID... | inspectp ID... | logs [-f] ID` on a node: the CRI
 * calls crictl makes to the node's container runtime, printed by the formatters of
 * src/sim/kubelet/cri/crictl.ts. Ids may be cut to any unique prefix (the runtime resolves them,
 * as containerd does). Errors end as crictl's `logrus.Fatal` ends them: `FATA[0000] <error>`.
 * Upstream: cri-tools v1.34.0 cmd/crictl/{container,sandbox,image,logs,util}.go.
 */
import type { ContainerState, FakeContainerRuntime } from '../../../sim/kubelet/cri/index';
import { crictlImages, crictlInspect, crictlInspectp, crictlLogs, crictlPods, crictlPs } from '../../../sim/kubelet/cri/index';
import type { ShellIO } from '../registry';
import { bool, OptError, parseOpts, str, type OptSpec, type ParsedOpts } from './flags';

export interface CrictlNode {
  runtime: FakeContainerRuntime;
  /** Virtual time now (ms): the CREATED column. */
  now(): number;
  /** Lets virtual time run while `logs -f` follows: until `done()` holds, `maxMs` passed or nothing is left to run. */
  passTime?: (done: () => boolean, maxMs: number) => Promise<void>;
}

class CrictlError extends Error {}

const STATES: Record<string, ContainerState> = { created: 'CONTAINER_CREATED', running: 'CONTAINER_RUNNING', exited: 'CONTAINER_EXITED', unknown: 'CONTAINER_UNKNOWN' };

/** urfave/cli's regular expression filters: an empty pattern matches everything. */
// Upstream: cmd/crictl/util.go (matchesRegex)
function matchesRegex(pattern: string | undefined, target: string): boolean {
  if (!pattern) return true;
  try {
    return new RegExp(pattern).test(target);
  } catch {
    return false;
  }
}

// Upstream: container.go (ListContainers, getContainersList, OutputContainers)
async function ps(node: CrictlNode, o: ParsedOpts, io: ShellIO): Promise<void> {
  const state = str(o, 'state');
  const latest = bool(o, 'latest');
  const last = Number(str(o, 'last') ?? 0);
  let filterState: ContainerState | undefined;
  if (state) {
    filterState = STATES[state.toLowerCase()];
    if (!filterState) throw new CrictlError('--state should be one of created, running, exited or unknown');
  } else if (!bool(o, 'all')) filterState = 'CONTAINER_RUNNING';
  // latest / last look at every state.
  if (latest || last > 0) filterState = undefined;
  const podSandboxId = str(o, 'pod') ? (await node.runtime.listPodSandbox()).find((s) => s.id.startsWith(str(o, 'pod')!))?.id ?? str(o, 'pod') : undefined;
  let list = (await node.runtime.listContainers({ state: filterState, podSandboxId })).filter(
    (c) => matchesRegex(str(o, 'name'), c.metadata.name) && matchesRegex(str(o, 'namespace'), c.labels['io.kubernetes.pod.namespace'] ?? ''),
  );
  list = [...list].sort((a, b) => b.createdAt - a.createdAt);
  const n = Math.min(last > 0 ? last : latest ? 1 : list.length, list.length);
  list = list.slice(0, n);
  if (bool(o, 'quiet')) {
    for (const c of list) io.print(c.id);
    return;
  }
  io.print(crictlPs(list, { all: true, nowMs: node.now() }).replace(/\n$/, ''));
}

// Upstream: sandbox.go (ListPodSandboxes, OutputPodSandboxes)
async function pods(node: CrictlNode, o: ParsedOpts, io: ShellIO): Promise<void> {
  const state = str(o, 'state')?.toLowerCase();
  if (state && state !== 'ready' && state !== 'notready') throw new CrictlError('--state should be ready or notready');
  let list = (await node.runtime.listPodSandbox()).filter(
    (s) =>
      matchesRegex(str(o, 'name'), s.metadata.name) &&
      matchesRegex(str(o, 'namespace'), s.metadata.namespace) &&
      (!state || (state === 'ready') === (s.state === 'SANDBOX_READY')),
  );
  list = [...list].sort((a, b) => b.createdAt - a.createdAt);
  if (bool(o, 'latest')) list = list.slice(0, 1);
  if (bool(o, 'quiet')) {
    for (const s of list) io.print(s.id);
    return;
  }
  io.print(crictlPods(list, { nowMs: node.now() }).replace(/\n$/, ''));
}

// Upstream: image.go (listImageCommand)
async function images(node: CrictlNode, o: ParsedOpts, io: ShellIO): Promise<void> {
  const list = await node.runtime.listImages();
  if (bool(o, 'quiet')) {
    for (const i of list) io.print(i.id);
    return;
  }
  io.print(crictlImages(list).replace(/\n$/, ''));
}

/** One object as crictl prints it, several as a JSON array (outputStatusData: "old behavior"). */
const jsonList = (docs: string[]) => (docs.length === 1 ? docs[0] : `[\n${docs.map((d) => d.replace(/^/gm, '  ')).join(',\n')}\n]`);

// Upstream: container.go (containerStatusCommand, containerStatus); sandbox.go (podStatusCommand, podSandboxStatus)
function inspect(node: CrictlNode, ids: string[], io: ShellIO, pod: boolean): void {
  if (ids.length === 0) throw new CrictlError('ID cannot be empty');
  const docs: string[] = [];
  for (const id of ids) {
    try {
      docs.push(pod ? crictlInspectp(node.runtime.inspectp(id)) : crictlInspect(node.runtime.inspect(id)));
    } catch (err) {
      throw new CrictlError(pod ? `get the status of pod sandboxes: get pod sandbox status: ${(err as Error).message}` : `get the status of containers: get container status: ${(err as Error).message}`);
    }
  }
  io.print(jsonList(docs));
}

// Upstream: logs.go (logsCommand.Action)
async function logs(node: CrictlNode, o: ParsedOpts, io: ShellIO, signal?: AbortSignal): Promise<void> {
  const id = o.args[0] ?? '';
  if (!id) throw new CrictlError('ID cannot be empty');
  const stream = str(o, 'stream');
  if (stream !== undefined && stream !== 'stdout' && stream !== 'stderr' && stream !== '') throw new CrictlError(`invalid stream "${stream}", must be "stdout" or "stderr"`);
  if (o.values.has('tail') && o.values.has('stream')) throw new CrictlError('--tail and --stream are mutually exclusive');
  const status = await node.runtime.containerStatus(id);
  let target = status.id;
  if (bool(o, 'previous')) {
    const attempt = status.metadata.attempt;
    if (attempt === 0) throw new CrictlError(`previous terminated container ${status.metadata.name} not found`);
    // The previous attempt's log file is <attempt-1>.log next to this one: the container of that attempt.
    const sandbox = (await node.runtime.listContainers({ id: status.id }))[0]?.podSandboxId;
    const prev = (await node.runtime.listContainers({ podSandboxId: sandbox })).find((c) => c.metadata.name === status.metadata.name && c.metadata.attempt === attempt - 1);
    if (!prev) throw new CrictlError(`failed to try resolving symlinks in path "${status.logPath.replace(/\d+\.log$/, `${attempt - 1}.log`)}": lstat ${status.logPath.replace(/\d+\.log$/, `${attempt - 1}.log`)}: no such file or directory`);
    target = prev.id;
  }
  const tail = str(o, 'tail');
  const options = { stream: stream === 'stdout' || stream === 'stderr' ? stream : undefined, timestamps: bool(o, 'timestamps') } as const;
  const log = () => node.runtime.containerLog(target) ?? [];
  const text = crictlLogs(log(), { ...options, tail: tail === undefined ? undefined : Number(tail) });
  if (text) io.print(text.replace(/\n$/, ''));
  if (!bool(o, 'follow')) return;
  // -f: the kubelet's log reader follows the file while the container runs, and stops at its end
  // once the container has exited (Upstream: pkg/kubelet/kuberuntime/logs/logs.go, ReadLogs).
  const running = () => node.runtime.inspect(target).status.state === 'CONTAINER_RUNNING';
  const aborted = () => signal?.aborted ?? false;
  let seen = log().length;
  while (node.passTime && running() && !aborted()) {
    const before = node.now();
    await node.passTime(() => log().length > seen || !running() || aborted(), 60_000);
    const fresh = crictlLogs(log().slice(seen), options);
    seen = log().length;
    if (fresh) io.print(fresh.replace(/\n$/, ''));
    else if (node.now() === before) break;
  }
  if (running() && signal && !signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

const LIST_OPTS: OptSpec[] = [
  { name: 'all', short: 'a', type: 'bool' },
  { name: 'quiet', short: 'q', type: 'bool' },
  { name: 'name', type: 'string' },
  { name: 'namespace', type: 'string' },
  { name: 'pod', short: 'p', type: 'string' },
  { name: 'state', short: 's', type: 'string' },
  { name: 'latest', short: 'l', type: 'bool' },
  { name: 'last', short: 'n', type: 'string' },
];
const LOG_OPTS: OptSpec[] = [
  { name: 'previous', short: 'p', type: 'bool' },
  { name: 'tail', type: 'string' },
  { name: 'timestamps', short: 't', type: 'bool' },
  { name: 'stream', short: 's', type: 'string' },
  { name: 'follow', short: 'f', type: 'bool' },
];

const SUBCOMMANDS: Record<string, { usage: string; opts: OptSpec[] }> = {
  ps: { usage: 'List containers', opts: LIST_OPTS },
  pods: { usage: 'List pods', opts: LIST_OPTS.filter((s) => s.name !== 'all' && s.name !== 'pod' && s.name !== 'last') },
  images: { usage: 'List images', opts: [{ name: 'quiet', short: 'q', type: 'bool' }] },
  img: { usage: 'List images', opts: [{ name: 'quiet', short: 'q', type: 'bool' }] },
  inspect: { usage: 'Display the status of one or more containers', opts: [] },
  inspectp: { usage: 'Display the status of one or more pods', opts: [] },
  logs: { usage: 'Fetch the logs of a container', opts: LOG_OPTS },
};

export const CRICTL_HELP = `NAME:
   crictl - client for CRI

USAGE:
   crictl [global options] command [command options]

COMMANDS:
   images, image, img  List images
   inspect             Display the status of one or more containers
   inspectp            Display the status of one or more pods
   logs                Fetch the logs of a container
   pods                List pods
   ps                  List containers`;

/** Runs `crictl <args>`; resolves to the exit status. */
export async function runCrictl(node: CrictlNode | undefined, argv: string[], io: ShellIO, signal?: AbortSignal): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.print(CRICTL_HELP);
    return 0;
  }
  const name = sub === 'image' ? 'images' : sub;
  const spec = SUBCOMMANDS[name];
  if (!spec) {
    io.error(`FATA[0000] No help topic for '${sub}'`);
    return 1;
  }
  if (!node) {
    io.error('FATA[0000] validate service connection: validate CRI v1 runtime API for endpoint "unix:///run/containerd/containerd.sock": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"');
    return 1;
  }
  try {
    const o = parseOpts(rest, spec.opts);
    if (name === 'ps') await ps(node, o, io);
    else if (name === 'pods') await pods(node, o, io);
    else if (name === 'images' || name === 'img') await images(node, o, io);
    else if (name === 'inspect' || name === 'inspectp') inspect(node, o.args, io, name === 'inspectp');
    else await logs(node, o, io, signal);
    return 0;
  } catch (err) {
    if (err instanceof OptError) {
      // urfave/cli names a flag with one dash, whatever was typed.
      io.error(`Incorrect Usage: flag provided but not defined: -${err.flag.replace(/^-+/, '')}`);
      return 1;
    }
    io.error(`FATA[0000] ${(err as Error).message}`);
    return 1;
  }
}
