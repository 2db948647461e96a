/**
 * The workqueue model (client-go util/workqueue at v0.34.0): the public names.
 * See README.md in this folder for the upstream files, the Go -> TS names and the divergences.
 */
export type {
  AddAfterResult,
  AddResult,
  DelayingQueue,
  DelayingQueueConfig,
  GetResult,
  MetricName,
  Queue,
  QueueConfig,
  QueueKind,
  QueueSnapshot,
  RateLimiter,
  RateLimitingQueue,
  RateLimitingQueueConfig,
  WorkqueueSnapshot,
} from './types';
export { newQueue } from './queue';
export { newDelayingQueue } from './delaying_queue';
export { newRateLimitingQueue } from './rate_limiting_queue';
export {
  INF_DURATION_MS,
  defaultControllerRateLimiter,
  defaultItemBasedRateLimiter,
  newBucketRateLimiter,
  newItemExponentialFailureRateLimiter,
  newItemFastSlowRateLimiter,
  newMaxOfRateLimiter,
  newWithMaxWaitRateLimiter,
} from './default_rate_limiters';
export { replayWorkqueue, newWorkqueueReplayer, workqueueReducer, workqueueSnapshot, type WorkqueueReplayState } from './replay';
export {
  workqueueEvents,
  CLIENT_GO_TAG,
  type WorkqueueEvent,
  type WorkqueueEventMap,
  type WorkqueueEventOf,
  type WorkqueueEventType,
} from './events';
export { checkInvariants, assertInvariants, InvariantError, type InvariantCheckOptions } from './invariants';
export { formatWorkqueueEvent, formatWorkqueueTrace } from './format';
