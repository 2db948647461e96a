// lab.yaml `visualization`: one view, a list of views on one timeline, or none.
import { describe, expect, it } from 'vitest';
import { labSchema, visualizationList } from './schema';

const lab = (visualization?: unknown) => ({
  id: 'x',
  title: 'X',
  module: 'm',
  lesson: 'm/x',
  summary: 's',
  minutes: 5,
  difficulty: 'intro',
  steps: [{ title: 't', body: 'b' }],
  ...(visualization === undefined ? {} : { visualization }),
});

describe('visualization', () => {
  it('takes one view name as before, and keeps it a string', () => {
    expect(labSchema.parse(lab('workqueue')).visualization).toBe('workqueue');
    expect(visualizationList(labSchema.parse(lab('etcd')).visualization)).toEqual(['etcd']);
  });

  it('takes a list of views, in the order given', () => {
    const v = labSchema.parse(lab(['informer', 'workqueue'])).visualization;
    expect(visualizationList(v)).toEqual(['informer', 'workqueue']);
  });

  it('knows the raft view, and a raft session of 3 to 7 members', () => {
    expect(visualizationList(labSchema.parse(lab('raft')).visualization)).toEqual(['raft']);
    expect(labSchema.parse({ ...lab('raft'), raft: { members: 5, preVote: true } }).raft).toEqual({ members: 5, preVote: true, etcd: false, apiServer: false });
    expect(labSchema.parse({ ...lab('raft'), raft: {} }).raft?.members).toBe(3);
    for (const members of [2, 8, 3.5]) expect(labSchema.safeParse({ ...lab('raft'), raft: { members } }).success, String(members)).toBe(false);
  });

  it('runs etcd on the raft session, and an API server only on etcd', () => {
    expect(labSchema.parse({ ...lab('raft'), raft: { members: 5, etcd: true, apiServer: true } }).raft).toMatchObject({ etcd: true, apiServer: true });
    const noEtcd = labSchema.safeParse({ ...lab('raft'), raft: { apiServer: true } });
    expect(noEtcd.success).toBe(false);
    expect(JSON.stringify(noEtcd.error?.issues)).toContain('raft.apiServer needs raft.etcd: true');
    expect(labSchema.safeParse({ ...lab('raft'), raft: { etcdServer: true } }).success).toBe(false);
  });

  it('defaults to none, which shows no view', () => {
    expect(visualizationList(labSchema.parse(lab()).visualization)).toEqual([]);
    expect(visualizationList(labSchema.parse(lab('none')).visualization)).toEqual([]);
  });

  it('refuses unknown names, an empty list, a repeated view and none inside a list', () => {
    for (const bad of ['pipeline', [], ['informer', 'informer'], ['none'], ['watch', 'kubelet-view']]) {
      expect(labSchema.safeParse(lab(bad)).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
