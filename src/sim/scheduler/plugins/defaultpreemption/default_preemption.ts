/**
 * DefaultPreemption: when no node fits, find a node where removing lower-priority pods makes
 * room, delete them and nominate the node. pkg/scheduler/framework/plugins/defaultpreemption/
 * default_preemption.go at v1.34 (New, PostFilter, PreEnqueue, EventsToRegister,
 * calculateNumCandidates, GetOffsetAndNumCandidates, CandidatesToVictimsMap, SelectVictimsOnNode,
 * PodEligibleToPreemptOthers, OrderedScoreFuncs, isPreemptionAllowed, podTerminatingByPreemption).
 */
import type { Pod } from '../../../api/core/v1';
import type { PodDisruptionBudget } from '../../../api/policy/v1';
import { toAggregate } from '../../../apimachinery/field';
import type { CycleState } from '../../framework/cycle_state';
import { ActionType, type ClusterEventWithHint } from '../../framework/events';
import type { NodeToStatusReader, Plugin, PostFilterResult } from '../../framework/interface';
import { Evaluator, moreImportantPod, podPriority, sortSlice, type Candidate, type PreemptionHandle, type PreemptionInterface, type Victims } from '../../framework/preemption';
import { asError, asStatus, isSuccess, newStatus, type MaybeStatus } from '../../framework/status';
import type { NodeInfo, PodInfo } from '../../framework/types';
import { defaultDefaultPreemptionArgs, validateDefaultPreemptionArgs, type DefaultPreemptionArgs } from './args';
import { filterPodsWithPDBViolation } from './pdb';

export const Name = 'DefaultPreemption';

/** Whether a lower-priority victim may be preempted by the preemptor, beyond the priority rule (Go: `IsEligiblePodFunc`). */
export type IsEligiblePodFunc = (nodeInfo: NodeInfo, victim: PodInfo, preemptor: Pod) => boolean;
/** Whether pod1 is more important than pod2, so pod2 is preempted first (Go: `MoreImportantPodFunc`). */
export type MoreImportantPodFunc = (pod1: Pod, pod2: Pod) => boolean;

/** The feature gates the plugin reads, at their v1.34 defaults (pkg/features/kube_features.go). */
export interface Features {
  /** SchedulerAsyncPreemption: beta and on since v1.33. */
  enableAsyncPreemption: boolean;
}

export function defaultFeatures(): Features {
  return { enableAsyncPreemption: true };
}

export class DefaultPreemption implements Plugin, PreemptionInterface {
  readonly name = Name;
  readonly handle: PreemptionHandle;
  readonly args: Required<DefaultPreemptionArgs>;
  readonly features: Features;
  readonly evaluator: Evaluator;
  /** Default: every lower-priority pod is eligible. */
  isEligiblePod: IsEligiblePodFunc = () => true;
  /** Default: higher priority, then earlier start, is more important. */
  moreImportantPod: MoreImportantPodFunc = moreImportantPod;

  constructor(args: Required<DefaultPreemptionArgs>, handle: PreemptionHandle, features: Features) {
    this.args = args;
    this.handle = handle;
    this.features = features;
    this.evaluator = new Evaluator(Name, handle, this, features.enableAsyncPreemption);
  }

  /** Messages get upstream's "preemption: " prefix. Upstream: default_preemption.go (PostFilter) */
  postFilter(state: CycleState, pod: Pod, m: NodeToStatusReader): [PostFilterResult | null, MaybeStatus] {
    const [result, status] = this.evaluator.preempt(state, pod, m);
    const msg = status.message();
    if (msg.length > 0) return [result, newStatus(status.code, `preemption: ${msg}`)];
    return [result, status];
  }

  /** Holds a preemptor back while its victims are still being deleted. Upstream: default_preemption.go (PreEnqueue) */
  preEnqueue(pod: Pod): MaybeStatus {
    if (!this.features.enableAsyncPreemption) return null;
    if (this.evaluator.isPodRunningPreemption(pod.metadata.uid)) {
      return newStatus('UnschedulableAndUnresolvable', 'waiting for the preemption for this pod to be finished');
    }
    return null;
  }

  /**
   * Pod deletions un-gate a held-back preemptor; the hint always skips, leaving the requeue to
   * the plugins whose failure the preemption resolves. Upstream: default_preemption.go
   * (EventsToRegister, isPodSchedulableAfterPodDeletion)
   */
  eventsToRegister(): ClusterEventWithHint[] {
    if (!this.features.enableAsyncPreemption) return [];
    return [{ event: { resource: 'Pod', actionType: ActionType.Delete }, queueingHintFn: () => 'QueueSkip' }];
  }

  /** max(numNodes * percentage / 100, absolute), capped at numNodes (int32 division). Upstream: default_preemption.go (calculateNumCandidates) */
  calculateNumCandidates(numNodes: number): number {
    let n = Math.trunc((numNodes * this.args.minCandidateNodesPercentage) / 100);
    if (n < this.args.minCandidateNodesAbsolute) n = this.args.minCandidateNodesAbsolute;
    if (n > numNodes) n = numNodes;
    return n;
  }

  /** A random offset from the scheduler's seeded rng (Go: rand.Int31n). Upstream: default_preemption.go (GetOffsetAndNumCandidates) */
  getOffsetAndNumCandidates(numNodes: number): [number, number] {
    return [this.handle.rng().int(numNodes), this.calculateNumCandidates(numNodes)];
  }

