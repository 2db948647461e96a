/**
 * Token discovery, the first thing `kubeadm join` does: fetch cluster-info anonymously (TLS not
 * yet verified), wait until it carries a signature for this token's ID, check that signature
 * with the token secret (so the server knows the secret), then check that the CA in it is one the
 * user pinned (`--discovery-token-ca-cert-hash sha256:<hex>`, a SHA-256 of the CA's public key
 * info), and fetch it again over TLS checked against that CA.
 *
 * In v1.34 a token ID the cluster does not know never gets a signature: discovery retries every
 * 5 s until Timeouts.discovery (5m) and then fails with "could not find a JWS signature". The
 * older message "token id ... is invalid for this cluster or it has expired" remains for a
 * signature that is present but empty.
 * Upstream: cmd/kubeadm/app/discovery/token/token.go (retrieveValidatedConfigInfo, getClusterInfo,
 * validateClusterInfoToken, validateClusterCA), cmd/kubeadm/app/discovery/discovery.go (For),
 * cmd/kubeadm/app/util/pubkeypin/pubkeypin.go (Set.Allow, Set.CheckAny)
 */
import { load } from 'js-yaml';
import type { Clientset } from '../../client/clientset';
import type { FakeClock } from '../../core/clock';
import type { TraceRecorder } from '../../core/trace';
import { EventEmitter } from '../../core/events';
import { goQuote } from '../../apimachinery/go';
import { parseGoDuration } from '../apis/duration';
import { marshalYAML } from '../apis/print';
import type { ConfigMap } from './clusterinfo';
import { bootstrapTokenEvents } from './events';
import { detachedTokenIsValid } from './jws';
import { ConfigMapClusterInfo, JWSSignatureKeyPrefix, KubeConfigKey, newBootstrapTokenString } from './token';

/** constants.DiscoveryRetryInterval */
export const DiscoveryRetryIntervalMs = 5_000;

const SupportedFormats = 'sha256';

/** Why a hex SHA-256 is malformed (Go: hex.DecodedLen, hex.DecodeString), or undefined. */
function sha256Problem(hash: string): string | undefined {
  const decodedLen = Math.floor(hash.length / 2);
  if (decodedLen !== 32) return `expected a 32 byte SHA-256 hash, found ${decodedLen} bytes`;
  const bad = /[^0-9a-fA-F]/.exec(hash);
  if (bad) return `could not decode SHA-256 from hex: encoding/hex: invalid byte: U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${bad[0]}'`;
  return undefined;
}

/** A set of pinned public keys (`sha256:<hex>`). Upstream: pubkeypin.go (Set) */
export class PubKeyPinSet {
  readonly #sha256Hashes = new Set<string>();

  /** Adds pins; stops at the first malformed one. Upstream: pubkeypin.go (Set.Allow, Set.allowSHA256) */
  allow(...pubKeyHashes: string[]): void {
    for (const pin of pubKeyHashes) {
      const parts = pin.split(':');
      if (parts.length !== 2) throw new Error(`invalid hash, expected "format:hex-value". Known format(s) are: ${SupportedFormats}`);
      const [format, value] = parts;
      if (format.toLowerCase() !== 'sha256') throw new Error(`unknown hash format ${goQuote(format)}. Known format(s) are: ${SupportedFormats}`);
      const problem = sha256Problem(value);
      if (problem) throw new Error(`invalid hash ${goQuote(pin)}, ${problem}`);
      this.#sha256Hashes.add(value.toLowerCase());
    }
  }

  empty(): boolean {
    return this.#sha256Hashes.size === 0;
  }

