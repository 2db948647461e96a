import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../api/core/v1';
import { makeNode, makePod } from '../../testing/wrappers';
import { newTestHandle } from '../../testing/handle';
import { CycleState } from '../cycle_state';
import { NodeToStatus } from '../diagnosis';
import { newStatus, type Status } from '../status';
import type { NodeInfo } from '../types';
import type { Candidate, Victims } from './candidate';
import { pickOneNodeForPreemption } from './pick_node';
import { earliestPodStartTime, moreImportantPod, podStartTime, sortSlice } from './pod_util';
import { Evaluator } from './preemption';
import type { PreemptionInterface } from './types';

const midPriority = 100;
const highPriority = 1000;
const veryLargeRes = { cpu: '500m', memory: '500' };
const P = (name: string) => makePod().name(name).uid(name);

/** Go: FakePostFilterPlugin: the node's first pod is the victim. */
function fakeInterface(numViolatingVictim: number, over: Partial<PreemptionInterface> = {}): PreemptionInterface & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    getOffsetAndNumCandidates: (n) => [0, n],
    candidatesToVictimsMap: () => new Map(),
    podEligibleToPreemptOthers: () => [true, ''],
    selectVictimsOnNode: (_s: CycleState, _p: Pod, ni: NodeInfo) => {
      seen.push(ni.name);
      return [[ni.pods[0].pod], numViolatingVictim, null];
    },
    orderedScoreFuncs: () => null,
    ...over,
  };
}

const byName = (cs: Candidate[]) =>
  [...cs].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => ({ name: c.name, victims: c.victims.pods.map((p) => p.metadata.name), numPDBViolations: c.victims.numPDBViolations }));

describe('Evaluator.dryRunPreemption', () => {
  // Upstream: pkg/scheduler/framework/preemption/preemption_test.go (TestDryRunPreemption)
  it.each([
    { ref: 'TestDryRunPreemption/no pdb violation', numViolatingVictim: 0 },
    { ref: 'TestDryRunPreemption/pdb violation on each node', numViolatingVictim: 1 },
  ])('$ref', ({ numViolatingVictim }) => {
    const nodes = ['node1', 'node2'].map((n) => makeNode().name(n).capacity(veryLargeRes).obj());
    const initPods = [P('p1').node('node1').priority(midPriority).obj(), P('p2').node('node2').priority(midPriority).obj()];
    const h = newTestHandle({ pods: initPods, nodes });
    const ev = new Evaluator('FakePostFilter', h, fakeInterface(numViolatingVictim), true);
    const infos = [...h.snapshot.nodeInfos().list()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const [got] = ev.dryRunPreemption(new CycleState(), P('p').priority(highPriority).obj(), infos, [], 0, infos.length);
    expect(byName(got)).toEqual([
      { name: 'node1', victims: ['p1'], numPDBViolations: numViolatingVictim },
      { name: 'node2', victims: ['p2'], numPDBViolations: numViolatingVictim },
    ]);
  });

  it('puts non-violating candidates first, keeps at most candidatesNum of each kind, and stops once one violates nothing', () => {
    const names = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const nodes = names.map((n) => makeNode().name(n).obj());
    const h = newTestHandle({ pods: names.map((n) => P(`v-${n}`).node(n).obj()), nodes });
    const violates = new Set(['n1', 'n2', 'n3']);
    const iface = fakeInterface(0, {
      selectVictimsOnNode: (_s, _p, ni) => {
        iface.seen.push(ni.name);
        return [[ni.pods[0].pod], violates.has(ni.name) ? 1 : 0, null];
      },
    });
    const ev = new Evaluator('Fake', h, iface, true);
    const [got] = ev.dryRunPreemption(new CycleState(), P('p').obj(), h.snapshot.nodeInfos().list(), [], 0, 2);
    // n1, n2 fill the violating list; n3 is dropped; n4 is the first that violates nothing.
    expect(iface.seen).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(got.map((c) => c.name)).toEqual(['n4', 'n1', 'n2']);
    const [fromOffset] = ev.dryRunPreemption(new CycleState(), P('p').obj(), h.snapshot.nodeInfos().list(), [], 3, 2);
    expect(fromOffset.map((c) => c.name)).toEqual(['n4', 'n5']);
  });
});

describe('Evaluator.selectCandidate', () => {
  // Upstream: preemption_test.go (TestSelectCandidate): a plugin's own score function (fewest containers) decides.
  it('TestSelectCandidate/pod has different number of containers on each node', () => {
    const c = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `container${i + 1}`, image: 'pause' }));
    const testPods = [
      P('p1.1').node('node1').priority(midPriority).containers(c(2)).obj(),
      P('p2.1').node('node2').priority(midPriority).containers(c(1)).obj(),
      P('p3.1').node('node3').priority(midPriority).containers(c(3)).obj(),
    ];
    const nodes = ['node1', 'node2', 'node3'].map((n) => makeNode().name(n).capacity(veryLargeRes).obj());
    const h = newTestHandle({ pods: testPods, nodes });
    const iface = fakeInterface(1, {
      candidatesToVictimsMap: (cs) => new Map(cs.map((x) => [x.name, x.victims])),
      orderedScoreFuncs: (m: Map<string, Victims>) => [(node) => -BigInt(m.get(node)!.pods.reduce((s, p) => s + p.spec.containers.length + (p.spec.initContainers ?? []).length, 0))],
    });
    const ev = new Evaluator('FakePreemptionScorePostFilter', h, iface, true);
    for (const pod of testPods) {
      const [candidates] = ev.dryRunPreemption(new CycleState(), pod, h.snapshot.nodeInfos().list(), [], 0, 3);
      expect(ev.selectCandidate(candidates)?.name).toBe('node2');
    }
  });
});

