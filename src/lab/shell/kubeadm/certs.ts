/**
 * `kubeadm certs check-expiration | renew <name>|all | certificate-key` on the host's files. With
 * no API server to read kubeadm-config from, kubeadm falls back to the default configuration, and
 * says so.
 * Upstream: cmd/kubeadm/app/cmd/certs.go (newCmdCertsExpiration, getRenewSubCommands,
 * newCmdCertificateKey, getInternalCfg), phases/copycerts/copycerts.go (CreateCertificateKey)
 */
import { defaultedInitConfiguration } from '../../../sim/kubeadm/apis';
import { Manager, checkExpiration, renew } from '../../../sim/kubeadm/certs/renewal';
import { InitData } from '../../../sim/kubeadm/phases/init';
import { invalidSubcommand } from './config';
import { adminServer, connectionRefused, fail, type Ctx } from './env';
import type { FlagSpec, ParsedFlags } from './pflag';

export const CertsFlagSpecs: FlagSpec[] = [
  { name: 'cert-dir', type: 'string' },
  { name: 'config', type: 'string' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'output', short: 'o', type: 'string' },
];

/** The renewal manager over the default configuration for this host. */
function manager(c: Ctx): Manager {
  const loaded = defaultedInitConfiguration({}, { hostname: c.host.name, defaultAddress: c.host.state.ip, rng: c.rng.fork('certs-config') });
  const d = new InitData({ host: c.host, init: loaded.initConfiguration, cluster: loaded.clusterConfiguration, clock: c.host.clock, rng: c.rng, out: c.out, err: c.err });
  return new Manager(d.pkiConfig(), c.host.fileWriter());
}

/** getInternalCfg: the configuration from the cluster, else the defaults with a warning. */
// Upstream: cmd/certs.go (getInternalCfg)
function readClusterConfig(c: Ctx, action: string): void {
  const server = adminServer(c.host);
  if (!server) return;
  c.out(`[${action}] Reading configuration from the cluster...\n`);
  c.out(`[${action}] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n`);
  const cause = c.o.client?.() ? 'configmaps "kubeadm-config" not found' : connectionRefused(server, '/api/v1/namespaces/kube-system/configmaps/kubeadm-config');
  c.warn('certs.go:434', `[${action}] Error reading configuration from the Cluster. Falling back to default configuration: failed to get config map: ${cause}`);
}

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

export function runKubeadmCerts(c: Ctx, sub: string | undefined, p: ParsedFlags): number {
  if (sub === 'certificate-key') {
    const rng = c.rng.fork('certificate-key');
    c.out(`${hex(Array.from({ length: 32 }, () => rng.int(256)))}\n`);
    c.flush();
    return 0;
  }
  if (sub === 'check-expiration') {
    readClusterConfig(c, 'check-expiration');
    c.out(`\n${checkExpiration(manager(c), c.host.clock.now())}`);
    c.flush();
    return 0;
  }
  if (sub === 'renew') {
    const which = p.args[0];
    const rm = manager(c);
    const names = [...rm.certificates.map((h) => h.name), 'all'];
    if (!which) return fail(c, `missing subcommand; "renew" is not meant to be run on its own\nSee 'kubeadm certs renew -h' for help and examples`);
    if (!names.includes(which)) return fail(c, `unknown command "${which}" for "kubeadm certs renew"`);
    readClusterConfig(c, 'renew');
    c.out('\n');
    try {
      for (const line of renew(rm, which, { clock: c.host.clock, rng: c.rng.fork(`renew/${which}`), trace: c.o.trace })) c.out(`${line}\n`);
    } catch (err) {
      return fail(c, err as Error);
    }
    c.flush();
    return 0;
  }
  return invalidSubcommand(c, 'kubeadm certs', sub === undefined ? [] : [sub]);
}
