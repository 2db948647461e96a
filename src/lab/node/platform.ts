/**
 * The node side of the host: process-level rejection and exception listeners are swapped for
 * ours during a run so the learner's mistakes are reported, not fatal.
 */
import type { HostPlatform } from '../platform';

export function nodePlatform(): HostPlatform {
  return {
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
