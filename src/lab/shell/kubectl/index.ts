/**
 * The lab's `kubectl`: a model of kubectl v1.34 that talks to the API server model only through
 * a RestTransport (as the real one talks HTTP), reads `-f` manifests from the lab's files, takes
 * AGE from the virtual clock, and prints what kubectl prints. `createKubectl` builds it;
 * `registerKubectl` adds the `kubectl` command to a Shell.
 */
import type { RestTransport } from '../../../sim/client/transport';
import { ansi } from '../ansi';
import type { CommandContext, Shell, ShellIO } from '../registry';
import { completePath, type VirtualFs } from '../vfs';
import { Discovery, type ApiResource } from './client/discovery';
import { AggregateError, KubectlError, formatError } from './client/errors';
import { RestClient } from './client/rest';
import type { Interrupt, KubectlContext, Subcommand } from './context';
import { FlagError, Flags, GLOBAL_FLAGS, flagHelp, parseFlags, type FlagSpec } from './flags';
import type { StrategicMergeSeam } from './patch';
import { apiResourcesCommand, apiVersionsCommand } from './cmd/api-resources';
import { applyCommand, createCommand } from './cmd/apply';
import { deleteCommand } from './cmd/delete';
import { describeCommand } from './cmd/describe';
import { explainCommand } from './cmd/explain';
import { getCommand } from './cmd/get';
import { annotateCommand, labelCommand, patchCommand, scaleCommand } from './cmd/modify';
import { rolloutCommand } from './cmd/rollout';
import { logsCommand } from './cmd/logs';
import { exposeCommand } from './cmd/expose';
import { execCommand, type PodExec } from './cmd/exec';
import { cordonCommand, drainCommand, taintCommand, uncordonCommand } from './cmd/node';
import { autoscaleCommand } from './cmd/autoscale';
import { topCommand } from './cmd/top';

export interface KubectlOptions {
  /** The HTTP boundary to the API server model. */
  transport: RestTransport;
  /** The virtual clock: AGE columns, klog timestamps, request durations. */
  clock: { now(): number };
  /** The lab's files: `-f` reads them. */
  files?: VirtualFs;
  /** The kubeconfig context's namespace. Default `default`. */
  namespace?: string;
  /** The server URL shown in `-v` logs. Default `https://127.0.0.1:6443`. */
  server?: string;
  /** The User-Agent kubectl sends. */
  userAgent?: string;
  /** klog's pid column. */
  pid?: number;
  /** Strategic merge patches for client-side apply (the apimachinery package); JSON merge otherwise. */
  strategicMerge?: StrategicMergeSeam;
  /** What runs `kubectl exec` commands in containers (the lab's nodes); asked on each exec. */
  podExec?: () => PodExec | undefined;
  /**
   * Lets the cluster's virtual time run while a command waits on it (`delete --wait`): the
   * controllers (the garbage collector) act on their clock, as they would while a real kubectl
   * waits. Runs until `done()` holds, `maxMs` have passed or nothing is left to run; undefined:
   * time stands still while kubectl waits.
   */
  passTime?: (done: () => boolean, maxMs: number) => Promise<void>;
}

export const KUBECTL_VERSION = 'v1.34.0';
export const DEFAULT_USER_AGENT = 'kubectl/v1.34.0 (linux/amd64) kubernetes/f28b4c9';

/** Commands in the order `kubectl --help` groups them. */
const COMMANDS: Subcommand[] = [
  createCommand,
  exposeCommand,
  explainCommand,
  getCommand,
  deleteCommand,
  scaleCommand,
  describeCommand,
  execCommand,
  applyCommand,
  patchCommand,
  labelCommand,
  annotateCommand,
  cordonCommand,
  uncordonCommand,
  drainCommand,
  taintCommand,
  apiResourcesCommand,
  apiVersionsCommand,
  rolloutCommand,
  logsCommand,
  autoscaleCommand,
  topCommand,
];