  /** Passes when any certificate's pin is allowed. `pins` are the certificates' `sha256:<hex>`. Upstream: pubkeypin.go (Set.CheckAny) */
  checkAny(pins: readonly string[]): void {
    for (const pin of pins) if (this.#sha256Hashes.has(pin.replace(/^sha256:/, '').toLowerCase())) return;
    throw new Error(`none of the public keys ${goQuote(pins.join(':'))} are pinned`);
  }
}

/** A parsed kubeconfig, as much of it as discovery reads. */
export interface DiscoveredKubeconfig {
  clusters: Array<{ name: string; cluster: { server?: string; 'certificate-authority-data'?: string } }>;
  [key: string]: unknown;
}

export interface DiscoveryOptions {
  /** An anonymous client to the API server at `apiServerEndpoint` (the model does not check TLS itself). */
  client: Clientset;
  clock: FakeClock;
  trace?: TraceRecorder;
  /** `host:port` from the join command. */
  apiServerEndpoint: string;
  /** `--token` / discovery.bootstrapToken.token. */
  token: string;
  /** `--discovery-token-ca-cert-hash` values. */
  caCertHashes: readonly string[];
  /**
   * The `sha256:<hex>` SPKI pins of the certificates in a base64 certificate-authority-data
   * bundle (pubkeypin.Hash of each): the PKI model provides this.
   */
  publicKeyPins: (caData: string) => string[];
  /** Timeouts.discovery as a Go duration (default 5m0s). */
  timeout?: string;
}

/**
 * The validated cluster-info kubeconfig, or kubeadm's error. Upstream: token.go (retrieveValidatedConfigInfo)
 */
export async function retrieveValidatedConfigInfo(opts: DiscoveryOptions): Promise<DiscoveredKubeconfig> {
  const timeoutMs = parseGoDuration(opts.timeout ?? '5m0s');
  const intervalMs = Math.min(DiscoveryRetryIntervalMs, timeoutMs);
  const insecureClusterInfo = await getClusterInfo(opts, intervalMs, timeoutMs);
  const pins = new PubKeyPinSet();
  try {
    pins.allow(...opts.caCertHashes);
  } catch (err) {
    throw new Error(`invalid discovery token CA certificate hash: ${(err as Error).message}`);
  }
  const token = newBootstrapTokenString(opts.token);
  const insecureKubeconfig = validateClusterInfoToken(insecureClusterInfo, token.id, token.secret);
  const insecureConfig = loadKubeconfig(insecureKubeconfig);
  if (insecureConfig.clusters.length !== 1) {
    throw new Error(`expected the kubeconfig file in the ${ConfigMapClusterInfo} ConfigMap to have a single cluster, but it had ${insecureConfig.clusters.length}`);
  }
  if (pins.empty()) return insecureConfig;
  const caData = insecureConfig.clusters[0].cluster['certificate-authority-data'] ?? '';
  try {
    pins.checkAny(opts.publicKeyPins(caData));
  } catch (err) {
    throw new Error(`cluster CA found in ${ConfigMapClusterInfo} ConfigMap is invalid: ${(err as Error).message}`);
  }
  // A second fetch, now over TLS validated against the pinned CA, must return the same kubeconfig.
  const secureClusterInfo = await getClusterInfo(opts, intervalMs, timeoutMs);
  if (secureClusterInfo.data?.[KubeConfigKey] !== insecureKubeconfig) {
    throw new Error(`the second kubeconfig from the ${ConfigMapClusterInfo} ConfigMap (using validated TLS) was different from the first`);
  }
  return loadKubeconfig(insecureKubeconfig);
}

/**
 * `kubeadm join`'s discovery with its wrapping, and a trace event either way.
 * Upstream: cmd/kubeadm/app/discovery/discovery.go (For)
 */
export async function discoverValidatedKubeConfig(opts: DiscoveryOptions): Promise<DiscoveredKubeconfig> {
  const events = new EventEmitter(bootstrapTokenEvents, { clock: opts.clock, trace: opts.trace }, {});
  const tokenID = opts.token.split('.')[0] ?? '';
  try {
    const cfg = await retrieveValidatedConfigInfo(opts);
    events.emit('bootstraptoken.discovery', { endpoint: opts.apiServerEndpoint, tokenID, error: '' });
    return cfg;
  } catch (err) {
    const message = `couldn't validate the identity of the API Server: ${(err as Error).message}`;
    events.emit('bootstraptoken.discovery', { endpoint: opts.apiServerEndpoint, tokenID, error: (err as Error).message });
    throw new Error(message);
  }
}

/** The user discovery's kubeconfig authenticates as. Upstream: discovery.go (TokenUser) */
export const TokenUser = 'tls-bootstrap-token-user';

/**
 * What discovery hands to the kubelet's TLS bootstrap (written as bootstrap-kubelet.conf): the
 * discovered server and CA, cluster `kubernetes`, the user `tls-bootstrap-token-user` with the
 * TLS bootstrap token. Upstream: discovery.go (For), util/kubeconfig/kubeconfig.go (CreateWithToken, CreateBasic)
 */
export function tlsBootstrapKubeconfig(discovered: DiscoveredKubeconfig, tlsBootstrapToken: string): string {
  const cluster = discovered.clusters[0]?.cluster ?? {};
  const clusterName = 'kubernetes';
  const contextName = `${TokenUser}@${clusterName}`;
  return marshalYAML({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': cluster['certificate-authority-data'], server: cluster.server }, name: clusterName }],
    contexts: [{ context: { cluster: clusterName, user: TokenUser }, name: contextName }],
    'current-context': contextName,
    kind: 'Config',
    preferences: {},
    users: [{ name: TokenUser, user: { token: tlsBootstrapToken } }],
  });
}

/**
 * Polls cluster-info every `intervalMs` (the first try at once) until it has a signature for the
 * token ID; at the timeout, the last error. Upstream: token.go (getClusterInfo)
 */
async function getClusterInfo(opts: DiscoveryOptions, intervalMs: number, timeoutMs: number): Promise<ConfigMap> {
  const deadline = opts.clock.now() + timeoutMs;
  let lastError: Error | undefined;
  for (;;) {
    let token;
    try {
      token = newBootstrapTokenString(opts.token);
    } catch (err) {
      throw new Error(`could not construct token string for token: ${opts.token}: ${(err as Error).message}`);
    }
    try {
      const cm = (await opts.client.coreV1().configMaps('kube-public').get(ConfigMapClusterInfo)) as ConfigMap;
      if (cm.data?.[JWSSignatureKeyPrefix + token.id] !== undefined) return cm;
      lastError = new Error(`could not find a JWS signature in the cluster-info ConfigMap for token ID ${goQuote(token.id)}`);
    } catch (err) {
      lastError = new Error(`failed to request the cluster-info ConfigMap: ${(err as Error).message}`);
    }
    if (opts.clock.now() + intervalMs > deadline) throw lastError;
    await new Promise<void>((resolve) => opts.clock.afterFunc(intervalMs, resolve));
  }
}

/** The kubeconfig text, if its signature for the token verifies. Upstream: token.go (validateClusterInfoToken) */
export function validateClusterInfoToken(clusterInfo: ConfigMap, tokenID: string, tokenSecret: string): string {
  const kubeconfig = clusterInfo.data?.[KubeConfigKey] ?? '';
  if (kubeconfig.length === 0) {
    throw new Error(`there is no ${KubeConfigKey} key in the ${ConfigMapClusterInfo} ConfigMap. This API Server isn't set up for token bootstrapping, can't connect`);
  }
  const detachedJWSToken = clusterInfo.data?.[JWSSignatureKeyPrefix + tokenID] ?? '';
  if (detachedJWSToken.length === 0) {
    throw new Error(`token id ${goQuote(tokenID)} is invalid for this cluster or it has expired. Use "kubeadm token create" on the control-plane node to create a new valid token`);
  }
  if (!detachedTokenIsValid(detachedJWSToken, kubeconfig, tokenID, tokenSecret)) {
    throw new Error("failed to verify JWS signature of received cluster info object, can't trust this API Server");
  }
  return kubeconfig;
}

function loadKubeconfig(text: string): DiscoveredKubeconfig {
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (err) {
    throw new Error(`couldn't parse the kubeconfig file in the ${ConfigMapClusterInfo} ConfigMap: ${(err as Error).message}`);
  }
  const cfg = (parsed ?? {}) as DiscoveredKubeconfig;
  return { ...cfg, clusters: Array.isArray(cfg.clusters) ? cfg.clusters : [] };
}
