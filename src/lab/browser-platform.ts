/**
 * The browser side of the host: learner modules are Blob URLs imported by the module Web
 * Worker; `unhandledrejection` and `error` events on the worker's global scope are captured.
 */
import { withSourceUrl, type HostPlatform } from './platform';

export function browserPlatform(): HostPlatform {
  return {
    moduleUrl(code, file) {
      const url = URL.createObjectURL(new Blob([withSourceUrl(code, file)], { type: 'text/javascript' }));
      return { url, release: () => URL.revokeObjectURL(url) };
    },
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
