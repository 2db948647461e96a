import { describe, expect, it } from 'vitest';
import type { Node, Pod, ResourceList } from '../../../api/core/v1';
import type { PodDisruptionBudget } from '../../../api/policy/v1';
import { CycleState } from '../../framework/cycle_state';
import type { NodeToStatus } from '../../framework/diagnosis';
import type { PostFilterResult } from '../../framework/interface';
import type { PreemptionExtender } from '../../framework/preemption';
import { newStatus } from '../../framework/status';
import { PodInfo } from '../../framework/types';
import { makeNode, makePod } from '../../testing/wrappers';
import {
  errorOnLabelPlugin, errorPredicate, fakeExtender, falsePredicate, highPriority, largeRes, lowPriority, mediumRes, midPriority, newFitFilter,
  node1Predicate, nodeToStatus, pdb, setup, smallRes, truePredicate, veryHighPriority, veryLargeRes, type PluginAt,
} from './test_helpers';

const P = (name: string) => makePod().name(name).uid(name);
const onePodRes = { pods: '1' };
const nodeRes = { cpu: '200m', memory: '400' };
const N = (name: string, cap: ResourceList) => makeNode().name(name).capacity(cap);
const U = () => newStatus('Unschedulable');
const UU = () => newStatus('UnschedulableAndUnresolvable');
const nominated = (node: string): PostFilterResult => ({ nominatingInfo: { nominatedNodeName: node, nominatingMode: 'ModeOverride' } });
const fitAndTestPlugin = (): PluginAt[] => [
  { plugin: newFitFilter(), points: ['preFilter', 'filter'] },
  { plugin: errorOnLabelPlugin(), points: ['preFilter'] },
];

