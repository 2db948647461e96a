export { Name, ErrReasonPod, NodeAffinity, errReasonConflict, errReasonEnforced, newNodeAffinity } from './node_affinity';
export { defaultNodeAffinityArgs, validateNodeAffinityArgs, type NodeAffinityArgs } from './args';
