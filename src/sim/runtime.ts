/**
 * The hooks a host (the lab runtime, tests, a widget) uses to run simulations: installing the
 * ambient environment for code that passes none, the quiescence barrier, and the progress count a
 * watchdog reads. Not part of `kubelab`: learner code never sees these, so it cannot redirect
 * where a check's models record or what the simulation waits on.
 */
export { useEnv, setActiveTrace } from './core/env';
export { setQuiescenceBarrier, quiescenceCount, type Barrier } from './core/quiescence';
export { useLabCluster } from './cluster/ambient';
export { useLabFiles } from './cluster/files';
export { useStopwatch } from './scheduler/stopwatch';
export { useCallScope, type CallScopeHook } from './core/callscope';
