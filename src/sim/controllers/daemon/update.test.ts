import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/core/v1';
import type { KubeObject } from '../../core/object';
import { newDaemonSet, newNode, setup } from './testing';
import { rollingUpdatePlan } from './update';
import type { DaemonSet } from './types';

const nodes = ['node-0', 'node-1', 'node-2', 'node-3', 'node-4'].map((n) => newNode(n));

describe('rolling update on the API server (pkg/controller/daemon/update_test.go)', () => {
  it('TestDaemonSetUpdatesPods: maxUnavailable 2 replaces two nodes at a time, each wave waiting for availability', async () => {
    const h = await setup(nodes);
    const ds = newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
    await h.dss.create(ds as unknown as KubeObject);
    await h.run();
    await h.makeReady();
    await h.run();
    const oldHash = (await h.livePods())[0].metadata.labels?.['controller-revision-hash'];
    await h.updateDs('foo', (cur: any) => { cur.spec.template.spec.containers[0].image = 'foo/bar2'; });
    const newCount = async () => (await h.livePods()).filter((p) => p.metadata.labels?.['controller-revision-hash'] !== oldHash).length;
    const waves: number[] = [];
    for (let i = 0; i < 4; i++) {
      await h.run();
      const live = await h.livePods();
      expect(live).toHaveLength(5);
      waves.push(await newCount());
      await h.makeReady();
    }
    expect(waves).toEqual([2, 4, 5, 5]);
    await h.run();
    const status = (await h.getDs('foo')).status;
    expect(status).toMatchObject({ desiredNumberScheduled: 5, updatedNumberScheduled: 5, numberAvailable: 5, observedGeneration: 2 });
    expect((await h.events('SuccessfulDelete'))).toHaveLength(5);
  });

  it('TestDaemonSetUpdatesPodsWithMaxSurge: maxSurge 1 starts a new pod beside the old one and deletes the old one once the new is available', async () => {
    const h = await setup(nodes.slice(0, 3));
    const ds = newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    await h.dss.create(ds as unknown as KubeObject);
    await h.run();
    await h.makeReady();
    await h.run();
    await h.updateDs('foo', (cur: any) => { cur.spec.template.spec.containers[0].image = 'foo/bar2'; });
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await h.run();
      const live = await h.livePods();
      counts.push(live.length);
      // Never more than desired + maxSurge pods, never fewer available than desired - maxUnavailable.
      expect(live.length).toBeLessThanOrEqual(4);
      expect(live.filter((p) => p.status?.phase === 'Running').length).toBeGreaterThanOrEqual(3);
      await h.makeReady();
    }
    expect(counts).toEqual([4, 4, 4, 3]);
    await h.run();
    expect((await h.getDs('foo')).status).toMatchObject({ updatedNumberScheduled: 3, numberAvailable: 3 });
  });

  it('TestDaemonSetUpdatesNoTemplateChanged / OnDelete: nothing is replaced without a template change or under OnDelete', async () => {
    const h = await setup(nodes.slice(0, 2));
    await h.dss.create(newDaemonSet('foo', { updateStrategy: { type: 'OnDelete' } }) as unknown as KubeObject);
    await h.run();
    await h.makeReady();
    await h.updateDs('foo', (cur: any) => { cur.spec.template.spec.containers[0].image = 'foo/bar2'; });
    await h.run();
    expect(await h.events('SuccessfulDelete')).toHaveLength(0);
    const status = (await h.getDs('foo')).status;
    expect(status).toMatchObject({ currentNumberScheduled: 2, observedGeneration: 2 });
    expect(status?.updatedNumberScheduled).toBeUndefined(); // 0, omitted as Go's omitempty
  });
});

const ready = (name: string, node: string, hash: string, isReady = true): Pod => ({
  metadata: { name, labels: { 'controller-revision-hash': hash } },
  spec: { containers: [], nodeName: node },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
});
const dsWith = (maxUnavailable: number | string, maxSurge: number | string): DaemonSet => newDaemonSet('foo', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } } });
const NOW = Date.UTC(2026, 0, 2); // allow-nondeterminism: a fixed date
const ns = (n: number): Node[] => Array.from({ length: n }, (_, i) => newNode(`n${i}`));
const all = () => true;

describe('rollingUpdatePlan (update.go rollingUpdate, as a pure step)', () => {
  it('TestGetUnavailableNumbers-style: maxUnavailable 25% of 10 rounds up to 3', () => {
    const pods = new Map(ns(10).map((n, i) => [n.metadata.name!, [ready(`p${i}`, n.metadata.name!, 'old')]]));
    const plan = rollingUpdatePlan(dsWith('25%', 0), ns(10), pods, 'new', NOW, all);
    expect(plan.maxUnavailable).toBe(3);
    expect(plan.oldPodsToDelete).toEqual(['p0', 'p1', 'p2']);
  });

  it('unavailable old pods are replaced at once and count against maxUnavailable', () => {
    const pods = new Map(ns(4).map((n, i) => [n.metadata.name!, [ready(`p${i}`, n.metadata.name!, 'old', i !== 2)]]));
    const plan = rollingUpdatePlan(dsWith(2, 0), ns(4), pods, 'new', NOW, all);
    expect(plan.oldPodsToDelete).toEqual(['p2', 'p0']);
  });

  it('a node without a pod counts as unavailable', () => {
    const pods = new Map([['n0', [ready('p0', 'n0', 'old')]], ['n1', [ready('p1', 'n1', 'old')]]]);
    const plan = rollingUpdatePlan(dsWith(1, 0), ns(3), pods, 'new', NOW, all);
    expect(plan.oldPodsToDelete).toEqual([]);
  });

  it('0 and 0 (refused by validation) still moves one at a time', () => {
    const pods = new Map(ns(3).map((n, i) => [n.metadata.name!, [ready(`p${i}`, n.metadata.name!, 'old')]]));
    expect(rollingUpdatePlan(dsWith(0, 0), ns(3), pods, 'new', NOW, all).oldPodsToDelete).toEqual(['p0']);
  });

  it('surge: an available new pod retires its old one; unavailable old pods get a new pod at once; others up to maxSurge', () => {
    const pods = new Map<string, Pod[]>([
      ['n0', [ready('old0', 'n0', 'old'), ready('new0', 'n0', 'new')]],
      ['n1', [ready('old1', 'n1', 'old', false)]],
      ['n2', [ready('old2', 'n2', 'old')]],
      ['n3', [ready('old3', 'n3', 'old')]],
    ]);
    const plan = rollingUpdatePlan(dsWith(0, 1), ns(4), pods, 'new', NOW, all);
    expect(plan.oldPodsToDelete).toEqual(['old0']);
    expect(plan.newNodesToCreate).toEqual(['n1', 'n2']);
  });
});
