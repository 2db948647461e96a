export { Name, ErrReasonAffinityRulesNotMatch, ErrReasonAntiAffinityRulesNotMatch, ErrReasonExistingAntiAffinityRulesNotMatch } from './filtering';
export { InterPodAffinity, newInterPodAffinity } from './plugin';
export { defaultInterPodAffinityArgs, validateInterPodAffinityArgs, DefaultHardPodAffinityWeight, type InterPodAffinityArgs } from './args';
