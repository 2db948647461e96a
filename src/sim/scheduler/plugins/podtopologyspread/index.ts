export { Name, ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch } from './filtering';
export { PodTopologySpread, newPodTopologySpread, systemDefaultConstraints } from './plugin';
export { defaultPodTopologySpreadArgs, validatePodTopologySpreadArgs, type PodTopologySpreadArgs } from './args';
export type { SpreadListers, Service, ReplicationController, ReplicaSet, StatefulSet } from './default_selector';
