/**
 * The API errors the Reflector and its pager decide on now live in src/sim/apimachinery/errors.ts
 * (apimachinery pkg/api/errors at v0.34.0); this file re-exports them so cache code keeps its imports.
 */
export {
  asStatusError,
  CauseTypeResourceVersionTooLarge,
  fromObject,
  hasStatusCause,
  isGone,
  isInternalError,
  isResourceExpired,
  isTimeout,
  isTooManyRequests,
  newInternalError,
  newResourceExpired,
  newStatusError,
  newTimeoutError,
  newTooManyRequests,
  statusOf,
  type APIStatusError,
} from '../apimachinery/errors';
