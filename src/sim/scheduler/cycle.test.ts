import { describe, expect, it } from 'vitest';
import { compareProfiles, runSchedulingCycle } from './cycle';
import { compareText } from './format';
import { makeNode, makePod } from './testing/wrappers';
import { newStatus } from './framework/status';
import type { Plugin, NodeScore } from './framework/interface';
import type { NodeInfo } from './framework/types';

const nodes = () => [
  makeNode().name('a').label('zone', 'a').capacity({ cpu: '4', memory: '8Gi' }).obj(),
  makeNode().name('b').label('zone', 'b').capacity({ cpu: '4', memory: '8Gi' }).obj(),
  makeNode().name('c').label('zone', 'b').label('maintenance', 'true').capacity({ cpu: '4', memory: '8Gi' }).obj(),
];
const existing = () => [makePod().name('busy').uid('busy').node('b').req({ cpu: '3', memory: '6Gi' }).obj()];
const pod = () => makePod().name('web').uid('web').req({ cpu: '1', memory: '1Gi' }).obj();

describe('runSchedulingCycle (the DESIGN.md contract)', () => {
  it('returns every Filter status, normalized scores, final scores and the selected node', () => {
    const r = runSchedulingCycle({ pod: pod(), nodes: nodes(), pods: existing() });
    expect(Object.keys(r.filter).sort()).toEqual(['a', 'b', 'c']);
    expect(r.filter.a.NodeResourcesFit).toEqual({ code: 'Success', reasons: [], plugin: '' });
    // LeastAllocated: a is empty, b has 3 of 4 CPUs and 6 of 8 GiB requested.
    expect(r.score.a.NodeResourcesFit).toBeGreaterThan(r.score.b.NodeResourcesFit);
    expect(r.selectedNode).not.toBe('b');
    expect(r.finalScore.a).toBe(Object.entries(r.record.score.a).reduce((sum, [, s]) => sum + s.weighted, 0));
  });

  it('reports the FailedScheduling message when nothing fits', () => {
    const r = runSchedulingCycle({ pod: makePod().name('big').uid('big').req({ cpu: '5' }).obj(), nodes: nodes(), pods: existing() });
    expect(r.selectedNode).toBeUndefined();
    expect(r.message).toBe('0/3 nodes are available: 3 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  });

  it("runs a learner's Filter and Score plugin from the profile, and an invalid weight-less setup is still weighted 1", () => {
    const maintenance: Plugin = {
      name: 'NoMaintenance',
      filter: (_s, _p, n: NodeInfo) => (n.node?.metadata.labels?.maintenance === 'true' ? newStatus('Unschedulable', 'node is under maintenance') : null),
    };
    const zone: Plugin = {
      name: 'ZonePreference',
      score: (_s, _p, n: NodeInfo) => (n.node?.metadata.labels?.zone === 'b' ? 10 : 0),
      scoreExtensions: () => ({ normalizeScore: (_s, _p, scores: NodeScore[]) => void scores.forEach((x) => (x.score *= 10)) }),
    };
    const r = runSchedulingCycle({
      pod: pod(), nodes: nodes(), pods: [],
      plugins: { NoMaintenance: () => maintenance, ZonePreference: () => zone },
      profile: { plugins: { multiPoint: { enabled: [{ name: 'NoMaintenance' }, { name: 'ZonePreference', weight: 5 }] } } },
    });
    expect(r.filter.c.NoMaintenance).toEqual({ code: 'Unschedulable', reasons: ['node is under maintenance'], plugin: 'NoMaintenance' });
    expect(r.record.score.b.ZonePreference).toEqual({ raw: 10, normalized: 100, weighted: 500 });
    expect(r.selectedNode).toBe('b');
  });

  it('a plugin that throws or scores out of range is an Error naming it, and the cycle does not crash', () => {
    const thrower: Plugin = { name: 'Thrower', filter: () => { throw new Error('boom'); } };
    const r1 = runSchedulingCycle({ pod: pod(), nodes: nodes(), plugins: { Thrower: () => thrower }, profile: { plugins: { filter: { enabled: [{ name: 'Thrower' }] } } } });
    expect(r1.record.result).toBe('Error');
    expect(r1.message).toBe('running "Thrower" filter plugin: boom');
    const big: Plugin = { name: 'TooBig', score: () => 1000 };
    const r2 = runSchedulingCycle({ pod: pod(), nodes: nodes(), plugins: { TooBig: () => big }, profile: { plugins: { score: { enabled: [{ name: 'TooBig' }] } } } });
    expect(r2.message).toBe('running Score plugins: plugin "TooBig" returns an invalid score 1000, it should in the range of [0, 100] after normalizing');
  });

  it('an invalid profile throws naming the field path (a weight of 0 is defaulted to 1 first, as upstream)', () => {
    const withWeight = (weight: number) => ({ pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight }] } } }] });
    expect(() => runSchedulingCycle({ pod: pod(), nodes: nodes(), profile: withWeight(101) }))
      .toThrow('profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]');
    expect(() => runSchedulingCycle({ pod: pod(), nodes: nodes(), profile: withWeight(0) })).not.toThrow();
    expect(() => runSchedulingCycle({ pod: pod(), nodes: nodes(), profile: { plugins: { score: { enabled: [{ name: 'Nope' }] } } } }))
      .toThrow('profiles[0].plugins.score.enabled[0].name: ScorePlugin "Nope" does not exist');
  });

  it('compareProfiles: LeastAllocated spreads, MostAllocated packs, on the same seed', () => {
    const fit = (type: string) => ({ pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type, resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } } }] });
    const cmp = compareProfiles({ pod: pod(), nodes: nodes().slice(0, 2), pods: existing() }, fit('LeastAllocated'), fit('MostAllocated'));
    expect(cmp.results[0].selectedNode).toBe('a');
    expect(cmp.results[1].selectedNode).toBe('b');
    expect(compareText(cmp, ['least', 'most'])).toMatch(/^NODE\s+least\s+most\na\s+\d+ \*\s+\d+\nb\s+\d+\s+\d+ \*/);
  });
});

