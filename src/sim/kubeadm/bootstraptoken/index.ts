/**
 * Bootstrap tokens: generating and parsing them, their Secrets, `kubeadm token create | list |
 * delete` and the join command, the cluster-info ConfigMap with its JWS signatures (and the
 * controller-manager's bootstrap signer and token cleaner), and token discovery as `kubeadm join`
 * runs it. See README.md.
 */
export * from './token';
export { base64RawUrlEncodeBytes, computeDetachedSignature, detachedTokenIsValid } from './jws';
export { bootstrapTokenFromSecret, bootstrapTokenToSecret, encodeTokenSecretData, getData, isSecretExpired, type Secret } from './secret';
export {
  createNewTokens,
  formatBootstrapToken,
  getJoinCommand,
  runCreateToken,
  runDeleteTokens,
  runGenerateToken,
  runListTokens,
  shortHumanDuration,
  TokenListColumns,
  updateOrCreateTokens,
  type CreateTokenOptions,
  type JoinCommandParams,
  type TokenEnv,
} from './tokens';
export {
  bootstrapSignerSync,
  clusterInfoConfigMap,
  clusterInfoKubeconfig,
  createBootstrapConfigMapIfNotExists,
  signConfigMapData,
  tokenCleanerSync,
  validateSecretForSigning,
  type ConfigMap,
} from './clusterinfo';
export {
  discoverValidatedKubeConfig,
  DiscoveryRetryIntervalMs,
  PubKeyPinSet,
  retrieveValidatedConfigInfo,
  tlsBootstrapKubeconfig,
  TokenUser,
  validateClusterInfoToken,
  type DiscoveredKubeconfig,
  type DiscoveryOptions,
} from './discovery';
export { bootstrapTokenEvents, type BootstrapTokenEventMap, type BootstrapTokenTraceEvent } from './events';
