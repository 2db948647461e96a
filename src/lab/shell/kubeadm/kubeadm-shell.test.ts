// `kubeadm` and `openssl` in a node's shell over a real simulated host: the whole init up to
// kubelet-start, preflight failures, cobra/pflag errors, config loading, single phases, reset and
// re-init, config print, certificate expiry a year on, and openssl reading what init wrote.
import { describe, expect, it } from 'vitest';
import { newApiServer } from '../../../sim/apiserver/apiserver';
import { newClientset } from '../../../sim/client/clientset';
import { FakeClock } from '../../../sim/core/clock';
import { caCertHash } from '../../../sim/pki/pubkeypin';
import { parseCertsPem } from '../../../sim/pki/x509';
import { newHost, type HostOptions } from '../../../sim/host/index';
import { createShell, stripAnsi, type ShellIO } from '../index';
import { registerHostCommands } from '../host/index';
import { registerNodeCommands } from '../node/index';
import { KUBEADM_COMMANDS, parseFlags, registerKubeadmCommands, type KubeadmOptions } from './index';

const T0 = Date.UTC(2026, 11, 5, 10, 0, 0); // allow-nondeterminism: a fixed instant
const DAY = 24 * 3600 * 1000;
/** The phases that need a running API server: skipped until the control-plane model is wired. */
const CLUSTER_PHASES = 'wait-control-plane,upload-config,upload-certs,mark-control-plane,bootstrap-token,kubelet-finalize,addon,show-join-command';
const HINT = 'To see the stack trace of this error execute with --v=5 or higher';

function node(opts: Partial<HostOptions> = {}, kubeadm: KubeadmOptions = {}) {
  const host = newHost({ name: 'cp1', cpus: 2, ipForward: true, clock: new FakeClock(T0), ...opts });
  const shell = createShell();
  registerKubeadmCommands(shell, host, kubeadm);
  // `command < file` reads the node's files here (the lab wires its own reader).
  shell.setFileReader((p) => host.fs.readFile(p.startsWith('/') ? p : `/root/${p}`));
  const run = async (line: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const all: string[] = [];
    const io: ShellIO = {
      print: (s) => (out.push(stripAnsi(s)), all.push(stripAnsi(s))),
      error: (s) => (err.push(stripAnsi(s)), all.push(stripAnsi(s))),
      clear: () => {},
    };
    const code = await shell.execute(line, io);
    return { code, out: out.join('\n'), err: err.join('\n'), all: all.join('\n') };
  };
  return { host, run };
}

/** What `kubeadm init` v1.34 prints on stdout through kubelet-start (cmd/phases/init/*.go), certs folded. */
const INIT_STDOUT_HEAD = [
  '[init] Using Kubernetes version: v1.34.0',
  '[preflight] Running pre-flight checks',
  '[preflight] Pulling images required for setting up a Kubernetes cluster',
  '[preflight] This might take a minute or two, depending on the speed of your internet connection',
  "[preflight] You can also perform this action beforehand using 'kubeadm config images pull'",
  '[certs] Using certificateDir folder "/etc/kubernetes/pki"',
  '[certs] Generating "ca" certificate and key',
  '[certs] Generating "apiserver" certificate and key',
  '[certs] apiserver serving cert is signed for DNS names [cp1 kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] and IPs [10.96.0.1 10.0.0.10]',
];
const INIT_STDOUT_TAIL = [
  '[kubeconfig] Using kubeconfig folder "/etc/kubernetes"',
  '[kubeconfig] Writing "admin.conf" kubeconfig file',
  '[kubeconfig] Writing "super-admin.conf" kubeconfig file',
  '[kubeconfig] Writing "kubelet.conf" kubeconfig file',
  '[kubeconfig] Writing "controller-manager.conf" kubeconfig file',
  '[kubeconfig] Writing "scheduler.conf" kubeconfig file',
  '[etcd] Creating static Pod manifest for local etcd in "/etc/kubernetes/manifests"',
  '[control-plane] Using manifest folder "/etc/kubernetes/manifests"',
  '[control-plane] Creating static Pod manifest for "kube-apiserver"',
  '[control-plane] Creating static Pod manifest for "kube-controller-manager"',
  '[control-plane] Creating static Pod manifest for "kube-scheduler"',
  '[kubelet-start] Writing kubelet environment file with flags to file "/var/lib/kubelet/kubeadm-flags.env"',
  '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/instance-config.yaml"',
  '[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kubeletconfiguration"',
  '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"',
  '[kubelet-start] Starting the kubelet',
];
const WRITTEN = [
  '/etc/kubernetes/admin.conf',
  '/etc/kubernetes/super-admin.conf',
  '/etc/kubernetes/kubelet.conf',
  '/etc/kubernetes/manifests/etcd.yaml',
  '/etc/kubernetes/manifests/kube-apiserver.yaml',
  '/etc/kubernetes/pki/ca.crt',
  '/etc/kubernetes/pki/apiserver.crt',
  '/etc/kubernetes/pki/etcd/server.key',
  '/etc/kubernetes/pki/sa.pub',
  '/var/lib/kubelet/config.yaml',
  '/var/lib/kubelet/kubeadm-flags.env',
];

