/**
 * The cluster-info ConfigMap in kube-public: a kubeconfig holding only the cluster (API server
 * URL and CA bundle, no user), readable without credentials, plus one detached JWS per signing
 * token (`jws-kubeconfig-<id>`) that the controller-manager's bootstrap signer keeps current. The
 * token cleaner deletes expired token Secrets, and with them the signatures disappear.
 * Upstream: cmd/kubeadm/app/phases/bootstraptoken/clusterinfo/clusterinfo.go
 * (CreateBootstrapConfigMapIfNotExists), pkg/controller/bootstrap/bootstrapsigner.go
 * (Signer.signConfigMap, getTokens), pkg/controller/bootstrap/util.go (validateSecretForSigning),
 * pkg/controller/bootstrap/tokencleaner.go (TokenCleaner.evalSecret)
 */
import type { KubeObject } from '../../core/object';
import { EventEmitter } from '../../core/events';
import { isNotFound } from '../../apimachinery/errors';
import { compareGoStrings } from '../../apimachinery/go';
import { marshalYAML } from '../apis/print';
import { bootstrapTokenEvents } from './events';
import { computeDetachedSignature } from './jws';
import { getData, isSecretExpired, type Secret } from './secret';
import { BootstrapTokenIDKey, BootstrapTokenSecretKey, BootstrapTokenUsageSigningKey, bootstrapTokenSecretName, ConfigMapClusterInfo, JWSSignatureKeyPrefix, KubeConfigKey, SecretTypeBootstrapToken } from './token';
import type { TokenEnv } from './tokens';

/** A core/v1 ConfigMap as plain data. */
export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/**
 * The kubeconfig kubeadm puts in cluster-info: one cluster named "" (clientcmd.Write's YAML:
 * `contexts: null`, `users: null`). `caData` is the base64 CA bundle (certificate-authority-data).
 */
// Upstream: clusterinfo.go (CreateBootstrapConfigMapIfNotExists), client-go tools/clientcmd (Write)
export function clusterInfoKubeconfig(server: string, caData: string): string {
  return marshalYAML({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': caData, server }, name: '' }],
    contexts: null,
    'current-context': '',
    kind: 'Config',
    preferences: {},
    users: null,
  });
}

/** The ConfigMap before any signature. */
export function clusterInfoConfigMap(server: string, caData: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ConfigMapClusterInfo, namespace: 'kube-public' }, data: { [KubeConfigKey]: clusterInfoKubeconfig(server, caData) } };
}

/** Creates cluster-info, or replaces its kubeconfig. Upstream: clusterinfo.go (CreateBootstrapConfigMapIfNotExists, apiclient.CreateOrUpdate) */
export async function createBootstrapConfigMapIfNotExists(env: TokenEnv, server: string, caData: string): Promise<void> {
  const cms = env.client.coreV1().configMaps('kube-public');
  const cm = clusterInfoConfigMap(server, caData);
  try {
    await cms.create(cm);
  } catch (err) {
    if ((err as { status?: { reason?: string } }).status?.reason !== 'AlreadyExists') throw err;
    const existing = (await cms.get(ConfigMapClusterInfo)) as ConfigMap;
    await cms.update({ ...existing, data: { ...existing.data, [KubeConfigKey]: cm.data![KubeConfigKey] } });
  }
}

/** A token Secret the signer may sign with: well named, signing usage, not expired. Upstream: pkg/controller/bootstrap/util.go (validateSecretForSigning) */
export function validateSecretForSigning(secret: Secret, nowMs: number): { tokenID: string; tokenSecret: string } | undefined {
  const tokenID = getData(secret, BootstrapTokenIDKey);
  const tokenSecret = getData(secret, BootstrapTokenSecretKey);
  if (!tokenID || !tokenSecret || secret.metadata?.name !== bootstrapTokenSecretName(tokenID)) return undefined;
  if (isSecretExpired(secret, nowMs)) return undefined;
  if (getData(secret, BootstrapTokenUsageSigningKey) !== 'true') return undefined;
  return { tokenID, tokenSecret };
}

/**
 * cluster-info's data with every signature recomputed for the valid signing tokens and stale ones
 * removed, and whether anything changed. Upstream: bootstrapsigner.go (Signer.signConfigMap)
 */
export function signConfigMapData(data: Record<string, string>, secrets: readonly Secret[], nowMs: number): { data: Record<string, string>; needUpdate: boolean; ids: string[] } {
  const content = data[KubeConfigKey];
  if (content === undefined) return { data, needUpdate: false, ids: [] };
  const next: Record<string, string> = {};
  const oldSigs = new Map<string, string>();
  for (const [k, v] of Object.entries(data)) {
    if (k.startsWith(JWSSignatureKeyPrefix)) oldSigs.set(k.slice(JWSSignatureKeyPrefix.length), v);
    else next[k] = v;
  }
  let needUpdate = false;
  const ids: string[] = [];
  for (const secret of secrets) {
    if (secret.type !== SecretTypeBootstrapToken || secret.metadata?.namespace !== 'kube-system') continue;
    const tok = validateSecretForSigning(secret, nowMs);
    // getTokens: of two Secrets with one ID, the first listed is used.
    if (!tok || ids.includes(tok.tokenID)) continue;
    const sig = computeDetachedSignature(content, tok.tokenID, tok.tokenSecret);
    if (oldSigs.get(tok.tokenID) !== sig) needUpdate = true;
    oldSigs.delete(tok.tokenID);
    next[JWSSignatureKeyPrefix + tok.tokenID] = sig;
    ids.push(tok.tokenID);
  }
  if (oldSigs.size !== 0) needUpdate = true;
  return { data: next, needUpdate, ids: ids.sort(compareGoStrings) };
}

/** One pass of the bootstrap signer over cluster-info. Upstream: bootstrapsigner.go (Signer.signConfigMap) */
export async function bootstrapSignerSync(env: TokenEnv): Promise<boolean> {
  const cms = env.client.coreV1().configMaps('kube-public');
  let cm: ConfigMap;
  try {
    cm = (await cms.get(ConfigMapClusterInfo)) as ConfigMap;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  const secrets = (await env.client.coreV1().secrets('kube-system').list()).items as Secret[];
  const { data, needUpdate, ids } = signConfigMapData(cm.data ?? {}, secrets, env.clock.now());
  if (!needUpdate) return false;
  await cms.update({ ...cm, data });
  new EventEmitter(bootstrapTokenEvents, { clock: env.clock, trace: env.trace }, {}).emit('bootstraptoken.sign', { ids });
  return true;
}

/** Deletes the bootstrap token Secrets whose expiration has passed. Upstream: tokencleaner.go (TokenCleaner.evalSecret) */
export async function tokenCleanerSync(env: TokenEnv): Promise<string[]> {
  const secrets = env.client.coreV1().secrets('kube-system');
  const deleted: string[] = [];
  for (const secret of (await secrets.list()).items as Secret[]) {
    if (secret.type !== SecretTypeBootstrapToken || !isSecretExpired(secret, env.clock.now())) continue;
    const name = secret.metadata?.name ?? '';
    try {
      await secrets.delete(name, { preconditions: { uid: secret.metadata?.uid } });
      deleted.push(name);
      new EventEmitter(bootstrapTokenEvents, { clock: env.clock, trace: env.trace }, {}).emit('bootstraptoken.delete', { id: getData(secret, BootstrapTokenIDKey) });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return deleted;
}
