import { describe, expect, it } from 'vitest';
import { rngFromSeed } from '../core/rng';
import { numFeasibleNodesToFind, selectHost } from './schedule_one';
import { Diagnosis, FitError } from './framework/diagnosis';
import { newStatus } from './framework/status';

describe('numFeasibleNodesToFind', () => {
  // Upstream: pkg/scheduler/schedule_one_test.go (TestNumFeasibleNodesToFind)
  const cases = [
    { ref: 'TestNumFeasibleNodesToFind/not set percentageOfNodesToScore and nodes number not more than 50', global: 0, profile: undefined, nodes: 10, want: 10 },
    { ref: 'TestNumFeasibleNodesToFind/set profile percentageOfNodesToScore and nodes number not more than 50', global: 0, profile: 40, nodes: 10, want: 10 },
    { ref: 'TestNumFeasibleNodesToFind/not set percentageOfNodesToScore and nodes number more than 50', global: 0, profile: undefined, nodes: 1000, want: 420 },
    { ref: 'TestNumFeasibleNodesToFind/set profile percentageOfNodesToScore and nodes number more than 50', global: 0, profile: 40, nodes: 1000, want: 400 },
    { ref: 'TestNumFeasibleNodesToFind/set global and profile percentageOfNodesToScore and nodes number more than 50', global: 100, profile: 70, nodes: 1000, want: 700 },
    { ref: 'TestNumFeasibleNodesToFind/set global percentageOfNodesToScore and nodes number more than 50', global: 40, profile: undefined, nodes: 1000, want: 400 },
    { ref: 'TestNumFeasibleNodesToFind/not set profile percentageOfNodesToScore and nodes number more than 50*125', global: 0, profile: undefined, nodes: 6000, want: 300 },
    { ref: 'TestNumFeasibleNodesToFind/set profile percentageOfNodesToScore and nodes number more than 50*125', global: 0, profile: 40, nodes: 6000, want: 2400 },
  ];
  it.each(cases)('$ref', ({ global, profile, nodes, want }) => {
    expect(numFeasibleNodesToFind(profile, global, nodes)).toBe(want);
  });

  it('never asks for fewer than 100 nodes, and at 5,000 nodes the adaptive default is 10 %', () => {
    expect(numFeasibleNodesToFind(undefined, 0, 5000)).toBe(500);
    expect(numFeasibleNodesToFind(1, 0, 5000)).toBe(100);
    expect(numFeasibleNodesToFind(undefined, 0, 100)).toBe(100);
  });
});

