export { Name, ErrReasonNotMatch, TaintToleration, doNotScheduleTaintsFilter, newTaintToleration } from './taint_toleration';
