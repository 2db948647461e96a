/**
 * `kubeadm` and `openssl` in a node's shell over a simulated `Host` (src/sim/host) and, for the
 * commands that talk to the cluster, an optional API client. Registered the way
 * `registerHostCommands` registers the machine commands, on the same node shell; the accessor may
 * be a getter for the host of the moment. See README.md.
 * Upstream: cmd/kubeadm/app/cmd/cmd.go (NewKubeadmCommand: the subcommands), spf13/cobra
 * command.go (Find, legacyArgs, findSuggestions), cmd/kubeadm/app/util/errors/handle.go
 */
import { rngFromSeed, type Rng } from '../../../sim/core/rng';
import type { Host } from '../../../sim/host/host';
import type { Shell, ShellIO } from '../registry';
import { CertsFlagSpecs, runKubeadmCerts } from './certs';
import { ConfigFlagSpecs, invalidSubcommand, runKubeadmConfig } from './config';
import { fail, newCtx, type Ctx, type KubeadmOptions } from './env';
import { InitFlagSpecs, runKubeadmInit, runKubeadmInitPhase } from './init';
import { runOpenssl } from './openssl';
import { FlagError, parseFlags, type FlagSpec } from './pflag';
import { ResetFlagSpecs, runKubeadmReset } from './reset';
import { runKubeadmToken, TokenFlagSpecs } from './token';
import { runKubeadmVersion } from './version';

type Accessor = Host | (() => Host | undefined);

/** Every name registered, for a lead checking collisions with other node commands. */
export const KUBEADM_COMMANDS = ['kubeadm', 'openssl'] as const;

/** kubeadm's subcommands (cmd.go), with whether this shell runs them. */
const SUBCOMMANDS: Record<string, { short: string; modelled: boolean }> = {
  certs: { short: 'Commands related to handling kubernetes certificates', modelled: true },
  completion: { short: 'Output shell completion code for the specified shell (bash or zsh)', modelled: false },
  config: { short: 'Manage configuration for a kubeadm cluster persisted in a ConfigMap in the cluster', modelled: true },
  help: { short: 'Help about any command', modelled: true },
  init: { short: 'Run this command in order to set up the Kubernetes control plane', modelled: true },
  join: { short: 'Run this on any machine you wish to join an existing cluster', modelled: false },
  kubeconfig: { short: 'Kubeconfig file utilities', modelled: false },
  reset: { short: "Performs a best effort revert of changes made to this host by 'kubeadm init' or 'kubeadm join'", modelled: true },
  token: { short: 'Manage bootstrap tokens', modelled: true },
  upgrade: { short: 'Upgrade your cluster smoothly to a newer version with this command', modelled: false },
  version: { short: 'Print the version of kubeadm', modelled: true },
};

const ROOT_HELP = `kubeadm: easily bootstrap a secure Kubernetes cluster

Usage:
  kubeadm [command]

Available Commands:
${Object.entries(SUBCOMMANDS)
  .map(([n, s]) => `  ${n.padEnd(11)} ${s.short}`)
  .join('\n')}

Use "kubeadm [command] --help" for more information about a command.`;

// Upstream: agnivade/levenshtein as cobra's findSuggestions uses it (distance <= 2, or a prefix)
function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** cobra's `unknown command "x" for "kubeadm"` with its "Did you mean this?" list. */
// Upstream: cobra command.go (Find, findSuggestions, SuggestionsFor)
function unknownCommand(word: string): string {
  const near = Object.keys(SUBCOMMANDS).filter((n) => n !== 'help' && (levenshtein(word.toLowerCase(), n) <= 2 || n.startsWith(word.toLowerCase())));
  return `unknown command ${JSON.stringify(word)} for "kubeadm"${near.length ? `\n\nDid you mean this?\n${near.map((n) => `\t${n}`).join('\n')}` : ''}`;
}

/** Splits off the command words (`init phase`, `config print`) the way cobra's Find strips flags. */
function commandWords(argv: readonly string[], depth: number): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (words.length < depth && !a.startsWith('-')) words.push(a);
    else rest.push(a);
  }
  return { words, rest };
}

const FLAGS: Record<string, FlagSpec[]> = {
  init: InitFlagSpecs,
  reset: ResetFlagSpecs,
  config: ConfigFlagSpecs,
  token: TokenFlagSpecs,
  certs: CertsFlagSpecs,
  version: [{ name: 'output', short: 'o', type: 'string' }],
};

