/**
 * `kubeadm init` and `kubeadm init phase <phase> [<sub>]`: the flags (or `--config`) become the
 * defaulted, validated configuration, then the sim's init workflow runs on the host.
 * Upstream: cmd/kubeadm/app/cmd/init.go (newCmdInit, AddInitConfigFlags, AddInitOtherFlags,
 * newInitData), util/config/initconfiguration.go (LoadInitConfigurationFromFile),
 * phases/workflow/runner.go (BindToCommand: the phase subcommands and their help)
 */
import { ConfigError, bytesToInitConfiguration, defaultedInitConfiguration, validateMixedArguments, type InitFlags, type LoadedInitConfiguration } from '../../../sim/kubeadm/apis';
import { InitData, newInitRunner, runInit, runInitPhase } from '../../../sim/kubeadm/phases/init';
import { parseIgnoreFlag, validateIgnorePreflightErrors } from '../../../sim/kubeadm/preflight/run';
import { fail, yamlPointer, type Ctx } from './env';
import { flagBool, flagSlice, flagString, type FlagSpec, type ParsedFlags } from './pflag';

/** The flags of `kubeadm init` (and of its phase subcommands, which take subsets of them). */
export const InitFlagSpecs: FlagSpec[] = [
  { name: 'config', type: 'string' },
  { name: 'apiserver-advertise-address', type: 'string' },
  { name: 'apiserver-bind-port', type: 'int' },
  { name: 'apiserver-cert-extra-sans', type: 'stringSlice' },
  { name: 'cert-dir', type: 'string' },
  { name: 'certificate-key', type: 'string' },
  { name: 'control-plane-endpoint', type: 'string' },
  { name: 'cri-socket', type: 'string' },
  { name: 'dry-run', type: 'bool' },
  { name: 'ignore-preflight-errors', type: 'stringSlice' },
  { name: 'image-repository', type: 'string' },
  { name: 'kubernetes-version', type: 'string' },
  { name: 'node-name', type: 'string' },
  { name: 'patches', type: 'string' },
  { name: 'pod-network-cidr', type: 'string' },
  { name: 'service-cidr', type: 'string' },
  { name: 'service-dns-domain', type: 'string' },
  { name: 'skip-certificate-key-print', type: 'bool' },
  { name: 'skip-phases', type: 'stringSlice' },
  { name: 'skip-token-print', type: 'bool' },
  { name: 'token', type: 'string' },
  { name: 'token-ttl', type: 'duration' },
  { name: 'upload-certs', type: 'bool' },
  { name: 'kubeconfig', type: 'string' },
];

function initFlags(p: ParsedFlags): InitFlags {
  const s = (n: string) => flagString(p, n);
  const port = p.values.get('apiserver-bind-port');
  return {
    'apiserver-advertise-address': s('apiserver-advertise-address'),
    'apiserver-bind-port': typeof port === 'number' ? port : undefined,
    'apiserver-cert-extra-sans': p.values.has('apiserver-cert-extra-sans') ? flagSlice(p, 'apiserver-cert-extra-sans') : undefined,
    'cert-dir': s('cert-dir'),
    'certificate-key': s('certificate-key'),
    'control-plane-endpoint': s('control-plane-endpoint'),
    'cri-socket': s('cri-socket'),
    'dry-run': flagBool(p, 'dry-run') || undefined,
    'image-repository': s('image-repository'),
    'kubernetes-version': s('kubernetes-version'),
    'node-name': s('node-name'),
    patches: s('patches'),
    'pod-network-cidr': s('pod-network-cidr'),
    'service-cidr': s('service-cidr'),
    'service-dns-domain': s('service-dns-domain'),
    token: s('token'),
    'token-ttl': s('token-ttl'),
  };
}

/** The configuration from `--config` or the flags, or kubeadm's message (and where a YAML error is). */
// Upstream: cmd/init.go (newInitData), util/config/initconfiguration.go (LoadOrDefaultInitConfiguration, LoadInitConfigurationFromFile)
function loadConfiguration(c: Ctx, p: ParsedFlags): LoadedInitConfiguration | { error: string; pointer?: string } {
  const machine = { hostname: c.host.name, defaultAddress: c.host.state.ip, rng: c.rng.fork('config') };
  const file = flagString(p, 'config');
  let text: string | undefined;
  try {
    if (file === undefined) return defaultedInitConfiguration(initFlags(p), machine);
    const path = file.startsWith('/') ? file : `/root/${file}`;
    text = c.host.fs.tryReadFile(path);
    if (text === undefined) return { error: `unable to read config from "${file}" : open ${file}: no such file or directory` };
    const loaded = bytesToInitConfiguration(text, { file, machine });
    // Flags that may accompany --config still apply (node name, dry run).
    if (flagString(p, 'node-name')) loaded.initConfiguration.nodeRegistration.name = flagString(p, 'node-name');
    return loaded;
  } catch (err) {
    if (err instanceof ConfigError) return { error: err.message, pointer: err.position && text !== undefined ? yamlPointer(text, err.position) : undefined };
    return { error: (err as Error).message };
  }
}