describe('PostFilter', () => {
  // Upstream: default_preemption_test.go (TestPostFilter); the SchedulingGroup cases are post-1.34 (workload-aware preemption).
  const cases: {
    ref: string; pod: Pod; pods: Pod[]; nodes: Node[]; statuses: NodeToStatus; pdbs?: PodDisruptionBudget[]; extenders?: PreemptionExtender[];
    wantResult: PostFilterResult | null; wantCode: string; wantReasons: string[];
  }[] = [
    {
      ref: 'TestPostFilter/pod with higher priority can be made schedulable', pod: P('p').priority(highPriority).obj(),
      pods: [P('p1').node('node1').obj()], nodes: [N('node1', onePodRes).obj()], statuses: nodeToStatus({ node1: U() }),
      wantResult: nominated('node1'), wantCode: 'Success', wantReasons: [],
    },
    {
      ref: 'TestPostFilter/pod with tied priority is still unschedulable', pod: P('p').obj(),
      pods: [P('p1').node('node1').obj()], nodes: [N('node1', onePodRes).obj()], statuses: nodeToStatus({ node1: U() }),
      wantResult: nominated(''), wantCode: 'Unschedulable', wantReasons: ['preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.'],
    },
    {
      ref: 'TestPostFilter/preemption should respect filteredNodesStatuses', pod: P('p').priority(highPriority).obj(),
      pods: [P('p1').node('node1').obj()], nodes: [N('node1', onePodRes).obj()], statuses: nodeToStatus({ node1: UU() }),
      wantResult: nominated(''), wantCode: 'Unschedulable', wantReasons: ['preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'],
    },
    {
      ref: 'TestPostFilter/preemption should respect absent NodeToStatusReader entry meaning UnschedulableAndUnresolvable', pod: P('p').priority(highPriority).obj(),
      pods: [P('p1').node('node1').obj()], nodes: [N('node1', onePodRes).obj()], statuses: nodeToStatus({}),
      wantResult: nominated(''), wantCode: 'Unschedulable', wantReasons: ['preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'],
    },
    {
      ref: 'TestPostFilter/pod can be made schedulable on one node', pod: P('p').priority(midPriority).obj(),
      pods: [P('p1').priority(highPriority).node('node1').obj(), P('p2').priority(lowPriority).node('node2').obj()],
      nodes: [N('node1', onePodRes).obj(), N('node2', onePodRes).obj()], statuses: nodeToStatus({ node1: U(), node2: U() }),
      wantResult: nominated('node2'), wantCode: 'Success', wantReasons: [],
    },
    {
      ref: 'TestPostFilter/pod can be made schedulable on minHighestPriority node', pod: P('p').priority(veryHighPriority).obj(),
      pods: [
        P('p1').label('test.kubernetes.io/is-violating-pdb', 'non-violating').priority(highPriority).node('node1').obj(),
        P('p2').label('test.kubernetes.io/is-violating-pdb', 'violating').priority(lowPriority).node('node1').obj(),
        P('p3').label('test.kubernetes.io/is-violating-pdb', 'violating').priority(midPriority).node('node2').obj(),
      ],
      // MinAvailable "100%" leaves no disruption allowed; the other allows MaxInt32.
      pdbs: [pdb('violating-pdb', { 'test.kubernetes.io/is-violating-pdb': 'violating' }, 0), pdb('non-violating-pdb', { 'test.kubernetes.io/is-violating-pdb': 'non-violating' }, 2147483647)],
      nodes: [N('node1', onePodRes).obj(), N('node2', onePodRes).obj()], statuses: nodeToStatus({ node1: U(), node2: U() }),
      wantResult: nominated('node2'), wantCode: 'Success', wantReasons: [],
    },
    {
      ref: 'TestPostFilter/preemption result filtered out by extenders', pod: P('p').priority(highPriority).obj(),
      pods: [P('p1').node('node1').obj(), P('p2').node('node2').obj()],
      nodes: [N('node1', onePodRes).obj(), N('node2', onePodRes).obj()], statuses: nodeToStatus({ node1: U(), node2: U() }),
      extenders: [fakeExtender('FakeExtender1', node1Predicate)],
      wantResult: nominated('node1'), wantCode: 'Success', wantReasons: [],
    },
    {
      ref: 'TestPostFilter/no candidate nodes found, no enough resource after removing low priority pods', pod: P('p').priority(highPriority).req(largeRes).obj(),
      pods: [P('p1').node('node1').obj(), P('p2').node('node2').obj()],
      nodes: [N('node1', nodeRes).obj(), N('node2', nodeRes).obj()], statuses: nodeToStatus({ node1: U(), node2: U() }),
      wantResult: nominated(''), wantCode: 'Unschedulable', wantReasons: ['preemption: 0/2 nodes are available: 2 Insufficient cpu.'],
    },
    {
      ref: 'TestPostFilter/no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource', pod: P('p').priority(highPriority).req(largeRes).obj(),
      pods: [P('p1').node('node1').priority(highPriority).obj(), P('p2').node('node2').obj(), P('p3').node('node3').priority(highPriority).obj()],
      nodes: [N('node1', onePodRes).obj(), N('node2', nodeRes).obj(), N('node3', onePodRes).obj()], statuses: nodeToStatus({ node1: U(), node2: U(), node3: U() }),
      wantResult: nominated(''), wantCode: 'Unschedulable', wantReasons: ['preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod.'],
    },
    {
      ref: "TestPostFilter/no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes don't have enough CPU resource",
      pod: P('p').priority(highPriority).req(largeRes).obj(),
      pods: [P('p1').node('node1').obj(), P('p2').node('node2').obj()],
      nodes: ['node1', 'node2', 'node3', 'node4'].map((n) => N(n, nodeRes).obj()), statuses: nodeToStatus({ node1: U(), node2: U(), node4: UU() }),
      wantResult: nominated(''), wantCode: 'Unschedulable', wantReasons: ['preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.'],
    },
    {
      ref: 'TestPostFilter/only one node but failed with TestPlugin', pod: P('p').priority(highPriority).req(largeRes).obj(),
      pods: [P('p1').node('node1').obj()], nodes: [N('node1', largeRes).label('error', 'true').obj()], statuses: nodeToStatus({ node1: U() }),
      wantResult: null, wantCode: 'Error', wantReasons: ['preemption: running RemovePod on PreFilter plugin "test-plugin": failed to remove pod: p'],
    },
    {
      ref: 'TestPostFilter/one failed with TestPlugin and the other pass', pod: P('p').priority(highPriority).req(largeRes).obj(),
      pods: [P('p1').node('node1').obj(), P('p2').node('node2').req(mediumRes).obj()],
      nodes: [N('node1', largeRes).label('error', 'true').obj(), N('node2', largeRes).obj()], statuses: nodeToStatus({ node1: U(), node2: U() }),
      wantResult: nominated('node2'), wantCode: 'Success', wantReasons: [],
    },
  ];
  it.each(cases)('$ref', async (tt) => {
    const { fwk, pl } = setup({ pods: [tt.pod, ...tt.pods], nodes: tt.nodes, pdbs: tt.pdbs, extenders: tt.extenders, plugins: fitAndTestPlugin() });
    const state = new CycleState();
    expect(fwk.runPreFilterPlugins(state, tt.pod)[1] ?? null).toBeNull();
    const [result, status] = pl.postFilter(state, tt.pod, tt.statuses);
    expect(result).toEqual(tt.wantResult);
    expect(status?.code ?? 'Success').toBe(tt.wantCode);
    expect(status?.allReasons() ?? []).toEqual(tt.wantReasons);
    await pl.evaluator.settled();
  });

  it('runs through the framework: RunPostFilterPlugins sees the nomination and the plugin name', () => {
    const pod = P('p').priority(highPriority).obj();
    const { fwk } = setup({ pods: [pod, P('p1').node('node1').obj()], nodes: [N('node1', onePodRes).obj()], plugins: fitAndTestPlugin() });
    const state = new CycleState();
    fwk.runPreFilterPlugins(state, pod);
    expect(fwk.runPostFilterPlugins(state, pod, nodeToStatus({ node1: U() }))[0]).toEqual(nominated('node1'));
    const [, st] = fwk.runPostFilterPlugins(state, P('q').obj(), nodeToStatus({ node1: U() }));
    expect(st.toJSON()).toEqual({ code: 'Error', reasons: ['preemption: pod "q" not found'], plugin: 'DefaultPreemption' });
  });

  it('refuses a pod with preemptionPolicy Never and keeps its nomination (no result)', () => {
    const pod = P('p').priority(highPriority).preemptionPolicy('Never').obj();
    const { pl } = setup({ pods: [pod, P('p1').node('node1').obj()], nodes: [N('node1', onePodRes).obj()], plugins: fitAndTestPlugin() });
    const [result, status] = pl.postFilter(new CycleState(), pod, nodeToStatus({ node1: U() }));
    expect(result).toBeNull();
    expect(status?.toJSON()).toEqual({ code: 'Unschedulable', reasons: ['preemption: not eligible due to preemptionPolicy=Never.'], plugin: '' });
  });

  it('waits while a victim of its own earlier preemption terminates on the nominated node', () => {
    const pod = P('p').priority(highPriority).nominatedNodeName('node1').obj();
    const victim = P('p1').node('node1').terminating().obj();
    victim.status = { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] };
    const { pl, handle } = setup({ pods: [pod, victim], nodes: [N('node1', onePodRes).obj()], plugins: fitAndTestPlugin() });
    const [result, status] = pl.postFilter(new CycleState(), pod, nodeToStatus({ node1: U() }));
    expect(result).toBeNull();
    expect(status?.allReasons()).toEqual(['preemption: not eligible due to a terminating pod on the nominated node.']);
    expect(handle.calls.deleted).toEqual([]);
  });
});