const GROUPS: Array<[string, string[]]> = [
  ['Basic Commands (Beginner)', ['create', 'expose']],
  ['Basic Commands (Intermediate)', ['explain', 'get', 'delete']],
  ['Deploy Commands', ['rollout', 'scale', 'autoscale']],
  ['Cluster Management Commands', ['top', 'cordon', 'uncordon', 'drain', 'taint']],
  ['Troubleshooting and Debugging Commands', ['describe', 'logs', 'exec']],
  ['Advanced Commands', ['apply', 'patch']],
  ['Settings Commands', ['label', 'annotate']],
  ['Other Commands', ['api-resources', 'api-versions', 'version']],
];

/** A running kubectl: run it, interrupt what waits, complete a command line. */
export interface Kubectl {
  /** Runs `kubectl <args>`; resolves to the exit code. Never rejects. */
  run(args: string[], io: ShellIO, signal?: AbortSignal, shell?: Shell): Promise<number>;
  /** Ctrl+C: stops a `get -w` or a `delete` waiting for the object to go (exit code 1). */
  interrupt(): void;
  /** True while a command runs. */
  readonly busy: boolean;
  /** Tab completion for the words after `kubectl` (uses cached discovery and names). */
  complete(args: string[], partial: string): string[];
  /** Forgets cached discovery (e.g. after the lab resets the cluster). */
  invalidate(): void;
}

/** Globals that take a value, for finding the subcommand in `kubectl -n x get pods`. */
const GLOBAL_WITH_VALUE = new Set(['-n', '--namespace', '-v', '--v', '--context', '--request-timeout']);

