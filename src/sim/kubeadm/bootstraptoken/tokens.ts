/**
 * `kubeadm token create | list | delete` and the join command: tokens are Secrets written and read
 * through the sim's clientset, with the time from the injected clock and new tokens from the
 * injected Rng.
 * Upstream: cmd/kubeadm/app/cmd/token.go (RunCreateToken, formatBootstrapToken, tokenTextPrinter,
 * RunListTokens, RunDeleteTokens), cmd/kubeadm/app/phases/bootstraptoken/node/token.go
 * (CreateNewTokens, UpdateOrCreateTokens), cmd/kubeadm/app/cmd/util/join.go (getJoinCommand),
 * apimachinery pkg/util/duration/duration.go (ShortHumanDuration)
 */
import type { Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import type { Rng } from '../../core/rng';
import type { TraceRecorder } from '../../core/trace';
import { EventEmitter } from '../../core/events';
import { isNotFound } from '../../apimachinery/errors';
import { newPath, toAggregate } from '../../apimachinery/field';
import { goQuote, tabwriter } from '../../apimachinery/go';
import { rfc3339 } from '../../apiserver/registry/strategy';
import { setDefaultsBootstrapToken } from '../apis/defaults';
import { canonicalDuration } from '../apis/duration';
import { setBootstrapTokensDynamicDefaults } from '../apis/dynamic';
import type { BootstrapToken } from '../apis/types';
import { validateBootstrapTokens } from '../apis/validation';
import { bootstrapTokenEvents } from './events';
import { bootstrapTokenFromSecret, bootstrapTokenToSecret, type Secret } from './secret';
import { BootstrapTokenIDPattern, BootstrapTokenPattern, bootstrapTokenSecretName, generateBootstrapToken, isValidBootstrapTokenID, newBootstrapTokenString, SecretTypeBootstrapToken } from './token';
import { shortHumanDuration } from '../../apimachinery/duration';

/** What the token commands talk to: the API (as admin.conf would), the clock, where events go. */
export interface TokenEnv {
  client: Clientset;
  clock: FakeClock;
  trace?: TraceRecorder;
}

const emitter = (env: TokenEnv) => new EventEmitter(bootstrapTokenEvents, { clock: env.clock, trace: env.trace }, {});

/**
 * Writes each token's Secret, replacing one with the same ID unless `failIfExists`.
 * Upstream: phases/bootstraptoken/node/token.go (UpdateOrCreateTokens)
 */
export async function updateOrCreateTokens(env: TokenEnv, failIfExists: boolean, tokens: readonly BootstrapToken[]): Promise<void> {
  const secrets = env.client.coreV1().secrets('kube-system');
  for (const token of tokens) {
    const { id } = newBootstrapTokenString(token.token ?? '');
    const name = bootstrapTokenSecretName(id);
    let existing: Secret | undefined;
    try {
      existing = (await secrets.get(name)) as Secret;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (existing && failIfExists) throw new Error(`a token with id ${goQuote(id)} already exists`);
    const secret = bootstrapTokenToSecret(token, env.clock.now());
    try {
      // apiclient.CreateOrUpdate: create, and update the one already there.
      if (existing) await secrets.update({ ...secret, metadata: { ...secret.metadata, resourceVersion: existing.metadata?.resourceVersion } });
      else await secrets.create(secret);
    } catch (err) {
      throw new Error(`failed to create or update bootstrap token with name ${name}: ${(err as Error).message}`);
    }
    emitter(env).emit('bootstraptoken.create', { id, expiration: bootstrapTokenFromSecret(secret).expires ?? '' });
  }
}

/** Upstream: phases/bootstraptoken/node/token.go (CreateNewTokens) */
export function createNewTokens(env: TokenEnv, tokens: readonly BootstrapToken[]): Promise<void> {
  return updateOrCreateTokens(env, false, tokens);
}

/** Flags of `kubeadm token create`. */
export interface CreateTokenOptions {
  /** The `[token]` argument; a random one when omitted. */
  token?: string;
  /** `--ttl` (Go duration; default 24h0m0s; 0 never expires). */
  ttl?: string;
  /** `--usages` (default signing,authentication). */
  usages?: string[];
  /** `--groups` (default system:bootstrappers:kubeadm:default-node-token). */
  groups?: string[];
  description?: string;
  /** `--print-join-command` */
  printJoinCommand?: boolean;
  /** `--certificate-key`: with --print-join-command, the control-plane join. */
  certificateKey?: string;
  /** The API server as admin.conf names it (`https://192.168.56.10:6443` or `192.168.56.10:6443`). */
  server: string;
  /** `sha256:<hex>` pins of the cluster CA (the PKI model computes them). */
  caCertHashes: readonly string[];
  /** For a token left unset. */
  rng: Rng;
}

/**
 * `kubeadm token create`: the token (or the join command) as kubeadm prints it, with its newline.
 * Throws kubeadm's error for a malformed token, bad usages or groups, or --certificate-key alone.
 * Upstream: cmd/token.go (RunCreateToken)
 */
export async function runCreateToken(env: TokenEnv, opts: CreateTokenOptions): Promise<string> {
  const bt: BootstrapToken = {};
  // bto.ApplyTo: the token argument must parse; the flags fill the rest.
  if (opts.token) {
    const { id, secret } = newBootstrapTokenString(opts.token);
    bt.token = `${id}.${secret}`;
  }
  bt.ttl = canonicalDuration(opts.ttl ?? '24h');
  if (opts.usages) bt.usages = [...opts.usages];
  if (opts.groups) bt.groups = [...opts.groups];
  if (opts.description) bt.description = opts.description;
  setDefaultsBootstrapToken(bt);
  setBootstrapTokensDynamicDefaults([bt], opts.rng);
  const errs = validateBootstrapTokens([bt], newPath('bootstrapTokens'));
  if (errs.length) throw new Error(toAggregate(errs)!.message);
  if (!opts.printJoinCommand && opts.certificateKey) throw new Error('cannot use --certificate-key without --print-join-command');
  await createNewTokens(env, [bt]);
  if (!opts.printJoinCommand) return `${bt.token}\n`;
  const template = getJoinCommand({ server: opts.server, token: bt.token!, caCertHashes: opts.caCertHashes, controlPlane: !!opts.certificateKey, certificateKey: opts.certificateKey });
  return `${template.replaceAll('\\\n', '').replaceAll('\t', '')}\n`;
}

/** `kubeadm token generate`: a random token, not stored. Upstream: cmd/token.go (RunGenerateToken) */
export function runGenerateToken(rng: Rng): string {
  return `${generateBootstrapToken(rng)}\n`;
}

/** What getJoinCommand fills in. */
export interface JoinCommandParams {
  /** `https://host:port` or `host:port`. */
  server: string;
  token: string;
  caCertHashes: readonly string[];
  controlPlane?: boolean;
  certificateKey?: string;
  /** Print `<value withheld>` instead of the token / the key. */
  skipTokenPrint?: boolean;
  skipCertificateKeyPrint?: boolean;
}

/**
 * The join command as `kubeadm init` prints it: a line per flag group joined with ` \` and a tab.
 * Note the space the template leaves after each CA hash. Upstream: cmd/util/join.go (joinCommandTemplate, getJoinCommand)
 */
export function getJoinCommand(p: JoinCommandParams): string {
  const hostPort = p.server.replace('https://', '');
  const token = p.skipTokenPrint ? '<value withheld>' : p.token;
  const key = p.skipCertificateKeyPrint ? '<value withheld>' : (p.certificateKey ?? '');
  let out = `kubeadm join ${hostPort} --token ${token} \\\n\t`;
  for (const h of p.caCertHashes) out += `--discovery-token-ca-cert-hash ${h} `;
  if (p.controlPlane) out += `\\\n\t--control-plane ${key ? `--certificate-key ${key}` : ''}`;
  return out;
}

export { shortHumanDuration };

/** One row of `token list`, cells padded as kubeadm pads them. Upstream: cmd/token.go (formatBootstrapToken) */
export function formatBootstrapToken(bt: BootstrapToken, nowMs: number): string {
  let ttl = '<forever>';
  let expires = '<never>';
  if (bt.expires !== undefined) {
    const t = Date.parse(bt.expires);
    ttl = shortHumanDuration(t - nowMs);
    expires = rfc3339(t);
  }
  const usages = (bt.usages ?? []).join(',') || '<none>';
  const description = bt.description || '<none>';
  const groups = (bt.groups ?? []).join(',') || '<none>';
  return `${bt.token}\t${ttl.padEnd(9)}\t${expires}\t${usages.padEnd(22)}\t${description.padEnd(56)}\t${groups}`;
}

export const TokenListColumns = ['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS'];

/**
 * `kubeadm token list`: the table on stdout (each token through its own tabwriter, the header with
 * the first; nothing at all without tokens) and, on stderr, the Secrets that do not parse.
 * Upstream: cmd/token.go (RunListTokens, tokenTextPrinter.PrintObj)
 */
export async function runListTokens(env: TokenEnv): Promise<{ stdout: string; stderr: string }> {
  let list;
  try {
    list = await env.client.coreV1().secrets('kube-system').list();
  } catch (err) {
    throw new Error(`failed to list bootstrap tokens: ${(err as Error).message}`);
  }
  let stdout = '';
  let stderr = '';
  let headerIsPrinted = false;
  // The field selector type=bootstrap.kubernetes.io/token, applied here.
  for (const secret of list.items as Secret[]) {
    if (secret.type !== SecretTypeBootstrapToken) continue;
    let bt: BootstrapToken;
    try {
      bt = bootstrapTokenFromSecret(secret);
    } catch (err) {
      stderr += (err as Error).message;
      continue;
    }
    const rows = headerIsPrinted ? [] : [TokenListColumns.join('\t')];
    headerIsPrinted = true;
    rows.push(formatBootstrapToken(bt, env.clock.now()));
    stdout += tabwriter(rows, 10, 3);
  }
  return { stdout, stderr };
}

/**
 * `kubeadm token delete`: each argument a token ID or a whole token; stops at the first failure,
 * whose error carries, as `output`, the lines printed before it. Upstream: cmd/token.go (RunDeleteTokens)
 */
export async function runDeleteTokens(env: TokenEnv, tokenIDsOrTokens: readonly string[]): Promise<string> {
  if (tokenIDsOrTokens.length === 0) throw new Error(`missing argument; 'token delete' is missing token of form ${goQuote(BootstrapTokenPattern)} or ${goQuote(BootstrapTokenIDPattern)}`);
  let out = '';
  for (const arg of tokenIDsOrTokens) {
    let id = arg;
    if (!isValidBootstrapTokenID(arg)) {
      try {
        id = newBootstrapTokenString(arg).id;
      } catch {
        throw Object.assign(new Error(`given token didn't match pattern ${goQuote(BootstrapTokenPattern)} or ${goQuote(BootstrapTokenIDPattern)}`), { output: out });
      }
    }
    try {
      await env.client.coreV1().secrets('kube-system').delete(bootstrapTokenSecretName(id));
    } catch (err) {
      throw Object.assign(new Error(`failed to delete bootstrap token ${goQuote(id)}: ${(err as Error).message}`), { output: out });
    }
    emitter(env).emit('bootstraptoken.delete', { id });
    out += `bootstrap token ${goQuote(id)} deleted\n`;
  }
  return out;
}
