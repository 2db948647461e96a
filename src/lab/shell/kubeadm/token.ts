/**
 * `kubeadm token create [token] [--print-join-command] [--ttl] | list | delete | generate`: through
 * the cluster's API when the options give a client, else kubeadm's errors for a missing admin.conf
 * or an API server that refuses the connection. `generate` needs no cluster.
 * Upstream: cmd/kubeadm/app/cmd/token.go (newCmdToken, RunCreateToken, RunListTokens,
 * RunDeleteTokens, RunGenerateToken), cmd/util/cmdutil.go (getClientset)
 */
import { generateBootstrapToken, newBootstrapTokenString } from '../../../sim/kubeadm/bootstraptoken/token';
import { runCreateToken, runDeleteTokens, runGenerateToken, runListTokens } from '../../../sim/kubeadm/bootstraptoken/tokens';
import { caCertHash } from '../../../sim/pki/pubkeypin';
import { parseCertsPem } from '../../../sim/pki/x509';
import { invalidSubcommand } from './config';
import { adminServer, connectionRefused, fail, type Ctx } from './env';
import { flagBool, flagSlice, flagString, type FlagSpec, type ParsedFlags } from './pflag';

export const TokenFlagSpecs: FlagSpec[] = [
  { name: 'print-join-command', type: 'bool' },
  { name: 'ttl', type: 'duration' },
  { name: 'usages', type: 'stringSlice' },
  { name: 'groups', type: 'stringSlice' },
  { name: 'description', type: 'string' },
  { name: 'certificate-key', type: 'string' },
  { name: 'config', type: 'string' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'dry-run', type: 'bool' },
  { name: 'output', short: 'o', type: 'string' },
];

export async function runKubeadmToken(c: Ctx, sub: string | undefined, p: ParsedFlags): Promise<number> {
  if (sub === 'generate') {
    c.out(runGenerateToken(c.rng.fork('token-generate')));
    c.flush();
    return 0;
  }
  if (sub !== 'create' && sub !== 'list' && sub !== 'delete') return invalidSubcommand(c, 'kubeadm token', sub === undefined ? [] : [sub]);
  const kubeconfig = flagString(p, 'kubeconfig') ?? '/etc/kubernetes/admin.conf';
  const server = adminServer(c.host, kubeconfig);
  if (!server) return fail(c, `failed to load admin kubeconfig: open ${kubeconfig}: no such file or directory`);
  const client = c.o.client?.();
  const env = client ? { client, clock: c.host.clock, trace: c.o.trace } : undefined;
  try {
    if (sub === 'create') {
      const token = p.args[0] ?? generateBootstrapToken(c.rng.fork('token-create'));
      const id = newBootstrapTokenString(token).id;
      if (!env) throw new Error(`failed to create or update bootstrap token with name bootstrap-token-${id}: ${connectionRefused(server, '/api/v1/namespaces/kube-system/secrets', 'Post')}`);
      const ca = c.host.fs.tryReadFile('/etc/kubernetes/pki/ca.crt');
      const text = await runCreateToken(env, {
        token,
        ttl: flagString(p, 'ttl'),
        usages: p.values.has('usages') ? flagSlice(p, 'usages') : undefined,
        groups: p.values.has('groups') ? flagSlice(p, 'groups') : undefined,
        description: flagString(p, 'description'),
        printJoinCommand: flagBool(p, 'print-join-command'),
        certificateKey: flagString(p, 'certificate-key'),
        server,
        caCertHashes: ca ? [caCertHash(parseCertsPem(ca)[0])] : [],
        rng: c.rng.fork('token-create'),
      });
      c.out(text);
    } else if (sub === 'list') {
      if (!env) throw new Error(`failed to list bootstrap tokens: ${connectionRefused(server, '/api/v1/namespaces/kube-system/secrets?fieldSelector=type%3Dbootstrap.kubernetes.io%2Ftoken')}`);
      const { stdout, stderr } = await runListTokens(env);
      if (stderr) c.err(stderr);
      c.out(stdout);
    } else {
      if (!env) {
        const id = p.args[0] ? (p.args[0].includes('.') ? newBootstrapTokenString(p.args[0]).id : p.args[0]) : '';
        if (id) throw new Error(`failed to delete bootstrap token "${id}": ${connectionRefused(server, `/api/v1/namespaces/kube-system/secrets/bootstrap-token-${id}`, 'Delete')}`);
      }
      c.out(await runDeleteTokens(env!, p.args));
    }
  } catch (err) {
    const output = (err as { output?: string }).output;
    if (output) c.out(output);
    return fail(c, err as Error);
  }
  c.flush();
  return 0;
}
