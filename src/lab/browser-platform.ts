/**
 * The browser side of the host: `unhandledrejection` and `error` events on the worker's global
 * scope are captured and reported to the learner.
 */
import type { HostPlatform } from './platform';

export function browserPlatform(): HostPlatform {
  return {
    captureGlobalErrors(handlers) {
      const onRejection = (e: PromiseRejectionEvent) => {
        e.preventDefault();
        handlers.rejection(e.reason);
      };
      const onError = (e: ErrorEvent) => {
        e.preventDefault();
        handlers.uncaught(e.error ?? e.message);
      };
      self.addEventListener('unhandledrejection', onRejection);
      self.addEventListener('error', onError);
      return () => {
        self.removeEventListener('unhandledrejection', onRejection);
        self.removeEventListener('error', onError);
      };
    },
  };
}