  /** Upstream: default_preemption.go (CandidatesToVictimsMap) */
  candidatesToVictimsMap(candidates: Candidate[]): Map<string, Victims> {
    const m = new Map<string, Victims>();
    for (const c of candidates) m.set(c.name, c.victims);
    return m;
  }

  /** Upstream: default_preemption.go (OrderedScoreFuncs): the default criteria. */
  orderedScoreFuncs(): null {
    return null;
  }

  /** Upstream: default_preemption.go (isPreemptionAllowed) */
  isPreemptionAllowed(nodeInfo: NodeInfo, victim: PodInfo, preemptor: Pod): boolean {
    return podPriority(victim.pod) < podPriority(preemptor) && this.isEligiblePod(nodeInfo, victim, preemptor);
  }

  /**
   * Not eligible: preemptionPolicy Never, or a victim of an earlier preemption still terminating
   * on the nominated node (unless filters now call that node unresolvable).
   * Upstream: default_preemption.go (PodEligibleToPreemptOthers)
   */
  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: MaybeStatus): [boolean, string] {
    if (pod.spec.preemptionPolicy === 'Never') return [false, 'not eligible due to preemptionPolicy=Never.'];
    const nomNodeName = pod.status?.nominatedNodeName ?? '';
    if (nomNodeName.length > 0) {
      if (nominatedNodeStatus?.code === 'UnschedulableAndUnresolvable') return [true, ''];
      let nodeInfo: NodeInfo | null = null;
      try {
        nodeInfo = this.handle.snapshotSharedLister().nodeInfos().get(nomNodeName);
      } catch {
        nodeInfo = null;
      }
      if (nodeInfo) {
        for (const p of nodeInfo.pods) {
          if (this.isPreemptionAllowed(nodeInfo, p, pod) && podTerminatingByPreemption(p.pod)) {
            return [false, 'not eligible due to a terminating pod on the nominated node.'];
          }
        }
      }
    }
    return [true, ''];
  }

  /**
   * Removes every eligible pod; if the preemptor then fits, adds them back most important first
   * (PDB-violating ones before the others) while it still fits. What cannot come back are the
   * victims, most important first. Upstream: default_preemption.go (SelectVictimsOnNode)
   */
  selectVictimsOnNode(state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: PodDisruptionBudget[]): [Pod[], number, MaybeStatus] {
    const h = this.handle;
    const removePod = (pi: PodInfo): void => {
      nodeInfo.removePod(pi.pod);
      const s = h.runPreFilterExtensionRemovePod?.(state, pod, pi, nodeInfo);
      if (!isSuccess(s)) throw asError(s)!;
    };
    const addPod = (pi: PodInfo): void => {
      nodeInfo.addPodInfo(pi);
      const s = h.runPreFilterExtensionAddPod?.(state, pod, pi, nodeInfo);
      if (!isSuccess(s)) throw asError(s)!;
    };
    const runFilters = (): MaybeStatus => {
      if (!h.runFilterPluginsWithNominatedPods) throw new Error('the handle cannot run Filter plugins (build the plugin through a Framework)');
      return h.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
    };
    try {
      const potentialVictims = nodeInfo.pods.filter((pi) => this.isPreemptionAllowed(nodeInfo, pi, pod));
      for (const pi of potentialVictims) removePod(pi);
      // The node did not change: no need to run the filters again.
      if (potentialVictims.length === 0) return [[], 0, newStatus('UnschedulableAndUnresolvable', 'No preemption victims found for incoming pod')];
      // Affinity of the preemptor to a victim is not considered (too costly, and not recommended).
      const s = runFilters();
      if (!isSuccess(s)) return [[], 0, s];

      const byImportance = (a: PodInfo, b: PodInfo): boolean => this.moreImportantPod(a.pod, b.pod);
      sortSlice(potentialVictims, byImportance);
      const [violating, nonViolating] = filterPodsWithPDBViolation(potentialVictims, pdbs);
      const victims: PodInfo[] = [];
      const reprieve = (pi: PodInfo): boolean => {
        addPod(pi);
        const fits = isSuccess(runFilters());
        if (!fits) {
          removePod(pi);
          victims.push(pi);
        }
        return fits;
      };
      let numViolatingVictim = 0;
      for (const pi of violating) if (!reprieve(pi)) numViolatingVictim++;
      for (const pi of nonViolating) reprieve(pi);
      // Violating victims came first: restore the order of importance.
      if (violating.length !== 0 && nonViolating.length !== 0) sortSlice(victims, byImportance);
      return [victims.map((pi) => pi.pod), numViolatingVictim, newStatus('Success')];
    } catch (e) {
      return [[], 0, asStatus(e)];
    }
  }
}

/** A pod being deleted because the scheduler preempted it. Upstream: default_preemption.go (podTerminatingByPreemption) */
export function podTerminatingByPreemption(p: Pod): boolean {
  if (!p.metadata.deletionTimestamp) return false;
  const c = (p.status?.conditions ?? []).find((cond) => cond.type === 'DisruptionTarget');
  return !!c && c.status === 'True' && c.reason === 'PreemptionByScheduler';
}

/**
 * Go: `New`. Omitted fields get the v1 defaults; bad args throw the aggregated field errors
 * (upstream validates with a nil path, so the fields print without a prefix).
 */
export function newDefaultPreemption(args: unknown, handle: PreemptionHandle, features: Features = defaultFeatures()): DefaultPreemption {
  const a = defaultDefaultPreemptionArgs((args ?? {}) as DefaultPreemptionArgs);
  const err = toAggregate(validateDefaultPreemptionArgs(null, a));
  if (err) throw err;
  return new DefaultPreemption(a, handle, features);
}
