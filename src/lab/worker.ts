/// <reference types="vite/client" />
/**
 * The module Web Worker that runs learner code in the browser: a thin adapter over
 * createSimHost(). It locks itself down first (runner-init.ts), posts `ready`, then runs one
 * RunRequest: the client gives every run a worker of its own and terminates it after `done`.
 * Created by client.ts with `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
 * Vite bundles the kubelab API (through host.ts) and every lab's checks (lazily) into it.
 */
import { runnerPostMessage } from './runner-init';
import { createSimHost, type LabChecks } from './host';
import { lockdownMs } from './sandbox';
import { stepChecksFromYaml } from './lab-steps';
import { browserPlatform } from './browser-platform';
import type { RunnerMessage, RunRequest } from './protocol';

const checkModules = import.meta.glob('../../labs/*/checks.ts');
const labFiles = import.meta.glob('../../labs/*/lab.yaml', { query: '?raw', import: 'default' });

async function loadLab(labId: string): Promise<LabChecks | undefined> {
  const checks = checkModules[`../../labs/${labId}/checks.ts`];
  const yaml = labFiles[`../../labs/${labId}/lab.yaml`];
  if (!checks || !yaml) return undefined;
  const [mod, text] = await Promise.all([checks(), yaml()]);
  return { checks: mod as Record<string, unknown>, steps: stepChecksFromYaml(text as string) };
}

/** The worker's global scope (typed here, so this file does not pull the webworker lib into the DOM program). */
const scope = self as unknown as {
  addEventListener(type: 'message', fn: (e: MessageEvent<RunRequest>) => void): void;
};
const host = createSimHost({ platform: browserPlatform(), loadLab });
const post = (m: RunnerMessage) => runnerPostMessage!(m);

let started = false;
scope.addEventListener('message', (e) => {
  // One run per worker: a second request (there is none from the client) is ignored.
  if (e.data?.type !== 'run' || started) return;
  started = true;
  void host.run(e.data, post);
});

post({ type: 'ready', lockdownMs: Math.round(lockdownMs * 100) / 100 });
