/**
 * The scheduling framework's plugin interfaces: pkg/scheduler/framework/interface.go at v1.34
 * (and the parts of k8s.io/kube-scheduler framework/interface.go it re-exports). A plugin is an
 * object with a `name` and a method per extension point it implements; the profile enables it
 * per extension point, and the framework refuses a plugin enabled at a point it does not implement.
 *
 * Go's `(value, *Status)` returns are tuples here: `[PreFilterResult | null, Status | null]`.
 * Score may also return a bare number (a Success), so a learner's plugin can be short.
 */
import type { Pod, Node, Namespace, PersistentVolume, PersistentVolumeClaim } from '../../api/core/v1';
import type { PodDisruptionBudget } from '../../api/policy/v1';
import type { StorageClass } from '../../api/storage/v1';
import type { CycleState } from './cycle_state';
import type { MaybeStatus, Status } from './status';
import type { NodeInfo, PodInfo } from './types';
import type { ClusterEventWithHint } from './events';
import type { ErrorList, Path } from '../../apimachinery/field';

/** Go: `MaxNodeScore` / `MinNodeScore`. */
export const MaxNodeScore = 100;
export const MinNodeScore = 0;
/** Go: `MaxTotalScore`: math.MaxInt64, as a safe integer here. */
export const MaxTotalScore = Number.MAX_SAFE_INTEGER;

/** Go: `NodeScore`. */
export interface NodeScore {
  name: string;
  score: number;
}

/** Nodes a PreFilter narrows the search to; `null` node names = all nodes (Go: `PreFilterResult`). */
export interface PreFilterResult {
  nodeNames: Set<string> | null;
}

/** Go: `PostFilterResult` (`NominatingInfo`). */
export interface PostFilterResult {
  nominatingInfo: { nominatedNodeName: string; nominatingMode: 'ModeNoop' | 'ModeOverride' } | null;
}

/** A queued pod as QueueSort compares it (Go: `QueuedPodInfo`). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** Virtual ms when it was last added to the queue. */
  timestamp: number;
  attempts: number;
  unschedulableCount: number;
  consecutiveErrorsCount: number;
  initialAttemptTimestamp: number | null;
  backoffExpiration: number;
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  gatingPlugin: string;
}

/** Node statuses of a failed Filter pass, by node name (Go: `NodeToStatus`). */
export interface NodeToStatusReader {
  get(nodeName: string): Status;
  /** Nodes that failed with the given codes (Go: `NodesForStatusCode`). */
  nodesForStatusCode(lister: NodeInfoLister, code: Status['code']): NodeInfo[];
}

export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus;
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus;
}

export interface ScoreExtensions {
  /** Rewrites `scores` in place to [MinNodeScore, MaxNodeScore]. */
  normalizeScore(state: CycleState, pod: Pod, scores: NodeScore[]): MaybeStatus;
}

