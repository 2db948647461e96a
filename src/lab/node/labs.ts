/**
 * Labs on disk, for node (the CLI, its worker thread and tests): list the lab ids, read a lab's
 * files, and load its checks for the host. The browser worker finds the same files with
 * `import.meta.glob` instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import type { LabChecks } from '../host';
import type { ClusterLog } from '../../sim/index';
import { initialClusterLog, type SessionControllers, type SessionNetwork, type SessionNodes } from '../lab-cluster';

/** The repository's `labs/` folder. */
export const LABS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../labs');

/** Ids of every lab (folders of labs/ holding a lab.yaml), sorted. */
export function listLabIds(labsDir = LABS_DIR): string[] {
  if (!existsSync(labsDir)) return [];
  return readdirSync(labsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(labsDir, d.name, 'lab.yaml')))
    .map((d) => d.name)
    .sort();
}

export interface LabFiles {
  id: string;
  dir: string;
  /** lab.yaml parsed but not validated (see src/lab/schema.ts for the shape). */
  yaml: Record<string, unknown> & { seed?: number; steps?: Array<{ check?: string }>; files?: Record<string, string> };
  starter: string;
  solution: string;
  checksPath: string;
}

export function readLab(id: string, labsDir = LABS_DIR): LabFiles {
  const dir = join(labsDir, id);
  const yaml = load(readFileSync(join(dir, 'lab.yaml'), 'utf8')) as LabFiles['yaml'];
  const files = { starter: 'starter.ts', solution: 'solution.ts', checks: 'checks.ts', ...(yaml.files ?? {}) };
  return {
    id,
    dir,
    yaml,
    starter: readFileSync(join(dir, files.starter), 'utf8'),
    solution: readFileSync(join(dir, files.solution), 'utf8'),
    checksPath: join(dir, files.checks),
  };
}

/** The host's `loadLab` for node: imports labs/<id>/checks.ts directly. */
export async function loadLabChecks(labId: string, labsDir = LABS_DIR): Promise<LabChecks | undefined> {
  if (!listLabIds(labsDir).includes(labId)) return undefined;
  const lab = readLab(labId, labsDir);
  const checks = (await import(/* @vite-ignore */ pathToFileURL(lab.checksPath).href)) as Record<string, unknown>;
  return { checks, steps: lab.yaml.steps ?? [] };
}

/** The state a lab's session starts from (lab.yaml `cluster`), or undefined for a lab without a cluster. */
export async function labClusterLog(lab: LabFiles, seed: number): Promise<ClusterLog | undefined> {
  const spec = lab.yaml.cluster as { apply?: string[]; scheduler?: boolean | { config?: string }; network?: SessionNetwork; garbageCollector?: boolean; controllers?: SessionControllers; nodes?: SessionNodes; metrics?: boolean } | undefined;
  if (!spec) return undefined;
  return initialClusterLog({ seed, files: labManifests(lab), apply: spec.apply ?? [], scheduler: spec.scheduler, network: spec.network, garbageCollector: spec.garbageCollector, controllers: spec.controllers, nodes: spec.nodes, metrics: spec.metrics });
}

/** The lab's manifests as the page shows them in tabs: every *.yaml / *.yml in its folder but lab.yaml. */
export function labManifests(lab: LabFiles): Record<string, string> {
  return Object.fromEntries(
    readdirSync(lab.dir)
      .filter((name) => /\.ya?ml$/.test(name) && name !== 'lab.yaml')
      .sort()
      .map((name) => [name, readFileSync(join(lab.dir, name), 'utf8')]),
  );
}
