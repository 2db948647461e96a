/**
 * The first module a runner (browser worker, node worker thread) evaluates: it keeps a private
 * reference to the runner's postMessage, then removes the network and worker globals and locks
 * the realm down (sandbox.ts) before the host, the models or any check is loaded.
 */
import { lockdownRunner } from './sandbox';

const scope = globalThis as unknown as { postMessage?: (m: unknown) => void };
/** The worker's postMessage (browser), taken before it is removed from the global scope. */
export const runnerPostMessage: ((m: unknown) => void) | undefined = typeof scope.postMessage === 'function' ? scope.postMessage.bind(globalThis) : undefined;

lockdownRunner(globalThis);