describe('findCandidates: only Unschedulable nodes are tried', () => {
  const nodeNames = ['node1', 'node2', 'node3', 'node4'];
  const U = (r: string) => newStatus('Unschedulable', r);
  const UU = (r: string) => newStatus('UnschedulableAndUnresolvable', r);
  // Upstream: preemption_test.go (TestNodesWherePreemptionMightHelp) before v1.31 moved the rule into
  // NodeToStatus.NodesForStatusCode; a node missing from that test's map was tried, so the absent
  // status here is Unschedulable.
  const cases: { ref: string; statuses: Record<string, Status>; expected: string[] }[] = [
    {
      ref: 'TestNodesWherePreemptionMightHelp/No node should be attempted',
      statuses: { node1: UU("node(s) didn't match Pod's node affinity/selector"), node2: UU("node(s) didn't match the requested node name"), node3: UU("node(s) had taints that the pod didn't tolerate"), node4: UU("node(s) didn't match pod affinity rules") },
      expected: [],
    },
    {
      ref: 'TestNodesWherePreemptionMightHelp/ErrReasonAntiAffinityRulesNotMatch should be tried as it indicates that the pod is unschedulable due to inter-pod anti-affinity',
      statuses: { node1: U("node(s) didn't match pod anti-affinity rules"), node2: UU("node(s) didn't match the requested node name"), node3: UU('node(s) were unschedulable') },
      expected: ['node1', 'node4'],
    },
    {
      ref: 'TestNodesWherePreemptionMightHelp/ErrReasonAffinityRulesNotMatch should not be tried as it indicates that the pod is unschedulable due to inter-pod affinity, but ErrReasonAntiAffinityRulesNotMatch should be tried as it indicates that the pod is unschedulable due to inter-pod anti-affinity',
      statuses: { node1: UU("node(s) didn't match pod affinity rules"), node2: U("node(s) didn't match pod anti-affinity rules") },
      expected: ['node2', 'node3', 'node4'],
    },
    {
      ref: 'TestNodesWherePreemptionMightHelp/Mix of failed predicates works fine',
      statuses: { node1: UU('node(s) had no available disk'), node2: U('Insufficient memory') },
      expected: ['node2', 'node3', 'node4'],
    },
    {
      ref: 'TestNodesWherePreemptionMightHelp/Node condition errors should be considered unresolvable',
      statuses: { node1: UU('node(s) had unknown conditions') },
      expected: ['node2', 'node3', 'node4'],
    },
    {
      ref: 'TestNodesWherePreemptionMightHelp/ErrVolume... errors should not be tried as it indicates that the pod is unschedulable due to no matching volumes for pod on node',
      statuses: { node1: UU('node(s) had no available volume zone'), node2: UU('node(s) had volume node affinity conflict'), node3: UU('node(s) had volume node affinity conflict') },
      expected: ['node4'],
    },
    {
      ref: 'TestNodesWherePreemptionMightHelp/ErrReasonConstraintsNotMatch should be tried as it indicates that the pod is unschedulable due to topology spread constraints',
      statuses: { node1: U("node(s) didn't match pod topology spread constraints"), node2: UU("node(s) didn't match the requested node name"), node3: U("node(s) didn't match pod topology spread constraints") },
      expected: ['node1', 'node3', 'node4'],
    },
    {
      ref: 'TestNodesWherePreemptionMightHelp/UnschedulableAndUnresolvable status should be skipped but Unschedulable should be tried',
      statuses: { node2: UU(''), node3: U(''), node4: UU('') },
      expected: ['node1', 'node3'],
    },
    {
      ref: "TestNodesWherePreemptionMightHelp/ErrReasonNodeLabelNotMatch should not be tried as it indicates that the pod is unschedulable due to node doesn't have the required label",
      statuses: { node2: UU("node(s) didn't match pod topology spread constraints (missing required label)"), node3: U(''), node4: UU('') },
      expected: ['node1', 'node3'],
    },
  ];
  it.each(cases)('$ref', ({ statuses, expected }) => {
    const nodes = nodeNames.map((n) => makeNode().name(n).obj());
    const h = newTestHandle({ pods: nodeNames.map((n) => P(`v-${n}`).node(n).obj()), nodes });
    const iface = fakeInterface(0);
    const ev = new Evaluator('Fake', h, iface, true);
    const m = new NodeToStatus();
    for (const [k, v] of Object.entries(statuses)) m.set(k, v);
    m.setAbsentNodesStatus(newStatus('Unschedulable'));
    ev.findCandidates(new CycleState(), h.snapshot.nodeInfos().list(), P('p').obj(), m);
    expect([...iface.seen].sort()).toEqual(expected);
  });

  it('throws "no nodes available" without nodes, and tries nothing when no node is Unschedulable', () => {
    const h = newTestHandle({ nodes: [makeNode().name('n').obj()] });
    const ev = new Evaluator('Fake', h, fakeInterface(0), true);
    expect(() => ev.findCandidates(new CycleState(), [], P('p').obj(), new NodeToStatus())).toThrow('no nodes available');
    const [cs, statuses, err] = ev.findCandidates(new CycleState(), h.snapshot.nodeInfos().list(), P('p').obj(), new NodeToStatus());
    expect([cs, statuses.len(), err]).toEqual([[], 0, undefined]);
  });
});