describe('plugin timings', () => {
  it('are taken only with timings: true and a host stopwatch, per plugin and extension point', async () => {
    const { useStopwatch } = await import('../runtime');
    let t = 0;
    const prev = useStopwatch(() => (t += 0.5));
    try {
      const off = runSchedulingCycle({ pod: pod(), nodes: nodes() });
      expect(off.record.timings).toEqual({});
      const on = runSchedulingCycle({ pod: pod(), nodes: nodes(), timings: true });
      expect(on.record.timings.NodeResourcesFit.Filter).toBeGreaterThan(0);
      expect(on.record.timings.NodeResourcesFit.Score).toBeGreaterThan(0);
    } finally {
      useStopwatch(prev);
    }
  });
});

describe('a cycle on a large cluster', () => {
  it('traces at most 200 nodes (feasible ones by score first) and counts the rest, so the view stays light', async () => {
    const { TraceRecorder } = await import('../core/trace');
    const { useEnv } = await import('../core/env');
    const trace = new TraceRecorder();
    const leave = useEnv({ trace, log: undefined as never });
    try {
      const many = Array.from({ length: 1000 }, (_, i) => makeNode().name(`n-${String(i).padStart(4, '0')}`).capacity({ cpu: '4', memory: '8Gi' }).obj());
      const r = runSchedulingCycle({ pod: pod(), nodes: many, percentageOfNodesToScore: 100 });
      expect(r.record.feasibleNodes).toBe(1000);
      const e = trace.events.find((x) => x.type === 'scheduler.cycle')!;
      expect((e.rows as unknown[]).length).toBe(200);
      expect(e.moreNodes).toBe(800);
      expect((e.rows as [string][])[0][0]).toBe(r.selectedNode);
    } finally {
      leave();
    }
  });
});

