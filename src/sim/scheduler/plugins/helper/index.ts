export { defaultNormalizeScore } from './normalize_score';
export { toleratesTaint, tolerationsTolerateTaint, findMatchingUntoleratedTaint, taintToString, taintKeyValue } from './taints';
export { LazyErrorNodeSelector, PreferredSchedulingTerms, RequiredNodeAffinity, getRequiredNodeAffinity } from './node_affinity';
