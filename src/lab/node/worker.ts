/**
 * The node worker thread that runs learner code for the CLI (and the node runner's tests):
 * the same host as the browser's worker, over the node platform, locked down the same way
 * (runner-init.ts). Posts `ready`, then runs one RunRequest (the client gives every run a thread
 * of its own). Started through worker-entry.mjs, which registers tsx first.
 */
import '../runner-init';
import { parentPort } from 'node:worker_threads';
import { createSimHost } from '../host';
import { lockdownMs } from '../sandbox';
import type { RunnerMessage, RunRequest } from '../protocol';
import { loadLabChecks } from './labs';
import { nodePlatform } from './platform';

const port = parentPort;
if (!port) throw new Error('src/lab/node/worker.ts must run in a worker thread');

// Outside a run (the host swaps in its own listeners during one), a late rejection from
// learner code must not crash the thread.
process.on('unhandledRejection', () => {});

const host = createSimHost({ platform: nodePlatform(), loadLab: (id) => loadLabChecks(id) });
const post = (m: RunnerMessage) => port.postMessage(m);

let started = false;
port.on('message', (req: RunRequest) => {
  if (req?.type !== 'run' || started) return;
  started = true;
  void host.run(req, post);
});
post({ type: 'ready', lockdownMs: Math.round(lockdownMs * 100) / 100 });
