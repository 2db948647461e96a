/**
 * `kubeadm config print init-defaults|join-defaults` and `kubeadm config validate --config f`.
 * Upstream: cmd/kubeadm/app/cmd/config.go (newCmdConfigPrintInitDefaults, newCmdConfigPrintJoinDefaults,
 * newCmdConfigValidate), util/config/common.go (ValidateConfig)
 */
import { ConfigError, printInitDefaults, printJoinDefaults, validateConfig } from '../../../sim/kubeadm/apis';
import { fail, yamlPointer, type Ctx } from './env';
import { flagString, type FlagSpec, type ParsedFlags } from './pflag';

export const ConfigFlagSpecs: FlagSpec[] = [
  { name: 'config', type: 'string' },
  { name: 'component-configs', type: 'stringSlice' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'allow-experimental-api', type: 'bool' },
];

/** cmdutil.SubCmdRun's refusal of an unknown subcommand. Upstream: cmd/util/cmdutil.go (SubCmdRun, usageErrorf) */
export function invalidSubcommand(c: Ctx, path: string, args: readonly string[]): number {
  return fail(c, `invalid subcommand ${JSON.stringify(args.join(' '))}\nSee '${path} -h' for help and examples`);
}

export function runKubeadmConfig(c: Ctx, sub: string | undefined, p: ParsedFlags): number {
  const [what, ...rest] = p.args;
  if (sub === 'print') {
    if (what === 'init-defaults' && !rest.length) {
      c.out(printInitDefaults());
    } else if (what === 'join-defaults' && !rest.length) {
      c.out(printJoinDefaults());
    } else if (what === undefined) {
      c.out('This command prints configurations for subcommands provided.\n\nUsage:\n  kubeadm config print [flags]\n  kubeadm config print [command]\n\nAvailable Commands:\n  init-defaults Print default init configuration, that can be used for \'kubeadm init\'\n  join-defaults Print default join configuration, that can be used for \'kubeadm join\'\n');
    } else {
      return invalidSubcommand(c, 'kubeadm config print', p.args);
    }
    c.flush();
    return 0;
  }
  if (sub === 'validate') {
    const file = flagString(p, 'config');
    if (!file) return fail(c, 'the --config flag is mandatory');
    const path = file.startsWith('/') ? file : `/root/${file}`;
    const text = c.host.fs.tryReadFile(path);
    if (text === undefined) return fail(c, `open ${file}: no such file or directory`);
    try {
      const warnings = validateConfig(text, { file, machine: { hostname: c.host.name, defaultAddress: c.host.state.ip, rng: c.rng.fork('validate') } });
      for (const w of warnings) c.warn('common.go:190', w.replace(/\n$/, ''));
    } catch (err) {
      const code = fail(c, err as Error);
      if (err instanceof ConfigError && err.position) c.io.error(yamlPointer(text, err.position));
      return code;
    }
    c.out('ok\n');
    c.flush();
    return 0;
  }
  return invalidSubcommand(c, 'kubeadm config', sub === undefined ? [] : [sub]);
}
