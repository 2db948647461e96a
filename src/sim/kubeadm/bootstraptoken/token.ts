/**
 * Bootstrap token strings: `<id>.<secret>`, a public 6-character ID and a private 16-character
 * secret over `[a-z0-9]`. The ID names the Secret (`bootstrap-token-<id>`) and the JWS key in
 * cluster-info; the secret signs cluster-info and authenticates the joining kubelet.
 * Upstream: staging/src/k8s.io/cluster-bootstrap/token/api/types.go, token/util/helpers.go,
 * cmd/kubeadm/app/apis/bootstraptoken/v1/utils.go (NewBootstrapTokenString)
 */
import type { Rng } from '../../core/rng';
import { goQuote } from '../../apimachinery/go';

export const BootstrapTokenSecretPrefix = 'bootstrap-token-';
export const SecretTypeBootstrapToken = 'bootstrap.kubernetes.io/token';
export const BootstrapTokenIDKey = 'token-id';
export const BootstrapTokenSecretKey = 'token-secret';
export const BootstrapTokenExpirationKey = 'expiration';
export const BootstrapTokenDescriptionKey = 'description';
export const BootstrapTokenExtraGroupsKey = 'auth-extra-groups';
export const BootstrapTokenUsagePrefix = 'usage-bootstrap-';
export const BootstrapTokenUsageSigningKey = 'usage-bootstrap-signing';
export const BootstrapTokenUsageAuthentication = 'usage-bootstrap-authentication';
export const ConfigMapClusterInfo = 'cluster-info';
export const KubeConfigKey = 'kubeconfig';
export const JWSSignatureKeyPrefix = 'jws-kubeconfig-';
export const BootstrapUserPrefix = 'system:bootstrap:';
export const BootstrapDefaultGroup = 'system:bootstrappers';
/** Go regexp syntax, as upstream prints it in errors. */
export const BootstrapGroupPattern = '\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z';
export const BootstrapTokenPattern = '\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z';
export const BootstrapTokenIDPattern = '\\A([a-z0-9]{6})\\z';
export const BootstrapTokenIDBytes = 6;
export const BootstrapTokenSecretBytes = 16;
export const KnownTokenUsages: readonly string[] = ['signing', 'authentication'];

const tokenRegexp = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const tokenIDRegexp = /^([a-z0-9]{6})$/;
const groupRegexp = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

/** The 36 characters a token is made of. */
const validBootstrapTokenChars = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A parsed token (Go: `BootstrapTokenString{ID, Secret}`). */
export interface BootstrapTokenString {
  id: string;
  secret: string;
}

/** A new random token `id.secret` from the injected generator. Upstream: token/util/helpers.go (GenerateBootstrapToken) */
export function generateBootstrapToken(rng: Rng): string {
  return tokenFromIDAndSecret(randBytes(rng, BootstrapTokenIDBytes), randBytes(rng, BootstrapTokenSecretBytes));
}

/**
 * `length` characters from random bytes: a byte of 252 or more is discarded, so each of the 36
 * characters is equally likely (256 mod 36 = 4). Upstream: token/util/helpers.go (randBytes)
 */
function randBytes(rng: Rng, length: number): string {
  const maxByteValue = 252;
  let out = '';
  while (out.length < length) {
    const b = rng.int(256);
    if (b < maxByteValue) out += validBootstrapTokenChars[b % validBootstrapTokenChars.length];
  }
  return out;
}

/** Upstream: token/util/helpers.go (TokenFromIDAndSecret) */
export function tokenFromIDAndSecret(id: string, secret: string): string {
  return `${id}.${secret}`;
}

/** Upstream: token/util/helpers.go (IsValidBootstrapToken) */
export function isValidBootstrapToken(token: string): boolean {
  return tokenRegexp.test(token);
}

/** Upstream: token/util/helpers.go (IsValidBootstrapTokenID) */
export function isValidBootstrapTokenID(id: string): boolean {
  return tokenIDRegexp.test(id);
}

/** `bootstrap-token-<id>`. Upstream: token/util/helpers.go (BootstrapTokenSecretName) */
export function bootstrapTokenSecretName(tokenID: string): string {
  return `${BootstrapTokenSecretPrefix}${tokenID}`;
}

/** Parses `id.secret`; throws upstream's error for anything else. Upstream: bootstraptoken/v1/utils.go (NewBootstrapTokenString) */
export function newBootstrapTokenString(token: string): BootstrapTokenString {
  const m = tokenRegexp.exec(token);
  if (!m) throw new Error(`the bootstrap token ${goQuote(token)} was not of the form ${goQuote(BootstrapTokenPattern)}`);
  return { id: m[1], secret: m[2] };
}

/** Upstream: token/util/helpers.go (ValidateBootstrapGroupName) */
export function validateBootstrapGroupName(name: string): Error | undefined {
  return groupRegexp.test(name) ? undefined : new Error(`bootstrap group ${goQuote(name)} is invalid (must match ${BootstrapGroupPattern})`);
}

/** Upstream: token/util/helpers.go (ValidateUsages) */
export function validateUsages(usages: readonly string[]): Error | undefined {
  const invalid = [...new Set(usages.filter((u) => !KnownTokenUsages.includes(u)))].sort();
  if (invalid.length === 0) return undefined;
  return new Error(`invalid bootstrap token usage string: ${invalid.join(',')}, valid usage options: ${KnownTokenUsages.join(',')}`);
}
