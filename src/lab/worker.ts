/// <reference types="vite/client" />
/**
 * The module Web Worker that runs learner code in the browser: a thin adapter over
 * createSimHost(). It posts `ready`, then runs each RunRequest it receives, one at a time.
 * Created by client.ts with `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
 * Vite bundles the kubelab API (through host.ts) and every lab's checks (lazily) into it.
 */
import { createSimHost, type LabChecks } from './host';
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
  postMessage(m: RunnerMessage): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<RunRequest>) => void): void;
};
const host = createSimHost({ platform: browserPlatform(), loadLab });
const post = (m: RunnerMessage) => scope.postMessage(m);

let queue = Promise.resolve();
scope.addEventListener('message', (e) => {
  if (e.data?.type !== 'run') return;
  queue = queue.then(() => host.run(e.data, post).then(() => undefined));
});

post({ type: 'ready' });
