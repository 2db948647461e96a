/**
 * The node side of the host: learner modules are `data:` URLs (imported natively by node, or
 * by vitest's module runner in tests); process-level rejection and exception listeners are
 * swapped for ours during a run so the learner's mistakes are reported, not fatal.
 */
import { withSourceUrl, type HostPlatform } from '../platform';

export function nodePlatform(): HostPlatform {
  return {
    moduleUrl(code, file) {
      const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(withSourceUrl(code, file))}`;
      return { url, release: () => {} };
    },
    captureGlobalErrors(handlers) {
      const saved = {
        unhandledRejection: process.listeners('unhandledRejection'),
        uncaughtException: process.listeners('uncaughtException'),
      };
      process.removeAllListeners('unhandledRejection');
      process.removeAllListeners('uncaughtException');
      const onRejection = (reason: unknown) => handlers.rejection(reason);
      const onException = (error: unknown) => handlers.uncaught(error);
      process.on('unhandledRejection', onRejection);
      process.on('uncaughtException', onException);
      return () => {
        process.off('unhandledRejection', onRejection);
        process.off('uncaughtException', onException);
        for (const l of saved.unhandledRejection) process.on('unhandledRejection', l);
        for (const l of saved.uncaughtException) process.on('uncaughtException', l as NodeJS.UncaughtExceptionListener);
      };
    },
  };
}
