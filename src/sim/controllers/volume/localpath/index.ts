/** A local-path dynamic provisioner (kind's default storage, rancher/local-path-provisioner). */
export { newLocalPathProvisioner, LocalPathProvisioner, defaultStorageClass, newLocalPathVolume, volumeDir, LocalPathProvisionerName, LocalPathRoot, DefaultStorageClassName, type LocalPathProvisionerOptions } from './provisioner';
export { localPathEvents, type LocalPathEventMap, type LocalPathTraceEvent } from './events';
