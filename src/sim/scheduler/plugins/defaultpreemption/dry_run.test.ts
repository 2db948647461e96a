import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../api/core/v1';
import type { PodDisruptionBudget } from '../../../api/policy/v1';
import { CycleState } from '../../framework/cycle_state';
import type { Plugin } from '../../framework/interface';
import { podPriority, podStartTime } from '../../framework/preemption';
import { newStatus, type Code } from '../../framework/status';
import type { NodeInfo, PodInfo } from '../../framework/types';
import { makeNode, makePod } from '../../testing/wrappers';
import type { DefaultPreemptionArgs } from './args';
import type { IsEligiblePodFunc, MoreImportantPodFunc } from './default_preemption';
import {
  epochTime, fakeFilter, falseFilter, highPriority, largeRes, lowPriority, matchFilter, mediumRes, midPriority, negPriority, newFitFilter,
  pdb, setup, smallRes, trueFilter, veryHighPriority, veryLargeRes,
} from './test_helpers';

const P = (name: string, uid = name) => makePod().name(name).uid(uid);
const fit = (): Plugin => newFitFilter();

/** Nodes with veryLargeRes, named from `node/zone` strings as upstream's labelKeys do. */
function nodesOf(names: string[]) {
  const keys = ['hostname', 'zone', 'region'];
  return names.map((n) => {
    const parts = n.split('/');
    const w = makeNode().name(parts[0]).capacity(veryLargeRes);
    parts.forEach((v, i) => w.label(keys[i], v));
    return w.obj();
  });
}

