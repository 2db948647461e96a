/**
 * NodeResourcesFit: pkg/scheduler/framework/plugins/noderesources/fit.go at v1.34. PreFilter
 * sums the pod's requests into the cycle state; Filter rejects a node whose allocatable cannot
 * hold them beside what its pods already request (and one pod more); Score ranks nodes with the
 * configured strategy. Not modelled: DRA-backed extended resources (DRAExtendedResource, alpha
 * and off in v1.34) and status-reported container resources of running pods.
 */
import type { Node, Pod } from '../../../api/core/v1';
import { toAggregate } from '../../../apimachinery/field';
import type { CycleState } from '../../framework/cycle_state';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/events';
import type { Handle, Plugin, PreFilterResult } from '../../framework/interface';
import type { Resource } from '../../framework/resource';
import { asStatus, newStatus, type Code, type MaybeStatus, type Status } from '../../framework/status';
import { NodeInfo } from '../../framework/types';
import { defaultNodeResourcesFitArgs, validateNodeResourcesFitArgs, type NodeResourcesFitArgs, type ResourceSpec } from './args';
import { defaultFeatures, type Features } from './features';
import { leastResourceScorer } from './least_allocated';
import { mostResourceScorer } from './most_allocated';
import { isExtendedResourceName, podRequestAmounts, resourceOfRequests, type ResourceRequestsOptions } from './requests';
import { requestedToCapacityRatioScorer } from './requested_to_capacity_ratio';
import { ResourceAllocationScorer } from './resource_allocation';

/** Go: `names.NodeResourcesFit`. */
export const FitName = 'NodeResourcesFit';
const preFilterStateKey = 'PreFilter' + FitName;
const preScoreStateKey = 'PreScore' + FitName;

/** What the pod requests, computed once per cycle (Go: `preFilterState`, embedding `framework.Resource`). */
export interface PreFilterState {
  resource: Resource;
  clone(): PreFilterState;
}

/** The pod's requests in the order of the scored resources (Go: `preScoreState`). */
interface PreScoreState {
  podRequests: number[];
  clone(): PreScoreState;
}

/** Go: `InsufficientResource`. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The node could not hold the pod even empty, so preemption cannot help. */
  unresolvable: boolean;
}

/**
 * The pod's effective requests: containers summed, the largest init step, pod-level requests
 * where set, plus overhead. Upstream: fit.go (computePodResourceRequest)
 */
export function computePodResourceRequest(pod: Pod, opts: ResourceRequestsOptions = defaultRequestOptions()): PreFilterState {
  const resource = resourceOfRequests(podRequestAmounts(pod, opts));
  const state: PreFilterState = { resource, clone: () => state };
  return state;
}

function defaultRequestOptions(): ResourceRequestsOptions {
  return { enablePodLevelResources: defaultFeatures().enablePodLevelResources };
}

/** The resources the node lacks for the pod; empty when it fits. Upstream: fit.go (Fits) */
export function fits(pod: Pod, nodeInfo: NodeInfo, opts: ResourceRequestsOptions = defaultRequestOptions()): InsufficientResource[] {
  return fitsRequest(computePodResourceRequest(pod, opts).resource, nodeInfo, new Set(), new Set());
}

function insufficient(resourceName: string, reason: string, requested: number, used: number, capacity: number): InsufficientResource {
  return { resourceName, reason, requested, used, capacity, unresolvable: requested > capacity };
}