describe('selectHost', () => {
  const list = (scores: [string, number][]) => scores.map(([name, totalScore]) => ({ name, scores: [], totalScore }));

  // Upstream: pkg/scheduler/schedule_one_test.go (TestSelectHost): the winner is always among the top scores.
  const cases = [
    { ref: 'TestSelectHost/unique properly ordered scores', list: list([['node1.1', 1], ['node2.1', 2]]), possible: ['node2.1'], topN: ['node2.1', 'node1.1'] },
    { ref: 'TestSelectHost/equal scores', list: list([['node1.1', 1], ['node1.2', 2], ['node1.3', 2], ['node2.1', 2]]), possible: ['node1.2', 'node1.3', 'node2.1'], topN: 3 },
    { ref: 'TestSelectHost/out of order scores', list: list([['node1.1', 3], ['node1.2', 3], ['node2.1', 2], ['node3.1', 1], ['node1.3', 3]]), possible: ['node1.1', 'node1.2', 'node1.3'], topN: 3 },
  ];
  it.each(cases)('$ref', ({ list: l, possible, topN }) => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const [host, top] = selectHost(l, 3, rngFromSeed(seed));
      expect(possible).toContain(host);
      expect(top[0].name).toBe(host);
      if (Array.isArray(topN)) expect(top.map((t) => t.name)).toEqual(topN);
      else expect(top).toHaveLength(topN);
      seen.add(host);
    }
    // Reservoir sampling reaches every tied node over enough seeds.
    expect([...seen].sort()).toEqual([...possible].sort());
  });

  it('is the same for the same seed', () => {
    const l = list([['a', 5], ['b', 5], ['c', 5], ['d', 1]]);
    expect(selectHost(l, 3, rngFromSeed(7))[0]).toBe(selectHost(l, 3, rngFromSeed(7))[0]);
  });

  // The model pops only as far as it must (see selectHost); upstream's loop, with Go's heap, is the reference.
  function upstreamSelectHost(l: ReturnType<typeof list>, count: number, rng: { int(n: number): number }): [string, string[]] {
    const h = [...l];
    const less = (i: number, j: number) => h[i].totalScore > h[j].totalScore;
    const swap = (i: number, j: number) => ([h[i], h[j]] = [h[j], h[i]]);
    const down = (i0: number, n: number) => {
      let i = i0;
      for (;;) {
        const j1 = 2 * i + 1;
        if (j1 >= n) break;
        let j = j1;
        if (j1 + 1 < n && less(j1 + 1, j1)) j = j1 + 1;
        if (!less(j, i)) break;
        swap(i, j);
        i = j;
      }
    };
    for (let i = Math.trunc(h.length / 2) - 1; i >= 0; i--) down(i, h.length);
    const pop = () => {
      swap(0, h.length - 1);
      down(0, h.length - 1);
      return h.pop()!;
    };
    const sorted = [pop()];
    let cnt = 1;
    let sel = 0;
    while (h.length > 0) {
      const ns = pop();
      if (ns.totalScore !== sorted[0].totalScore && sorted.length === count) break;
      if (ns.totalScore === sorted[0].totalScore) {
        cnt++;
        if (rng.int(cnt) === 0) sel = cnt - 1;
      }
      sorted.push(ns);
    }
    [sorted[0], sorted[sel]] = [sorted[sel], sorted[0]];
    return [sorted[0].name, sorted.slice(0, count).map((n) => n.name)];
  }

  it('picks the node and the top 3 upstream\'s full loop picks, drawing the same numbers', () => {
    const shapes = rngFromSeed(99);
    for (let k = 0; k < 300; k++) {
      const l = list(Array.from({ length: 1 + shapes.int(40) }, (_, i) => [`n${i}`, shapes.int(1 + (k % 6))] as [string, number]));
      const a = rngFromSeed(k);
      const b = rngFromSeed(k);
      const [host, top] = selectHost(l, 3, a);
      expect([host, top.map((t) => t.name)]).toEqual(upstreamSelectHost(l, 3, b));
      expect(a.int(1_000_000)).toBe(b.int(1_000_000));
    }
  });

  it('throws on an empty list as upstream returns errEmptyPriorityList', () => {
    expect(() => selectHost([], 3, rngFromSeed(1))).toThrow('empty priorityList');
  });
});

describe('FitError', () => {
  // Upstream: pkg/scheduler/framework/types_test.go (TestFitError_Error)
  it('TestFitError_Error/nodes failed Prefilter plugin: the PreFilter message only', () => {
    const d = new Diagnosis();
    d.preFilterMsg = 'Node(s) failed PreFilter plugin FalsePreFilter';
    d.nodeToStatus.setAbsentNodesStatus(newStatus('UnschedulableAndUnresolvable', 'Node(s) failed PreFilter plugin FalsePreFilter'));
    expect(new FitError('p', 3, d).message).toBe('0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter.');
  });

  it('TestFitError_Error/nodes failed one Filter plugin with an empty PostFilter message', () => {
    const d = new Diagnosis();
    for (const n of ['node1', 'node2', 'node3']) d.nodeToStatus.set(n, newStatus('Unschedulable', 'Node(s) failed Filter plugin FalseFilter-1'));
    expect(new FitError('p', 3, d).message).toBe('0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1.');
  });

  it('TestFitError_Error/failed to Filter multiple nodes, sorted bytewise, with the PostFilter message after', () => {
    const d = new Diagnosis();
    d.nodeToStatus.set('node1', newStatus('Unschedulable', 'Node(s) failed Filter plugin FalseFilter-1'));
    d.nodeToStatus.set('node2', newStatus('Unschedulable', 'Node(s) failed Filter plugin FalseFilter-2'));
    d.nodeToStatus.set('node3', newStatus('Unschedulable', 'Node(s) failed Filter plugin FalseFilter-2'));
    d.postFilterMsg = 'Error running PostFilter plugin FailedPostFilter';
    expect(new FitError('p', 3, d).message).toBe('0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-1, 2 Node(s) failed Filter plugin FalseFilter-2. Error running PostFilter plugin FailedPostFilter');
  });

  it('counts nodes absent from the map with the absent status, and sorts "10 x" before "2 y" as Go does', () => {
    const d = new Diagnosis();
    d.nodeToStatus.set('a', newStatus('Unschedulable', 'Insufficient cpu'));
    d.nodeToStatus.set('b', newStatus('Unschedulable', 'Insufficient cpu'));
    d.nodeToStatus.setAbsentNodesStatus(newStatus('UnschedulableAndUnresolvable', "node(s) didn't match Pod's node affinity/selector"));
    expect(new FitError('p', 12, d).message).toBe("0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu.");
  });
});
