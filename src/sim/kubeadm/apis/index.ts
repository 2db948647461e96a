/**
 * kubeadm's configuration API (v1beta4, with v1beta3 read and converted): the types, static and
 * dynamic defaults, validation, loading a `--config` file, and `kubeadm config print`.
 * See README.md.
 */
export * from './types';
export * from './defaults';
export { canonicalDuration, formatGoDuration, parseGoDuration } from './duration';
export { joinHostPort, normalizeKubernetesVersion, parseHostPort, setInitDynamicDefaults, setJoinDynamicDefaults, type MachineFacts } from './dynamic';
export {
  bytesToInitConfiguration,
  bytesToJoinConfiguration,
  ConfigError,
  DefaultErrorExitCode,
  gvkString,
  splitConfigDocuments,
  validateConfig,
  validateSupportedVersion,
  ValidationExitCode,
  verifyUnmarshalStrict,
  type ConfigDocument,
  type GVK,
  type LoadedInitConfiguration,
  type LoadedJoinConfiguration,
  type LoadOptions,
} from './load';
export { defaultedStaticInitConfiguration, marshalInitConfiguration, marshalYAML, PlaceholderToken, printInitDefaults, printJoinDefaults } from './print';
export * from './validation';
export { defaultedInitConfiguration, defaultedJoinConfiguration, validateMixedArguments, type InitFlags, type JoinFlags } from './flags';
