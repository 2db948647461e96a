import type { RateLimiter } from '../../workqueue/types';

/**
 * Every item waits the same interval, however often it was added: how the HPA queue turns "add"
 * into "reconcile again one sync period from now". Upstream: pkg/controller/podautoscaler/rate_limiters.go
 * (FixedItemIntervalRateLimiter, NewDefaultHPARateLimiter)
 */
export function newFixedItemIntervalRateLimiter<T = string>(intervalMs: number): RateLimiter<T> {
  return {
    when: () => intervalMs,
    numRequeues: () => 1,
    forget: () => {},
  };
}

/** Upstream: rate_limiters.go (NewDefaultHPARateLimiter) */
export const newDefaultHPARateLimiter = <T = string>(intervalMs: number): RateLimiter<T> => newFixedItemIntervalRateLimiter<T>(intervalMs);
