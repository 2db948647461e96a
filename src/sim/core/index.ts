export { FakeClock, type Timer } from './clock';
export { EventLoop } from './loop';
export { MinHeap } from './heap';
export { Rng, rngFromSeed, rngFromState, type RngState } from './rng';
export { TraceRecorder, describe, type TraceEvent, type TraceListener, type JsonValue } from './trace';
export {
  newEnv,
  useEnv,
  resolveEnv,
  activeTrace,
  setActiveTrace,
  activeLogger,
  setLogVerbosity,
  logVerbosity,
  logVisible,
  type SimEnv,
  type EnvOptions,
  type EnvConfig,
} from './env';
export {
  defineEvents,
  EventEmitter,
  type EventMap,
  type EventFields,
  type EventOf,
  type AnyEventOf,
  type EventCatalog,
  type EventSpec,
  type EventSpecs,
  type SourceRef,
  type SourceLink,
  type UpstreamRepo,
} from './events';
export { formatMs } from './format';
export { Replayer, replayOnce, type Reducer, type ReplayerOptions } from './replay';
export { settle, runUntilIdle, type RunOptions } from './drive';
export { quiesce, quiescenceCount, setQuiescenceBarrier, type Barrier } from './quiescence';
export { StatusError, UsageError } from './errors';
export { deepCopy, metaOf, type KubeObject, type ObjectMeta, type OwnerReference } from './object';
export { DEFAULT_LOG_VERBOSITY, Logger, formatLogLine, isLogEvent, type LogLevel } from './log';