/** Builds the run's InitData, or prints kubeadm's error and gives the exit code. */
function newInitData(c: Ctx, p: ParsedFlags): InitData | number {
  const mixed = validateMixedArguments(p.changed);
  if (mixed) return fail(c, mixed);
  const loaded = loadConfiguration(c, p);
  if ('error' in loaded) {
    const code = fail(c, loaded.error);
    if (loaded.pointer) c.io.error(loaded.pointer);
    return code;
  }
  for (const w of loaded.warnings) c.warn('initconfiguration.go:332', w.replace(/\n$/, ''));
  let ignore;
  try {
    ignore = validateIgnorePreflightErrors(parseIgnoreFlag(flagSlice(p, 'ignore-preflight-errors')), loaded.initConfiguration.nodeRegistration.ignorePreflightErrors ?? []);
  } catch (err) {
    return fail(c, err as Error);
  }
  return new InitData({
    host: c.host,
    init: loaded.initConfiguration,
    cluster: loaded.clusterConfiguration,
    clock: c.host.clock,
    rng: c.rng.fork('init'),
    trace: c.o.trace ?? c.host.trace,
    out: c.out,
    err: c.err,
    ignorePreflightErrors: ignore,
    cri: c.o.cri,
    pid: c.pid,
    dryRun: flagBool(p, 'dry-run') || !!loaded.initConfiguration.dryRun,
    uploadCerts: flagBool(p, 'upload-certs'),
    client: c.o.client?.() ? () => c.o.client!() : undefined,
    clusterPhases: c.o.clusterPhases,
  });
}

// Upstream: cmd/init.go (newCmdInit RunE)
export async function runKubeadmInit(c: Ctx, p: ParsedFlags): Promise<number> {
  if (flagBool(p, 'help')) {
    c.out(`Run this command in order to set up the Kubernetes control plane\n\n${newInitRunner().help('init')}\n\nUsage:\n  kubeadm init [flags]\n  kubeadm init [command]\n\nAvailable Commands:\n  phase       Use this command to invoke single phase of the init workflow\n`);
    c.flush();
    return 0;
  }
  if (p.args.length) return fail(c, `unknown command "${p.args[0]}" for "kubeadm init"`);
  const d = newInitData(c, p);
  if (typeof d === 'number') return d;
  const err = await runInit(d, flagSlice(p, 'skip-phases'));
  if (err) return fail(c, err);
  c.flush();
  return 0;
}

const padName = (names: string[]) => Math.max(11, ...names.map((n) => n.length));

/** The help of `kubeadm init phase [<phase>]`: its sub-phases as cobra lists commands (sorted). */
// Upstream: workflow/runner.go (BindToCommand), cobra's default usage template
export function phaseHelp(path: string[]): string {
  const runners = newInitRunner().phaseRunners();
  const parent = path.join('/');
  const children = runners.filter((r) => (parent ? r.parent?.generatedName === parent : !r.parent) && !r.phase.hidden);
  const self = runners.find((r) => r.generatedName === parent);
  const cmd = ['kubeadm init phase', ...path].join(' ');
  const names = children.map((r) => r.phase.name).sort();
  const width = padName(names);
  const rows = names.map((n) => `  ${n.padEnd(width)} ${children.find((r) => r.phase.name === n)!.phase.short}`);
  const title = self ? self.phase.short : 'Use this command to invoke single phase of the init workflow';
  if (!rows.length) return `${title}\n\nUsage:\n  ${cmd} [flags]`;
  return `${title}\n\nUsage:\n  ${cmd} [command]\n\nAvailable Commands:\n${rows.join('\n')}\n\nUse "${cmd} [command] --help" for more information about a command.`;
}

// Upstream: workflow/runner.go (BindToCommand: each phase's RunE runs the runner filtered to it)
export async function runKubeadmInitPhase(c: Ctx, p: ParsedFlags): Promise<number> {
  const path = p.args;
  const runner = newInitRunner();
  const resolved = runner.resolvePhaseCommand('init', path);
  if (resolved.kind === 'unknown') return fail(c, resolved.error);
  if (resolved.kind === 'help' || flagBool(p, 'help')) {
    c.out(`${phaseHelp(resolved.kind === 'help' && resolved.runner === 'init phase' ? [] : path)}\n`);
    c.flush();
    return 0;
  }
  const d = newInitData(c, p);
  if (typeof d === 'number') return d;
  const err = await runInitPhase(d, path);
  if (err) return fail(c, err);
  c.flush();
  return 0;
}
