/**
 * A bootstrap token as the cluster stores it: a Secret `bootstrap-token-<id>` in kube-system of
 * type `bootstrap.kubernetes.io/token`, whose data holds the ID, the secret, the expiration (RFC
 * 3339, UTC), one `usage-bootstrap-<usage>: "true"` per usage and the extra groups. The API
 * server's bootstrap authenticator and the controller-manager's bootstrap signer and token
 * cleaner all read this Secret.
 * Upstream: cmd/kubeadm/app/apis/bootstraptoken/v1/utils.go (BootstrapTokenToSecret,
 * encodeTokenSecretData, BootstrapTokenFromSecret), cluster-bootstrap util/secrets/secrets.go (GetData)
 */
import { base64Std, base64StdDecode } from '../../apiserver/base64';
import { rfc3339 } from '../../apiserver/registry/strategy';
import type { KubeObject } from '../../core/object';
import { goQuote } from '../../apimachinery/go';
import { parseGoDuration } from '../apis/duration';
import type { BootstrapToken } from '../apis/types';
import {
  BootstrapTokenDescriptionKey,
  BootstrapTokenExpirationKey,
  BootstrapTokenExtraGroupsKey,
  BootstrapTokenIDKey,
  BootstrapTokenSecretKey,
  BootstrapTokenSecretPrefix,
  BootstrapTokenUsagePrefix,
  bootstrapTokenSecretName,
  newBootstrapTokenString,
  SecretTypeBootstrapToken,
} from './token';

/** A core/v1 Secret as plain data (`data` values base64, as on the wire). */
export interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

/** The Secret for a token, its expiration computed from `ttl` at `nowMs`. Upstream: utils.go (BootstrapTokenToSecret) */
export function bootstrapTokenToSecret(bt: BootstrapToken, nowMs: number): Secret {
  const { id } = newBootstrapTokenString(bt.token ?? '');
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(encodeTokenSecretData(bt, nowMs))) data[k] = base64Std(v);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapTokenSecretName(id), namespace: 'kube-system' },
    type: SecretTypeBootstrapToken,
    data,
  };
}

/** The Secret's data, decoded. `expires` wins over `ttl`; a ttl of 0 means no expiration. Upstream: utils.go (encodeTokenSecretData) */
export function encodeTokenSecretData(bt: BootstrapToken, nowMs: number): Record<string, string> {
  const { id, secret } = newBootstrapTokenString(bt.token ?? '');
  const data: Record<string, string> = { [BootstrapTokenIDKey]: id, [BootstrapTokenSecretKey]: secret };
  if (bt.description) data[BootstrapTokenDescriptionKey] = bt.description;
  if (bt.expires !== undefined) {
    data[BootstrapTokenExpirationKey] = rfc3339(Date.parse(bt.expires));
  } else if (bt.ttl !== undefined && parseGoDuration(bt.ttl) > 0) {
    data[BootstrapTokenExpirationKey] = rfc3339(nowMs + parseGoDuration(bt.ttl));
  }
  for (const usage of bt.usages ?? []) data[BootstrapTokenUsagePrefix + usage] = 'true';
  if (bt.groups && bt.groups.length > 0) data[BootstrapTokenExtraGroupsKey] = bt.groups.join(',');
  return data;
}

/** One decoded value of the Secret's data ('' when absent). Upstream: cluster-bootstrap util/secrets/secrets.go (GetData) */
export function getData(secret: Secret, key: string): string {
  const v = secret.data?.[key];
  return v === undefined ? '' : base64StdDecode(v);
}

/** The token a Secret describes; throws upstream's errors for a malformed one. Upstream: utils.go (BootstrapTokenFromSecret) */
export function bootstrapTokenFromSecret(secret: Secret): BootstrapToken {
  const name = secret.metadata?.name ?? '';
  const tokenID = getData(secret, BootstrapTokenIDKey);
  if (tokenID.length === 0) throw new Error(`bootstrap Token Secret has no token-id data: ${name}`);
  if (name !== bootstrapTokenSecretName(tokenID)) {
    throw new Error(`bootstrap token name is not of the form '${BootstrapTokenSecretPrefix}(token-id)'. Actual: ${goQuote(name)}. Expected: ${goQuote(bootstrapTokenSecretName(tokenID))}`);
  }
  const tokenSecret = getData(secret, BootstrapTokenSecretKey);
  if (tokenSecret.length === 0) throw new Error(`bootstrap Token Secret has no token-secret data: ${name}`);
  let token: string;
  try {
    const bts = newBootstrapTokenString(`${tokenID}.${tokenSecret}`);
    token = `${bts.id}.${bts.secret}`;
  } catch (err) {
    throw new Error(`bootstrap Token Secret is invalid and couldn't be parsed: ${(err as Error).message}`);
  }
  const bt: BootstrapToken = { token };
  const description = getData(secret, BootstrapTokenDescriptionKey);
  if (description) bt.description = description;
  const expiration = getData(secret, BootstrapTokenExpirationKey);
  if (expiration.length > 0) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(expiration)) {
      throw new Error(`can't parse expiration time of bootstrap token ${goQuote(name)}: parsing time ${goQuote(expiration)} as "2006-01-02T15:04:05Z07:00": cannot parse ${goQuote(expiration)} as "2006"`);
    }
    bt.expires = expiration;
  }
  const usages = Object.keys(secret.data ?? {})
    .filter((k) => k.startsWith(BootstrapTokenUsagePrefix) && getData(secret, k) === 'true')
    .map((k) => k.slice(BootstrapTokenUsagePrefix.length))
    .sort();
  if (usages.length > 0) bt.usages = usages;
  const groups = getData(secret, BootstrapTokenExtraGroupsKey);
  if (groups.length > 0) bt.groups = groups.split(',');
  return bt;
}

/** Whether the Secret's expiration has passed at `nowMs` (an unparsable one counts as expired). Upstream: cluster-bootstrap util/secrets/secrets.go (isSecretExpired) */
export function isSecretExpired(secret: Secret, nowMs: number): boolean {
  const expiration = getData(secret, BootstrapTokenExpirationKey);
  if (expiration === '') return false;
  const t = Date.parse(expiration);
  return Number.isNaN(t) || nowMs > t;
}
