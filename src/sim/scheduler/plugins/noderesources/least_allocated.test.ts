import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../api/core/v1';
import { MaxNodeScore, MinNodeScore } from '../../framework/interface';
import { makeNode, makePod } from '../../testing/wrappers';
import type { ResourceSpec } from './args';
import { newFit } from './fit';
import { leastRequestedScore } from './least_allocated';
import { mostRequestedScore } from './most_allocated';
import { defaultResources, extendedRes, extendedResourceSet, refd, runScore } from './test_helpers';

const node = (name: string, rl: Record<string, string>): Node => makeNode().name(name).capacity(rl).obj();
const twoReqs = (): Pod => makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj();
const onNode = (n: string, rl?: Record<string, string>): Pod => (rl ? makePod().node(n).req(rl).obj() : makePod().node(n).obj());

interface Case {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  resources: ResourceSpec[];
  want?: [string, number][];
  wantErrs?: string;
  wantStatusCode?: 'Error';
}

const cases: Case[] = [
  {
    name: 'nothing scheduled, nothing requested', pod: makePod().obj(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '4000', memory: '10000' })],
    resources: defaultResources, want: [['node1', MaxNodeScore], ['node2', MaxNodeScore]],
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes', pod: twoReqs(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000' })],
    resources: defaultResources, want: [['node1', 37], ['node2', 50]],
  },
  {
    name: 'Resources not set, pods scheduled with error', pod: twoReqs(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000' })],
    resources: [], want: [['node1', MinNodeScore], ['node2', MinNodeScore]], wantStatusCode: 'Error',
  },
  {
    name: 'no resources requested, pods scheduled', pod: makePod().obj(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '4000', memory: '10000' })],
    existing: [onNode('node1'), onNode('node1'), onNode('node2'), onNode('node2')],
    resources: defaultResources, want: [['node1', MaxNodeScore], ['node2', MaxNodeScore]],
  },
  {
    name: 'no resources requested, pods scheduled with resources', pod: makePod().obj(),
    nodes: [node('node1', { cpu: '10000', memory: '20000' }), node('node2', { cpu: '10000', memory: '20000' })],
    existing: [
      onNode('node1', { cpu: '3000', memory: '0' }), onNode('node1', { cpu: '3000', memory: '0' }),
      onNode('node2', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' }),
    ],
    resources: defaultResources, want: [['node1', 70], ['node2', 57]],
  },
  {
    name: 'resources requested, pods scheduled with resources', pod: twoReqs(),
    nodes: [node('node1', { cpu: '10000', memory: '20000' }), node('node2', { cpu: '10000', memory: '20000' })],
    existing: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })],
    resources: defaultResources, want: [['node1', 57], ['node2', 45]],
  },
  {
    name: 'resources requested, pods scheduled with resources, differently sized nodes', pod: twoReqs(),
    nodes: [node('node1', { cpu: '10000', memory: '20000' }), node('node2', { cpu: '10000', memory: '50000' })],
    existing: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })],
    resources: defaultResources, want: [['node1', 57], ['node2', 60]],
  },
  {
    name: 'requested resources exceed node capacity', pod: makePod().req({ cpu: '3000', memory: '0' }).obj(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '4000', memory: '10000' })],
    existing: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })],
    resources: defaultResources, want: [['node1', 50], ['node2', 25]],
  },
  {
    name: 'zero node resources, pods scheduled with resources', pod: makePod().obj(),
    nodes: [makeNode().name('node1').obj(), makeNode().name('node2').obj()],
    existing: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })],
    resources: defaultResources, want: [['node1', MinNodeScore], ['node2', MinNodeScore]],
  },
  {
    name: 'nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes',
    pod: makePod().node('node1').req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000' })],
    resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }], want: [['node1', 41], ['node2', 50]],
  },
  {
    name: 'resource with negative weight', pod: twoReqs(), nodes: [node('node1', { cpu: '4000', memory: '10000' })],
    resources: [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }],
    wantErrs: 'scoringStrategy.resources[0].weight: Invalid value: -1: resource weight of memory not in valid range (0, 100]',
  },
  {
    name: 'resource with zero weight', pod: twoReqs(), nodes: [node('node1', { cpu: '4000', memory: '10000' })],
    resources: [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }],
    wantErrs: 'scoringStrategy.resources[1].weight: Invalid value: 0: resource weight of cpu not in valid range (0, 100]',
  },
  {
    name: 'resource weight larger than MaxNodeScore', pod: twoReqs(), nodes: [node('node1', { cpu: '4000', memory: '10000' })],
    resources: [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }],
    wantErrs: 'scoringStrategy.resources[1].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]',
  },
  {
    name: 'bypass extended resource if the pod does not request', pod: twoReqs(),
    nodes: [node('node1', { cpu: '6000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    resources: extendedResourceSet, want: [['node1', 50], ['node2', 50]],
  },
  {
    name: 'honor extended resource if the pod requests', pod: makePod().node('node1').req({ cpu: '3000', memory: '5000', [extendedRes]: '2' }).obj(),
    nodes: [node('node1', { cpu: '6000', memory: '10000', [extendedRes]: '4' }), node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '10' })],
    resources: extendedResourceSet, want: [['node1', 50], ['node2', 60]],
  },
  {
    name: "if the node doesn't have a resource", pod: makePod().node('node1').req({ cpu: '3000', memory: '4000' }).obj(),
    nodes: [node('node1', { cpu: '6000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    resources: [{ name: extendedRes, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], want: [['node1', 55], ['node2', 55]],
  },
];

describe('NodeResourcesFit LeastAllocated', () => {
  for (const c of refd('TestLeastAllocatedScoringStrategy', cases)) {
    it(c.ref, () => {
      const make = () => newFit({ scoringStrategy: { type: 'LeastAllocated', resources: c.resources } });
      if (c.wantErrs) {
        expect(make).toThrow(c.wantErrs);
        return;
      }
      const r = runScore(make(), c.pod, c.nodes, c.existing ?? []);
      expect(r.scores.map((s) => [s.name, s.score])).toEqual(c.want);
      expect(r.codes.every((code) => code === (c.wantStatusCode ?? 'Success'))).toBe(true);
    });
  }
});

describe('int64 arithmetic', () => {
  it('scores near-2^53 capacities as int64 does, without the double rounding of capacity * 100', () => {
    // 51 * c - 1 = 100 * a: int64 gives 50; the product rounded as a double would give 51.
    const c = 8_000_000_000_000_051;
    const a = 4_080_000_000_000_026;
    expect(leastRequestedScore(c - a, c)).toBe(50);
    expect(mostRequestedScore(a, c)).toBe(50);
    expect(Math.trunc((a * 100) / c)).toBe(51);
  });
});
