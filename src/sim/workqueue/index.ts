/**
 * The workqueue model (client-go util/workqueue at v0.34.0): the public names.
 * See README.md in this folder for the upstream files, the Go -> TS names and the divergences.
 */
export type {
  AddAfterResult,
  AddResult,
  DelayingQueue,
  GetResult,
  MetricName,
  Queue,
  QueueConfig,
  QueueKind,
  QueueSnapshot,
  RateLimiter,
  RateLimitingQueue,
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
export { replayWorkqueue } from './replay';
export { checkInvariants, assertInvariants, InvariantError, type InvariantCheckOptions } from './invariants';
export { formatWorkqueueEvent, formatWorkqueueTrace } from './format';
