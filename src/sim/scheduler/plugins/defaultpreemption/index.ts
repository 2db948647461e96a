/** DefaultPreemption (pkg/scheduler/framework/plugins/defaultpreemption). */
export { Name, DefaultPreemption, newDefaultPreemption, podTerminatingByPreemption, defaultFeatures, type Features, type IsEligiblePodFunc, type MoreImportantPodFunc } from './default_preemption';
export { defaultDefaultPreemptionArgs, validateDefaultPreemptionArgs, type DefaultPreemptionArgs } from './args';
export { filterPodsWithPDBViolation } from './pdb';