// Upstream: fit.go (fitsRequest)
export function fitsRequest(
  podRequest: Resource, nodeInfo: NodeInfo, ignoredExtendedResources: ReadonlySet<string>, ignoredResourceGroups: ReadonlySet<string>,
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const allowedPodNumber = alloc.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: allowedPodNumber, unresolvable: false });
  }
  if (podRequest.milliCPU === 0 && podRequest.memory === 0 && podRequest.ephemeralStorage === 0 && podRequest.scalarResources.size === 0) {
    return out;
  }
  if (podRequest.milliCPU > 0 && podRequest.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push(insufficient('cpu', 'Insufficient cpu', podRequest.milliCPU, used.milliCPU, alloc.milliCPU));
  }
  if (podRequest.memory > 0 && podRequest.memory > alloc.memory - used.memory) {
    out.push(insufficient('memory', 'Insufficient memory', podRequest.memory, used.memory, alloc.memory));
  }
  if (podRequest.ephemeralStorage > 0 && podRequest.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push(insufficient('ephemeral-storage', 'Insufficient ephemeral-storage', podRequest.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage));
  }
  for (const [name, quantity] of podRequest.scalarResources) {
    if (quantity === 0) continue;
    if (isExtendedResourceName(name)) {
      const group = ignoredResourceGroups.size > 0 ? name.split('/')[0] : '';
      if (ignoredExtendedResources.has(name) || ignoredResourceGroups.has(group)) continue;
    }
    const capacity = alloc.scalarResources.get(name) ?? 0;
    const inUse = used.scalarResources.get(name) ?? 0;
    if (quantity > capacity - inUse) out.push(insufficient(name, `Insufficient ${name}`, quantity, inUse, capacity));
  }
  return out;
}

/** Go: `nodeResourceStrategyTypeMap`. */
function scorerFor(args: NodeResourcesFitArgs, resources: ResourceSpec[], opts: ResourceRequestsOptions): ResourceAllocationScorer {
  const s = args.scoringStrategy!;
  switch (s.type) {
    case 'LeastAllocated':
      return new ResourceAllocationScorer('LeastAllocated', leastResourceScorer(resources), resources, false, opts);
    case 'MostAllocated':
      return new ResourceAllocationScorer('MostAllocated', mostResourceScorer(resources), resources, false, opts);
    case 'RequestedToCapacityRatio': {
      // v1.34 dereferences the missing parameters and panics; validation only requires them from 1.35.
      if (!s.requestedToCapacityRatio) throw new Error('runtime error: invalid memory address or nil pointer dereference');
      return new ResourceAllocationScorer('RequestedToCapacityRatio', requestedToCapacityRatioScorer(resources, s.requestedToCapacityRatio.shape ?? []), resources, false, opts);
    }
    default:
      throw new Error(`scoring strategy ${s.type} is not supported`);
  }
}

function asPod(obj: unknown): Pod | null | undefined {
  if (obj === undefined || obj === null) return null;
  const o = obj as Partial<Pod>;
  if (typeof obj !== 'object' || !o.spec || !o.metadata || (o.kind !== undefined && o.kind !== 'Pod')) return undefined;
  return obj as Pod;
}

function asNode(obj: unknown): Node | null | undefined {
  if (obj === undefined || obj === null) return null;
  const o = obj as Partial<Node>;
  if (typeof obj !== 'object' || !o.metadata || (o.kind !== undefined && o.kind !== 'Node')) return undefined;
  return obj as Node;
}

function nodeInfoOf(node: Node): NodeInfo {
  const ni = new NodeInfo();
  ni.setNode(node);
  return ni;
}

/** Whether the pod would fit on the node if it were empty. Upstream: fit.go (isFit) */
export function isFit(pod: Pod, node: Node | null | undefined, opts: ResourceRequestsOptions = defaultRequestOptions()): boolean {
  if (!node) return false;
  return fits(pod, nodeInfoOf(node), opts).length === 0;
}

/** Whether the node update raised the allowed pod count or the allocatable of a resource the pod requests. */
// Upstream: fit.go (haveAnyRequestedResourcesIncreased)
export function haveAnyRequestedResourcesIncreased(pod: Pod, originalNode: Node, modifiedNode: Node, opts: ResourceRequestsOptions = defaultRequestOptions()): boolean {
  const req = computePodResourceRequest(pod, opts).resource;
  const before = nodeInfoOf(originalNode).allocatable;
  const after = nodeInfoOf(modifiedNode).allocatable;
  if (after.allowedPodNumber > before.allowedPodNumber) return true;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && req.scalarResources.size === 0) return false;
  if ((req.milliCPU > 0 && after.milliCPU > before.milliCPU) || (req.memory > 0 && after.memory > before.memory)
    || (req.ephemeralStorage > 0 && after.ephemeralStorage > before.ephemeralStorage)) {
    return true;
  }
  for (const [name, quantity] of req.scalarResources) {
    if (quantity === 0) continue;
    if ((after.scalarResources.get(name) ?? 0) > (before.scalarResources.get(name) ?? 0)) return true;
  }
  return false;
}

