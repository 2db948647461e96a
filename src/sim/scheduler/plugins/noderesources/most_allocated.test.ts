import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../api/core/v1';
import { MinNodeScore } from '../../framework/interface';
import { makeNode, makePod } from '../../testing/wrappers';
import type { ResourceSpec } from './args';
import { newFit } from './fit';
import { defaultResources, extendedRes, extendedResourceSet, refd, runScore } from './test_helpers';

const node = (name: string, rl: Record<string, string>): Node => makeNode().name(name).capacity(rl).obj();
const twoReqs = (): Pod => makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj();
const onNode = (n: string, rl: Record<string, string>): Pod => makePod().node(n).req(rl).obj();

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
    resources: defaultResources, want: [['node1', MinNodeScore], ['node2', MinNodeScore]],
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes', pod: twoReqs(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000' })],
    resources: defaultResources, want: [['node1', 62], ['node2', 50]],
  },
  {
    name: 'Resources not set, pods scheduled with error', pod: twoReqs(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000' })],
    resources: [], want: [['node1', MinNodeScore], ['node2', MinNodeScore]], wantStatusCode: 'Error',
  },
  {
    name: 'no resources requested, pods scheduled with resources', pod: makePod().obj(),
    nodes: [node('node1', { cpu: '10000', memory: '20000' }), node('node2', { cpu: '10000', memory: '20000' })],
    existing: [
      onNode('node1', { cpu: '3000', memory: '0' }), onNode('node1', { cpu: '3000', memory: '0' }),
      onNode('node2', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' }),
    ],
    resources: defaultResources, want: [['node1', 30], ['node2', 42]],
  },
  {
    name: 'resources requested, pods scheduled with resources', pod: twoReqs(),
    nodes: [node('node1', { cpu: '10000', memory: '20000' }), node('node2', { cpu: '10000', memory: '20000' })],
    existing: [onNode('node1', { cpu: '3000', memory: '0' }), onNode('node2', { cpu: '3000', memory: '5000' })],
    resources: defaultResources, want: [['node1', 42], ['node2', 55]],
  },
  {
    name: 'resources requested equal node capacity', pod: makePod().req({ cpu: '2000', memory: '4000' }).req({ cpu: '3000', memory: '5000' }).obj(),
    nodes: [node('node1', { cpu: '5000', memory: '10000' }), node('node2', { cpu: '10000', memory: '9000' })],
    resources: defaultResources, want: [['node1', 95], ['node2', 75]],
  },
  {
    // Upstream repeats this case's name; the second one weighs memory twice.
    name: 'nothing scheduled, resources requested, differently sized nodes (memory weight 2)', pod: twoReqs(),
    nodes: [node('node1', { cpu: '4000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000' })],
    resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }], want: [['node1', 58], ['node2', 50]],
  },
  {
    name: 'no resources requested, pods scheduled, nonzero request for resource', pod: makePod().container('container').obj(),
    nodes: [node('node1', { cpu: '250m', memory: '1000Mi' }), node('node2', { cpu: '250m', memory: '1000Mi' })],
    existing: [makePod().node('node1').container('container').obj(), makePod().node('node1').container('container').obj()],
    resources: defaultResources, want: [['node1', 80], ['node2', 30]],
  },
  {
    name: 'resource with negative weight', pod: twoReqs(), nodes: [node('node2', { cpu: '4000', memory: '10000' })],
    resources: [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }],
    wantErrs: 'scoringStrategy.resources[0].weight: Invalid value: -1: resource weight of memory not in valid range (0, 100]',
  },
  {
    name: 'resource with zero weight', pod: twoReqs(), nodes: [node('node2', { cpu: '4000', memory: '10000' })],
    resources: [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }],
    wantErrs: 'scoringStrategy.resources[1].weight: Invalid value: 0: resource weight of cpu not in valid range (0, 100]',
  },
  {
    name: 'resource weight larger than MaxNodeScore', pod: twoReqs(), nodes: [node('node2', { cpu: '4000', memory: '10000' })],
    resources: [{ name: 'memory', weight: 101 }],
    wantErrs: 'scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of memory not in valid range (0, 100]',
  },
  {
    name: 'bypass extended resource if the pod does not request', pod: twoReqs(),
    nodes: [node('node1', { cpu: '6000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    resources: extendedResourceSet, want: [['node1', 50], ['node2', 50]],
  },
  {
    name: 'honor extended resource if the pod request', pod: makePod().node('node1').req({ cpu: '3000', memory: '5000', [extendedRes]: '2' }).obj(),
    nodes: [node('node1', { cpu: '6000', memory: '10000', [extendedRes]: '4' }), node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '10' })],
    resources: extendedResourceSet, want: [['node1', 50], ['node2', 40]],
  },
  {
    name: "if the node doesn't have a resource", pod: makePod().node('node1').req({ cpu: '3000', memory: '4000' }).obj(),
    nodes: [node('node1', { cpu: '6000', memory: '10000' }), node('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    resources: [{ name: extendedRes, weight: 2 }, { name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }], want: [['node1', 45], ['node2', 45]],
  },
];

describe('NodeResourcesFit MostAllocated', () => {
  for (const c of refd('TestMostAllocatedScoringStrategy', cases)) {
    it(c.ref, () => {
      const make = () => newFit({ scoringStrategy: { type: 'MostAllocated', resources: c.resources } });
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