export function createKubectl(opts: KubectlOptions): Kubectl {
  const now = () => opts.clock.now();
  let logSink: ((line: string) => void) | undefined;
  let invocation = 0;
  let command = '';
  const rest = new RestClient({
    transport: opts.transport,
    now,
    server: opts.server ?? 'https://127.0.0.1:6443',
    userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
    pid: opts.pid ?? 4242,
    log: (line) => logSink?.(line),
    extraHeaders: () => ({
      'Kubectl-Command': command,
      'Kubectl-Session': sessionId(invocation),
    }),
  });
  const discovery = new Discovery(rest, now);
  let current: { fire(): void } | undefined;
  let busy = false;
  const names = new NameCache();

  const run = async (args: string[], io: ShellIO, signal?: AbortSignal, shell?: Shell): Promise<number> => {
    invocation++;
    busy = true;
    let fire!: () => void;
    let interrupted = false;
    const promise = new Promise<void>((resolve) => {
      fire = () => {
        interrupted = true;
        resolve();
      };
    });
    const interrupt: Interrupt = {
      get interrupted() {
        return interrupted;
      },
      promise,
    };
    current = { fire };
    signal?.addEventListener('abort', () => fire(), { once: true });
    try {
      return await dispatch(args, io, interrupt, shell);
    } catch (err) {
      // A bug in the model must not break the terminal: report it as kubectl reports errors.
      io.error(`error: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    } finally {
      busy = false;
      current = undefined;
      logSink = undefined;
      rest.verbosity = 0;
    }
  };

  const dispatch = async (args: string[], io: ShellIO, interrupt: Interrupt, shell?: Shell): Promise<number> => {
    // Find the subcommand: the first word that is not a global flag or a global flag's value.
    let i = 0;
    while (i < args.length && args[i].startsWith('-')) {
      const a = args[i];
      i += GLOBAL_WITH_VALUE.has(a) ? 2 : 1;
    }
    const name = args[i];
    let rawArgs = [...args.slice(0, i), ...args.slice(i + 1)];
    if (name === undefined || name === 'help') {
      const wantsHelp = rawArgs.length > 0 || name === 'help';
      if (name === 'help' && args[i + 1]) return dispatch([args[i + 1], '--help'], io, interrupt, shell);
      io.print(rootHelp());
      return wantsHelp ? 0 : 0;
    }
    if (name === 'version') return version(rawArgs, io);
    let sub = COMMANDS.find((c) => c.name === name);
    // cobra's Find: a nested command is the first word after the parent's, flags aside.
    if (sub?.subcommands) {
      let j = 0;
      while (j < rawArgs.length && rawArgs[j].startsWith('-')) j += GLOBAL_WITH_VALUE.has(rawArgs[j]) ? 2 : 1;
      const word = rawArgs[j];
      const child = word === undefined ? undefined : sub.subcommands.find((c) => c.name.split(' ').pop() === word || c.aliases?.includes(word));
      if (child) {
        sub = child;
        rawArgs = [...rawArgs.slice(0, j), ...rawArgs.slice(j + 1)];
      }
    }
    if (!sub) {
      io.error(`error: unknown command "${name}" for "kubectl"`);
      const close = COMMANDS.map((c) => c.name).filter((c) => c.startsWith(name.slice(0, 2)));
      if (close.length) io.error(`\nDid you mean this?\n${close.map((c) => `\t${c}`).join('\n')}`);
      return 1;
    }
    let flags: Flags;
    try {
      flags = new Flags(parseFlags(rawArgs, [...GLOBAL_FLAGS, ...sub.flags]));
    } catch (err) {
      if (err instanceof FlagError) {
        io.error(`error: ${err.message}\nSee 'kubectl ${sub.name} --help' for usage.`);
        return 1;
      }
      throw err;
    }
    if (flags.bool('help')) {
      io.print(commandHelp(sub));
      return 0;
    }
    const verbosity = flags.int('v', 0);
    rest.verbosity = verbosity;
    logSink = (line) => io.print(ansi.gray(line));
    command = `kubectl ${sub.name}`;
    const namespace = flags.str('namespace') || opts.namespace || 'default';
    const ctx: KubectlContext = {
      io,
      rest,
      discovery,
      now,
      namespace,
      explicitNamespace: flags.has('namespace'),
      files: opts.files,
      flags,
      interrupt,
      strategicMerge: opts.strategicMerge,
      commandName: 'kubectl',
      shell,
      podExec: opts.podExec,
      passTime: opts.passTime,
    };
    try {
      return await sub.run(ctx, flags.parsed.positional);
    } catch (err) {
      const text = formatError(err instanceof AggregateError && err.errors.length === 1 ? err.errors[0] : err);
      io.error(text.replace(/\n$/, ''));
      return err instanceof KubectlError ? err.exitCode : 1;
    }
  };

  /** `kubectl version`: the client's version, then the server's from /version. */
  // Upstream: kubectl pkg/cmd/version/version.go (Run)
  const version = async (args: string[], io: ShellIO): Promise<number> => {
    let flags: Flags;
    try {
      flags = new Flags(parseFlags(args, [...GLOBAL_FLAGS, { name: 'client', type: 'bool', help: 'If true, shows client version only (no server required).' }, { name: 'output', short: 'o', type: 'string', help: "One of 'yaml' or 'json'." }]));
    } catch (err) {
      io.error(`error: ${(err as Error).message}\nSee 'kubectl version --help' for usage.`);
      return 1;
    }
    rest.verbosity = flags.int('v', 0);
    logSink = (line) => io.print(ansi.gray(line));
    io.print(`Client Version: ${KUBECTL_VERSION}\nKustomize Version: v5.7.1`);
    if (flags.bool('client')) return 0;
    try {
      const v = await rest.do<{ gitVersion?: string }>({ verb: 'GET', path: '/version', accept: 'application/json, */*' });
      io.print(`Server Version: ${v.gitVersion ?? ''}`);
      return 0;
    } catch (err) {
      io.error(formatError(err));
      return 1;
    }
  };

  return {
    run,
    interrupt: () => current?.fire(),
    get busy() {
      return busy;
    },
    complete: (args, partial) => complete(args, partial, { discovery, names, files: opts.files, namespace: opts.namespace ?? 'default', prefetch: (r, ns) => prefetchNames(r, ns) }),
    invalidate: () => discovery.invalidate(),
  };

  /** Fetches names in the background for the next Tab (no logs: verbosity is that of no command). */
  function prefetchNames(r: ApiResource, namespace: string): void {
    if (busy) return;
    const key = `${r.group}/${r.name}/${r.namespaced ? namespace : ''}`;
    if (names.pending.has(key)) return;
    names.pending.add(key);
    const path = (r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`) + (r.namespaced ? `/namespaces/${namespace}` : '') + `/${r.name}`;
    void opts.transport
      .request({ verb: 'GET', path, query: { limit: '500' }, userAgent: opts.userAgent ?? DEFAULT_USER_AGENT })
      .then((res) => {
        const items = (res.body as { items?: Array<{ metadata?: { name?: string } }> })?.items;
        if (res.code === 200 && items) names.set(key, items.map((i) => i.metadata?.name ?? '').filter(Boolean));
      })
      .catch(() => undefined)
      .finally(() => names.pending.delete(key));
  }
}

/** A stable per-invocation session id (kubectl sends a random UUID; the lab's must be deterministic). */
function sessionId(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** Names seen in `get` output and prefetched, by `group/resource/namespace`. */
class NameCache {
  readonly #names = new Map<string, string[]>();
  readonly pending = new Set<string>();
  set(key: string, names: string[]): void {
    this.#names.set(key, [...new Set(names)].sort());
  }
  get(key: string): string[] | undefined {
    return this.#names.get(key);
  }
}

interface CompletionEnv {
  discovery: Discovery;
  names: NameCache;
  files?: VirtualFs;
  namespace: string;
  prefetch(r: ApiResource, namespace: string): void;
}

/** Common kinds offered before discovery has run once. */
const FALLBACK_TYPES = ['configmaps', 'deployments', 'endpoints', 'endpointslices', 'events', 'leases', 'namespaces', 'nodes', 'pods', 'replicasets', 'secrets', 'services'];

/** Completion: subcommands, flags and their values, resource types, names (cached), files for -f. */
function complete(args: string[], partial: string, env: CompletionEnv): string[] {
  const last = args[args.length - 1];
  if (last === '-n' || last === '--namespace') return namesFor(env, 'namespaces', env.namespace);
  if (last !== undefined && GLOBAL_WITH_VALUE.has(last)) return [];
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) i += GLOBAL_WITH_VALUE.has(args[i]) ? 2 : 1;
  const subName = args[i];
  if (subName === undefined) {
    if (partial.startsWith('-')) return GLOBAL_FLAGS.map((f) => `--${f.name}`);
    return [...COMMANDS.map((c) => c.name), 'version', 'help'];
  }
  const sub = COMMANDS.find((c) => c.name === subName);
  if (!sub) return subName === 'help' && args.length === i + 1 ? COMMANDS.map((c) => c.name) : [];
  const specs: readonly FlagSpec[] = [...GLOBAL_FLAGS, ...sub.flags];
  const rest = args.slice(i + 1);
  const prev = rest[rest.length - 1] ?? args[args.length - 1];
  const spec = prev?.startsWith('-') && !prev.includes('=') ? specs.find((s) => `--${s.name}` === prev || (s.short && `-${s.short}` === prev)) : undefined;
  let namespace = env.namespace;
  for (let k = 0; k < args.length - 1; k++) if (args[k] === '-n' || args[k] === '--namespace') namespace = args[k + 1];
  if (spec && spec.type !== 'bool') {
    if (spec.name === 'filename') return env.files ? completePath(env.files, partial) : [];
    if (spec.name === 'namespace') return namesFor(env, 'namespaces', namespace);
    return [...(spec.values ?? [])];
  }
  if (partial.startsWith('--') && partial.includes('=')) {
    const name = partial.slice(2, partial.indexOf('='));
    const s = specs.find((x) => x.name === name);
    return (s?.values ?? []).map((v) => `--${name}=${v}`);
  }
  if (partial.startsWith('-')) return specs.map((s) => `--${s.name}`).concat(specs.filter((s) => s.short).map((s) => `-${s.short}`));
  if (['api-resources', 'api-versions', 'apply', 'create'].includes(sub.name)) return [];
  // Positional words: the resource type, then names of that type.
  const positional = positionalOf(rest, specs);
  if (positional.length === 0 || (sub.name === 'explain' && positional.length === 0)) {
    if (partial.includes('/')) {
      const type = partial.slice(0, partial.indexOf('/'));
      return namesFor(env, type, namespace).map((n) => `${type}/${n}`);
    }
    return typeNames(env);
  }
  if (sub.name === 'explain') return [];
  if (positional.some((p) => p.includes('/'))) return [];
  if ((sub.name === 'label' || sub.name === 'annotate') && positional.length >= 2) return [];
  return namesFor(env, positional[0].split(',')[0], namespace);
}

function positionalOf(words: string[], specs: readonly FlagSpec[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w.startsWith('-')) {
      const s = specs.find((x) => `--${x.name}` === w || (x.short && `-${x.short}` === w));
      if (s && s.type !== 'bool' && !w.includes('=')) k++;
      continue;
    }
    out.push(w);
  }
  return out;
}

