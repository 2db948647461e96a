/** PodConfig's merge after pkg/kubelet/config/config_test.go (TestNewPodAdded, TestNewPodAddedUpdatedRemoved, TestPodUpdateAnnotations, TestPodUpdateLabels, graceful delete), reduced. */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/core/v1';
import { PodConfig, type PodUpdate } from './config';

const pod = (uid: string, extra: Partial<Pod['metadata']> = {}, image = 'img'): Pod => ({ metadata: { uid, name: `p${uid}`, namespace: 'ns', ...extra }, spec: { containers: [{ name: 'c', image }] }, status: { phase: 'Pending' } });

describe('PodConfig.merge', () => {
  it('sends ADD, UPDATE, DELETE (graceful), RECONCILE (status only) and REMOVE (TestNewPodAddedUpdatedRemoved)', () => {
    const got: PodUpdate[] = [];
    const c = new PodConfig((u) => got.push(u));
    c.merge('api', [pod('1')]);
    c.merge('api', [pod('1', {}, 'img2')]);
    c.merge('api', [pod('1', { deletionTimestamp: '2026-01-01T00:00:00Z' }, 'img2')]);
    c.merge('api', [{ ...pod('1', { deletionTimestamp: '2026-01-01T00:00:00Z' }, 'img2'), status: { phase: 'Running' } }]);
    c.merge('api', []);
    expect(got.map((u) => `${u.op} ${u.pods.map((p) => p.metadata.name).join(',')}`)).toEqual(['ADD p1', 'UPDATE p1', 'DELETE p1', 'RECONCILE p1', 'REMOVE p1']);
  });

  it('an empty first set still says the source is ready (TestNewPodAdded: empty source)', () => {
    const got: PodUpdate[] = [];
    const c = new PodConfig((u) => got.push(u));
    expect(c.seenAllSources()).toBe(false);
    c.merge('api', []);
    expect(got).toEqual([{ op: 'ADD', pods: [], source: 'api' }]);
    expect(c.seenAllSources()).toBe(true);
  });

  it('a label or annotation change is an UPDATE (TestPodUpdateLabels, TestPodUpdateAnnotations)', () => {
    const got: PodUpdate[] = [];
    const c = new PodConfig((u) => got.push(u));
    c.merge('api', [pod('1')]);
    c.merge('api', [pod('1', { labels: { a: 'b' } })]);
    c.merge('api', [pod('1', { labels: { a: 'b' }, annotations: { x: 'y' } })]);
    expect(got.map((u) => u.op)).toEqual(['ADD', 'UPDATE', 'UPDATE']);
  });

  it('the same object handed again is unchanged; an equal copy is compared and found unchanged too (the informer store replaces, never mutates)', () => {
    const got: PodUpdate[] = [];
    const c = new PodConfig((u) => got.push(u));
    const p = pod('1');
    c.merge('api', [p]);
    c.merge('api', [p]);
    c.merge('api', [pod('1')]);
    c.merge('api', [{ ...pod('1'), status: { phase: 'Running' } }]);
    c.merge('api', []);
    c.merge('api', [p]);
    expect(got.map((u) => u.op)).toEqual(['ADD', 'RECONCILE', 'REMOVE', 'ADD']);
  });
});