describe('pickOneNodeForPreemption', () => {
  const v = (pods: Pod[], numPDBViolations = 0): Victims => ({ pods, numPDBViolations });
  const pod = (name: string, prio: number, start?: string) => {
    const w = P(name).priority(prio);
    return (start ? w.startTime(start) : w).obj();
  };
  it('applies the criteria in order and falls back to the first node', () => {
    expect(pickOneNodeForPreemption(new Map(), null)).toBe('');
    // Fewer PDB violations beat lower priorities.
    expect(pickOneNodeForPreemption(new Map([['a', v([pod('a1', 1)], 1)], ['b', v([pod('b1', 500)], 0)]]), null)).toBe('b');
    // The lowest highest-priority victim.
    expect(pickOneNodeForPreemption(new Map([['a', v([pod('a1', 50), pod('a2', 1)])], ['b', v([pod('b1', 40), pod('b2', 40)])]]), null)).toBe('b');
    // Priorities are lifted by MaxInt32+1 before summing: two negative victims weigh more than one.
    expect(pickOneNodeForPreemption(new Map([['a', v([pod('a1', -100), pod('a2', -100)])], ['b', v([pod('b1', -100)])]]), null)).toBe('b');
    // The latest start among the most important victims.
    const t = (n: number) => `1970-01-01T00:00:0${n}Z`;
    expect(pickOneNodeForPreemption(new Map([['a', v([pod('a1', 5, t(1))])], ['b', v([pod('b1', 5, t(3))])], ['c', v([pod('c1', 5, t(2))])]]), null)).toBe('b');
    // All equal: the first candidate.
    expect(pickOneNodeForPreemption(new Map([['x', v([pod('x1', 5, t(1))])], ['y', v([pod('y1', 5, t(1))])]]), null)).toBe('x');
  });
});

