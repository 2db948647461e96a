/** A lab's cluster (etcd + API server + the log that carries its state); see cluster.ts. */
export { LabCluster, newLabCluster, type ClusterLog, type LabClusterOptions } from './cluster';
export { labCluster } from './ambient';
export { labFile, labFiles, parseManifests } from './files';
export { ControllerManager, CONTROLLER_NAMES, enabledControllers, type ControllerManagerOptions, type ControllerName } from './controller_manager';
export { SimNode, type SimNodeOptions } from './node';
