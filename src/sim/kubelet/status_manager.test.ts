/** Tests after pkg/kubelet/status/status_manager_test.go (v1.34), a subset, against the API server model. */
import { describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from '../api/core/v1';
import { newLabCluster } from '../cluster/cluster';
import { runUntilIdle } from '../core/drive';
import { newEnv } from '../core/env';
import type { KubeObject } from '../core/object';
import { StatusManager, createMergePatch, isPodStatusByKubeletEqual } from './status_manager';

async function setup() {
  const cluster = await newLabCluster({ env: newEnv({ seed: 5 }) });
  const client = cluster.clientset({ qps: -1 });
  const writes: string[] = [];
  const m = new StatusManager({ client, clock: cluster.clock, onPatch: (p, s) => writes.push(`patch ${p.metadata.name} ${s.phase}`), onDelete: (p) => writes.push(`delete ${p.metadata.name}`) });
  const pods = client.coreV1().pods('default');
  const create = async (name: string) => (await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'img' }] } } as unknown as KubeObject)) as unknown as Pod;
  const get = async (name: string) => (await pods.get(name).catch(() => undefined)) as unknown as Pod | undefined;
  const run = () => runUntilIdle(cluster.clock, { forMs: 100 });
  return { cluster, client, m, writes, create, get, run, pods };
}

const status = (phase: PodStatus['phase'], extra: Partial<PodStatus> = {}): PodStatus => ({ phase, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }], ...extra });

describe('status manager', () => {
  it('writes a new status to the API server (TestNewStatus)', async () => {
    const s = await setup();
    const pod = await s.create('foo');
    s.m.setPodStatus(pod, status('Running'));
    await s.run();
    expect((await s.get('foo'))?.status?.phase).toBe('Running');
    expect(s.writes).toEqual(['patch foo Running']);
  });

  it('does not write the same status twice (TestUnchangedStatus)', async () => {
    const s = await setup();
    const pod = await s.create('foo');
    s.m.setPodStatus(pod, status('Running'));
    await s.run();
    s.m.setPodStatus(pod, status('Running'));
    s.m.syncBatch(true);
    await s.run();
    expect(s.writes).toEqual(['patch foo Running']);
  });

  it('ignores lastProbeTime and condition order when comparing (TestStatusEquality)', () => {
    const a = status('Running', { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: '2026-01-01T00:00:00Z' }, { type: 'PodScheduled', status: 'True' }] });
    const b = status('Running', { conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True', lastProbeTime: null }] });
    expect(isPodStatusByKubeletEqual(a, b)).toBe(true);
    expect(isPodStatusByKubeletEqual(a, status('Pending'))).toBe(false);
  });

  it('skips a pod deleted and recreated under the same name (TestStaticPod / UID mismatch, reduced)', async () => {
    const s = await setup();
    const old = await s.create('foo');
    await s.pods.delete('foo', { gracePeriodSeconds: 0 });
    await s.create('foo');
    s.m.setPodStatus(old, status('Running'));
    await s.run();
    expect(s.writes).toEqual([]);
  });

  it('deletes a terminating pod with grace 0 only once it is terminal and its worker finished (TestDeletePods / canBeDeleted)', async () => {
    const s = await setup();
    await s.create('foo');
    await s.pods.delete('foo', { gracePeriodSeconds: 30 });
    const terminating = (await s.get('foo'))!;
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    s.m.setPodStatus(terminating, status('Running'));
    await s.run();
    s.m.setPodStatus(terminating, status('Failed'));
    await s.run();
    // Terminal but not finished: still there.
    expect(await s.get('foo')).toBeDefined();
    s.m.terminatePod(terminating);
    await s.run();
    expect(await s.get('foo')).toBeUndefined();
    expect(s.writes).toEqual(['patch foo Running', 'patch foo Failed', 'delete foo']);
  });

  it('patches only what changed, with null for what is gone (PatchPodStatus)', () => {
    const from = { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }], podIP: '1.1.1.1' };
    const to = { phase: 'Running', containerStatuses: [{ name: 'c', state: { running: { startedAt: 't' } } }] };
    expect(createMergePatch(from, to)).toEqual({ phase: 'Running', containerStatuses: [{ name: 'c', state: { running: { startedAt: 't' } } }], podIP: null });
    expect(createMergePatch({ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 } })).toEqual({ a: { c: 3 } });
  });
});
