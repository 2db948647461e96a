export {
  type Checker,
  type CheckResult,
  type ImagePullPolicy,
  ContainerRuntimeCheck,
  ServiceCheck,
  FirewalldCheck,
  PortOpenCheck,
  IsPrivilegedUserCheck,
  DirAvailableCheck,
  FileAvailableCheck,
  FileExistingCheck,
  FileContentCheck,
  InPathCheck,
  HostnameCheck,
  HTTPProxyCheck,
  HTTPProxyCIDRCheck,
  SystemVerificationCheck,
  KubernetesVersionCheck,
  KubeletVersionCheck,
  SwapCheck,
  NumCPUCheck,
  MemCheck,
  ImagePullCheck,
  getKubeletVersion,
  isQualifiedName,
} from './checks';
export { runChecks, setHasItemOrAll, validateIgnorePreflightErrors, parseIgnoreFlag, handleError, PreflightError, type IgnoreSet, type Writer } from './run';
export {
  initNodeChecks,
  joinNodeChecks,
  runInitNodeChecks,
  runJoinNodeChecks,
  runPullImagesCheck,
  runRootCheckOnly,
  runUpgradeChecks,
  defaultInitConfig,
  type PreflightContext,
  type PreflightInitConfig,
  type PreflightJoinConfig,
  type NodeRegistration,
} from './lists';
export { runInitPreflightPhase, runJoinPreflightPhase, commandErrorText, PhaseError, type PhaseIO } from './phase';
export { newContainerRuntime, type ContainerRuntime, type CriService } from './runtime';
export { getControlPlaneImages, getPauseImage, kubeadmImageSpecs, type ImageConfig } from './images';
export { parseSemantic, versionString, compareVersions, type SemVer } from './version';
// Constants: import from './constants' (the typings generator takes named exports only).
export { proxyFor, firstHostIP, cidrContains } from './proxy';