describe('extenders (pkg/scheduler/extender.go semantics, as functions)', () => {
  it('filter removes nodes with their messages, prioritize adds score × weight × (MaxNodeScore / MaxExtenderPriority)', () => {
    const r = runSchedulingCycle({
      pod: pod(), nodes: nodes(), pods: existing(),
      extenders: [{
        urlPrefix: 'http://gpu-extender', weight: 2,
        filter: (_p, ns) => ({ nodes: ns.filter((n) => n.metadata.name !== 'c'), failedNodes: { c: 'no GPU driver' } }),
        prioritize: (_p, ns) => ns.map((n) => ({ host: n.metadata.name ?? '', score: n.metadata.name === 'b' ? 10 : 0 })),
      }],
    });
    expect(r.record.extenderScore.b['http://gpu-extender']).toBe(10 * 2 * 10);
    expect(r.finalScore.b).toBe(Object.values(r.record.score.b).reduce((sum, s) => sum + s.weighted, 0) + 200);
    expect(r.selectedNode).toBe('b');
    expect(r.finalScore.c).toBeUndefined();
  });

  it('a node an extender fails is counted in FailedScheduling with its message', () => {
    const r = runSchedulingCycle({
      pod: pod(), nodes: nodes(),
      extenders: [{ urlPrefix: 'http://deny', filter: () => ({ nodes: [], failedNodes: { a: 'denied by policy', b: 'denied by policy', c: 'denied by policy' } }) }],
    });
    expect(r.message).toMatch(/^0\/3 nodes are available: 3 denied by policy\./);
  });
});

describe('preemption in runSchedulingCycle', () => {
  it('reports the nominated node and the victims when it returns, before their deletion would run', () => {
    const two = nodes().slice(0, 2);
    const low = [
      makePod().name('low-a').uid('low-a').node('a').priority(0).req({ cpu: '3500m' }).obj(),
      makePod().name('low-b').uid('low-b').node('b').priority(5).req({ cpu: '3500m' }).obj(),
    ];
    const r = runSchedulingCycle({ pod: makePod().name('vip').uid('vip').priority(100).req({ cpu: '1' }).obj(), nodes: two, pods: low });
    expect(r.nominatedNodeName).toBe('a');
    expect(r.victims).toEqual(['default/low-a']);
    expect(r.record.postFilter.find((p) => p.plugin === 'DefaultPreemption')).toMatchObject({ nominatedNodeName: 'a', victims: ['default/low-a'] });
  });

  it('takes ReplicaSets for the system default spreading', () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } } };
    // DefaultSelector follows the pod's controller reference to its ReplicaSet.
    const p = makePod().name('w').uid('w').label('app', 'web').ownerReference('web').req({ cpu: '100m' }).obj();
    const without = runSchedulingCycle({ pod: p, nodes: nodes().slice(0, 2) });
    const withRs = runSchedulingCycle({ pod: p, nodes: nodes().slice(0, 2), replicaSets: [rs] });
    expect('PodTopologySpread' in without.record.score.a).toBe(false);
    expect('PodTopologySpread' in withRs.record.score.a).toBe(true);
  });
});

describe('plain lists without UIDs', () => {
  it('pods without a uid still schedule and preempt (they are keyed by namespace/name)', () => {
    const strip = (p: ReturnType<typeof pod>) => ({ ...p, metadata: { ...p.metadata, uid: undefined } });
    const low = strip(makePod().name('low').node('a').priority(0).req({ cpu: '3500m' }).obj());
    const r = runSchedulingCycle({ pod: strip(makePod().name('vip').priority(100).req({ cpu: '1' }).obj()), nodes: nodes().slice(0, 1), pods: [low] });
    expect(r.nominatedNodeName).toBe('a');
    expect(r.victims).toEqual(['default/low']);
  });
});