/** Candidates as upstream's tests compare them: victims by name, candidates by node name. */
function summary(cands: { name: string; victims: { pods: Pod[]; numPDBViolations: number } }[]) {
  return cands
    .map((c) => ({ name: c.name, victims: c.victims.pods.map((p) => p.metadata.name).sort(), numPDBViolations: c.victims.numPDBViolations }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

describe('DryRunPreemption', () => {
  // Upstream: pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go (TestDryRunPreemption).
  // Offsets: upstream seeds getOffsetRand with rand.NewSource(4), whose Int31n(5) draws are 4, 1, 3 (the cases' comments).
  type C = { name: string; victims: string[]; numPDBViolations: number };
  const cases: {
    ref: string; plugins: Plugin[]; nodeNames: string[]; testPods: Pod[]; initPods: Pod[]; pdbs?: PodDisruptionBudget[];
    fakeFilterRC?: Code; args?: DefaultPreemptionArgs; offsets?: number[]; expected: C[][]; expectedNumFilterCalled: number[];
  }[] = [
    {
      ref: 'TestDryRunPreemption/a pod that does not fit on any node', plugins: [falseFilter()], nodeNames: ['node1', 'node2'],
      testPods: [P('p').priority(highPriority).obj()],
      initPods: [P('p1').node('node1').priority(midPriority).obj(), P('p2').node('node2').priority(midPriority).obj()],
      expected: [[]], expectedNumFilterCalled: [2],
    },
    {
      ref: 'TestDryRunPreemption/a pod that fits with no preemption', plugins: [trueFilter()], nodeNames: ['node1', 'node2'],
      testPods: [P('p').priority(highPriority).obj()],
      initPods: [P('p1').node('node1').priority(midPriority).obj(), P('p2').node('node2').priority(midPriority).obj()],
      fakeFilterRC: 'Unschedulable', expected: [[]], expectedNumFilterCalled: [2],
    },
    {
      ref: 'TestDryRunPreemption/a pod that fits on one node with no preemption', plugins: [matchFilter()], nodeNames: ['node1', 'node2'],
      testPods: [P('node1').priority(highPriority).obj()],
      initPods: [P('p1').node('node1').priority(midPriority).obj(), P('p2').node('node2').priority(midPriority).obj()],
      fakeFilterRC: 'Unschedulable', expected: [[]], expectedNumFilterCalled: [2],
    },
    {
      ref: 'TestDryRunPreemption/a pod that fits on both nodes when lower priority pods are preempted', plugins: [fit()], nodeNames: ['node1', 'node2'],
      testPods: [P('p').priority(highPriority).req(largeRes).obj()],
      initPods: [P('p1').node('node1').priority(midPriority).req(largeRes).obj(), P('p2').node('node2').priority(midPriority).req(largeRes).obj()],
      expected: [[{ name: 'node1', victims: ['p1'], numPDBViolations: 0 }, { name: 'node2', victims: ['p2'], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [4],
    },
    {
      ref: 'TestDryRunPreemption/a pod that would fit on the nodes, but other pods running are higher priority, no preemption would happen',
      plugins: [fit()], nodeNames: ['node1', 'node2'],
      testPods: [P('p').priority(lowPriority).req(largeRes).obj()],
      initPods: [P('p1').node('node1').priority(midPriority).req(largeRes).obj(), P('p2').node('node2').priority(midPriority).req(largeRes).obj()],
      expected: [[]], expectedNumFilterCalled: [0],
    },
    {
      ref: 'TestDryRunPreemption/medium priority pod is preempted, but lower priority one stays as it is small', plugins: [fit()], nodeNames: ['node1', 'node2'],
      testPods: [P('p').priority(highPriority).req(largeRes).obj()],
      initPods: [
        P('p1.1').node('node1').priority(lowPriority).req(smallRes).obj(),
        P('p1.2').node('node1').priority(midPriority).req(largeRes).obj(),
        P('p2').node('node2').priority(midPriority).req(largeRes).obj(),
      ],
      expected: [[{ name: 'node1', victims: ['p1.2'], numPDBViolations: 0 }, { name: 'node2', victims: ['p2'], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [5],
    },
    {
      ref: 'TestDryRunPreemption/mixed priority pods are preempted', plugins: [fit()], nodeNames: ['node1', 'node2'],
      testPods: [P('p').priority(highPriority).req(largeRes).obj()],
      initPods: [
        P('p1.1').node('node1').priority(midPriority).req(smallRes).obj(),
        P('p1.2').node('node1').priority(lowPriority).req(smallRes).obj(),
        P('p1.3').node('node1').priority(midPriority).req(mediumRes).obj(),
        P('p1.4').node('node1').priority(highPriority).req(smallRes).obj(),
        P('p2').node('node2').priority(highPriority).req(largeRes).obj(),
      ],
      expected: [[{ name: 'node1', victims: ['p1.2', 'p1.3'], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [4],
    },
    {
      ref: 'TestDryRunPreemption/mixed priority pods are preempted, pick later StartTime one when priorities are equal', plugins: [fit()], nodeNames: ['node1', 'node2'],
      testPods: [P('p').priority(highPriority).req(largeRes).obj()],
      initPods: [
        P('p1.1').node('node1').priority(lowPriority).req(smallRes).startTime(epochTime(5)).obj(),
        P('p1.2').node('node1').priority(lowPriority).req(smallRes).startTime(epochTime(4)).obj(),
        P('p1.3').node('node1').priority(midPriority).req(mediumRes).startTime(epochTime(3)).obj(),
        P('p1.4').node('node1').priority(highPriority).req(smallRes).startTime(epochTime(2)).obj(),
        P('p2').node('node2').priority(highPriority).req(largeRes).startTime(epochTime(1)).obj(),
      ],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.3'], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [4],
    },
    {
      ref: 'TestDryRunPreemption/get Unschedulable in the preemption phase when the filter plugins filtering the nodes', plugins: [fit()], nodeNames: ['node1', 'node2'],
      testPods: [P('p').priority(highPriority).req(largeRes).obj()],
      initPods: [P('p1').node('node1').priority(midPriority).req(largeRes).obj(), P('p2').node('node2').priority(midPriority).req(largeRes).obj()],
      fakeFilterRC: 'Unschedulable', expected: [[]], expectedNumFilterCalled: [2],
    },
    {
      ref: 'TestDryRunPreemption/preemption with violation of same pdb', plugins: [fit()], nodeNames: ['node1'],
      testPods: [P('p').priority(highPriority).req(veryLargeRes).obj()],
      initPods: [
        P('p1.1').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
        P('p1.2').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
      ],
      pdbs: [pdb('pdb', { app: 'foo' }, 1)],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], numPDBViolations: 1 }]],
      expectedNumFilterCalled: [3],
    },
    {
      ref: "TestDryRunPreemption/preemption with violation of the pdb with pod whose eviction was processed, the victim doesn't belong to DisruptedPods",
      plugins: [fit()], nodeNames: ['node1'],
      testPods: [P('p').priority(highPriority).req(veryLargeRes).obj()],
      initPods: [
        P('p1.1').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
        P('p1.2').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
      ],
      pdbs: [pdb('pdb', { app: 'foo' }, 1, { p2: '2026-01-01T00:00:00Z' })],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], numPDBViolations: 1 }]],
      expectedNumFilterCalled: [3],
    },
    {
      ref: 'TestDryRunPreemption/preemption with violation of the pdb with pod whose eviction was processed, the victim belongs to DisruptedPods',
      plugins: [fit()], nodeNames: ['node1'],
      testPods: [P('p').priority(highPriority).req(veryLargeRes).obj()],
      initPods: [
        P('p1.1').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
        P('p1.2').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
      ],
      pdbs: [pdb('pdb', { app: 'foo' }, 1, { 'p1.2': '2026-01-01T00:00:00Z' })],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2'], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [3],
    },
    {
      ref: "TestDryRunPreemption/preemption with violation of the pdb with pod whose eviction was processed, the victim which belongs to DisruptedPods is treated as 'nonViolating'",
      plugins: [fit()], nodeNames: ['node1'],
      testPods: [P('p').priority(highPriority).req(veryLargeRes).obj()],
      initPods: [
        P('p1.1').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
        P('p1.2').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
        P('p1.3').node('node1').label('app', 'foo').priority(midPriority).req(mediumRes).obj(),
      ],
      pdbs: [pdb('pdb', { app: 'foo' }, 1, { 'p1.3': '2026-01-01T00:00:00Z' })],
      expected: [[{ name: 'node1', victims: ['p1.1', 'p1.2', 'p1.3'], numPDBViolations: 1 }]],
      expectedNumFilterCalled: [4],
    },
    {
      ref: 'TestDryRunPreemption/all nodes are possible candidates, but DefaultPreemptionArgs limits to 2',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 }, offsets: [4], plugins: [fit()],
      nodeNames: ['node1', 'node2', 'node3', 'node4', 'node5'],
      testPods: [P('p').priority(highPriority).req(largeRes).obj()],
      initPods: [1, 2, 3, 4, 5].map((i) => P(`p${i}`).node(`node${i}`).priority(midPriority).req(largeRes).obj()),
      // cycle=0 => offset=4 => node5 (yes), node1 (yes)
      expected: [[{ name: 'node1', victims: ['p1'], numPDBViolations: 0 }, { name: 'node5', victims: ['p5'], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [4],
    },
    {
      ref: 'TestDryRunPreemption/some nodes are not possible candidates, DefaultPreemptionArgs limits to 2',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 }, offsets: [4], plugins: [fit()],
      nodeNames: ['node1', 'node2', 'node3', 'node4', 'node5'],
      testPods: [P('p').priority(highPriority).req(largeRes).obj()],
      initPods: [1, 2, 3, 4, 5].map((i) => P(`p${i}`).node(`node${i}`).priority(i === 2 || i === 5 ? veryHighPriority : midPriority).req(largeRes).obj()),
      // cycle=0 => offset=4 => node5 (no), node1 (yes), node2 (no), node3 (yes)
      expected: [[{ name: 'node1', victims: ['p1'], numPDBViolations: 0 }, { name: 'node3', victims: ['p3'], numPDBViolations: 0 }]],
      expectedNumFilterCalled: [4],
    },
    {
      ref: 'TestDryRunPreemption/preemption offset across multiple scheduling cycles and wrap around',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 1 }, offsets: [4, 1, 3], plugins: [fit()],
      nodeNames: ['node1', 'node2', 'node3', 'node4', 'node5'],
      testPods: ['tp1', 'tp2', 'tp3'].map((n) => P(n).priority(highPriority).req(largeRes).obj()),
      initPods: [1, 2, 3, 4, 5].map((i) => P(`p${i}`).node(`node${i}`).priority(midPriority).req(largeRes).obj()),
      expected: [
        // cycle=0 => offset=4 => node5 (yes), node1 (yes)
        [{ name: 'node1', victims: ['p1'], numPDBViolations: 0 }, { name: 'node5', victims: ['p5'], numPDBViolations: 0 }],
        // cycle=1 => offset=1 => node2 (yes), node3 (yes)
        [{ name: 'node2', victims: ['p2'], numPDBViolations: 0 }, { name: 'node3', victims: ['p3'], numPDBViolations: 0 }],
        // cycle=2 => offset=3 => node4 (yes), node5 (yes)
        [{ name: 'node4', victims: ['p4'], numPDBViolations: 0 }, { name: 'node5', victims: ['p5'], numPDBViolations: 0 }],
      ],
      expectedNumFilterCalled: [4, 4, 4],
    },
    {
      ref: 'TestDryRunPreemption/preemption looks past numCandidates until a non-PDB violating node is found',
      args: { minCandidateNodesPercentage: 40, minCandidateNodesAbsolute: 2 }, offsets: [4], plugins: [fit()],
      nodeNames: ['node1', 'node2', 'node3', 'node4', 'node5'],
      testPods: [P('p').priority(highPriority).req(largeRes).obj()],
      initPods: [1, 2, 3, 4, 5].map((i) => {
        const w = P(`p${i}`).node(`node${i}`).priority(midPriority).req(largeRes);
        return (i === 1 || i === 2 || i === 5 ? w.label('app', 'foo') : w).obj();
      }),
      pdbs: [pdb('pdb', { app: 'foo' }, 0)],
      // cycle=0 => offset=4 => node5 (yes, pdb), node1 (yes, pdb), node2 (no, pdb), node3 (yes)
      expected: [[
        { name: 'node1', victims: ['p1'], numPDBViolations: 1 },
        { name: 'node3', victims: ['p3'], numPDBViolations: 0 },
        { name: 'node5', victims: ['p5'], numPDBViolations: 1 },
      ]],
      expectedNumFilterCalled: [8],
    },
  ];
  it.each(cases)('$ref', (tt) => {
    const nodes = nodesOf(tt.nodeNames);
    const rc: Record<string, Code> = {};
    // Upstream keys the map by the `node/zone` string, so only plain node names match it.
    for (const n of tt.nodeNames) if (tt.fakeFilterRC) rc[n] = tt.fakeFilterRC;
    const fake = fakeFilter(rc);
    const { fwk, pl } = setup({
      pods: [...tt.testPods, ...tt.initPods], nodes, plugins: [fake, ...tt.plugins].map((plugin) => ({ plugin, points: ['filter', ...(plugin.preFilter ? ['preFilter' as const] : [])] })),
      args: tt.args, offsets: tt.offsets,
    });
    const nodeInfos = [...fwk.handle.snapshotSharedLister().nodeInfos().list()].sort((a, b) => (a.name < b.name ? -1 : 1));
    let prev = 0;
    tt.testPods.forEach((pod, cycle) => {
      const state = new CycleState();
      expect(fwk.runPreFilterPlugins(state, pod)[1] ?? null).toBeNull();
      const [offset, numCandidates] = pl.getOffsetAndNumCandidates(nodeInfos.length);
      const [got] = pl.evaluator.dryRunPreemption(state, pod, nodeInfos, tt.pdbs ?? [], offset, numCandidates);
      expect(fake.numFilterCalled - prev).toBe(tt.expectedNumFilterCalled[cycle]);
      prev = fake.numFilterCalled;
      expect(summary(got)).toEqual(tt.expected[cycle]);
    });
  });

  it('leaves the snapshot and the cycle state as they were (it works on copies)', () => {
    const pods = [P('p').priority(highPriority).req(largeRes).obj(), P('p1').node('node1').priority(midPriority).req(largeRes).obj()];
    const { fwk, pl } = setup({ pods, nodes: nodesOf(['node1']), plugins: [{ plugin: fit(), points: ['preFilter', 'filter'] }] });
    const ni = fwk.handle.snapshotSharedLister().nodeInfos().get('node1');
    const state = new CycleState();
    fwk.runPreFilterPlugins(state, pods[0]);
    const [got] = pl.evaluator.dryRunPreemption(state, pods[0], [ni], [], 0, 1);
    expect(summary(got)).toEqual([{ name: 'node1', victims: ['p1'], numPDBViolations: 0 }]);
    expect(ni.pods.map((p) => p.pod.metadata.name)).toEqual(['p1']);
    expect(ni.requested.milliCPU).toBe(300);
  });

  it('records the failure of each node it could not use, and an Error for a node without victims', () => {
    const pods = [P('p').priority(highPriority).req(veryLargeRes).obj(), P('big').node('node2').priority(highPriority).req(smallRes).obj()];
    const { fwk, pl } = setup({ pods, nodes: nodesOf(['node1', 'node2']), plugins: [{ plugin: fit(), points: ['preFilter', 'filter'] }] });
    const infos = fwk.handle.snapshotSharedLister().nodeInfos().list();
    const [got, statuses] = pl.evaluator.dryRunPreemption(new CycleState(), pods[0], infos, [], 0, 2);
    expect(got).toEqual([]);
    expect(statuses.get('node1').toJSON()).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['No preemption victims found for incoming pod'], plugin: '' });
    expect(statuses.get('node2').reasons).toEqual(['No preemption victims found for incoming pod']);

    // A preemption interface that claims success without victims is an error upstream.
    const [, st2, err] = pl.evaluator.dryRunPreemption(new CycleState(), pods[0], infos.slice(0, 1), [], 0, 1);
    expect(st2.get('node1').code).toBe('UnschedulableAndUnresolvable');
    expect(err).toBeUndefined();
    const orig = pl.selectVictimsOnNode.bind(pl);
    pl.selectVictimsOnNode = () => [[], 0, null];
    const [, st3, err3] = pl.evaluator.dryRunPreemption(new CycleState(), pods[0], infos.slice(0, 1), [], 0, 1);
    pl.selectVictimsOnNode = orig;
    expect(st3.get('node1').toJSON().reasons).toEqual(['expected at least one victim pod on node "node1"']);
    expect(err3?.message).toBe('expected at least one victim pod on node "node1"');
  });
});

function bestOf(nodeNames: string[], pod: Pod, pods: Pod[], override?: { isEligiblePod?: IsEligiblePodFunc; moreImportantPod?: MoreImportantPodFunc }) {
  const { fwk, pl } = setup({ pods: [pod, ...pods], nodes: nodeNames.map((n) => makeNode().name(n).capacity(veryLargeRes).obj()), plugins: [{ plugin: fit(), points: ['preFilter', 'filter'] }] });
  if (override?.isEligiblePod) pl.isEligiblePod = override.isEligiblePod;
  if (override?.moreImportantPod) pl.moreImportantPod = override.moreImportantPod;
  const state = new CycleState();
  fwk.runPreFilterPlugins(state, pod);
  const nodeInfos = fwk.handle.snapshotSharedLister().nodeInfos().list();
  const [offset, numCandidates] = pl.getOffsetAndNumCandidates(nodeInfos.length);
  const [candidates] = pl.evaluator.dryRunPreemption(state, pod, nodeInfos, [], offset, numCandidates);
  return { pl, candidates };
}

describe('SelectCandidate', () => {
  const t0 = epochTime(0);
  // Upstream: default_preemption_test.go (TestSelectBestCandidate): any of `expected` may win.
  const cases: { ref: string; nodeNames: string[]; pod: Pod; pods: Pod[]; expected: string[] }[] = [
    {
      ref: 'TestSelectBestCandidate/a pod that fits on both nodes when lower priority pods are preempted', nodeNames: ['node1', 'node2'],
      pod: P('p').priority(highPriority).req(largeRes).obj(),
      pods: [P('p1').node('node1').priority(midPriority).req(largeRes).startTime(t0).obj(), P('p2').node('node2').priority(midPriority).req(largeRes).startTime(t0).obj()],
      expected: ['node1', 'node2'],
    },
    {
      ref: 'TestSelectBestCandidate/node with min highest priority pod is picked', nodeNames: ['node1', 'node2', 'node3'],
      pod: P('p').priority(highPriority).req(veryLargeRes).obj(),
      pods: [
        P('p1.1').node('node1').priority(midPriority).req(mediumRes).startTime(t0).obj(), P('p1.2').node('node1').priority(midPriority).req(largeRes).startTime(t0).obj(),
        P('p2.1').node('node2').priority(midPriority).req(mediumRes).startTime(t0).obj(), P('p2.2').node('node2').priority(lowPriority).req(mediumRes).startTime(t0).obj(),
        P('p3.1').node('node3').priority(lowPriority).req(mediumRes).startTime(t0).obj(), P('p3.2').node('node3').priority(lowPriority).req(mediumRes).startTime(t0).obj(),
      ],
      expected: ['node3'],
    },
    {
      ref: 'TestSelectBestCandidate/when highest priorities are the same, minimum sum of priorities is picked', nodeNames: ['node1', 'node2', 'node3'],
      pod: P('p').priority(highPriority).req(veryLargeRes).obj(),
      pods: [
        P('p1.1').node('node1').priority(midPriority).req(mediumRes).startTime(t0).obj(), P('p1.2').node('node1').priority(midPriority).req(largeRes).startTime(t0).obj(),
        P('p2.1').node('node2').priority(midPriority).req(largeRes).startTime(t0).obj(), P('p2.2').node('node2').priority(lowPriority).req(mediumRes).startTime(t0).obj(),
        P('p3.1').node('node3').priority(midPriority).req(mediumRes).startTime(t0).obj(), P('p3.2').node('node3').priority(midPriority).req(mediumRes).startTime(t0).obj(),
      ],
      expected: ['node2'],
    },
    {
      ref: 'TestSelectBestCandidate/when highest priority and sum are the same, minimum number of pods is picked', nodeNames: ['node1', 'node2', 'node3'],
      pod: P('p').priority(highPriority).req(veryLargeRes).obj(),
      pods: [
        P('p1.1').node('node1').priority(midPriority).req(smallRes).startTime(t0).obj(), P('p1.2').node('node1').priority(negPriority).req(smallRes).startTime(t0).obj(),
        P('p1.3').node('node1').priority(midPriority).req(smallRes).startTime(t0).obj(), P('p1.4').node('node1').priority(negPriority).req(smallRes).startTime(t0).obj(),
        P('p2.1').node('node2').priority(midPriority).req(largeRes).startTime(t0).obj(), P('p2.2').node('node2').priority(negPriority).req(mediumRes).startTime(t0).obj(),
        P('p3.1').node('node3').priority(midPriority).req(mediumRes).startTime(t0).obj(), P('p3.2').node('node3').priority(negPriority).req(smallRes).startTime(t0).obj(),
        P('p3.3').node('node3').priority(lowPriority).req(smallRes).startTime(t0).obj(),
      ],
      expected: ['node2'],
    },
    {
      ref: 'TestSelectBestCandidate/sum of adjusted priorities is considered', nodeNames: ['node1', 'node2', 'node3'],
      pod: P('p').priority(highPriority).req(veryLargeRes).obj(),
      pods: [
        P('p1.1').node('node1').priority(midPriority).req(smallRes).startTime(t0).obj(), P('p1.2').node('node1').priority(negPriority).req(smallRes).startTime(t0).obj(),
        P('p1.3').node('node1').priority(negPriority).req(smallRes).startTime(t0).obj(),
        P('p2.1').node('node2').priority(midPriority).req(largeRes).startTime(t0).obj(), P('p2.2').node('node2').priority(negPriority).req(mediumRes).startTime(t0).obj(),
        P('p3.1').node('node3').priority(midPriority).req(mediumRes).startTime(t0).obj(), P('p3.2').node('node3').priority(negPriority).req(smallRes).startTime(t0).obj(),
        P('p3.3').node('node3').priority(lowPriority).req(smallRes).startTime(t0).obj(),
      ],
      expected: ['node2'],
    },
    {
      ref: 'TestSelectBestCandidate/non-overlapping lowest high priority, sum priorities, and number of pods', nodeNames: ['node1', 'node2', 'node3', 'node4'],
      pod: P('p').priority(veryHighPriority).req(veryLargeRes).obj(),
      pods: [
        P('p1.1').node('node1').priority(midPriority).req(smallRes).startTime(t0).obj(), P('p1.2').node('node1').priority(lowPriority).req(smallRes).startTime(t0).obj(),
        P('p1.3').node('node1').priority(lowPriority).req(smallRes).startTime(t0).obj(),
        P('p2.1').node('node2').priority(highPriority).req(largeRes).startTime(t0).obj(),
        P('p3.1').node('node3').priority(midPriority).req(mediumRes).startTime(t0).obj(), P('p3.2').node('node3').priority(lowPriority).req(smallRes).startTime(t0).obj(),
        P('p3.3').node('node3').priority(lowPriority).req(smallRes).startTime(t0).obj(), P('p3.4').node('node3').priority(lowPriority).req(mediumRes).startTime(t0).obj(),
        P('p4.1').node('node4').priority(midPriority).req(mediumRes).startTime(t0).obj(), P('p4.2').node('node4').priority(midPriority).req(smallRes).startTime(t0).obj(),
        P('p4.3').node('node4').priority(midPriority).req(smallRes).startTime(t0).obj(), P('p4.4').node('node4').priority(negPriority).req(smallRes).startTime(t0).obj(),
      ],
      expected: ['node1'],
    },
    {
      ref: "TestSelectBestCandidate/same priority, same number of victims, different start time for each node's pod", nodeNames: ['node1', 'node2', 'node3'],
      pod: P('p').priority(highPriority).req(veryLargeRes).obj(),
      pods: [
        P('p1.1').node('node1').priority(midPriority).req(mediumRes).startTime(epochTime(2)).obj(), P('p1.2').node('node1').priority(midPriority).req(mediumRes).startTime(epochTime(2)).obj(),
        P('p2.1').node('node2').priority(midPriority).req(mediumRes).startTime(epochTime(3)).obj(), P('p2.2').node('node2').priority(midPriority).req(mediumRes).startTime(epochTime(3)).obj(),
        P('p3.1').node('node3').priority(midPriority).req(mediumRes).startTime(epochTime(1)).obj(), P('p3.2').node('node3').priority(midPriority).req(mediumRes).startTime(epochTime(1)).obj(),
      ],
      expected: ['node2'],
    },
    {
      ref: 'TestSelectBestCandidate/same priority, same number of victims, different start time for all pods', nodeNames: ['node1', 'node2', 'node3'],
      pod: P('p').priority(highPriority).req(veryLargeRes).obj(),
      pods: [
        P('p1.1').node('node1').priority(midPriority).req(mediumRes).startTime(epochTime(4)).obj(), P('p1.2').node('node1').priority(midPriority).req(mediumRes).startTime(epochTime(2)).obj(),
        P('p2.1').node('node2').priority(midPriority).req(mediumRes).startTime(epochTime(5)).obj(), P('p2.2').node('node2').priority(midPriority).req(mediumRes).startTime(epochTime(1)).obj(),
        P('p3.1').node('node3').priority(midPriority).req(mediumRes).startTime(epochTime(3)).obj(), P('p3.2').node('node3').priority(midPriority).req(mediumRes).startTime(epochTime(6)).obj(),
      ],
      expected: ['node3'],
    },
    {
      ref: 'TestSelectBestCandidate/different priority, same number of victims, different start time for all pods', nodeNames: ['node1', 'node2', 'node3'],
      pod: P('p').priority(highPriority).req(veryLargeRes).obj(),
      pods: [
        P('p1.1').node('node1').priority(lowPriority).req(mediumRes).startTime(epochTime(4)).obj(), P('p1.2').node('node1').priority(midPriority).req(mediumRes).startTime(epochTime(2)).obj(),
        P('p2.1').node('node2').priority(midPriority).req(mediumRes).startTime(epochTime(6)).obj(), P('p2.2').node('node2').priority(lowPriority).req(mediumRes).startTime(epochTime(1)).obj(),
        P('p3.1').node('node3').priority(lowPriority).req(mediumRes).startTime(epochTime(3)).obj(), P('p3.2').node('node3').priority(midPriority).req(mediumRes).startTime(epochTime(5)).obj(),
      ],
      expected: ['node2'],
    },
  ];
  it.each(cases)('$ref', ({ nodeNames, pod, pods, expected }) => {
    const { pl, candidates } = bestOf(nodeNames, pod, pods);
    const s = pl.evaluator.selectCandidate(candidates);
    expect(s).not.toBeNull();
    expect(expected).toContain(s!.name);
  });
});

describe('custom eligibility and ordering', () => {
  const t0 = epochTime(0);
  const labelIs = (key: string, val: string): IsEligiblePodFunc => (_n, v) => v.pod.metadata.labels?.[key] === val;
  const nodeIs = (name: string): IsEligiblePodFunc => (n: NodeInfo) => n.name === name;
  const preemptorAtLeast = (min: number): IsEligiblePodFunc => (_n, _v, preemptor) => podPriority(preemptor) >= min;
  const victimAtMost = (max: number): IsEligiblePodFunc => (_n, v: PodInfo) => podPriority(v.pod) <= max;
  const fourNodes = [
    P('v1').label('preemptible', 'no').node('node1').priority(midPriority).req(largeRes).startTime(t0).obj(),
    P('v2').label('preemptible', 'yes').node('node2').priority(midPriority).req(largeRes).startTime(t0).obj(),
    P('v3').label('preemptible', 'yes').node('node3').priority(lowPriority).req(largeRes).startTime(t0).obj(),
    P('v4').node('node4').priority(lowPriority).req(largeRes).startTime(t0).obj(),
  ];
  const nodeOne = (v1Res: typeof smallRes) => [
    P('v1').node('node1').priority(highPriority).req(v1Res).startTime(t0).obj(),
    P('v2').node('node1').priority(midPriority).req(smallRes).startTime(t0).obj(),
    P('v3').node('node1').priority(lowPriority).req(smallRes).startTime(t0).obj(),
    P('v4').node('node2').priority(midPriority).req(largeRes).startTime(t0).obj(),
    P('v5').node('node3').priority(lowPriority).req(largeRes).startTime(t0).obj(),
  ];
  const three = [
    P('v1').node('node1').priority(highPriority).req(largeRes).startTime(t0).obj(),
    P('v2').node('node2').priority(midPriority).req(largeRes).startTime(t0).obj(),
    P('v3').node('node3').priority(lowPriority).req(largeRes).startTime(t0).obj(),
  ];
  const n4 = ['node1', 'node2', 'node3', 'node4'];
  const n3 = ['node1', 'node2', 'node3'];
  // Upstream: default_preemption_test.go (TestCustomSelection)
  const cases: { ref: string; eligible: IsEligiblePodFunc; nodeNames: string[]; pod: Pod; pods: Pod[]; expected: Record<string, string[]> }[] = [
    { ref: 'TestCustomSelection/filter for matching pod label: high priority', eligible: labelIs('preemptible', 'yes'), nodeNames: n4, pod: P('p1').priority(highPriority).req(largeRes).obj(), pods: fourNodes, expected: { node2: ['v2'], node3: ['v3'] } },
    { ref: 'TestCustomSelection/filter for matching pod label: mid priority', eligible: labelIs('preemptible', 'yes'), nodeNames: n4, pod: P('p2').priority(midPriority).req(largeRes).obj(), pods: fourNodes, expected: { node3: ['v3'] } },
    { ref: 'TestCustomSelection/filter for matching pod label: low priority', eligible: labelIs('preemptible', 'yes'), nodeNames: n4, pod: P('p3').priority(lowPriority).req(largeRes).obj(), pods: fourNodes, expected: {} },
    { ref: 'TestCustomSelection/filter for matching victim node: high priority', eligible: nodeIs('node1'), nodeNames: n3, pod: P('p3').priority(highPriority).req(largeRes).obj(), pods: nodeOne(mediumRes), expected: { node1: ['v2', 'v3'] } },
    { ref: 'TestCustomSelection/filter for matching victim node: mid priority', eligible: nodeIs('node1'), nodeNames: n3, pod: P('p3').priority(midPriority).req(largeRes).obj(), pods: nodeOne(smallRes), expected: { node1: ['v3'] } },
    { ref: 'TestCustomSelection/filter for matching victim node: low priority', eligible: nodeIs('node1'), nodeNames: n3, pod: P('p3').priority(lowPriority).req(largeRes).obj(), pods: nodeOne(smallRes), expected: {} },
    // highPriority can preempt anything, but not other highPriority
    { ref: 'TestCustomSelection/only pods at or above specified priority can preempted: high priority', eligible: preemptorAtLeast(highPriority), nodeNames: n3, pod: P('p1').priority(highPriority).req(largeRes).obj(), pods: three, expected: { node2: ['v2'], node3: ['v3'] } },
    // midPriority can't preempt anything
    { ref: 'TestCustomSelection/only pods at or above specified priority can preempted: mid priority', eligible: preemptorAtLeast(highPriority), nodeNames: n3, pod: P('p2').priority(midPriority).req(largeRes).obj(), pods: three, expected: {} },
    // the lowPriority pod can be preempted but not the midPriority pod
    { ref: 'TestCustomSelection/only pods at or below specified priority can be preempted: high priority', eligible: victimAtMost(midPriority), nodeNames: n3, pod: P('p1').priority(highPriority).req(largeRes).obj(), pods: three, expected: { node2: ['v2'], node3: ['v3'] } },
  ];
  it.each(cases)('$ref', ({ eligible, nodeNames, pod, pods, expected }) => {
    const { pl, candidates } = bestOf(nodeNames, pod, pods, { isEligiblePod: eligible });
    expect(candidates).toHaveLength(Object.keys(expected).length);
    let left = candidates;
    while (left.length > 0) {
      const selected = pl.evaluator.selectCandidate(left)!;
      expect(Object.keys(expected)).toContain(selected.name);
      expect(selected.victims.pods.map((p) => p.metadata.name)).toEqual(expected[selected.name]);
      left = left.filter((c) => c.name !== selected.name);
    }
  });

  // Upstream: default_preemption_test.go (TestCustomOrdering)
  const ordering: { ref: string; order: MoreImportantPodFunc; pods: Pod[]; expectedPods: string[] }[] = [
    {
      // the newest two pods are selected, despite one with higher priority
      ref: 'TestCustomOrdering/select newest pods', order: (a, b) => podStartTime(a) < podStartTime(b),
      pods: [
        P('v1').node('node1').priority(lowPriority).req(mediumRes).startTime(epochTime(2)).obj(),
        P('v2').node('node1').priority(lowPriority).req(mediumRes).startTime(epochTime(0)).obj(),
        P('v3').node('node1').priority(midPriority).req(mediumRes).startTime(epochTime(1)).obj(),
      ],
      expectedPods: ['v3', 'v1'],
    },
    {
      // the last pods in alphabetic order are selected, despite one with higher priority
      ref: 'TestCustomOrdering/select alphabetically-last pods', order: (a, b) => (a.metadata.name ?? '') < (b.metadata.name ?? ''),
      pods: [
        P('foo', 'v1').node('node1').priority(lowPriority).req(mediumRes).startTime(t0).obj(),
        P('bar', 'v2').node('node1').priority(lowPriority).req(mediumRes).startTime(t0).obj(),
        P('baz', 'v3').node('node1').priority(midPriority).req(mediumRes).startTime(t0).obj(),
      ],
      expectedPods: ['baz', 'foo'],
    },
  ];
  it.each(ordering)('$ref', ({ order, pods, expectedPods }) => {
    const { candidates } = bestOf(['node1'], P('p2').priority(highPriority).req(largeRes).obj(), pods, { moreImportantPod: order });
    expect(candidates).toHaveLength(1);
    expect(candidates[0].victims.pods.map((p) => p.metadata.name)).toEqual(expectedPods);
  });
});

describe('PodEligibleToPreemptOthers', () => {
  const term = (w: ReturnType<typeof P>, withCondition: boolean) => {
    const pod = w.terminating().obj();
    if (withCondition) pod.status = { ...(pod.status ?? {}), conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] };
    return pod;
  };
  // Upstream: default_preemption_test.go (TestPodEligibleToPreemptOthers)
  const cases = [
    {
      ref: 'TestPodEligibleToPreemptOthers/Pod with nominated node', pod: P('p_with_nominated_node', 'p').priority(highPriority).nominatedNodeName('node1').obj(),
      pods: [term(P('p1').priority(lowPriority).node('node1'), false)], nodes: ['node1'],
      // tainttoleration.ErrReasonNotMatch in upstream's table; only the code matters.
      nominatedNodeStatus: newStatus('UnschedulableAndUnresolvable', "node(s) had taints that the pod didn't tolerate"), expected: true,
    },
    { ref: 'TestPodEligibleToPreemptOthers/Pod without nominated node', pod: P('p_without_nominated_node', 'p').priority(highPriority).obj(), pods: [], nodes: [], nominatedNodeStatus: null, expected: true },
    {
      ref: "TestPodEligibleToPreemptOthers/Pod with 'PreemptNever' preemption policy", pod: P('p_with_preempt_never_policy', 'p').priority(highPriority).preemptionPolicy('Never').obj(),
      pods: [], nodes: [], nominatedNodeStatus: null, expected: false, reason: 'not eligible due to preemptionPolicy=Never.',
    },
    {
      ref: 'TestPodEligibleToPreemptOthers/preemption victim pod terminating, as indicated by the dedicated DisruptionTarget condition',
      pod: P('p_with_nominated_node', 'p').priority(highPriority).nominatedNodeName('node1').obj(),
      pods: [term(P('p1').priority(lowPriority).node('node1'), true)], nodes: ['node1'], nominatedNodeStatus: null, expected: false,
      reason: 'not eligible due to a terminating pod on the nominated node.',
    },
    {
      ref: 'TestPodEligibleToPreemptOthers/non-victim Pods terminating', pod: P('p_with_nominated_node', 'p').priority(highPriority).nominatedNodeName('node1').obj(),
      pods: [term(P('p1').priority(lowPriority).node('node1'), false)], nodes: ['node1'], nominatedNodeStatus: null, expected: true,
    },
  ];
  it.each(cases)('$ref', ({ pod, pods, nodes, nominatedNodeStatus, expected, reason }) => {
    const { pl } = setup({ pods: [pod, ...pods], nodes: nodes.map((n) => makeNode().name(n).obj()), plugins: [] });
    expect(pl.podEligibleToPreemptOthers(pod, nominatedNodeStatus)).toEqual([expected, reason ?? '']);
  });
});