/** Every extension point a plugin may implement. */
export interface Plugin {
  /** Go: `Name()`. */
  readonly name: string;
  /** PreEnqueue: may gate the pod before it enters activeQ. */
  preEnqueue?(pod: Pod): MaybeStatus;
  /** QueueSort: whether `a` pops before `b`. */
  less?(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
  preFilter?(state: CycleState, pod: Pod, nodes: NodeInfo[]): [PreFilterResult | null, MaybeStatus];
  preFilterExtensions?(): PreFilterExtensions | null;
  filter?(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus;
  postFilter?(state: CycleState, pod: Pod, filteredNodeStatusMap: NodeToStatusReader): [PostFilterResult | null, MaybeStatus];
  preScore?(state: CycleState, pod: Pod, nodes: NodeInfo[]): MaybeStatus;
  score?(state: CycleState, pod: Pod, nodeInfo: NodeInfo): [number, MaybeStatus] | number;
  scoreExtensions?(): ScoreExtensions | null;
  reserve?(state: CycleState, pod: Pod, nodeName: string): MaybeStatus;
  unreserve?(state: CycleState, pod: Pod, nodeName: string): void;
  /** Permit: Success, Wait with a timeout in ms, or a rejection. */
  permit?(state: CycleState, pod: Pod, nodeName: string): [MaybeStatus, number];
  preBind?(state: CycleState, pod: Pod, nodeName: string): MaybeStatus | Promise<MaybeStatus>;
  bind?(state: CycleState, pod: Pod, nodeName: string): MaybeStatus | Promise<MaybeStatus>;
  postBind?(state: CycleState, pod: Pod, nodeName: string): void;
  /** EnqueueExtensions: the cluster events that may make a rejected pod schedulable. */
  eventsToRegister?(): ClusterEventWithHint[];
}

/** Go: `NodeInfoLister`. */
export interface NodeInfoLister {
  list(): NodeInfo[];
  havePodsWithAffinityList(): NodeInfo[];
  havePodsWithRequiredAntiAffinityList(): NodeInfo[];
  /** Throws `nodeinfo not found for node name "x"` for an unknown node. */
  get(nodeName: string): NodeInfo;
}

/** Go: `StorageInfoLister`. */
export interface StorageInfoLister {
  isPVCUsedByPods(key: string): boolean;
}

/** Go: `SharedLister`: the cycle's snapshot. */
export interface SharedLister {
  nodeInfos(): NodeInfoLister;
  storageInfos(): StorageInfoLister;
}

/** The informer listers plugins read besides nodes and pods (the model's stand-in for SharedInformerFactory). */
export interface ObjectListers {
  namespaces(): Namespace[];
  getNamespace(name: string): Namespace | undefined;
  persistentVolumes(): PersistentVolume[];
  persistentVolumeClaims(namespace: string): PersistentVolumeClaim[];
  getPersistentVolumeClaim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  storageClasses(): StorageClass[];
  podDisruptionBudgets(namespace?: string): PodDisruptionBudget[];
  /** Every pod the informer holds, scheduled or not. */
  pods(): Pod[];
}

/** What a plugin can reach (Go: `framework.Handle`). */
export interface Handle {
  snapshotSharedLister(): SharedLister;
  listers(): ObjectListers;
  /** Pods nominated to a node by preemption (Go: `PodNominator.NominatedPodsForNode`). */
  nominatedPodsForNode(nodeName: string): PodInfo[];
  /** Deletes a pod through the API server (preemption's victims). */
  deletePod?(pod: Pod, reason: { message: string }): Promise<void>;
  /** Binds through the API server (DefaultBinder). */
  bindPod?(pod: Pod, nodeName: string): Promise<void>;
  // R1 (wt-pv): VolumeBinding's PreBind writes the bindings and waits for the PV controller (Go: BindPodVolumes).
  /** Updates a PersistentVolume or PersistentVolumeClaim through the API server; returns the stored object. */
  updateVolumeObject?<T extends PersistentVolume | PersistentVolumeClaim>(obj: T): Promise<T>;
  /** Resolves after `ms` of the scheduler's clock (Go: the poll interval of wait.PollUntilContextTimeout). */
  sleep?(ms: number): Promise<void>;
  /** Clears a pod's status.nominatedNodeName through the API server. */
  clearNominatedNodeName?(pod: Pod): Promise<void>;
  /** Runs the profile's Filter plugins (with PreFilter) as preemption does (Go: `RunFilterPluginsWithNominatedPods`). */
  runFilterPluginsWithNominatedPods?(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus;
  runPreFilterExtensionAddPod?(state: CycleState, pod: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): MaybeStatus;
  runPreFilterExtensionRemovePod?(state: CycleState, pod: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): MaybeStatus;
  /** The seeded randomness of this scheduler. */
  rng(): { int(n: number): number };
  /** The profile's percentageOfNodesToScore (null = the scheduler's) and the scheduler's. */
  parallelism(): number;
}

/** Builds a plugin from its args (Go: `PluginFactory`). Throws an error naming the field path for bad args. */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

/** A plugin as the registry knows it: its factory, and its args' defaults and validation when it has args. */
export interface PluginRegistration {
  factory: PluginFactory;
  /** The v1 defaults (Go: `SetDefaults_<Name>Args`); present only for plugins with args. */
  defaultArgs?: () => unknown;
  /** Defaults the fields a configured args object leaves out (Go: `SetDefaults_<Name>Args`); absent: fill the top-level fields from `defaultArgs`. */
  setDefaults?: (args: unknown) => unknown;
  /** Go: `Validate<Name>Args`. */
  validateArgs?: (path: Path, args: any) => ErrorList;
  /** Set on the in-tree registry's plugins; any other plugin's calls run as foreign calls (core/callscope.ts). */
  inTree?: boolean;
}

/** Plugin name -> registration (Go: `runtime.Registry`). */
export type Registry = Map<string, PluginRegistration>;
