export { defaultNormalizeScore } from './normalize_score';
export { toleratesTaint, tolerationsTolerateTaint, findMatchingUntoleratedTaint, taintToString, taintKeyValue } from './taints';
export {
  LazyErrorNodeSelector, NodeSelectorMatcher, PreferredSchedulingTerms, RequiredNodeAffinity, getRequiredNodeAffinity, matchNodeSelectorTerms, newNodeSelector,
} from './node_affinity';
