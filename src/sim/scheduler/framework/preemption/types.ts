/**
 * What a preemption plugin supplies to the Evaluator, and what the Evaluator needs of its host
 * beyond framework.Handle. Upstream: pkg/scheduler/framework/preemption/preemption.go (Interface)
 * and pkg/scheduler/framework/extender.go (Extender's preemption verbs).
 */
import type { Pod, PodCondition } from '../../../api/core/v1';
import type { PodDisruptionBudget } from '../../../api/policy/v1';
import type { CycleState } from '../cycle_state';
import type { Handle, NodeInfoLister } from '../interface';
import type { MaybeStatus, Status } from '../status';
import type { NodeInfo } from '../types';
import type { Candidate, Victims } from './candidate';
import type { NodeScoreFunc } from './pick_node';

/** Go: `preemption.Interface`. */
export interface PreemptionInterface {
  /** A random offset into the potential nodes and how many candidates to shortlist. */
  getOffsetAndNumCandidates(numNodes: number): [number, number];
  /** Node name -> victims. */
  candidatesToVictimsMap(candidates: Candidate[]): Map<string, Victims>;
  /** Whether the pod may preempt, and the reason when it may not. */
  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: MaybeStatus): [boolean, string];
  /** The fewest pods to remove from the node (a copy) for the pod to fit, and how many of them violate a PDB. */
  selectVictimsOnNode(state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: PodDisruptionBudget[]): [Pod[], number, MaybeStatus];
  /** Score functions that pick among candidates; null for the default criteria. */
  orderedScoreFuncs(nodesToVictims: Map<string, Victims>): NodeScoreFunc[] | null;
}

/** An extender's preemption verb (Go: `Extender.SupportsPreemption`, `IsInterested`, `ProcessPreemption`). */
export interface PreemptionExtender {
  name: string;
  ignorable?: boolean;
  supportsPreemption(): boolean;
  isInterested(pod: Pod): boolean;
  /** The victims the extender accepts per node; throws an Error for a failed call. */
  processPreemption(pod: Pod, victims: Map<string, Victims>, nodeInfos: NodeInfoLister): Map<string, Victims | null>;
}

/** What the victim's deletion carries: upstream's event and the DisruptionTarget condition it patches first. */
export interface PreemptionReason {
  /** The victim's event message: `Preempted by pod <preemptor uid> on node <node>`. */
  message: string;
  /** The event reason, `Preempted`. */
  reason: string;
  /** The condition patched onto the victim before the delete (only when it differs from the one present). */
  condition: PodCondition;
}

/**
 * framework.Handle plus the parts of upstream's Handle the model's interface leaves out:
 * extenders and the pod activator. Both optional: without them there are no preemption
 * extenders and a failed asynchronous preemption is not re-queued at once.
 */
export interface PreemptionHandle extends Handle {
  /** Go: `Handle.Extenders`, the ones that support preemption are asked. */
  preemptionExtenders?(): PreemptionExtender[];
  /** Go: `PodActivator.Activate`. */
  activate?(pods: Pod[]): void;
}

export type { Status };
