/**
 * NodeResourcesFit: pkg/scheduler/framework/plugins/noderesources/fit.go at v1.34. PreFilter
 * sums the pod's requests into the cycle state; Filter rejects a node whose allocatable cannot
 * hold them beside what its pods already request (and one pod more); Score ranks nodes with the
 * configured strategy. Not modelled: DRA-backed extended resources (DRAExtendedResource, alpha
 * and off in v1.34) and status-reported container resources of running pods.
 */
import type { Pod } from '../../../api/core/v1';
import { toAggregate } from '../../../apimachinery/field';
import type { CycleState } from '../../framework/cycle_state';
import type { ClusterEventWithHint, QueueingHint } from '../../framework/events';
import type { Handle, Plugin, PreFilterResult } from '../../framework/interface';
import { asStatus, newStatus, type Code, type MaybeStatus, type Status } from '../../framework/status';
import type { NodeInfo } from '../../framework/types';
import { defaultNodeResourcesFitArgs, validateNodeResourcesFitArgs, type NodeResourcesFitArgs, type ResourceSpec } from './args';
import { defaultFeatures, type Features } from './features';
import { fitEvents, isSchedulableAfterNodeChange, isSchedulableAfterPodEvent } from './fit_events';
import { computePodResourceRequest, fitsRequest, type PreFilterState } from './fits';
import { leastResourceScorer } from './least_allocated';
import { mostResourceScorer } from './most_allocated';
import type { ResourceRequestsOptions } from './requests';
import { requestedToCapacityRatioScorer } from './requested_to_capacity_ratio';
import { ResourceAllocationScorer } from './resource_allocation';

/** Go: `names.NodeResourcesFit`. */
export const FitName = 'NodeResourcesFit';
const preFilterStateKey = 'PreFilter' + FitName;
const preScoreStateKey = 'PreScore' + FitName;

/** The pod's requests in the order of the scored resources (Go: `preScoreState`). */
interface PreScoreState {
  podRequests: number[];
  clone(): PreScoreState;
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

  // Upstream: fit.go (Fit.EventsToRegister)
  eventsToRegister(): ClusterEventWithHint[] {
    return fitEvents(this.features);
  }

  isSchedulableAfterPodEvent(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    return isSchedulableAfterPodEvent(this.features, pod, oldObj, newObj);
  }

  isSchedulableAfterNodeChange(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
    return isSchedulableAfterNodeChange(this.features, pod, oldObj, newObj);
  }
}

/**
 * Go: `NewFit`. Fields left undefined get the v1 defaults (the config layer has already
 * defaulted them); explicit values, even an empty resource list or a zero weight, are validated
 * as given. Throws the aggregated field errors for bad args.
 */
export function newFit(args: unknown, handle?: Handle, features: Features = defaultFeatures()): Fit {
  const given = (args ?? {}) as NodeResourcesFitArgs;
  const defaults = defaultNodeResourcesFitArgs().scoringStrategy!;
  const strategy = given.scoringStrategy ?? defaults;
  const resources = (strategy.resources ?? defaults.resources!).map((r) => (r.weight === undefined ? { ...r, weight: 1 } : r));
  const a: NodeResourcesFitArgs = { ...given, scoringStrategy: { ...strategy, resources } };
  const err = toAggregate(validateNodeResourcesFitArgs(null, a));
  if (err) throw err;
  return new Fit(a, handle, features);
}
