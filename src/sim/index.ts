/**
 * kubelab — the public API. Labs, the shell, the UI and external tests import only this file;
 * learner code imports it as `kubelab`.
 */
export * from './core/index';
export * from './workqueue/index';
export * from './cache/index';
export * from './apimachinery/index';
export * from './apiserver/index';
export * from './client/index';
export { eventCatalogs, catalogOf, eventText, eventSource, eventTypesOf } from './catalogs';
export * from './etcd/index';
export * from './cluster/index';
export * from './raft/index';
export * from './check/index';
export * from './raftnet/index';
export * from './raftcluster/index';
export * from './etcdserver/index';
export * from './scheduler/index';
export * from './proxy/index';
export * from './netstack/index';
export * from './dns/index';
export * from './cni/index';
export * from './network/index';
export * from './controllers/endpointslice/index';
export * from './controllers/endpoint/index';
export * from './controllers/nodeipam/index';
export * from './serviceaccount/index';
export * from './gogc/index';
export {
  newGarbageCollector, GarbageCollector, getDeletableResources, defaultIgnoredResources,
  enqueuedVirtualDeleteEventErr, namespacedOwnerOfClusterScopedObjectErr,
  GraphBuilder, GraphNode, ReferenceCache, RestMappingError,
  formatReference as formatGCObjectReference,
  type GarbageCollectorOptions, type MonitoredResource,
  type GraphEvent as GCGraphEvent, type ObjectReference as GCObjectReference,
  garbageCollectorEvents, type GarbageCollectorEvent, type GarbageCollectorEventMap, type DeleteVerdict as GCDeleteVerdict,
} from './controllers/garbagecollector/index';
export * from './proxy/healthcheck/index';
// The Go collector's lab API (labs gc-lost-object and gc-write-barrier).
export {
  gcCycle, checkBarrier, parseOp as parseGCOp, toWorldSpec as toGCWorldSpec, BarrierError, GcBudgetError, GC_LAB_LIMITS,
  type GcWorld, type WorldRef, type BarrierSlot, type BarrierContext, type WriteBarrierFn, type GcCycleOptions, type GcCycleReport,
  type LostObject, type GcInvariantBreak, type CheckBarrierOptions, type BarrierFailure, type BarrierCheckResult,
} from './gogc/lab';
// The synthetic clusters of the proxy benchmarks (the kube-proxy modes lesson and lab).
export { syntheticCluster, type SyntheticCluster } from './proxy/perf';
// ---- the namespace controller (H29: namespace deletion, the stuck-finalizer lab) ----
export {
  newNamespaceController, NamespaceController, nsControllerRateLimiter, namespaceDeletionGracePeriodMs,
  NamespacedResourcesDeleter, ResourcesRemainingError, finalizerEstimateSeconds, discoverNamespacedResources,
  NamespaceConditionUpdater, ErrGroupDiscoveryFailed, conditionTypes as namespaceConditionTypes,
  type NamespaceControllerOptions, type NamespaceSync, type NamespaceCondition, type NamespaceConditionType,
  type DiscoveryResult as NamespaceDiscoveryResult,
} from './controllers/namespace/index';
export {
  BaseControllerRefManager, PodControllerRefManager, getControllerOf, recheckDeletionTimestamp,
  ownerRefControllerPatch, generateDeleteOwnerRefStrategicMergeBytes, type PodControl,
} from './controllers/util/controller_ref_manager';
// ---- end namespace controller ----
// The HPA's replica calculator and the controller's pure scaling steps (issue 13, first piece).
export {
  newReplicaCalculator, convertDesiredReplicasWithRules, convertDesiredReplicasWithBehaviorRate,
  calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors, stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors, defaultScaleUpRules, defaultScaleDownRules,
  type HPAScalingRules, type TimestampedScaleEvent, type TimestampedRecommendation,
  type ResourceReplicas, type MetricReplicas,
} from './controllers/podautoscaler/index';
// ---- issue 13: the workload controllers, the HPA loop, metrics-server, the kubelet's pieces, node lifecycle ----
export { newReplicaSetController, ReplicaSetController, replicaSetEvents, type ReplicaSetControllerOptions } from './controllers/replicaset/index';
export { newDeploymentController, DeploymentController, deploymentMaxRetries, deploymentEvents, type DeploymentControllerOptions } from './controllers/deployment/index';
export { newStatefulSetController, StatefulSetController, statefulSetEvents, checkStatefulSetInvariants, StatefulSetRevisionLabel, StatefulSetPodNameLabel, PodIndexLabel, type StatefulSetControllerOptions } from './controllers/statefulset/index';
export { ControllerRevisionHashLabel, controllerRevisionName, hashControllerRevision, newControllerRevision, sortControllerRevisions, equalRevision, findEqualRevisions, newHistory, RealHistory, type ControllerRevision, type History } from './controllers/history/index';
export { newDaemonSetsController, DaemonSetsController, nodeShouldRunDaemonPod, daemonSetEvents, constructHistory as constructDaemonSetHistory, cleanupHistory as cleanupDaemonSetHistory, getDaemonSetPatch, type DaemonSetsControllerOptions } from './controllers/daemon/index';
export { newJobController, JobController, JobTrackingFinalizer, jobEvents } from './controllers/job/index';
export { newHorizontalController, HorizontalController, newRESTMetricsClient, hpaEvents, type HorizontalControllerOptions, type HorizontalPodAutoscaler } from './controllers/podautoscaler/index';
export { newMetricsServer, MetricsServer, DefaultMetricResolutionMs, loadProfile, steps, constantUsage, metricsServerEvents, type MetricsSource, type PodUsage } from './metrics/index';
export { newNodeLifecycleController, NodeLifecycleController, nodeLifecycleEvents, type NodeLifecycleControllerOptions } from './controllers/nodelifecycle/index';
export { newTaintEvictionController, TaintEvictionController, taintEvictionEvents, type TaintEvictionControllerOptions } from './controllers/tainteviction/index';
export { newProberManager, newResultsManager, proberEvents, type ProberManagerOptions } from './kubelet/prober/index';
export { newNodeStatusManager, newNodeLeaseController, nodeStatusEvents, type NodeStatusManagerOptions, type NodeLeaseControllerOptions } from './kubelet/nodestatus/index';
export { newFakeContainerRuntime, IMAGE_CATALOG, crictlPs, crictlPods, crictlImages, crictlInspect, crictlInspectp, crictlLogs, containerRuntimeEvents, type FakeContainerRuntime, type FakeContainerRuntimeOptions } from './kubelet/cri/index';
// ---- labs (wt-labs-ctl): the fake kubelet fixture, so controller labs can make pods Ready in a Run ----
export { newFakeKubelet, FakeKubelet, type FakeKubeletOptions, type FakeKubeletStats } from './controllers/testing/index';
// ---- issue 13 wave 2 (wt-lessons-kubelet): the kubelet's pure pieces the kubelet lessons run ----
export {
  Backoff as KubeletBackoff, newKubeletCrashLoopBackOff, newCrashLoopBackOff, doBackOff,
  INITIAL_CRASH_LOOP_BACK_OFF_MS, MAX_CONTAINER_BACK_OFF_MS, CRASH_LOOP_BACK_OFF_RESET_MS,
  newImageBackOff, ensureImageExists, IMAGE_BACK_OFF_PERIOD_MS, MAX_IMAGE_BACK_OFF_MS,
  getPhase, defaultWaitingState, terminatedReason, WaitingReason, TerminatedReason,
} from './kubelet/index';
export { processArgs, findImage } from './kubelet/cri/index';
// Static pods: the kubelet's file source and mirror pods (issue 14 builds kubeadm's control plane on them).
export { SourceFile as StaticPodSource, extractFromFile as extractStaticPod, generatePodName as staticPodName, isStaticPod, isMirrorPod, isMirrorPodOf, type ManifestFs } from './kubelet/index';
export { validateContainerLogStatus, ContainerLogError } from './kubelet/container_logs';
// ---- end wt-lessons-kubelet ----
// The Deployment controller's fenceposts (the controllers lessons), the kubelet itself, a node and the controller manager (labs).
export { resolveFenceposts } from './controllers/deployment/index';
export { newKubelet, Kubelet, kubeletEvents, type KubeletOptions, type KubeletConfig } from './kubelet/index';
export { SimNode, ControllerManager, CONTROLLER_NAMES, type SimNodeOptions, type ControllerManagerOptions } from './cluster/index';
// ---- issue 14: deployment setup (kubeadm). X.509 with simulated keys, kubeadm's certificates and kubeconfigs ----
export {
  createCertificate, parseCertificate, parseCertsPem, encodeCertPem, checkSignatureFrom, verifyCertificate, commonNameOf, organizationOf,
  CertificateParseError, generateRsaKey, encodePrivateKeyPem, parsePrivateKeyPem, encodePublicKeyPem, parsePublicKeyPem, keyMatches,
  pemEncode, pemDecode, opensslText, opensslSubject, opensslIssuer, opensslEndDate, opensslStartDate, opensslSerial, opensslExt,
  caCertHash, checkAnyPin, type Certificate, type CertificateTemplate, type RsaPrivateKey, type RsaPublicKey,
} from './pki/index';
export {
  createPKIAssets, createKubeConfigFiles, loadCertAndKey, getDefaultCertList, getCertsWithoutEtcd, MemoryFiles, getKubeConfigSpecs, readKubeConfig,
  kubeConfigClientCert, getAPIServerAltNames, getEtcdAltNames, CertsRenewalManager, checkExpiration, renewCertificates, shortHumanDuration,
  kubeadmCertsEvents, type FileWriter, type PkiInitConfiguration, type PkiEnv,
} from './kubeadm/certs/index';
export { sha256, hmacSha256, hexEncode } from './core/sha256';
// A Linux host (file system, systemd, swap, ports) and kubeadm's preflight checks.
export { newHost, Host, HostFS, Systemd, UnitNotFoundError, PathError, isNotExist, hostEvents, hostInvariantViolations, type HostOptions, type HostState, type UnitState, type UnitFile, type FileInfo } from './host/index';
export { runInitPreflightPhase, runJoinPreflightPhase, commandErrorText, PhaseError, runChecks as runPreflightChecks, validateIgnorePreflightErrors, PreflightError, getControlPlaneImages, getPauseImage, kubeadmImageSpecs } from './kubeadm/preflight/index';
// kubeadm's configuration API (v1beta4) and bootstrap tokens.
export {
  bytesToInitConfiguration, bytesToJoinConfiguration, ConfigError as KubeadmConfigError, validateConfig as validateKubeadmConfig,
  defaultedInitConfiguration, defaultedJoinConfiguration, printInitDefaults, printJoinDefaults,
} from './kubeadm/apis/index';
export {
  runCreateToken, runListTokens, runDeleteTokens, runGenerateToken, getJoinCommand, createBootstrapConfigMapIfNotExists, bootstrapSignerSync,
  tokenCleanerSync, discoverValidatedKubeConfig, tlsBootstrapKubeconfig, computeDetachedSignature,
} from './kubeadm/bootstraptoken/index';
// client-go leader election; kube-controller-manager and kube-scheduler elect through Leases.
export {
  newLeaderElector, LeaderElector, newLeaderHealthzAdaptor, leaderElectionIdentity, leaderElectionEvents, runComponentElection,
  newPartitionableTransport, newSkewedClock, Context as LeaderElectionContext, type LeaderCallbacks, type LeaderElectionConfig,
} from './client/leaderelection/index';
// kubeadm's workflow runner and the init phases (files up to kubelet-start).
export { Runner as KubeadmWorkflowRunner, RunConditionError, kubeadmWorkflowEvents } from './kubeadm/workflow/index';
export {
  InitData as KubeadmInitData, newInitRunner, runInit as runKubeadmInit, runInitPhase as runKubeadmInitPhase, getStaticPodSpecs, getEtcdPodSpec,
  kubeletConfiguration as kubeadmKubeletConfiguration, kubeletFlagsEnv, marshalStaticPod, type InitDataOptions as KubeadmInitDataOptions,
} from './kubeadm/phases/init/index';
// Persistent volumes: the PV binder (persistentvolume-binder-controller) and kind's local-path provisioner.
export {
  newPersistentVolumeBinder, PersistentVolumeBinder, findBestMatchForClaim, persistentVolumeEvents, AnnBindCompleted, AnnBoundByController,
  AnnSelectedNode, AnnStorageProvisioner, getDefaultClass, type PersistentVolumeBinderOptions,
} from './controllers/volume/persistentvolume/index';
export { newLocalPathProvisioner, LocalPathProvisioner, defaultStorageClass, localPathEvents, type LocalPathProvisionerOptions } from './controllers/volume/localpath/index';
// A machine: a host + containerd + the real kubelet under systemd, running kubeadm's static pods; the node network.
export {
  Machine, newMachine, newNetwork, DialTimeoutError, newDialTransport, machineEvents, readKubeletFiles, parseFlagsEnv,
  type MachineOptions, type ControlPlaneHooks, type ControlPlaneHook, type ControlPlaneHookResult, type Network,
} from './machine/index';