describe('pod start times', () => {
  const withStart = (name: string, prio: number, start: string) => P(name).priority(prio).startTime(start).obj();
  const now = '2026-03-01T10:00:00Z';
  const later = '2026-03-01T10:00:01Z';
  const later2 = '2026-03-01T10:00:02Z';

  // Upstream: pkg/scheduler/util/utils_test.go (TestGetEarliestPodStartTime)
  it.each([
    { ref: 'TestGetEarliestPodStartTime/Pod with earliest start time last in the list', pods: [withStart('pod1', 1, later), withStart('pod2', 2, later), withStart('pod3', 2, now)], want: now },
    { ref: 'TestGetEarliestPodStartTime/Pod with earliest start time first in the list', pods: [withStart('pod1', 2, now), withStart('pod2', 2, later), withStart('pod3', 2, later2)], want: now },
  ])('$ref', ({ pods, want }) => {
    expect(earliestPodStartTime(pods)).toBe(podStartTime(P('x').startTime(want).obj()));
  });

  // Upstream: utils_test.go (TestMoreImportantPod)
  const pod1 = withStart('pod1', 1, now);
  const pod2 = withStart('pod2', 2, later);
  const pod3 = withStart('pod3', 2, now);
  it.each([
    { ref: 'TestMoreImportantPod/Pod with higher priority', p1: pod1, p2: pod2, expected: false },
    { ref: 'TestMoreImportantPod/Pod with older created time', p1: pod2, p2: pod3, expected: false },
    { ref: 'TestMoreImportantPod/Pods with same start time', p1: pod3, p2: pod1, expected: true },
  ])('$ref', ({ p1, p2, expected }) => {
    expect(moreImportantPod(p1, p2)).toBe(expected);
  });

  it('reads nanoseconds, and treats an unstarted pod as starting now: after every started pod, each read later than the last', () => {
    expect(podStartTime(P('a').startTime('1970-01-01T00:00:00.000000005Z').obj())).toBe(5n);
    expect(podStartTime(P('a').startTime('1970-01-01T00:00:01.5Z').obj())).toBe(1_500_000_000n);
    const unstarted = P('u').obj();
    expect(podStartTime(unstarted)).toBeGreaterThan(podStartTime(P('s').startTime('2100-01-01T00:00:00Z').obj()));
    expect(moreImportantPod(P('u1').obj(), P('u2').obj())).toBe(true);
    expect(moreImportantPod(P('s').startTime(now).obj(), unstarted)).toBe(true);
  });

  it("sorts as Go's insertion sort does", () => {
    const xs = [3, 1, 2, 1, 0];
    sortSlice(xs, (a, b) => a < b);
    expect(xs).toEqual([0, 1, 1, 2, 3]);
    const pairs = [{ k: 1, id: 'a' }, { k: 0, id: 'b' }, { k: 1, id: 'c' }];
    sortSlice(pairs, (a, b) => a.k < b.k);
    expect(pairs.map((p) => p.id)).toEqual(['b', 'a', 'c']);
  });
});