export class Fit implements Plugin {
  readonly name = FitName;
  readonly ignoredResources: ReadonlySet<string>;
  readonly ignoredResourceGroups: ReadonlySet<string>;
  readonly features: Features;
  readonly handle: Handle | undefined;
  readonly scorer: ResourceAllocationScorer;

  constructor(args: NodeResourcesFitArgs, handle: Handle | undefined, features: Features) {
    this.ignoredResources = new Set(args.ignoredResources ?? []);
    this.ignoredResourceGroups = new Set(args.ignoredResourceGroups ?? []);
    this.features = features;
    this.handle = handle;
    this.scorer = scorerFor(args, args.scoringStrategy?.resources ?? [], this.#opts());
  }

  #opts(): ResourceRequestsOptions {
    return { enablePodLevelResources: this.features.enablePodLevelResources };
  }

  // Upstream: fit.go (Fit.PreFilter)
  preFilter(state: CycleState, pod: Pod): [PreFilterResult | null, MaybeStatus] {
    if (!this.features.enableSidecarContainers && (pod.spec.initContainers ?? []).some((c) => c.restartPolicy === 'Always')) {
      return [null, newStatus('UnschedulableAndUnresolvable', 'Pod has a restartable init container and the SidecarContainers feature is disabled')];
    }
    state.write(preFilterStateKey, computePodResourceRequest(pod, this.#opts()));
    return [null, null];
  }

  preFilterExtensions(): null {
    return null;
  }

  // Upstream: fit.go (Fit.Filter)
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const s = state.tryRead<PreFilterState>(preFilterStateKey);
    if (!s) return asStatus(new Error(`error reading "${preFilterStateKey}" from cycleState: not found`));
    const insufficientResources = fitsRequest(s.resource, nodeInfo, this.ignoredResources, this.ignoredResourceGroups);
    if (insufficientResources.length === 0) return null;
    const code: Code = insufficientResources.some((r) => r.unresolvable) ? 'UnschedulableAndUnresolvable' : 'Unschedulable';
    return newStatus(code, ...insufficientResources.map((r) => r.reason));
  }

  // Upstream: fit.go (Fit.PreScore)
  preScore(state: CycleState, pod: Pod): MaybeStatus {
    const podRequests = this.scorer.calculatePodResourceRequestList(pod);
    const s: PreScoreState = { podRequests, clone: () => s };
    state.write(preScoreStateKey, s);
    return null;
  }

  // Upstream: fit.go (Fit.Score)
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): [number, Status | null] {
    const s = state.tryRead<PreScoreState>(preScoreStateKey);
    const podRequests = s ? s.podRequests : this.scorer.calculatePodResourceRequestList(pod);
    return this.scorer.score(nodeInfo, podRequests);
  }

  scoreExtensions(): null {
    return null;
  }

  /**
   * Pod deletes (and scale-downs, with in-place resize) free room; node adds and allocatable
   * growth add it. Without queueing hints (GA in v1.34, so always on there) the node taint and
   * label updates are registered too, as the pre-check could otherwise drop a Node/Add.
   */
  // Upstream: fit.go (Fit.EventsToRegister)
  eventsToRegister(): ClusterEventWithHint[] {
    let podActionType: number = ActionType.Delete;
    if (this.features.enableInPlacePodVerticalScaling) podActionType |= ActionType.UpdatePodScaleDown;
    let nodeActionType: number = ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel;
    if (this.features.enableSchedulingQueueHint) nodeActionType = ActionType.Add | ActionType.UpdateNodeAllocatable;
    return [
      { event: { resource: 'Pod', actionType: podActionType }, queueingHintFn: (pod, o, n) => this.isSchedulableAfterPodEvent(pod, o, n) },
      { event: { resource: 'Node', actionType: nodeActionType }, queueingHintFn: (pod, o, n) => this.isSchedulableAfterNodeChange(pod, o, n) },
    ];
  }

