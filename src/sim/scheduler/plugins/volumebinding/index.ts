export { Name, VolumeBinding, newVolumeBinding, type StateData } from './volume_binding';
export { defaultVolumeBindingArgs, validateVolumeBindingArgs, type VolumeBindingArgs, type UtilizationShapePoint } from './args';
export {
  ErrReasonBindConflict, ErrReasonNodeConflict, ErrReasonNotEnoughSpace, ErrReasonPVNotExist, AnnBindCompleted, AnnSelectedNode, NotSupportedProvisioner,
  findMatchingVolume, checkNodeAffinity,
} from './binder';