describe('kubeadm init', () => {
  it('on a 2-CPU node prints upstream\'s lines up to kubelet-start, writes the files, starts the kubelet and stops at wait-control-plane', async () => {
    const { host, run } = node();
    const r = await run('kubeadm init --pod-network-cidr=10.244.0.0/16');
    const lines = r.out.split('\n');
    expect(lines.slice(0, INIT_STDOUT_HEAD.length)).toEqual(INIT_STDOUT_HEAD);
    expect(lines.slice(-INIT_STDOUT_TAIL.length)).toEqual(INIT_STDOUT_TAIL);
    expect(r.err).toBe(
      [
        'W1205 10:00:00.000000    4242 checks.go:906] detected that the sandbox image "registry.k8s.io/pause:3.8" of the container runtime is inconsistent with that used by kubeadm. It is recommended to use "registry.k8s.io/pause:3.10.1" as the CRI sandbox image.',
        'error: error execution phase wait-control-plane: failed while waiting for the control plane to start: kube-apiserver check failed at https://10.0.0.10:6443/livez: Get "https://10.0.0.10:6443/livez?timeout=10s": dial tcp 10.0.0.10:6443: connect: connection refused',
        HINT,
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    for (const f of WRITTEN) expect(host.fs.exists(f), f).toBe(true);
    expect(host.fs.readFile('/etc/kubernetes/manifests/kube-controller-manager.yaml')).toContain('--cluster-cidr=10.244.0.0/16');
    expect(host.systemd.get('kubelet')!.activeState).toBe('active');
  });

  it('--skip-phases of the cluster phases ends at kubelet-start with exit 0', async () => {
    const { run } = node();
    const r = await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').at(-1)).toBe('[kubelet-start] Starting the kubelet');
  });

  // Upstream: preflight/checks_test.go (TestNumCPUCheck), util/errors/errors.go (handleError: every error exits 1)
  it('fails preflight on a 1-CPU node with swap on: the block, exit 1, nothing written', async () => {
    const { host, run } = node({ cpus: 1, swap: true, ipForward: false });
    const r = await run('kubeadm init');
    expect(r.code).toBe(1);
    expect(r.out).toBe('[init] Using Kubernetes version: v1.34.0\n[preflight] Running pre-flight checks');
    expect(r.err).toBe(
      [
        '\t[WARNING Swap]: swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node',
        '[preflight] Some fatal errors occurred:',
        '\t[ERROR NumCPU]: the number of available CPUs 1 is less than the required 2',
        '\t[ERROR FileContent--proc-sys-net-ipv4-ip_forward]: /proc/sys/net/ipv4/ip_forward contents are not set to 1',
        '[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`',
        'error: error execution phase preflight: preflight checks failed',
        HINT,
      ].join('\n'),
    );
    expect(host.fs.exists('/etc/kubernetes/pki')).toBe(false);
  });

  // Upstream: validation/validation_test.go (TestValidateIgnorePreflightErrors)
  it.each([
    { name: 'ignored errors become warnings and init goes on', flag: 'NumCPU,FileContent--proc-sys-net-ipv4-ip_forward', code: 0, has: '\t[WARNING NumCPU]: the number of available CPUs 1 is less than the required 2' },
    { name: 'names are case-insensitive', flag: 'numcpu,filecontent--proc-sys-net-ipv4-ip_forward', code: 0, has: '[WARNING NumCPU]' },
    { name: 'all ignores every check', flag: 'all', code: 0, has: '[WARNING FileContent--proc-sys-net-ipv4-ip_forward]' },
    { name: 'all with a name is invalid', flag: 'all,NumCPU', code: 1, has: `error: ignore-preflight-errors: Invalid value: "all,numcpu": don't specify individual checks if 'all' is used\n${HINT}` },
  ])('--ignore-preflight-errors: $name', async ({ flag, code, has }) => {
    const { run } = node({ cpus: 1, ipForward: false });
    const r = await run(`kubeadm init --ignore-preflight-errors=${flag} --skip-phases=${CLUSTER_PHASES}`);
    expect(r.code).toBe(code);
    expect(r.err).toContain(has);
  });
});

describe('bad input: cobra, pflag and the config loader', () => {
  // Upstream: spf13/pflag flag_test.go (TestShorthand / unknown flag), cobra command_test.go (TestUnknownCommand / suggestions)
  it.each([
    { line: 'kubeadm init --foo', err: 'error: unknown flag: --foo' },
    { line: 'kubeadm init -x', err: "error: unknown shorthand flag: 'x' in -x" },
    { line: 'kubeadm init --config', err: 'error: flag needs an argument: --config' },
    { line: 'kubeadm init --dry-run=maybe', err: 'error: invalid argument "maybe" for "--dry-run" flag: strconv.ParseBool: parsing "maybe": invalid syntax' },
    { line: 'kubeadm frobnicate', err: 'error: unknown command "frobnicate" for "kubeadm"' },
    { line: 'kubeadm int', err: 'error: unknown command "int" for "kubeadm"\n\nDid you mean this?\n\tinit' },
    { line: 'kubeadm init phase nope', err: 'error: unknown command "nope" for "kubeadm init phase"' },
    { line: 'kubeadm token foo', err: `error: invalid subcommand "foo"\nSee 'kubeadm token -h' for help and examples` },
    { line: 'kubeadm init --config /root/missing.yaml', err: 'error: unable to read config from "/root/missing.yaml" : open /root/missing.yaml: no such file or directory' },
    { line: 'kubeadm config validate', err: 'error: the --config flag is mandatory' },
    { line: 'kubeadm version -o toml', err: 'error: invalid output format: toml' },
  ])('$line', async ({ line, err }) => {
    const { run } = node();
    const r = await run(line);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`${err}\n${HINT}`);
  });

  it('a malformed --config: the loader\'s YAML error with its line, then where it is (file:line:column)', async () => {
    const { host, run } = node();
    host.fs.writeFile('/root/kubeadm.yaml', 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: 6443\n   advertiseAddress: 10.0.0.10\n');
    const r = await run('kubeadm init --config kubeadm.yaml');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toMatch(/^error: could not interpret GroupVersionKind; unmarshal error: error converting YAML to JSON: yaml: line 5: /);
    expect(r.err).toContain('  --> kubeadm.yaml:5:');
    expect(r.err).toContain('   |    advertiseAddress: 10.0.0.10');
  });

  // Upstream: util/config/common_test.go (TestValidateConfig), validation_test.go (TestValidateMixedArguments)
  it('config validate makes unknown fields errors; --config does not mix with other flags', async () => {
    const { host, run } = node();
    host.fs.writeFile('/root/c.yaml', 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n');
    expect(await run('kubeadm config validate --config c.yaml')).toMatchObject({ code: 0, out: 'ok' });
    host.fs.writeFile('/root/d.yaml', 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podCIDR: 10.244.0.0/16\n');
    expect((await run('kubeadm config validate --config d.yaml')).err).toContain('strict decoding error: unknown field "networking.podCIDR"');
    expect((await run('kubeadm init --config c.yaml --pod-network-cidr 10.1.0.0/16')).err.split('\n')[0]).toBe("error: can not mix '--config' with arguments [pod-network-cidr]");
    const ok = await run(`kubeadm init --config c.yaml --skip-phases=${CLUSTER_PHASES}`);
    expect(ok.code).toBe(0);
    expect(host.fs.readFile('/etc/kubernetes/manifests/kube-controller-manager.yaml')).toContain('--cluster-cidr=10.244.0.0/16');
  });

  it('parseFlags: slices accumulate over repeats and commas; values after = or as the next word', () => {
    const p = parseFlags(['--skip-phases', 'a,b', 'x', '--skip-phases=c', '--v=5', '-f'], [
      { name: 'skip-phases', type: 'stringSlice' },
      { name: 'force', short: 'f', type: 'bool' },
    ]);
    expect(p.values.get('skip-phases')).toEqual(['a', 'b', 'c']);
    expect(p.values.get('force')).toBe(true);
    expect(p.args).toEqual(['x']);
    expect(p.changed).toEqual(['skip-phases', 'v', 'force']);
  });
});

describe('init phase, reset, config, version', () => {
  // Upstream: workflow/runner_test.go (TestBindToCommand), phases/init/certs.go (runCertPhase)
  it('init phase lists phases; certs apiserver needs the CA, then writes only its pair', async () => {
    const { host, run } = node();
    const list = await run('kubeadm init phase');
    expect(list.out).toContain('  mark-control-plane Mark a node as a control-plane');
    expect((await run('kubeadm init phase certs')).out.split('\n')[0]).toBe('Certificate generation');
    expect((await run('kubeadm init phase certs apiserver --help')).out).toBe('Generate the certificate for serving the Kubernetes API\n\nUsage:\n  kubeadm init phase certs apiserver [flags]');
    const noCA = await run('kubeadm init phase certs apiserver');
    expect(noCA.code).toBe(1);
    expect(noCA.err).toContain('error: error execution phase certs/apiserver: couldn\'t load CA certificate ca');
    expect((await run('kubeadm init phase certs ca')).out).toBe('[certs] Generating "ca" certificate and key');
    const r = await run('kubeadm init phase certs apiserver');
    expect(r.code).toBe(0);
    expect(r.out).toBe('[certs] Generating "apiserver" certificate and key\n[certs] apiserver serving cert is signed for DNS names [cp1 kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] and IPs [10.96.0.1 10.0.0.10]');
    expect(host.fs.readDir('/etc/kubernetes/pki').sort()).toEqual(['apiserver.crt', 'apiserver.key', 'ca.crt', 'ca.key']);
  });

  // Upstream: cmd/reset.go, phases/reset/cleanupnode_test.go (TestConfigDirCleaner), removeetcdmember.go
  it('reset -f removes what init wrote and stops the kubelet; init runs again on the clean node', async () => {
    const { host, run } = node();
    await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    // A second init on the same node fails preflight on what the first one left.
    const twice = await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('\t[ERROR FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml]: /etc/kubernetes/manifests/kube-apiserver.yaml already exists');
    expect(twice.err).toContain('\t[ERROR Port-10250]: Port 10250 is in use');
    host.fs.writeFileAll('/var/lib/etcd/member/snap/db', 'x');
    const r = await run('kubeadm reset -f');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '[reset] Reading configuration from the cluster...',
        "[reset] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'",
        '[preflight] Running pre-flight checks',
        '[reset] Deleted contents of the etcd data directory: /var/lib/etcd',
        '[reset] Stopping the kubelet service',
        '[reset] Unmounting mounted directories in "/var/lib/kubelet"',
        '[reset] Deleting contents of directories: [/etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki]',
        '[reset] Deleting files: [/etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/bootstrap-kubelet.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf]',
        '',
        'The reset process does not perform cleanup of CNI plugin configuration,',
        'network filtering rules and kubeconfig files.',
        '',
        'For information on how to perform this cleanup manually, please see:',
        '    https://k8s.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/',
        '',
      ].join('\n'),
    );
    expect(r.err).toMatch(/reset\.go:141\] \[reset\] Unable to fetch the kubeadm-config ConfigMap from cluster: failed to get config map: Get "https:\/\/10\.0\.0\.10:6443\/api\/v1\/namespaces\/kube-system\/configmaps\/kubeadm-config\?timeout=10s": dial tcp 10\.0\.0\.10:6443: connect: connection refused/);
    expect(r.err).toContain('removeetcdmember.go:105] [reset] No kubeadm config, using etcd pod spec to get data directory');
    expect(host.fs.readDir('/etc/kubernetes/pki')).toEqual([]);
    expect(host.fs.readDir('/etc/kubernetes/manifests')).toEqual([]);
    expect(host.fs.readDir('/var/lib/etcd')).toEqual([]);
    expect(host.fs.exists('/var/lib/kubelet/config.yaml')).toBe(false);
    expect(host.fs.exists('/etc/kubernetes/admin.conf')).toBe(false);
    expect(host.systemd.get('kubelet')!.activeState).toBe('inactive');
    const again = await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    expect(again.code).toBe(0);
    expect(again.out).toContain('[certs] Generating "ca" certificate and key');
    expect(host.systemd.get('kubelet')!.activeState).toBe('active');
  });

  // Upstream: util/interactive.go (InteractivelyConfirmAction)
  it('reset without -f asks; no answer aborts, "y" on stdin proceeds', async () => {
    const { host, run } = node();
    await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    const no = await run('kubeadm reset');
    expect(no.code).toBe(1);
    expect(no.out.split('\n').at(-1)).toBe('[reset] Are you sure you want to proceed? [y/N]: ');
    expect(no.err).toContain("preflight.go:56] [reset] WARNING: Changes made to this host by 'kubeadm init' or 'kubeadm join' will be reverted.");
    expect(no.err).toContain("error: error execution phase preflight: won't proceed; the user didn't answer (Y|n) in order to continue");
    expect(host.fs.exists('/etc/kubernetes/admin.conf')).toBe(true);
    host.fs.writeFile('/root/yes', 'y\n');
    const yes = await run('kubeadm reset < yes');
    expect(yes.code).toBe(0);
    expect(yes.out).toContain('[reset] Are you sure you want to proceed? [y/N]: \n[preflight] Running pre-flight checks');
    expect(host.fs.exists('/etc/kubernetes/admin.conf')).toBe(false);
  });

  it('reset on a node never initialised: no etcd manifest, so external etcd is assumed', async () => {
    const { run } = node();
    const r = await run('kubeadm reset -f');
    expect(r.code).toBe(0);
    expect(r.out).toContain('[reset] No etcd config found. Assuming external etcd\n[reset] Please, manually reset etcd to prevent further issues');
    expect(r.out).toContain('[reset] Deleting contents of directories: [/etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki]');
  });

  // Upstream: workflow/runner.go (Help), phases/reset/cleanupnode.go (dry run)
  it('init --help lists the phases; reset --dry-run only says what it would do', async () => {
    const { host, run } = node();
    const help = (await run('kubeadm init --help')).out;
    expect(help).toContain('The "init" command executes the following phases:');
    expect(help).toContain('  /apiserver-kubelet-client');
    await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    const dry = await run('kubeadm reset -f --dry-run');
    expect(dry.out).toContain('[reset] Would delete contents of the etcd data directory: /var/lib/etcd');
    expect(dry.out).toContain('[reset] Would stop the kubelet service');
    expect(host.fs.exists('/etc/kubernetes/pki/ca.crt')).toBe(true);
    expect(host.systemd.get('kubelet')!.activeState).toBe('active');
  });

  // Upstream: cmd/config_test.go (TestNewCmdConfigPrintActionDefaults)
  it('config print init-defaults and join-defaults', async () => {
    const { run } = node();
    const init = await run('kubeadm config print init-defaults');
    expect(init.code).toBe(0);
    expect(init.out.split('\n').slice(0, 3)).toEqual(['apiVersion: kubeadm.k8s.io/v1beta4', 'bootstrapTokens:', '- groups:']);
    expect(init.out).toContain('  token: abcdef.0123456789abcdef');
    expect(init.out).toContain('kind: ClusterConfiguration');
    expect(init.out).toContain('kubernetesVersion: 1.34.0');
    expect((await run('kubeadm config print join-defaults')).out).toContain('kind: JoinConfiguration');
  });

  // Upstream: cmd/version_test.go (TestRunVersion)
  it.each([
    { flags: '', out: 'kubeadm version: &version.Info{Major:"1", Minor:"34", EmulationMajor:"", EmulationMinor:"", MinCompatibilityMajor:"", MinCompatibilityMinor:"", GitVersion:"v1.34.0", GitCommit:"f28b4c9efbca5c5c0af716d9f2d5702667ee8a45", GitTreeState:"clean", BuildDate:"2025-08-27T10:15:59Z", GoVersion:"go1.24.6", Compiler:"gc", Platform:"linux/amd64"}' },
    { flags: '-o short', out: 'v1.34.0' },
    { flags: '-o=yaml', out: 'clientVersion:\n  buildDate: "2025-08-27T10:15:59Z"\n  compiler: gc\n  gitCommit: f28b4c9efbca5c5c0af716d9f2d5702667ee8a45\n  gitTreeState: clean\n  gitVersion: v1.34.0\n  goVersion: go1.24.6\n  major: "1"\n  minor: "34"\n  platform: linux/amd64' },
  ])('version $flags', async ({ flags, out }) => {
    const { run } = node();
    expect(await run(`kubeadm version ${flags}`)).toMatchObject({ code: 0, out });
  });

  it('version -o json parses back to the same Info', async () => {
    const { run } = node();
    expect(JSON.parse((await run('kubeadm version -o json')).out).clientVersion.goVersion).toBe('go1.24.6');
  });
});

describe('certificates a year on, tokens, openssl', () => {
  // Upstream: cmd/certs_test.go (TestRunCmdCertsExpiration), renewal/manager_test.go
  it('certs check-expiration a year later shows <invalid>; renew all brings a year back', async () => {
    const { host, run } = node();
    await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    host.clock.step(366 * DAY);
    const r = await run('kubeadm certs check-expiration');
    expect(r.code).toBe(0);
    const table = r.out.split('\n');
    expect(table.slice(0, 3)).toEqual(['[check-expiration] Reading configuration from the cluster...', "[check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'", '']);
    expect(table[3]).toMatch(/^CERTIFICATE +EXPIRES +RESIDUAL TIME +CERTIFICATE AUTHORITY +EXTERNALLY MANAGED$/);
    expect(table.find((l) => l.startsWith('apiserver '))).toMatch(/^apiserver +Dec 05, 2027 10:00 UTC +<invalid> +ca +no/);
    expect(table.find((l) => l.startsWith('ca '))).toMatch(/^ca +Dec 02, 2036 10:00 UTC +8y +no/);
    expect(r.err).toContain('[check-expiration] Error reading configuration from the Cluster. Falling back to default configuration');
    expect(await run('openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -checkend 0')).toMatchObject({ code: 1, out: 'Certificate will expire' });
    const renewed = await run('kubeadm certs renew all');
    expect(renewed.out).toContain('certificate for serving the Kubernetes API renewed');
    expect(renewed.out.split('\n').at(-1)).toBe('Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.');
    expect((await run('kubeadm certs check-expiration')).out.split('\n').find((l) => l.startsWith('apiserver '))).toMatch(/ 1y +ca +no/);
    expect(await run('openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -checkend 86400')).toMatchObject({ code: 0, out: 'Certificate will not expire' });
  });

  // Upstream: cmd/token_test.go (TestRunGenerateToken), cmd/util/cmdutil.go (getClientset)
  it('token generate needs no cluster; list and create without an API server fail as kubeadm does', async () => {
    const { run } = node();
    expect((await run('kubeadm token generate')).out).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect((await run('kubeadm token list')).err.split('\n')[0]).toBe('error: failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory');
    await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    const create = await run('kubeadm token create abcdef.0123456789abcdef --print-join-command');
    expect(create.code).toBe(1);
    expect(create.err.split('\n')[0]).toBe('error: failed to create or update bootstrap token with name bootstrap-token-abcdef: Post "https://10.0.0.10:6443/api/v1/namespaces/kube-system/secrets?timeout=10s": dial tcp 10.0.0.10:6443: connect: connection refused');
    expect((await run('kubeadm certs certificate-key')).out).toMatch(/^[0-9a-f]{64}$/);
  });

  // Upstream: cmd/token_test.go (TestRunCreateToken, TestRunListTokens, TestRunDeleteTokens)
  it('with an API client: token create --print-join-command pins init\'s CA; list and delete', async () => {
    const clock = new FakeClock(T0);
    const client = newClientset(newApiServer({ clock }), { qps: -1 });
    const { host, run } = node({ clock }, { client: () => client });
    await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    const hash = caCertHash(parseCertsPem(host.fs.readFile('/etc/kubernetes/pki/ca.crt'))[0]);
    const join = await run('kubeadm token create abcdef.0123456789abcdef --print-join-command');
    expect(join).toMatchObject({ code: 0, out: `kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${hash} ` });
    const list = (await run('kubeadm token list')).out.split('\n');
    expect(list[0]).toMatch(/^TOKEN +TTL +EXPIRES +USAGES +DESCRIPTION +EXTRA GROUPS$/);
    expect(list[1]).toMatch(/^abcdef\.0123456789abcdef +1d +2026-12-06T10:00:00Z +authentication,signing/);
    expect((await run('kubeadm token delete abcdef')).out).toBe('bootstrap token "abcdef" deleted');
    expect((await run('kubeadm token list')).out).toBe('');
  });

  // Upstream: OpenSSL 3.0 apps/x509.c, crypto/x509/t_x509.c (X509_print_ex)
  it('openssl x509 -text on apiserver.crt: subject, issuer, validity, SANs', async () => {
    const { run } = node();
    await run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    const r = await run('openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -text');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Certificate:', '    Data:', '        Version: 3 (0x2)']);
    expect(lines).toContain('        Issuer: CN = kubernetes');
    expect(lines).toContain('        Subject: CN = kube-apiserver');
    expect(lines).toContain('            Not After : Dec  5 10:00:00 2027 GMT');
    expect(lines).toContain('                DNS:cp1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1, IP Address:10.0.0.10');
    expect(r.out).not.toContain('BEGIN CERTIFICATE');
    const subjectFirst = await run('openssl x509 -in /etc/kubernetes/pki/apiserver.crt -subject -issuer -noout');
    expect(subjectFirst.out).toBe('subject=CN = kube-apiserver\nissuer=CN = kubernetes');
    expect((await run('openssl x509 -in /etc/kubernetes/pki/ca.crt')).out).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----$/);
  });

  it.each([
    { line: 'openssl x509 -in /etc/kubernetes/pki/nope.crt -noout', err: /^Could not open file or uri for loading certificate from \/etc\/kubernetes\/pki\/nope\.crt\n.*unregistered scheme.*\n.*No such file or directory.*calling stat\(\/etc\/kubernetes\/pki\/nope\.crt\)\nUnable to load certificate$/ },
    { line: 'openssl x509 -in /etc/hostname -noout', err: /^Could not read certificate from \/etc\/hostname\nUnable to load certificate$/ },
    { line: 'openssl x509 -noout -in', err: /^x509: Option -in needs a value\nx509: Use -help for summary\.$/ },
    { line: 'openssl x509 -in /etc/hostname -checkend soon', err: /^x509: Can't parse "soon" as a number\nx509: Use -help for summary\.$/ },
    { line: 'openssl foo', err: /^Invalid command 'foo'; type "help" for a list\.$/ },
  ])('openssl errors: $line', async ({ line, err }) => {
    const { run } = node();
    const r = await run(line);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(err);
  });

  it('registers beside crictl, journalctl and the host commands without a clash', () => {
    const shell = createShell();
    registerNodeCommands(shell, { name: 'cp1', now: () => T0 });
    registerHostCommands(shell, () => undefined);
    registerKubeadmCommands(shell, () => undefined);
    for (const c of KUBEADM_COMMANDS) expect(shell.has(c)).toBe(true);
  });

  it('the same commands on the same seed write the same certificates', async () => {
    const a = node();
    const b = node();
    await a.run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    await b.run(`kubeadm init --skip-phases=${CLUSTER_PHASES}`);
    expect(a.host.fs.readFile('/etc/kubernetes/pki/apiserver.crt')).toBe(b.host.fs.readFile('/etc/kubernetes/pki/apiserver.crt'));
  });
});