/** `kubeadm <argv...>` on one host; the exit code. */
export async function runKubeadm(c: Ctx, argv: readonly string[]): Promise<number> {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined || first === 'help') {
    const bad = argv.find((a) => a.startsWith('-') && !['-h', '--help'].includes(a));
    if (bad) return fail(c, bad.startsWith('--') ? `unknown flag: ${bad.split('=')[0]}` : `unknown shorthand flag: '${bad[1]}' in ${bad}`);
    c.out(`${ROOT_HELP}\n`);
    c.flush();
    return 0;
  }
  const sub = SUBCOMMANDS[first];
  if (!sub) return fail(c, unknownCommand(first));
  if (!sub.modelled) return fail(c, `"kubeadm ${first}" is not modelled in this lab yet`);
  const depth = first === 'init' ? (argv.filter((a) => !a.startsWith('-'))[1] === 'phase' ? 2 : 1) : ['config', 'token', 'certs'].includes(first) ? 2 : 1;
  const { words, rest } = commandWords(argv, depth);
  try {
    const p = parseFlags(rest, FLAGS[first]);
    switch (first) {
      case 'init':
        return words[1] === 'phase' ? await runKubeadmInitPhase(c, p) : await runKubeadmInit(c, p);
      case 'reset':
        return await runKubeadmReset(c, p);
      case 'config':
        return words[1] === undefined ? invalidSubcommand(c, 'kubeadm config', []) : runKubeadmConfig(c, words[1], p);
      case 'token':
        return await runKubeadmToken(c, words[1], p);
      case 'certs':
        return runKubeadmCerts(c, words[1], p);
      default:
        return runKubeadmVersion(c, p);
    }
  } catch (err) {
    if (err instanceof FlagError) return fail(c, err);
    throw err;
  }
}

/**
 * Registers `kubeadm` and `openssl` on a node's shell. Each kubeadm run forks its own Rng from the
 * host's (labelled by run number), so a session replays the same certificates and tokens.
 */
export function registerKubeadmCommands(shell: Shell, accessor: Accessor, opts: KubeadmOptions = {}): Shell {
  const current = () => (typeof accessor === 'function' ? accessor() : accessor);
  const rngs = new Map<Host, { rng: Rng; runs: number }>();
  const runRng = (host: Host) => {
    let r = rngs.get(host);
    if (!r) rngs.set(host, (r = { rng: opts.rng ?? rngFromSeed(`kubeadm/${host.name}`), runs: 0 }));
    return r.rng.fork(`run-${++r.runs}`);
  };
  const noHost = (io: ShellIO) => {
    io.error('this node has no machine model');
    return 1;
  };
  shell.register('kubeadm', {
    summary: 'bootstrap a cluster: init, init phase, reset, config, token, certs, version',
    usage: 'kubeadm init|reset|config|token|certs|version [flags]',
    run: async (args, ctx) => {
      const host = current();
      if (!host) return noHost(ctx.io);
      return runKubeadm(newCtx(host, opts, ctx.io, runRng(host), ctx.stdin), args);
    },
    complete: (args) => {
      if (args.length === 0) return Object.keys(SUBCOMMANDS).filter((n) => SUBCOMMANDS[n].modelled);
      const nested: Record<string, string[]> = { init: ['phase'], config: ['print', 'validate'], token: ['create', 'delete', 'generate', 'list'], certs: ['certificate-key', 'check-expiration', 'renew'] };
      return args.length === 1 ? (nested[args[0]] ?? []) : [];
    },
  });
  shell.register('openssl', {
    summary: 'read certificates: openssl x509 -in FILE -noout -text',
    usage: 'openssl x509 -in FILE [-noout] [-text|-subject|-issuer|-dates|-serial|-ext subjectAltName] [-checkend N]',
    run: (args, ctx) => {
      const host = current();
      if (!host) return noHost(ctx.io);
      return runOpenssl(host, args, ctx.io, ctx.stdin);
    },
  });
  return shell;
}

export { runOpenssl, OpenSSLVersion } from './openssl';
export { parseFlags, FlagError, type FlagSpec, type ParsedFlags } from './pflag';
export { newCtx, type KubeadmOptions, type Ctx } from './env';
export { KubeadmVersionInfo } from './version';
export { phaseHelp } from './init';
