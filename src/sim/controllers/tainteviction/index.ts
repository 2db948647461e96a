/** The taint eviction controller (kube-controller-manager v1.34): see README.md in this folder. */
export { newTaintEvictionController, TaintEvictionController, getMatchingTolerations, getMinTolerationTime, getNoExecuteTaints, controllerName as taintEvictionControllerName, type TaintEvictionControllerOptions } from './controller';
export { TimedWorkerQueue, keyFromWorkArgs, type TimedWorker, type WorkArgs } from './timed_workers';
export { taintEvictionEvents, type TaintEvictionEventMap, type TaintEvictionTraceEvent } from './events';
