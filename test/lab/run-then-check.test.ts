// A learner presses Run, then Check: each check copies the session cluster as the Run left it, so
// every lab with a cluster must pass its checks after a Run of its own solution (the gc labs once
// crashed there: a namespace the Run deleted, a ReplicaSet still being deleted).
import { describe, expect, it } from 'vitest';
import { mountLabCluster, type SessionControllers, type SessionNetwork, type SessionNodes } from '../../src/lab/lab-cluster';
import { labManifests, listLabIds, readLab } from '../../src/lab/node/labs';
import { createShell, type ShellIO } from '../../src/lab/shell/index';
import { runInHost } from './run-host';

const clusterLabs = listLabIds().filter((id) => readLab(id).yaml.cluster !== undefined);

describe('Check after a Run of the solution, on the session the Run changed', () => {
  it('finds the cluster labs', () => expect(clusterLabs.length).toBeGreaterThan(5));
  for (const id of clusterLabs) {
    it(id, async () => {
      const l = readLab(id);
      const spec = l.yaml.cluster as { apply?: string[]; scheduler?: boolean | { config?: string }; network?: SessionNetwork; garbageCollector?: boolean; controllers?: SessionControllers; nodes?: SessionNodes; metrics?: boolean };
      const files = labManifests(l);
      const io: ShellIO = { print: () => {}, error: () => {}, clear: () => {} };
      const seed = l.yaml.seed ?? 1;
      const session = await mountLabCluster({ shell: createShell(), io, seed, files, apply: spec.apply ?? [], scheduler: spec.scheduler, network: spec.network, garbageCollector: spec.garbageCollector, controllers: spec.controllers, nodes: spec.nodes, metrics: spec.metrics });
      const ran = await runInHost(l.solution, { labId: id, mode: 'run', seed, files, cluster: session.log() });
      const back = ran.messages.find((m) => m.type === 'cluster');
      if (back?.type === 'cluster') await session.apply(back.changes, back.clockMs);
      const out = await runInHost(l.solution, { labId: id, mode: 'check', seed, files, cluster: session.log() });
      expect(out.errors.map((e) => e.message)).toEqual([]);
      expect(out.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message ?? ''}`)).toEqual([]);
    }, 60_000);
  }
});