  /** A wrong object type queues the pod, as upstream's error return does. */
  // Upstream: fit.go (Fit.isSchedulableAfterPodEvent)
  isSchedulableAfterPodEvent(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    const original = asPod(oldObj);
    const modified = asPod(newObj);
    if (original === undefined || modified === undefined) return 'Queue';
    if (modified === null) {
      if (!original) return 'Queue';
      // An unscheduled, unnominated pod held no room.
      if (!original.spec.nodeName && !original.status?.nominatedNodeName) return 'QueueSkip';
      return 'Queue';
    }
    if (!this.features.enableInPlacePodVerticalScaling) return 'QueueSkip';
    if (!original || !this.#isSchedulableAfterPodScaleDown(pod, original, modified)) return 'QueueSkip';
    return 'Queue';
  }

  // Upstream: fit.go (Fit.isSchedulableAfterPodScaleDown)
  #isSchedulableAfterPodScaleDown(targetPod: Pod, originalPod: Pod, modifiedPod: Pod): boolean {
    if ((modifiedPod.metadata.uid ?? '') === (targetPod.metadata.uid ?? '')) return true;
    if (!modifiedPod.spec.nodeName) return false;
    const before = resourceOfRequests(podRequestAmounts(originalPod, this.#opts()));
    const after = resourceOfRequests(podRequestAmounts(modifiedPod, this.#opts()));
    for (const [name, value] of podRequestAmounts(targetPod, this.#opts())) {
      if (value === 0) continue;
      switch (name) {
        case 'cpu': if (before.milliCPU > after.milliCPU) return true; break;
        case 'memory': if (before.memory > after.memory) return true; break;
        case 'ephemeral-storage': if (before.ephemeralStorage > after.ephemeralStorage) return true; break;
        default:
          if ((before.scalarResources.get(name) ?? 0) > (after.scalarResources.get(name) ?? 0)) return true;
      }
    }
    return false;
  }

  // Upstream: fit.go (Fit.isSchedulableAfterNodeChange)
  isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    const original = asNode(oldObj);
    const modified = asNode(newObj);
    if (original === undefined || modified === undefined) return 'Queue';
    if (!isFit(pod, modified, this.#opts())) return 'QueueSkip';
    if (original === null) return 'Queue';
    if (!haveAnyRequestedResourcesIncreased(pod, original, modified!, this.#opts())) return 'QueueSkip';
    return 'Queue';
  }
}

/**
 * Go: `NewFit`. Fields left undefined get the v1 defaults (the config layer has already
 * defaulted them); explicit values, even an empty resource list or a zero weight, are validated
 * as given. Throws the aggregated field errors for bad args.
 */
export function newFit(args: unknown, handle?: Handle, features: Features = defaultFeatures()): Fit {
  const given = (args ?? {}) as NodeResourcesFitArgs;
  const a: NodeResourcesFitArgs = { ...given };
  if (!a.scoringStrategy) a.scoringStrategy = defaultNodeResourcesFitArgs().scoringStrategy;
  else if (a.scoringStrategy.resources === undefined) a.scoringStrategy = { ...a.scoringStrategy, resources: defaultNodeResourcesFitArgs().scoringStrategy!.resources };
  a.scoringStrategy = { ...a.scoringStrategy, resources: a.scoringStrategy!.resources!.map((r) => (r.weight === undefined ? { ...r, weight: 1 } : r)) };
  const err = toAggregate(validateNodeResourcesFitArgs(null, a));
  if (err) throw err;
  return new Fit(a, handle, features);
}