function cachedResources(env: CompletionEnv): ApiResource[] | undefined {
  return env.discovery.peek();
}

function typeNames(env: CompletionEnv): string[] {
  const rs = cachedResources(env);
  if (!rs) {
    void env.discovery.resources().catch(() => undefined);
    return FALLBACK_TYPES;
  }
  return [...new Set(rs.filter((r) => r.preferred).flatMap((r) => [r.name, ...r.shortNames]))];
}

function namesFor(env: CompletionEnv, type: string, namespace: string): string[] {
  const rs = cachedResources(env);
  if (!rs) {
    void env.discovery.resources().catch(() => undefined);
    return [];
  }
  const lower = type.toLowerCase();
  const r = rs.find((x) => x.preferred && (x.name === lower || x.singularName === lower || x.shortNames.includes(lower) || x.kind.toLowerCase() === lower));
  if (!r) return [];
  const key = `${r.group}/${r.name}/${r.namespaced ? namespace : ''}`;
  env.prefetch(r, namespace);
  return env.names.get(key) ?? [];
}

function rootHelp(): string {
  const lines = ['kubectl controls the Kubernetes cluster manager.', '', ' Find more information at: https://kubernetes.io/docs/reference/kubectl/', ''];
  for (const [title, names] of GROUPS) {
    lines.push(`${title}:`);
    for (const n of names) {
      const c = COMMANDS.find((x) => x.name === n);
      const summary = c?.summary ?? (n === 'version' ? 'Print the client and server version information' : '');
      lines.push(`  ${n.padEnd(15)} ${summary}`);
    }
    lines.push('');
  }
  lines.push('Usage:', '  kubectl [flags] [options]', '', 'Use "kubectl <command> --help" for more information about a given command.');
  return lines.join('\n');
}

