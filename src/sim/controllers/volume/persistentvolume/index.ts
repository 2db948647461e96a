/** The PersistentVolume controller, `persistentvolume-binder` (pkg/controller/volume/persistentvolume, kubernetes v1.34). */
export { newPersistentVolumeBinder, PersistentVolumeBinder, clientsetAPI, type PersistentVolumeBinderOptions } from './controller';
export { PersistentVolumeController, checkVolumeSatisfyClaim, claimKey, events as persistentVolumeEventReasons, type PVControllerAPI, type PVControllerDeps } from './pv_controller';
export { findBestMatchForClaim, findMatchingVolume, allPossibleMatchingAccessModes } from './volume_index';
export * from './helpers';
export { persistentVolumeEvents, type PersistentVolumeEventMap, type PersistentVolumeTraceEvent } from './events';
