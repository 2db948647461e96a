/** The kubelet's prober (Kubernetes v1.34): see README.md in this folder. */
export { newProberManager, type ProberManagerOptions, type ProberManagerWithWorkers } from './prober_manager';
export { newResultsManager } from './results_manager';
export { newProber, maxProbeRetries, ContainerUnhealthy, ContainerProbeWarning, type Prober, type ProbeRun } from './prober';
export { doExecProbe, doGRPCProbe, doHTTPProbe, doTCPProbe, formatURL, newRequestForHTTPGetAction, resolveContainerPort, probeUserAgent, type GrpcProbeRunner, type ProbeOutcome } from './probe';
export { Worker } from './worker';
export { probeDefaults, type Probe, type ProbedContainer, type ApiContainerStatus } from './api';
export { proberEvents, type ProberEventMap, type ProberTraceEvent } from './events';
export type { PodStatusProvider, ProbeResult, ProbeRunner, ProbeType, ProbeUpdate, ProberManager, ResultsManager } from './types';
