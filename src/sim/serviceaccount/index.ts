/**
 * How a pod reaches the API server (kubernetes v1.34, client-go v0.34.0): the ServiceAccount
 * admission plugin and its projected volume, the root CA publisher, the bound token's claims
 * and their validation, the kubelet's Service environment variables and token refresh, and
 * client-go's in-cluster config. See README.md for the upstream files and the divergences.
 */
export type { ServiceAccount, VolumeMount, EnvVar, KeyToPath, VolumeProjection, ProjectedVolumeSource } from './types';
export {
  DefaultServiceAccountName,
  ServiceAccountVolumeName,
  DefaultAPITokenMountPath,
  EnforceMountableSecretsAnnotation,
  RootCACertConfigMapName,
  ProjectedVolumeSourceDefaultMode,
  MirrorPodAnnotationKey,
  PluginName as ServiceAccountPluginName,
  generateName as generateServiceAccountVolumeName,
  tokenVolumeSource,
  shouldAutomount,
  admitServiceAccount,
  apiAccessVolume,
  type AdmitOptions,
} from './admission';
export {
  WarnOnlyBoundTokenExpirationSeconds,
  ExpirationExtensionSeconds,
  DefaultLeewaySeconds,
  DefaultIssuer,
  makeUsername,
  makeGroupNames,
  claims as serviceAccountTokenClaims,
  tokenRequestExpiry,
  validateClaims as validateServiceAccountToken,
  type TokenClaims,
  type KubernetesClaims,
  type ClaimsInput,
  type TokenRequestOptions,
  type TokenGetter,
  type ServiceAccountInfo,
  type ObjectRef,
} from './claims';
export { encodeToken, decodeToken, PlaceholderSignature, type JwtHeader } from './jwt';
export { fromServices, serviceEnvVarMap, podServiceEnv, MasterServiceNamespace } from './envvars';
export { inClusterConfig, ErrNotInCluster, TokenFile, RootCAFile, type InClusterConfig, type ContainerView } from './in_cluster_config';
export { RootCACertPublisher, newRootCACertPublisher, rootCACertConfigMap, placeholderCAPEM, DescriptionAnnotation, Description as RootCACertDescription, type RootCACertPublisherOptions } from './root_ca_publisher';
export { requiresRefresh as tokenRequiresRefresh, tokenIssuedAt, projectedFiles, MaxTTLSeconds as TokenMaxTTLSeconds, type ProjectedFilesOptions, type ProjectedFiles } from './projected';
