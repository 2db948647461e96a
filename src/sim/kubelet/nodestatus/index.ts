/** The kubelet's node registration, node status and node lease (Kubernetes v1.34): see README.md. */
export { newNodeStatusManager, nodeStatusHasChanged, defaultCapacity, defaultReserved, defaultNodeStatusUpdateFrequencyMs, defaultNodeStatusReportFrequencyMs, kubeletVersion, type NodeStatusManager, type NodeStatusManagerOptions } from './node_status';
export { newNodeLeaseController, microTime, NamespaceNodeLease, defaultNodeLeaseDurationSeconds, type NodeLeaseController, type NodeLeaseControllerOptions } from './node_lease';
export { defaultNodeStatusFuncs, nodeAddress, machineInfo, versionInfo, daemonEndpoints, memoryPressureCondition, diskPressureCondition, pidPressureCondition, readyCondition, type NodeFacts, type Setter } from './setters';
export { aggregateError, goDuration, networkPluginNotReady, plegNotHealthy, runtimeDown, runtimeStatusCheckPending } from './errors';
export { nodeStatusEvents, type NodeStatusEventMap, type NodeStatusTraceEvent } from './events';
