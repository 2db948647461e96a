export { Name, ErrReasonUnknownCondition, ErrReasonUnschedulable, NodeUnschedulable, TaintNodeUnschedulable, newNodeUnschedulable } from './node_unschedulable';
