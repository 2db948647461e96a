/**
 * kube-scheduler v1.34, the public part: the scheduler on the API server, one scheduling cycle
 * on plain lists, the framework's types for writing a plugin, configuration, and text views.
 * The framework's Status is exported as `FrameworkStatus` (kubelab's `Status` is metav1.Status).
 */
export { Scheduler, nodeSchedulingPropertiesChange, type SchedulerOptions, type SchedulerEvent } from './scheduler';
export { runSchedulingCycle, registryWith, compareProfiles, type SchedulingCycleInput, type SchedulingCycleResult, type ProfileComparison } from './cycle';
export { newInTreeRegistry } from './plugins/registry';
export { Status as FrameworkStatus, newStatus, asStatus, isSuccess, isRejected, codes, type Code, type MaybeStatus } from './framework/status';
export { CycleState } from './framework/cycle_state';
export { NodeInfo, PodInfo, HostPortInfo } from './framework/types';
export { Resource as SchedulerResource, calculateResource, podRequests } from './framework/resource';
export {
  MaxNodeScore,
  MinNodeScore,
  type Plugin as SchedulerPlugin,
  type Handle as FrameworkHandle,
  type NodeScore,
  type PluginFactory,
  type PluginRegistration,
  type Registry as PluginRegistry,
  type PreFilterResult,
  type ScoreExtensions,
} from './framework/interface';
export { Framework, type NodePluginScores } from './framework/runtime/framework';
export type { CycleRecord, ScoreRecord, StatusRecord } from './framework/runtime/record';
export { FitError, Diagnosis, NodeToStatus } from './framework/diagnosis';
export { ActionType as SchedulerActionType, type ClusterEvent, type ClusterEventWithHint, type QueueingHint } from './framework/events';
export { defaultNormalizeScore } from './plugins/helper/normalize_score';
export { numFeasibleNodesToFind, selectHost, schedulePod } from './schedule_one';
export { PriorityQueue } from './backend/queue/scheduling_queue';
export { getDefaultPlugins, setDefaults as setSchedulerDefaults } from './config/defaults';
export { SchedulerConfigError, validateKubeSchedulerConfiguration } from './config/validation';
export { loadSchedulerConfig } from './config/load';
export type { KubeSchedulerConfiguration, KubeSchedulerProfile, Extender as SchedulerExtender, HostPriority } from './config/types';
export { explain as explainCycle, queueText as schedulerQueueText, configText as schedulerConfigText, compareText as compareProfilesText } from './format';
export { makePod, makeNode } from './testing/wrappers';
export { schedulerEvents, KUBERNETES_TAG, type SchedulerEventMap, type SchedulerTraceEvent, type CycleNodeRow } from './events';
export type { Pod, Node, Container, Taint, Toleration, Affinity, TopologySpreadConstraint, ResourceList } from '../api/core/v1';
export type { PodDisruptionBudget } from '../api/policy/v1';
export type { PriorityClass } from '../api/scheduling/v1';