describe('Preempt', () => {
  const pods = () => [
    P('p1.1').node('node1').priority(lowPriority).req(smallRes).obj(),
    P('p1.2').node('node1').priority(lowPriority).req(smallRes).obj(),
    P('p2.1').node('node2').priority(highPriority).req(largeRes).obj(),
    P('p3.1').node('node3').priority(midPriority).req(mediumRes).obj(),
  ];
  const extPods = () => [
    P('p1.1').node('node1').priority(midPriority).req(smallRes).obj(),
    P('p1.2').node('node1').priority(lowPriority).req(smallRes).obj(),
    P('p2.1').node('node2').priority(midPriority).req(largeRes).obj(),
  ];
  // Upstream: default_preemption_test.go (TestPreempt); "preemption for topology spread constraints" needs PodTopologySpread (not in this folder).
  const cases = (): { ref: string; pod: Pod; pods: Pod[]; nodeNames: string[]; extenders?: PreemptionExtender[]; want: PostFilterResult | null; expectedPods: string[] }[] => [
    {
      ref: 'TestPreempt/basic preemption logic', pod: P('p').priority(highPriority).req(veryLargeRes).preemptionPolicy('PreemptLowerPriority').obj(),
      pods: pods(), nodeNames: ['node1', 'node2', 'node3'], want: nominated('node1'), expectedPods: ['p1.1', 'p1.2'],
    },
    {
      ref: 'TestPreempt/Scheduler extenders allow only node1, otherwise node3 would have been chosen', pod: P('p').priority(highPriority).req(veryLargeRes).preemptionPolicy('PreemptLowerPriority').obj(),
      pods: [P('p1.1').node('node1').priority(midPriority).req(smallRes).obj(), P('p1.2').node('node1').priority(lowPriority).req(smallRes).obj(), P('p2.1').node('node3').priority(midPriority).req(largeRes).obj()],
      nodeNames: ['node1', 'node2', 'node3'], extenders: [fakeExtender('FakeExtender1', truePredicate), fakeExtender('FakeExtender2', node1Predicate)],
      want: nominated('node1'), expectedPods: ['p1.1', 'p1.2'],
    },
    {
      ref: 'TestPreempt/Scheduler extenders do not allow any preemption', pod: P('p').priority(highPriority).req(veryLargeRes).preemptionPolicy('PreemptLowerPriority').obj(),
      pods: extPods(), nodeNames: ['node1', 'node2', 'node3'], extenders: [fakeExtender('FakeExtender1', falsePredicate)], want: null, expectedPods: [],
    },
    {
      ref: 'TestPreempt/One scheduler extender allows only node1, the other returns error but ignorable. Only node1 would be chosen',
      pod: P('p').priority(highPriority).req(veryLargeRes).preemptionPolicy('PreemptLowerPriority').obj(), pods: extPods(), nodeNames: ['node1', 'node2', 'node3'],
      extenders: [fakeExtender('FakeExtender1', errorPredicate, { ignorable: true }), fakeExtender('FakeExtender2', node1Predicate)],
      want: nominated('node1'), expectedPods: ['p1.1', 'p1.2'],
    },
    {
      // sum of priorities of all victims on node1 is larger than node2, node2 is chosen.
      ref: 'TestPreempt/One scheduler extender allows only node1, but it is not interested in given pod, otherwise node1 would have been chosen',
      pod: P('p').priority(highPriority).req(veryLargeRes).preemptionPolicy('PreemptLowerPriority').obj(), pods: extPods(), nodeNames: ['node1', 'node2'],
      extenders: [fakeExtender('FakeExtender1', node1Predicate, { unInterested: true }), fakeExtender('FakeExtender2', truePredicate)],
      want: nominated('node2'), expectedPods: ['p2.1'],
    },
    {
      ref: 'TestPreempt/no preempting in pod', pod: P('p').priority(highPriority).req(veryLargeRes).preemptionPolicy('Never').obj(),
      pods: pods(), nodeNames: ['node1', 'node2', 'node3'], want: null, expectedPods: [],
    },
    {
      ref: 'TestPreempt/PreemptionPolicy is nil', pod: P('p').priority(highPriority).req(veryLargeRes).obj(),
      pods: pods(), nodeNames: ['node1', 'node2', 'node3'], want: nominated('node1'), expectedPods: ['p1.1', 'p1.2'],
    },
  ];
  for (const enableAsyncPreemption of [true, false]) {
    it.each(cases())(`$ref (async preemption ${enableAsyncPreemption})`, async (tt) => {
      const nodes = tt.nodeNames.map((n) => N(n, veryLargeRes).obj());
      const { fwk, pl, handle } = setup({ pods: [tt.pod, ...tt.pods], nodes, extenders: tt.extenders, plugins: [{ plugin: newFitFilter(), points: ['preFilter', 'filter'] }], features: { enableAsyncPreemption } });
      const state = new CycleState();
      fwk.runPreFilterPlugins(state, tt.pod);
      const m = nodeToStatus(Object.fromEntries(tt.nodeNames.map((n) => [n, U()])));
      const [res, status] = pl.evaluator.preempt(state, tt.pod, m);
      expect(['Success', 'Unschedulable', 'UnschedulableAndUnresolvable']).toContain(status.code);
      expect(res).toEqual(tt.want);
      await pl.evaluator.settled();
      expect(handle.calls.deleted.map((d) => d.pod.metadata.name).sort()).toEqual([...tt.expectedPods].sort());
      for (const d of handle.calls.deleted) {
        expect(d.reason.condition).toEqual({ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' });
        expect(d.reason.message).toBe(`Preempted by pod p on node ${res!.nominatingInfo!.nominatedNodeName}`);
      }
      // The victims start terminating; preempting again deletes nothing more.
      if (res?.nominatingInfo) tt.pod.status = { ...(tt.pod.status ?? {}), nominatedNodeName: res.nominatingInfo.nominatedNodeName };
      for (const d of handle.calls.deleted) d.pod.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
      const before = handle.calls.deleted.length;
      pl.evaluator.preempt(state, tt.pod, nodeToStatus({}));
      await pl.evaluator.settled();
      expect(handle.calls.deleted).toHaveLength(before);
    });
  }
});

describe('PreEnqueue and the asynchronous preemption', () => {
  const trigger = () => P('p').priority(highPriority).obj();
  function start(enableAsyncPreemption: boolean, extra: Partial<Parameters<typeof setup>[0]> = {}) {
    const pod = trigger();
    const s = setup({ pods: [pod, P('p1').node('node1').obj()], nodes: [N('node1', onePodRes).obj()], plugins: [{ plugin: newFitFilter(), points: ['preFilter', 'filter'] }], features: { enableAsyncPreemption }, ...extra });
    const state = new CycleState();
    s.fwk.runPreFilterPlugins(state, pod);
    return { ...s, pod, result: s.pl.postFilter(state, pod, nodeToStatus({ node1: U() })) };
  }

  // Upstream: default_preemption_test.go (TestPreEnqueue); the pod-group cases are post-1.34.
  it.each([
    { ref: 'TestPreEnqueue/AsyncPreemption disabled, returns nil', async: false, check: 'p', want: null },
    { ref: 'TestPreEnqueue/AsyncPreemption enabled, same pod, returns UnschedulableAndUnresolvable', async: true, check: 'p', want: { code: 'UnschedulableAndUnresolvable', reasons: ['waiting for the preemption for this pod to be finished'], plugin: '' } },
    { ref: 'TestPreEnqueue/AsyncPreemption enabled, different pod, returns nil', async: true, check: 'p_other', want: null },
  ])('$ref', async ({ async, check, want }) => {
    const { pl } = start(async);
    const st = pl.preEnqueue(P(check).priority(highPriority).obj());
    expect(st ? st.toJSON() : null).toEqual(want);
    await pl.evaluator.settled();
    expect(pl.preEnqueue(trigger())).toBeNull();
  });

  it('through the framework: PreEnqueue names the plugin; the events are Pod/Delete with a hint that skips', async () => {
    const { fwk, pl, pod } = start(true);
    expect(fwk.plugins.preEnqueue.map((p) => p.name)).toEqual(['DefaultPreemption']);
    expect(fwk.runPreEnqueuePlugins(pod)?.plugin).toBe('DefaultPreemption');
    const [ev] = pl.eventsToRegister();
    expect(ev.event).toEqual({ resource: 'Pod', actionType: 2 });
    expect(ev.queueingHintFn!(pod, undefined, undefined)).toBe('QueueSkip');
    expect(newDefaultEvents(false)).toEqual([]);
    await pl.evaluator.settled();
  });

  it('clears lower-priority nominations, deletes all victims but the last, lifts the gate, then deletes the last', async () => {
    const pod = P('p').priority(highPriority).req(veryLargeRes).obj();
    const low = P('low').priority(lowPriority).nominatedNodeName('node1').obj();
    const victims = [P('v1').node('node1').req(smallRes).obj(), P('v2').node('node1').req(smallRes).obj(), P('v3').node('node1').req(smallRes).obj()];
    const order: string[] = [];
    const s = setup({
      pods: [pod, ...victims], nodes: [N('node1', veryLargeRes).obj()], plugins: [{ plugin: newFitFilter(), points: ['preFilter', 'filter'] }],
      nominated: new Map([['node1', [new PodInfo(low)]]]),
    });
    const base = s.handle.deletePod!;
    const clear = s.handle.clearNominatedNodeName!;
    // Record what PreEnqueue says while each call is under way.
    s.fwk.handle.deletePod = async (v, r) => {
      order.push(`delete ${v.metadata.name} (gated: ${s.pl.preEnqueue(pod) !== null})`);
      await base(v, r);
    };
    s.fwk.handle.clearNominatedNodeName = async (p) => {
      order.push(`clear ${p.metadata.name}`);
      await clear(p);
    };
    const state = new CycleState();
    s.fwk.runPreFilterPlugins(state, pod);
    const [result] = s.pl.postFilter(state, pod, nodeToStatus({ node1: U() }));
    expect(result).toEqual(nominated('node1'));
    // PostFilter returned before any API call finished.
    expect(s.handle.calls.deleted).toEqual([]);
    expect(s.pl.preEnqueue(pod)?.code).toBe('UnschedulableAndUnresolvable');
    await s.pl.evaluator.settled();
    // Equal priorities and no start times: each comparison reads "now" for both pods, the first
    // read earlier, so Go's insertion sort reverses them (and the model with it).
    expect(order).toEqual(['clear low', 'delete v3 (gated: true)', 'delete v2 (gated: true)', 'delete v1 (gated: false)']);
    expect(s.handle.calls.cleared.map((p) => p.metadata.name)).toEqual(['low']);
    expect(s.handle.activated).toEqual([]);
  });

  it('clears only the nominations of lower priority than the preemptor', () => {
    const pod = P('p').priority(highPriority).obj();
    const low = P('low').priority(lowPriority).nominatedNodeName('node1').obj();
    const same = P('same').priority(highPriority).nominatedNodeName('node1').obj();
    const higher = P('higher').priority(veryHighPriority).nominatedNodeName('node1').obj();
    const { pl } = setup({ pods: [pod], plugins: [], nominated: new Map([['node1', [low, same, higher].map((p) => new PodInfo(p))]]) });
    expect(pl.evaluator.lowerPriorityNominatedPods(pod, 'node1')).toEqual([low]);
    expect(pl.evaluator.lowerPriorityNominatedPods(pod, 'node2')).toEqual([]);
  });

  it('sends no second delete for a victim already terminating, and re-activates the preemptor when a delete fails', async () => {
    const pod = P('p').priority(highPriority).req(veryLargeRes).obj();
    const victims = [P('v1').node('node1').req(largeRes).terminating().obj(), P('v2').node('node1').req(mediumRes).obj()];
    const s = setup({ pods: [pod, ...victims], nodes: [N('node1', veryLargeRes).obj()], plugins: [{ plugin: newFitFilter(), points: ['preFilter', 'filter'] }], failDelete: ['v2'] });
    const state = new CycleState();
    s.fwk.runPreFilterPlugins(state, pod);
    expect(s.pl.postFilter(state, pod, nodeToStatus({ node1: U() }))[0]).toEqual(nominated('node1'));
    await s.pl.evaluator.settled();
    expect(s.handle.calls.deleted).toEqual([]);
    expect(s.handle.activated).toEqual([pod]);
    expect(s.pl.preEnqueue(pod)).toBeNull();
  });

  it('with every victim already terminating, starts nothing and does not gate the pod', async () => {
    const pod = P('p').priority(highPriority).obj();
    const s = setup({ pods: [pod, P('p1').node('node1').terminating().obj()], nodes: [N('node1', onePodRes).obj()], plugins: [{ plugin: newFitFilter(), points: ['preFilter', 'filter'] }] });
    const state = new CycleState();
    s.fwk.runPreFilterPlugins(state, pod);
    expect(s.pl.postFilter(state, pod, nodeToStatus({ node1: U() }))[0]).toEqual(nominated('node1'));
    expect(s.pl.preEnqueue(pod)).toBeNull();
    await s.pl.evaluator.settled();
    expect(s.handle.calls.deleted).toEqual([]);
  });
});

function newDefaultEvents(enableAsyncPreemption: boolean) {
  return setup({ plugins: [], features: { enableAsyncPreemption } }).pl.eventsToRegister();
}
