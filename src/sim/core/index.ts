export { FakeClock, type Timer } from './clock';
export { EventLoop } from './loop';
export { MinHeap } from './heap';
export { Rng, rngFromSeed, rngFromState, type RngState } from './rng';
export {
  TraceRecorder,
  activeTrace,
  setActiveTrace,
  describe,
  type TraceEvent,
  type TraceListener,
  type JsonValue,
} from './trace';
export { settle, runUntilIdle, type RunOptions } from './drive';
export { StatusError, UsageError } from './errors';
export { deepCopy, metaOf, type KubeObject, type ObjectMeta, type OwnerReference } from './object';
export { DEFAULT_LOG_VERBOSITY, formatLogLine, isLogEvent, logVerbosity, logVisible, setLogVerbosity, type LogLevel } from './log';
