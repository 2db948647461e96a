export { FakeClock, type Timer } from './clock';
export { EventLoop } from './loop';
export { MinHeap } from './heap';
export { Rng, rngFromSeed, rngFromState, type RngState } from './rng';
export { TraceRecorder, describe, type TraceEvent, type TraceListener, type JsonValue } from './trace';
// Host hooks (useEnv, setActiveTrace, the quiescence barrier) live in src/sim/runtime.ts, not here.
export {
  newEnv,
  resolveEnv,
  activeTrace,
  activeLogger,
  setLogVerbosity,
  logVerbosity,
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
export { formatMs, formatDuration } from './format';
export { sha256, hmacSha256, hexEncode } from './sha256';
export { Replayer, replayOnce, type Reducer, type ReplayerOptions } from './replay';
export { settle, runUntilIdle, runUntilSettled, type RunOptions } from './drive';
export { StatusError, UsageError } from './errors';
export { deepCopy, metaOf, type KubeObject, type ObjectMeta, type OwnerReference } from './object';
export { DEFAULT_LOG_VERBOSITY, Logger, formatLogLine, isLogEvent, type LogLevel } from './log';
