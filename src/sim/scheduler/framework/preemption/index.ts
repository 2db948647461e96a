/** The preemption algorithm plugins share (pkg/scheduler/framework/preemption). */
export { Evaluator, newPostFilterResultWithNominatedNode } from './preemption';
export { CandidateList, type Candidate, type Victims } from './candidate';
export { pickOneNodeForPreemption, defaultScoreFuncs, type NodeScoreFunc } from './pick_node';
export { moreImportantPod, podPriority, podStartTime, earliestPodStartTime, sortSlice, MaxInt64 } from './pod_util';
export type { PreemptionInterface, PreemptionExtender, PreemptionHandle, PreemptionReason } from './types';
export { copyNodeInfo } from './node_copy';
