/**
 * The node twin of the browser's LabClient: the same client (budget, kill, fresh worker), over
 * a worker_threads Worker running node/worker.ts. Used by `npm run lab` and the runner tests.
 */
import { Worker } from 'node:worker_threads';
import { createLabClient, type LabClient, type RunnerPort } from '../client';
import type { RunnerMessage } from '../protocol';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** A worker thread running the host, as a RunnerPort. */
export function nodeRunner(): RunnerPort {
  const worker = new Worker(ENTRY, { stdout: false, stderr: false });
  let terminated = false;
  const errorListeners: Array<(message: string) => void> = [];
  worker.on('error', (e) => errorListeners.forEach((fn) => fn(e instanceof Error ? e.message : String(e))));
  worker.on('exit', (code) => {
    if (!terminated) errorListeners.forEach((fn) => fn(`the worker thread exited (code ${code})`));
  });
  return {
    postMessage: (m) => worker.postMessage(m),
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
    onMessage: (fn) => worker.on('message', (m: RunnerMessage) => fn(m)),
    onError: (fn) => errorListeners.push(fn),
  };
}

export function createNodeLabClient(): LabClient {
  return createLabClient(nodeRunner);
}