function commandHelp(c: Subcommand): string {
  const parts = [c.summary + '.', ''];
  if (c.examples) parts.push('Examples:', c.examples, '');
  if (c.subcommands?.length) {
    const names = c.subcommands.map((s) => s.name.split(' ').pop() ?? '');
    const width = Math.max(...names.map((n) => n.length));
    parts.push('Available Commands:', ...c.subcommands.map((s, k) => `  ${names[k].padEnd(width)}   ${s.summary}`), '');
  }
  if (c.flags.length) parts.push('Options:', flagHelp(c.flags), '');
  parts.push('Usage:', `  ${c.usage}`, '', 'Use "kubectl options" for a list of global command-line options (applies to all commands).');
  return parts.join('\n');
}

/**
 * Registers `kubectl` in a shell. Ctrl+C reaches a waiting command through the shell's signal
 * when the shell passes one (`ctx.signal`), or through `kubectl.interrupt()`.
 */
export function registerKubectl(shell: Shell, opts: KubectlOptions): Kubectl {
  const kubectl = createKubectl(opts);
  shell.register('kubectl', {
    summary: 'talk to the API server as kubectl v1.34 does (get, describe, apply, delete, -v=6..9)',
    usage: 'kubectl <command> [flags]   (kubectl help: the commands)',
    run: (args, ctx: CommandContext & { signal?: AbortSignal }) => kubectl.run(args, ctx.io, ctx.signal, ctx.shell),
    complete: (args, partial) => kubectl.complete(args, partial),
  });
  return kubectl;
}

export { KubectlError } from './client/errors';
export type { KubectlContext, Subcommand } from './context';
export type { StrategicMergeSeam } from './patch';
