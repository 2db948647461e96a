// The DaemonSet history's invariants over random sequences of template changes, rollbacks among
// them, and history limits (pkg/controller/daemon/update.go constructHistory + cleanupHistory):
// once the controller has settled, exactly one revision holds the current template and it has the
// highest number, numbers are unique, every pod carries its hash, and no more than
// revisionHistoryLimit old revisions remain (no pod keeps an old one alive after a rolling update).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/object';
import type { ControllerRevision } from '../history';
import { match } from './history';
import { newDaemonSet, newNode, setup } from './testing';

const IMAGES = ['app:1', 'app:2', 'app:3'];

async function play(seed: number, limit: number, images: number[]): Promise<string[]> {
  const h = await setup([newNode('a'), newNode('b')], seed);
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await h.run();
      await h.makeReady();
    }
    await h.run();
  };
  const ds = newDaemonSet('foo', { revisionHistoryLimit: limit, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
  ds.spec.template.spec.containers[0].image = IMAGES[0];
  await h.dss.create(ds as unknown as KubeObject);
  await settle();
  for (const i of images) {
    await h.updateDs('foo', (d) => void (d.spec.template.spec.containers[0].image = IMAGES[i]));
    await settle();
  }
  const cur = await h.getDs('foo');
  const revs = (await h.cs.appsV1().controllerRevisions('default').list()).items as unknown as ControllerRevision[];
  const broken: string[] = [];
  const current = revs.filter((r) => match(cur, r));
  if (current.length !== 1) broken.push(`${current.length} revisions hold the current template`);
  const top = Math.max(...revs.map((r) => r.revision));
  if (current[0] && current[0].revision !== top) broken.push(`the current revision is ${current[0].revision}, the highest ${top}`);
  if (new Set(revs.map((r) => r.revision)).size !== revs.length) broken.push(`revision numbers repeat: ${revs.map((r) => r.revision)}`);
  if (revs.length - 1 > limit) broken.push(`${revs.length - 1} old revisions kept with a limit of ${limit}`);
  const hash = current[0]?.metadata.labels?.['controller-revision-hash'];
  const podHashes = (await h.livePods()).map((p) => p.metadata.labels?.['controller-revision-hash']);
  if (podHashes.length !== 2 || podHashes.some((x) => x !== hash)) broken.push(`pods carry ${podHashes}, the current hash is ${hash}`);
  h.ctrl.stop();
  return broken;
}

describe('DaemonSet history properties (update.go constructHistory, cleanupHistory)', () => {
  it('after any sequence of template changes: one current revision, the newest, unique numbers, limit kept, pods on it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 2 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }), async (seed, limit, images) => {
        expect(await play(seed, limit, images)).toEqual([]);
      }),
      { numRuns: 12, seed: 13 },
    );
  }, 20_000);
});
